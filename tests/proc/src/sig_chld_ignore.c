// With SIGCHLD set to SIG_IGN, children are reaped as they end and never become zombies:
// wait blocks until they are all gone, then fails with ECHILD.
// test: stdout=wait: ECHILD, the children were reaped\n
#include "proc_test.h"

int main(int argc, char **argv) {
  proc_init(argc, argv);
  CHECK(signal(SIGCHLD, SIG_IGN) != SIG_ERR);
  pid_t a = start_helper(NULL, NULL, "sleep", "100", NULL);
  pid_t b = start_helper(NULL, NULL, "exit", "0", NULL);
  int st;
  CHECK_ERR(wait(&st), ECHILD);
  CHECK_ERR(kill(a, 0), ESRCH);
  CHECK_ERR(kill(b, 0), ESRCH);
  printf("wait: ECHILD, the children were reaped\n");
  return 0;
}
