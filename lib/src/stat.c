/*
 * stat with permission bits, owners and FIFOs. WASI's filestat has no mode, so wasi-libc's
 * stat family reports only the file type. These replace the two bottom functions it builds
 * them on — fstat (fstat.o) and __wasilibc_nocwd_fstatat (fstatat.o; stat, lstat and
 * fstatat resolve the path and call it) — with the kernel's fstat/fstatat, which give the
 * whole mode. Each is alone in its wasi-libc object, so a program linking this library
 * never links wasi-libc's.
 */
#include "isk.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

static void to_stat(const struct isk_stat *k, struct stat *st) {
  memset(st, 0, sizeof *st);
  st->st_dev = k->dev;
  st->st_ino = k->ino;
  st->st_nlink = k->nlink;
  st->st_mode = k->mode;
  st->st_uid = k->uid;
  st->st_gid = k->gid;
  st->st_size = (off_t)k->size;
  st->st_blksize = 4096;
  st->st_blocks = (blkcnt_t)((k->size + 511) / 512);
  st->st_atim.tv_sec = (time_t)(k->atim / 1000000000u);
  st->st_atim.tv_nsec = (long)(k->atim % 1000000000u);
  st->st_mtim.tv_sec = (time_t)(k->mtim / 1000000000u);
  st->st_mtim.tv_nsec = (long)(k->mtim % 1000000000u);
  st->st_ctim.tv_sec = (time_t)(k->ctim / 1000000000u);
  st->st_ctim.tv_nsec = (long)(k->ctim % 1000000000u);
}

int fstat(int fd, struct stat *st) {
  struct isk_stat k;
  int err = __isk_sys_fstat(fd, &k);
  if (err) {
    errno = err;
    return -1;
  }
  to_stat(&k, st);
  return 0;
}

int __wasilibc_nocwd_fstatat(int dirfd, const char *__restrict path, struct stat *__restrict st, int flags) {
  struct isk_stat k;
  int err = __isk_sys_fstatat(dirfd, path, (uint32_t)strlen(path), flags, &k);
  if (err) {
    errno = err;
    return -1;
  }
  to_stat(&k, st);
  return 0;
}
