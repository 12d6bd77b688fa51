// proc_raise(SIGKILL): the process ends killed by signal 9 (status 137).
// test: signal=9
#include "test.h"

int main(void) {
  unsigned e = raw_proc_raise(WASI_SIGKILL);
  FAIL("proc_raise(SIGKILL) returned %s", errno_name(e));
}
