// burn MS: computes, making no system calls but clock reads, until its own CPU clock says MS
// milliseconds have passed; then prints `burned_ns N` (what its clock says it burned) and
// copies /proc/self/acct to stdout, and exits 0.
// Exit 2: bad usage; 3: a clock read failed; 4: /proc/self/acct could not be read.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long cpu_ns(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0) exit(3);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: burn MS\n");
    return 2;
  }
  long long start = cpu_ns();
  long long until = start + atoll(argv[1]) * 1000000LL;
  volatile unsigned x = 1;
  while (cpu_ns() < until) {
    for (int i = 0; i < 200000; i++) x = x * 1664525u + 1013904223u;
  }
  long long end = cpu_ns();
  printf("burned_ns %lld\n", end - start);
  fflush(stdout);
  FILE *f = fopen("/proc/self/acct", "r");
  if (!f) return 4;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, stdout);
  fclose(f);
  return 0;
}
