// calls KIND N: makes N system calls of one kind and exits 0 (bench/acct.ts times the run by
// the host thread's CPU clock). KIND: null (args_sizes_get), write (1 byte to /dev/null).
// Exit 2: usage; 3: /dev/null.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

static volatile long sink;

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: calls null|write N\n");
    return 2;
  }
  long n = atol(argv[2]);
  if (!strcmp(argv[1], "null")) {
    for (long i = 0; i < n; i++) {
      __wasi_size_t argc_, size;
      (void)__wasi_args_sizes_get(&argc_, &size);
      sink += (long)argc_;
    }
  } else {
    int fd = open("/dev/null", O_WRONLY);
    if (fd < 0) return 3;
    const char c = 'x';
    for (long i = 0; i < n; i++) (void)write(fd, &c, 1);
  }
  return 0;
}
