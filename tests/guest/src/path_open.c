// path_open without oflags: opens files and directories (a directory needs no DIRECTORY
// flag) by paths with ".", ".." and trailing slashes on directories; a missing name is
// ENOENT, a trailing slash on a file ENOTDIR, a directory asked for writing EISDIR, a name
// over 255 bytes ENAMETOOLONG, a NUL inside the path EINVAL; a file as dirfd is ENOTDIR (as
// wasmtime), stdout or a descriptor that is not open EBADF; a path or result past memory is
// EFAULT.
#include "test.h"

static __wasi_fd_t try_open(__wasi_fd_t dir, const char *path, __wasi_rights_t rights, __wasi_errno_t want) {
  __wasi_fd_t fd = BAD_FD;
  __wasi_errno_t e = __wasi_path_open(dir, 0, path, 0, rights, RIGHTS_ALL, 0, &fd);
  if (e != want) ERRNO_FAIL("path_open(\"%s\"): expected %s, got %s", path, errno_name(want), errno_name(e));
  return fd;
}

int main(void) {
  __wasi_fd_t dir = WORKDIR("path_open");
  MAKE_FILE(dir, "file", "content");
  CHECK_OK(__wasi_path_create_directory(dir, "sub"));

  __wasi_fd_t f = try_open(dir, "file", RIGHTS_RO, 0);
  char buf[16];
  CHECK_EQ(READ_UPTO(f, buf, sizeof buf), 7);
  CHECK_MEM(buf, "content", 7);
  __wasi_fd_t f2 = try_open(dir, "./sub/../file", RIGHTS_RO, 0);
  CHECK(f2 != f);
  CHECK_EQ(FSTAT(f2).ino, FSTAT(f).ino);

  __wasi_fd_t d = try_open(dir, "sub", RIGHTS_DIR, 0);
  __wasi_fdstat_t st;
  CHECK_OK(__wasi_fd_fdstat_get(d, &st));
  CHECK_EQ(st.fs_filetype, __WASI_FILETYPE_DIRECTORY);
  try_open(d, "../file", RIGHTS_RO, __WASI_ERRNO_PERM);  // d is a capability of its own
  try_open(dir, "sub/", RIGHTS_DIR, 0);
  try_open(dir, "sub//.//", RIGHTS_DIR, 0);
  try_open(dir, ".", RIGHTS_DIR, 0);

  try_open(dir, "missing", RIGHTS_RO, __WASI_ERRNO_NOENT);
  try_open(dir, "missing/file", RIGHTS_RO, __WASI_ERRNO_NOENT);
  try_open(dir, "", RIGHTS_RO, __WASI_ERRNO_NOENT);
  try_open(dir, "file/", RIGHTS_RO, __WASI_ERRNO_NOTDIR);
  try_open(dir, "file/x", RIGHTS_RO, __WASI_ERRNO_NOTDIR);
  try_open(dir, "sub", RIGHTS_RW, __WASI_ERRNO_ISDIR);
  char longname[300];
  memset(longname, 'n', 299);
  longname[299] = 0;
  try_open(dir, longname, RIGHTS_RO, __WASI_ERRNO_NAMETOOLONG);

  try_open(f, "x", RIGHTS_RO, __WASI_ERRNO_NOTDIR);
  try_open(1, "x", RIGHTS_RO, __WASI_ERRNO_BADF);
  try_open(BAD_FD, "file", RIGHTS_RO, __WASI_ERRNO_BADF);

  __wasi_fd_t out;
  static const char with_nul[] = "file\0x";
  CHECK_ERRNO(raw_path_open(dir, 0, RAW_PTR(with_nul), 6, 0, RIGHTS_RO, RIGHTS_ALL, 0, RAW_PTR(&out)), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(raw_path_open(dir, 0, BAD_ADDR, 4, 0, RIGHTS_RO, RIGHTS_ALL, 0, RAW_PTR(&out)), __WASI_ERRNO_FAULT);
  CHECK_ERRNO(__wasi_path_open(dir, 0, "file", 0, RIGHTS_RO, RIGHTS_ALL, 0, BAD_PTR), __WASI_ERRNO_FAULT);
  return 0;
}
