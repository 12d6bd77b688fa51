// alarm: SIGALRM after the seconds asked; a new alarm replaces the old one and returns the
// seconds it had left; alarm(0) cancels; at default, SIGALRM ends the process.
// test: stdout=no alarm: 0\nalarm(3) after alarm(5): 5\nalarm(0): 3\npause: EINTR after SIGALRM, about 1 s\nat default: killed by signal 14\n
#include "proc_test.h"

static volatile sig_atomic_t alarms;
static void on_alarm(int sig) {
  (void)sig;
  alarms++;
}

int main(int argc, char **argv) {
  proc_init(argc, argv);
  on_signal(SIGALRM, on_alarm, 0);
  printf("no alarm: %u\n", alarm(0));
  CHECK_EQ(alarm(5), 0);
  printf("alarm(3) after alarm(5): %u\n", alarm(3));
  printf("alarm(0): %u\n", alarm(0));

  long start = now_ms();
  alarm(1);
  CHECK_ERR(pause(), EINTR);
  long took = now_ms() - start;
  CHECK_EQ(alarms, 1);
  if (took < 900 || took > 3000) FAIL("alarm(1) fired after %ld ms", took);
  printf("pause: EINTR after SIGALRM, about 1 s\n");

  pid_t pid = start_helper(NULL, NULL, "alarm-default", NULL);
  printf("at default: %s\n", describe_status(wait_for(pid)));
  return 0;
}
