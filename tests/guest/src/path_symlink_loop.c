// Symlink loops: following a link that refers to itself, or two that refer to each other,
// or a chain longer than 40 links, is ELOOP, as the last component or in the middle of a
// path, for every path function; not following it is fine; a chain of 10 resolves.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("path_symlink_loop");
  CHECK_OK(__wasi_path_symlink("self", dir, "self"));
  CHECK_OK(__wasi_path_symlink("b", dir, "a"));
  CHECK_OK(__wasi_path_symlink("a", dir, "b"));
  __wasi_lookupflags_t follow = __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW;

  __wasi_fd_t fd;
  __wasi_filestat_t st;
  CHECK_ERRNO(__wasi_path_open(dir, follow, "self", 0, RIGHTS_RO, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_LOOP);
  CHECK_ERRNO(__wasi_path_open(dir, follow, "a", 0, RIGHTS_RO, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_LOOP);
  CHECK_ERRNO(__wasi_path_open(dir, 0, "self/x", 0, RIGHTS_RO, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_LOOP);
  CHECK_ERRNO(__wasi_path_open(dir, follow, "a", __WASI_OFLAGS_CREAT, RIGHTS_RW, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_LOOP);
  CHECK_ERRNO(__wasi_path_filestat_get(dir, follow, "self", &st), __WASI_ERRNO_LOOP);
  CHECK_ERRNO(__wasi_path_filestat_get(dir, 0, "b/x", &st), __WASI_ERRNO_LOOP);
  CHECK_ERRNO(__wasi_path_create_directory(dir, "self/x"), __WASI_ERRNO_LOOP);
  CHECK_ERRNO(__wasi_path_unlink_file(dir, "a/x"), __WASI_ERRNO_LOOP);
  CHECK_EQ(LSTAT(dir, "self").filetype, __WASI_FILETYPE_SYMBOLIC_LINK);
  CHECK_EQ(LSTAT(dir, "a").filetype, __WASI_FILETYPE_SYMBOLIC_LINK);

  // l0 -> l1 -> ... -> l9 -> file resolves; m0 -> ... -> m49 -> file does not.
  MAKE_FILE(dir, "file", "end");
  char name[16], target[16];
  for (int i = 0; i < 50; i++) {
    if (i < 10) {
      snprintf(name, sizeof name, "l%d", i);
      if (i == 9) snprintf(target, sizeof target, "file");
      else snprintf(target, sizeof target, "l%d", i + 1);
      CHECK_OK(__wasi_path_symlink(target, dir, name));
    }
    snprintf(name, sizeof name, "m%d", i);
    if (i == 49) snprintf(target, sizeof target, "file");
    else snprintf(target, sizeof target, "m%d", i + 1);
    CHECK_OK(__wasi_path_symlink(target, dir, name));
  }
  CHECK_EQ(STAT(dir, "l0").size, 3);
  CHECK_ERRNO(__wasi_path_filestat_get(dir, follow, "m0", &st), __WASI_ERRNO_LOOP);

  CHECK_OK(__wasi_path_unlink_file(dir, "self"));
  CHECK_OK(__wasi_path_unlink_file(dir, "a"));
  CHECK_EQ(LSTAT(dir, "b").filetype, __WASI_FILETYPE_SYMBOLIC_LINK);
  return 0;
}
