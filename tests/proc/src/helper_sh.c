// A stand-in for /bin/sh in the kernel runner (tests/proc.test.ts serves it as /bin/sh), so
// popen() and system() have a shell before isokernel has one. It understands only
// `sh -c 'WORD WORD...'`: words split at blanks, no quoting or expansion; `exit [N]` is
// built in; anything else runs through posix_spawnp and is waited for. Like a real shell
// that execs its last command, it ends the way the command ended: with its exit code, or
// by the same signal. Not a test (its name starts with "helper"); natively the tests use
// the host's /bin/sh.
#include "proc_test.h"

int main(int argc, char **argv) {
  if (argc < 3 || strcmp(argv[1], "-c") != 0) {
    fprintf(stderr, "sh: only sh -c COMMAND is supported\n");
    return 2;
  }
  char *words[64];
  int n = 0;
  for (char *w = strtok(argv[2], " \t\n"); w && n < 63; w = strtok(NULL, " \t\n")) words[n++] = w;
  words[n] = NULL;
  if (n == 0) return 0;
  if (strcmp(words[0], "exit") == 0) return n > 1 ? atoi(words[1]) : 0;

  pid_t pid;
  int err = posix_spawnp(&pid, words[0], NULL, NULL, words, environ);
  if (err) {
    fprintf(stderr, "sh: %s: %s\n", words[0], err == ENOENT ? "not found" : strerror(err));
    return err == ENOENT ? 127 : 126;
  }
  int st;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) {
      fprintf(stderr, "sh: waitpid: %s\n", strerror(errno));
      return 126;
    }
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  if (WIFSIGNALED(st)) {
    int sig = WTERMSIG(st);
    signal(sig, SIG_DFL);
    sigset_t s = set_of(sig);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    kill(getpid(), sig);
    return 128 + sig;
  }
  return 126;
}
