// sigaction's flags and masks: SA_RESETHAND, sa_mask and the signal itself blocked during
// the handler (not with SA_NODEFER), SA_SIGINFO's siginfo, signal()'s return value, and
// the signals that cannot be caught.
// test: stdout=SA_RESETHAND: back to SIG_DFL after one delivery\nduring the handler: USR1 blocked, USR2 blocked\nafter it: neither\nSA_NODEFER: USR1 not blocked during its handler\nSA_SIGINFO: si_signo=12 si_code=SI_USER\nsignal() returns the previous handler\nKILL, STOP, 0 and 65: EINVAL\n
#include "proc_test.h"

static volatile sig_atomic_t count, usr1_blocked, usr2_blocked, info_signo, info_code = -99;

static void plain(int sig) {
  (void)sig;
  count++;
}
static void look_at_mask(int sig) {
  (void)sig;
  usr1_blocked = is_blocked(SIGUSR1);
  usr2_blocked = is_blocked(SIGUSR2);
}
static void with_info(int sig, siginfo_t *info, void *ctx) {
  (void)sig;
  (void)ctx;
  info_signo = info->si_signo;
  info_code = info->si_code;
}

int main(int argc, char **argv) {
  proc_init(argc, argv);
  struct sigaction sa, old;

  on_signal(SIGUSR1, plain, SA_RESETHAND);
  CHECK_OK(kill(getpid(), SIGUSR1));
  CHECK_EQ(count, 1);
  CHECK_OK(sigaction(SIGUSR1, NULL, &old));
  CHECK(old.sa_handler == SIG_DFL);
  printf("SA_RESETHAND: back to SIG_DFL after one delivery\n");

  memset(&sa, 0, sizeof sa);
  sa.sa_handler = look_at_mask;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGUSR2);
  CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
  CHECK_OK(kill(getpid(), SIGUSR1));
  printf("during the handler: USR1 %s, USR2 %s\n", usr1_blocked ? "blocked" : "not blocked",
         usr2_blocked ? "blocked" : "not blocked");
  printf("after it: %s\n", is_blocked(SIGUSR1) || is_blocked(SIGUSR2) ? "still blocked" : "neither");

  on_signal(SIGUSR1, look_at_mask, SA_NODEFER);
  usr1_blocked = 1;
  CHECK_OK(kill(getpid(), SIGUSR1));
  CHECK_EQ(usr1_blocked, 0);
  printf("SA_NODEFER: USR1 not blocked during its handler\n");

  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = with_info;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_SIGINFO;
  CHECK_OK(sigaction(SIGUSR2, &sa, NULL));
  CHECK_OK(kill(getpid(), SIGUSR2));
  CHECK_EQ(info_code, SI_USER);
  printf("SA_SIGINFO: si_signo=%d si_code=%s\n", (int)info_signo, info_code == SI_USER ? "SI_USER" : "?");
  CHECK_OK(sigaction(SIGUSR2, NULL, &old));
  CHECK(old.sa_flags & SA_SIGINFO);
  CHECK(old.sa_sigaction == with_info);

  CHECK(signal(SIGTERM, plain) == SIG_DFL);
  CHECK(signal(SIGTERM, SIG_IGN) == plain);
  CHECK(signal(SIGTERM, SIG_DFL) == SIG_IGN);
  printf("signal() returns the previous handler\n");

  memset(&sa, 0, sizeof sa);
  sa.sa_handler = plain;
  CHECK_ERR(sigaction(SIGKILL, &sa, NULL), EINVAL);
  CHECK_ERR(sigaction(SIGSTOP, &sa, NULL), EINVAL);
  sa.sa_handler = SIG_IGN;
  CHECK_ERR(sigaction(SIGKILL, &sa, NULL), EINVAL);
  CHECK_ERR(sigaction(0, &sa, NULL), EINVAL);
  CHECK_ERR(sigaction(65, &sa, NULL), EINVAL);
  CHECK(signal(SIGKILL, plain) == SIG_ERR);
  printf("KILL, STOP, 0 and 65: EINVAL\n");
  return 0;
}
