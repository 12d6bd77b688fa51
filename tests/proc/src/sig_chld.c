// A child that ends sends SIGCHLD to its parent; the parent then reaps it with waitpid.
// test: stdout=SIGCHLD caught\nchild exited 3\n
#include "proc_test.h"

static volatile sig_atomic_t got;
static void on_chld(int sig) { got = sig; }

int main(int argc, char **argv) {
  proc_init(argc, argv);
  on_signal(SIGCHLD, on_chld, 0);
  sigset_t chld = set_of(SIGCHLD), old;
  CHECK_OK(sigprocmask(SIG_BLOCK, &chld, &old));
  pid_t pid = start_helper(NULL, NULL, "exit", "3", NULL);
  long deadline = now_ms() + 5000;
  while (!got && now_ms() < deadline) sigsuspend(&old);
  CHECK_EQ(got, SIGCHLD);
  printf("SIGCHLD caught\n");
  int st;
  CHECK_EQ(waitpid(pid, &st, 0), pid);
  printf("child %s\n", describe_status(st));
  return 0;
}
