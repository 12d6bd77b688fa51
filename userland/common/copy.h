/*
 * copy.h: copying files and trees (cp, and mv across filesystems) and removing trees (rm,
 * and mv after a copy), with GNU's messages.
 */
#ifndef USERLAND_COPY_H
#define USERLAND_COPY_H

#include "fs.h"

#include <fcntl.h>
#include <sys/stat.h>

struct copy_opts {
  int recursive;
  int deref;          /* follow symlinks in the tree (-L); command-line ones: deref_args */
  int deref_args;
  int preserve;       /* mode and times (-p) */
  int no_clobber;     /* -n */
  int interactive;    /* -i */
  int force;          /* -f: remove a destination that cannot be opened */
  int update;         /* -u */
  int verbose;        /* -v */
  int moving;         /* for mv: messages say so, and links are always copied as links */
};

/* Asks "PROG: QUESTION? " on stderr and reads a yes from stdin. */
static inline int ask_yes(const char *fmt, const char *arg) {
  warn_start(fmt, arg);
  fputs("? ", stderr);
  char line[256];
  if (!fgets(line, sizeof line, stdin)) return 0;
  return line[0] == 'y' || line[0] == 'Y';
}

/* Whether DST was modified no earlier than SRC (-u then leaves it). */
static inline int not_older(const struct stat *dst, const struct stat *src) {
  return dst->st_mtim.tv_sec > src->st_mtim.tv_sec ||
         (dst->st_mtim.tv_sec == src->st_mtim.tv_sec && dst->st_mtim.tv_nsec >= src->st_mtim.tv_nsec);
}

/* A directory over a non-directory, or the reverse: says so as GNU does and returns 1; else 0. */
static inline int overwrite_mismatch(const char *src, const char *dst, const struct stat *st, const struct stat *dst_st) {
  if (S_ISDIR(dst_st->st_mode) && !S_ISDIR(st->st_mode)) {
    warnx("cannot overwrite directory %s with non-directory", quote(dst));
    return 1;
  }
  if (!S_ISDIR(dst_st->st_mode) && S_ISDIR(st->st_mode)) {
    warnx("cannot overwrite non-directory %s with directory %s", quote(dst), quote(src));
    return 1;
  }
  return 0;
}

static inline int copy_data(int in, int out, const char *src, const char *dst) {
  static char buf[128 * 1024];
  for (;;) {
    ssize_t n = read(in, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      warne(errno, "error reading %s", quote(src));
      return 1;
    }
    if (n == 0) return 0;
    if (write_all(out, buf, (size_t)n) != 0) {
      warne(errno, "error writing %s", quote(dst));
      return 1;
    }
  }
}

static inline void preserve_times(const char *dst, const struct stat *st, int nofollow) {
  struct timespec t[2] = {st->st_atim, st->st_mtim};
  set_times(dst, t, nofollow);
}

static inline int copy_path(const char *src, const char *dst, const struct copy_opts *o, int top);

/* The directory a top-level copy created, so that copying a directory into itself stops
 * there (GNU copies the rest, then refuses to go into the copy). */
static struct {
  const char *src, *dst;
  dev_t dev;
  ino_t ino;
  int set;
} copy_root __attribute__((unused));

static inline int copy_regular(const char *src, const char *dst, const struct stat *st, const struct copy_opts *o,
                               int dst_exists) {
  int in = open(src, O_RDONLY);
  if (in < 0) {
    warne(errno, "cannot open %s for reading", quote(src));
    return 1;
  }
  int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  if (out < 0 && o->force && dst_exists && unlink(dst) == 0) {
    out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    dst_exists = 0;
  }
  if (out < 0) {
    warne(errno, "cannot create regular file %s", quote(dst));
    close(in);
    return 1;
  }
  int r = copy_data(in, out, src, dst);
  /* A new file gets the source's mode less the umask (GNU); -p keeps it whole. */
  if (o->preserve || o->moving) {
    fchmod(out, st->st_mode & 07777);
  } else if (!dst_exists) {
    mode_t um = umask(0);
    umask(um);
    fchmod(out, st->st_mode & 0777 & ~um);
  }
  close(in);
  if (close(out) != 0 && !r) {
    warne(errno, "failed to close %s", quote(dst));
    r = 1;
  }
  if (o->preserve || o->moving) preserve_times(dst, st, 0);
  return r;
}

