// fd_close on a preopened directory: allowed; the descriptor is then EBADF for everything,
// including fd_prestat_get, while the other preopens (the root, last) stay open.
#include "test.h"

int main(void) {
  __wasi_prestat_t pre;
  CHECK_OK(__wasi_fd_prestat_get(SCRATCH, &pre));
  __wasi_fd_t sub = OPEN_DIR(SCRATCH, ".");
  CHECK_OK(__wasi_fd_close(SCRATCH));
  CHECK_ERRNO(__wasi_fd_prestat_get(SCRATCH, &pre), __WASI_ERRNO_BADF);
  __wasi_fdstat_t st;
  CHECK_ERRNO(__wasi_fd_fdstat_get(SCRATCH, &st), __WASI_ERRNO_BADF);
  __wasi_fd_t fd;
  CHECK_ERRNO(__wasi_path_open(SCRATCH, 0, "x", __WASI_OFLAGS_CREAT, 0, 0, 0, &fd), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_close(SCRATCH), __WASI_ERRNO_BADF);

  // A directory opened through the closed preopen lives on.
  CHECK_OK(__wasi_fd_fdstat_get(sub, &st));
  CHECK_EQ(st.fs_filetype, __WASI_FILETYPE_DIRECTORY);
  __wasi_fd_t f = OPEN(sub, "still-works", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0);
  CHECK_OK(__wasi_fd_close(f));

  // The root preopen, the last one, is still there.
  CHECK_OK(__wasi_fd_prestat_get(SCRATCH + 1, &pre));
  CHECK_EQ(pre.u.dir.pr_name_len, 1);
  char name[2] = {0, 0};
  CHECK_OK(__wasi_fd_prestat_dir_name(SCRATCH + 1, (uint8_t *)name, 1));
  CHECK(name[0] == '/');
  return 0;
}
