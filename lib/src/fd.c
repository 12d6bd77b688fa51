/* dup, dup2, dup3, and the descriptor commands of fcntl; open/openat with O_CLOEXEC. */
#include "isk.h"

#include <stdarg.h>

int dup(int fd) {
  int32_t out = -1;
  int err = __isk_sys_dup(fd, &out);
  if (err) return __isk_ret(err);
  return out;
}

int dup2(int fd, int newfd) {
  int err = __isk_sys_dup2(fd, newfd, 0);
  if (err) return __isk_ret(err);
  return newfd;
}

int dup3(int fd, int newfd, int flags) {
  if ((flags & ~O_CLOEXEC) || fd == newfd) {
    errno = EINVAL;
    return -1;
  }
  int err = __isk_sys_dup2(fd, newfd, flags & O_CLOEXEC ? ISK_FD_CLOEXEC : 0);
  if (err) return __isk_ret(err);
  return newfd;
}

/* F_DUPFD: the lowest free descriptor at or above `min`. */
static int dupfd(int fd, int min, int cloexec) {
  uint32_t flags;
  int err = __isk_sys_fd_getfd(fd, &flags);
  if (err) return __isk_ret(err);
  if (min < 0) {
    errno = EINVAL;
    return -1;
  }
  for (int n = min; n >= min; n++) {
    if (n == fd || __isk_sys_fd_getfd(n, &flags) != EBADF) continue;
    err = __isk_sys_dup2(fd, n, cloexec ? ISK_FD_CLOEXEC : 0);
    if (err == 0) return n;
    /* `fd` is open, so EBADF means `n` is past the descriptor limit. */
    if (err == EBADF) err = n == min ? EINVAL : EMFILE;
    return __isk_ret(err);
  }
  errno = EMFILE;
  return -1;
}

int isk_fcntl(int fd, int cmd, ...) {
  va_list ap;
  va_start(ap, cmd);
  int arg = 0;
  if (cmd != F_GETFD && cmd != F_GETFL) arg = va_arg(ap, int);
  va_end(ap);
  switch (cmd) {
  case F_GETFD: {
    uint32_t flags = 0;
    int err = __isk_sys_fd_getfd(fd, &flags);
    if (err) return __isk_ret(err);
    return (int)(flags & FD_CLOEXEC);
  }
  case F_SETFD:
    return __isk_ret(__isk_sys_fd_setfd(fd, arg & FD_CLOEXEC));
  case F_DUPFD:
    return dupfd(fd, arg, 0);
  case F_DUPFD_CLOEXEC:
    return dupfd(fd, arg, 1);
  case F_GETFL:
    return fcntl(fd, cmd);
  default:
    return fcntl(fd, cmd, arg);
  }
}

/* wasi-libc's open ignores the O_CLOEXEC bit of isokernel.h: set it after opening. */
static int set_cloexec(int fd, int flags) {
  if (fd < 0 || !(flags & O_CLOEXEC)) return fd;
  int err = __isk_sys_fd_setfd(fd, ISK_FD_CLOEXEC);
  if (err) {
    close(fd);
    return __isk_ret(err);
  }
  return fd;
}

/*
 * WASI's path_open has no mode: a file it creates gets 0666 less the umask. To give a new
 * file the mode open() was asked for, the library must know whether the call created it:
 * with O_EXCL it did; without, it first opens without O_CREAT and creates (O_CREAT|O_EXCL)
 * only on ENOENT, trying again if another process created the file in between. A second
 * ENOENT after an EEXIST (a dangling symlink: O_EXCL refuses it, plain open finds nothing)
 * falls back to a plain O_CREAT open, which follows the link, with the default mode.
 */
static int open_mode(int dirfd, const char *path, int flags, mode_t mode) {
  flags &= ~O_CLOEXEC;
  if (!(flags & O_CREAT)) return openat(dirfd, path, flags);
  mode_t mask = __isk_current_umask();
  /* the common case (fopen's 0666): what the kernel gives a new file anyway */
  if ((mode & ~mask & 07777) == (0666 & ~mask)) return openat(dirfd, path, flags, mode);
  int fd;
  int excl = flags & O_EXCL;
  for (int tries = 0;; tries++) {
    if (!excl && tries < 2) {
      fd = openat(dirfd, path, flags & ~O_CREAT);
      if (fd >= 0 || errno != ENOENT) return fd;
    }
    fd = openat(dirfd, path, excl || tries < 2 ? flags | O_EXCL : flags, mode);
    if (fd >= 0) break;
    if (excl || errno != EEXIST || tries >= 2) return fd;
  }
  int saved = errno;
  (void)fchmod(fd, mode & ~mask & 07777);
  errno = saved;
  return fd;
}

int isk_open(const char *path, int flags, ...) {
  mode_t mode = 0;
  if (flags & O_CREAT) {
    va_list ap;
    va_start(ap, flags);
    mode = (mode_t)va_arg(ap, int);
    va_end(ap);
  }
  return set_cloexec(open_mode(AT_FDCWD, path, flags, mode), flags);
}

int isk_openat(int dirfd, const char *path, int flags, ...) {
  mode_t mode = 0;
  if (flags & O_CREAT) {
    va_list ap;
    va_start(ap, flags);
    mode = (mode_t)va_arg(ap, int);
    va_end(ap);
  }
  return set_cloexec(open_mode(dirfd, path, flags, mode), flags);
}

int isk_fd_next(int fd) {
  uint32_t next;
  int err = __isk_sys_fd_next(fd, &next);
  if (err) return __isk_ret(err);
  return (int)next;
}
