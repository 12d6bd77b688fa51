// posix_spawn_file_actions_addclose: the child does not have the descriptor; the others
// it inherits.
// test: stdout=read end, write end: closed open\n
#include "proc_test.h"

int main(int argc, char **argv) {
  proc_init(argc, argv);
  int p[2];
  CHECK_OK(pipe(p));
  char a[16], b[16];
  snprintf(a, sizeof a, "%d", p[0]);
  snprintf(b, sizeof b, "%d", p[1]);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  CHECK_RET(posix_spawn_file_actions_addclose(&fa, p[0]), 0);
  printf("read end, write end: ");
  pid_t pid = start_helper(&fa, NULL, "fdstate", a, b, NULL);
  posix_spawn_file_actions_destroy(&fa);
  CHECK_EXITED(wait_for(pid), 0);
  CHECK_RET(posix_spawn_file_actions_addclose(&fa, -1), EBADF);
  return 0;
}
