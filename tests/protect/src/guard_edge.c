// cflags: -Wl,--stack-first
// Reads one byte at the address given (decimal): built with --stack-first, so the data
// lies above the stack and the guard is the whole 4 KiB: 4096 reads (exit 0), 4095 faults.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  volatile unsigned char *p = (volatile unsigned char *)(unsigned long)strtoul(argv[1], 0, 0);
  printf("%u\n", (unsigned)*p);
  return 0;
}
