// path_rename of files: to a new name, over an existing file (which it replaces) or symlink,
// into another directory descriptor; a file onto itself is a no-op; a symlink is renamed
// itself. A file onto a directory is EISDIR; a trailing slash on a file ENOTDIR; a missing
// source ENOENT; an escaping name EPERM. A file as dirfd or a descriptor that is not open is
// EBADF; a path past memory is EFAULT.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("path_rename");
  __wasi_filestat_t st;
  MAKE_FILE(dir, "a", "AAA");
  __wasi_inode_t ino = LSTAT(dir, "a").ino;
  CHECK_OK(__wasi_path_rename(dir, "a", dir, "b"));
  CHECK_ERRNO(__wasi_path_filestat_get(dir, 0, "a", &st), __WASI_ERRNO_NOENT);
  CHECK_EQ(LSTAT(dir, "b").ino, ino);

  MAKE_FILE(dir, "c", "CCCCC");
  __wasi_fd_t held = OPEN(dir, "c", 0, RIGHTS_RO, 0);  // the replaced file lives on while open
  CHECK_OK(__wasi_path_rename(dir, "b", dir, "c"));
  st = LSTAT(dir, "c");
  CHECK_EQ(st.ino, ino);
  CHECK_EQ(st.size, 3);
  char buf[8];
  CHECK_EQ(READ_UPTO(held, buf, sizeof buf), 5);
  CHECK_MEM(buf, "CCCCC", 5);

  CHECK_OK(__wasi_path_rename(dir, "c", dir, "c"));
  CHECK_EQ(LSTAT(dir, "c").ino, ino);

  CHECK_OK(__wasi_path_create_directory(dir, "sub"));
  __wasi_fd_t sub = OPEN_DIR(dir, "sub");
  CHECK_OK(__wasi_path_rename(dir, "c", sub, "moved"));
  CHECK_EQ(LSTAT(dir, "sub/moved").ino, ino);
  CHECK_OK(__wasi_path_rename(sub, "moved", dir, "back"));

  CHECK_OK(__wasi_path_symlink("back", dir, "link"));
  CHECK_OK(__wasi_path_rename(dir, "link", dir, "link2"));
  CHECK_EQ(LSTAT(dir, "link2").filetype, __WASI_FILETYPE_SYMBOLIC_LINK);
  CHECK_EQ(STAT(dir, "link2").ino, ino);
  MAKE_FILE(dir, "over-link", "new");
  CHECK_OK(__wasi_path_rename(dir, "over-link", dir, "link2"));
  CHECK_EQ(LSTAT(dir, "link2").filetype, __WASI_FILETYPE_REGULAR_FILE);
  CHECK_EQ(LSTAT(dir, "back").size, 3);

  CHECK_ERRNO(__wasi_path_rename(dir, "back", dir, "sub"), __WASI_ERRNO_ISDIR);
  CHECK_ERRNO(__wasi_path_rename(dir, "back/", dir, "x"), __WASI_ERRNO_NOTDIR);
  CHECK_ERRNO(__wasi_path_rename(dir, "back", dir, "x/"), __WASI_ERRNO_NOTDIR);
  CHECK_ERRNO(__wasi_path_rename(dir, "missing", dir, "x"), __WASI_ERRNO_NOENT);
  CHECK_ERRNO(__wasi_path_rename(dir, "back", dir, "missing/x"), __WASI_ERRNO_NOENT);
  CHECK_ERRNO(__wasi_path_rename(dir, "back", dir, "../x"), __WASI_ERRNO_PERM);
  CHECK_ERRNO(__wasi_path_rename(dir, "/abs", dir, "x"), __WASI_ERRNO_PERM);
  CHECK_EQ(LSTAT(dir, "back").ino, ino);

  __wasi_fd_t f = OPEN(dir, "back", 0, RIGHTS_RO, 0);
  CHECK_ERRNO(__wasi_path_rename(f, "x", dir, "y"), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_path_rename(dir, "back", f, "y"), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_path_rename(BAD_FD, "back", dir, "y"), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_path_rename(dir, "back", BAD_FD, "y"), __WASI_ERRNO_BADF);
  CHECK_ERRNO(raw_path_rename(dir, BAD_ADDR, 4, dir, RAW_STR("y")), __WASI_ERRNO_FAULT);
  CHECK_ERRNO(raw_path_rename(dir, RAW_STR("back"), dir, BAD_ADDR, 1), __WASI_ERRNO_FAULT);
  return 0;
}
