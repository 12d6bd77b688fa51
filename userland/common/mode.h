/*
 * mode.h: parsing file modes as chmod(1) and mkdir -m take them: octal (755) or symbolic
 * ([ugoa]*[-+=]([rwxXst]*|[ugo]))+ separated by commas, as POSIX describes.
 */
#ifndef USERLAND_MODE_H
#define USERLAND_MODE_H

#include "cmd.h"

#include <sys/stat.h>

/* Applies SPEC to OLD (the file's mode; IS_DIR for X). UMASK_ is used where no who is given
 * ("+x" honours the umask). Returns the new mode, or -1 if SPEC is not a mode. */
static inline long mode_apply(const char *spec, mode_t old, int is_dir, mode_t umask_) {
  if (*spec >= '0' && *spec <= '7') {
    char *end;
    long v = strtol(spec, &end, 8);
    if (*end || v > 07777) return -1;
    /* GNU: an octal mode with fewer than 5 digits keeps a directory's set-id bits */
    if (is_dir && strlen(spec) < 5) v |= (long)(old & (S_ISUID | S_ISGID));
    return v;
  }
  mode_t m = old & 07777;
  const char *p = spec;
  for (;;) {
    mode_t who = 0;
    for (;; p++) {
      if (*p == 'u') who |= S_ISUID | S_IRWXU;
      else if (*p == 'g') who |= S_ISGID | S_IRWXG;
      else if (*p == 'o') who |= S_IRWXO;
      else if (*p == 'a') who |= S_ISUID | S_ISGID | S_ISVTX | S_IRWXU | S_IRWXG | S_IRWXO;
      else break;
    }
    if (*p != '+' && *p != '-' && *p != '=') return -1;
    while (*p == '+' || *p == '-' || *p == '=') {
      char op = *p++;
      mode_t bits = 0;
      if (*p == 'u' || *p == 'g' || *p == 'o') {
        mode_t src = m, v = 0;
        if (*p == 'u') v = (src >> 6) & 7;
        else if (*p == 'g') v = (src >> 3) & 7;
        else v = src & 7;
        bits = (mode_t)(v << 6 | v << 3 | v);
        p++;
      } else {
        for (;; p++) {
          if (*p == 'r') bits |= S_IRUSR | S_IRGRP | S_IROTH;
          else if (*p == 'w') bits |= S_IWUSR | S_IWGRP | S_IWOTH;
          else if (*p == 'x') bits |= S_IXUSR | S_IXGRP | S_IXOTH;
          else if (*p == 'X') {
            if (is_dir || (old & 0111)) bits |= S_IXUSR | S_IXGRP | S_IXOTH;
          } else if (*p == 's') bits |= S_ISUID | S_ISGID;
          else if (*p == 't') bits |= S_ISVTX;
          else break;
        }
      }
      mode_t mask = who ? who : (mode_t)((S_ISUID | S_ISGID | S_ISVTX | 0777) & ~umask_);
      if (!who && op == '=') mask = S_ISUID | S_ISGID | S_ISVTX | 0777;
      bits &= mask;
      if (op == '+') m |= bits;
      else if (op == '-') m &= ~bits;
      else {
        mode_t clear = who ? who : (mode_t)(S_ISUID | S_ISGID | S_ISVTX | 0777);
        if (is_dir) clear &= ~(mode_t)(S_ISUID | S_ISGID); /* GNU keeps a directory's set-id bits */
        m = (m & ~clear) | (bits & (who ? who : (mode_t)~umask_ & 07777));
      }
    }
    if (*p == 0) return (long)m;
    if (*p != ',') return -1;
    p++;
  }
}

#endif /* USERLAND_MODE_H */
