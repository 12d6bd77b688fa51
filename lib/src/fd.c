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

int isk_open(const char *path, int flags, ...) {
  mode_t mode = 0;
  if (flags & O_CREAT) {
    va_list ap;
    va_start(ap, flags);
    mode = (mode_t)va_arg(ap, int);
    va_end(ap);
  }
  return set_cloexec(open(path, flags & ~O_CLOEXEC, mode), flags);
}

int isk_openat(int dirfd, const char *path, int flags, ...) {
  mode_t mode = 0;
  if (flags & O_CREAT) {
    va_list ap;
    va_start(ap, flags);
    mode = (mode_t)va_arg(ap, int);
    va_end(ap);
  }
  return set_cloexec(openat(dirfd, path, flags & ~O_CLOEXEC, mode), flags);
}
