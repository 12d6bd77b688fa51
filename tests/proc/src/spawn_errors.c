// posix_spawn reports failures as its return value (no child is created): a missing
// program, a directory, an empty path.
// test: stdout=missing program: ENOENT\ndirectory: EACCES\nempty path: ENOENT\nposix_spawnp of an unknown name: ENOENT\n
#include "proc_test.h"
#include <limits.h>

int main(int argc, char **argv) {
  proc_init(argc, argv);
  char *argv2[] = {"x", NULL};
  pid_t pid = -1;
  CHECK_RET(posix_spawn(&pid, CHILD("no-such-program"), NULL, NULL, argv2, environ), ENOENT);
  printf("missing program: ENOENT\n");
  CHECK_RET(posix_spawn(&pid, proc_dir(), NULL, NULL, argv2, environ), EACCES);
  printf("directory: EACCES\n");
  CHECK_RET(posix_spawn(&pid, "", NULL, NULL, argv2, environ), ENOENT);
  printf("empty path: ENOENT\n");
  CHECK_RET(posix_spawnp(&pid, "no-such-program-anywhere", NULL, NULL, argv2, environ), ENOENT);
  printf("posix_spawnp of an unknown name: ENOENT\n");
  int st;
  CHECK_ERR(waitpid(-1, &st, WNOHANG), ECHILD);
  CHECK_ERR(waitpid(INT_MIN, &st, WNOHANG), ESRCH); /* no group -INT_MIN: Linux's ESRCH */
  return 0;
}
