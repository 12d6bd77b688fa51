// fd_advise: every advice is accepted on a regular file, whatever the range; an advice
// value past NOREUSE is EINVAL; a directory or a stdio stream is EBADF (wasmtime advises
// files only), as is a descriptor that is not open.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("fd_advise");
  __wasi_fd_t f = OPEN(dir, "file", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0);
  WRITE_STR(f, "some data");
  for (__wasi_advice_t a = __WASI_ADVICE_NORMAL; a <= __WASI_ADVICE_NOREUSE; a++) {
    CHECK_OK(__wasi_fd_advise(f, 0, 0, a));
    CHECK_OK(__wasi_fd_advise(f, 100, 1000, a));  // past the end of the file
  }
  __wasi_fd_t ro = OPEN(dir, "file", 0, RIGHTS_RO, 0);
  CHECK_OK(__wasi_fd_advise(ro, 0, 9, __WASI_ADVICE_SEQUENTIAL));

  CHECK_ERRNO(__wasi_fd_advise(f, 0, 0, 6), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_fd_advise(dir, 0, 0, __WASI_ADVICE_NORMAL), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_advise(1, 0, 0, __WASI_ADVICE_NORMAL), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_advise(BAD_FD, 0, 0, __WASI_ADVICE_NORMAL), __WASI_ERRNO_BADF);
  CHECK_OK(__wasi_fd_close(f));
  CHECK_ERRNO(__wasi_fd_advise(f, 0, 0, __WASI_ADVICE_NORMAL), __WASI_ERRNO_BADF);
  return 0;
}
