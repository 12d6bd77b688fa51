// path_rename of directories: to a new name (trailing slashes allowed), over an empty
// directory, with their contents; over a non-empty directory is ENOTEMPTY, over a file
// ENOTDIR, into itself or its own subdirectory EINVAL.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("path_rename_dir");
  __wasi_filestat_t st;
  CHECK_OK(__wasi_path_create_directory(dir, "src"));
  MAKE_FILE(dir, "src/file", "inside");
  __wasi_inode_t ino = LSTAT(dir, "src").ino;
  __wasi_fd_t open = OPEN_DIR(dir, "src");

  CHECK_OK(__wasi_path_rename(dir, "src", dir, "dst"));
  CHECK_ERRNO(__wasi_path_filestat_get(dir, 0, "src", &st), __WASI_ERRNO_NOENT);
  CHECK_EQ(LSTAT(dir, "dst").ino, ino);
  CHECK_EQ(LSTAT(dir, "dst/file").size, 6);
  CHECK_EQ(LSTAT(open, "file").size, 6);  // an open descriptor follows the directory

  CHECK_OK(__wasi_path_rename(dir, "dst/", dir, "dst2/"));
  CHECK_OK(__wasi_path_create_directory(dir, "empty"));
  CHECK_OK(__wasi_path_rename(dir, "dst2", dir, "empty"));
  CHECK_EQ(LSTAT(dir, "empty").ino, ino);
  CHECK_ERRNO(__wasi_path_filestat_get(dir, 0, "dst2", &st), __WASI_ERRNO_NOENT);

  CHECK_OK(__wasi_path_create_directory(dir, "other"));
  MAKE_FILE(dir, "other/x", "");
  CHECK_ERRNO(__wasi_path_rename(dir, "empty", dir, "other"), __WASI_ERRNO_NOTEMPTY);
  MAKE_FILE(dir, "plain", "");
  CHECK_ERRNO(__wasi_path_rename(dir, "empty", dir, "plain"), __WASI_ERRNO_NOTDIR);
  CHECK_ERRNO(__wasi_path_rename(dir, "empty", dir, "empty/inner"), __WASI_ERRNO_INVAL);
  CHECK_OK(__wasi_path_create_directory(dir, "empty/sub"));
  CHECK_ERRNO(__wasi_path_rename(dir, "empty", dir, "empty/sub/deeper"), __WASI_ERRNO_INVAL);
  CHECK_EQ(LSTAT(dir, "empty").ino, ino);
  CHECK_EQ(LSTAT(dir, "other/x").filetype, __WASI_FILETYPE_REGULAR_FILE);
  return 0;
}
