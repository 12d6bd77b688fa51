// posix_spawn_file_actions_adddup2: the child's descriptor refers to the parent's open
// file; dup2 of a descriptor onto itself clears close-on-exec; a bad source is EBADF.
// test: stdout=through the pipe: via dup2\nfd onto itself, close-on-exec cleared: open\nbad fd: EBADF\n
#include "proc_test.h"

int main(int argc, char **argv) {
  proc_init(argc, argv);
  int p[2];
  CHECK_OK(pipe(p));
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  CHECK_RET(posix_spawn_file_actions_adddup2(&fa, p[1], 1), 0);
  posix_spawn_file_actions_addclose(&fa, p[0]);
  posix_spawn_file_actions_addclose(&fa, p[1]);
  pid_t pid = start_helper(&fa, NULL, "echo", "via", "dup2", NULL);
  posix_spawn_file_actions_destroy(&fa);
  close(p[1]);
  printf("through the pipe: %s", read_all(p[0]));
  CHECK_EXITED(wait_for(pid), 0);
  close(p[0]);

  CHECK_OK(pipe(p));
  CHECK_OK(fcntl(p[1], F_SETFD, FD_CLOEXEC));
  char b[16];
  snprintf(b, sizeof b, "%d", p[1]);
  posix_spawn_file_actions_init(&fa);
  CHECK_RET(posix_spawn_file_actions_adddup2(&fa, p[1], p[1]), 0);
  printf("fd onto itself, close-on-exec cleared: ");
  pid = start_helper(&fa, NULL, "fdstate", b, NULL);
  posix_spawn_file_actions_destroy(&fa);
  CHECK_EXITED(wait_for(pid), 0);

  posix_spawn_file_actions_init(&fa);
  CHECK_RET(posix_spawn_file_actions_adddup2(&fa, 900, 1), 0);
  CHECK_RET(spawn_helper(&pid, &fa, NULL, "exit", "0", NULL), EBADF);
  posix_spawn_file_actions_destroy(&fa);
  CHECK_RET(posix_spawn_file_actions_adddup2(&fa, -1, 1), EBADF);
  printf("bad fd: EBADF\n");
  return 0;
}
