/*
 * cp [-rRpafinuvPLH] [-T] [-t DIR] SOURCE... DEST: copies files, and directory trees with -r
 * (POSIX; GNU's -a, -n, -u, -v, -T, -t). -p keeps modes and times (every file is root's);
 * -a is -rp copying symlinks as symlinks. With -r, symlinks are copied as links (-P) unless
 * -L; without -r, they are followed. New files get the source's mode less the umask.
 */
#include "copy.h"
#include "opt.h"

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  enum { PRESERVE = 256 };
  static const struct longopt longs[] = {
      {"recursive", 0, 'r'}, {"archive", 0, 'a'}, {"force", 0, 'f'}, {"interactive", 0, 'i'},
      {"no-clobber", 0, 'n'}, {"update", 0, 'u'}, {"verbose", 0, 'v'}, {"dereference", 0, 'L'},
      {"no-dereference", 0, 'P'}, {"no-target-directory", 0, 'T'}, {"target-directory", 1, 't'},
      {"preserve", 2, PRESERVE}, {NULL, 0, 0}};
  struct copy_opts o;
  memset(&o, 0, sizeof o);
  int follow = -1, no_target_dir = 0, c;
  const char *target_dir = NULL;
  while ((c = opt_next(argc, argv, "rRpafinuvPLHdTt:", longs)) != -1) {
    switch (c) {
    case 'r':
    case 'R': o.recursive = 1; break;
    case 'p':
    case PRESERVE: o.preserve = 1; break;
    case 'a': o.recursive = o.preserve = 1; follow = 0; break;
    case 'd':
    case 'P': follow = 0; break;
    case 'f': o.force = 1; o.no_clobber = 0; break;
    case 'i': o.interactive = 1; o.no_clobber = 0; break;
    case 'n': o.no_clobber = 1; o.interactive = 0; break;
    case 'u': o.update = 1; break;
    case 'v': o.verbose = 1; break;
    case 'L': follow = 2; break;
    case 'H': follow = 1; break;
    case 'T': no_target_dir = 1; break;
    case 't': target_dir = opt_arg; break;
    default: usage_error(NULL); return 1;
    }
  }
  if (follow < 0) follow = o.recursive ? 0 : 2;
  o.deref = follow == 2;
  o.deref_args = follow >= 1;
  int n = argc - opt_ind;
  char **ops = argv + opt_ind;
  if (n < 1) {
    usage_error("missing file operand");
    return 1;
  }
  if (!target_dir) {
    if (n < 2) {
      usage_error("missing destination file operand after %s", quote(ops[0]));
      return 1;
    }
    struct stat st;
    int dir = stat(ops[n - 1], &st) == 0 && S_ISDIR(st.st_mode);
    if (no_target_dir) {
      if (n > 2) {
        usage_error("extra operand %s", quote(ops[2]));
        return 1;
      }
      dir = 0;
    }
    if (!dir) {
      if (n > 2) {
        if (stat(ops[n - 1], &st) != 0) warne(errno, "target %s", quote(ops[n - 1]));
        else warnx("target %s is not a directory", quote(ops[n - 1]));
        return 1;
      }
      int r = copy_path(ops[0], ops[1], &o, 1);
      return close_stdout() ? 1 : r;
    }
    target_dir = ops[--n];
  } else {
    struct stat st;
    if (stat(target_dir, &st) != 0) {
      warne(errno, "target directory %s", quote(target_dir));
      return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
      warnx("target %s is not a directory", quote(target_dir));
      return 1;
    }
  }
  int status = 0;
  for (int i = 0; i < n; i++) {
    char *dst = path_join(target_dir, last_component(ops[i]));
    status |= copy_path(ops[i], dst, &o, 1);
    free(dst);
  }
  if (close_stdout()) return 1;
  return status;
}
