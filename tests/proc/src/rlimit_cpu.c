// RLIMIT_CPU: past the soft limit the process gets SIGXCPU (which kills by default); a
// process that catches it goes on until the hard limit, where SIGKILL ends it.
// test: stdout=caught: SIGXCPU, then killed by SIGKILL\ndefault: killed by SIGXCPU\n; timeout=20000
#include "proc_test.h"

static volatile sig_atomic_t xcpu;
static volatile unsigned long long spins;

static void on_xcpu(int sig) {
  (void)sig;
  xcpu++;
  write_str(1, "caught: SIGXCPU, then ");
}

static int spin(rlim_t soft, rlim_t hard, int catch) {
  struct rlimit r = {soft, hard};
  CHECK_OK(setrlimit(RLIMIT_CPU, &r));
  if (catch) on_signal(SIGXCPU, on_xcpu, 0);
  for (;;) spins++;
}

static int run(const char *how) {
  char *argv[] = {(char *)proc_argv0, (char *)how, NULL};
  pid_t pid;
  CHECK_RET(posix_spawn(&pid, proc_argv0, NULL, NULL, argv, environ), 0);
  return wait_for(pid);
}

int main(int argc, char **argv) {
  proc_init(argc, argv);
  if (argc == 2 && strcmp(argv[1], "catch") == 0) return spin(1, 2, 1);
  if (argc == 2 && strcmp(argv[1], "default") == 0) return spin(1, 3, 0);
  int st = run("catch");
  CHECK_KILLED(st, SIGKILL);
  printf("killed by SIGKILL\n");
  st = run("default");
  CHECK_KILLED(st, SIGXCPU);
  printf("default: killed by SIGXCPU\n");
  return 0;
}
