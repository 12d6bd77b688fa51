// fd_fdstat_set_flags: APPEND and NONBLOCK can be set and cleared on a regular file, and
// APPEND takes effect at once; DSYNC, RSYNC and SYNC cannot be changed (EINVAL), nor can an
// undefined bit; a directory, a stdio stream (wasmtime changes files only) or a descriptor
// that is not open is EBADF.
#include "test.h"

static __wasi_fdflags_t flags_of(__wasi_fd_t fd) {
  __wasi_fdstat_t st;
  CHECK_OK(__wasi_fd_fdstat_get(fd, &st));
  return st.fs_flags;
}

int main(void) {
  __wasi_fd_t dir = WORKDIR("fd_fdstat_set_flags");
  __wasi_fd_t f = OPEN(dir, "file", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0);
  WRITE_STR(f, "abc");
  __wasi_filesize_t pos;
  CHECK_OK(__wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos));

  CHECK_OK(__wasi_fd_fdstat_set_flags(f, __WASI_FDFLAGS_APPEND));
  CHECK_EQ(flags_of(f), __WASI_FDFLAGS_APPEND);
  WRITE_STR(f, "de");  // at the end, not at 0
  CHECK_EQ(FSTAT(f).size, 5);

  CHECK_OK(__wasi_fd_fdstat_set_flags(f, 0));
  CHECK_EQ(flags_of(f), 0);
  CHECK_OK(__wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos));
  WRITE_STR(f, "X");  // at 0 again
  char buf[8];
  CHECK_OK(__wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos));
  CHECK_EQ(READ_UPTO(f, buf, sizeof buf), 5);
  CHECK_MEM(buf, "Xbcde", 5);

  CHECK_OK(__wasi_fd_fdstat_set_flags(f, __WASI_FDFLAGS_NONBLOCK));
  CHECK_EQ(flags_of(f), __WASI_FDFLAGS_NONBLOCK);
  CHECK_OK(__wasi_fd_fdstat_set_flags(f, __WASI_FDFLAGS_NONBLOCK | __WASI_FDFLAGS_APPEND));
  CHECK_EQ(flags_of(f), __WASI_FDFLAGS_NONBLOCK | __WASI_FDFLAGS_APPEND);
  CHECK_OK(__wasi_fd_fdstat_set_flags(f, 0));

  CHECK_ERRNO(__wasi_fd_fdstat_set_flags(f, __WASI_FDFLAGS_DSYNC), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_fd_fdstat_set_flags(f, __WASI_FDFLAGS_RSYNC), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_fd_fdstat_set_flags(f, __WASI_FDFLAGS_SYNC), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_fd_fdstat_set_flags(f, 1 << 5), __WASI_ERRNO_INVAL);
  CHECK_EQ(flags_of(f), 0);

  CHECK_ERRNO(__wasi_fd_fdstat_set_flags(dir, __WASI_FDFLAGS_NONBLOCK), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_fdstat_set_flags(1, __WASI_FDFLAGS_NONBLOCK), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_fdstat_set_flags(BAD_FD, 0), __WASI_ERRNO_BADF);
  return 0;
}
