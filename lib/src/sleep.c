/*
 * clock_nanosleep, nanosleep, usleep, sleep. wasi-libc's own turn every poll_oneoff error
 * into ENOTSUP, so a sleep cut short by a caught signal could not say EINTR (nor how much
 * was left); these do. A relative sleep is measured on the clock it names (nanosleep,
 * usleep and sleep use CLOCK_MONOTONIC, as Linux does). libc's nanosleep.o, usleep.o and
 * sleep.o only call clock_nanosleep, and this object defines all four, so none of them is
 * linked.
 */
#include "isk.h"

#include <stdint.h>
#include <time.h>
#include <wasi/api.h>

static int wasi_clock(clockid_t c, __wasi_clockid_t *id) {
  if (c == CLOCK_REALTIME) *id = __WASI_CLOCKID_REALTIME;
  else if (c == CLOCK_MONOTONIC) *id = __WASI_CLOCKID_MONOTONIC;
  else if (c == CLOCK_PROCESS_CPUTIME_ID) *id = __WASI_CLOCKID_PROCESS_CPUTIME_ID;
  else if (c == CLOCK_THREAD_CPUTIME_ID) *id = __WASI_CLOCKID_THREAD_CPUTIME_ID;
  else return 0;
  return 1;
}

int clock_nanosleep(clockid_t clock, int flags, const struct timespec *req, struct timespec *rem) {
  __wasi_clockid_t id;
  if ((flags & ~TIMER_ABSTIME) || !wasi_clock(clock, &id)) return EINVAL;
  if (req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec >= 1000000000) return EINVAL;
  uint64_t ns = (uint64_t)req->tv_sec > (UINT64_MAX - 999999999) / 1000000000
                    ? UINT64_MAX
                    : (uint64_t)req->tv_sec * 1000000000 + (uint64_t)req->tv_nsec;
  int abs = (flags & TIMER_ABSTIME) != 0;
  __wasi_timestamp_t start = 0;
  if (!abs && rem && __wasi_clock_time_get(id, 1, &start) != 0) start = 0;

  __wasi_subscription_t sub;
  memset(&sub, 0, sizeof sub);
  sub.u.tag = __WASI_EVENTTYPE_CLOCK;
  sub.u.u.clock.id = id;
  sub.u.u.clock.timeout = ns;
  sub.u.u.clock.flags = abs ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
  __wasi_event_t ev;
  __wasi_size_t n = 0;
  int err = __wasi_poll_oneoff(&sub, &ev, 1, &n);
  if (err == 0 && n == 1 && ev.error != 0) err = ev.error;
  if (err == EINTR && !abs && rem) {
    __wasi_timestamp_t now = start;
    if (__wasi_clock_time_get(id, 1, &now) != 0) now = start;
    uint64_t elapsed = now > start ? now - start : 0;
    uint64_t left = elapsed >= ns ? 0 : ns - elapsed;
    rem->tv_sec = (time_t)(left / 1000000000);
    rem->tv_nsec = (long)(left % 1000000000);
  }
  return err;
}

int nanosleep(const struct timespec *req, struct timespec *rem) {
  int err = clock_nanosleep(CLOCK_MONOTONIC, 0, req, rem);
  if (err) {
    errno = err;
    return -1;
  }
  return 0;
}

int usleep(useconds_t us) {
  struct timespec ts = {(time_t)(us / 1000000), (long)(us % 1000000) * 1000};
  return nanosleep(&ts, NULL);
}

unsigned sleep(unsigned seconds) {
  struct timespec ts = {(time_t)seconds, 0}, rem = {0, 0};
  if (nanosleep(&ts, &rem) == 0) return 0;
  return (unsigned)rem.tv_sec + (rem.tv_nsec > 0);
}
