/*
 * posix_spawn, posix_spawnp, their file actions and attributes: one `spawn` call to the
 * kernel, which creates the child without fork (docs/abi.md, "spawn").
 */
#include "isk.h"

#include <stdlib.h>
#include <string.h>

struct __isk_spawn_action {
  int kind;  /* ISK_FA_* */
  int fd;
  int arg;   /* OPEN: flags; DUP2: the new descriptor */
  char *path; /* OPEN, CHDIR: owned */
  mode_t mode;
};

/* ------------------------------------------------------------------------ file actions */

int posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa) {
  fa->__used = 0;
  fa->__allocated = 0;
  fa->__actions = NULL;
  return 0;
}

int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa) {
  for (int i = 0; i < fa->__used; i++) free(fa->__actions[i].path);
  free(fa->__actions);
  fa->__actions = NULL;
  fa->__used = fa->__allocated = 0;
  return 0;
}

/* Appends an action; takes `path` (already copied) even on failure. */
static int add_action(posix_spawn_file_actions_t *fa, int kind, int fd, int arg, char *path,
                      mode_t mode) {
  if (fa->__used == fa->__allocated) {
    int n = fa->__allocated ? fa->__allocated * 2 : 4;
    struct __isk_spawn_action *a = realloc(fa->__actions, (size_t)n * sizeof *a);
    if (!a) {
      free(path);
      return ENOMEM;
    }
    fa->__actions = a;
    fa->__allocated = n;
  }
  fa->__actions[fa->__used++] = (struct __isk_spawn_action){kind, fd, arg, path, mode};
  return 0;
}

static char *copy_path(const char *path) { return strdup(path); }

int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *__restrict fa, int fd,
                                     const char *__restrict path, int oflag, mode_t mode) {
  if (fd < 0) return EBADF;
  char *p = copy_path(path);
  if (!p) return ENOMEM;
  /* O_CLOEXEC means nothing for a descriptor the child opens for itself. */
  return add_action(fa, ISK_FA_OPEN, fd, oflag & ~O_CLOEXEC, p, mode);
}

int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd) {
  if (fd < 0) return EBADF;
  return add_action(fa, ISK_FA_CLOSE, fd, 0, NULL, 0);
}

int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int fd, int newfd) {
  if (fd < 0 || newfd < 0) return EBADF;
  return add_action(fa, ISK_FA_DUP2, fd, newfd, NULL, 0);
}

int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *__restrict fa,
                                         const char *__restrict path) {
  char *p = copy_path(path);
  if (!p) return ENOMEM;
  return add_action(fa, ISK_FA_CHDIR, -1, 0, p, 0);
}

int posix_spawn_file_actions_addfchdir_np(posix_spawn_file_actions_t *fa, int fd) {
  if (fd < 0) return EBADF;
  return add_action(fa, ISK_FA_FCHDIR, fd, 0, NULL, 0);
}

/* The struct rlimit travels in the action's owned `path` buffer. */
int posix_spawn_file_actions_addsetrlimit_np(posix_spawn_file_actions_t *__restrict fa, int resource,
                                             const struct rlimit *__restrict rlim) {
  if (resource < 0) return EINVAL;
  char *p = malloc(sizeof *rlim);
  if (!p) return ENOMEM;
  memcpy(p, rlim, sizeof *rlim);
  return add_action(fa, ISK_FA_SETRLIMIT, resource, 0, p, 0);
}

/* -------------------------------------------------------------------------- attributes */

#define KNOWN_FLAGS                                                                      \
  (POSIX_SPAWN_RESETIDS | POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |                 \
   POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSCHEDPARAM | POSIX_SPAWN_SETSCHEDULER |        \
   POSIX_SPAWN_USEVFORK | POSIX_SPAWN_SETSID)

int posix_spawnattr_init(posix_spawnattr_t *attr) {
  memset(attr, 0, sizeof *attr);
  return 0;
}

int posix_spawnattr_destroy(posix_spawnattr_t *attr) {
  (void)attr;
  return 0;
}

int posix_spawnattr_getflags(const posix_spawnattr_t *__restrict attr, short *__restrict flags) {
  *flags = attr->__flags;
  return 0;
}

int posix_spawnattr_setflags(posix_spawnattr_t *attr, short flags) {
  if ((unsigned short)flags & ~(unsigned)KNOWN_FLAGS) return EINVAL;
  attr->__flags = flags;
  return 0;
}

int posix_spawnattr_getpgroup(const posix_spawnattr_t *__restrict attr, pid_t *__restrict pgroup) {
  *pgroup = attr->__pgrp;
  return 0;
}

int posix_spawnattr_setpgroup(posix_spawnattr_t *attr, pid_t pgroup) {
  attr->__pgrp = pgroup;
  return 0;
}

int posix_spawnattr_getsigmask(const posix_spawnattr_t *__restrict attr, sigset_t *__restrict mask) {
  *mask = attr->__sigmask;
  return 0;
}

int posix_spawnattr_setsigmask(posix_spawnattr_t *__restrict attr, const sigset_t *__restrict mask) {
  attr->__sigmask = *mask;
  return 0;
}

