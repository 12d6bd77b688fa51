/*
 * Terminal checks for tests/tty/kernel.test.ts: isatty, ttyname, termios, window size,
 * process groups and job-control calls, as a C program sees them through libisokernel.
 *   ttytest info     one line of facts about fds 0..2, a pipe and /dev/tty
 *   ttytest raw N    cfmakeraw with VMIN=N, read N bytes, print them in hex, restore
 *   ttytest line     read lines in canonical mode and print each with its length
 *   ttytest sigint   catch SIGINT, read a line, report EINTR or the line
 *   ttytest winch    wait for SIGWINCH and print the new size
 *   ttytest nonblock FIONBIO, poll and FIONREAD on the terminal
 *   ttytest jobs     tcsetpgrp and SIGTTIN as a shell's job control meets them
 *   ttytest noctty   a child in a new session (POSIX_SPAWN_SETSID) opens /dev/tty: ENXIO
 * Builds natively too (gcc -I ../../include), so the output can be compared with Linux.
 */
#include <isokernel.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static void on_sig(int s) { got = s; }

static int info(void) {
  struct termios t;
  struct winsize ws;
  int p[2];
  printf("isatty=%d%d%d", isatty(0), isatty(1), isatty(2));
  const char *n = ttyname(0);
  printf(" ttyname=%s", n ? (strncmp(n, "/dev/pts/", 9) == 0 ? "pts" : n) : "none");
  if (tcgetattr(0, &t) == 0)
    printf(" icanon=%d echo=%d isig=%d onlcr=%d vmin=%d veof=%d", !!(t.c_lflag & ICANON), !!(t.c_lflag & ECHO),
           !!(t.c_lflag & ISIG), !!(t.c_oflag & ONLCR), t.c_cc[VMIN], t.c_cc[VEOF]);
  else printf(" tcgetattr=%s", strerror(errno));
  if (ioctl(1, TIOCGWINSZ, &ws) == 0) printf(" size=%dx%d", ws.ws_row, ws.ws_col);
  else printf(" winsz=%s", strerror(errno));
  printf(" fg=%d sid=%d", tcgetpgrp(0) == getpgrp(), tcgetsid(0) == getsid(0));
  if (pipe(p) == 0) {
    errno = 0;
    int r = ioctl(p[0], TIOCGWINSZ, &ws);
    printf(" pipe_isatty=%d pipe_ioctl=%s", isatty(p[0]), r == 0 ? "ok" : errno == ENOTTY ? "ENOTTY" : strerror(errno));
    errno = 0;
    r = tcgetattr(p[1], &t);
    printf(" pipe_tcgetattr=%s", r == 0 ? "ok" : errno == ENOTTY ? "ENOTTY" : strerror(errno));
    close(p[0]);
    close(p[1]);
  }
  int fd = open("/dev/tty", O_RDWR);
  if (fd >= 0) {
    printf(" devtty=%d", isatty(fd));
    fflush(stdout);
    write(fd, " [via /dev/tty]", 15);
    close(fd);
  } else printf(" devtty=%s", errno == ENXIO ? "ENXIO" : strerror(errno));
  errno = 0;
  int r = ioctl(0, 0x1234, 0);
  printf(" badioctl=%s", r == 0 ? "ok" : errno == ENOTTY ? "ENOTTY" : strerror(errno));
  printf("\n");
  return 0;
}

static int raw(int n) {
  struct termios old, t;
  unsigned char buf[64];
  if (tcgetattr(0, &old) != 0) return perror("tcgetattr"), 1;
  t = old;
  cfmakeraw(&t);
  t.c_cc[VMIN] = (cc_t)n;
  if (cfsetspeed(&t, B115200) != 0 || tcsetattr(0, TCSANOW, &t) != 0) return perror("tcsetattr"), 1;
  struct termios check;
  tcgetattr(0, &check);
  printf("ready raw=%d speed=%d\n", !(check.c_lflag & ICANON), cfgetospeed(&check) == B115200);
  fflush(stdout);
  ssize_t r = read(0, buf, sizeof buf);
  tcsetattr(0, TCSANOW, &old);
  printf("got %zd:", r);
  for (ssize_t i = 0; i < r; i++) printf(" %02x", buf[i]);
  printf("\n");
  return 0;
}

static int lines(void) {
  char buf[256];
  printf("ready\n");
  fflush(stdout);
  for (;;) {
    ssize_t r = read(0, buf, sizeof buf);
    if (r < 0) return perror("read"), 1;
    printf("[%zd:%.*s]\n", r, (int)(r > 0 && buf[r - 1] == '\n' ? r - 1 : r), buf);
    fflush(stdout);
    if (r == 0) return 0;
  }
}

static int sigint(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sig;
  sigaction(SIGINT, &sa, NULL);
  printf("waiting\n");
  fflush(stdout);
  char buf[64];
  ssize_t r = read(0, buf, sizeof buf);
  if (r < 0) printf("read: %s, signal %d\n", errno == EINTR ? "EINTR" : strerror(errno), (int)got);
  else printf("read %zd\n", r);
  return 0;
}

static int winch(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sig;
  sigaction(SIGWINCH, &sa, NULL);
  printf("waiting\n");
  fflush(stdout);
  while (got != SIGWINCH) pause();
  struct winsize ws;
  ioctl(0, TIOCGWINSZ, &ws);
  printf("winch %dx%d\n", ws.ws_row, ws.ws_col);
  return 0;
}

