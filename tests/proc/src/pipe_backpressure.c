// A pipe holds 64 KiB: a non-blocking writer gets EAGAIN once it is full (and a reader
// EAGAIN while it is empty); a blocking writer waits until the reader drains the pipe.
// test: stdout=capacity 65536\nfull: EAGAIN\nempty: EAGAIN\nwriter waits while the pipe is full\nread 200000 bytes\n
#include "proc_test.h"

int main(int argc, char **argv) {
  proc_init(argc, argv);

  int p[2];
  CHECK_OK(pipe2(p, O_NONBLOCK));
  static char chunk[4096];
  memset(chunk, 'x', sizeof chunk);
  long total = 0;
  for (;;) {
    ssize_t n = write(p[1], chunk, sizeof chunk);
    if (n < 0) {
      CHECK_EQ(errno, EAGAIN);
      break;
    }
    CHECK_EQ(n, sizeof chunk);
    total += n;
    if (total > 1 << 22) FAIL("the pipe never filled");
  }
  printf("capacity %ld\n", total);
  CHECK_ERR(write(p[1], "y", 1), EAGAIN);
  printf("full: EAGAIN\n");
  long got = 0;
  char buf[8192];
  for (;;) {
    ssize_t n = read(p[0], buf, sizeof buf);
    if (n < 0) {
      CHECK_EQ(errno, EAGAIN);
      break;
    }
    got += n;
  }
  CHECK_EQ(got, total);
  CHECK_ERR(read(p[0], buf, 1), EAGAIN);
  printf("empty: EAGAIN\n");
  close(p[0]);
  close(p[1]);

  // A blocking writer with more than the pipe holds.
  CHECK_OK(pipe(p));
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[1], 1);
  posix_spawn_file_actions_addclose(&fa, p[0]);
  posix_spawn_file_actions_addclose(&fa, p[1]);
  pid_t pid = start_helper(&fa, NULL, "write-bytes", "200000", NULL);
  posix_spawn_file_actions_destroy(&fa);
  close(p[1]);
  msleep(300);
  int st;
  CHECK_EQ(waitpid(pid, &st, WNOHANG), 0);
  printf("writer waits while the pipe is full\n");
  char *all = read_all(p[0]);
  printf("read %zu bytes\n", strlen(all));
  CHECK_EXITED(wait_for(pid), 0);
  return 0;
}
