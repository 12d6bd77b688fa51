// posix_spawn_file_actions_addopen: the child gets a file opened at a chosen descriptor
// (replacing what was there); a file that cannot be opened makes posix_spawn fail.
// test: args=$SCRATCH; stdout=stdout to a file: written by the child\nstdin from a file: from the file\nmissing file: ENOENT\n
#include "proc_test.h"

int main(int argc, char **argv) {
  proc_init(argc, argv);
  CHECK(argc == 2);
  char *out = join_path(argv[1], "addopen-out.txt");
  char *in = join_path(argv[1], "addopen-in.txt");

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  CHECK_RET(posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644), 0);
  pid_t pid = start_helper(&fa, NULL, "echo", "written", "by", "the", "child", NULL);
  posix_spawn_file_actions_destroy(&fa);
  CHECK_EXITED(wait_for(pid), 0);
  printf("stdout to a file: %s", file_contents(out));

  make_file(in, "from the file\n");
  int p[2];
  CHECK_OK(pipe(p));
  posix_spawn_file_actions_init(&fa);
  CHECK_RET(posix_spawn_file_actions_addopen(&fa, 0, in, O_RDONLY, 0), 0);
  posix_spawn_file_actions_adddup2(&fa, p[1], 1);
  posix_spawn_file_actions_addclose(&fa, p[0]);
  posix_spawn_file_actions_addclose(&fa, p[1]);
  pid = start_helper(&fa, NULL, "cat", "-", NULL);
  posix_spawn_file_actions_destroy(&fa);
  close(p[1]);
  printf("stdin from a file: %s", read_all(p[0]));
  CHECK_EXITED(wait_for(pid), 0);

  posix_spawn_file_actions_init(&fa);
  CHECK_RET(posix_spawn_file_actions_addopen(&fa, 0, join_path(argv[1], "no/such/file"), O_RDONLY, 0), 0);
  CHECK_RET(spawn_helper(&pid, &fa, NULL, "exit", "0", NULL), ENOENT);
  posix_spawn_file_actions_destroy(&fa);
  printf("missing file: ENOENT\n");
  CHECK_RET(posix_spawn_file_actions_addopen(&fa, -1, "x", O_RDONLY, 0), EBADF);
  return 0;
}
