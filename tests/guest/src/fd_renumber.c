// fd_renumber(from, to): `to` now refers to what `from` did (same file, same position) and
// `from` is closed; renumbering onto stdout redirects it; a descriptor onto itself is a
// no-op. wasmtime requires both to be open: either not open is EBADF and changes nothing.
// test: stdout=
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("fd_renumber");
  MAKE_FILE(dir, "a", "AAAA");
  MAKE_FILE(dir, "b", "BBBB");
  __wasi_fd_t a = OPEN(dir, "a", 0, RIGHTS_RO, 0);
  __wasi_fd_t b = OPEN(dir, "b", 0, RIGHTS_RO, 0);
  __wasi_filesize_t pos;
  CHECK_OK(__wasi_fd_seek(a, 2, __WASI_WHENCE_SET, &pos));
  CHECK_OK(__wasi_fd_renumber(a, b));
  __wasi_fdstat_t st;
  CHECK_ERRNO(__wasi_fd_fdstat_get(a, &st), __WASI_ERRNO_BADF);
  CHECK_OK(__wasi_fd_tell(b, &pos));
  CHECK_EQ(pos, 2);
  char buf[8];
  CHECK_EQ(READ_UPTO(b, buf, sizeof buf), 2);
  CHECK_MEM(buf, "AA", 2);

  CHECK_OK(__wasi_fd_renumber(b, b));
  CHECK_OK(__wasi_fd_fdstat_get(b, &st));

  CHECK_ERRNO(__wasi_fd_renumber(b, BAD_FD), __WASI_ERRNO_BADF);
  CHECK_OK(__wasi_fd_fdstat_get(b, &st));
  CHECK_ERRNO(__wasi_fd_renumber(BAD_FD, b), __WASI_ERRNO_BADF);
  CHECK_OK(__wasi_fd_fdstat_get(b, &st));
  CHECK_ERRNO(__wasi_fd_renumber(a, b), __WASI_ERRNO_BADF);

  __wasi_fd_t out = OPEN(dir, "out", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0);
  CHECK_OK(__wasi_fd_renumber(out, 1));
  WRITE_STR(1, "redirected");
  CHECK_ERRNO(__wasi_fd_close(out), __WASI_ERRNO_BADF);
  CHECK_EQ(LSTAT(dir, "out").size, 10);
  return 0;
}
