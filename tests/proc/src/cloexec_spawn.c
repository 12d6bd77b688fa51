// Close-on-exec decides what a spawned child inherits: FD_CLOEXEC set with fcntl, cleared
// by dup, dup2 and F_DUPFD, set by F_DUPFD_CLOEXEC, O_CLOEXEC on open, pipe2 and dup3.
// test: stdout=F_GETFD: 1 0 1 0 0 1 1 1 1\nchild sees: closed open closed open open closed closed closed closed\n
#include "proc_test.h"

int main(int argc, char **argv) {
  proc_init(argc, argv);
  int fds[9];
  fds[0] = CHECK_OK(open(proc_argv0, O_RDONLY));
  CHECK_OK(fcntl(fds[0], F_SETFD, FD_CLOEXEC)); // set
  fds[1] = CHECK_OK(dup(fds[0]));                // dup: clear
  fds[2] = CHECK_OK(fcntl(fds[0], F_DUPFD_CLOEXEC, 0));
  fds[3] = CHECK_OK(fcntl(fds[0], F_DUPFD, 0));
  fds[4] = CHECK_OK(dup2(fds[0], 60));           // dup2: clear
  fds[5] = CHECK_OK(open(proc_argv0, O_RDONLY | O_CLOEXEC));
  int p[2];
  CHECK_OK(pipe2(p, O_CLOEXEC));
  fds[6] = p[0];
  fds[7] = p[1];
  fds[8] = CHECK_OK(dup3(fds[1], 61, O_CLOEXEC));

  printf("F_GETFD:");
  char *args[12];
  char nums[9][16];
  int n = 0;
  args[n++] = "fdstate";
  for (int i = 0; i < 9; i++) {
    printf(" %ld", CHECK_OK(fcntl(fds[i], F_GETFD)));
    snprintf(nums[i], sizeof nums[i], "%d", fds[i]);
    args[n++] = nums[i];
  }
  printf("\n");
  printf("child sees: ");
  pid_t pid = start_helper(NULL, NULL, args[0], args[1], args[2], args[3], args[4], args[5], args[6],
                           args[7], args[8], args[9], NULL);
  CHECK_EXITED(wait_for(pid), 0);
  return 0;
}
