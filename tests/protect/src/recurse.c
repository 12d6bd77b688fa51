// Recurses without bound, as asked by its argument:
//   frames   each call keeps a 256-byte frame on the shadow stack (default layout: the
//            stack lies above the data, so it runs down into the data): "stack overflow"
//            from the kernel's stack-pointer check
//   plain    calls with no shadow-stack frame, until V8's own stack is exhausted
//            ("Maximum call stack size exceeded"): "stack overflow" too
#include <stdio.h>
#include <string.h>

int (*volatile plain_next)(int);
int (*volatile frames_next)(int, volatile char *);

__attribute__((noinline)) static int plain(int n) { return plain_next(n + 1) + 1; }

__attribute__((noinline)) static int frames(int n, volatile char *up) {
  volatile char frame[256];
  frame[0] = (char)n;
  frame[255] = up ? up[0] : 0;
  return frames_next(n + 1, frame) + frame[255];
}

int main(int argc, char **argv) {
  plain_next = plain;
  frames_next = frames;
  if (argc > 1 && strcmp(argv[1], "plain") == 0) printf("%d\n", plain(0));
  else printf("%d\n", frames(0, 0));
  return 0;
}
