/*
 * utimensat and futimens as POSIX has them. wasi-libc's (Debian's 2022 build) read through
 * a NULL `times` (a fault, where POSIX means "both to the current time") and do not take
 * UTIME_NOW and UTIME_OMIT as Linux does. These replace the two bottom functions:
 * futimens (futimens.o) and __wasilibc_nocwd_utimensat (utimensat.o; utimensat and utimes
 * resolve the path and call it), each alone in its wasi-libc object.
 *
 *   times NULL               both times set to now
 *   tv_nsec == UTIME_NOW     that time set to now
 *   tv_nsec == UTIME_OMIT    that time left alone (both omitted: success, nothing looked up,
 *                            as Linux)
 *   other tv_nsec outside [0, 1e9), or tv_sec < 0: EINVAL (WASI's times are unsigned ns)
 *   flags other than AT_SYMLINK_NOFOLLOW: EINVAL
 */
#include "isk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <wasi/api.h>

/* One time's WASI form: its fst flag bits and its timestamp. 0 when it is invalid. */
static int one_time(const struct timespec *t, __wasi_fstflags_t set, __wasi_fstflags_t now,
                    __wasi_fstflags_t *flags, __wasi_timestamp_t *ts) {
  if (t == NULL || t->tv_nsec == UTIME_NOW) {
    *flags |= now;
    return 1;
  }
  if (t->tv_nsec == UTIME_OMIT) return 1;
  if (t->tv_nsec < 0 || t->tv_nsec >= 1000000000L || t->tv_sec < 0) return 0;
  if ((uint64_t)t->tv_sec > (UINT64_MAX - (uint64_t)t->tv_nsec) / 1000000000u) return 0;
  *ts = (__wasi_timestamp_t)t->tv_sec * 1000000000u + (__wasi_timestamp_t)t->tv_nsec;
  *flags |= set;
  return 1;
}

/* Both times' WASI form; errno EINVAL and 0 when one is invalid. */
static int to_wasi(const struct timespec times[2], __wasi_fstflags_t *flags,
                   __wasi_timestamp_t *atim, __wasi_timestamp_t *mtim) {
  *flags = 0;
  *atim = 0;
  *mtim = 0;
  if (!one_time(times ? &times[0] : NULL, __WASI_FSTFLAGS_ATIM, __WASI_FSTFLAGS_ATIM_NOW, flags, atim) ||
      !one_time(times ? &times[1] : NULL, __WASI_FSTFLAGS_MTIM, __WASI_FSTFLAGS_MTIM_NOW, flags, mtim)) {
    errno = EINVAL;
    return 0;
  }
  return 1;
}

int futimens(int fd, const struct timespec times[2]) {
  __wasi_fstflags_t flags;
  __wasi_timestamp_t atim, mtim;
  if (!to_wasi(times, &flags, &atim, &mtim)) return -1;
  int err = __wasi_fd_filestat_set_times((__wasi_fd_t)fd, atim, mtim, flags);
  return err ? __isk_ret(err) : 0;
}

int __wasilibc_nocwd_utimensat(int dirfd, const char *path, const struct timespec times[2], int flag) {
  if ((flag & ~AT_SYMLINK_NOFOLLOW) != 0) return __isk_ret(EINVAL);
  __wasi_fstflags_t flags;
  __wasi_timestamp_t atim, mtim;
  if (!to_wasi(times, &flags, &atim, &mtim)) return -1;
  if (flags == 0 && times != NULL) return 0; /* both UTIME_OMIT */
  __wasi_lookupflags_t lookup = (flag & AT_SYMLINK_NOFOLLOW) ? 0 : __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW;
  int err = __wasi_path_filestat_set_times((__wasi_fd_t)dirfd, lookup, path, atim, mtim, flags);
  return err ? __isk_ret(err) : 0;
}