static inline int copy_dir(const char *src, const char *dst, const struct stat *st, const struct copy_opts *o,
                           int dst_exists) {
  if (!dst_exists) {
    if (mkdir(dst, 0700) != 0) {
      warne(errno, "cannot create directory %s", quote(dst));
      return 1;
    }
    if (o->verbose && !o->moving) printf("%s -> %s\n", quote(src), quote(dst));
  }
  struct stat made;
  if (!copy_root.set && stat(dst, &made) == 0) {
    copy_root.dev = made.st_dev;
    copy_root.ino = made.st_ino;
    copy_root.set = 1;
  }
  size_t n;
  char **names = read_dir_sorted(src, &n);
  int r = 0;
  if (!names) {
    warne(errno, "cannot access %s", quote(src));
    r = 1;
  } else {
    for (size_t i = 0; i < n; i++) {
      char *s = path_join(src, names[i]), *d = path_join(dst, names[i]);
      r |= copy_path(s, d, o, 0);
      free(s);
      free(d);
      free(names[i]);
    }
    free(names);
  }
  if (!dst_exists) {
    mode_t um = umask(0);
    umask(um);
    chmod(dst, (o->preserve || o->moving) ? st->st_mode & 07777 : st->st_mode & 0777 & ~um);
  } else if (o->preserve || o->moving) {
    chmod(dst, st->st_mode & 07777);
  }
  if (o->preserve || o->moving) preserve_times(dst, st, 0);
  return r;
}

/* 1 if directory DST lies inside directory SRC (or is it). */
static inline int inside(const struct stat *src, const char *dst) {
  char *p = xstrdup(dst);
  int found = 0;
  for (;;) {
    struct stat st;
    if (stat(p, &st) == 0 && st.st_dev == src->st_dev && st.st_ino == src->st_ino) {
      found = 1;
      break;
    }
    char *slash = strrchr(p, '/');
    if (!slash) {
      if (strcmp(p, ".") != 0) {
        strcpy(p, ".");
        continue;
      }
      break;
    }
    if (slash == p) {
      if (p[1] == 0) break;
      p[1] = 0;
      continue;
    }
    *slash = 0;
  }
  free(p);
  return found;
}

