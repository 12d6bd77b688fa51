/*
 * mv [-finuvT] [-t DIR] SOURCE... DEST: renames files, or moves them into a directory
 * (POSIX; GNU's -n, -u, -v, -T, -t). Across filesystems (rename says EXDEV) the tree is
 * copied with modes, times and symlinks kept, then removed.
 */
#include "copy.h"
#include "operands.h"
#include "opt.h"

static struct copy_opts o;
static int verbose, no_clobber, interactive, update;

static int move(const char *src, const char *dst) {
  struct stat st, dst_st;
  if (lstat(src, &st) != 0) {
    warne(errno, "cannot stat %s", quote(src));
    return 1;
  }
  int exists = lstat(dst, &dst_st) == 0;
  if (exists) {
    struct stat followed;
    if ((st.st_dev == dst_st.st_dev && st.st_ino == dst_st.st_ino) ||
        (stat(dst, &followed) == 0 && S_ISLNK(dst_st.st_mode) && followed.st_dev == st.st_dev &&
         followed.st_ino == st.st_ino && !S_ISLNK(st.st_mode))) {
      warnx("%s and %s are the same file", quote(src), quote(dst));
      return 1;
    }
    if (no_clobber) return 0;
    if (update && not_older(&dst_st, &st)) return 0;
    if (interactive && !ask_yes("overwrite %s", quote(dst))) return 0;
    if (overwrite_mismatch(src, dst, &st, &dst_st)) return 1;
  }
  if (S_ISDIR(st.st_mode)) {
    /* the destination's parent must not be inside the source */
    char *parent = xstrdup(dst), *slash = strrchr(parent, '/');
    if (slash) *slash = 0;
    else strcpy(parent, ".");
    if (slash == parent) strcpy(parent, "/");
    int in = inside(&st, parent);
    free(parent);
    if (in) {
      warnx("cannot move %s to a subdirectory of itself, %s", quote(src), quote(dst));
      return 1;
    }
  }
  if (rename(src, dst) == 0) {
    if (verbose) printf("renamed %s -> %s\n", quote(src), quote(dst));
    return 0;
  }
  int e = errno;
  if (e != EXDEV) {
    warne(e, "cannot move %s to %s", quote(src), quote(dst));
    return 1;
  }
  /* another filesystem: copy, then remove */
  if (exists && S_ISDIR(dst_st.st_mode) && rmdir(dst) != 0) {
    warne(errno, "cannot move %s to %s", quote(src), quote(dst));
    return 1;
  }
  if (copy_path(src, dst, &o, 1) != 0) return 1;
  struct remove_opts ro = {1, 0, 0, 0, 0};
  if (remove_path(src, &ro) != 0) return 1;
  if (verbose) printf("renamed %s -> %s\n", quote(src), quote(dst));
  return 0;
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {
      {"force", 0, 'f'}, {"interactive", 0, 'i'}, {"no-clobber", 0, 'n'}, {"update", 0, 'u'},
      {"verbose", 0, 'v'}, {"no-target-directory", 0, 'T'}, {"target-directory", 1, 't'},
      {NULL, 0, 0}};
  int no_target_dir = 0, c;
  const char *target_dir = NULL;
  while ((c = opt_next(argc, argv, "finuvTt:", longs)) != -1) {
    switch (c) {
    case 'f': interactive = no_clobber = 0; break;
    case 'i': interactive = 1; no_clobber = 0; break;
    case 'n': no_clobber = 1; interactive = 0; break;
    case 'u': update = 1; break;
    case 'v': verbose = 1; break;
    case 'T': no_target_dir = 1; break;
    case 't': target_dir = opt_arg; break;
    default: usage_error(NULL); return 1;
    }
  }
  o.recursive = 1;
  o.moving = 1;
  int n = argc - opt_ind;
  char **ops = argv + opt_ind;
  switch (target_operands(&n, ops, &target_dir, no_target_dir)) {
  case OPERANDS_ERROR: return 1;
  case OPERANDS_SINGLE: {
    int r = move(ops[0], ops[1]);
    return close_stdout() ? 1 : r;
  }
  default: break;
  }
  int status = 0;
  for (int i = 0; i < n; i++) {
    char *dst = path_join(target_dir, last_component(ops[i]));
    status |= move(ops[i], dst);
    free(dst);
  }
  if (close_stdout()) return 1;
  return status;
}
