// path_open with the APPEND fdflag: every write lands at the end of the file wherever the
// position was, and leaves the position there; reads still start at the position; two
// appending descriptors interleave without overwriting.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("path_open_append");
  __wasi_fd_t f = OPEN(dir, "file", __WASI_OFLAGS_CREAT, RIGHTS_RW, __WASI_FDFLAGS_APPEND);
  __wasi_fdstat_t st;
  CHECK_OK(__wasi_fd_fdstat_get(f, &st));
  CHECK_EQ(st.fs_flags, __WASI_FDFLAGS_APPEND);
  WRITE_STR(f, "abc");
  __wasi_filesize_t pos;
  CHECK_OK(__wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos));
  WRITE_STR(f, "def");
  CHECK_OK(__wasi_fd_tell(f, &pos));
  CHECK_EQ(pos, 6);

  __wasi_fd_t g = OPEN(dir, "file", 0, RIGHTS_RW, __WASI_FDFLAGS_APPEND);
  WRITE_STR(g, "g");
  WRITE_STR(f, "f");
  CHECK_EQ(LSTAT(dir, "file").size, 8);

  CHECK_OK(__wasi_fd_seek(f, 1, __WASI_WHENCE_SET, &pos));
  char buf[16];
  CHECK_EQ(READ_UPTO(f, buf, sizeof buf), 7);
  CHECK_MEM(buf, "bcdefgf", 7);

  __wasi_fd_t plain = OPEN(dir, "file", 0, RIGHTS_RW, 0);
  WRITE_STR(plain, "X");
  CHECK_OK(__wasi_fd_seek(plain, 0, __WASI_WHENCE_SET, &pos));
  CHECK_EQ(READ_UPTO(plain, buf, sizeof buf), 8);
  CHECK_MEM(buf, "Xbcdefgf", 8);
  return 0;
}
