// getpid and getppid: posix_spawn's pid is the child's getpid(), and the child's
// getppid() is the caller. In the kernel this program is PID 1 and its parent is the host
// (0).
// test: stdout=child's pid is the one posix_spawn returned\nchild's parent is me\n
#include "proc_test.h"

int main(int argc, char **argv) {
  proc_init(argc, argv);
#ifdef __wasi__
  CHECK_EQ(getpid(), 1);
  CHECK_EQ(getppid(), 0);
#endif
  int st;
  int pid = 0, ppid = 0;
  int p[2];
  posix_spawn_file_actions_t fa;
  stdout_to_pipe(&fa, p);
  pid_t child = start_helper(&fa, NULL, "ids-raw", NULL);
  posix_spawn_file_actions_destroy(&fa);
  close(p[1]);
  char *out = read_all(p[0]);
  st = wait_for(child);
  CHECK_EXITED(st, 0);
  CHECK(sscanf(out, "%d %d", &pid, &ppid) == 2);
  CHECK_EQ(pid, child);
  printf("child's pid is the one posix_spawn returned\n");
  CHECK_EQ(ppid, getpid());
  printf("child's parent is me\n");
  return 0;
}
