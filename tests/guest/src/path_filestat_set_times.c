// path_filestat_set_times: sets a file's times exactly; on a symlink without SYMLINK_FOLLOW
// it sets the link's own times and leaves the target's, with SYMLINK_FOLLOW the target's;
// a time and NOW together or an undefined flag is EINVAL; a missing name (or a dangling
// link followed) ENOENT; an absolute path EPERM. A file as dirfd or a descriptor that is not
// open is EBADF; a path past memory is EFAULT.
#include "test.h"

#define T1 (1000000000ull * SEC + 500000000ull)
#define T2 (1100000000ull * SEC + 250000000ull)
#define T3 (1200000000ull * SEC)

int main(void) {
  __wasi_fd_t dir = WORKDIR("path_filestat_set_times");
  MAKE_FILE(dir, "file", "x");
  CHECK_OK(__wasi_path_symlink("file", dir, "link"));
  CHECK_OK(__wasi_path_symlink("nowhere", dir, "dangling"));

  CHECK_OK(__wasi_path_filestat_set_times(dir, 0, "file", T1, T2, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  __wasi_filestat_t st = LSTAT(dir, "file");
  CHECK_EQ(st.atim, T1);
  CHECK_EQ(st.mtim, T2);

  CHECK_OK(__wasi_path_filestat_set_times(dir, 0, "link", 0, T1, __WASI_FSTFLAGS_MTIM));
  CHECK_EQ(LSTAT(dir, "link").mtim, T1);
  CHECK_EQ(LSTAT(dir, "file").mtim, T2);

  CHECK_OK(__wasi_path_filestat_set_times(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link", 0, T3, __WASI_FSTFLAGS_MTIM));
  CHECK_EQ(LSTAT(dir, "file").mtim, T3);
  CHECK_EQ(LSTAT(dir, "link").mtim, T1);
  CHECK_EQ(LSTAT(dir, "file").atim, T1);

  CHECK_OK(__wasi_path_filestat_set_times(dir, 0, "dangling", 0, T2, __WASI_FSTFLAGS_MTIM));
  CHECK_EQ(LSTAT(dir, "dangling").mtim, T2);
  CHECK_OK(__wasi_path_create_directory(dir, "sub"));
  CHECK_OK(__wasi_path_filestat_set_times(dir, 0, "sub", 0, T2, __WASI_FSTFLAGS_MTIM));
  CHECK_EQ(LSTAT(dir, "sub").mtim, T2);

  __wasi_timestamp_t before = now_ns(__WASI_CLOCKID_REALTIME);
  CHECK_OK(__wasi_path_filestat_set_times(dir, 0, "file", 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
  CHECK(LSTAT(dir, "file").mtim + 10 * MS >= before);

  CHECK_ERRNO(__wasi_path_filestat_set_times(dir, 0, "file", T1, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_path_filestat_set_times(dir, 0, "file", 0, T1, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_path_filestat_set_times(dir, 0, "file", 0, T1, __WASI_FSTFLAGS_MTIM | 1 << 4), __WASI_ERRNO_INVAL);
  CHECK(LSTAT(dir, "file").mtim != T1);
  CHECK_ERRNO(__wasi_path_filestat_set_times(dir, 0, "missing", 0, T1, __WASI_FSTFLAGS_MTIM), __WASI_ERRNO_NOENT);
  CHECK_ERRNO(__wasi_path_filestat_set_times(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "dangling", 0, T1, __WASI_FSTFLAGS_MTIM), __WASI_ERRNO_NOENT);
  CHECK_ERRNO(__wasi_path_filestat_set_times(dir, 0, "/abs", 0, T1, __WASI_FSTFLAGS_MTIM), __WASI_ERRNO_PERM);

  __wasi_fd_t f = OPEN(dir, "file", 0, RIGHTS_RO, 0);
  CHECK_ERRNO(__wasi_path_filestat_set_times(f, 0, "x", 0, T1, __WASI_FSTFLAGS_MTIM), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_path_filestat_set_times(BAD_FD, 0, "file", 0, T1, __WASI_FSTFLAGS_MTIM), __WASI_ERRNO_BADF);
  CHECK_ERRNO(raw_path_filestat_set_times(dir, 0, BAD_ADDR, 4, 0, T1, __WASI_FSTFLAGS_MTIM), __WASI_ERRNO_FAULT);
  return 0;
}
