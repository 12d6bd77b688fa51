// fd_pwrite: writes at an offset without moving the position, leaving zeros when past the
// end; on a file opened with APPEND it appends whatever the offset (Linux pwrite). A
// read-only file, a directory or a descriptor that is not open is EBADF; stdout is ESPIPE;
// buffers past memory are EFAULT.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("fd_pwrite");
  MAKE_FILE(dir, "file", "hello");
  __wasi_fd_t f = OPEN(dir, "file", 0, RIGHTS_RW, 0);
  __wasi_ciovec_t xy = {(const uint8_t *)"XY", 2};
  __wasi_size_t n;
  CHECK_OK(__wasi_fd_pwrite(f, &xy, 1, 2, &n));
  CHECK_EQ(n, 2);
  __wasi_filesize_t pos;
  CHECK_OK(__wasi_fd_tell(f, &pos));
  CHECK_EQ(pos, 0);
  CHECK_OK(__wasi_fd_pwrite(f, &xy, 1, 10, &n));
  CHECK_EQ(FSTAT(f).size, 12);
  char buf[16];
  CHECK_EQ(READ_UPTO(f, buf, sizeof buf), 12);
  CHECK_MEM(buf, "heXYo\0\0\0\0\0XY", 12);

  __wasi_fd_t app = OPEN(dir, "file", 0, RIGHTS_RW, __WASI_FDFLAGS_APPEND);
  __wasi_ciovec_t end = {(const uint8_t *)"END", 3};
  CHECK_OK(__wasi_fd_pwrite(app, &end, 1, 0, &n));
  CHECK_EQ(n, 3);
  CHECK_EQ(FSTAT(f).size, 15);
  CHECK_OK(__wasi_fd_pread(f, (__wasi_iovec_t[]){{(uint8_t *)buf, 5}}, 1, 0, &n));
  CHECK_MEM(buf, "heXYo", 5);

  __wasi_fd_t ro = OPEN(dir, "file", 0, RIGHTS_RO, 0);
  CHECK_ERRNO(__wasi_fd_pwrite(ro, &xy, 1, 0, &n), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_pwrite(dir, &xy, 1, 0, &n), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_pwrite(1, &xy, 1, 0, &n), __WASI_ERRNO_SPIPE);
  CHECK_ERRNO(__wasi_fd_pwrite(BAD_FD, &xy, 1, 0, &n), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_pwrite(f, BAD_PTR, 1, 0, &n), __WASI_ERRNO_FAULT);
  __wasi_ciovec_t bad = {BAD_PTR, 4};
  CHECK_ERRNO(__wasi_fd_pwrite(f, &bad, 1, 0, &n), __WASI_ERRNO_FAULT);
  CHECK_ERRNO(__wasi_fd_pwrite(f, &xy, 1, 0, BAD_PTR), __WASI_ERRNO_FAULT);
  CHECK_EQ(FSTAT(f).size, 15);
  return 0;
}