/* A child in a session of its own has no controlling terminal. */
static int noctty(const char *self) {
  posix_spawnattr_t a;
  posix_spawnattr_init(&a);
  posix_spawnattr_setflags(&a, POSIX_SPAWN_SETSID);
  char *args[] = {(char *)self, "child", NULL};
  pid_t pid;
  extern char **environ;
  int e = posix_spawn(&pid, self, NULL, &a, args, environ);
  if (e != 0) return printf("spawn: %s\n", strerror(e)), 1;
  int st;
  waitpid(pid, &st, 0);
  return 0;
}

static int child(void) {
  int fd = open("/dev/tty", O_RDWR);
  const char *dev = fd >= 0 ? "open" : errno == ENXIO ? "ENXIO" : strerror(errno);
  errno = 0;
  pid_t g = tcgetpgrp(0);
  printf("child devtty=%s tcgetpgrp=%s isatty=%d\n", dev, g < 0 && errno == ENOTTY ? "ENOTTY" : "ok", isatty(0));
  return 0;
}

/*
 * Job control as a shell does it: a child in a group of its own reads the terminal from the
 * background (SIGTTIN stops it), is made the foreground group (tcsetpgrp) and continued, reads
 * a line; the parent, ignoring SIGTTOU, takes the terminal back.
 */
static int jobs(const char *self) {
  signal(SIGTTOU, SIG_IGN);
  errno = 0;
  printf("bad pgrp: %s\n", tcsetpgrp(0, 99999) < 0 && errno == EPERM ? "EPERM" : "accepted");
  posix_spawnattr_t a;
  posix_spawnattr_init(&a);
  posix_spawnattr_setflags(&a, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&a, 0);
  char *args[] = {(char *)self, "line", NULL};
  pid_t pid;
  extern char **environ;
  int e = posix_spawn(&pid, self, NULL, &a, args, environ);
  if (e != 0) return printf("spawn: %s\n", strerror(e)), 1;
  int st;
  waitpid(pid, &st, WUNTRACED);
  printf("bg: %s %d\n", WIFSTOPPED(st) ? "stopped by" : "not stopped", WIFSTOPPED(st) ? WSTOPSIG(st) : st);
  if (tcsetpgrp(0, pid) != 0) return perror("tcsetpgrp"), 1;
  printf("fg is child: %d\n", tcgetpgrp(0) == pid);
  fflush(stdout);
  kill(pid, SIGCONT);
  waitpid(pid, &st, 0);
  printf("child: exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  if (tcsetpgrp(0, getpgrp()) != 0) return perror("tcsetpgrp back"), 1;
  printf("back: %d\n", tcgetpgrp(0) == getpgrp());
  /* tcsetattr from the background: SIGTTOU stops it; in the foreground it goes through. */
  char *args2[] = {(char *)self, "setattr", NULL};
  sigset_t def;
  sigemptyset(&def);
  sigaddset(&def, SIGTTOU); /* ours is ignored, and that would pass on */
  posix_spawnattr_setsigdefault(&a, &def);
  posix_spawnattr_setflags(&a, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
  e = posix_spawn(&pid, self, NULL, &a, args2, environ);
  if (e != 0) return printf("spawn: %s\n", strerror(e)), 1;
  waitpid(pid, &st, WUNTRACED);
  printf("bg setattr: %s %d\n", WIFSTOPPED(st) ? "stopped by" : "not stopped", WIFSTOPPED(st) ? WSTOPSIG(st) : st);
  fflush(stdout);
  tcsetpgrp(0, pid);
  kill(pid, SIGCONT);
  waitpid(pid, &st, 0);
  tcsetpgrp(0, getpgrp());
  printf("setattr child: exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  return 0;
}

static int setattr(void) {
  struct termios t;
  if (tcgetattr(0, &t) != 0) return perror("tcgetattr"), 1;
  if (tcsetattr(0, TCSANOW, &t) != 0) return perror("tcsetattr"), 1;
  printf("setattr ok\n");
  return 0;
}

/* O_NONBLOCK through ioctl(FIONBIO), poll() for a line, FIONREAD for its length. */
static int nonblock(void) {
  int on = 1;
  char buf[64];
  if (ioctl(0, FIONBIO, &on) != 0) return perror("FIONBIO"), 1;
  errno = 0;
  ssize_t r = read(0, buf, sizeof buf);
  printf("nonblocking read: %s\n", r < 0 && errno == EAGAIN ? "EAGAIN" : "data");
  fflush(stdout);
  struct pollfd pfd = {.fd = 0, .events = POLLIN};
  int n = poll(&pfd, 1, 20000);
  int avail = -1;
  if (ioctl(0, FIONREAD, &avail) != 0) return perror("FIONREAD"), 1;
  r = read(0, buf, sizeof buf);
  printf("poll=%d revents=%d avail=%d read=%zd\n", n, pfd.revents & POLLIN ? 1 : 0, avail, r);
  return 0;
}

int main(int argc, char **argv) {
  const char *cmd = argc > 1 ? argv[1] : "info";
  if (strcmp(cmd, "info") == 0) return info();
  if (strcmp(cmd, "raw") == 0) return raw(argc > 2 ? atoi(argv[2]) : 1);
  if (strcmp(cmd, "line") == 0) return lines();
  if (strcmp(cmd, "sigint") == 0) return sigint();
  if (strcmp(cmd, "winch") == 0) return winch();
  if (strcmp(cmd, "noctty") == 0) return noctty(argv[0]);
  if (strcmp(cmd, "child") == 0) return child();
  if (strcmp(cmd, "jobs") == 0) return jobs(argv[0]);
  if (strcmp(cmd, "setattr") == 0) return setattr();
  if (strcmp(cmd, "nonblock") == 0) return nonblock();
  fprintf(stderr, "ttytest: unknown command %s\n", cmd);
  return 2;
}
