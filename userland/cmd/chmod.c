/*
 * chmod [-Rcfv] MODE[,MODE]... FILE... | chmod [-Rcfv] --reference=RFILE FILE...: changes
 * file modes (POSIX; -c, -v, -f and --reference from GNU). MODE is octal or symbolic
 * ([ugoa]*[-+=][rwxXst]* or [ugo]); "-w" and the like count as modes, as in GNU. -R
 * descends into directories and leaves symlinks met there alone (a symlink named on the
 * command line is followed, as chmod(2) does).
 */
#include "fs.h"
#include "mode.h"
#include "opt.h"

static int recursive, changes, quiet, verbose;
static const char *mode_spec;
static long ref_mode = -1;
static mode_t cur_umask;

static void describe(const char *path, mode_t old, mode_t new_mode, int changed) {
  char a[11], b[11];
  mode_string(old, a);
  mode_string(new_mode, b);
  if (changed)
    printf("mode of %s changed from %04o (%s) to %04o (%s)\n", quote(path), (unsigned)(old & 07777), a + 1,
           (unsigned)(new_mode & 07777), b + 1);
  else
    printf("mode of %s retained as %04o (%s)\n", quote(path), (unsigned)(old & 07777), a + 1);
}

static int change(const char *path, int top) {
  struct stat st;
  if ((top ? stat(path, &st) : lstat(path, &st)) != 0) {
    if (!quiet) warne(errno, "cannot access %s", quote(path));
    return 1;
  }
  if (S_ISLNK(st.st_mode)) {
    if (verbose) printf("neither symbolic link %s nor referent has been changed\n", quote(path));
    return 0;
  }
  long m = ref_mode >= 0 ? ref_mode : mode_apply(mode_spec, st.st_mode, S_ISDIR(st.st_mode), cur_umask);
  int status = 0;
  mode_t new_mode = (st.st_mode & ~(mode_t)07777) | (mode_t)m;
  if (chmod(path, (mode_t)m) != 0) {
    if (!quiet) warne(errno, "changing permissions of %s", quote(path));
    status = 1;
  } else {
    if (verbose || (changes && (st.st_mode & 07777) != (mode_t)m))
      describe(path, st.st_mode, new_mode, (st.st_mode & 07777) != (mode_t)m);
    /* GNU: a mode without "who" that the umask kept from doing all it says is an error */
    long naive = ref_mode >= 0 ? m : mode_apply(mode_spec, st.st_mode, S_ISDIR(st.st_mode), 0);
    if (naive != m) {
      char got[11], want[11];
      mode_string(new_mode, got);
      mode_string((st.st_mode & ~(mode_t)07777) | (mode_t)naive, want);
      if (!quiet) warnx("%s: new permissions are %s, not %s", quotef(path), got + 1, want + 1);
      status = 1;
    }
  }
  if (recursive && S_ISDIR(st.st_mode)) {
    size_t n;
    char **names = read_dir_sorted(path, &n);
    if (!names) {
      if (!quiet) warne(errno, "cannot read directory %s", quote(path));
      return 1;
    }
    for (size_t i = 0; i < n; i++) {
      char *p = path_join(path, names[i]);
      status |= change(p, 0);
      free(p);
      free(names[i]);
    }
    free(names);
  }
  return status;
}

static int looks_like_mode(const char *a) {
  return a[0] == '-' && a[1] && strspn(a + 1, "rwxXstugoa,+-=01234567") == strlen(a + 1);
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  enum { REFERENCE = 256 };
  static const struct longopt longs[] = {
      {"recursive", 0, 'R'}, {"changes", 0, 'c'}, {"silent", 0, 'f'}, {"quiet", 0, 'f'},
      {"verbose", 0, 'v'}, {"reference", 1, REFERENCE}, {NULL, 0, 0}};
  /* A mode like -w is an operand: take it out of the way of the option parser. */
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0) break;
    if (looks_like_mode(argv[i]) && !mode_spec) {
      mode_spec = argv[i];
      memmove(argv + i, argv + i + 1, sizeof(char *) * (size_t)(argc - i));
      argc--;
      break;
    }
  }
  const char *reference = NULL;
  int c;
  while ((c = opt_next(argc, argv, "Rcfv", longs)) != -1) {
    switch (c) {
    case 'R': recursive = 1; break;
    case 'c': changes = 1; break;
    case 'f': quiet = 1; break;
    case 'v': verbose = 1; break;
    case REFERENCE: reference = opt_arg; break;
    default: usage_error(NULL); return 1;
    }
  }
  cur_umask = umask(0);
  umask(cur_umask);
  if (reference) {
    struct stat st;
    if (stat(reference, &st) != 0) {
      warne(errno, "failed to get attributes of %s", quote(reference));
      return 1;
    }
    ref_mode = st.st_mode & 07777;
  } else if (!mode_spec) {
    if (opt_ind >= argc) {
      usage_error("missing operand");
      return 1;
    }
    mode_spec = argv[opt_ind++];
  }
  if (opt_ind >= argc) {
    if (mode_spec) usage_error("missing operand after %s", quote_loc(mode_spec));
    else usage_error("missing operand");
    return 1;
  }
  if (mode_spec && mode_apply(mode_spec, 0644, 0, cur_umask) < 0) {
    warnx("invalid mode: %s", quote_loc(mode_spec));
    usage_error(NULL);
    return 1;
  }
  int status = 0;
  for (int i = opt_ind; i < argc; i++) status |= change(argv[i], 1);
  if (close_stdout()) return 1;
  return status;
}
