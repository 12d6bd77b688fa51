/* Native process benchmarks (gcc -O2), the baseline for isokernel's spawn and idle memory.
 *
 *   spawn run BINARY      posix_spawn + waitpid of BINARY (stdout to /dev/null), calibrated
 *                         like bench.c; prints `spawn_hello NS_PER_SPAWN`
 *   spawn idle BINARY N   starts N copies of BINARY (the sleeper) and, once they are idle,
 *                         prints `idle_memory KIB_EACH`: the growth of the system's memory
 *                         (AnonPages+PageTables+KernelStack+Slab in /proc/meminfo) / N,
 *                         median of 3 rounds; then kills them. */
#define _GNU_SOURCE
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>
#include "measure.h"

extern char **environ;
static const char *binary;
static posix_spawn_file_actions_t quiet; /* stdout -> /dev/null */

static pid_t start(char *arg) {
  char *argv[] = {(char *)binary, arg, NULL};
  pid_t pid;
  int err = posix_spawn(&pid, binary, &quiet, NULL, argv, environ);
  if (err) { fprintf(stderr, "posix_spawn %s: %s\n", binary, strerror(err)); exit(1); }
  return pid;
}

static void reap(pid_t pid, int expect_signal) {
  int st;
  if (waitpid(pid, &st, 0) != pid) { perror("waitpid"); exit(1); }
  int ok = expect_signal ? WIFSIGNALED(st) : WIFEXITED(st) && WEXITSTATUS(st) == 0;
  if (!ok) { fprintf(stderr, "spawn: child %d ended with status %#x\n", (int)pid, st); exit(1); }
}

static void op_spawn(long n) {
  for (long i = 0; i < n; i++) reap(start(NULL), 0);
}

/* System memory that grows with processes, in KiB. */
static long system_kib(void) {
  static const char *fields[] = {"AnonPages:", "PageTables:", "KernelStack:", "Slab:"};
  FILE *f = fopen("/proc/meminfo", "r");
  if (!f) { perror("/proc/meminfo"); exit(1); }
  char key[64];
  long value, total = 0;
  while (fscanf(f, "%63s %ld kB\n", key, &value) == 2)
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
      if (!strcmp(key, fields[i])) total += value;
  fclose(f);
  return total;
}

static void idle(long count) {
  enum { ROUNDS = 3 };
  pid_t *pids = calloc((size_t)count, sizeof *pids);
  double each[ROUNDS];
  for (int r = 0; r < ROUNDS; r++) {
    long before = system_kib();
    for (long i = 0; i < count; i++) pids[i] = start(NULL); /* no args: sleeps forever */
    usleep(500 * 1000);
    each[r] = (double)(system_kib() - before) / (double)count;
    for (long i = 0; i < count; i++) kill(pids[i], SIGKILL);
    for (long i = 0; i < count; i++) reap(pids[i], 1);
    usleep(200 * 1000);
  }
  qsort(each, ROUNDS, sizeof each[0], cmp_double);
  printf("idle_memory %.2f\n", each[ROUNDS / 2]);
  free(pids);
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: spawn run|idle BINARY [N]\n"); return 2; }
  binary = argv[2];
  posix_spawn_file_actions_init(&quiet);
  int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (devnull < 0) { perror("/dev/null"); return 1; }
  posix_spawn_file_actions_adddup2(&quiet, devnull, 1);
  if (!strcmp(argv[1], "run")) measure("spawn_hello", op_spawn);
  else if (!strcmp(argv[1], "idle") && argc > 3) idle(atol(argv[3]));
  else { fprintf(stderr, "usage: spawn run|idle BINARY [N]\n"); return 2; }
  return 0;
}
