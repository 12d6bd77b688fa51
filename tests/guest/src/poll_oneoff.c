// poll_oneoff with one clock: a relative timeout on the monotonic or realtime clock returns
// one event (our userdata, type CLOCK, no error) no sooner than asked; a zero timeout at
// once. No subscriptions is EINVAL, as is a CPU-time clock or an unknown event type; a
// subscription on a descriptor that is not open fails the call with EBADF; pointers past
// memory are EFAULT.
#include "test.h"

static void sleep_on(__wasi_clockid_t id, __wasi_timestamp_t ns) {
  __wasi_subscription_t sub = clock_sub(0x1234567890ull, id, ns, 0);
  __wasi_event_t ev;
  memset(&ev, 0xff, sizeof ev);
  __wasi_size_t n;
  __wasi_timestamp_t t0 = now_ns(__WASI_CLOCKID_MONOTONIC);
  CHECK_OK(__wasi_poll_oneoff(&sub, &ev, 1, &n));
  __wasi_timestamp_t t1 = now_ns(__WASI_CLOCKID_MONOTONIC);
  CHECK_EQ(n, 1);
  CHECK_EQ(ev.userdata, 0x1234567890ull);
  CHECK_EQ(ev.error, 0);
  CHECK_EQ(ev.type, __WASI_EVENTTYPE_CLOCK);
  if (t1 - t0 < ns) FAIL("clock %u: slept %llu ns, asked %llu", id, (unsigned long long)(t1 - t0), (unsigned long long)ns);
}

int main(void) {
  sleep_on(__WASI_CLOCKID_MONOTONIC, 30 * MS);
  sleep_on(__WASI_CLOCKID_REALTIME, 30 * MS);
  sleep_on(__WASI_CLOCKID_MONOTONIC, 1);
  __wasi_timestamp_t t0 = now_ns(__WASI_CLOCKID_MONOTONIC);
  sleep_on(__WASI_CLOCKID_MONOTONIC, 0);
  CHECK(now_ns(__WASI_CLOCKID_MONOTONIC) - t0 < 500 * MS);

  __wasi_subscription_t sub = clock_sub(1, __WASI_CLOCKID_MONOTONIC, 0, 0);
  __wasi_event_t ev;
  __wasi_size_t n;
  CHECK_ERRNO(__wasi_poll_oneoff(&sub, &ev, 0, &n), __WASI_ERRNO_INVAL);
  __wasi_subscription_t cpu = clock_sub(1, __WASI_CLOCKID_PROCESS_CPUTIME_ID, MS, 0);
  CHECK_ERRNO(__wasi_poll_oneoff(&cpu, &ev, 1, &n), __WASI_ERRNO_INVAL);
  __wasi_subscription_t odd = sub;
  odd.u.tag = 3;
  CHECK_ERRNO(__wasi_poll_oneoff(&odd, &ev, 1, &n), __WASI_ERRNO_INVAL);
  __wasi_subscription_t bad[2] = {clock_sub(1, __WASI_CLOCKID_MONOTONIC, 0, 0),
                                  fd_sub(2, __WASI_EVENTTYPE_FD_READ, BAD_FD)};
  __wasi_event_t evs[2];
  CHECK_ERRNO(__wasi_poll_oneoff(bad, evs, 2, &n), __WASI_ERRNO_BADF);

  CHECK_ERRNO(__wasi_poll_oneoff(BAD_PTR, &ev, 1, &n), __WASI_ERRNO_FAULT);
  CHECK_ERRNO(__wasi_poll_oneoff(&sub, BAD_PTR, 1, &n), __WASI_ERRNO_FAULT);
  CHECK_ERRNO(__wasi_poll_oneoff(&sub, &ev, 1, BAD_PTR), __WASI_ERRNO_FAULT);
  return 0;
}
