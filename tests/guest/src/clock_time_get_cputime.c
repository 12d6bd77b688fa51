// clock_time_get on the CPU-time clocks: process and thread CPU time grow while the
// process burns CPU, never go backwards, and hardly grow while it sleeps.
#include "test.h"

static volatile uint64_t sink;

// Spins until `ns` of monotonic time have passed.
static void burn(__wasi_timestamp_t ns) {
  __wasi_timestamp_t start = now_ns(__WASI_CLOCKID_MONOTONIC);
  uint64_t x = 1;
  while (now_ns(__WASI_CLOCKID_MONOTONIC) - start < ns) {
    for (int i = 0; i < 10000; i++) x = x * 6364136223846793005ull + 1442695040888963407ull;
    sink = x;
  }
}

int main(void) {
  static const __wasi_clockid_t ids[] = {__WASI_CLOCKID_PROCESS_CPUTIME_ID,
                                         __WASI_CLOCKID_THREAD_CPUTIME_ID};
  for (unsigned i = 0; i < 2; i++) {
    __wasi_clockid_t id = ids[i];
    __wasi_timestamp_t c0 = now_ns(id);
    burn(200 * MS);
    __wasi_timestamp_t c1 = now_ns(id);
    // At least a fifth of the wall time was ours, however busy the host.
    if (c1 - c0 < 40 * MS) FAIL("clock %u: only %llu ns of CPU in 200 ms of spinning", id, (unsigned long long)(c1 - c0));

    sleep_ns(200 * MS);
    __wasi_timestamp_t c2 = now_ns(id);
    CHECK(c2 >= c1);
    if (c2 - c1 > 100 * MS) FAIL("clock %u: %llu ns of CPU while asleep 200 ms", id, (unsigned long long)(c2 - c1));
  }
  return 0;
}
