// fd_close: closes files, directories and stdio; a second close, or a close of a descriptor
// never opened, is EBADF; a closed descriptor is EBADF everywhere; closing one descriptor
// leaves another open on the same file working.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("fd_close");
  MAKE_FILE(dir, "file", "contents");
  __wasi_fd_t a = OPEN(dir, "file", 0, RIGHTS_RO, 0);
  __wasi_fd_t b = OPEN(dir, "file", 0, RIGHTS_RO, 0);
  CHECK(a != b);
  CHECK_OK(__wasi_fd_close(a));
  CHECK_ERRNO(__wasi_fd_close(a), __WASI_ERRNO_BADF);
  __wasi_fdstat_t st;
  CHECK_ERRNO(__wasi_fd_fdstat_get(a, &st), __WASI_ERRNO_BADF);
  char buf[16];
  __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
  __wasi_size_t n;
  CHECK_ERRNO(__wasi_fd_read(a, &iov, 1, &n), __WASI_ERRNO_BADF);
  CHECK_EQ(READ_UPTO(b, buf, sizeof buf), 8);
  CHECK_MEM(buf, "contents", 8);
  CHECK_OK(__wasi_fd_close(b));

  __wasi_fd_t sub = OPEN_DIR(SCRATCH, ".");
  CHECK_OK(__wasi_fd_close(sub));
  CHECK_ERRNO(__wasi_path_create_directory(sub, "x"), __WASI_ERRNO_BADF);

  CHECK_ERRNO(__wasi_fd_close(BAD_FD), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_close(0xFFFFFFFF), __WASI_ERRNO_BADF);

  CHECK_OK(__wasi_fd_close(0));
  CHECK_ERRNO(__wasi_fd_fdstat_get(0, &st), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_read(0, &iov, 1, &n), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_close(0), __WASI_ERRNO_BADF);
  return 0;
}
