/*
 * mktemp [-d] [-u] [-q] [-p DIR] [-t] [--suffix=SUFF] [TEMPLATE]: creates a file (or with -d
 * a directory) with a unique name and prints it (GNU coreutils). TEMPLATE ends in at least
 * three X's, replaced by random letters and digits (default tmp.XXXXXXXXXX, in $TMPDIR or
 * /tmp). Files are made 0600, directories 0700; -u only prints a name.
 */
#include "opt.h"

#include <fcntl.h>
#include <sys/stat.h>

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  enum { SUFFIX = 256 };
  static const struct longopt longs[] = {
      {"directory", 0, 'd'}, {"dry-run", 0, 'u'}, {"quiet", 0, 'q'}, {"tmpdir", 2, 'p'},
      {"suffix", 1, SUFFIX}, {NULL, 0, 0}};
  int dir = 0, dry = 0, quiet = 0, use_tmpdir = 0, c;
  const char *tmpdir = NULL, *suffix = "";
  while ((c = opt_next(argc, argv, "duqp:t", longs)) != -1) {
    switch (c) {
    case 'd': dir = 1; break;
    case 'u': dry = 1; break;
    case 'q': quiet = 1; break;
    case 'p': tmpdir = opt_arg ? opt_arg : ""; use_tmpdir = 1; break;
    case 't': use_tmpdir = 1; break;
    case SUFFIX: suffix = opt_arg; break;
    default: usage_error(NULL); return 1;
    }
  }
  if (argc - opt_ind > 1) {
    usage_error("too many templates");
    return 1;
  }
  const char *tmpl = opt_ind < argc ? argv[opt_ind] : NULL;
  if (!tmpl) {
    tmpl = "tmp.XXXXXXXXXX";
    use_tmpdir = 1;
  }
  if (use_tmpdir && (!tmpdir || !*tmpdir)) {
    const char *env = getenv("TMPDIR");
    tmpdir = env && *env ? env : "/tmp";
  }
  if (use_tmpdir && opt_ind < argc && strchr(tmpl, '/')) {
    warnx("invalid template, %s, contains directory separator", quote_loc(tmpl));
    return 1;
  }
  char *path = use_tmpdir ? path_join(tmpdir, tmpl) : xstrdup(tmpl);
  /* the X's end the template; --suffix comes after them */
  size_t len = strlen(path);
  char *full = xmalloc(len + strlen(suffix) + 1);
  sprintf(full, "%s%s", path, suffix);
  size_t end = len, xs = 0;
  while (xs < end && full[end - 1 - xs] == 'X') xs++;
  if (xs < 3) {
    if (!quiet) warnx("too few X's in template %s", quote_loc(full));
    return 1;
  }
  static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  for (int tries = 0; tries < 1000; tries++) {
    unsigned char rnd[64];
    getentropy(rnd, xs < sizeof rnd ? xs : sizeof rnd);
    for (size_t i = 0; i < xs; i++) full[end - xs + i] = letters[rnd[i % sizeof rnd] % (sizeof letters - 1)];
    if (dry) {
      struct stat st;
      if (lstat(full, &st) == 0) continue;
      puts(full);
      return close_stdout();
    }
    mode_t old = umask(077);
    int r;
    if (dir) {
      r = mkdir(full, 0700);
      if (r == 0) chmod(full, 0700);
    } else {
      r = open(full, O_RDWR | O_CREAT | O_EXCL, 0600);
      if (r >= 0) fchmod(r, 0600), close(r), r = 0;
    }
    int e = errno;
    umask(old);
    if (r == 0) {
      puts(full);
      return close_stdout();
    }
    if (e != EEXIST) {
      if (!quiet) {
        memset(full + end - xs, 'X', xs);
        warne(e, "failed to create %s via template %s", dir ? "directory" : "file", quote_loc(full));
      }
      return 1;
    }
  }
  if (!quiet) warnx("cannot create a unique name from %s", quote_loc(full));
  return 1;
}
