// poll_oneoff with several clocks (relative and ABSTIME, monotonic and realtime): the call
// returns when the earliest is due, with an event for each subscription that is due then
// and none for those that are not.
#include "test.h"

int main(void) {
  __wasi_timestamp_t start = now_ns(__WASI_CLOCKID_MONOTONIC);
  __wasi_timestamp_t wall = now_ns(__WASI_CLOCKID_REALTIME);
  __wasi_subclockflags_t abs = __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME;
  __wasi_subscription_t subs[5] = {
      clock_sub(1, __WASI_CLOCKID_MONOTONIC, 2 * SEC, 0),
      clock_sub(2, __WASI_CLOCKID_MONOTONIC, 30 * MS, 0),
      clock_sub(3, __WASI_CLOCKID_MONOTONIC, start + 3 * SEC, abs),
      clock_sub(4, __WASI_CLOCKID_REALTIME, wall + 2 * SEC, abs),
      clock_sub(5, __WASI_CLOCKID_REALTIME, 4 * SEC, 0),
  };
  __wasi_event_t evs[5];
  __wasi_size_t n;
  CHECK_OK(__wasi_poll_oneoff(subs, evs, 5, &n));
  __wasi_timestamp_t elapsed = now_ns(__WASI_CLOCKID_MONOTONIC) - start;
  CHECK_EQ(n, 1);
  CHECK_EQ(evs[0].userdata, 2);
  CHECK_EQ(evs[0].type, __WASI_EVENTTYPE_CLOCK);
  CHECK_EQ(evs[0].error, 0);
  CHECK(elapsed >= 30 * MS);
  CHECK(elapsed < SEC);

  // Two due together: both reported (the order is not promised).
  start = now_ns(__WASI_CLOCKID_MONOTONIC);
  __wasi_subscription_t pair[3] = {
      clock_sub(10, __WASI_CLOCKID_MONOTONIC, 2 * SEC, 0),
      clock_sub(11, __WASI_CLOCKID_MONOTONIC, start + 20 * MS, abs),
      clock_sub(12, __WASI_CLOCKID_MONOTONIC, start - 5 * MS, abs),
  };
  CHECK_OK(__wasi_poll_oneoff(pair, evs, 3, &n));
  CHECK(n >= 1 && n <= 2);
  for (unsigned i = 0; i < n; i++) CHECK(evs[i].userdata == 11 || evs[i].userdata == 12);
  CHECK(now_ns(__WASI_CLOCKID_MONOTONIC) - start < SEC);

  // Same userdata twice is allowed.
  __wasi_subscription_t same[2] = {clock_sub(9, __WASI_CLOCKID_MONOTONIC, 0, 0),
                                   clock_sub(9, __WASI_CLOCKID_MONOTONIC, 0, 0)};
  CHECK_OK(__wasi_poll_oneoff(same, evs, 2, &n));
  CHECK(n >= 1);
  for (unsigned i = 0; i < n; i++) CHECK_EQ(evs[i].userdata, 9);
  return 0;
}
