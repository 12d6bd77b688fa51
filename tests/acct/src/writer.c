// writer FILE MIB: writes MIB MiB of 'x' to FILE in 64 KiB writes (and one odd-sized tail
// write, so a short count would show), closes it, then copies /proc/self/io and
// /proc/self/acct to stdout. Exit 2: usage; 3: open; 4: a short or failed write; 5: /proc.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char chunk[65536];

static int copy(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  char buf[4096];
  ssize_t n;
  // Read it all first: a write to stdout counts in wchar too, and /proc/self/io is fixed at open anyway.
  char all[16384];
  size_t len = 0;
  while ((n = read(fd, buf, sizeof buf)) > 0 && len + n <= sizeof all) {
    memcpy(all + len, buf, n);
    len += n;
  }
  close(fd);
  fwrite(all, 1, len, stdout);
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: writer FILE MIB\n");
    return 2;
  }
  long total = atol(argv[2]) * 1048576L;
  memset(chunk, 'x', sizeof chunk);
  int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return 3;
  long done = 0;
  // 1000 bytes first, then 64 KiB blocks, then the rest.
  if (write(fd, chunk, 1000) != 1000) return 4;
  done = 1000;
  while (total - done >= (long)sizeof chunk) {
    if (write(fd, chunk, sizeof chunk) != (ssize_t)sizeof chunk) return 4;
    done += sizeof chunk;
  }
  if (total > done && write(fd, chunk, total - done) != total - done) return 4;
  close(fd);
  if (copy("/proc/self/io") != 0) return 5;
  fflush(stdout);
  if (copy("/proc/self/acct") != 0) return 5;
  return 0;
}
