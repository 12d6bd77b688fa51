// proc_raise(SIGTERM): the process ends killed by the signal (status 128+15); it does not
// return.
// test: signal=15; stdout=raising\n
#include "test.h"

int main(void) {
  WRITE_STR(1, "raising\n");
  unsigned e = raw_proc_raise(WASI_SIGTERM);
  FAIL("proc_raise(SIGTERM) returned %s", errno_name(e));
}
