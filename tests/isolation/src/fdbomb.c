// Opens descriptors without bound: /dev/null until refused, then pipes until refused.
// Prints "fdbomb: N files then E; M pipes then E" and exits 0 (the kernel closes them all).
#include <isokernel.h>

static const char *name(int e) { return e == EMFILE ? "EMFILE" : strerror(e); }

int main(void) {
  int files = 0, pipes = 0, e1, e2;
  for (;;) {
    if (open("/dev/null", O_RDONLY) < 0) {
      e1 = errno;
      break;
    }
    files++;
  }
  // Make room for pipes: close half of the files.
  for (int fd = 3 + files / 2; fd < 3 + files + 8; fd++) close(fd);
  for (;;) {
    int p[2];
    if (pipe(p) != 0) {
      e2 = errno;
      break;
    }
    pipes++;
  }
  printf("fdbomb: %d files then %s; %d pipes then %s\n", files, name(e1), pipes, name(e2));
  return 0;
}
