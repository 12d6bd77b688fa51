// sock_recv: on a file, a directory or stdin it is ENOTSOCK; on a descriptor that is not
// open, EBADF.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("sock_recv");
  __wasi_fd_t file = OPEN(dir, "file", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0);
  uint8_t buf[16];
  __wasi_iovec_t iov = {buf, sizeof buf};
  __wasi_size_t n;
  __wasi_roflags_t flags;
  CHECK_ERRNO(__wasi_sock_recv(file, &iov, 1, 0, &n, &flags), __WASI_ERRNO_NOTSOCK);
  CHECK_ERRNO(__wasi_sock_recv(dir, &iov, 1, 0, &n, &flags), __WASI_ERRNO_NOTSOCK);
  CHECK_ERRNO(__wasi_sock_recv(0, &iov, 1, 0, &n, &flags), __WASI_ERRNO_NOTSOCK);
  CHECK_ERRNO(__wasi_sock_recv(BAD_FD, &iov, 1, 0, &n, &flags), __WASI_ERRNO_BADF);
  return 0;
}
