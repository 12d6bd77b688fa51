// fd_filestat_set_size: grows a file with zeros and shrinks it, leaving the position alone;
// on a descriptor not open for writing it is EINVAL (Linux's ftruncate); a directory, a
// stdio stream or a descriptor that is not open is EBADF.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("fd_filestat_set_size");
  __wasi_fd_t f = OPEN(dir, "file", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0);
  WRITE_STR(f, "hello");
  CHECK_OK(__wasi_fd_filestat_set_size(f, 100));
  CHECK_EQ(FSTAT(f).size, 100);
  __wasi_filesize_t pos;
  CHECK_OK(__wasi_fd_tell(f, &pos));
  CHECK_EQ(pos, 5);
  char buf[128];
  CHECK_EQ(READ_UPTO(f, buf, sizeof buf), 95);
  for (int i = 0; i < 95; i++) CHECK(buf[i] == 0);

  CHECK_OK(__wasi_fd_filestat_set_size(f, 3));
  CHECK_EQ(FSTAT(f).size, 3);
  CHECK_OK(__wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos));
  CHECK_EQ(READ_UPTO(f, buf, sizeof buf), 3);
  CHECK_MEM(buf, "hel", 3);
  CHECK_OK(__wasi_fd_filestat_set_size(f, 0));
  CHECK_EQ(LSTAT(dir, "file").size, 0);

  __wasi_fd_t ro = OPEN(dir, "file", 0, RIGHTS_RO, 0);
  CHECK_ERRNO(__wasi_fd_filestat_set_size(ro, 10), __WASI_ERRNO_INVAL);
  CHECK_EQ(FSTAT(ro).size, 0);
  CHECK_ERRNO(__wasi_fd_filestat_set_size(dir, 0), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_filestat_set_size(1, 0), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_filestat_set_size(BAD_FD, 0), __WASI_ERRNO_BADF);
  return 0;
}
