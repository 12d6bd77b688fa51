/*
 * system(): /bin/sh -c COMMAND, waited for. As POSIX has it, the caller ignores SIGINT and
 * SIGQUIT and blocks SIGCHLD meanwhile; the shell starts with the caller's own mask and
 * with SIGINT and SIGQUIT at default unless the caller ignored them.
 */
#include "isk.h"

#include <wasi/libc-environ.h>

int system(const char *command) {
  if (!command) return access("/bin/sh", F_OK) == 0;

  struct sigaction ign, old_int, old_quit;
  memset(&ign, 0, sizeof ign);
  ign.sa_handler = SIG_IGN;
  sigaction(SIGINT, &ign, &old_int);
  sigaction(SIGQUIT, &ign, &old_quit);
  sigset_t chld, old_mask;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, &old_mask);

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t def;
  sigemptyset(&def);
  if (old_int.sa_handler != SIG_IGN) sigaddset(&def, SIGINT);
  if (old_quit.sa_handler != SIG_IGN) sigaddset(&def, SIGQUIT);
  posix_spawnattr_setsigdefault(&attr, &def);
  posix_spawnattr_setsigmask(&attr, &old_mask);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  char *argv[] = {"sh", "-c", (char *)command, NULL};
  pid_t pid;
  int status = -1;
  int err = __isk_spawn(&pid, "/bin/sh", NULL, &attr, argv, __wasilibc_get_environ(), 0);
  posix_spawnattr_destroy(&attr);
  if (err == 0) {
    while (waitpid(pid, &status, 0) < 0) {
      if (errno != EINTR) {
        status = -1;
        break;
      }
    }
  } else if (err == ENOENT || err == EACCES || err == ENOEXEC) {
    status = 127 << 8; /* as if the shell could not run the command */
  } else {
    errno = err; /* no child could be created */
  }

  int saved = errno;
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGQUIT, &old_quit, NULL);
  sigprocmask(SIG_SETMASK, &old_mask, NULL);
  errno = saved;
  return status;
}
