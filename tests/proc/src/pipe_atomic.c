// Writes of at most PIPE_BUF (4096) bytes are atomic: four children each write 25 records
// of 4096 identical bytes into one pipe at once, and every 4096-byte block the reader
// gets is one record, never a mix.
// test: stdout=a=25 b=25 c=25 d=25 mixed=0\n
#include "proc_test.h"

#define RECORD 4096
#define COUNT 25
#define WRITERS 4

int main(int argc, char **argv) {
  proc_init(argc, argv);
  int p[2];
  posix_spawn_file_actions_t fa;
  stdout_to_pipe(&fa, p);
  pid_t pids[WRITERS];
  for (int i = 0; i < WRITERS; i++) {
    char c[2] = {(char)('a' + i), 0};
    pids[i] = start_helper(&fa, NULL, "write-records", c, "4096", "25", NULL);
  }
  posix_spawn_file_actions_destroy(&fa);
  close(p[1]);

  size_t total = (size_t)RECORD * COUNT * WRITERS, len = 0;
  char *buf = malloc(total + 1);
  for (;;) {
    ssize_t n = read(p[0], buf + len, total + 1 - len);
    if (n == 0) break;
    if (n < 0) FAIL("read: %s", strerror(errno));
    len += (size_t)n;
  }
  CHECK_EQ(len, total);
  int counts[WRITERS] = {0}, mixed = 0;
  for (size_t at = 0; at < total; at += RECORD) {
    char c = buf[at];
    int same = 1;
    for (size_t k = 1; k < RECORD; k++)
      if (buf[at + k] != c) same = 0;
    if (!same || c < 'a' || c >= 'a' + WRITERS) mixed++;
    else counts[c - 'a']++;
  }
  printf("a=%d b=%d c=%d d=%d mixed=%d\n", counts[0], counts[1], counts[2], counts[3], mixed);
  for (int i = 0; i < WRITERS; i++) CHECK_EXITED(wait_for(pids[i]), 0);
  return 0;
}
