// posix_spawn_file_actions_addchdir_np: the child starts in another directory (paths
// relative to the cwd so far, in order), and later file actions open relative to it; the
// parent's cwd does not change; a missing directory makes posix_spawn fail.
// test: args=$SCRATCH; stdout=child read marker: inner marker\nchild's cwd: inner\nopened relative to it: made there\nparent's cwd unchanged\nmissing: ENOENT\n
#include "proc_test.h"

#include <limits.h>

int main(int argc, char **argv) {
  proc_init(argc, argv);
  CHECK(argc == 2);
  char *dir = join_path(argv[1], "chd");
  char *inner = join_path(dir, "inner");
  make_dir(dir);
  make_dir(inner);
  make_file(join_path(inner, "marker"), "inner marker\n");
  char before[PATH_MAX], after[PATH_MAX];
  CHECK(getcwd(before, sizeof before) != NULL);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  CHECK_RET(posix_spawn_file_actions_addchdir_np(&fa, dir), 0);
  CHECK_RET(posix_spawn_file_actions_addchdir_np(&fa, "inner"), 0);
  printf("child read marker: ");
  pid_t pid = start_helper(&fa, NULL, "cat", "marker", NULL);
  CHECK_EXITED(wait_for(pid), 0);
  printf("child's cwd: ");
  pid = start_helper(&fa, NULL, "pwd-base", NULL);
  CHECK_EXITED(wait_for(pid), 0);
  posix_spawn_file_actions_destroy(&fa);

  posix_spawn_file_actions_init(&fa);
  CHECK_RET(posix_spawn_file_actions_addchdir_np(&fa, dir), 0);
  CHECK_RET(posix_spawn_file_actions_addopen(&fa, 1, "made-here.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644), 0);
  pid = start_helper(&fa, NULL, "echo", "made", "there", NULL);
  CHECK_EXITED(wait_for(pid), 0);
  posix_spawn_file_actions_destroy(&fa);
  printf("opened relative to it: %s", file_contents(join_path(dir, "made-here.txt")));

  CHECK(getcwd(after, sizeof after) != NULL);
  CHECK_STR(after, before);
  printf("parent's cwd unchanged\n");

  posix_spawn_file_actions_init(&fa);
  CHECK_RET(posix_spawn_file_actions_addchdir_np(&fa, join_path(dir, "missing")), 0);
  CHECK_RET(spawn_helper(&pid, &fa, NULL, "exit", "0", NULL), ENOENT);
  posix_spawn_file_actions_destroy(&fa);
  printf("missing: ENOENT\n");
  return 0;
}
