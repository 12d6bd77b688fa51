/* Signal sets (32 bits, bit n-1 for signal n), the mask, pending signals, sigsuspend and
 * pause. */
#include "isk.h"

static unsigned bit(int sig) { return 1u << (sig - 1); }

int sigemptyset(sigset_t *set) {
  set->__bits = 0;
  return 0;
}

int sigfillset(sigset_t *set) {
  set->__bits = ISK_ALL_SIGNALS;
  return 0;
}

int sigaddset(sigset_t *set, int sig) {
  if (!__isk_valid_sig(sig)) {
    errno = EINVAL;
    return -1;
  }
  set->__bits |= bit(sig);
  return 0;
}

int sigdelset(sigset_t *set, int sig) {
  if (!__isk_valid_sig(sig)) {
    errno = EINVAL;
    return -1;
  }
  set->__bits &= ~bit(sig);
  return 0;
}

int sigismember(const sigset_t *set, int sig) {
  if (!__isk_valid_sig(sig)) {
    errno = EINVAL;
    return -1;
  }
  return (set->__bits & bit(sig)) != 0;
}

int sigprocmask(int how, const sigset_t *__restrict set, sigset_t *__restrict oldset) {
  uint32_t in = 0, out = 0;
  if (set) in = set->__bits & ISK_ALL_SIGNALS;
  int err = __isk_sys_sigprocmask(how, set ? &in : NULL, oldset ? &out : NULL);
  if (err) return __isk_ret(err);
  if (oldset) oldset->__bits = out;
  return 0;
}

int sigpending(sigset_t *set) {
  uint32_t out = 0;
  int err = __isk_sys_sigpending(&out);
  if (err) return __isk_ret(err);
  set->__bits = out;
  return 0;
}

int sigsuspend(const sigset_t *mask) {
  /* Returns only when a handler has run (EINTR), as POSIX has it. */
  return __isk_ret(__isk_sys_sigsuspend(mask->__bits & ISK_ALL_SIGNALS));
}

int pause(void) {
  uint32_t cur = 0;
  int err = __isk_sys_sigprocmask(SIG_BLOCK, NULL, &cur);
  if (err) return __isk_ret(err);
  return __isk_ret(__isk_sys_sigsuspend(cur));
}