/* Copies SRC to DST (DST is the full destination name). TOP: a command-line operand. */
static inline int copy_path(const char *src, const char *dst, const struct copy_opts *o, int top) {
  struct stat st, dst_st;
  int follow = top ? o->deref_args : o->deref;
  if ((follow ? stat(src, &st) : lstat(src, &st)) != 0) {
    warne(errno, "cannot stat %s", quote(src));
    return 1;
  }
  if (S_ISDIR(st.st_mode) && !o->recursive) {
    warnx("-r not specified; omitting directory %s", quote(src));
    return 1;
  }
  int dst_exists = lstat(dst, &dst_st) == 0;
  if (!dst_exists && errno != ENOENT) {
    warne(errno, "cannot stat %s", quote(dst));
    return 1;
  }
  if (dst_exists) {
    struct stat followed;
    if (stat(dst, &followed) == 0 && followed.st_dev == st.st_dev && followed.st_ino == st.st_ino &&
        !S_ISLNK(st.st_mode)) {
      warnx("%s and %s are the same file", quote(src), quote(dst));
      return 1;
    }
    if (overwrite_mismatch(src, dst, &st, &dst_st)) return 1;
    if (!S_ISDIR(st.st_mode)) {
      if (o->no_clobber) return 0;
      if (o->update && not_older(&dst_st, &st)) return 0;
      if (o->interactive && !ask_yes("overwrite %s", quote(dst))) return 0;
    }
  }
  if (S_ISDIR(st.st_mode)) {
    if (top) {
      copy_root.src = src;
      copy_root.dst = dst;
      copy_root.set = 0;
    } else if (copy_root.set && st.st_dev == copy_root.dev && st.st_ino == copy_root.ino) {
      warnx("cannot copy a directory, %s, into itself, %s", quote(copy_root.src), quote(copy_root.dst));
      return 1;
    }
    return copy_dir(src, dst, &st, o, dst_exists);
  }
  int r;
  if (S_ISLNK(st.st_mode)) {
    char target[PATH_MAX];
    ssize_t n = readlink(src, target, sizeof target - 1);
    if (n < 0) {
      warne(errno, "cannot read symbolic link %s", quote(src));
      return 1;
    }
    target[n] = 0;
    if (dst_exists && unlink(dst) != 0) {
      warne(errno, "cannot remove %s", quote(dst));
      return 1;
    }
    if (symlink(target, dst) != 0) {
      warne(errno, "cannot create symbolic link %s", quote(dst));
      return 1;
    }
    if (o->preserve || o->moving) preserve_times(dst, &st, 1);
    r = 0;
  } else if (S_ISREG(st.st_mode)) {
    r = copy_regular(src, dst, &st, o, dst_exists);
  } else {
    warnx("cannot copy special file %s", quote(src));
    return 1;
  }
  if (!r && o->verbose && !o->moving) printf("%s -> %s\n", quote(src), quote(dst));
  return r;
}

/* --------------------------------------------------------------------------- removing */

struct remove_opts {
  int recursive, force, interactive, dirs, verbose;
};

/* Removes the (empty) directory PATH, after asking if -i; -v says so. */
static inline int remove_dir(const char *path, const struct remove_opts *o) {
  if (o->interactive && !ask_yes("remove directory %s", quote(path))) return 0;
  if (rmdir(path) != 0) {
    warne(errno, "cannot remove %s", quote(path));
    return 1;
  }
  if (o->verbose) printf("removed directory %s\n", quote(path));
  return 0;
}

/* Removes PATH (recursively with -r). Returns 0, or 1 after a message. */
static inline int remove_path(const char *path, const struct remove_opts *o) {
  struct stat st;
  if (lstat(path, &st) != 0) {
    if (o->force && errno == ENOENT) return 0;
    warne(errno, "cannot remove %s", quote(path));
    return 1;
  }
  if (S_ISDIR(st.st_mode)) {
    if (!o->recursive) {
      if (o->dirs) return remove_dir(path, o);
      warne(EISDIR, "cannot remove %s", quote(path));
      return 1;
    }
    if (o->interactive && !ask_yes("descend into directory %s", quote(path))) return 0;
    size_t n;
    char **names = read_dir_sorted(path, &n);
    if (!names) {
      warne(errno, "cannot remove %s", quote(path));
      return 1;
    }
    int r = 0;
    for (size_t i = 0; i < n; i++) {
      char *p = path_join(path, names[i]);
      r |= remove_path(p, o);
      free(p);
      free(names[i]);
    }
    free(names);
    if (r) return r;
    return remove_dir(path, o);
  }
  if (o->interactive) {
    const char *kind = S_ISLNK(st.st_mode) ? "remove symbolic link %s"
                       : S_ISREG(st.st_mode) && st.st_size == 0 ? "remove regular empty file %s"
                       : S_ISREG(st.st_mode) ? "remove regular file %s"
                                             : "remove %s";
    if (!ask_yes(kind, quote(path))) return 0;
  }
  if (unlink(path) != 0) {
    if (o->force && errno == ENOENT) return 0;
    warne(errno, "cannot remove %s", quote(path));
    return 1;
  }
  if (o->verbose) printf("removed %s\n", quote(path));
  return 0;
}

#endif /* USERLAND_COPY_H */
