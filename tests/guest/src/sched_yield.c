// sched_yield: always succeeds, and the process goes on.
#include "test.h"

int main(void) {
  for (int i = 0; i < 1000; i++) CHECK_OK(__wasi_sched_yield());
  return 0;
}
