/* Resource limits: getrlimit, setrlimit, prlimit (docs/abi.md, "Resource limits"). */
#include "isk.h"

/* A NULL limit is EFAULT, as on Linux (address 0 is memory in wasm: the kernel would use it). */
int getrlimit(int resource, struct rlimit *rlim) {
  if (!rlim) return __isk_ret(EFAULT);
  return __isk_ret(__isk_sys_getrlimit(resource, rlim));
}

int setrlimit(int resource, const struct rlimit *rlim) {
  if (!rlim) return __isk_ret(EFAULT);
  return __isk_ret(__isk_sys_setrlimit(resource, rlim));
}

/* NULL new_limit or old_limit: none (the kernel reads 0 as none). */
int prlimit(pid_t pid, int resource, const struct rlimit *new_limit, struct rlimit *old_limit) {
  return __isk_ret(__isk_sys_prlimit(pid, resource, new_limit, old_limit));
}
