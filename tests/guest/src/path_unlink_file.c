// path_unlink_file: removes a file's name (an open descriptor keeps the data), a symlink
// (not its target) or a dangling symlink; a directory is EISDIR (with or without a
// trailing slash), a trailing slash on a file ENOTDIR, a missing name ENOENT, an escaping
// path EPERM. A file as dirfd or a descriptor that is not open is EBADF; a path past memory
// is EFAULT.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("path_unlink_file");
  __wasi_filestat_t st;
  MAKE_FILE(dir, "file", "still here");
  __wasi_fd_t held = OPEN(dir, "file", 0, RIGHTS_RO, 0);
  CHECK_OK(__wasi_path_unlink_file(dir, "file"));
  CHECK_ERRNO(__wasi_path_filestat_get(dir, 0, "file", &st), __WASI_ERRNO_NOENT);
  CHECK_ERRNO(__wasi_path_unlink_file(dir, "file"), __WASI_ERRNO_NOENT);
  char buf[16];
  CHECK_EQ(READ_UPTO(held, buf, sizeof buf), 10);
  CHECK_MEM(buf, "still here", 10);
  CHECK_EQ(FSTAT(held).nlink, 0);

  MAKE_FILE(dir, "target", "t");
  CHECK_OK(__wasi_path_symlink("target", dir, "link"));
  CHECK_OK(__wasi_path_unlink_file(dir, "link"));
  CHECK_EQ(LSTAT(dir, "target").size, 1);
  CHECK_OK(__wasi_path_symlink("nowhere", dir, "dangling"));
  CHECK_OK(__wasi_path_unlink_file(dir, "dangling"));

  CHECK_OK(__wasi_path_create_directory(dir, "sub"));
  CHECK_OK(__wasi_path_symlink("sub", dir, "to-sub"));
  CHECK_ERRNO(__wasi_path_unlink_file(dir, "sub"), __WASI_ERRNO_ISDIR);
  CHECK_ERRNO(__wasi_path_unlink_file(dir, "sub/"), __WASI_ERRNO_ISDIR);
  CHECK_ERRNO(__wasi_path_unlink_file(dir, "target/"), __WASI_ERRNO_NOTDIR);
  CHECK_ERRNO(__wasi_path_unlink_file(dir, "missing"), __WASI_ERRNO_NOENT);
  CHECK_ERRNO(__wasi_path_unlink_file(dir, "missing/x"), __WASI_ERRNO_NOENT);
  CHECK_ERRNO(__wasi_path_unlink_file(dir, "../x"), __WASI_ERRNO_PERM);
  CHECK_ERRNO(__wasi_path_unlink_file(dir, "/abs"), __WASI_ERRNO_PERM);
  CHECK_OK(__wasi_path_unlink_file(dir, "to-sub"));
  CHECK_EQ(LSTAT(dir, "sub").filetype, __WASI_FILETYPE_DIRECTORY);

  __wasi_fd_t f = OPEN(dir, "target", 0, RIGHTS_RO, 0);
  CHECK_ERRNO(__wasi_path_unlink_file(f, "x"), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_path_unlink_file(BAD_FD, "target"), __WASI_ERRNO_BADF);
  CHECK_ERRNO(raw_path_unlink_file(dir, BAD_ADDR, 6), __WASI_ERRNO_FAULT);
  CHECK_EQ(LSTAT(dir, "target").size, 1);
  return 0;
}
