// sock_accept: no descriptor a process starts with is a socket: a file, a directory or a
// stdio stream is ENOTSOCK; a descriptor that is not open is EBADF.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("sock_accept");
  __wasi_fd_t file = OPEN(dir, "file", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0);
  __wasi_fd_t fd;
  CHECK_ERRNO(__wasi_sock_accept(file, 0, &fd), __WASI_ERRNO_NOTSOCK);
  CHECK_ERRNO(__wasi_sock_accept(dir, 0, &fd), __WASI_ERRNO_NOTSOCK);
  CHECK_ERRNO(__wasi_sock_accept(1, 0, &fd), __WASI_ERRNO_NOTSOCK);
  CHECK_ERRNO(__wasi_sock_accept(BAD_FD, 0, &fd), __WASI_ERRNO_BADF);
  CHECK_OK(__wasi_fd_close(file));
  CHECK_ERRNO(__wasi_sock_accept(file, 0, &fd), __WASI_ERRNO_BADF);
  return 0;
}
