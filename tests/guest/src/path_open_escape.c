// path_open stays inside the directory it is given: an absolute path, ".." above it (from a
// preopen or from any directory descriptor), or a symlink that leads above it or to an
// absolute path is EPERM; ".." that stays inside is fine.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("path_open_escape");
  MAKE_FILE(dir, "file", "");
  CHECK_OK(__wasi_path_create_directory(dir, "sub"));
  CHECK_OK(__wasi_path_symlink("/etc", dir, "abs"));
  CHECK_OK(__wasi_path_symlink("..", dir, "up"));
  CHECK_OK(__wasi_path_symlink("sub/../file", dir, "inside"));
  CHECK_OK(__wasi_path_symlink("../../..", dir, "sub/far-up"));

  __wasi_fd_t fd;
#define OPEN_RO(d, lookup, path) \
  __wasi_path_open((d), (lookup), (path), 0, RIGHTS_RO, RIGHTS_ALL, 0, &fd)
  __wasi_lookupflags_t follow = __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW;
  CHECK_ERRNO(OPEN_RO(dir, 0, "/"), __WASI_ERRNO_PERM);
  CHECK_ERRNO(OPEN_RO(dir, 0, "/etc/passwd"), __WASI_ERRNO_PERM);
  CHECK_ERRNO(OPEN_RO(dir, 0, ".."), __WASI_ERRNO_PERM);
  CHECK_ERRNO(OPEN_RO(dir, 0, "../x"), __WASI_ERRNO_PERM);
  CHECK_ERRNO(OPEN_RO(dir, 0, "sub/../../x"), __WASI_ERRNO_PERM);
  CHECK_ERRNO(OPEN_RO(SCRATCH, 0, "../x"), __WASI_ERRNO_PERM);
  CHECK_ERRNO(OPEN_RO(dir, follow, "abs"), __WASI_ERRNO_PERM);
  CHECK_ERRNO(OPEN_RO(dir, 0, "abs/passwd"), __WASI_ERRNO_PERM);
  CHECK_ERRNO(OPEN_RO(dir, follow, "up"), __WASI_ERRNO_PERM);
  CHECK_ERRNO(OPEN_RO(dir, 0, "up/x"), __WASI_ERRNO_PERM);
  CHECK_ERRNO(OPEN_RO(dir, follow, "sub/far-up"), __WASI_ERRNO_PERM);

  __wasi_fd_t sub = OPEN_DIR(dir, "sub");
  CHECK_ERRNO(OPEN_RO(sub, 0, "../file"), __WASI_ERRNO_PERM);
  CHECK_OK(OPEN_RO(dir, 0, "sub/../file"));
  CHECK_OK(OPEN_RO(dir, follow, "inside"));
  CHECK_OK(OPEN_RO(sub, 0, "."));
  return 0;
}
