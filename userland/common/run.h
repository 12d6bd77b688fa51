/*
 * run.h: running another program and waiting for it, for the commands that would fork and
 * exec elsewhere (env, xargs, find -exec). There is no fork or exec here: posix_spawnp
 * from libisokernel starts the program as a new process, and waitpid collects it.
 */
#ifndef USERLAND_RUN_H
#define USERLAND_RUN_H

#include "cmd.h"

/* Starts ARGV (a PATH search for a name without '/') with ENVP. Returns the pid, or -1
 * after a message in GNU's words ("`x': No such file or directory", quoted for the locale), with *exit_code set to
 * 127 (not found) or 126 (found but not runnable). */
static inline pid_t run_start(char *const argv[], char *const envp[], int *exit_code) {
  pid_t pid;
  int err = posix_spawnp(&pid, argv[0], NULL, NULL, argv, envp);
  if (err == 0) return pid;
  warne(err, "%s", quote_loc(argv[0]));
  *exit_code = err == ENOENT ? 127 : 126;
  return -1;
}

/* Waits for PID, retrying after signals; returns its wait status or -1. */
static inline int run_wait(pid_t pid) {
  int status;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return status;
}

/* Runs ARGV and waits: the wait status, or -1 if it could not start (*exit_code set). */
static inline int run_command(char *const argv[], int *exit_code) {
  pid_t pid = run_start(argv, environ, exit_code);
  if (pid < 0) return -1;
  return run_wait(pid);
}

#endif /* USERLAND_RUN_H */
