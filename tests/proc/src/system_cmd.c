// system() runs a command through /bin/sh and returns its wait status: an exit code, or
// the signal that killed the command (or 128 + it, as dash reports it); system(NULL) says
// whether there is a shell.
// test: stdout=system(NULL): a shell is there\nfrom system\necho: exited 0\nexit 7: exited 7\nkilled: by SIGTERM\nsh's own exit 3: exited 3\nmissing command: exited 127\n
#include "proc_test.h"

static char *command(const char *args) {
  char *helper = CHILD("helper");
  size_t n = strlen(helper) + strlen(args) + 2;
  char *cmd = malloc(n);
  snprintf(cmd, n, "%s %s", helper, args);
  return cmd;
}

int main(int argc, char **argv) {
  proc_init(argc, argv);
  CHECK(system(NULL) != 0);
  printf("system(NULL): a shell is there\n");
  printf("echo: %s\n", describe_status(system(command("echo from system"))));
  printf("exit 7: %s\n", describe_status(system(command("exit 7"))));
  // A shell that execs its last command passes the signal on; dash reports 128 + 15.
  int st = system(command("kill-self 15"));
  CHECK((WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM) || (WIFEXITED(st) && WEXITSTATUS(st) == 128 + SIGTERM));
  printf("killed: by SIGTERM\n");
  printf("sh's own exit 3: %s\n", describe_status(system("exit 3")));
  printf("missing command: %s\n", describe_status(system("/no/such/command")));
  return 0;
}
