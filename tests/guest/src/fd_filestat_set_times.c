// fd_filestat_set_times: sets atim and mtim exactly, each alone or both, or to now; asking
// for a time and NOW together, or an undefined flag, is EINVAL and changes nothing; works
// on directories; a stdio stream or a descriptor that is not open is EBADF.
#include "test.h"

#define T1 (1000000000ull * SEC + 500000000ull)  // exact in a double's seconds too
#define T2 (1200000000ull * SEC + 250000000ull)

int main(void) {
  __wasi_fd_t dir = WORKDIR("fd_filestat_set_times");
  __wasi_fd_t f = OPEN(dir, "file", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0);

  CHECK_OK(__wasi_fd_filestat_set_times(f, T1, T2, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  __wasi_filestat_t st = FSTAT(f);
  CHECK_EQ(st.atim, T1);
  CHECK_EQ(st.mtim, T2);

  CHECK_OK(__wasi_fd_filestat_set_times(f, T2, 0, __WASI_FSTFLAGS_ATIM));
  st = FSTAT(f);
  CHECK_EQ(st.atim, T2);
  CHECK_EQ(st.mtim, T2);
  CHECK_OK(__wasi_fd_filestat_set_times(f, 0, T1, __WASI_FSTFLAGS_MTIM));
  st = FSTAT(f);
  CHECK_EQ(st.atim, T2);
  CHECK_EQ(st.mtim, T1);
  CHECK_OK(__wasi_fd_filestat_set_times(f, 0, 0, 0));
  CHECK_EQ(FSTAT(f).mtim, T1);

  __wasi_timestamp_t before = now_ns(__WASI_CLOCKID_REALTIME);
  CHECK_OK(__wasi_fd_filestat_set_times(f, 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
  __wasi_timestamp_t after = now_ns(__WASI_CLOCKID_REALTIME);
  st = FSTAT(f);
  CHECK(st.mtim + 10 * MS >= before && st.mtim <= after + 10 * MS);  // file times may be coarse
  CHECK_EQ(st.atim, T2);
  CHECK_OK(__wasi_fd_filestat_set_times(f, 0, 0, __WASI_FSTFLAGS_ATIM_NOW));
  CHECK(FSTAT(f).atim + 10 * MS >= before);

  CHECK_OK(__wasi_fd_filestat_set_times(f, T1, T1, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  CHECK_ERRNO(__wasi_fd_filestat_set_times(f, T2, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_fd_filestat_set_times(f, 0, T2, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_fd_filestat_set_times(f, T2, T2, __WASI_FSTFLAGS_MTIM | 1 << 4), __WASI_ERRNO_INVAL);
  st = FSTAT(f);
  CHECK_EQ(st.atim, T1);
  CHECK_EQ(st.mtim, T1);

  CHECK_OK(__wasi_fd_filestat_set_times(dir, 0, T2, __WASI_FSTFLAGS_MTIM));
  CHECK_EQ(FSTAT(dir).mtim, T2);
  CHECK_ERRNO(__wasi_fd_filestat_set_times(1, 0, 0, __WASI_FSTFLAGS_MTIM_NOW), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_filestat_set_times(BAD_FD, 0, 0, __WASI_FSTFLAGS_MTIM_NOW), __WASI_ERRNO_BADF);
  return 0;
}
