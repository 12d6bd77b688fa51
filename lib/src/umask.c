/* umask: the kernel keeps the creation mask (default 022; children inherit it). */
#include "isk.h"

mode_t umask(mode_t mask) {
  uint32_t old = 0;
  __isk_sys_umask((uint32_t)mask & 0777, &old);
  return (mode_t)old;
}
