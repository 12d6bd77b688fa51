// A signal a process sends itself is handled before kill() (or raise()) returns; an
// ignored one does nothing; kill(pid, 0) checks; a bad signal is EINVAL; and at default
// SIGTERM ends the process.
// test: signal=15; stdout=kill: handled before it returned\nraise: handled before it returned\nignored: nothing happened\nkill(self, 0): 0\nkill(self, 99): EINVAL\nnow SIGTERM at default\n
#include "proc_test.h"

static volatile sig_atomic_t got1, got2;
static void on_usr1(int sig) { got1 = sig; }
static void on_usr2(int sig) { got2 = sig; }

int main(int argc, char **argv) {
  proc_init(argc, argv);
  on_signal(SIGUSR1, on_usr1, 0);
  on_signal(SIGUSR2, on_usr2, 0);

  CHECK_OK(kill(getpid(), SIGUSR1));
  CHECK_EQ(got1, SIGUSR1);
  printf("kill: handled before it returned\n");

  CHECK_OK(raise(SIGUSR2));
  CHECK_EQ(got2, SIGUSR2);
  printf("raise: handled before it returned\n");

  got1 = 0;
  CHECK(signal(SIGUSR1, SIG_IGN) == on_usr1);
  CHECK_OK(kill(getpid(), SIGUSR1));
  CHECK_EQ(got1, 0);
  printf("ignored: nothing happened\n");

  printf("kill(self, 0): %d\n", kill(getpid(), 0));
  CHECK_ERR(kill(getpid(), 99), EINVAL);
  printf("kill(self, 99): EINVAL\n");

  printf("now SIGTERM at default\n");
  kill(getpid(), SIGTERM);
  printf("still alive\n");
  return 0;
}
