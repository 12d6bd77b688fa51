// The cwd: chdir changes where relative paths resolve, getcwd reports it, a spawned child
// starts in it (and opens relative paths from it), and spawn's own program path is
// relative to it.
// test: args=$SCRATCH; stdout=getcwd: .../cwd/sub\nparent opened marker: in sub\nchild opened marker: in sub\nchild's cwd: sub\nafter chdir(..): .../cwd\nspawned ./helper relative to the cwd\n
#include "proc_test.h"

#include <limits.h>

static const char *tail(const char *path, int parts) {
  const char *s = path + strlen(path);
  while (s > path && parts > 0)
    if (*--s == '/') parts--;
  return s;
}

int main(int argc, char **argv) {
  proc_init(argc, argv);
  CHECK(argc == 2);
  char *dir = join_path(argv[1], "cwd");
  char *sub = join_path(dir, "sub");
  make_dir(dir);
  make_dir(sub);
  make_file(join_path(sub, "marker"), "in sub");

  char buf[PATH_MAX];
  CHECK_OK(chdir(sub));
  CHECK(getcwd(buf, sizeof buf) != NULL);
  printf("getcwd: ...%s\n", tail(buf, 2));
  printf("parent opened marker: %s\n", file_contents("marker"));

  int st;
  char *out = capture_helper(&st, "cat", "marker", NULL);
  CHECK_EXITED(st, 0);
  printf("child opened marker: %s\n", out);
  out = capture_helper(&st, "pwd-base", NULL);
  CHECK_EXITED(st, 0);
  printf("child's cwd: %s", out);

  CHECK_OK(chdir(".."));
  CHECK(getcwd(buf, sizeof buf) != NULL);
  printf("after chdir(..): ...%s\n", tail(buf, 1));
  CHECK_STR(file_contents("sub/marker"), "in sub");

  // A relative program path, from the directory that holds the programs.
  CHECK_OK(chdir(proc_dir()));
  char *argv2[] = {"helper", "exit", "0", NULL};
  pid_t pid;
  CHECK_RET(posix_spawn(&pid, "./helper" PROG_EXT, NULL, NULL, argv2, environ), 0);
  CHECK_EXITED(wait_for(pid), 0);
  printf("spawned ./helper relative to the cwd\n");
  return 0;
}
