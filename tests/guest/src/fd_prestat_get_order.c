// Preopens come in the order the runner gives them, from fd 3, with "/" appended last:
// here /scratch, then the read-only fixture directory /fixture, then /.
// test: dirs=scratch fixture
#include "test.h"

static void check_preopen(__wasi_fd_t fd, const char *want) {
  __wasi_prestat_t pre;
  CHECK_OK(__wasi_fd_prestat_get(fd, &pre));
  char name[64] = {0};
  CHECK(pre.u.dir.pr_name_len < sizeof name);
  CHECK_OK(__wasi_fd_prestat_dir_name(fd, (uint8_t *)name, pre.u.dir.pr_name_len));
  if (strcmp(name, want) != 0) FAIL("fd %u is preopen \"%s\", expected \"%s\"", fd, name, want);
}

int main(void) {
  check_preopen(3, "/scratch");
  check_preopen(4, "/fixture");
  check_preopen(5, "/");
  __wasi_prestat_t pre;
  CHECK_ERRNO(__wasi_fd_prestat_get(6, &pre), __WASI_ERRNO_BADF);

  __wasi_fd_t f = OPEN(4, "hello.txt", 0, RIGHTS_RO, 0);
  char buf[32];
  CHECK_EQ(READ_UPTO(f, buf, sizeof buf), 15);
  CHECK_MEM(buf, "hello, fixture\n", 15);
  return 0;
}
