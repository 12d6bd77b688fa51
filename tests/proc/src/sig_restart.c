// With SA_RESTART, a read and a waitpid interrupted by a caught signal are made again
// after the handler and complete.
// test: stdout=read restarted: x (handler ran)\nwaitpid restarted: exited 0 (handler ran)\n
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
  on_signal(SIGALRM, on_alarm, SA_RESTART);

  int p[2];
  posix_spawn_file_actions_t fa;
  stdout_to_pipe(&fa, p);
  pid_t pid = start_helper(&fa, NULL, "sleep-write", "500", "x", NULL);
  posix_spawn_file_actions_destroy(&fa);
  close(p[1]);
  arm_ms(100);
  char buf[8];
  ssize_t n = CHECK_OK(read(p[0], buf, sizeof buf - 1));
  buf[n] = '\0';
  CHECK_EQ(alarms, 1);
  printf("read restarted: %s (handler ran)\n", buf);
  CHECK_EXITED(wait_for(pid), 0);

  pid = start_helper(NULL, NULL, "sleep", "500", NULL);
  arm_ms(100);
  int st;
  CHECK_EQ(waitpid(pid, &st, 0), pid);
  CHECK_EQ(alarms, 2);
  printf("waitpid restarted: %s (handler ran)\n", describe_status(st));
  return 0;
}
