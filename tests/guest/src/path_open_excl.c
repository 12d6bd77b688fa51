// path_open with CREAT|EXCL: creates a new file; an existing file, directory or symlink
// (even a dangling one, which is not followed) is EEXIST and is left alone; EXCL without
// CREAT is ignored.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("path_open_excl");
  __wasi_oflags_t excl = __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL;
  __wasi_fd_t f = OPEN(dir, "new", excl, RIGHTS_RW, 0);
  WRITE_STR(f, "first");
  __wasi_fd_t fd;
  CHECK_ERRNO(__wasi_path_open(dir, 0, "new", excl, RIGHTS_RW, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_EXIST);
  CHECK_ERRNO(__wasi_path_open(dir, 0, "new", excl | __WASI_OFLAGS_TRUNC, RIGHTS_RW, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_EXIST);
  CHECK_EQ(LSTAT(dir, "new").size, 5);

  CHECK_OK(__wasi_path_create_directory(dir, "sub"));
  CHECK_ERRNO(__wasi_path_open(dir, 0, "sub", excl, RIGHTS_RW, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_EXIST);
  CHECK_OK(__wasi_path_symlink("target", dir, "dangling"));
  CHECK_ERRNO(__wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "dangling", excl, RIGHTS_RW, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_EXIST);
  __wasi_filestat_t st;
  CHECK_ERRNO(__wasi_path_filestat_get(dir, 0, "target", &st), __WASI_ERRNO_NOENT);

  __wasi_fd_t g = OPEN(dir, "new", __WASI_OFLAGS_EXCL, RIGHTS_RO, 0);
  CHECK_EQ(FSTAT(g).size, 5);
  return 0;
}
