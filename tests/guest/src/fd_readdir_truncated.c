// fd_readdir with a buffer too small: the buffer is filled to the last byte, the last entry
// cut short (its header or its name) and the size returned equals the buffer's, which is
// how a caller knows to read on from the last whole entry's d_next; an empty buffer gets
// nothing.
#include "test.h"

#define NAME "a-rather-long-file-name"  // 23 bytes
#define DIRENT 24

int main(void) {
  __wasi_fd_t dir = WORKDIR("fd_readdir_truncated");
  MAKE_FILE(dir, NAME, "");
  // In full: "." (24+1) ".." (24+2) NAME (24+23) = 98 bytes.
  uint8_t buf[128];
  entry_t e[4];
  __wasi_size_t used;
  CHECK_OK(__wasi_fd_readdir(dir, buf, sizeof buf, 0, &used));
  CHECK_EQ(used, 98);
  CHECK_EQ(parse_dirents(buf, used, e, 4), 3);
  CHECK(strcmp(e[2].name, NAME) == 0);

  // Room for the third header but only 10 bytes of its name.
  memset(buf, '#', sizeof buf);
  CHECK_OK(__wasi_fd_readdir(dir, buf, 51 + DIRENT + 10, 0, &used));
  CHECK_EQ(used, 51 + DIRENT + 10);
  CHECK_EQ(parse_dirents(buf, used, e, 4), 2);
  __wasi_dirent_t third;
  memcpy(&third, buf + 51, DIRENT);
  CHECK_EQ(third.d_namlen, 23);
  CHECK_MEM(buf + 51 + DIRENT, NAME, 10);
  CHECK(buf[used] == '#');

  // Room for 9 bytes of the third header.
  memset(buf, '#', sizeof buf);
  CHECK_OK(__wasi_fd_readdir(dir, buf, 60, 0, &used));
  CHECK_EQ(used, 60);
  CHECK_EQ(parse_dirents(buf, used, e, 4), 2);
  CHECK(buf[60] == '#');

  // Smaller than one header.
  CHECK_OK(__wasi_fd_readdir(dir, buf, 10, 0, &used));
  CHECK_EQ(used, 10);
  CHECK_OK(__wasi_fd_readdir(dir, buf, 0, 0, &used));
  CHECK_EQ(used, 0);

  // Reading on from the last whole entry gets the cut one in full.
  CHECK_OK(__wasi_fd_readdir(dir, buf, 60, 0, &used));
  CHECK_EQ(parse_dirents(buf, used, e, 4), 2);
  CHECK_OK(__wasi_fd_readdir(dir, buf, sizeof buf, e[1].d.d_next, &used));
  CHECK_EQ(used, DIRENT + 23);
  CHECK_EQ(parse_dirents(buf, used, e, 4), 1);
  CHECK(strcmp(e[0].name, NAME) == 0);
  return 0;
}
