// sigsuspend waits with a temporary mask until a signal is caught, returns -1 EINTR after
// the handler, and puts the old mask back. The signal comes from a child (kill(getppid())).
// test: stdout=sigsuspend: EINTR after the handler\nold mask back: SIGUSR1 blocked\n
#include "proc_test.h"

static volatile sig_atomic_t got;
static void on_usr1(int sig) { got = sig; }

int main(int argc, char **argv) {
  proc_init(argc, argv);
  on_signal(SIGUSR1, on_usr1, 0);
  sigset_t usr1 = set_of(SIGUSR1), none;
  CHECK_OK(sigprocmask(SIG_BLOCK, &usr1, NULL));

  char sig[8];
  snprintf(sig, sizeof sig, "%d", SIGUSR1);
  pid_t pid = start_helper(NULL, NULL, "kill-parent", sig, NULL);
  sigemptyset(&none);
  CHECK_ERR(sigsuspend(&none), EINTR);
  CHECK_EQ(got, SIGUSR1);
  printf("sigsuspend: EINTR after the handler\n");
  CHECK(is_blocked(SIGUSR1));
  printf("old mask back: SIGUSR1 blocked\n");
  CHECK_EXITED(wait_for(pid), 0);
  return 0;
}
