// path_create_directory: makes a directory, through intermediate symlinks too, with or
// without a trailing slash; an existing name (file, directory, even a dangling symlink) is
// EEXIST; a missing parent ENOENT; a file as parent ENOTDIR; the empty path ENOENT; an
// absolute path or one that climbs out of the directory EPERM. A file as dirfd or a
// descriptor that is not open is EBADF; a path past memory is EFAULT.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("path_create_directory");
  CHECK_OK(__wasi_path_create_directory(dir, "d"));
  CHECK_EQ(LSTAT(dir, "d").filetype, __WASI_FILETYPE_DIRECTORY);
  CHECK_OK(__wasi_path_create_directory(dir, "d/nested"));
  CHECK_EQ(LSTAT(dir, "d/nested").filetype, __WASI_FILETYPE_DIRECTORY);
  CHECK_OK(__wasi_path_create_directory(dir, "trailing/"));
  CHECK_EQ(LSTAT(dir, "trailing").filetype, __WASI_FILETYPE_DIRECTORY);
  CHECK_OK(__wasi_path_symlink("d", dir, "to-d"));
  CHECK_OK(__wasi_path_create_directory(dir, "to-d/via-link"));
  CHECK_EQ(LSTAT(dir, "d/via-link").filetype, __WASI_FILETYPE_DIRECTORY);

  MAKE_FILE(dir, "f", "");
  CHECK_OK(__wasi_path_symlink("nowhere", dir, "dangling"));
  CHECK_ERRNO(__wasi_path_create_directory(dir, "d"), __WASI_ERRNO_EXIST);
  CHECK_ERRNO(__wasi_path_create_directory(dir, "f"), __WASI_ERRNO_EXIST);
  CHECK_ERRNO(__wasi_path_create_directory(dir, "dangling"), __WASI_ERRNO_EXIST);
  CHECK_ERRNO(__wasi_path_create_directory(dir, "."), __WASI_ERRNO_EXIST);
  CHECK_ERRNO(__wasi_path_create_directory(dir, "missing/d"), __WASI_ERRNO_NOENT);
  CHECK_ERRNO(__wasi_path_create_directory(dir, "f/d"), __WASI_ERRNO_NOTDIR);
  CHECK_ERRNO(__wasi_path_create_directory(dir, ""), __WASI_ERRNO_NOENT);
  CHECK_ERRNO(__wasi_path_create_directory(dir, "/abs"), __WASI_ERRNO_PERM);
  CHECK_ERRNO(__wasi_path_create_directory(dir, "../escape"), __WASI_ERRNO_PERM);
  CHECK_ERRNO(__wasi_path_create_directory(dir, "d/../../escape"), __WASI_ERRNO_PERM);

  __wasi_fd_t f = OPEN(dir, "f", 0, RIGHTS_RO, 0);
  CHECK_ERRNO(__wasi_path_create_directory(f, "x"), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_path_create_directory(BAD_FD, "x"), __WASI_ERRNO_BADF);
  CHECK_ERRNO(raw_path_create_directory(dir, BAD_ADDR, 4), __WASI_ERRNO_FAULT);
  return 0;
}
