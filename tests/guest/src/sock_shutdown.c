// sock_shutdown: on a file, a directory or stdio it is ENOTSOCK; on a descriptor that is not
// open, EBADF.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("sock_shutdown");
  __wasi_fd_t file = OPEN(dir, "file", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0);
  CHECK_ERRNO(__wasi_sock_shutdown(file, __WASI_SDFLAGS_RD | __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTSOCK);
  CHECK_ERRNO(__wasi_sock_shutdown(dir, __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTSOCK);
  CHECK_ERRNO(__wasi_sock_shutdown(2, __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTSOCK);
  CHECK_ERRNO(__wasi_sock_shutdown(BAD_FD, __WASI_SDFLAGS_RD), __WASI_ERRNO_BADF);
  return 0;
}
