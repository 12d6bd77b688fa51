// clock_res_get: every one of the four clocks has a resolution between 1 ns and 1 s
// (Linux's clock_getres); an unknown clock id is EINVAL; a result pointer past memory is
// EFAULT.
#include "test.h"

int main(void) {
  static const __wasi_clockid_t ids[] = {__WASI_CLOCKID_REALTIME, __WASI_CLOCKID_MONOTONIC,
                                         __WASI_CLOCKID_PROCESS_CPUTIME_ID,
                                         __WASI_CLOCKID_THREAD_CPUTIME_ID};
  for (unsigned i = 0; i < 4; i++) {
    __wasi_timestamp_t res = 0;
    CHECK_OK(__wasi_clock_res_get(ids[i], &res));
    if (res == 0 || res > SEC) FAIL("clock %u: resolution %llu ns", ids[i], (unsigned long long)res);
  }
  __wasi_timestamp_t res;
  CHECK_ERRNO(__wasi_clock_res_get(4, &res), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_clock_res_get(0xFFFFFFFF, &res), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, BAD_PTR), __WASI_ERRNO_FAULT);
  return 0;
}
