/*
 * The exec family on the kernel's exec call: the process keeps its pid, parent, group,
 * session, ids, cwd, umask, limits, signal mask, pending and ignored signals, and its
 * descriptors without FD_CLOEXEC; it loses its memory, its caught signals' handlers and its
 * close-on-exec descriptors, and runs the new program from its start (docs/abi.md, exec).
 * execvp/execlp/execvpe search PATH (or "/bin:/usr/bin") for a name without a slash, as
 * posix_spawnp does; a `#!` script runs with its interpreter. On success none returns.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "isk.h"

#define PTR(p) ((uint32_t)(uintptr_t)(p))
#define DEFAULT_PATH "/bin:/usr/bin"

extern char **environ;

static int do_exec(const char *path, char *const argv[], char *const envp[], int search) {
  if (!path || !argv) {
    errno = EFAULT;
    return -1;
  }
  if (*path == '\0') {
    errno = ENOENT;
    return -1;
  }
  struct isk_spawn_req req;
  memset(&req, 0, sizeof req);
  req.path = PTR(path);
  req.path_len = (uint32_t)strlen(path);
  char *argbuf = __isk_pack(argv, &req.argv_len);
  char *envbuf = __isk_pack(envp, &req.env_len);
  int err = ENOMEM;
  if (argbuf && envbuf) {
    req.argv = PTR(argbuf);
    req.env = PTR(envbuf);
    if (search && !strchr(path, '/')) {
      const char *p = getenv("PATH");
      if (!p) p = DEFAULT_PATH;
      req.flags |= ISK_SPAWN_SEARCH;
      req.search = PTR(p);
      req.search_len = (uint32_t)strlen(p);
    }
    err = __isk_sys_exec(&req);
  }
  free(argbuf);
  free(envbuf);
  errno = err;
  return -1;
}

int execve(const char *path, char *const argv[], char *const envp[]) { return do_exec(path, argv, envp, 0); }
int execv(const char *path, char *const argv[]) { return do_exec(path, argv, environ, 0); }
int execvp(const char *file, char *const argv[]) { return do_exec(file, argv, environ, 1); }
int execvpe(const char *file, char *const argv[], char *const envp[]) { return do_exec(file, argv, envp, 1); }

/* The variadic forms collect their arguments into an array (and, for execle, the
 * environment after the terminating NULL). */
static int exec_list(const char *path, const char *arg0, va_list ap, int with_env, int search) {
  va_list count;
  va_copy(count, ap);
  size_t n = 1;
  if (arg0)
    while (va_arg(count, const char *)) n++;
  va_end(count);
  char **argv = malloc((n + 1) * sizeof *argv);
  if (!argv) {
    errno = ENOMEM;
    return -1;
  }
  argv[0] = (char *)arg0;
  for (size_t i = 1; i < n; i++) argv[i] = va_arg(ap, char *);
  argv[n] = NULL;
  if (arg0) (void)va_arg(ap, char *); /* the NULL */
  char *const *envp = with_env ? va_arg(ap, char *const *) : environ;
  int r = do_exec(path, argv, envp, search);
  int saved = errno;
  free(argv);
  errno = saved;
  return r;
}

int execl(const char *path, const char *arg0, ...) {
  va_list ap;
  va_start(ap, arg0);
  int r = exec_list(path, arg0, ap, 0, 0);
  va_end(ap);
  return r;
}

int execle(const char *path, const char *arg0, ...) {
  va_list ap;
  va_start(ap, arg0);
  int r = exec_list(path, arg0, ap, 1, 0);
  va_end(ap);
  return r;
}

int execlp(const char *file, const char *arg0, ...) {
  va_list ap;
  va_start(ap, arg0);
  int r = exec_list(file, arg0, ap, 0, 1);
  va_end(ap);
  return r;
}
