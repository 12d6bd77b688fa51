// proc_raise with a signal whose default action is to ignore it (SIGCHLD, SIGURG, SIGWINCH)
// or with signal 0 returns 0 and the process goes on; a signal number WASI does not define
// is EINVAL.
#include "test.h"

int main(void) {
  CHECK_OK(raw_proc_raise(WASI_SIGNONE));
  CHECK_OK(raw_proc_raise(WASI_SIGCHLD));
  CHECK_OK(raw_proc_raise(WASI_SIGURG));
  CHECK_OK(raw_proc_raise(WASI_SIGWINCH));
  CHECK_ERRNO(raw_proc_raise(31), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(raw_proc_raise(200), __WASI_ERRNO_INVAL);
  return 0;
}
