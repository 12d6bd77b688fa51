// fd_prestat_dir_name: writes the preopen's name (argv[1] here), with no NUL and nothing
// past it; a buffer too short is ENAMETOOLONG; a descriptor that is open but not a preopen
// is ENOTDIR (as wasmtime), one that is not open EBADF; a buffer past memory is EFAULT.
// test: args=$SCRATCH
#include "test.h"

int main(int argc, char **argv) {
  CHECK_EQ(argc, 2);
  size_t len = strlen(argv[1]);
  char buf[64];
  memset(buf, '#', sizeof buf);
  CHECK_OK(__wasi_fd_prestat_dir_name(SCRATCH, (uint8_t *)buf, len));
  CHECK_MEM(buf, argv[1], len);
  CHECK(buf[len] == '#');
  memset(buf, '#', sizeof buf);
  CHECK_OK(__wasi_fd_prestat_dir_name(SCRATCH, (uint8_t *)buf, sizeof buf));
  CHECK_MEM(buf, argv[1], len);

  CHECK_ERRNO(__wasi_fd_prestat_dir_name(SCRATCH, (uint8_t *)buf, len - 1), __WASI_ERRNO_NAMETOOLONG);
  CHECK_ERRNO(__wasi_fd_prestat_dir_name(SCRATCH, (uint8_t *)buf, 0), __WASI_ERRNO_NAMETOOLONG);

  __wasi_fd_t dir = WORKDIR("fd_prestat_dir_name");
  __wasi_fd_t f = OPEN(dir, "file", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0);
  CHECK_ERRNO(__wasi_fd_prestat_dir_name(f, (uint8_t *)buf, sizeof buf), __WASI_ERRNO_NOTDIR);
  CHECK_ERRNO(__wasi_fd_prestat_dir_name(dir, (uint8_t *)buf, sizeof buf), __WASI_ERRNO_NOTDIR);
  CHECK_ERRNO(__wasi_fd_prestat_dir_name(1, (uint8_t *)buf, sizeof buf), __WASI_ERRNO_NOTDIR);
  CHECK_ERRNO(__wasi_fd_prestat_dir_name(BAD_FD, (uint8_t *)buf, sizeof buf), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_prestat_dir_name(SCRATCH, BAD_PTR, len), __WASI_ERRNO_FAULT);
  return 0;
}
