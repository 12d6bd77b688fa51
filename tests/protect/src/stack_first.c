// cflags: -Wl,--stack-first
// Recurses without bound with a 256-byte frame on the shadow stack. Built with
// --stack-first, the shadow stack sits at the bottom of memory and overflows towards
// address 0: SIGSEGV "stack overflow".
#include <stdio.h>

int (*volatile next)(int, volatile char *);

__attribute__((noinline)) static int down(int depth, volatile char *up) {
  volatile char frame[256];
  frame[0] = (char)depth;
  frame[255] = up ? up[0] : 0;
  return next(depth + 1, frame) + frame[255];
}

int main(void) {
  next = down;
  printf("%d\n", down(0, 0));
  return 0;
}
