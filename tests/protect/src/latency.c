// An interactive process: N times (argument, default 300), sleeps 1 ms (nanosleep:
// poll_oneoff with a relative clock) and measures how late it woke up. Prints
// "p50 P99 MAX" lateness in microseconds and exits 0.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 300;
  if (n < 1) n = 1;
  long long *late = malloc(sizeof *late * n);
  if (!late) return 1;
  for (int i = 0; i < n; i++) {
    struct timespec ms = {0, 1000000};
    long long t0 = now_ns();
    nanosleep(&ms, NULL);
    late[i] = now_ns() - t0 - 1000000;
  }
  qsort(late, n, sizeof *late, cmp);
  printf("p50 %lld p99 %lld max %lld\n", late[n / 2] / 1000, late[(n * 99) / 100] / 1000, late[n - 1] / 1000);
  return 0;
}
