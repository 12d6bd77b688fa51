// fd_readdir on a host directory (the read-only fixture preopen, fd 4): the same entries,
// types and inodes as path_filestat_get reports.
// test: dirs=scratch fixture
#include "test.h"

int main(void) {
  static uint8_t buf[4096];
  entry_t e[16];
  __wasi_size_t used;
  CHECK_OK(__wasi_fd_readdir(4, buf, sizeof buf, 0, &used));
  size_t n = parse_dirents(buf, used, e, 16);
  CHECK_EQ(n, 4);
  CHECK(find_entry(e, n, ".") && find_entry(e, n, ".."));
  const entry_t *hello = find_entry(e, n, "hello.txt"), *sub = find_entry(e, n, "sub");
  CHECK(hello && sub);
  CHECK_EQ(hello->d.d_type, __WASI_FILETYPE_REGULAR_FILE);
  CHECK_EQ(hello->d.d_ino, LSTAT(4, "hello.txt").ino);
  CHECK_EQ(sub->d.d_type, __WASI_FILETYPE_DIRECTORY);
  CHECK_EQ(sub->d.d_ino, LSTAT(4, "sub").ino);
  CHECK_EQ(LSTAT(4, "sub/nested.txt").size, 7);
  return 0;
}
