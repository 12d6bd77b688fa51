// posix_spawnp searches the caller's PATH for a name without a slash, skipping directories
// that do not have it; a name with a slash is used as it is.
// test: stdout=found in the second PATH entry\nwith a slash: not searched\nnot in PATH: ENOENT\n
#include "proc_test.h"

int main(int argc, char **argv) {
  proc_init(argc, argv);
  char *dir = proc_dir();
  size_t n = strlen(dir) + 64;
  char *path = malloc(n);
  snprintf(path, n, "/no-such-directory:%s", dir);
  CHECK_OK(setenv("PATH", path, 1));

  char *argv2[] = {"helper", "echo", "found in the second PATH entry", NULL};
  pid_t pid;
  CHECK_RET(posix_spawnp(&pid, "helper" PROG_EXT, NULL, NULL, argv2, environ), 0);
  CHECK_EXITED(wait_for(pid), 0);

  char *argv3[] = {"helper", "echo", "with a slash: not searched", NULL};
  CHECK_RET(posix_spawnp(&pid, CHILD("helper"), NULL, NULL, argv3, environ), 0);
  CHECK_EXITED(wait_for(pid), 0);

  CHECK_OK(setenv("PATH", "/no-such-directory:/another-missing-one", 1));
  CHECK_RET(posix_spawnp(&pid, "helper" PROG_EXT, NULL, NULL, argv2, environ), ENOENT);
  printf("not in PATH: ENOENT\n");
  return 0;
}
