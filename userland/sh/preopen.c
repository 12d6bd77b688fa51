/*
 * Keeping the filesystem reachable when a script uses descriptors 3-9.
 *
 * WASI programs reach files through preopened directories, which the kernel hands out at
 * descriptors 3, 4, ... and which wasi-libc finds at startup by asking about 3, 4, ...
 * until one is not a preopen. POSIX scripts use those very numbers (`exec 3>log`,
 * `3>&1 1>&2 2>&3`): a redirection onto 3 would leave this process (and wasi-libc's table
 * of preopens) pointing at a log file instead of `/`.
 *
 * So at startup the shell copies every low preopen to a descriptor at PREOPEN_BASE or
 * above and registers the copy with wasi-libc under the same name; for an equal prefix
 * wasi-libc prefers the preopen registered last, so the shell's own path lookups go
 * through the copies whatever happens to 3-9. The copies are inheritable: a child shell
 * finds them again (it scans every descriptor below PREOPEN_LIMIT, not only up to the first
 * gap), and so could any program whose C library did the same. A redirection onto a copy
 * moves the copy first.
 *
 * A program spawned while one of the original slots is closed (`exec 3>&-`) would find no
 * preopen at all (wasi-libc stops at the first gap), so spawns put the copy back into
 * every closed slot for the child: it starts as any WASI program does. A slot the script
 * holds open on a file of its own cannot be given back; programs spawned then see no
 * preopens beyond it (see the report: the C library should scan past gaps).
 */
#include "sh.h"

#include <wasi/api.h>
#include <wasi/libc.h>

#define PREOPEN_BASE 64
#define PREOPEN_LIMIT 128
#define MAX_PREOPENS 16

static struct {
  int fd;
  int slot; /* where it was at startup (3, 4, ...) */
  char *name;
} copies[MAX_PREOPENS];
static int ncopies;

static char *prestat_name(int fd) {
  __wasi_prestat_t ps;
  if (__wasi_fd_prestat_get((__wasi_fd_t)fd, &ps) != 0) return NULL;
  if (ps.tag != __WASI_PREOPENTYPE_DIR) return NULL;
  size_t len = ps.u.dir.pr_name_len;
  char *name = xmalloc(len + 1);
  if (__wasi_fd_prestat_dir_name((__wasi_fd_t)fd, (uint8_t *)name, len) != 0) {
    free(name);
    return NULL;
  }
  name[len] = 0;
  return name;
}

static bool have_copy(const char *name) {
  for (int i = 0; i < ncopies; i++)
    if (strcmp(copies[i].name, name) == 0) return true;
  return false;
}

static void add_copy(int fd, int slot, char *name) {
  if (ncopies >= MAX_PREOPENS) {
    free(name);
    return;
  }
  copies[ncopies].fd = fd;
  copies[ncopies].slot = slot;
  copies[ncopies].name = name;
  ncopies++;
  __wasilibc_register_preopened_fd(fd, name);
}

void preopens_protect(void) {
  /* copies inherited from a parent shell first, so they are not made twice */
  /* Open descriptors only (isk_fd_next): a call per open one, not one per number. */
  for (int fd = isk_fd_next(PREOPEN_BASE); fd >= 0 && fd < PREOPEN_LIMIT; fd = isk_fd_next(fd + 1)) {
    char *name = prestat_name(fd);
    if (!name) continue;
    if (have_copy(name)) free(name);
    else add_copy(fd, 3 + ncopies, name);
  }
  for (int fd = isk_fd_next(3); fd >= 0 && fd < PREOPEN_BASE; fd = isk_fd_next(fd + 1)) {
    char *name = prestat_name(fd);
    if (!name) continue;
    if (have_copy(name)) {
      free(name);
      continue;
    }
    int hi = fcntl(fd, F_DUPFD, PREOPEN_BASE);
    if (hi < 0) {
      free(name);
      continue;
    }
    add_copy(hi, fd, name);
  }
}

void preopen_spawn_actions(posix_spawn_file_actions_t *fa) {
  for (int i = 0; i < ncopies; i++)
    if (!fd_is_open(copies[i].slot)) posix_spawn_file_actions_adddup2(fa, copies[i].fd, copies[i].slot);
}

/* Before exec: the new program finds its preopens at 3, 4, ... as every program does, so
 * every slot that is closed gets its copy back (a slot the script holds open on a file of
 * its own keeps it: exec keeps open descriptors). */
void preopen_exec_prepare(void) {
  for (int i = 0; i < ncopies; i++)
    if (!fd_is_open(copies[i].slot)) dup2(copies[i].fd, copies[i].slot);
}

/* A redirection is about to replace fd: if it is one of the copies, move the copy. */
void preopen_fd_conflict(int fd) {
  for (int i = 0; i < ncopies; i++) {
    if (copies[i].fd != fd) continue;
    int hi = fcntl(fd, F_DUPFD, PREOPEN_BASE);
    if (hi < 0) continue;
    copies[i].fd = hi;
    __wasilibc_register_preopened_fd(hi, copies[i].name);
  }
}
