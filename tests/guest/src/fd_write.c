// fd_write: writes at the position and moves it; gathered from several buffers a write may
// stop short after the first (wasmtime writes one buffer per call) but never loses bytes;
// writing past the end leaves zeros between; stdout and stderr reach the runner. A
// read-only file, a directory, stdin or a descriptor that is not open is EBADF; buffers
// past memory are EFAULT.
// test: stdout=to stdout\n; stderr=to stderr\n
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("fd_write");
  __wasi_fd_t f = OPEN(dir, "file", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, RIGHTS_RW, 0);
  __wasi_ciovec_t iovs[3] = {{(const uint8_t *)"ab", 2}, {(const uint8_t *)"", 0}, {(const uint8_t *)"cdef", 4}};
  __wasi_size_t n;
  CHECK_OK(__wasi_fd_write(f, iovs, 3, &n));
  CHECK(n == 2 || n == 6);
  if (n == 2) CHECK_OK(__wasi_fd_write(f, iovs + 2, 1, &n));
  __wasi_filesize_t pos;
  CHECK_OK(__wasi_fd_tell(f, &pos));
  CHECK_EQ(pos, 6);
  CHECK_EQ(FSTAT(f).size, 6);

  CHECK_OK(__wasi_fd_write(f, iovs, 0, &n));
  CHECK_EQ(n, 0);
  CHECK_OK(__wasi_fd_write(f, iovs + 1, 1, &n));
  CHECK_EQ(n, 0);

  CHECK_OK(__wasi_fd_seek(f, 10, __WASI_WHENCE_SET, &pos));
  WRITE_STR(f, "Z");
  char buf[16];
  CHECK_OK(__wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos));
  CHECK_EQ(READ_UPTO(f, buf, sizeof buf), 11);
  CHECK_MEM(buf, "abcdef\0\0\0\0Z", 11);

  __wasi_ciovec_t out = {(const uint8_t *)"to stdout\n", 10};
  CHECK_OK(__wasi_fd_write(1, &out, 1, &n));
  CHECK_EQ(n, 10);
  WRITE_STR(2, "to stderr\n");

  __wasi_fd_t ro = OPEN(dir, "file", 0, RIGHTS_RO, 0);
  CHECK_ERRNO(__wasi_fd_write(ro, iovs, 1, &n), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_write(dir, iovs, 1, &n), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_write(0, iovs, 1, &n), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_write(BAD_FD, iovs, 1, &n), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_write(f, BAD_PTR, 1, &n), __WASI_ERRNO_FAULT);
  __wasi_ciovec_t bad = {BAD_PTR, 8};
  CHECK_ERRNO(__wasi_fd_write(f, &bad, 1, &n), __WASI_ERRNO_FAULT);
  CHECK_ERRNO(__wasi_fd_write(f, iovs, 1, BAD_PTR), __WASI_ERRNO_FAULT);
  CHECK_EQ(FSTAT(f).size, 11);
  return 0;
}
