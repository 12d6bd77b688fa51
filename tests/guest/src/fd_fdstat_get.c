// fd_fdstat_get: the file type, the flags given at open, and rights that follow the open
// mode: read-only has no FD_WRITE, write-only no FD_READ; a file can seek and tell; the
// preopen is a directory that can open paths and pass FD_READ/FD_WRITE on; stdin can read,
// stdout write. A descriptor that is not open is EBADF; a result pointer past memory,
// EFAULT.
#include "test.h"

static __wasi_fdstat_t fdstat(__wasi_fd_t fd) {
  __wasi_fdstat_t st;
  CHECK_OK(__wasi_fd_fdstat_get(fd, &st));
  return st;
}

#define HAS(rights, r) (((rights) & (r)) == (r))

int main(void) {
  __wasi_fd_t dir = WORKDIR("fd_fdstat_get");
  __wasi_fd_t rw = OPEN(dir, "file", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0);
  __wasi_fdstat_t st = fdstat(rw);
  CHECK_EQ(st.fs_filetype, __WASI_FILETYPE_REGULAR_FILE);
  CHECK_EQ(st.fs_flags, 0);
  CHECK(HAS(st.fs_rights_base, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK |
                                   __WASI_RIGHTS_FD_TELL));

  st = fdstat(OPEN(dir, "file", 0, RIGHTS_RO, 0));
  CHECK(HAS(st.fs_rights_base, __WASI_RIGHTS_FD_READ));
  CHECK(!HAS(st.fs_rights_base, __WASI_RIGHTS_FD_WRITE));

  st = fdstat(OPEN(dir, "file", 0, RIGHTS_WO, 0));
  CHECK(HAS(st.fs_rights_base, __WASI_RIGHTS_FD_WRITE));
  CHECK(!HAS(st.fs_rights_base, __WASI_RIGHTS_FD_READ));

  st = fdstat(OPEN(dir, "file", 0, RIGHTS_RW, __WASI_FDFLAGS_APPEND));
  CHECK_EQ(st.fs_flags, __WASI_FDFLAGS_APPEND);

  st = fdstat(SCRATCH);
  CHECK_EQ(st.fs_filetype, __WASI_FILETYPE_DIRECTORY);
  CHECK(HAS(st.fs_rights_base, __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_FD_READDIR |
                                   __WASI_RIGHTS_PATH_CREATE_FILE |
                                   __WASI_RIGHTS_PATH_CREATE_DIRECTORY));
  CHECK(HAS(st.fs_rights_inheriting, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK));

  st = fdstat(dir);
  CHECK_EQ(st.fs_filetype, __WASI_FILETYPE_DIRECTORY);
  CHECK(HAS(st.fs_rights_base, __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_FD_READDIR));
  CHECK(!HAS(st.fs_rights_base, __WASI_RIGHTS_FD_SEEK));

  CHECK(HAS(fdstat(0).fs_rights_base, __WASI_RIGHTS_FD_READ));
  CHECK(HAS(fdstat(1).fs_rights_base, __WASI_RIGHTS_FD_WRITE));
  CHECK(HAS(fdstat(2).fs_rights_base, __WASI_RIGHTS_FD_WRITE));

  CHECK_ERRNO(__wasi_fd_fdstat_get(BAD_FD, &st), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_fdstat_get(rw, BAD_PTR), __WASI_ERRNO_FAULT);
  CHECK_OK(__wasi_fd_close(rw));
  CHECK_ERRNO(__wasi_fd_fdstat_get(rw, &st), __WASI_ERRNO_BADF);
  return 0;
}
