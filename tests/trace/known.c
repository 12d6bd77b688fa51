// The program strace's transcript test traces (tests/trace/strace.test.ts): a fixed set of
// system calls, so its trace is known line for line. Modes (argv[1]):
//   basic        write, open/creat, a long write (cut at -s), read, close, a failing open
//   spawn        posix_spawn itself in `child` mode, wait for it
//   child        a few calls of its own
//   ticks N MS   N lines "tick I" to stdout, MS ms apart, then "sum S" (for -p attach)
//   js           (none: see tests/trace/hello.ts for the JS process)
#include <errno.h>
#include <fcntl.h>
#include <isokernel.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void say(const char *s) {
  if (write(1, s, strlen(s)) < 0) _exit(10);
}

static int basic(void) {
  say("hello, trace\n");
  int fd = open("/tmp/trace-known.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return 11;
  const char *line = "0123456789abcdefghijklmnopqrstuvwxyz0123456789\n";
  if (write(fd, line, strlen(line)) != (ssize_t)strlen(line)) return 12;
  close(fd);
  fd = open("/tmp/trace-known.txt", O_RDONLY);
  if (fd < 0) return 13;
  char buf[16];
  if (read(fd, buf, sizeof buf) != (ssize_t)sizeof buf) return 14;
  close(fd);
  if (open("/nonexistent/file", O_RDONLY) >= 0 || errno != ENOENT) return 15;
  return 3;
}

static int child(void) {
  say("child here\n");
  return 7;
}

static int spawn_child(const char *self) {
  pid_t pid;
  char *argv[] = {(char *)"known", (char *)"child", NULL};
  int e = posix_spawn(&pid, self, NULL, NULL, argv, environ);
  if (e != 0) return 20;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return 21;
  say("parent done\n");
  return WIFEXITED(status) ? WEXITSTATUS(status) : 22;
}

static int ticks(int n, int ms) {
  char line[64];
  long sum = 0;
  for (int i = 1; i <= n; i++) {
    sum += i;
    int len = snprintf(line, sizeof line, "tick %d\n", i);
    if (write(1, line, (size_t)len) != len) return 30;
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
  }
  int len = snprintf(line, sizeof line, "sum %ld\n", sum);
  if (write(1, line, (size_t)len) != len) return 31;
  return 0;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "basic";
  if (strcmp(mode, "basic") == 0) return basic();
  if (strcmp(mode, "child") == 0) return child();
  if (strcmp(mode, "spawn") == 0) return spawn_child(argc > 2 ? argv[2] : "/t/known.wasm");
  if (strcmp(mode, "ticks") == 0 && argc > 3) return ticks(atoi(argv[2]), atoi(argv[3]));
  say("usage: known basic|spawn [SELF]|child|ticks N MS\n");
  return 2;
}
