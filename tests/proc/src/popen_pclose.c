// popen runs a command through /bin/sh with a pipe to or from it; pclose closes the
// stream and returns the shell's wait status. Streams of other popen calls are not
// inherited: closing the first of two writers ends its reader's input at once.
// test: stdout=read: hello from popen\npclose: exited 0\nexit 5: exited 5\nwrote 8 bytes: exited 8\ntwo writers: exited 2, then exited 3\nbad mode: EINVAL\n
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
  FILE *f = popen(command("echo hello from popen"), "r");
  CHECK(f != NULL);
  char line[128];
  CHECK(fgets(line, sizeof line, f) != NULL);
  printf("read: %s", line);
  printf("pclose: %s\n", describe_status(pclose(f)));

  f = popen(command("exit 5"), "r");
  CHECK(f != NULL);
  printf("exit 5: %s\n", describe_status(pclose(f)));

  f = popen(command("count-stdin"), "w");
  CHECK(f != NULL);
  fputs("12345678", f);
  printf("wrote 8 bytes: %s\n", describe_status(pclose(f)));

  FILE *w1 = popen(command("count-stdin"), "w");
  FILE *w2 = popen(command("count-stdin"), "w");
  CHECK(w1 != NULL && w2 != NULL);
  fputs("ab", w1);
  fputs("abc", w2);
  int s1 = pclose(w1);
  int s2 = pclose(w2);
  printf("two writers: %s, ", describe_status(s1));
  printf("then %s\n", describe_status(s2));

  errno = 0;
  CHECK(popen(command("exit 0"), "x") == NULL);
  CHECK_EQ(errno, EINVAL);
  printf("bad mode: EINVAL\n");
  return 0;
}
