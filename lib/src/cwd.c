/*
 * The working directory. wasi-libc keeps a cwd of its own in user space (__wasilibc_cwd,
 * "/" at start) and resolves relative paths through the weak __wasilibc_find_relpath_alloc,
 * which its chdir.o defines. isokernel keeps a cwd per process too: spawn starts children
 * in it, and spawn's program path is relative to it. This object keeps the two equal:
 *
 *  - a constructor sets __wasilibc_cwd from the kernel's cwd at start;
 *  - chdir and fchdir change the kernel's cwd, then re-read it (the kernel's answer is
 *    absolute and canonical);
 *  - __wasilibc_find_relpath_alloc (a strong definition, so libc's chdir.o is never linked)
 *    joins the cwd and a relative path and finds the preopen for the result.
 *
 * isokernel.h refers to __isokernel_cwd_init, defined here, so every program including the
 * header links this object, its constructor and the resolver.
 */
#include "isk.h"

#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>
#include <wasi/libc.h>

/* wasi-libc's preopens.o (<wasi/libc-find-relpath.h> is not included: it declares the
 * resolver weak, and this definition must be strong). */
int __wasilibc_find_abspath(const char *abspath, const char **abs_prefix, const char **relative_path);
int __wasilibc_find_relpath_alloc(const char *path, const char **abs_prefix, char **relative_buf,
                                  size_t *relative_buf_len, int can_realloc);

const char __isokernel_cwd_init = 1;

extern char *__wasilibc_cwd; /* wasi-libc's getcwd.o */
static int cwd_is_ours;      /* whether __wasilibc_cwd was malloc'd here */

int __isk_refresh_cwd(void) {
  uint32_t len = 128;
  for (;;) {
    char *buf = malloc(len);
    if (!buf) return __isk_ret(ENOMEM);
    uint32_t need = 0;
    int err = __isk_sys_getcwd(buf, len, &need);
    if (err == 0) {
      if (cwd_is_ours) free(__wasilibc_cwd);
      __wasilibc_cwd = buf;
      cwd_is_ours = 1;
      return 0;
    }
    free(buf);
    if (err != ERANGE || need <= len) return __isk_ret(err);
    len = need;
  }
}

/*
 * wasi-libc finds preopened directories by asking about descriptors 3, 4, ... and stops at
 * the first that is not one. A program started while 3 is a file (a shell's `exec 3>log`)
 * would find none, though its parent's copies sit further up (the userland shell keeps
 * them at 64-127). Register every preopen past that first gap: the kernel's fd_next lists
 * the open descriptors, so this costs a call per descriptor the program has, not per number.
 */
static void register_preopens_past_gaps(void) {
  int fd = 3;
  for (;; fd++) { /* wasi-libc's own scan covers these: it stops where prestat fails */
    __wasi_prestat_t ps;
    if (__wasi_fd_prestat_get((__wasi_fd_t)fd, &ps) != 0) break;
  }
  uint32_t next;
  for (fd++; __isk_sys_fd_next(fd, &next) == 0; fd = (int)next + 1) {
    __wasi_prestat_t ps;
    if (__wasi_fd_prestat_get((__wasi_fd_t)next, &ps) != 0 || ps.tag != __WASI_PREOPENTYPE_DIR) continue;
    size_t len = ps.u.dir.pr_name_len;
    char *name = malloc(len + 1);
    if (!name) return;
    if (__wasi_fd_prestat_dir_name((__wasi_fd_t)next, (uint8_t *)name, len) != 0) {
      free(name);
      continue;
    }
    name[len] = 0;
    /* kept: whether wasi-libc copies the prefix differs between its versions */
    __wasilibc_register_preopened_fd((int)next, name);
  }
}

__attribute__((constructor(101))) static void read_kernel_cwd(void) {
  register_preopens_past_gaps();
  __isk_refresh_cwd();
}

int chdir(const char *path) {
  int err = __isk_sys_chdir(path, (uint32_t)strlen(path));
  if (err) return __isk_ret(err);
  return __isk_refresh_cwd();
}

int fchdir(int fd) {
  int err = __isk_sys_fchdir(fd);
  if (err) return __isk_ret(err);
  return __isk_refresh_cwd();
}

/* Whether a relative path climbs above where it starts, read lexically. */
static int climbs_out(const char *rel) {
  int depth = 0;
  for (const char *p = rel; *p;) {
    while (*p == '/') p++;
    const char *end = p;
    while (*end && *end != '/') end++;
    size_t n = (size_t)(end - p);
    if (n == 2 && p[0] == '.' && p[1] == '.') {
      if (--depth < 0) return 1;
    } else if (n > 0 && !(n == 1 && p[0] == '.')) {
      depth++;
    }
    p = end;
  }
  return 0;
}

int __wasilibc_find_relpath_alloc(const char *path, const char **abs_prefix, char **relative_buf,
                                  size_t *relative_buf_len, int can_realloc) {
  /* The absolute path: the path itself, or cwd/path. */
  char *joined = NULL;
  const char *abs = path;
  if (path[0] == '\0') {
    /* POSIX: an empty path names no file, but joined to the cwd it would name the cwd. An
     * error here would reach the caller as ENOTCAPABLE (wasi-libc's word for "no preopen"),
     * so hand the kernel the empty path beneath a preopen: it answers ENOENT. */
    abs = "/";
  } else if (path[0] != '/') {
    const char *cwd = __wasilibc_cwd;
    size_t cl = strlen(cwd), pl = strlen(path);
    joined = malloc(cl + 1 + pl + 1);
    if (!joined) {
      errno = ENOMEM;
      return -1;
    }
    memcpy(joined, cwd, cl);
    joined[cl] = '/';
    memcpy(joined + cl + 1, path, pl + 1);
    abs = joined;
  }

  const char *rel = NULL;
  int fd = __wasilibc_find_abspath(abs, abs_prefix, &rel);
  /* The kernel resolves a path beneath its preopen: `..` may not climb out of it. If the
   * path climbs out of the preopen it matched, resolve it from the root preopen instead,
   * which holds everything (the kernel follows `..` and symlinks itself). */
  if (fd >= 0 && **abs_prefix != '\0' && climbs_out(rel)) {
    const char *root_prefix, *root_rel;
    int root = __wasilibc_find_abspath("/", &root_prefix, &root_rel);
    if (root >= 0) {
      fd = root;
      *abs_prefix = root_prefix;
      rel = abs;
      while (*rel == '/') rel++;
      if (*rel == '\0') rel = ".";
    }
  }
  if (fd < 0) {
    free(joined);
    return -1;
  }

  if (path[0] == '\0') rel = "";
  size_t need = strlen(rel) + 1;
  if (need > *relative_buf_len) {
    if (!can_realloc) {
      free(joined);
      errno = ERANGE;
      return -1;
    }
    char *grown = realloc(*relative_buf, need);
    if (!grown) {
      free(joined);
      errno = ENOMEM;
      return -1;
    }
    *relative_buf = grown;
    *relative_buf_len = need;
  }
  memmove(*relative_buf, rel, need);
  free(joined);
  return fd;
}
