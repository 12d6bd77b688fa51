/*
 * popen and pclose without fork: a pipe, and /bin/sh -c COMMAND spawned with one end of it
 * as its stdin or stdout. The parent's end is close-on-exec, so no other child (nor the
 * next popen's shell) inherits it; the child's end is dup2'ed to 0 or 1 and closed at its
 * own number. (It is not made close-on-exec for the spawn: that would need the file
 * actions to run before close-on-exec descriptors are dropped.) The parent closes its copy
 * of the child's end at once. pclose closes the stream and waits for the shell.
 */
#include "isk.h"

#include <stdlib.h>
#include <wasi/libc-environ.h>

struct popened {
  FILE *f;
  pid_t pid;
  struct popened *next;
};
static struct popened *open_streams;

FILE *popen(const char *command, const char *mode) {
  int reading;
  if (mode[0] == 'r') reading = 1;
  else if (mode[0] == 'w') reading = 0;
  else {
    errno = EINVAL;
    return NULL;
  }
  for (const char *m = mode + 1; *m; m++)
    if (*m != 'e') {
      errno = EINVAL;
      return NULL;
    }

  struct popened *entry = malloc(sizeof *entry);
  if (!entry) return NULL;
  int32_t fds[2];
  int err = __isk_sys_pipe(fds, 0);
  if (err) {
    free(entry);
    errno = err;
    return NULL;
  }
  int mine = reading ? fds[0] : fds[1];
  int theirs = reading ? fds[1] : fds[0];
  int target = reading ? 1 : 0;
  err = __isk_sys_fd_setfd(mine, ISK_FD_CLOEXEC);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (!err && theirs != target) {
    err = posix_spawn_file_actions_adddup2(&fa, theirs, target);
    if (!err) err = posix_spawn_file_actions_addclose(&fa, theirs);
  }
  pid_t pid = -1;
  if (!err) {
    char *argv[] = {"sh", "-c", (char *)command, NULL};
    err = __isk_spawn(&pid, "/bin/sh", &fa, NULL, argv, __wasilibc_get_environ(), 0);
  }
  posix_spawn_file_actions_destroy(&fa);
  close(theirs);
  FILE *f = NULL;
  if (!err) {
    f = fdopen(mine, reading ? "r" : "w");
    if (!f) err = errno;
  }
  if (err) {
    close(mine);
    free(entry);
    if (pid > 0) {
      int st;
      while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
      }
    }
    errno = err;
    return NULL;
  }
  entry->f = f;
  entry->pid = pid;
  entry->next = open_streams;
  open_streams = entry;
  return f;
}

int pclose(FILE *stream) {
  struct popened **link = &open_streams;
  while (*link && (*link)->f != stream) link = &(*link)->next;
  struct popened *entry = *link;
  if (!entry) {
    errno = ECHILD;
    return -1;
  }
  *link = entry->next;
  pid_t pid = entry->pid;
  free(entry);
  fclose(stream);
  int status;
  for (;;) {
    if (waitpid(pid, &status, 0) >= 0) return status;
    if (errno != EINTR) return -1;
  }
}