int posix_spawnattr_getsigdefault(const posix_spawnattr_t *__restrict attr,
                                  sigset_t *__restrict sigdefault) {
  *sigdefault = attr->__sigdefault;
  return 0;
}

int posix_spawnattr_setsigdefault(posix_spawnattr_t *__restrict attr,
                                  const sigset_t *__restrict sigdefault) {
  attr->__sigdefault = *sigdefault;
  return 0;
}

/* ---------------------------------------------------------------------------- spawning */

#define PTR(p) ((uint32_t)(uintptr_t)(p))

/* NUL-terminated strings back to back, as the kernel reads argv and env. */
char *__isk_pack(char *const list[], uint32_t *len_out) {
  size_t len = 0;
  if (list)
    for (size_t i = 0; list[i]; i++) len += strlen(list[i]) + 1;
  char *buf = malloc(len ? len : 1);
  if (!buf) return NULL;
  size_t at = 0;
  if (list)
    for (size_t i = 0; list[i]; i++) {
      size_t n = strlen(list[i]) + 1;
      memcpy(buf + at, list[i], n);
      at += n;
    }
  *len_out = (uint32_t)len;
  return buf;
}

/* The PATH posix_spawnp searches when the caller has none (confstr(_CS_PATH) on Linux). */
#define DEFAULT_PATH "/bin:/usr/bin"

int __isk_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
                const posix_spawnattr_t *attr, char *const argv[], char *const envp[],
                int search) {
  struct isk_spawn_req req;
  memset(&req, 0, sizeof req);
  req.path = PTR(path);
  req.path_len = (uint32_t)strlen(path);

  int err = ENOMEM;
  char *argbuf = __isk_pack(argv, &req.argv_len);
  char *envbuf = __isk_pack(envp, &req.env_len);
  struct isk_file_action *actions = NULL;
  if (!argbuf || !envbuf) goto out;
  req.argv = PTR(argbuf);
  req.env = PTR(envbuf);

  if (fa && fa->__used > 0) {
    actions = calloc((size_t)fa->__used, sizeof *actions);
    if (!actions) goto out;
    for (int i = 0; i < fa->__used; i++) {
      const struct __isk_spawn_action *a = &fa->__actions[i];
      actions[i].kind = (uint32_t)a->kind;
      actions[i].fd = a->fd;
      actions[i].arg = a->arg;
      if (a->path) {
        actions[i].path = PTR(a->path);
        actions[i].path_len = a->kind == ISK_FA_SETRLIMIT ? (uint32_t)sizeof(struct rlimit)
                                                          : (uint32_t)strlen(a->path);
      }
      actions[i].mode = (uint32_t)a->mode;
    }
    req.actions = PTR(actions);
    req.actions_count = (uint32_t)fa->__used;
  }

  if (attr) {
    short f = attr->__flags;
    if (f & POSIX_SPAWN_SETPGROUP) {
      req.flags |= ISK_SPAWN_SETPGROUP;
      req.pgroup = attr->__pgrp;
    }
    if (f & POSIX_SPAWN_SETSID) req.flags |= ISK_SPAWN_SETSID;
    if (f & POSIX_SPAWN_SETSIGMASK) {
      req.flags |= ISK_SPAWN_SETSIGMASK;
      req.sigmask = attr->__sigmask.__bits & ISK_ALL_SIGNALS;
    }
    if (f & POSIX_SPAWN_SETSIGDEF) {
      req.flags |= ISK_SPAWN_SETSIGDEF;
      req.sigdefault = attr->__sigdefault.__bits & ISK_ALL_SIGNALS;
    }
    if (f & POSIX_SPAWN_RESETIDS) req.flags |= ISK_SPAWN_RESETIDS;
    /* SETSCHEDPARAM, SETSCHEDULER: there is one scheduling policy; USEVFORK: no fork. */
  }

  if (search && !strchr(path, '/')) {
    const char *p = getenv("PATH");
    if (!p) p = DEFAULT_PATH;
    req.flags |= ISK_SPAWN_SEARCH;
    req.search = PTR(p);
    req.search_len = (uint32_t)strlen(p);
  }

  int32_t child = 0;
  err = __isk_sys_spawn(&req, &child);
  if (err == 0 && pid) *pid = child;
out:
  free(argbuf);
  free(envbuf);
  free(actions);
  return err;
}

int posix_spawn(pid_t *__restrict pid, const char *__restrict path,
                const posix_spawn_file_actions_t *file_actions,
                const posix_spawnattr_t *__restrict attrp, char *const argv[],
                char *const envp[]) {
  return __isk_spawn(pid, path, file_actions, attrp, argv, envp, 0);
}

int posix_spawnp(pid_t *__restrict pid, const char *__restrict file,
                 const posix_spawn_file_actions_t *file_actions,
                 const posix_spawnattr_t *__restrict attrp, char *const argv[],
                 char *const envp[]) {
  return __isk_spawn(pid, file, file_actions, attrp, argv, envp, 1);
}
