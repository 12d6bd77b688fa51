// Writes through a NULL pointer plus a small index: SIGSEGV, "null pointer dereference"
// at address 0x10, under the null-page guard.
#include <stdio.h>

__attribute__((noinline)) static void store(int *p, int i, int v) { p[i] = v; }

int main(void) {
  int *volatile p = 0;
  store(p, 4, 42);
  printf("wrote\n");
  return 0;
}
