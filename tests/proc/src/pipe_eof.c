// A read returns end of file only once the last writer has closed its end: a child holding
// the write end (inherited) keeps the reader waiting until it exits; with the writers
// gone, buffered bytes still come out before the end of file.
// test: stdout=child wrote: hello\neof when the child exited\nbuffered then eof\nno writer: eof at once\n
#include "proc_test.h"

int main(int argc, char **argv) {
  proc_init(argc, argv);

  // A child holds the only other write end; our own is closed.
  int p[2];
  posix_spawn_file_actions_t fa;
  stdout_to_pipe(&fa, p);
  pid_t pid = start_helper(&fa, NULL, "sleep-write", "200", "hello", NULL);
  posix_spawn_file_actions_destroy(&fa);
  CHECK_OK(close(p[1]));
  char buf[64];
  ssize_t n = CHECK_OK(read(p[0], buf, sizeof buf - 1));
  buf[n] = '\0';
  printf("child wrote: %s\n", buf);
  CHECK_EQ(read(p[0], buf, sizeof buf), 0);
  printf("eof when the child exited\n");
  CHECK_EXITED(wait_for(pid), 0);
  close(p[0]);

  // Two write ends (a dup): data written, both closed, the reader gets it and then EOF.
  CHECK_OK(pipe(p));
  int w2 = CHECK_OK(dup(p[1]));
  write_str(p[1], "ab");
  CHECK_OK(close(p[1]));
  write_str(w2, "cd");
  CHECK_OK(close(w2));
  char *all = read_all(p[0]);
  CHECK_STR(all, "abcd");
  printf("buffered then eof\n");
  close(p[0]);

  // A pipe whose write end is already closed: EOF without waiting.
  CHECK_OK(pipe(p));
  close(p[1]);
  CHECK_EQ(read(p[0], buf, sizeof buf), 0);
  printf("no writer: eof at once\n");
  return 0;
}
