// A blocked signal whose action is to ignore (SIGCHLD by default, or SIG_IGN) stays pending
// as on Linux ("blocked signals are never ignored": the handler may change before it is
// unblocked), so a handler installed before unblocking runs. POSIX leaves it unspecified.
// test: stdout=pending while blocked\nhandler ran once\nSIG_IGN while blocked: pending\ndiscarded when set to SIG_IGN\n
#include "proc_test.h"

static volatile sig_atomic_t got;
static void on_chld(int sig) {
  (void)sig;
  got++;
}

int main(int argc, char **argv) {
  proc_init(argc, argv);
  sigset_t chld, pend;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  CHECK_OK(sigprocmask(SIG_BLOCK, &chld, NULL));
  pid_t c = start_helper(NULL, NULL, "exit", "0", NULL);
  int st;
  CHECK(waitpid(c, &st, 0) == c); // it has ended: its SIGCHLD was sent (default action: ignore)
  CHECK_OK(sigpending(&pend));
  CHECK(sigismember(&pend, SIGCHLD));
  printf("pending while blocked\n");
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_chld;
  CHECK_OK(sigaction(SIGCHLD, &sa, NULL));
  CHECK_OK(sigprocmask(SIG_UNBLOCK, &chld, NULL));
  CHECK(got == 1);
  printf("handler ran once\n");

  // Explicitly ignored and blocked: pending too; setting SIG_IGN again discards it (POSIX).
  CHECK(signal(SIGUSR1, SIG_IGN) != SIG_ERR);
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  CHECK_OK(sigprocmask(SIG_BLOCK, &usr1, NULL));
  CHECK_OK(kill(getpid(), SIGUSR1));
  CHECK_OK(sigpending(&pend));
  CHECK(sigismember(&pend, SIGUSR1));
  printf("SIG_IGN while blocked: pending\n");
  CHECK(signal(SIGUSR1, SIG_IGN) != SIG_ERR);
  CHECK_OK(sigpending(&pend));
  CHECK(!sigismember(&pend, SIGUSR1));
  CHECK_OK(sigprocmask(SIG_UNBLOCK, &usr1, NULL));
  printf("discarded when set to SIG_IGN\n");
  return 0;
}
