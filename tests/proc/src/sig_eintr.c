// A blocking call interrupted by a caught signal (handler installed without SA_RESTART)
// fails with EINTR, after the handler has run: read on an empty pipe, waitpid, and
// nanosleep (which is never restarted).
// test: stdout=read: EINTR after the handler\nwaitpid: EINTR after the handler\nnanosleep: EINTR after the handler\n
#include "proc_test.h"

static volatile sig_atomic_t alarms;
static void on_alarm(int sig) {
  (void)sig;
  alarms++;
}

static void arm_ms(long ms) {
  struct itimerval it = {{0, 0}, {ms / 1000, (ms % 1000) * 1000}};
  CHECK_OK(setitimer(ITIMER_REAL, &it, NULL));
}

int main(int argc, char **argv) {
  proc_init(argc, argv);
  on_signal(SIGALRM, on_alarm, 0);

  int p[2];
  CHECK_OK(pipe(p));
  char c;
  arm_ms(100);
  CHECK_ERR(read(p[0], &c, 1), EINTR);
  CHECK_EQ(alarms, 1);
  printf("read: EINTR after the handler\n");

  pid_t pid = start_helper(NULL, NULL, "sleep", "5000", NULL);
  int st;
  arm_ms(100);
  CHECK_ERR(waitpid(pid, &st, 0), EINTR);
  CHECK_EQ(alarms, 2);
  printf("waitpid: EINTR after the handler\n");
  CHECK_OK(kill(pid, SIGKILL));
  CHECK_KILLED(wait_for(pid), SIGKILL);

  struct timespec ts = {5, 0};
  arm_ms(100);
  CHECK_ERR(nanosleep(&ts, NULL), EINTR);
  CHECK_EQ(alarms, 3);
  printf("nanosleep: EINTR after the handler\n");
  return 0;
}
