// fd_readdir with cookies: reading a directory of 100 files a small buffer at a time, each
// time from the d_next of the last whole entry, yields every entry exactly once, "." and
// ".." first; starting from any entry's d_next yields the entries after it; from the last
// entry's d_next, nothing.
#include "test.h"

#define FILES 100
#define TOTAL (FILES + 2)

static entry_t all[TOTAL + 1];

int main(void) {
  __wasi_fd_t dir = WORKDIR("fd_readdir_cookies");
  char name[32];
  for (int i = 0; i < FILES; i++) {
    snprintf(name, sizeof name, "file-%03d", i);
    MAKE_FILE(dir, name, "");
  }

  // Page through with a 200-byte buffer: about five entries a call.
  uint8_t buf[200];
  entry_t page[16];
  size_t total = 0;
  __wasi_dircookie_t cookie = 0;
  for (int calls = 0;; calls++) {
    CHECK(calls < 100);
    __wasi_size_t used;
    CHECK_OK(__wasi_fd_readdir(dir, buf, sizeof buf, cookie, &used));
    size_t n = parse_dirents(buf, used, page, 16);
    CHECK(total + n <= TOTAL);
    memcpy(&all[total], page, n * sizeof page[0]);
    total += n;
    if (used < sizeof buf) break;  // the end
    CHECK(n > 0);
    cookie = page[n - 1].d.d_next;
  }
  CHECK_EQ(total, TOTAL);
  CHECK(strcmp(all[0].name, ".") == 0);
  CHECK(strcmp(all[1].name, "..") == 0);
  static char seen[FILES];
  for (size_t i = 2; i < total; i++) {
    int k;
    if (sscanf(all[i].name, "file-%03d", &k) != 1 || k < 0 || k >= FILES) FAIL("stray entry \"%s\"", all[i].name);
    if (seen[k]++) FAIL("entry \"%s\" seen twice", all[i].name);
  }

  // Resume after any entry: the next one comes first.
  uint8_t big[8192];
  for (size_t i = 0; i + 1 < total; i += 7) {
    __wasi_size_t used;
    CHECK_OK(__wasi_fd_readdir(dir, big, sizeof big, all[i].d.d_next, &used));
    size_t n = parse_dirents(big, used, page, 1);
    CHECK_EQ(n, 1);
    if (strcmp(page[0].name, all[i + 1].name) != 0) FAIL("after \"%s\" came \"%s\", expected \"%s\"", all[i].name, page[0].name, all[i + 1].name);
  }
  __wasi_size_t used;
  CHECK_OK(__wasi_fd_readdir(dir, big, sizeof big, all[total - 1].d.d_next, &used));
  CHECK_EQ(used, 0);
  return 0;
}
