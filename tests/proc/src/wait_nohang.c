// WNOHANG: 0 while the child runs, its pid once it has ended; ECHILD with no children;
// EINVAL for unknown options.
// test: stdout=no children: ECHILD\nrunning: 0\nended: exited 0\nreaped: ECHILD\nbad options: EINVAL\n
#include "proc_test.h"

int main(int argc, char **argv) {
  proc_init(argc, argv);
  int st;
  CHECK_ERR(waitpid(-1, &st, WNOHANG), ECHILD);
  printf("no children: ECHILD\n");
  pid_t pid = start_helper(NULL, NULL, "sleep", "300", NULL);
  CHECK_EQ(waitpid(pid, &st, WNOHANG), 0);
  CHECK_EQ(waitpid(-1, &st, WNOHANG), 0);
  printf("running: 0\n");
  pid_t r = 0;
  long deadline = now_ms() + 5000;
  while ((r = waitpid(pid, &st, WNOHANG)) == 0 && now_ms() < deadline) msleep(20);
  CHECK_EQ(r, pid);
  printf("ended: %s\n", describe_status(st));
  CHECK_ERR(waitpid(pid, &st, WNOHANG), ECHILD);
  printf("reaped: ECHILD\n");
  pid = start_helper(NULL, NULL, "exit", "0", NULL);
  CHECK_ERR(waitpid(pid, &st, 0x4000), EINVAL);
  printf("bad options: EINVAL\n");
  CHECK_EXITED(wait_for(pid), 0);
  return 0;
}
