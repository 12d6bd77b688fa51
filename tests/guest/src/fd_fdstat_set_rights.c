// fd_fdstat_set_rights: rights can only be dropped. After dropping FD_WRITE a write is
// ENOTCAPABLE (the guest gave the right up), fdstat shows the new rights, and asking for a
// right back is ENOTCAPABLE. Dropping a directory's inheriting rights narrows what is opened
// from it. EBADF on a descriptor that is not open.
// (wasmtime ignores rights and answers ENOTSUP; isokernel implements them: docs/abi.md.)
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("fd_fdstat_set_rights");
  __wasi_fd_t f = OPEN(dir, "file", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0);
  __wasi_fdstat_t st;
  CHECK_OK(__wasi_fd_fdstat_get(f, &st));
  CHECK(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE);
  __wasi_rights_t keep = st.fs_rights_base & ~__WASI_RIGHTS_FD_WRITE;
  CHECK_OK(__wasi_fd_fdstat_set_rights(f, keep, 0));
  CHECK_OK(__wasi_fd_fdstat_get(f, &st));
  CHECK_EQ(st.fs_rights_base, keep);
  CHECK_EQ(st.fs_rights_inheriting, 0);
  __wasi_ciovec_t iov = {(const uint8_t *)"x", 1};
  __wasi_size_t n;
  CHECK_ERRNO(__wasi_fd_write(f, &iov, 1, &n), __WASI_ERRNO_NOTCAPABLE);
  CHECK_ERRNO(__wasi_fd_fdstat_set_rights(f, keep | __WASI_RIGHTS_FD_WRITE, 0), __WASI_ERRNO_NOTCAPABLE);
  char buf[4];
  CHECK_EQ(READ_UPTO(f, buf, sizeof buf), 0);

  // A directory that no longer passes FD_WRITE on opens files that cannot write.
  CHECK_OK(__wasi_fd_fdstat_get(dir, &st));
  CHECK_OK(__wasi_fd_fdstat_set_rights(dir, st.fs_rights_base, st.fs_rights_inheriting & ~__WASI_RIGHTS_FD_WRITE));
  __wasi_fd_t g = OPEN(dir, "file", 0, RIGHTS_RW, 0);
  CHECK_ERRNO(__wasi_fd_write(g, &iov, 1, &n), __WASI_ERRNO_NOTCAPABLE);

  CHECK_ERRNO(__wasi_fd_fdstat_set_rights(BAD_FD, 0, 0), __WASI_ERRNO_BADF);
  return 0;
}
