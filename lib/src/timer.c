/* alarm, setitimer, getitimer. ITIMER_REAL is the one timer alarm() also sets. The kernel
 * has no getitimer: it is setitimer(0) to read the timer, then setitimer again to re-arm
 * it with what was left. */
#include "isk.h"

unsigned alarm(unsigned seconds) {
  uint32_t prev = 0;
  __isk_sys_alarm(seconds, &prev);
  return prev;
}

static int to_ns(const struct timeval *tv, int64_t *ns) {
  if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000) return EINVAL;
  if (tv->tv_sec > (INT64_MAX / 1000000000) - 1) return EINVAL;
  *ns = (int64_t)tv->tv_sec * 1000000000 + (int64_t)tv->tv_usec * 1000;
  return 0;
}

/* Rounded up to the microsecond, so a running timer never reads as stopped. */
static void to_timeval(uint64_t ns, struct timeval *tv) {
  uint64_t us = (ns + 999) / 1000;
  tv->tv_sec = (time_t)(us / 1000000);
  tv->tv_usec = (suseconds_t)(us % 1000000);
}

int setitimer(int which, const struct itimerval *__restrict value, struct itimerval *__restrict old) {
  int64_t v, iv;
  int err = to_ns(&value->it_value, &v);
  if (!err) err = to_ns(&value->it_interval, &iv);
  if (err) return __isk_ret(err);
  struct isk_itimer prev;
  err = __isk_sys_setitimer(which, v, iv, old ? &prev : NULL);
  if (err) return __isk_ret(err);
  if (old) {
    to_timeval(prev.value_ns, &old->it_value);
    to_timeval(prev.interval_ns, &old->it_interval);
  }
  return 0;
}

int getitimer(int which, struct itimerval *value) {
  struct isk_itimer cur;
  int err = __isk_sys_setitimer(which, 0, 0, &cur);
  if (err) return __isk_ret(err);
  if (cur.value_ns) {
    err = __isk_sys_setitimer(which, (int64_t)cur.value_ns, (int64_t)cur.interval_ns, NULL);
    if (err) return __isk_ret(err);
  }
  to_timeval(cur.value_ns, &value->it_value);
  to_timeval(cur.interval_ns, &value->it_interval);
  return 0;
}
