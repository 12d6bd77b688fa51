// sock_send: on a file, a directory or stdout it is ENOTSOCK (and writes nothing); on a
// descriptor that is not open, EBADF.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("sock_send");
  __wasi_fd_t file = OPEN(dir, "file", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0);
  __wasi_ciovec_t iov = {(const uint8_t *)"data", 4};
  __wasi_size_t n;
  CHECK_ERRNO(__wasi_sock_send(file, &iov, 1, 0, &n), __WASI_ERRNO_NOTSOCK);
  CHECK_ERRNO(__wasi_sock_send(dir, &iov, 1, 0, &n), __WASI_ERRNO_NOTSOCK);
  CHECK_ERRNO(__wasi_sock_send(1, &iov, 1, 0, &n), __WASI_ERRNO_NOTSOCK);
  CHECK_ERRNO(__wasi_sock_send(BAD_FD, &iov, 1, 0, &n), __WASI_ERRNO_BADF);
  CHECK_EQ(FSTAT(file).size, 0);
  return 0;
}
