// fd_readdir: an empty directory holds "." and ".." (directories; "." has the directory's
// own inode); files, directories and symlinks appear once each with their type and inode;
// a buffer with room to spare means the end was reached. A file, stdout or a descriptor
// that is not open is EBADF; a buffer past memory is EFAULT.
#include "test.h"

static uint8_t buf[4096];
static entry_t ents[16];

static size_t list(__wasi_fd_t dir) {
  __wasi_size_t used;
  CHECK_OK(__wasi_fd_readdir(dir, buf, sizeof buf, 0, &used));
  CHECK(used < sizeof buf);
  return parse_dirents(buf, used, ents, 16);
}

static void check_dots(__wasi_fd_t dir, size_t n) {
  const entry_t *dot = find_entry(ents, n, "."), *dotdot = find_entry(ents, n, "..");
  CHECK(dot && dotdot);
  CHECK_EQ(dot->d.d_type, __WASI_FILETYPE_DIRECTORY);
  CHECK_EQ(dot->d.d_namlen, 1);
  CHECK_EQ(dot->d.d_ino, FSTAT(dir).ino);
  CHECK_EQ(dotdot->d.d_type, __WASI_FILETYPE_DIRECTORY);
  CHECK_EQ(dotdot->d.d_namlen, 2);
}

int main(void) {
  __wasi_fd_t dir = WORKDIR("fd_readdir");
  size_t n = list(dir);
  CHECK_EQ(n, 2);
  check_dots(dir, n);

  MAKE_FILE(dir, "file", "abc");
  CHECK_OK(__wasi_path_create_directory(dir, "sub"));
  CHECK_OK(__wasi_path_symlink("file", dir, "link"));
  n = list(dir);
  CHECK_EQ(n, 5);
  check_dots(dir, n);
  static const struct { const char *name; __wasi_filetype_t type; } want[] = {
      {"file", __WASI_FILETYPE_REGULAR_FILE},
      {"sub", __WASI_FILETYPE_DIRECTORY},
      {"link", __WASI_FILETYPE_SYMBOLIC_LINK},
  };
  for (int i = 0; i < 3; i++) {
    const entry_t *e = find_entry(ents, n, want[i].name);
    if (!e) FAIL("no entry \"%s\"", want[i].name);
    CHECK_EQ(e->d.d_type, want[i].type);
    CHECK_EQ(e->d.d_namlen, strlen(want[i].name));
    CHECK_EQ(e->d.d_ino, LSTAT(dir, want[i].name).ino);
  }

  __wasi_fd_t sub = OPEN_DIR(dir, "sub");
  n = list(sub);
  CHECK_EQ(n, 2);
  check_dots(sub, n);

  CHECK_OK(__wasi_path_unlink_file(dir, "link"));
  n = list(dir);
  CHECK_EQ(n, 4);
  CHECK(find_entry(ents, n, "link") == NULL);

  __wasi_fd_t f = OPEN(dir, "file", 0, RIGHTS_RO, 0);
  __wasi_size_t used;
  CHECK_ERRNO(__wasi_fd_readdir(f, buf, sizeof buf, 0, &used), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_readdir(1, buf, sizeof buf, 0, &used), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_readdir(BAD_FD, buf, sizeof buf, 0, &used), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_readdir(dir, BAD_PTR, 4096, 0, &used), __WASI_ERRNO_FAULT);
  CHECK_ERRNO(__wasi_fd_readdir(dir, buf, sizeof buf, 0, BAD_PTR), __WASI_ERRNO_FAULT);
  return 0;
}
