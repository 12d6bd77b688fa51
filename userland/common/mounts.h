/*
 * mounts.h: where the filesystem holding a path is mounted, found by climbing towards "/"
 * while the device stays the same (there is no mount table to read: no /proc/mounts).
 */
#ifndef USERLAND_MOUNTS_H
#define USERLAND_MOUNTS_H

#include "cmd.h"

#include <sys/stat.h>

/* The absolute, normalized form of PATH (no symlinks resolved), malloc'ed. */
static inline char *absolute_path(const char *path) {
  char cwd[PATH_MAX];
  char *joined;
  if (path[0] == '/') {
    joined = xstrdup(path);
  } else {
    if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "/");
    joined = path_join(cwd, path);
  }
  char *out = xmalloc(strlen(joined) + 2);
  size_t n = 0;
  for (char *p = joined; *p;) {
    while (*p == '/') p++;
    char *e = p;
    while (*e && *e != '/') e++;
    size_t len = (size_t)(e - p);
    if (len == 0) break;
    if (len == 1 && p[0] == '.') {
      /* skip */
    } else if (len == 2 && p[0] == '.' && p[1] == '.') {
      while (n > 0 && out[n - 1] != '/') n--;
      if (n > 0) n--;
    } else {
      out[n++] = '/';
      memcpy(out + n, p, len);
      n += len;
    }
    p = e;
  }
  if (n == 0) out[n++] = '/';
  out[n] = 0;
  free(joined);
  return out;
}

/* The mount point of the filesystem holding PATH, malloc'ed (NULL if PATH cannot be stat'ed). */
static inline char *mount_point(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) return NULL;
  char *p = absolute_path(path);
  if (!S_ISDIR(st.st_mode)) {
    char *slash = strrchr(p, '/');
    if (slash == p) p[1] = 0;
    else if (slash) *slash = 0;
  }
  for (;;) {
    if (strcmp(p, "/") == 0) return p;
    char *slash = strrchr(p, '/');
    char saved = slash[slash == p ? 1 : 0];
    if (slash == p) p[1] = 0;
    else *slash = 0;
    struct stat up;
    if (stat(p, &up) != 0 || up.st_dev != st.st_dev) {
      /* the parent is another filesystem: put the component back */
      if (slash == p) p[1] = saved;
      else *slash = '/';
      return p;
    }
  }
}

#endif /* USERLAND_MOUNTS_H */
