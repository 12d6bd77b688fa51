// Prints "hello, world": the smallest real program, for the 1,000-process test and the
// benchmarks (which also build it natively with gcc, so it is plain portable C).
// test: stdout=hello, world\n
#include <stdio.h>

int main(void) {
  fputs("hello, world\n", stdout);
  return 0;
}
