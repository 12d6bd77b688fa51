/* kill, killpg, raise. A signal the caller sends itself is handled before kill returns
 * (the kernel delivers at the return of every call of the isokernel module). */
#include "isk.h"

int kill(pid_t pid, int sig) { return __isk_ret(__isk_sys_kill(pid, sig)); }

int killpg(pid_t pgrp, int sig) {
  if (pgrp < 0) {
    errno = EINVAL;
    return -1;
  }
  /* As glibc: killpg(0) is the caller's group, killpg(1) is kill(-1). */
  return kill(-pgrp, sig);
}

int raise(int sig) {
  int32_t self;
  int err = __isk_sys_getpid(&self);
  if (err) return __isk_ret(err);
  return kill(self, sig);
}
