/*
 * rmdir [-p] [-v] [--ignore-fail-on-non-empty] DIR...: removes empty directories (POSIX).
 * -p removes each parent named in the path too; -v says so (GNU).
 */
#include "opt.h"

static int verbose, ignore_nonempty;

/* Removes PATH; PARENT: it is a parent named by -p (GNU words its failure differently). */
static int remove_dir(const char *path, int parent) {
  if (verbose) printf("%s: removing directory, %s\n", progname, quote(path));
  if (rmdir(path) == 0) return 0;
  int e = errno;
  if (ignore_nonempty && (e == ENOTEMPTY || e == EEXIST)) return 1;
  warne(e, parent ? "failed to remove directory %s" : "failed to remove %s", quote(path));
  return -1;
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  enum { IGNORE = 256 };
  static const struct longopt longs[] = {{"parents", 0, 'p'}, {"verbose", 0, 'v'},
                                         {"ignore-fail-on-non-empty", 0, IGNORE}, {NULL, 0, 0}};
  int parents = 0, c, status = 0;
  while ((c = opt_next(argc, argv, "pv", longs)) != -1) {
    switch (c) {
    case 'p': parents = 1; break;
    case 'v': verbose = 1; break;
    case IGNORE: ignore_nonempty = 1; break;
    default: usage_error(NULL); return 1;
    }
  }
  if (opt_ind >= argc) {
    usage_error("missing operand");
    return 1;
  }
  for (int i = opt_ind; i < argc; i++) {
    int r = remove_dir(argv[i], 0);
    if (r < 0) {
      status = 1;
      continue;
    }
    if (!parents || r > 0) continue;
    char *p = xstrdup(argv[i]);
    for (;;) {
      size_t n = strlen(p);
      while (n > 1 && p[n - 1] == '/') p[--n] = 0;
      char *slash = strrchr(p, '/');
      if (!slash || slash == p) break;
      while (slash > p && slash[-1] == '/') slash--;
      *slash = 0;
      r = remove_dir(p, 1);
      if (r != 0) {
        if (r < 0) status = 1;
        break;
      }
    }
    free(p);
  }
  if (close_stdout()) return 1;
  return status;
}
