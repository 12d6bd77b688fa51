// proc_raise takes WASI's signal numbers, which differ from Linux's above SIGTERM: WASI's
// SIGPROF (26) ends the process with Linux's SIGPROF (27), status 155.
// test: signal=27
#include "test.h"

int main(void) {
  unsigned e = raw_proc_raise(WASI_SIGPROF);
  FAIL("proc_raise(SIGPROF) returned %s", errno_name(e));
}
