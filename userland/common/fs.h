/*
 * fs.h: file metadata for ls, stat, find, du, test, cp: stat with permission bits, mode
 * strings, type names, owner names, and the block count.
 *
 * WASI's filestat has no permission bits, owner or block count; libisokernel's stat()
 * adds the mode and owner from the kernel. Should stat() give no permission bits (checked
 * once, on "/", which always has some: plain wasi-libc), they are estimated from the type:
 * directories 0755, symlinks 0777, devices 0666, regular files 0755 if the kernel could run
 * them (a wasm module or a #! script) and 0644 otherwise. The kernel does not report the
 * blocks a file occupies: they are estimated in 4 KiB units, as ext4 and tmpfs allocate.
 */
#ifndef USERLAND_FS_H
#define USERLAND_FS_H

#include "cmd.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

/* 1 if stat() leaves out the permission bits (decided once). */
static inline int stat_lacks_modes(void) {
  static int known = -1;
  if (known < 0) {
    struct stat st;
    known = stat("/", &st) == 0 && (st.st_mode & 07777) == 0;
  }
  return known;
}

/* Whether the kernel could run the file: a wasm module or a #! script. */
static inline int looks_executable(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return 0;
  unsigned char b[4];
  ssize_t n = read(fd, b, 4);
  close(fd);
  return (n == 4 && memcmp(b, "\0asm", 4) == 0) || (n >= 2 && b[0] == '#' && b[1] == '!');
}

/* Fills in what wasi-libc's stat leaves out (see the top of this file). */
static inline void stat_complete(const char *path, struct stat *st) {
  if (stat_lacks_modes() && (st->st_mode & 07777) == 0) {
    mode_t perm = 0644;
    if (S_ISDIR(st->st_mode)) perm = 0755;
    else if (S_ISLNK(st->st_mode)) perm = 0777;
    else if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) perm = 0666;
    else if (S_ISREG(st->st_mode) && looks_executable(path)) perm = 0755;
    st->st_mode |= perm;
  }
  /* The kernel does not report what a file occupies (the C library's st_blocks is its size
   * in 512-byte units): estimate it in 4 KiB units, as ext4 and tmpfs allocate. */
  if (S_ISREG(st->st_mode)) st->st_blocks = (blkcnt_t)((st->st_size + 4095) / 4096 * 8);
  else if (S_ISDIR(st->st_mode)) st->st_blocks = 8;
  else st->st_blocks = 0;
  if (st->st_blksize == 0) st->st_blksize = 4096;
}

static inline int xstat(const char *path, struct stat *st) {
  if (stat(path, st) != 0) return -1;
  stat_complete(path, st);
  return 0;
}

static inline int xlstat(const char *path, struct stat *st) {
  if (lstat(path, st) != 0) return -1;
  stat_complete(path, st);
  return 0;
}

/*
 * utimensat() without UTIME_NOW and UTIME_OMIT: wasi-libc's (Debian's 2022-05 build) turns
 * them into EINVAL, and faults on NULL times. NOW becomes the clock's time, OMIT the file's
 * current time. A NULL TIMES means both now.
 */
static inline int set_times(const char *path, const struct timespec *times, int nofollow) {
  struct timespec t[2], now;
  clock_gettime(CLOCK_REALTIME, &now);
  struct stat st;
  int have_st = 0;
  for (int i = 0; i < 2; i++) {
    t[i] = times ? times[i] : now;
    if (t[i].tv_nsec == UTIME_NOW) t[i] = now;
    if (t[i].tv_nsec == UTIME_OMIT) {
      if (!have_st && (nofollow ? lstat(path, &st) : stat(path, &st)) != 0) return -1;
      have_st = 1;
      t[i] = i == 0 ? st.st_atim : st.st_mtim;
    }
  }
  return utimensat(AT_FDCWD, path, t, nofollow ? AT_SYMLINK_NOFOLLOW : 0);
}

/* "drwxr-xr-x" (10 characters and a NUL). */
static inline void mode_string(mode_t m, char out[11]) {
  char t = '?';
  if (S_ISREG(m)) t = '-';
  else if (S_ISDIR(m)) t = 'd';
  else if (S_ISLNK(m)) t = 'l';
  else if (S_ISCHR(m)) t = 'c';
  else if (S_ISBLK(m)) t = 'b';
  else if (S_ISSOCK(m)) t = 's';
#ifdef S_ISFIFO
  else if (S_ISFIFO(m)) t = 'p';
#endif
  out[0] = t;
  const char *rwx = "rwxrwxrwx";
  for (int i = 0; i < 9; i++) out[1 + i] = (m & (0400 >> i)) ? rwx[i] : '-';
  if (m & S_ISUID) out[3] = (m & 0100) ? 's' : 'S';
  if (m & S_ISGID) out[6] = (m & 0010) ? 's' : 'S';
  if (m & S_ISVTX) out[9] = (m & 0001) ? 't' : 'T';
  out[10] = 0;
}

/* stat(1)'s %F. */
static inline const char *file_type_name(const struct stat *st) {
  mode_t m = st->st_mode;
  if (S_ISREG(m)) return st->st_size == 0 ? "regular empty file" : "regular file";
  if (S_ISDIR(m)) return "directory";
  if (S_ISLNK(m)) return "symbolic link";
  if (S_ISCHR(m)) return "character special file";
  if (S_ISBLK(m)) return "block special file";
  if (S_ISSOCK(m)) return "socket";
  return "weird file";
}

/* There is no user database: uid and gid 0 are root, others print as numbers. */
static inline const char *user_name(unsigned id) {
  static char buf[16];
  if (id == 0) return "root";
  snprintf(buf, sizeof buf, "%u", id);
  return buf;
}
static inline const char *group_name(unsigned id) {
  static char buf[16];
  if (id == 0) return "root";
  snprintf(buf, sizeof buf, "%u", id);
  return buf;
}

/* 1 if PATH names "." or ".." as its last component. */
static inline int is_dot_or_dotdot(const char *name) {
  return name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0));
}

static inline int strcmp_ptrs(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of a directory (without . and ..), sorted by strcmp; NULL with errno set. */
static inline char **read_dir_sorted(const char *path, size_t *count) {
  DIR *d = opendir(path);
  if (!d) return NULL;
  size_t n = 0, cap = 16;
  char **names = xmalloc(cap * sizeof *names);
  struct dirent *e;
  errno = 0;
  while ((e = readdir(d)) != NULL) {
    if (is_dot_or_dotdot(e->d_name)) continue;
    if (n == cap) names = xrealloc(names, (cap *= 2) * sizeof *names);
    names[n++] = xstrdup(e->d_name);
  }
  int err = errno;
  closedir(d);
  if (err) {
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    errno = err;
    return NULL;
  }
  qsort(names, n, sizeof *names, strcmp_ptrs);
  *count = n;
  return names;
}

#endif /* USERLAND_FS_H */
