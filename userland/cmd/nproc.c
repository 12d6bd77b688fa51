/*
 * nproc [--all] [--ignore=N]: the number of processing units available (GNU coreutils):
 * OMP_NUM_THREADS and OMP_THREAD_LIMIT are honoured as GNU does, --ignore subtracts
 * (never below 1). The count comes from sysconf(_SC_NPROCESSORS_ONLN).
 */
#include "opt.h"

static long env_count(const char *name) {
  const char *v = getenv(name);
  if (!v) return 0;
  while (isspace((unsigned char)*v)) v++;
  char *end;
  long n = strtol(v, &end, 10);
  if (end == v) return 0;
  while (isspace((unsigned char)*end) || *end == ',') {
    if (*end == ',') break;
    end++;
  }
  return (*end == 0 || *end == ',') && n > 0 ? n : 0;
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {{"all", 0, 'a'}, {"ignore", 1, 'i'}, {NULL, 0, 0}};
  int all = 0, c;
  long ignore = 0;
  while ((c = opt_next(argc, argv, "", longs)) != -1) {
    switch (c) {
    case 'a': all = 1; break;
    case 'i': {
      long long v;
      if (!parse_ll(opt_arg, &v) || v < 0) {
        warnx("invalid number: %s", quote_loc(opt_arg));
        return 1;
      }
      ignore = (long)v;
      break;
    }
    default: usage_error(NULL); return 1;
    }
  }
  if (opt_ind < argc) {
    usage_error("extra operand %s", quote_loc(argv[opt_ind]));
    return 1;
  }
  long n = sysconf(all ? _SC_NPROCESSORS_CONF : _SC_NPROCESSORS_ONLN);
  if (n < 1) n = 1;
  if (!all) {
    long omp = env_count("OMP_NUM_THREADS"), limit = env_count("OMP_THREAD_LIMIT");
    if (omp) n = omp;
    if (limit && n > limit) n = limit;
  }
  n = n > ignore ? n - ignore : 1;
  printf("%ld\n", n);
  return close_stdout();
}
