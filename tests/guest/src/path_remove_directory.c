// path_remove_directory: removes an empty directory (a trailing slash is fine), even one
// that is open; a non-empty one is ENOTEMPTY; a file or a symlink to a directory ENOTDIR; a
// missing name ENOENT; an escaping path EPERM. A file as dirfd or a descriptor that is not
// open is EBADF; a path past memory is EFAULT.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("path_remove_directory");
  __wasi_filestat_t st;
  CHECK_OK(__wasi_path_create_directory(dir, "d"));
  CHECK_OK(__wasi_path_remove_directory(dir, "d"));
  CHECK_ERRNO(__wasi_path_filestat_get(dir, 0, "d", &st), __WASI_ERRNO_NOENT);
  CHECK_ERRNO(__wasi_path_remove_directory(dir, "d"), __WASI_ERRNO_NOENT);

  CHECK_OK(__wasi_path_create_directory(dir, "slash"));
  CHECK_OK(__wasi_path_remove_directory(dir, "slash/"));

  CHECK_OK(__wasi_path_create_directory(dir, "full"));
  MAKE_FILE(dir, "full/f", "");
  CHECK_ERRNO(__wasi_path_remove_directory(dir, "full"), __WASI_ERRNO_NOTEMPTY);
  CHECK_OK(__wasi_path_create_directory(dir, "full2"));
  CHECK_OK(__wasi_path_create_directory(dir, "full2/inner"));
  CHECK_ERRNO(__wasi_path_remove_directory(dir, "full2"), __WASI_ERRNO_NOTEMPTY);
  CHECK_OK(__wasi_path_unlink_file(dir, "full/f"));
  CHECK_OK(__wasi_path_remove_directory(dir, "full"));

  CHECK_OK(__wasi_path_create_directory(dir, "open"));
  __wasi_fd_t open = OPEN_DIR(dir, "open");
  CHECK_OK(__wasi_path_remove_directory(dir, "open"));
  CHECK_ERRNO(__wasi_path_filestat_get(dir, 0, "open", &st), __WASI_ERRNO_NOENT);
  CHECK_OK(__wasi_fd_close(open));

  MAKE_FILE(dir, "file", "");
  CHECK_OK(__wasi_path_create_directory(dir, "target"));
  CHECK_OK(__wasi_path_symlink("target", dir, "link"));
  CHECK_ERRNO(__wasi_path_remove_directory(dir, "file"), __WASI_ERRNO_NOTDIR);
  CHECK_ERRNO(__wasi_path_remove_directory(dir, "file/"), __WASI_ERRNO_NOTDIR);
  CHECK_ERRNO(__wasi_path_remove_directory(dir, "link"), __WASI_ERRNO_NOTDIR);
  CHECK_EQ(LSTAT(dir, "target").filetype, __WASI_FILETYPE_DIRECTORY);
  CHECK_ERRNO(__wasi_path_remove_directory(dir, "missing"), __WASI_ERRNO_NOENT);
  CHECK_ERRNO(__wasi_path_remove_directory(dir, "../x"), __WASI_ERRNO_PERM);
  CHECK_ERRNO(__wasi_path_remove_directory(dir, "/abs"), __WASI_ERRNO_PERM);

  __wasi_fd_t f = OPEN(dir, "file", 0, RIGHTS_RO, 0);
  CHECK_ERRNO(__wasi_path_remove_directory(f, "target"), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_path_remove_directory(BAD_FD, "target"), __WASI_ERRNO_BADF);
  CHECK_ERRNO(raw_path_remove_directory(dir, BAD_ADDR, 6), __WASI_ERRNO_FAULT);
  CHECK_OK(__wasi_path_remove_directory(dir, "target"));
  return 0;
}
