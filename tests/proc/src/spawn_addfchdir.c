// posix_spawn_file_actions_addfchdir_np: the child starts in the directory an open
// descriptor names; a descriptor that is not a directory makes posix_spawn fail.
// test: args=$SCRATCH; stdout=child read marker: fchdir marker\nchild's cwd: fchd\nnot a directory: ENOTDIR\n
#include "proc_test.h"

int main(int argc, char **argv) {
  proc_init(argc, argv);
  CHECK(argc == 2);
  char *dir = join_path(argv[1], "fchd");
  make_dir(dir);
  make_file(join_path(dir, "marker"), "fchdir marker\n");
  int dfd = CHECK_OK(open(dir, O_RDONLY | O_DIRECTORY));

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  CHECK_RET(posix_spawn_file_actions_addfchdir_np(&fa, dfd), 0);
  printf("child read marker: ");
  pid_t pid = start_helper(&fa, NULL, "cat", "marker", NULL);
  CHECK_EXITED(wait_for(pid), 0);
  printf("child's cwd: ");
  pid = start_helper(&fa, NULL, "pwd-base", NULL);
  CHECK_EXITED(wait_for(pid), 0);
  posix_spawn_file_actions_destroy(&fa);

  int ffd = CHECK_OK(open(join_path(dir, "marker"), O_RDONLY));
  posix_spawn_file_actions_init(&fa);
  CHECK_RET(posix_spawn_file_actions_addfchdir_np(&fa, ffd), 0);
  CHECK_RET(spawn_helper(&pid, &fa, NULL, "exit", "0", NULL), ENOTDIR);
  posix_spawn_file_actions_destroy(&fa);
  printf("not a directory: ENOTDIR\n");
  return 0;
}
