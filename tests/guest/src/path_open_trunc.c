// path_open with TRUNC: empties an existing file, even when asked only for reading, and
// other descriptors of the file see it; with CREAT it creates a missing file; a missing
// file without CREAT is ENOENT; a directory is EISDIR.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("path_open_trunc");
  MAKE_FILE(dir, "file", "0123456789");
  __wasi_fd_t other = OPEN(dir, "file", 0, RIGHTS_RO, 0);
  __wasi_filesize_t pos;
  CHECK_OK(__wasi_fd_seek(other, 4, __WASI_WHENCE_SET, &pos));

  __wasi_fd_t f = OPEN(dir, "file", __WASI_OFLAGS_TRUNC, RIGHTS_RW, 0);
  CHECK_EQ(FSTAT(f).size, 0);
  CHECK_EQ(FSTAT(other).size, 0);
  char buf[16];
  CHECK_EQ(READ_UPTO(other, buf, sizeof buf), 0);
  WRITE_STR(f, "ab");
  CHECK_EQ(LSTAT(dir, "file").size, 2);

  OPEN(dir, "file", __WASI_OFLAGS_TRUNC, RIGHTS_RO, 0);
  CHECK_EQ(LSTAT(dir, "file").size, 0);

  OPEN(dir, "created", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, RIGHTS_RW, 0);
  CHECK_EQ(LSTAT(dir, "created").size, 0);

  __wasi_fd_t fd;
  CHECK_ERRNO(__wasi_path_open(dir, 0, "missing", __WASI_OFLAGS_TRUNC, RIGHTS_RW, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_NOENT);
  CHECK_OK(__wasi_path_create_directory(dir, "sub"));
  CHECK_ERRNO(__wasi_path_open(dir, 0, "sub", __WASI_OFLAGS_TRUNC, RIGHTS_RW, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_ISDIR);
  return 0;
}
