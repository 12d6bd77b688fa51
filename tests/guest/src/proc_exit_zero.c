// proc_exit(0) from inside nested calls: status 0, and atexit handlers do not run (proc_exit
// is _Exit, not exit).
// test: exit=0; stdout=in f\n
#include "test.h"

static void handler(void) { WRITE_STR(1, "atexit ran\n"); }

static void __attribute__((noinline)) f(int depth) {
  if (depth == 0) {
    WRITE_STR(1, "in f\n");
    __wasi_proc_exit(0);
  }
  f(depth - 1);
  WRITE_STR(1, "unwound\n");
}

int main(void) {
  atexit(handler);
  f(10);
  return 3;
}
