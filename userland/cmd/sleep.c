/*
 * sleep NUMBER[SUFFIX]...: waits for the sum of the times. NUMBER may be fractional (or
 * "inf"); SUFFIX s (seconds, the default), m, h or d, as GNU coreutils' sleep.
 */
#include "opt.h"

#include <math.h>
#include <time.h>

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  int c;
  while ((c = opt_next(argc, argv, "", NULL)) != -1) {
    usage_error(NULL);
    return 1;
  }
  if (opt_ind >= argc) {
    usage_error("missing operand");
    return 1;
  }
  double total = 0;
  int bad = 0;
  for (int i = opt_ind; i < argc; i++) {
    char *end;
    const char *a = argv[i];
    double v = strtod(a, &end);
    int ok = end != a && !isspace((unsigned char)a[0]) && v >= 0 && !isnan(v);
    if (ok && *end) {
      double mul = 0;
      if (end[1] == 0) {
        switch (*end) {
        case 's': mul = 1; break;
        case 'm': mul = 60; break;
        case 'h': mul = 3600; break;
        case 'd': mul = 86400; break;
        }
      }
      if (mul == 0) ok = 0;
      v *= mul;
    }
    if (!ok) {
      warnx("invalid time interval %s", quote_loc(a));
      bad = 1;
    }
    total += v;
  }
  if (bad) {
    usage_error(NULL);
    return 1;
  }
  /* Long sleeps go in slices that fit a timespec comfortably. */
  while (total > 0) {
    double slice = total > 1e9 ? 1e9 : total;
    struct timespec ts = {(time_t)slice, (long)((slice - floor(slice)) * 1e9)};
    struct timespec rem;
    while (nanosleep(&ts, &rem) != 0) {
      if (errno != EINTR) {
        warne(errno, "cannot read realtime clock");
        return 1;
      }
      ts = rem;
    }
    if (isinf(total)) continue;
    total -= slice;
  }
  return 0;
}
