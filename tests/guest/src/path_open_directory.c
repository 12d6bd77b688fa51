// path_open with DIRECTORY: opens a directory (also through a followed symlink) that works
// as a dirfd; a file is ENOTDIR, a missing name ENOENT; DIRECTORY with CREAT, EXCL or TRUNC
// is EINVAL (wasmtime) and creates nothing.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("path_open_directory");
  MAKE_FILE(dir, "file", "");
  CHECK_OK(__wasi_path_create_directory(dir, "sub"));
  CHECK_OK(__wasi_path_symlink("sub", dir, "to-sub"));
  CHECK_OK(__wasi_path_symlink("file", dir, "to-file"));

  __wasi_fd_t d = OPEN_DIR(dir, "sub");
  MAKE_FILE(d, "inside", "");
  CHECK_EQ(LSTAT(dir, "sub/inside").filetype, __WASI_FILETYPE_REGULAR_FILE);
  __wasi_fd_t via = OPEN_DIR(dir, "to-sub");
  CHECK_EQ(FSTAT(via).ino, FSTAT(d).ino);

  __wasi_fd_t fd;
#define OPEN_ERR(path, lookup, oflags, want) \
  CHECK_ERRNO(__wasi_path_open(dir, (lookup), (path), (oflags), RIGHTS_DIR, RIGHTS_ALL, 0, &fd), (want))
  OPEN_ERR("file", 0, __WASI_OFLAGS_DIRECTORY, __WASI_ERRNO_NOTDIR);
  OPEN_ERR("to-file", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, __WASI_OFLAGS_DIRECTORY, __WASI_ERRNO_NOTDIR);
  OPEN_ERR("missing", 0, __WASI_OFLAGS_DIRECTORY, __WASI_ERRNO_NOENT);
  OPEN_ERR("new", 0, __WASI_OFLAGS_DIRECTORY | __WASI_OFLAGS_CREAT, __WASI_ERRNO_INVAL);
  OPEN_ERR("sub", 0, __WASI_OFLAGS_DIRECTORY | __WASI_OFLAGS_CREAT, __WASI_ERRNO_INVAL);
  OPEN_ERR("sub", 0, __WASI_OFLAGS_DIRECTORY | __WASI_OFLAGS_EXCL, __WASI_ERRNO_INVAL);
  OPEN_ERR("sub", 0, __WASI_OFLAGS_DIRECTORY | __WASI_OFLAGS_TRUNC, __WASI_ERRNO_INVAL);
  __wasi_filestat_t st;
  CHECK_ERRNO(__wasi_path_filestat_get(dir, 0, "new", &st), __WASI_ERRNO_NOENT);
  return 0;
}
