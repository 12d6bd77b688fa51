/*
 * mkdir [-p] [-m MODE] [-v] DIR...: creates directories (POSIX). -p creates missing parents
 * and accepts existing directories; -m sets the mode (octal or symbolic, from a=rwx);
 * -v says what it created (GNU).
 */
#include "mode.h"
#include "opt.h"

#include <sys/stat.h>

static int verbose;
static long want_mode = -1;

/* mkdir(2), then chmod to the mode asked for: WASI's mkdir takes no mode (the kernel
 * applies the umask to 0777). */
static int make_dir(const char *path) {
  if (mkdir(path, 0777) != 0) return -1;
  if (want_mode >= 0 && chmod(path, (mode_t)want_mode) != 0) {
    warne(errno, "cannot set permissions of %s", quote(path));
    return 0;
  }
  return 0;
}

static int make_parents(const char *path) {
  char *p = xstrdup(path);
  int status = 0;
  for (char *s = p + 1; *s; s++) {
    if (*s != '/' || s[-1] == '/') continue;
    *s = 0;
    struct stat st;
    if (stat(p, &st) != 0) {
      if (mkdir(p, 0777) != 0 && errno != EEXIST) {
        warne(errno, "cannot create directory %s", quote_loc(p));
        status = 1;
        break;
      }
      if (verbose) printf("%s: created directory %s\n", progname, quote(p));
    } else if (!S_ISDIR(st.st_mode)) {
      warne(ENOTDIR, "cannot create directory %s", quote_loc(p));
      status = 1;
      break;
    }
    *s = '/';
  }
  free(p);
  return status;
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {
      {"parents", 0, 'p'}, {"mode", 1, 'm'}, {"verbose", 0, 'v'}, {NULL, 0, 0}};
  int parents = 0, c;
  const char *mode = NULL;
  while ((c = opt_next(argc, argv, "pm:v", longs)) != -1) {
    switch (c) {
    case 'p': parents = 1; break;
    case 'm': mode = opt_arg; break;
    case 'v': verbose = 1; break;
    default: usage_error(NULL); return 1;
    }
  }
  if (opt_ind >= argc) {
    usage_error("missing operand");
    return 1;
  }
  if (mode) {
    mode_t um = umask(0);
    umask(um);
    want_mode = mode_apply(mode, 0777, 1, um);
    if (want_mode < 0) {
      warnx("invalid mode %s", quote_loc(mode));
      return 1;
    }
  }
  int status = 0;
  for (int i = opt_ind; i < argc; i++) {
    const char *path = argv[i];
    if (parents && make_parents(path) != 0) {
      status = 1;
      continue;
    }
    if (make_dir(path) != 0) {
      int e = errno;
      struct stat st;
      if (parents && e == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) continue;
      warne(e, "cannot create directory %s", quote_loc(path));
      status = 1;
      continue;
    }
    if (verbose) printf("%s: created directory %s\n", progname, quote(path));
  }
  if (close_stdout()) return 1;
  return status;
}
