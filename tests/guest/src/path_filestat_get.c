// path_filestat_get: type, size, link count and inode of files and directories; without
// SYMLINK_FOLLOW a symlink is described itself (its size is its target's length), with it
// the file it points to (a dangling one is ENOENT); a missing name is ENOENT, a file used
// as a directory ENOTDIR, an absolute or escaping path EPERM. A file as dirfd or a
// descriptor that is not open is EBADF; a path or result past memory is EFAULT.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("path_filestat_get");
  MAKE_FILE(dir, "file", "12345");
  CHECK_OK(__wasi_path_create_directory(dir, "sub"));
  CHECK_OK(__wasi_path_symlink("file", dir, "link"));
  CHECK_OK(__wasi_path_symlink("nowhere", dir, "dangling"));

  __wasi_filestat_t st = LSTAT(dir, "file");
  CHECK_EQ(st.filetype, __WASI_FILETYPE_REGULAR_FILE);
  CHECK_EQ(st.size, 5);
  CHECK_EQ(st.nlink, 1);
  __wasi_fd_t f = OPEN(dir, "file", 0, RIGHTS_RO, 0);
  __wasi_filestat_t fst = FSTAT(f);
  CHECK_EQ(st.ino, fst.ino);
  CHECK_EQ(st.dev, fst.dev);
  CHECK_EQ(st.mtim, fst.mtim);

  CHECK_EQ(LSTAT(dir, "sub").filetype, __WASI_FILETYPE_DIRECTORY);
  CHECK_EQ(LSTAT(dir, "sub/").filetype, __WASI_FILETYPE_DIRECTORY);
  CHECK_EQ(LSTAT(dir, ".").ino, FSTAT(dir).ino);

  __wasi_filestat_t l = LSTAT(dir, "link");
  CHECK_EQ(l.filetype, __WASI_FILETYPE_SYMBOLIC_LINK);
  CHECK_EQ(l.size, 4);
  CHECK(l.ino != st.ino);
  __wasi_filestat_t t = STAT(dir, "link");
  CHECK_EQ(t.filetype, __WASI_FILETYPE_REGULAR_FILE);
  CHECK_EQ(t.ino, st.ino);
  CHECK_EQ(t.size, 5);
  CHECK_EQ(LSTAT(dir, "dangling").filetype, __WASI_FILETYPE_SYMBOLIC_LINK);

  __wasi_filestat_t out;
  CHECK_ERRNO(__wasi_path_filestat_get(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "dangling", &out), __WASI_ERRNO_NOENT);
  CHECK_ERRNO(__wasi_path_filestat_get(dir, 0, "missing", &out), __WASI_ERRNO_NOENT);
  CHECK_ERRNO(__wasi_path_filestat_get(dir, 0, "file/", &out), __WASI_ERRNO_NOTDIR);
  CHECK_ERRNO(__wasi_path_filestat_get(dir, 0, "file/x", &out), __WASI_ERRNO_NOTDIR);
  CHECK_ERRNO(__wasi_path_filestat_get(dir, 0, "/abs", &out), __WASI_ERRNO_PERM);
  CHECK_ERRNO(__wasi_path_filestat_get(dir, 0, "../x", &out), __WASI_ERRNO_PERM);
  CHECK_ERRNO(__wasi_path_filestat_get(f, 0, "x", &out), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_path_filestat_get(BAD_FD, 0, "file", &out), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_path_filestat_get(dir, 0, "file", BAD_PTR), __WASI_ERRNO_FAULT);
  CHECK_ERRNO(raw_path_filestat_get(dir, 0, BAD_ADDR, 4, RAW_PTR(&out)), __WASI_ERRNO_FAULT);
  return 0;
}
