// fd_filestat_get: size, type and link count of a file or directory; two descriptors of one
// file share dev and ino, another file has another ino; timestamps are wall-clock times and
// a write moves mtim forward; stdio streams can be asked too. A descriptor that is not open
// is EBADF; a result pointer past memory, EFAULT.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("fd_filestat_get");
  MAKE_FILE(dir, "file", "hello");
  MAKE_FILE(dir, "other", "");
  __wasi_fd_t a = OPEN(dir, "file", 0, RIGHTS_RW, 0);
  __wasi_fd_t b = OPEN(dir, "file", 0, RIGHTS_RO, 0);
  __wasi_filestat_t sa = FSTAT(a), sb = FSTAT(b);
  CHECK_EQ(sa.filetype, __WASI_FILETYPE_REGULAR_FILE);
  CHECK_EQ(sa.size, 5);
  CHECK_EQ(sa.nlink, 1);
  CHECK_EQ(sa.ino, sb.ino);
  CHECK_EQ(sa.dev, sb.dev);
  CHECK(sa.ino != LSTAT(dir, "other").ino);
  CHECK_EQ(sa.ino, LSTAT(dir, "file").ino);

  __wasi_timestamp_t now = now_ns(__WASI_CLOCKID_REALTIME);
  CHECK(sa.mtim > now - 60 * SEC && sa.mtim <= now + SEC);
  CHECK(sa.atim > now - 60 * SEC && sa.ctim > now - 60 * SEC);
  sleep_ns(20 * MS);
  WRITE_STR(a, "HELLO, again");
  __wasi_filestat_t later = FSTAT(b);
  CHECK_EQ(later.size, 12);
  CHECK(later.mtim > sa.mtim);

  CHECK_OK(__wasi_path_create_directory(dir, "sub"));
  __wasi_fd_t sub = OPEN_DIR(dir, "sub");
  __wasi_filestat_t sd = FSTAT(sub);
  CHECK_EQ(sd.filetype, __WASI_FILETYPE_DIRECTORY);
  CHECK_EQ(sd.ino, LSTAT(dir, "sub").ino);
  CHECK_EQ(FSTAT(dir).filetype, __WASI_FILETYPE_DIRECTORY);

  __wasi_filestat_t st;
  CHECK_OK(__wasi_fd_filestat_get(1, &st));
  CHECK_ERRNO(__wasi_fd_filestat_get(BAD_FD, &st), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_filestat_get(a, BAD_PTR), __WASI_ERRNO_FAULT);
  return 0;
}
