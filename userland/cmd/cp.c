/*
 * cp [-rRpafinuvPLH] [-T] [-t DIR] SOURCE... DEST: copies files, and directory trees with -r
 * (POSIX; GNU's -a, -n, -u, -v, -T, -t). -p keeps modes and times (every file is root's);
 * -a is -rp copying symlinks as symlinks. With -r, symlinks are copied as links (-P) unless
 * -L; without -r, they are followed. New files get the source's mode less the umask.
 */
#include "copy.h"
#include "operands.h"
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
  switch (target_operands(&n, ops, &target_dir, no_target_dir)) {
  case OPERANDS_ERROR: return 1;
  case OPERANDS_SINGLE: {
    int r = copy_path(ops[0], ops[1], &o, 1);
    return close_stdout() ? 1 : r;
  }
  default: break;
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
