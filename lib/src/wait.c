/* waitpid and wait: the kernel's `wait`, which sleeps (restartable with SA_RESTART). */
#include "isk.h"

pid_t waitpid(pid_t pid, int *status, int options) {
  int32_t st = 0, who = 0;
  int err = __isk_sys_wait(pid, options, &st, &who);
  if (err) return __isk_ret(err);
  if (status && who > 0) *status = st;
  return who;
}

pid_t wait(int *status) { return waitpid(-1, status, 0); }
