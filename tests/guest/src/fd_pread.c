// fd_pread: reads at an offset without moving the position; past the end it reads 0; over
// several buffers it may stop after the first. A write-only file, a directory, stdout or a
// descriptor that is not open is EBADF; stdin is ESPIPE; buffers past memory are EFAULT.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("fd_pread");
  MAKE_FILE(dir, "file", "hello world");
  __wasi_fd_t f = OPEN(dir, "file", 0, RIGHTS_RO, 0);
  char a[5], b[8];
  __wasi_iovec_t iovs[2] = {{(uint8_t *)a, sizeof a}, {(uint8_t *)b, sizeof b}};
  __wasi_size_t n;
  CHECK_OK(__wasi_fd_pread(f, iovs, 1, 6, &n));
  CHECK_EQ(n, 5);
  CHECK_MEM(a, "world", 5);
  __wasi_filesize_t pos;
  CHECK_OK(__wasi_fd_tell(f, &pos));
  CHECK_EQ(pos, 0);

  CHECK_OK(__wasi_fd_pread(f, iovs, 2, 0, &n));
  CHECK(n == 5 || n == 11);
  CHECK_MEM(a, "hello", 5);
  if (n == 11) CHECK_MEM(b, " world", 6);

  CHECK_OK(__wasi_fd_pread(f, iovs, 1, 9, &n));
  CHECK_EQ(n, 2);
  CHECK_MEM(a, "ld", 2);
  CHECK_OK(__wasi_fd_pread(f, iovs, 1, 11, &n));
  CHECK_EQ(n, 0);
  CHECK_OK(__wasi_fd_pread(f, iovs, 1, 1000000, &n));
  CHECK_EQ(n, 0);
  CHECK_EQ(READ_UPTO(f, b, 5), 5);  // the position is still 0
  CHECK_MEM(b, "hello", 5);

  __wasi_fd_t wo = OPEN(dir, "file", 0, RIGHTS_WO, 0);
  CHECK_ERRNO(__wasi_fd_pread(wo, iovs, 1, 0, &n), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_pread(dir, iovs, 1, 0, &n), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_pread(1, iovs, 1, 0, &n), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_pread(0, iovs, 1, 0, &n), __WASI_ERRNO_SPIPE);
  CHECK_ERRNO(__wasi_fd_pread(BAD_FD, iovs, 1, 0, &n), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_pread(f, BAD_PTR, 1, 0, &n), __WASI_ERRNO_FAULT);
  __wasi_iovec_t bad = {BAD_PTR, 4};
  CHECK_ERRNO(__wasi_fd_pread(f, &bad, 1, 0, &n), __WASI_ERRNO_FAULT);
  CHECK_ERRNO(__wasi_fd_pread(f, iovs, 1, 0, BAD_PTR), __WASI_ERRNO_FAULT);
  return 0;
}
