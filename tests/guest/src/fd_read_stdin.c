// fd_read on stdin: the runner's bytes arrive in order, then end of file (0, again and
// again); stdin cannot seek, tell or pread (ESPIPE).
// test: stdin=line one\nline two\n; stdout=18 bytes: line one\nline two\n
#include "test.h"

int main(void) {
  char buf[64];
  size_t n = READ_UPTO(0, buf, sizeof buf);
  __wasi_size_t more;
  __wasi_iovec_t iov = {(uint8_t *)buf + n, sizeof buf - n};
  CHECK_OK(__wasi_fd_read(0, &iov, 1, &more));
  CHECK_EQ(more, 0);

  __wasi_filesize_t pos;
  CHECK_ERRNO(__wasi_fd_seek(0, 0, __WASI_WHENCE_CUR, &pos), __WASI_ERRNO_SPIPE);
  CHECK_ERRNO(__wasi_fd_tell(0, &pos), __WASI_ERRNO_SPIPE);
  CHECK_ERRNO(__wasi_fd_pread(0, &iov, 1, 0, &more), __WASI_ERRNO_SPIPE);

  char line[96];
  snprintf(line, sizeof line, "%zu bytes: %.*s", n, (int)n, buf);
  WRITE_STR(1, line);
  return 0;
}
