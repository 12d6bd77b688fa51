// path_readlink: writes a symlink's target as stored (no NUL; relative, absolute or
// dangling alike) and returns its length; a buffer too short gets the first bytes and the
// shorter length (wasmtime truncates silently); a file or directory is EINVAL, a missing
// name ENOENT, an escaping path EPERM. A file as dirfd or a descriptor that is not open is
// EBADF; a path, buffer or result past memory is EFAULT.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("path_readlink");
  CHECK_OK(__wasi_path_symlink("target", dir, "link"));
  CHECK_OK(__wasi_path_symlink("/an/absolute/path", dir, "abs"));
  MAKE_FILE(dir, "file", "");
  CHECK_OK(__wasi_path_create_directory(dir, "sub"));

  uint8_t buf[16];
  __wasi_size_t n;
  memset(buf, 0, sizeof buf);
  CHECK_OK(__wasi_path_readlink(dir, "link", buf, 10, &n));
  CHECK_EQ(n, 6);
  CHECK_MEM(buf, "target\0\0\0\0", 10);  // no NUL written, the rest untouched

  memset(buf, '#', sizeof buf);
  CHECK_OK(__wasi_path_readlink(dir, "link", buf, 4, &n));
  CHECK_EQ(n, 4);
  CHECK_MEM(buf, "targ##", 6);
  CHECK_OK(__wasi_path_readlink(dir, "link", buf, 0, &n));
  CHECK_EQ(n, 0);
  CHECK_OK(__wasi_path_readlink(dir, "link", buf, 6, &n));
  CHECK_EQ(n, 6);

  CHECK_OK(__wasi_path_readlink(dir, "abs", buf, sizeof buf, &n));
  CHECK_EQ(n, 16);
  CHECK_MEM(buf, "/an/absolute/pat", 16);
  CHECK_OK(__wasi_path_symlink("link", dir, "sub/../chain"));
  CHECK_OK(__wasi_path_readlink(dir, "chain", buf, sizeof buf, &n));
  CHECK_EQ(n, 4);
  CHECK_MEM(buf, "link", 4);

  CHECK_ERRNO(__wasi_path_readlink(dir, "file", buf, sizeof buf, &n), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_path_readlink(dir, "sub", buf, sizeof buf, &n), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_path_readlink(dir, "missing", buf, sizeof buf, &n), __WASI_ERRNO_NOENT);
  CHECK_ERRNO(__wasi_path_readlink(dir, "../x", buf, sizeof buf, &n), __WASI_ERRNO_PERM);
  CHECK_ERRNO(__wasi_path_readlink(dir, "/abs", buf, sizeof buf, &n), __WASI_ERRNO_PERM);

  __wasi_fd_t f = OPEN(dir, "file", 0, RIGHTS_RO, 0);
  CHECK_ERRNO(__wasi_path_readlink(f, "link", buf, sizeof buf, &n), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_path_readlink(BAD_FD, "link", buf, sizeof buf, &n), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_path_readlink(dir, "link", BAD_PTR, 10, &n), __WASI_ERRNO_FAULT);
  CHECK_ERRNO(__wasi_path_readlink(dir, "link", buf, sizeof buf, BAD_PTR), __WASI_ERRNO_FAULT);
  CHECK_ERRNO(raw_path_readlink(dir, BAD_ADDR, 4, RAW_PTR(buf), sizeof buf, RAW_PTR(&n)), __WASI_ERRNO_FAULT);
  return 0;
}
