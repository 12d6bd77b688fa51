// fd_prestat_get: fd 3 is the scratch directory, a preopened directory whose name length is
// the runner's path for it (argv[1]); the root "/" is the last preopen; anything else (a
// file, a directory opened later, stdio, a descriptor that is not open) is EBADF; a result
// pointer past memory is EFAULT.
// test: args=$SCRATCH
#include "test.h"

int main(int argc, char **argv) {
  CHECK_EQ(argc, 2);
  __wasi_prestat_t pre;
  CHECK_OK(__wasi_fd_prestat_get(SCRATCH, &pre));
  CHECK_EQ(pre.tag, __WASI_PREOPENTYPE_DIR);
  CHECK_EQ(pre.u.dir.pr_name_len, strlen(argv[1]));

  __wasi_fd_t last = SCRATCH;
  while (__wasi_fd_prestat_get(last + 1, &pre) == 0) last++;
  CHECK_OK(__wasi_fd_prestat_get(last, &pre));
  CHECK_EQ(pre.u.dir.pr_name_len, 1);
  char name[1];
  CHECK_OK(__wasi_fd_prestat_dir_name(last, (uint8_t *)name, 1));
  CHECK(name[0] == '/');

  __wasi_fd_t dir = WORKDIR("fd_prestat_get");
  __wasi_fd_t f = OPEN(dir, "file", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0);
  CHECK_ERRNO(__wasi_fd_prestat_get(f, &pre), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_prestat_get(dir, &pre), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_prestat_get(0, &pre), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_prestat_get(1, &pre), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_prestat_get(BAD_FD, &pre), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_prestat_get(SCRATCH, BAD_PTR), __WASI_ERRNO_FAULT);
  return 0;
}
