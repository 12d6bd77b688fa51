// A parent for tests/faults.test.ts: spawns argv[1] with the arguments after it, waits for
// it, and prints how it ended as a shell would see it: "exited N" or "killed by signal N".
// Built without -g, linked with lib/libisokernel.a.
#include <isokernel.h>
#include <stdio.h>
#include <string.h>

extern char **environ;

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: parent PROGRAM [ARGS...]\n");
    return 2;
  }
  pid_t pid;
  int err = posix_spawn(&pid, argv[1], NULL, NULL, argv + 1, environ);
  if (err != 0) {
    fprintf(stderr, "parent: posix_spawn %s: %s\n", argv[1], strerror(err));
    return 1;
  }
  int st;
  if (waitpid(pid, &st, 0) != pid) {
    perror("parent: waitpid");
    return 1;
  }
  if (WIFSIGNALED(st)) printf("killed by signal %d\n", WTERMSIG(st));
  else printf("exited %d\n", WEXITSTATUS(st));
  return 0;
}
