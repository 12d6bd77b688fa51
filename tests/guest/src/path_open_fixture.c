// path_open in a read-only host directory (the fixture preopen, fd 4): files read as they
// are on the host; anything that would change the directory or a file in it is EROFS (a
// read-only mount, as on Linux).
// test: dirs=scratch fixture
#include "test.h"

int main(void) {
  __wasi_fd_t f = OPEN(4, "sub/nested.txt", 0, RIGHTS_RO, 0);
  char buf[16];
  CHECK_EQ(READ_UPTO(f, buf, sizeof buf), 7);
  CHECK_MEM(buf, "nested\n", 7);

  __wasi_fd_t fd;
  CHECK_ERRNO(__wasi_path_open(4, 0, "hello.txt", 0, RIGHTS_RW, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_ROFS);
  CHECK_ERRNO(__wasi_path_open(4, 0, "hello.txt", __WASI_OFLAGS_TRUNC, RIGHTS_RO, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_ROFS);
  CHECK_ERRNO(__wasi_path_open(4, 0, "new.txt", __WASI_OFLAGS_CREAT, RIGHTS_RW, RIGHTS_ALL, 0, &fd), __WASI_ERRNO_ROFS);
  CHECK_ERRNO(__wasi_path_create_directory(4, "newdir"), __WASI_ERRNO_ROFS);
  CHECK_ERRNO(__wasi_path_unlink_file(4, "hello.txt"), __WASI_ERRNO_ROFS);
  CHECK_ERRNO(__wasi_path_rename(4, "hello.txt", 4, "renamed.txt"), __WASI_ERRNO_ROFS);
  CHECK_ERRNO(__wasi_path_symlink("hello.txt", 4, "link"), __WASI_ERRNO_ROFS);
  CHECK_EQ(LSTAT(4, "hello.txt").size, 15);
  return 0;
}
