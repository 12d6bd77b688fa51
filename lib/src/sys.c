/*
 * What WASI preview1 lacks and the userland needs, from the kernel's `isokernel` module:
 * chmod/fchmod/fchmodat, uname (replacing wasi-libc's fixed answer) and gethostname,
 * statvfs/fstatvfs, and the user and group ids.
 *
 * Paths go the way wasi-libc sends its own path calls: resolved against the process's cwd
 * and the preopens by __wasilibc_find_relpath_alloc (lib/src/cwd.c) into a directory
 * descriptor and a path beneath it.
 */
#include "isk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

int __wasilibc_find_relpath_alloc(const char *path, const char **abs_prefix, char **relative_buf,
                                  size_t *relative_buf_len, int can_realloc);

static int set_errno(int err) {
  if (err == 0) return 0;
  errno = err;
  return -1;
}

/* Calls fn(dirfd, relative path) for `path` as wasi-libc would resolve it. */
static int at_path(int dirfd, const char *path, mode_t mode, int flags) {
  if (path[0] != '/' && dirfd != AT_FDCWD)
    return set_errno(__isk_sys_chmod(dirfd, path, (uint32_t)strlen(path), mode, flags));
  const char *prefix;
  char *rel = NULL;
  size_t len = 0;
  int fd = __wasilibc_find_relpath_alloc(path, &prefix, &rel, &len, 1);
  if (fd < 0) {
    free(rel);
    if (errno == 0) errno = ENOENT;
    return -1;
  }
  int r = set_errno(__isk_sys_chmod(fd, rel, (uint32_t)strlen(rel), mode, flags));
  free(rel);
  return r;
}

int chmod(const char *path, mode_t mode) { return at_path(AT_FDCWD, path, mode, 0); }
int fchmodat(int dirfd, const char *path, mode_t mode, int flags) { return at_path(dirfd, path, mode, flags); }
int fchmod(int fd, mode_t mode) { return set_errno(__isk_sys_fchmod(fd, mode)); }

int uname(struct utsname *u) {
  _Static_assert(sizeof(struct utsname) == 6 * 65, "utsname is six 65-byte fields");
  return set_errno(__isk_sys_uname(u));
}

int gethostname(char *name, size_t len) {
  struct utsname u;
  if (uname(&u) < 0) return -1;
  size_t n = strlen(u.nodename);
  if (n + 1 > len) {
    errno = ENAMETOOLONG;
    return -1;
  }
  memcpy(name, u.nodename, n + 1);
  return 0;
}

int fstatvfs(int fd, struct statvfs *buf) {
  uint64_t v[11];
  int err = __isk_sys_statvfs(fd, v);
  if (err) return set_errno(err);
  buf->f_bsize = (unsigned long)v[0];
  buf->f_frsize = (unsigned long)v[1];
  buf->f_blocks = v[2];
  buf->f_bfree = v[3];
  buf->f_bavail = v[4];
  buf->f_files = v[5];
  buf->f_ffree = v[6];
  buf->f_favail = v[7];
  buf->f_fsid = (unsigned long)v[8];
  buf->f_flag = v[9] ? ST_RDONLY : 0;
  buf->f_namemax = (unsigned long)v[10];
  return 0;
}

int statvfs(const char *__restrict path, struct statvfs *__restrict buf) {
  int fd = open(path, O_RDONLY | O_DIRECTORY);
  if (fd < 0) fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  int r = fstatvfs(fd, buf);
  int saved = errno;
  close(fd);
  errno = saved;
  return r;
}

static uint32_t id(int i) {
  uint32_t ids[4] = {0, 0, 0, 0};
  __isk_sys_getids(ids);
  return ids[i];
}
uid_t getuid(void) { return id(0); }
uid_t geteuid(void) { return id(1); }
gid_t getgid(void) { return id(2); }
gid_t getegid(void) { return id(3); }
