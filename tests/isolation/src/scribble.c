// Writes random bytes over all of its own memory above the null page -- its data, heap, shadow
// stack and libc's state -- and then, as asked:
//   scribble oob SEED    goes on writing past the end of memory: SIGSEGV, out of bounds
//   scribble libc SEED   calls printf and returns through libc's exit path with the wreck:
//                        whatever happens (a trap, garbage system calls, a loop the test
//                        kills) is the process's own affair
// The loop keeps its state in wasm locals, never in the memory it destroys.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define START 4096 /* above the null-page guard, whatever its size */

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  int oob = strcmp(argv[1], "oob") == 0;
  uint32_t x = (uint32_t)strtoul(argv[2], NULL, 10) | 1;
  uintptr_t end = __builtin_wasm_memory_size(0) * 65536;
  volatile uint8_t *p = (volatile uint8_t *)START;
  for (;;) {
    if (!oob && (uintptr_t)p >= end) break;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *p++ = (uint8_t)x;
  }
  printf("scribbled %lu bytes\n", (unsigned long)(end - START));
  return 0;
}
