// A child that has ended stays (a zombie) until its parent waits for it: kill(pid, 0)
// still finds it; once reaped, its pid is gone (ESRCH) and waiting again is ECHILD.
// test: stdout=ended child still there: kill(pid, 0) = 0\nreaped: exited 7\nafter: ESRCH, ECHILD\n
#include "proc_test.h"

int main(int argc, char **argv) {
  proc_init(argc, argv);
  // The child's end of a pipe closes when it exits: EOF says it has ended.
  int p[2];
  posix_spawn_file_actions_t fa;
  stdout_to_pipe(&fa, p);
  pid_t pid = start_helper(&fa, NULL, "exit", "7", NULL);
  posix_spawn_file_actions_destroy(&fa);
  close(p[1]);
  free(read_all(p[0]));
  msleep(100);
  printf("ended child still there: kill(pid, 0) = %d\n", kill(pid, 0));
  int st;
  CHECK_EQ(waitpid(pid, &st, 0), pid);
  printf("reaped: %s\n", describe_status(st));
  CHECK_ERR(kill(pid, 0), ESRCH);
  CHECK_ERR(waitpid(pid, &st, 0), ECHILD);
  printf("after: ESRCH, ECHILD\n");
  return 0;
}
