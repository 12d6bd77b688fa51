// path_open with CREAT: creates an empty regular file; an existing file is opened as it is
// (not truncated); an existing directory is EISDIR; a missing parent ENOENT, a file as
// parent ENOTDIR; outside the directory EPERM.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("path_open_creat");
  __wasi_fd_t f = OPEN(dir, "new", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0);
  __wasi_filestat_t st = FSTAT(f);
  CHECK_EQ(st.filetype, __WASI_FILETYPE_REGULAR_FILE);
  CHECK_EQ(st.size, 0);
  CHECK_EQ(LSTAT(dir, "new").ino, st.ino);
  WRITE_STR(f, "abc");

  __wasi_fd_t g = OPEN(dir, "new", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0);
  CHECK_EQ(FSTAT(g).ino, st.ino);
  CHECK_EQ(FSTAT(g).size, 3);
  char buf[4];
  CHECK_EQ(READ_UPTO(g, buf, sizeof buf), 3);
  CHECK_MEM(buf, "abc", 3);
  CHECK_EQ(FSTAT(OPEN(dir, "ro-new", __WASI_OFLAGS_CREAT, RIGHTS_RO, 0)).size, 0);

  CHECK_OK(__wasi_path_create_directory(dir, "sub"));
  __wasi_fd_t fd;
  CHECK_ERRNO(__wasi_path_open(dir, 0, "sub", __WASI_OFLAGS_CREAT, RIGHTS_RW, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_ISDIR);
  CHECK_ERRNO(__wasi_path_open(dir, 0, "missing/x", __WASI_OFLAGS_CREAT, RIGHTS_RW, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_NOENT);
  CHECK_ERRNO(__wasi_path_open(dir, 0, "new/x", __WASI_OFLAGS_CREAT, RIGHTS_RW, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_NOTDIR);
  CHECK_ERRNO(__wasi_path_open(dir, 0, "../x", __WASI_OFLAGS_CREAT, RIGHTS_RW, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_PERM);
  CHECK_ERRNO(__wasi_path_open(dir, 0, "/x", __WASI_OFLAGS_CREAT, RIGHTS_RW, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_PERM);
  return 0;
}
