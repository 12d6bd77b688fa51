// fd_read: reads from the position and moves it; scattered over several buffers a read may
// stop short after the first (wasmtime fills one buffer per call) but never loses bytes;
// 0 at end of file; no buffers or empty ones read nothing. A write-only file, a directory,
// stdout or a descriptor that is not open is EBADF; buffers past memory are EFAULT.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("fd_read");
  MAKE_FILE(dir, "file", "hello world");
  __wasi_fd_t f = OPEN(dir, "file", 0, RIGHTS_RO, 0);

  char a[5], b[20];
  __wasi_iovec_t iovs[2] = {{(uint8_t *)a, sizeof a}, {(uint8_t *)b, sizeof b}};
  __wasi_size_t n;
  CHECK_OK(__wasi_fd_read(f, iovs, 2, &n));
  CHECK(n >= 5 && n <= 11);
  CHECK_MEM(a, "hello", 5);
  CHECK_MEM(b, " world", n - 5);
  __wasi_filesize_t pos;
  CHECK_OK(__wasi_fd_tell(f, &pos));
  CHECK_EQ(pos, n);
  size_t rest = READ_UPTO(f, b + (n - 5), sizeof b - (n - 5));
  CHECK_EQ(n + rest, 11);
  CHECK_MEM(b, " world", 6);

  CHECK_OK(__wasi_fd_read(f, iovs, 2, &n));  // at end of file
  CHECK_EQ(n, 0);
  CHECK_OK(__wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos));
  CHECK_OK(__wasi_fd_read(f, iovs, 0, &n));
  CHECK_EQ(n, 0);
  __wasi_iovec_t empty = {(uint8_t *)a, 0};
  CHECK_OK(__wasi_fd_read(f, &empty, 1, &n));
  CHECK_EQ(n, 0);
  __wasi_iovec_t skip[2] = {{(uint8_t *)b, 0}, {(uint8_t *)a, 5}};  // empty buffers are skipped
  CHECK_OK(__wasi_fd_read(f, skip, 2, &n));
  CHECK_EQ(n, 5);
  CHECK_MEM(a, "hello", 5);

  __wasi_fd_t wo = OPEN(dir, "file", 0, RIGHTS_WO, 0);
  CHECK_ERRNO(__wasi_fd_read(wo, iovs, 1, &n), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_read(dir, iovs, 1, &n), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_read(1, iovs, 1, &n), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_read(BAD_FD, iovs, 1, &n), __WASI_ERRNO_BADF);

  CHECK_OK(__wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos));
  CHECK_ERRNO(__wasi_fd_read(f, BAD_PTR, 1, &n), __WASI_ERRNO_FAULT);
  __wasi_iovec_t bad = {BAD_PTR, 8};
  CHECK_ERRNO(__wasi_fd_read(f, &bad, 1, &n), __WASI_ERRNO_FAULT);
  CHECK_ERRNO(__wasi_fd_read(f, iovs, 1, BAD_PTR), __WASI_ERRNO_FAULT);
  return 0;
}
