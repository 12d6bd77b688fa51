// fd_seek: SET, CUR and END move the position and return it; past the end is allowed (a
// write there leaves zeros), before 0 is EINVAL and leaves the position; an unknown whence
// is EINVAL. A directory or a descriptor that is not open is EBADF; stdio is ESPIPE; a
// result pointer past memory is EFAULT.
#include "test.h"

static __wasi_filesize_t seek(__wasi_fd_t fd, __wasi_filedelta_t off, __wasi_whence_t whence) {
  __wasi_filesize_t pos;
  CHECK_OK(__wasi_fd_seek(fd, off, whence, &pos));
  return pos;
}

int main(void) {
  __wasi_fd_t dir = WORKDIR("fd_seek");
  MAKE_FILE(dir, "file", "0123456789");
  __wasi_fd_t f = OPEN(dir, "file", 0, RIGHTS_RW, 0);
  CHECK_EQ(seek(f, 3, __WASI_WHENCE_SET), 3);
  char c;
  CHECK_EQ(READ_UPTO(f, &c, 1), 1);
  CHECK(c == '3');
  CHECK_EQ(seek(f, 2, __WASI_WHENCE_CUR), 6);
  CHECK_EQ(seek(f, -1, __WASI_WHENCE_CUR), 5);
  CHECK_EQ(seek(f, 0, __WASI_WHENCE_CUR), 5);
  CHECK_EQ(seek(f, 0, __WASI_WHENCE_END), 10);
  CHECK_EQ(seek(f, -4, __WASI_WHENCE_END), 6);
  CHECK_EQ(READ_UPTO(f, &c, 1), 1);
  CHECK(c == '6');
  CHECK_EQ(seek(f, 5, __WASI_WHENCE_END), 15);
  CHECK_EQ(READ_UPTO(f, &c, 1), 0);
  WRITE_STR(f, "X");
  CHECK_EQ(FSTAT(f).size, 16);
  char buf[16];
  CHECK_EQ(seek(f, 0, __WASI_WHENCE_SET), 0);
  CHECK_EQ(READ_UPTO(f, buf, sizeof buf), 16);
  CHECK_MEM(buf, "0123456789\0\0\0\0\0X", 16);

  CHECK_EQ(seek(f, 7, __WASI_WHENCE_SET), 7);
  __wasi_filesize_t pos;
  CHECK_ERRNO(__wasi_fd_seek(f, -1, __WASI_WHENCE_SET, &pos), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_fd_seek(f, -100, __WASI_WHENCE_CUR, &pos), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_fd_seek(f, -17, __WASI_WHENCE_END, &pos), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_fd_seek(f, 0, 3, &pos), __WASI_ERRNO_INVAL);
  CHECK_EQ(seek(f, 0, __WASI_WHENCE_CUR), 7);

  CHECK_ERRNO(__wasi_fd_seek(dir, 0, __WASI_WHENCE_SET, &pos), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_seek(1, 0, __WASI_WHENCE_CUR, &pos), __WASI_ERRNO_SPIPE);
  CHECK_ERRNO(__wasi_fd_seek(2, 0, __WASI_WHENCE_SET, &pos), __WASI_ERRNO_SPIPE);
  CHECK_ERRNO(__wasi_fd_seek(BAD_FD, 0, __WASI_WHENCE_SET, &pos), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_seek(f, 0, __WASI_WHENCE_SET, BAD_PTR), __WASI_ERRNO_FAULT);
  return 0;
}
