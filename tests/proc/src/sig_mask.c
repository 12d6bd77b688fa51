// A blocked signal stays pending (once: standard signals do not queue) and is delivered
// when unblocked, before sigprocmask returns. SIGKILL and SIGSTOP cannot be blocked.
// test: stdout=blocked: not delivered, pending\nunblocked: delivered once before sigprocmask returned\nKILL and STOP never blocked\nbad how: EINVAL\nbad signal: EINVAL\n
#include "proc_test.h"

static volatile sig_atomic_t count;
static void on_usr1(int sig) {
  (void)sig;
  count++;
}

int main(int argc, char **argv) {
  proc_init(argc, argv);
  on_signal(SIGUSR1, on_usr1, 0);

  sigset_t usr1 = set_of(SIGUSR1), old, pending;
  CHECK_OK(sigprocmask(SIG_BLOCK, &usr1, &old));
  CHECK_EQ(sigismember(&old, SIGUSR1), 0);
  CHECK(is_blocked(SIGUSR1));
  CHECK_OK(kill(getpid(), SIGUSR1));
  CHECK_OK(kill(getpid(), SIGUSR1));
  CHECK_EQ(count, 0);
  CHECK_OK(sigpending(&pending));
  CHECK_EQ(sigismember(&pending, SIGUSR1), 1);
  CHECK_EQ(sigismember(&pending, SIGUSR2), 0);
  printf("blocked: not delivered, pending\n");

  CHECK_OK(sigprocmask(SIG_UNBLOCK, &usr1, NULL));
  CHECK_EQ(count, 1);
  CHECK_OK(sigpending(&pending));
  CHECK_EQ(sigismember(&pending, SIGUSR1), 0);
  printf("unblocked: delivered once before sigprocmask returned\n");

  sigset_t all, cur;
  sigfillset(&all);
  CHECK_OK(sigprocmask(SIG_SETMASK, &all, &old));
  CHECK_OK(sigprocmask(SIG_SETMASK, &old, &cur));
  CHECK_EQ(sigismember(&cur, SIGKILL), 0);
  CHECK_EQ(sigismember(&cur, SIGSTOP), 0);
  CHECK_EQ(sigismember(&cur, SIGTERM), 1);
  printf("KILL and STOP never blocked\n");

  CHECK_ERR(sigprocmask(99, &usr1, NULL), EINVAL);
  printf("bad how: EINVAL\n");
  sigset_t s;
  sigemptyset(&s);
  CHECK_ERR(sigaddset(&s, 0), EINVAL);
  CHECK_ERR(sigaddset(&s, 200), EINVAL);
  CHECK_ERR(sigismember(&s, -1), EINVAL);
  printf("bad signal: EINVAL\n");
  return 0;
}
