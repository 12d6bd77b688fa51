// The child every test program spawns: `helper SUBCOMMAND ARGS...`. Not a test itself
// (names starting with "helper" are not run). Output goes to stdout with write(2), so it
// is never held in a buffer when the helper dies by a signal.
#include "proc_test.h"

#include <limits.h>

static void out(const char *s) { write_str(1, s); }

static void outf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void outf(const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  out(buf);
}

static long num(const char *s) {
  char *end;
  long v = strtol(s, &end, 10);
  if (*s == '\0' || *end != '\0') FAIL("not a number: %s", s);
  return v;
}

static void need(int argc, int n, const char *usage) {
  if (argc < n) FAIL("usage: helper %s", usage);
}

/** A basename without the ".wasm" the kernel's programs carry. */
static void out_prog_name(const char *path) {
  const char *b = base_name(path);
  size_t n = strlen(b);
  if (n > 5 && strcmp(b + n - 5, ".wasm") == 0) n -= 5;
  char buf[256];
  snprintf(buf, sizeof buf, "%.*s", (int)n, b);
  out(buf);
}

int main(int argc, char **argv) {
  proc_init(argc, argv);
  need(argc, 2, "SUBCOMMAND ...");
  const char *cmd = argv[1];

  if (strcmp(cmd, "exit") == 0) { // exit CODE
    need(argc, 3, "exit CODE");
    return (int)num(argv[2]);
  }
  if (strcmp(cmd, "echo") == 0) { // echo WORDS...: the words, space-separated, and a newline
    for (int i = 2; i < argc; i++) {
      if (i > 2) out(" ");
      out(argv[i]);
    }
    out("\n");
    return 0;
  }
  if (strcmp(cmd, "echo-argv") == 0) { // as a #! interpreter: every argv entry's name
    for (int i = 0; i < argc; i++) {
      if (i > 0) out(" ");
      out_prog_name(argv[i]);
    }
    out("\n");
    return 0;
  }
  if (strcmp(cmd, "cat") == 0) { // cat FILE|-: copies a file (relative to the cwd) to stdout
    need(argc, 3, "cat FILE");
    int fd = strcmp(argv[2], "-") == 0 ? 0 : open(argv[2], O_RDONLY);
    if (fd < 0) FAIL("open %s: %s", argv[2], strerror(errno));
    out(read_all(fd));
    return 0;
  }
  if (strcmp(cmd, "sleep") == 0) { // sleep MS
    need(argc, 3, "sleep MS");
    msleep(num(argv[2]));
    return 0;
  }
  if (strcmp(cmd, "sleep-write") == 0) { // sleep-write MS TEXT
    need(argc, 4, "sleep-write MS TEXT");
    msleep(num(argv[2]));
    out(argv[3]);
    return 0;
  }
  if (strcmp(cmd, "write-records") == 0) { // write-records CHAR SIZE COUNT: COUNT write()s
    need(argc, 5, "write-records CHAR SIZE COUNT");
    size_t size = (size_t)num(argv[3]);
    long count = num(argv[4]);
    char *rec = malloc(size);
    memset(rec, argv[2][0], size);
    for (long i = 0; i < count; i++) {
      ssize_t n = write(1, rec, size);
      if (n != (ssize_t)size) FAIL("write of %zu returned %zd (%s)", size, n, strerror(errno));
    }
    return 0;
  }
  if (strcmp(cmd, "write-bytes") == 0) { // write-bytes N: N bytes in 10000-byte writes
    need(argc, 3, "write-bytes N");
    long left = num(argv[2]);
    static char chunk[10000];
    memset(chunk, 'z', sizeof chunk);
    while (left > 0) {
      size_t n = left < (long)sizeof chunk ? (size_t)left : sizeof chunk;
      ssize_t w = write(1, chunk, n);
      if (w < 0) FAIL("write: %s", strerror(errno));
      left -= w;
    }
    return 0;
  }
  if (strcmp(cmd, "write-forever") == 0) { // until a write fails (or SIGPIPE ends it)
    static char chunk[1024];
    memset(chunk, 'y', sizeof chunk);
    for (;;) {
      if (write(1, chunk, sizeof chunk) < 0) {
        outf("write failed: %s\n", strerror(errno));
        return 3;
      }
    }
  }
  if (strcmp(cmd, "count-stdin") == 0) { // exits with the number of bytes on stdin (mod 256)
    char *s = read_all(0);
    return (int)(strlen(s) & 0xff);
  }
  if (strcmp(cmd, "kill-parent") == 0) { // kill-parent SIG
    need(argc, 3, "kill-parent SIG");
    CHECK_OK(kill(getppid(), (int)num(argv[2])));
    return 0;
  }
  if (strcmp(cmd, "kill-self") == 0) { // kill-self SIG (with the default action)
    need(argc, 3, "kill-self SIG");
    int sig = (int)num(argv[2]);
    signal(sig, SIG_DFL);
    sigset_t s = set_of(sig);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    kill(getpid(), sig);
    return 4;
  }
  if (strcmp(cmd, "pause") == 0) { // sleeps until a signal ends it
    for (;;) pause();
  }
  if (strcmp(cmd, "alarm-default") == 0) { // dies by SIGALRM after 1 s
    signal(SIGALRM, SIG_DFL);
    alarm(1);
    for (;;) pause();
  }
  if (strcmp(cmd, "pwd-base") == 0) { // the last component of the cwd
    char buf[PATH_MAX];
    if (!getcwd(buf, sizeof buf)) FAIL("getcwd: %s", strerror(errno));
    outf("%s\n", base_name(buf));
    return 0;
  }
  if (strcmp(cmd, "fdstate") == 0) { // fdstate FD...: "open" or "closed" for each
    for (int i = 2; i < argc; i++) {
      int r = fcntl((int)num(argv[i]), F_GETFD);
      if (r == -1 && errno != EBADF) FAIL("fcntl F_GETFD: %s", strerror(errno));
      outf("%s%s", i > 2 ? " " : "", r == -1 ? "closed" : "open");
    }
    out("\n");
    return 0;
  }
  if (strcmp(cmd, "exec-checks") == 0) { // exec-checks PID PPID FD FD_CLOEXEC: what an exec kept
    need(argc, 6, "exec-checks PID PPID FD FD_CLOEXEC");
    outf("pid kept: %s, parent kept: %s\n", getpid() == (pid_t)num(argv[2]) ? "yes" : "no",
         getppid() == (pid_t)num(argv[3]) ? "yes" : "no");
    int open_fd = fcntl((int)num(argv[4]), F_GETFD), cloexec_fd = fcntl((int)num(argv[5]), F_GETFD);
    outf("plain fd: %s, close-on-exec fd: %s\n", open_fd == -1 ? "closed" : "open", cloexec_fd == -1 ? "closed" : "open");
    struct sigaction a1, a2;
    CHECK_OK(sigaction(SIGUSR1, NULL, &a1));
    CHECK_OK(sigaction(SIGUSR2, NULL, &a2));
    outf("SIGUSR1 (was caught): %s, SIGUSR2 (was ignored): %s\n", a1.sa_handler == SIG_DFL ? "default" : "other",
         a2.sa_handler == SIG_IGN ? "ignored" : "other");
    sigset_t cur, pend;
    CHECK_OK(sigprocmask(SIG_BLOCK, NULL, &cur));
    CHECK_OK(sigpending(&pend));
    outf("SIGTERM blocked: %s, pending: %s\n", sigismember(&cur, SIGTERM) == 1 ? "yes" : "no",
         sigismember(&pend, SIGTERM) == 1 ? "yes" : "no");
    const char *mark = getenv("EXEC_MARK");
    outf("env: EXEC_MARK=%s, umask: %03o\n", mark ? mark : "(unset)", (unsigned)umask(0));
    return 0;
  }
  if (strcmp(cmd, "sigmask") == 0) { // the blocked signals by number, or "none"
    sigset_t cur;
    CHECK_OK(sigprocmask(SIG_BLOCK, NULL, &cur));
    int any = 0;
    for (int s = 1; s < 32; s++)
      if (sigismember(&cur, s) == 1) {
        outf("%s%d", any ? " " : "", s);
        any = 1;
      }
    out(any ? "\n" : "none\n");
    return 0;
  }
  if (strcmp(cmd, "sigdisp") == 0) { // sigdisp SIG: default, ignore or catch
    need(argc, 3, "sigdisp SIG");
    struct sigaction old;
    CHECK_OK(sigaction((int)num(argv[2]), NULL, &old));
    out(old.sa_handler == SIG_DFL ? "default\n" : old.sa_handler == SIG_IGN ? "ignore\n" : "catch\n");
    return 0;
  }
  if (strcmp(cmd, "ids") == 0) { // whether it leads its group and its session
    pid_t me = getpid();
    outf("pgid==pid:%s sid==pid:%s\n", getpgrp() == me ? "yes" : "no", getsid(0) == me ? "yes" : "no");
    return 0;
  }
  if (strcmp(cmd, "ids-raw") == 0) { // "PID PPID"
    outf("%d %d\n", (int)getpid(), (int)getppid());
    return 0;
  }
  if (strcmp(cmd, "setsid-checks") == 0) { // setsid-checks PARENT_SID PARENT_PGID
    need(argc, 4, "setsid-checks PARENT_SID PARENT_PGID");
    pid_t me = getpid();
    outf("inherited session: %s\n", getsid(0) == (pid_t)num(argv[2]) ? "yes" : "no");
    outf("inherited group: %s\n", getpgrp() == (pid_t)num(argv[3]) ? "yes" : "no");
    pid_t sid = CHECK_OK(setsid());
    outf("setsid: %s\n", sid == me && getsid(0) == me && getpgrp() == me ? "new session and group" : "wrong ids");
    CHECK_ERR(setsid(), EPERM);
    out("setsid again: EPERM\n");
    CHECK_ERR(setpgid(0, 0), EPERM);
    out("setpgid as session leader: EPERM\n");
    return 0;
  }
  if (strcmp(cmd, "setpgid-checks") == 0) { // group leader: setsid fails
    pid_t me = getpid();
    CHECK_OK(setpgid(0, 0));
    outf("setpgid(0, 0): %s\n", getpgrp() == me ? "leads a new group" : "wrong group");
    CHECK_ERR(setsid(), EPERM);
    out("setsid as group leader: EPERM\n");
    return 0;
  }
  if (strcmp(cmd, "umask") == 0) { // the umask in octal
    mode_t m = umask(0);
    umask(m);
    outf("%03o\n", (unsigned)m);
    return 0;
  }
  if (strcmp(cmd, "spawn-orphan") == 0) { // spawns a grandchild that outlives this process
    char me[16];
    snprintf(me, sizeof me, "%d", (int)getpid());
    char *argv2[] = {"helper", "await-reparent", me, NULL};
    pid_t gc;
    int err = posix_spawn(&gc, argv[0], NULL, NULL, argv2, environ);
    if (err) FAIL("posix_spawn: %s", strerror(err));
    outf("gc=%d\n", (int)gc);
    return 0;
  }
  if (strcmp(cmd, "await-reparent") == 0) { // await-reparent PPID: waits for a new parent
    need(argc, 3, "await-reparent PPID");
    pid_t orig = (pid_t)num(argv[2]);
    long deadline = now_ms() + 5000;
    while (getppid() == orig && now_ms() < deadline) msleep(10);
    outf("ppid=%d\n", (int)getppid());
    return 0;
  }
  FAIL("unknown sub-command %s", cmd);
}
