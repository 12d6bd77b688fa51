// path_symlink: creates a symlink holding the target as given, which need not exist; an
// existing name (file, directory, symlink) is EEXIST, a trailing slash on a new name ENOENT
// and on an existing file ENOTDIR, a missing parent ENOENT, an escaping link name EPERM; an
// absolute target may be stored but not followed (EPERM). A file as dirfd or a descriptor
// that is not open is EBADF; a path past memory is EFAULT.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("path_symlink");
  MAKE_FILE(dir, "file", "data");
  CHECK_OK(__wasi_path_create_directory(dir, "sub"));

  CHECK_OK(__wasi_path_symlink("file", dir, "link"));
  __wasi_filestat_t st = LSTAT(dir, "link");
  CHECK_EQ(st.filetype, __WASI_FILETYPE_SYMBOLIC_LINK);
  CHECK_EQ(st.size, 4);
  uint8_t buf[32];
  __wasi_size_t n;
  CHECK_OK(__wasi_path_readlink(dir, "link", buf, sizeof buf, &n));
  CHECK_EQ(n, 4);
  CHECK_MEM(buf, "file", 4);
  CHECK_EQ(STAT(dir, "link").ino, LSTAT(dir, "file").ino);

  CHECK_OK(__wasi_path_symlink("../file", dir, "sub/up"));
  CHECK_EQ(STAT(dir, "sub/up").ino, LSTAT(dir, "file").ino);
  CHECK_OK(__wasi_path_symlink("does/not/exist", dir, "dangling"));
  CHECK_OK(__wasi_path_symlink("/etc/passwd", dir, "abs"));
  CHECK_OK(__wasi_path_readlink(dir, "abs", buf, sizeof buf, &n));
  CHECK_EQ(n, 11);
  __wasi_fd_t fd;
  CHECK_ERRNO(__wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "abs", 0, RIGHTS_RO, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_PERM);

  CHECK_ERRNO(__wasi_path_symlink("x", dir, "file"), __WASI_ERRNO_EXIST);
  CHECK_ERRNO(__wasi_path_symlink("x", dir, "sub"), __WASI_ERRNO_EXIST);
  CHECK_ERRNO(__wasi_path_symlink("x", dir, "sub/"), __WASI_ERRNO_EXIST);
  CHECK_ERRNO(__wasi_path_symlink("x", dir, "link"), __WASI_ERRNO_EXIST);
  CHECK_ERRNO(__wasi_path_symlink("x", dir, "dangling"), __WASI_ERRNO_EXIST);
  CHECK_ERRNO(__wasi_path_symlink("x", dir, "new/"), __WASI_ERRNO_NOENT);
  CHECK_ERRNO(__wasi_path_symlink("x", dir, "file/"), __WASI_ERRNO_NOTDIR);
  CHECK_ERRNO(__wasi_path_symlink("x", dir, "missing/new"), __WASI_ERRNO_NOENT);
  CHECK_ERRNO(__wasi_path_symlink("x", dir, "../escape"), __WASI_ERRNO_PERM);
  CHECK_ERRNO(__wasi_path_symlink("x", dir, "/abs"), __WASI_ERRNO_PERM);

  __wasi_fd_t f = OPEN(dir, "file", 0, RIGHTS_RO, 0);
  CHECK_ERRNO(__wasi_path_symlink("x", f, "new"), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_path_symlink("x", BAD_FD, "new"), __WASI_ERRNO_BADF);
  CHECK_ERRNO(raw_path_symlink(BAD_ADDR, 4, dir, RAW_STR("new")), __WASI_ERRNO_FAULT);
  CHECK_ERRNO(raw_path_symlink(RAW_STR("x"), dir, BAD_ADDR, 3), __WASI_ERRNO_FAULT);
  return 0;
}
