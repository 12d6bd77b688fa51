// fd_allocate: as posix_fallocate(3) — the file grows to cover [offset, offset+len) and the
// new bytes read as zeros; a range inside the file changes nothing; len 0 is EINVAL; EBADF
// on a directory, a stdio stream, a file not open for writing or a descriptor not open.
// (wasmtime answers ENOTSUP to every fd_allocate; isokernel implements it: docs/abi.md.)
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("fd_allocate");
  __wasi_fd_t f = OPEN(dir, "file", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0);
  CHECK_OK(__wasi_fd_allocate(f, 0, 100));
  CHECK_EQ(FSTAT(f).size, 100);
  CHECK_OK(__wasi_fd_allocate(f, 10, 20));
  CHECK_EQ(FSTAT(f).size, 100);
  CHECK_OK(__wasi_fd_allocate(f, 4096, 1));
  CHECK_EQ(FSTAT(f).size, 4097);
  char buf[8] = {1, 1, 1, 1, 1, 1, 1, 1};
  __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
  __wasi_size_t n = 0;
  CHECK_OK(__wasi_fd_pread(f, &iov, 1, 4090, &n));
  CHECK_EQ(n, 7);
  for (int i = 0; i < 7; i++) CHECK_EQ(buf[i], 0);
  CHECK_ERRNO(__wasi_fd_allocate(f, 0, 0), __WASI_ERRNO_INVAL);
  __wasi_fd_t ro = OPEN(dir, "file", 0, RIGHTS_RO, 0);
  CHECK_ERRNO(__wasi_fd_allocate(ro, 0, 8192), __WASI_ERRNO_BADF);
  CHECK_EQ(FSTAT(f).size, 4097);
  CHECK_ERRNO(__wasi_fd_allocate(dir, 0, 100), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_allocate(1, 0, 100), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_allocate(BAD_FD, 0, 100), __WASI_ERRNO_BADF);
  return 0;
}
