// setitimer/getitimer with ITIMER_REAL: a periodic SIGALRM, the interval and time left
// read back, stopping it, alarm() sharing the timer, and the errors.
// test: stdout=old timer: none\nrunning: interval 50000 us, value in (0, 50000] us\n3 ticks\nstopped: old interval 50000 us\ngetitimer after stop: 0 0\nalarm(10) seen by getitimer: 9 or 10 s\nbad times and timers: EINVAL\n
#include "proc_test.h"

static volatile sig_atomic_t ticks;
static void on_alarm(int sig) {
  (void)sig;
  ticks++;
}

int main(int argc, char **argv) {
  proc_init(argc, argv);
  on_signal(SIGALRM, on_alarm, 0);
  struct itimerval it = {{0, 50000}, {0, 50000}}, old, cur;
  CHECK_OK(setitimer(ITIMER_REAL, &it, &old));
  CHECK(old.it_value.tv_sec == 0 && old.it_value.tv_usec == 0);
  printf("old timer: none\n");
  CHECK_OK(getitimer(ITIMER_REAL, &cur));
  CHECK(cur.it_interval.tv_sec == 0 && cur.it_interval.tv_usec == 50000);
  CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec > 0 && cur.it_value.tv_usec <= 50000);
  printf("running: interval 50000 us, value in (0, 50000] us\n");
  long deadline = now_ms() + 5000;
  while (ticks < 3 && now_ms() < deadline) pause();
  CHECK(ticks >= 3);
  printf("3 ticks\n");

  struct itimerval zero = {{0, 0}, {0, 0}};
  CHECK_OK(setitimer(ITIMER_REAL, &zero, &old));
  CHECK(old.it_interval.tv_sec == 0 && old.it_interval.tv_usec == 50000);
  printf("stopped: old interval 50000 us\n");
  CHECK_OK(getitimer(ITIMER_REAL, &cur));
  printf("getitimer after stop: %ld %ld\n", (long)cur.it_value.tv_sec, (long)cur.it_value.tv_usec);

  alarm(10);
  CHECK_OK(getitimer(ITIMER_REAL, &cur));
  CHECK(cur.it_value.tv_sec == 9 || (cur.it_value.tv_sec == 10 && cur.it_value.tv_usec == 0));
  printf("alarm(10) seen by getitimer: 9 or 10 s\n");
  alarm(0);

  struct itimerval bad = {{0, 0}, {0, 1000000}};
  CHECK_ERR(setitimer(ITIMER_REAL, &bad, NULL), EINVAL);
  bad.it_value.tv_usec = -1;
  CHECK_ERR(setitimer(ITIMER_REAL, &bad, NULL), EINVAL);
  CHECK_ERR(setitimer(99, &it, NULL), EINVAL);
  CHECK_ERR(getitimer(99, &cur), EINVAL);
  printf("bad times and timers: EINVAL\n");
  return 0;
}
