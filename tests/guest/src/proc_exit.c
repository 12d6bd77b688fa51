// proc_exit: the process ends at once with the given status; output written before it is
// kept and nothing after it runs.
// test: exit=42; stdout=before exit\n
#include "test.h"

int main(void) {
  WRITE_STR(1, "before exit\n");
  __wasi_proc_exit(42);
  WRITE_STR(1, "after exit\n");
  return 1;
}
