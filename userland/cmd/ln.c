/*
 * ln [-sfnvT] [-t DIR] TARGET... [LINK|DIR]: makes hard links, or symbolic links with -s
 * (POSIX; -n, -v, -T, -t from GNU). With one operand the link goes in the current
 * directory; with a directory last, each target gets a link of its name there. -f removes
 * an existing destination first; -n treats a destination that is a symlink to a directory
 * as a file.
 */
#include "opt.h"

#include <sys/stat.h>

static int symbolic, force, no_deref, verbose;

static int make_link(const char *target, const char *linkname) {
  if (!symbolic) {
    struct stat st;
    if (stat(target, &st) != 0) {
      warne(errno, "failed to access %s", quote(target));
      return 1;
    }
    if (S_ISDIR(st.st_mode)) {
      warnx("%s: hard link not allowed for directory", quotef(target));
      return 1;
    }
  }
  if (force) {
    struct stat st;
    if (lstat(linkname, &st) == 0 && !S_ISDIR(st.st_mode) && unlink(linkname) != 0) {
      warne(errno, "cannot remove %s", quote(linkname));
      return 1;
    }
  }
  int r = symbolic ? symlink(target, linkname) : link(target, linkname);
  if (r != 0) {
    warne(errno, "failed to create %s %s", symbolic ? "symbolic link" : "hard link", quote(linkname));
    return 1;
  }
  if (verbose) printf("%s %s %s\n", quote(linkname), symbolic ? "->" : "=>", quote(target));
  return 0;
}

static int is_dir(const char *path) {
  struct stat st;
  if (no_deref) {
    if (lstat(path, &st) != 0) return 0;
  } else if (stat(path, &st) != 0) {
    return 0;
  }
  return S_ISDIR(st.st_mode);
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {
      {"symbolic", 0, 's'}, {"force", 0, 'f'}, {"no-dereference", 0, 'n'}, {"verbose", 0, 'v'},
      {"no-target-directory", 0, 'T'}, {"target-directory", 1, 't'}, {NULL, 0, 0}};
  int no_target_dir = 0, c;
  const char *target_dir = NULL;
  while ((c = opt_next(argc, argv, "sfnvTt:Pi", longs)) != -1) {
    switch (c) {
    case 's': symbolic = 1; break;
    case 'f': force = 1; break;
    case 'n': no_deref = 1; break;
    case 'v': verbose = 1; break;
    case 'T': no_target_dir = 1; break;
    case 't': target_dir = opt_arg; break;
    case 'P':
    case 'i': break;
    default: usage_error(NULL); return 1;
    }
  }
  int n = argc - opt_ind;
  char **ops = argv + opt_ind;
  if (n < 1) {
    usage_error("missing file operand");
    return 1;
  }
  if (target_dir) {
    /* checked below */
  } else if (no_target_dir) {
    if (n != 2) {
      usage_error(n < 2 ? "missing destination file operand after %s" : "extra operand %s",
                  quote(n < 2 ? ops[0] : ops[2]));
      return 1;
    }
    return make_link(ops[0], ops[1]);
  } else if (n == 1) {
    target_dir = ".";
  } else if (n == 2 && !is_dir(ops[1])) {
    return make_link(ops[0], ops[1]);
  } else {
    target_dir = ops[--n];
  }
  if (strcmp(target_dir, ".") != 0) {
    struct stat st;
    if (stat(target_dir, &st) != 0) {
      warne(errno, "target %s", quote(target_dir));
      return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
      warnx("target %s is not a directory", quote(target_dir));
      return 1;
    }
  }
  int status = 0;
  for (int i = 0; i < n; i++) {
    char *link = path_join(target_dir, last_component(ops[i]));
    status |= make_link(ops[i], link);
    free(link);
  }
  if (close_stdout()) return 1;
  return status;
}
