// The tracer's overhead benchmark (bench/trace.ts): N calls of one kind in a loop, timed
// inside the program, so the same source measures isokernel (built for wasm32-wasi) and
// the host (built natively, run bare and under the host's strace). Prints "CALL N NS_PER_CALL".
//   sysloop getppid N     the null call
//   sysloop write N       1 byte to /dev/null
//   sysloop read N        1 byte from /dev/zero
//   sysloop open N        open and close /dev/null
//   sysloop fstat N       fstat of /dev/null
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef __wasi__
#include <isokernel.h> /* getppid */
#endif

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: sysloop getppid|write|read|open|fstat N\n");
    return 2;
  }
  const char *what = argv[1];
  long n = atol(argv[2]);
  int nul = open("/dev/null", O_RDWR);
  int zero = open("/dev/zero", O_RDONLY);
  if (nul < 0 || zero < 0) return 3;
  char c = 'x';
  struct stat st;
  long sink = 0;
  double t0 = now_ns();
  if (strcmp(what, "getppid") == 0) {
    for (long i = 0; i < n; i++) sink += getppid();
  } else if (strcmp(what, "write") == 0) {
    for (long i = 0; i < n; i++) sink += write(nul, &c, 1);
  } else if (strcmp(what, "read") == 0) {
    for (long i = 0; i < n; i++) sink += read(zero, &c, 1);
  } else if (strcmp(what, "open") == 0) {
    for (long i = 0; i < n; i++) {
      int fd = open("/dev/null", O_RDONLY);
      sink += fd;
      close(fd);
    }
  } else if (strcmp(what, "fstat") == 0) {
    for (long i = 0; i < n; i++) sink += fstat(nul, &st);
  } else {
    return 2;
  }
  double t1 = now_ns();
  printf("%s %ld %.1f\n", what, n, (t1 - t0) / (double)n);
  return sink == -1 ? 1 : 0;
}
