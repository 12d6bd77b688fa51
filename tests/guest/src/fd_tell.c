// fd_tell: 0 when opened, then wherever reads, writes and seeks leave it, untouched by
// pread and pwrite; each open has its own position; with APPEND a write leaves it at the
// end. A directory or a descriptor that is not open is EBADF; stdio is ESPIPE; a result
// pointer past memory is EFAULT.
#include "test.h"

static __wasi_filesize_t tell(__wasi_fd_t fd) {
  __wasi_filesize_t pos;
  CHECK_OK(__wasi_fd_tell(fd, &pos));
  return pos;
}

int main(void) {
  __wasi_fd_t dir = WORKDIR("fd_tell");
  __wasi_fd_t f = OPEN(dir, "file", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0);
  CHECK_EQ(tell(f), 0);
  WRITE_STR(f, "hello");
  CHECK_EQ(tell(f), 5);
  __wasi_filesize_t pos;
  CHECK_OK(__wasi_fd_seek(f, 1, __WASI_WHENCE_SET, &pos));
  CHECK_EQ(tell(f), 1);
  char buf[4];
  CHECK_EQ(READ_UPTO(f, buf, 2), 2);
  CHECK_EQ(tell(f), 3);
  __wasi_size_t n;
  __wasi_iovec_t iov = {(uint8_t *)buf, 4};
  CHECK_OK(__wasi_fd_pread(f, &iov, 1, 0, &n));
  __wasi_ciovec_t ciov = {(const uint8_t *)"abc", 3};
  CHECK_OK(__wasi_fd_pwrite(f, &ciov, 1, 0, &n));
  CHECK_EQ(tell(f), 3);

  __wasi_fd_t g = OPEN(dir, "file", 0, RIGHTS_RO, 0);
  CHECK_EQ(tell(g), 0);
  CHECK_EQ(tell(f), 3);

  __wasi_fd_t app = OPEN(dir, "file", 0, RIGHTS_RW, __WASI_FDFLAGS_APPEND);
  CHECK_EQ(tell(app), 0);
  WRITE_STR(app, "!!");
  CHECK_EQ(tell(app), 7);

  CHECK_ERRNO(__wasi_fd_tell(dir, &pos), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_tell(1, &pos), __WASI_ERRNO_SPIPE);
  CHECK_ERRNO(__wasi_fd_tell(BAD_FD, &pos), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_tell(f, BAD_PTR), __WASI_ERRNO_FAULT);
  return 0;
}
