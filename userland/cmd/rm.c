/*
 * rm [-rRfidv] FILE...: removes files, and directory trees with -r (POSIX; -d, -v and the
 * protection of "/" from GNU). -f ignores missing files and never asks; -i asks before
 * each removal. "." and ".." are refused, as POSIX says.
 */
#include "copy.h"
#include "opt.h"

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  enum { NO_PRESERVE_ROOT = 256, PRESERVE_ROOT };
  static const struct longopt longs[] = {
      {"force", 0, 'f'}, {"interactive", 2, 'i'}, {"recursive", 0, 'r'}, {"dir", 0, 'd'},
      {"verbose", 0, 'v'}, {"no-preserve-root", 0, NO_PRESERVE_ROOT},
      {"preserve-root", 2, PRESERVE_ROOT}, {NULL, 0, 0}};
  struct remove_opts o = {0, 0, 0, 0, 0};
  int preserve_root = 1, c;
  while ((c = opt_next(argc, argv, "fiIrRdv", longs)) != -1) {
    switch (c) {
    case 'f': o.force = 1; o.interactive = 0; break;
    case 'i': o.interactive = 1; o.force = 0; break;
    case 'I': break;
    case 'r':
    case 'R': o.recursive = 1; break;
    case 'd': o.dirs = 1; break;
    case 'v': o.verbose = 1; break;
    case NO_PRESERVE_ROOT: preserve_root = 0; break;
    case PRESERVE_ROOT: preserve_root = 1; break;
    default: usage_error(NULL); return 1;
    }
  }
  if (opt_ind >= argc) {
    if (o.force) return 0;
    usage_error("missing operand");
    return 1;
  }
  int status = 0;
  for (int i = opt_ind; i < argc; i++) {
    const char *path = argv[i];
    const char *base = last_component(path);
    if (is_dot_or_dotdot(base)) {
      warnx("refusing to remove '.' or '..' directory: skipping %s", quote(path));
      status = 1;
      continue;
    }
    if (o.recursive && preserve_root && strcmp(base, "/") == 0) {
      warnx("it is dangerous to operate recursively on %s", quote(path));
      warnx("use --no-preserve-root to override this failsafe");
      status = 1;
      continue;
    }
    status |= remove_path(path, &o);
  }
  if (close_stdout()) return 1;
  return status;
}
