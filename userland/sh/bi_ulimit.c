/* ulimit: the resource limits of the shell and so of the commands it starts (children
 * inherit their parent's limits), as dash has it:
 *
 *   ulimit [-H|-S] [-a | -t|-f|-d|-s|-c|-m|-l|-p|-n|-v|-w|-r] [LIMIT | unlimited]
 *
 * -f (file size, in 512-byte blocks) is the default resource. Setting without -H or -S sets
 * both the soft and the hard limit; showing without -H shows the soft one. Units are dash's:
 * blocks of 512 bytes for file and core sizes, KiB for memory sizes, seconds for CPU time.
 * The kernel enforces CPU time, file size, memory (data and vmemory are the same limit: a
 * process's linear memory), core size, processes per user and open files; the others read
 * as Linux reports them and cannot be set (EINVAL, "error setting limit"). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <isokernel.h>

#include "sh.h"

struct limit {
  char opt;
  const char *name; /* as ulimit -a prints it */
  int resource;
  rlim_t unit;
};

static const struct limit limits[] = {
  {'t', "time(seconds)", RLIMIT_CPU, 1},
  {'f', "file(blocks)", RLIMIT_FSIZE, 512},
  {'d', "data(kbytes)", RLIMIT_DATA, 1024},
  {'s', "stack(kbytes)", RLIMIT_STACK, 1024},
  {'c', "coredump(blocks)", RLIMIT_CORE, 512},
  {'m', "memory(kbytes)", RLIMIT_RSS, 1024},
  {'l', "locked memory(kbytes)", RLIMIT_MEMLOCK, 1024},
  {'p', "process", RLIMIT_NPROC, 1},
  {'n', "nofiles", RLIMIT_NOFILE, 1},
  {'v', "vmemory(kbytes)", RLIMIT_AS, 1024},
  {'w', "locks", RLIMIT_LOCKS, 1},
  {'r', "rtprio", RLIMIT_RTPRIO, 1},
};
#define NLIMITS (sizeof limits / sizeof limits[0])

static void show(const struct limit *l, int hard, int with_name) {
  struct rlimit rl;
  char line[96];
  const char *what = "unlimited";
  char num[32];
  if (getrlimit(l->resource, &rl) != 0) {
    bi_error("ulimit", "%s", strerror(errno));
    return;
  }
  rlim_t v = hard ? rl.rlim_max : rl.rlim_cur;
  if (v != RLIM_INFINITY) {
    snprintf(num, sizeof num, "%llu", (unsigned long long)(v / l->unit));
    what = num;
  }
  if (with_name) snprintf(line, sizeof line, "%-20s %s\n", l->name, what);
  else snprintf(line, sizeof line, "%s\n", what);
  out_str(1, line);
}

int bi_ulimit(int argc, char **argv) {
  int hard = 0, soft = 0, all = 0;
  const struct limit *which = &limits[1]; /* -f */
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    for (const char *o = argv[i] + 1; *o; o++) {
      if (*o == 'H') hard = 1;
      else if (*o == 'S') soft = 1;
      else if (*o == 'a') all = 1;
      else {
        const struct limit *l = NULL;
        for (size_t k = 0; k < NLIMITS; k++)
          if (limits[k].opt == *o) l = &limits[k];
        if (!l) {
          bi_error("ulimit", "Illegal option -%c", *o);
          return 2;
        }
        which = l;
      }
    }
  }
  if (all) {
    for (size_t k = 0; k < NLIMITS; k++) show(&limits[k], hard && !soft, 1);
    return 0;
  }
  if (i >= argc) {
    show(which, hard && !soft, 0);
    return 0;
  }
  const char *arg = argv[i];
  rlim_t value;
  if (strcmp(arg, "unlimited") == 0) {
    value = RLIM_INFINITY;
  } else {
    uintmax_t n = 0;
    const char *p = arg;
    if (*p == '\0') {
      bi_error("ulimit", "bad number");
      return 2;
    }
    for (; *p; p++) {
      if (*p < '0' || *p > '9' || n > (UINTMAX_MAX - 9) / 10) {
        bi_error("ulimit", "bad number");
        return 2;
      }
      n = n * 10 + (uintmax_t)(*p - '0');
    }
    if (n > (uintmax_t)(RLIM_INFINITY - 1) / which->unit) {
      bi_error("ulimit", "bad number");
      return 2;
    }
    value = (rlim_t)n * which->unit;
  }
  struct rlimit rl;
  if (getrlimit(which->resource, &rl) != 0) {
    bi_error("ulimit", "error getting limit (%s)", strerror(errno));
    return 2;
  }
  if (hard || !soft) rl.rlim_max = value;
  if (soft || !hard) rl.rlim_cur = value;
  if (setrlimit(which->resource, &rl) != 0) {
    bi_error("ulimit", "error setting limit (%s)", strerror(errno));
    return 2;
  }
  return 0;
}
