// poll_oneoff with ABSTIME clocks: a monotonic or realtime deadline is met no sooner than
// the clock reads it; a deadline already past returns at once.
#include "test.h"

static void wait_until(__wasi_clockid_t id, __wasi_timestamp_t deadline) {
  __wasi_subscription_t sub = clock_sub(7, id, deadline, __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
  __wasi_event_t ev;
  __wasi_size_t n;
  CHECK_OK(__wasi_poll_oneoff(&sub, &ev, 1, &n));
  CHECK_EQ(n, 1);
  CHECK_EQ(ev.userdata, 7);
  CHECK_EQ(ev.error, 0);
  CHECK_EQ(ev.type, __WASI_EVENTTYPE_CLOCK);
}

int main(void) {
  __wasi_timestamp_t start = now_ns(__WASI_CLOCKID_MONOTONIC);
  wait_until(__WASI_CLOCKID_MONOTONIC, start + 40 * MS);
  __wasi_timestamp_t end = now_ns(__WASI_CLOCKID_MONOTONIC);
  if (end < start + 40 * MS) FAIL("woke %llu ns before the monotonic deadline", (unsigned long long)(start + 40 * MS - end));

  __wasi_timestamp_t wall = now_ns(__WASI_CLOCKID_REALTIME);
  start = now_ns(__WASI_CLOCKID_MONOTONIC);
  wait_until(__WASI_CLOCKID_REALTIME, wall + 40 * MS);
  CHECK(now_ns(__WASI_CLOCKID_REALTIME) >= wall + 40 * MS);
  CHECK(now_ns(__WASI_CLOCKID_MONOTONIC) - start >= 30 * MS);

  start = now_ns(__WASI_CLOCKID_MONOTONIC);
  wait_until(__WASI_CLOCKID_MONOTONIC, start - SEC > start ? 0 : start - SEC);
  wait_until(__WASI_CLOCKID_MONOTONIC, 0);
  wait_until(__WASI_CLOCKID_REALTIME, wall - 10 * SEC);
  CHECK(now_ns(__WASI_CLOCKID_MONOTONIC) - start < 500 * MS);
  return 0;
}
