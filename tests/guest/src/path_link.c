// path_link: a hard link is the same file (same inode, shared data) and counts in nlink,
// in the same directory or another; unlinking one name leaves the other. An existing name
// at the target (file, directory, itself) is EEXIST; a trailing slash on the new name or a
// missing source ENOENT; a directory as source EPERM; SYMLINK_FOLLOW EINVAL (wasmtime does
// not follow); a symlink is linked itself, even a dangling one; an escaping target is EPERM.
// A file as dirfd or a descriptor that is not open is EBADF; a path past memory is EFAULT.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("path_link");
  MAKE_FILE(dir, "file", "data");
  CHECK_OK(__wasi_path_link(dir, 0, "file", dir, "link"));
  __wasi_filestat_t a = LSTAT(dir, "file"), b = LSTAT(dir, "link");
  CHECK_EQ(a.ino, b.ino);
  CHECK_EQ(a.nlink, 2);
  CHECK_EQ(b.nlink, 2);
  __wasi_fd_t w = OPEN(dir, "link", 0, RIGHTS_RW, __WASI_FDFLAGS_APPEND);
  WRITE_STR(w, "+more");
  CHECK_EQ(LSTAT(dir, "file").size, 9);

  CHECK_OK(__wasi_path_create_directory(dir, "sub"));
  __wasi_fd_t sub = OPEN_DIR(dir, "sub");
  CHECK_OK(__wasi_path_link(dir, 0, "file", sub, "other"));
  CHECK_EQ(LSTAT(sub, "other").ino, a.ino);
  CHECK_EQ(LSTAT(dir, "file").nlink, 3);

  CHECK_OK(__wasi_path_unlink_file(dir, "file"));
  CHECK_EQ(LSTAT(dir, "link").nlink, 2);
  char buf[16];
  __wasi_fd_t r = OPEN(sub, "other", 0, RIGHTS_RO, 0);
  CHECK_EQ(READ_UPTO(r, buf, sizeof buf), 9);
  CHECK_MEM(buf, "data+more", 9);
  CHECK_OK(__wasi_path_link(dir, 0, "link", dir, "file"));

  MAKE_FILE(dir, "taken", "");
  CHECK_ERRNO(__wasi_path_link(dir, 0, "file", dir, "taken"), __WASI_ERRNO_EXIST);
  CHECK_ERRNO(__wasi_path_link(dir, 0, "file", dir, "file"), __WASI_ERRNO_EXIST);
  CHECK_ERRNO(__wasi_path_link(dir, 0, "file", dir, "sub"), __WASI_ERRNO_EXIST);
  CHECK_ERRNO(__wasi_path_link(dir, 0, "file", dir, "new/"), __WASI_ERRNO_NOENT);
  CHECK_ERRNO(__wasi_path_link(dir, 0, "missing", dir, "new"), __WASI_ERRNO_NOENT);
  CHECK_ERRNO(__wasi_path_link(dir, 0, "sub", dir, "new"), __WASI_ERRNO_PERM);
  CHECK_ERRNO(__wasi_path_link(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "file", dir, "new"), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_path_link(dir, 0, "file", dir, "../escape"), __WASI_ERRNO_PERM);
  CHECK_ERRNO(__wasi_path_link(dir, 0, "/abs", dir, "new"), __WASI_ERRNO_PERM);

  CHECK_OK(__wasi_path_symlink("nowhere", dir, "dangling"));
  CHECK_OK(__wasi_path_link(dir, 0, "dangling", dir, "hard-dangling"));
  __wasi_filestat_t hd = LSTAT(dir, "hard-dangling");
  CHECK_EQ(hd.filetype, __WASI_FILETYPE_SYMBOLIC_LINK);
  CHECK_EQ(hd.ino, LSTAT(dir, "dangling").ino);
  CHECK_ERRNO(__wasi_path_link(dir, 0, "file", dir, "dangling"), __WASI_ERRNO_EXIST);

  __wasi_fd_t f = OPEN(dir, "file", 0, RIGHTS_RO, 0);
  CHECK_ERRNO(__wasi_path_link(f, 0, "x", dir, "new"), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_path_link(dir, 0, "file", f, "new"), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_path_link(BAD_FD, 0, "file", dir, "new"), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_path_link(dir, 0, "file", BAD_FD, "new"), __WASI_ERRNO_BADF);
  CHECK_ERRNO(raw_path_link(dir, 0, BAD_ADDR, 4, dir, RAW_STR("new")), __WASI_ERRNO_FAULT);
  CHECK_ERRNO(raw_path_link(dir, 0, RAW_STR("file"), dir, BAD_ADDR, 3), __WASI_ERRNO_FAULT);
  return 0;
}
