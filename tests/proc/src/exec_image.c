// exec replaces the program and keeps the process: pid and parent, descriptors without
// FD_CLOEXEC (those with it close), ignored signals (caught ones go back to default), the
// signal mask and pending signals, the umask; the environment is the one passed. Failures
// return -1 with errno and leave the caller running: ENOENT, EACCES (no execute bit),
// ENOEXEC (not a program), ENOENT for an empty path; execvp searches PATH.
// test: args=$SCRATCH; stdout=missing: ENOENT\nempty: ENOENT\nnot executable: EACCES\nnot a program: ENOEXEC\nvp missing: ENOENT\nstill here\npid kept: yes, parent kept: yes\nplain fd: open, close-on-exec fd: closed\nSIGUSR1 (was caught): default, SIGUSR2 (was ignored): ignored\nSIGTERM blocked: yes, pending: yes\nenv: EXEC_MARK=42, umask: 027\n
#include "proc_test.h"

static void on_usr1(int sig) { (void)sig; }

#define expect_fail(what, r, want)                                          \
  do {                                                                      \
    int _r = (r);                                                           \
    CHECK(_r == -1);                                                        \
    printf("%s: %s\n", what, errno == (want) ? #want : strerror(errno));    \
  } while (0)

int main(int argc, char **argv) {
  proc_init(argc, argv);
  const char *scratch = argv[1];
  char plain_path[256], data_path[256];
  snprintf(plain_path, sizeof plain_path, "%s/no-x", scratch);
  snprintf(data_path, sizeof data_path, "%s/data", scratch);
  int f = CHECK_OK(open(plain_path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
  CHECK_OK(write(f, "#!/bin/sh\n", 10));
  close(f);
  f = CHECK_OK(open(data_path, O_WRONLY | O_CREAT | O_TRUNC, 0755));
  CHECK_OK(write(f, "\x01\x02garbage", 9));
  close(f);

  char *none[] = {"x", NULL};
  char *noenv[] = {NULL};
  expect_fail("missing", execve("/no/such/program", none, noenv), ENOENT);
  expect_fail("empty", execve("", none, noenv), ENOENT);
  expect_fail("not executable", execve(plain_path, none, noenv), EACCES);
  expect_fail("not a program", execve(data_path, none, noenv), ENOEXEC);
  setenv("PATH", scratch, 1);
  expect_fail("vp missing", execvp("no-such-name", none), ENOENT);
  printf("still here\n");

  // What the new program should find.
  int plain = CHECK_OK(open(proc_argv0, O_RDONLY));
  int cloexec = CHECK_OK(open(proc_argv0, O_RDONLY | O_CLOEXEC));
  struct sigaction sa = {0};
  sa.sa_handler = on_usr1;
  CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
  signal(SIGUSR2, SIG_IGN);
  sigset_t block;
  sigemptyset(&block);
  sigaddset(&block, SIGTERM);
  CHECK_OK(sigprocmask(SIG_BLOCK, &block, NULL));
  CHECK_OK(raise(SIGTERM)); // stays pending across the exec
  umask(027);

  char pid[16], ppid[16], fd1[16], fd2[16];
  snprintf(pid, sizeof pid, "%d", (int)getpid());
  snprintf(ppid, sizeof ppid, "%d", (int)getppid());
  snprintf(fd1, sizeof fd1, "%d", plain);
  snprintf(fd2, sizeof fd2, "%d", cloexec);
  char *helper = CHILD("helper");
  char *args[] = {helper, "exec-checks", pid, ppid, fd1, fd2, NULL};
  char *env[] = {"EXEC_MARK=42", NULL};
  execve(helper, args, env);
  FAIL("execve %s: %s", helper, strerror(errno));
}
