/* Shared by bench.c, spawn.c and proc.c (native and WASI builds): time a loop body that
 * runs `n` operations, calibrating n so that one repetition takes about 200 ms, then run
 * REPS repetitions and take the median cost of one operation: measure() prints it as
 * `NAME NS` on stdout, measure_ns() returns it. */
#ifndef BENCH_MEASURE_H
#define BENCH_MEASURE_H
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define REPS 5
#define TARGET_NS 2e8     /* one repetition */
#define CALIBRATED_NS 2e7 /* stop growing n once a trial run takes this long */

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Runs fn(n) calibrated; returns the median ns per op. */
static double measure_ns(void (*fn)(long n)) {
  long n = 1;
  double t;
  for (;;) {
    double t0 = now_ns();
    fn(n);
    t = now_ns() - t0;
    if (t >= CALIBRATED_NS) break;
    n *= 4;
  }
  n = (long)((double)n * (TARGET_NS / t));
  if (n < 1) n = 1;
  double per_op[REPS];
  for (int i = 0; i < REPS; i++) {
    double t0 = now_ns();
    fn(n);
    per_op[i] = (now_ns() - t0) / (double)n;
  }
  qsort(per_op, REPS, sizeof per_op[0], cmp_double);
  return per_op[REPS / 2];
}

/* Runs fn(n) calibrated; prints "name median_ns_per_op". */
static void measure(const char *name, void (*fn)(long n)) {
  printf("%s %.2f\n", name, measure_ns(fn));
  fflush(stdout);
}
#endif
