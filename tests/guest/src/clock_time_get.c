// clock_time_get: the realtime clock reads a plausible date; the monotonic clock never goes
// backwards and advances across a sleep; the precision argument does not matter; an
// unknown clock id is EINVAL; a result pointer past memory is EFAULT.
#include "test.h"

int main(void) {
  __wasi_timestamp_t t;
  CHECK_OK(__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 0, &t));
  CHECK(t > 1600000000ull * SEC);  // after September 2020
  CHECK(t < 4100000000ull * SEC);  // before 2100

  __wasi_timestamp_t prev = now_ns(__WASI_CLOCKID_MONOTONIC);
  for (int i = 0; i < 10000; i++) {
    CHECK_OK(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, i % 3 ? 0 : SEC, &t));
    if (t < prev) FAIL("monotonic clock went back: %llu after %llu", (unsigned long long)t, (unsigned long long)prev);
    prev = t;
  }

  __wasi_timestamp_t before = now_ns(__WASI_CLOCKID_MONOTONIC);
  __wasi_timestamp_t wall_before = now_ns(__WASI_CLOCKID_REALTIME);
  sleep_ns(20 * MS);
  CHECK(now_ns(__WASI_CLOCKID_MONOTONIC) - before >= 20 * MS);
  CHECK(now_ns(__WASI_CLOCKID_REALTIME) - wall_before >= 10 * MS);

  CHECK_ERRNO(__wasi_clock_time_get(4, 0, &t), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_clock_time_get(0xFFFFFFFF, 0, &t), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 0, BAD_PTR), __WASI_ERRNO_FAULT);
  CHECK_ERRNO(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, BAD_PTR), __WASI_ERRNO_FAULT);
  return 0;
}
