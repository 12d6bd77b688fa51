/* Process, group and session identifiers. */
#include "isk.h"

pid_t getpid(void) {
  int32_t out = 0;
  __isk_sys_getpid(&out);
  return out;
}

/* getpid under another name, for files that included <unistd.h> before isokernel.h. */
pid_t __isk_getpid(void) { return getpid(); }

pid_t getppid(void) {
  int32_t out = 0;
  __isk_sys_getppid(&out);
  return out;
}

pid_t getpgid(pid_t pid) {
  int32_t out = 0;
  int err = __isk_sys_getpgid(pid, &out);
  if (err) return __isk_ret(err);
  return out;
}

pid_t getpgrp(void) { return getpgid(0); }

pid_t getsid(pid_t pid) {
  int32_t out = 0;
  int err = __isk_sys_getsid(pid, &out);
  if (err) return __isk_ret(err);
  return out;
}

int setpgid(pid_t pid, pid_t pgid) { return __isk_ret(__isk_sys_setpgid(pid, pgid)); }

pid_t setsid(void) {
  int32_t out = 0;
  int err = __isk_sys_setsid(&out);
  if (err) return __isk_ret(err);
  return out;
}
