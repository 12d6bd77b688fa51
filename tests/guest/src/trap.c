// test: args=segv; signal=11
// Traps on request (tests/kernel-processes.test.ts drives the other kinds): segv (out-of-bounds load), ill (unreachable), fpe (divide by zero).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static int crash(const char *how, volatile int *p) {
  if (strcmp(how, "segv") == 0) return p[0x30000000];
  if (strcmp(how, "ill") == 0) __builtin_trap();
  if (strcmp(how, "fpe") == 0) {
    volatile int zero = 0;
    return 5 / zero;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  return crash(argv[1], (int *)malloc(4));
}
