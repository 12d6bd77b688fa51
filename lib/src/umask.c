/* umask: the kernel keeps the creation mask (default 022; children inherit it). The library
 * remembers the value it last saw, so that open() can tell without a system call whether a
 * new file's mode needs setting (fd.c, open_mode). Only this process changes its own mask. */
#include "isk.h"

static int known = -1; /* the mask, once read or set here */

mode_t umask(mode_t mask) {
  uint32_t old = 0;
  __isk_sys_umask((uint32_t)mask & 0777, &old);
  known = (int)(mask & 0777);
  return (mode_t)old;
}

mode_t __isk_current_umask(void) {
  if (known < 0) {
    uint32_t old = 0;
    __isk_sys_umask(022, &old); /* read it: set, then put it back */
    __isk_sys_umask(old, &old);
    known = (int)old;
  }
  return (mode_t)known;
}
