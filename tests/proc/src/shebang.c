// A script starting `#!INTERPRETER ARG` runs the interpreter with argv INTERPRETER ARG
// SCRIPT ARGS... (here the interpreter is the helper, `#!DIR/helper echo-argv`); a file
// that is neither a program nor a script is ENOEXEC, a script whose interpreter is
// missing ENOENT. The scripts are made by tests/proc/build.sh (bin/) and native-check.sh.
// test: stdout=helper echo-argv shebang-script one two\nnot a program: ENOEXEC\nmissing interpreter: ENOENT\n
#include "proc_test.h"

int main(int argc, char **argv) {
  proc_init(argc, argv);
  char *argv2[] = {"ignored-argv0", "one", "two", NULL};
  pid_t pid;
  CHECK_RET(posix_spawn(&pid, sibling("shebang-script"), NULL, NULL, argv2, environ), 0);
  CHECK_EXITED(wait_for(pid), 0);
  CHECK_RET(posix_spawn(&pid, sibling("not-a-program"), NULL, NULL, argv2, environ), ENOEXEC);
  printf("not a program: ENOEXEC\n");
  CHECK_RET(posix_spawn(&pid, sibling("shebang-missing"), NULL, NULL, argv2, environ), ENOENT);
  printf("missing interpreter: ENOENT\n");
  return 0;
}
