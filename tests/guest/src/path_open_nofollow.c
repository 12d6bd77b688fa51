// path_open and symlinks: without SYMLINK_FOLLOW a symlink as the last component is ELOOP
// (Linux O_NOFOLLOW), also with CREAT; as DIRECTORY, ELOOP or ENOTDIR; with SYMLINK_FOLLOW
// it opens the target (a dangling one is ENOENT). Symlinks before the last component are
// always followed.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("path_open_nofollow");
  MAKE_FILE(dir, "file", "target data");
  CHECK_OK(__wasi_path_create_directory(dir, "sub"));
  MAKE_FILE(dir, "sub/inner", "inner");
  CHECK_OK(__wasi_path_symlink("file", dir, "to-file"));
  CHECK_OK(__wasi_path_symlink("sub", dir, "to-sub"));
  CHECK_OK(__wasi_path_symlink("nowhere", dir, "dangling"));

  __wasi_fd_t fd;
  CHECK_ERRNO(__wasi_path_open(dir, 0, "to-file", 0, RIGHTS_RO, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_LOOP);
  CHECK_ERRNO(__wasi_path_open(dir, 0, "to-file", __WASI_OFLAGS_CREAT, RIGHTS_RW, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_LOOP);
  CHECK_ERRNO(__wasi_path_open(dir, 0, "dangling", 0, RIGHTS_RO, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_LOOP);
  CHECK_ERRNO2(__wasi_path_open(dir, 0, "to-sub", __WASI_OFLAGS_DIRECTORY, RIGHTS_DIR, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_LOOP, __WASI_ERRNO_NOTDIR);

  __wasi_fd_t f = OPEN(dir, "to-file", 0, RIGHTS_RO, 0);
  char buf[16];
  CHECK_EQ(READ_UPTO(f, buf, sizeof buf), 11);
  CHECK_MEM(buf, "target data", 11);
  CHECK_EQ(FSTAT(f).ino, LSTAT(dir, "file").ino);
  __wasi_fd_t d = OPEN_DIR(dir, "to-sub");
  CHECK_EQ(FSTAT(d).ino, LSTAT(dir, "sub").ino);
  CHECK_ERRNO(__wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "dangling", 0, RIGHTS_RO, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_NOENT);

  CHECK_OK(__wasi_path_open(dir, 0, "to-sub/inner", 0, RIGHTS_RO, RIGHTS_ALL, 0, &fd));
  CHECK_EQ(READ_UPTO(fd, buf, sizeof buf), 5);
  CHECK_MEM(buf, "inner", 5);
  return 0;
}
