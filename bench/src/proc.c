/* Process and pipe benchmarks (issue 3). One source, built natively (gcc -O2 -static) and
 * for WASI against the project's C library (include/isokernel.h, lib/libisokernel.a), whose
 * posix_spawn, waitpid and pipe go to the kernel's `isokernel` import module. Usage:
 *
 *   proc proc_spawn PROGRAM          posix_spawn + waitpid of PROGRAM (stdout to /dev/null)
 *   proc pipe_pingpong SELF          1-byte round trips with a child (SELF echo) through two
 *                                    pipes: the child's stdin and stdout
 *   proc pipe_throughput SELF        64 KiB writes into a pipe read by a child (SELF sink)
 *                                    that discards what it reads; prints MB/s (10^6 bytes)
 *   proc pipe_blocked_memory SELF N  N children (SELF block), each blocked reading its own
 *                                    pipe, whose write end the parent keeps. Native: prints
 *                                    the growth of system memory / N in KiB (as spawn.c's
 *                                    idle figure; one round). WASI: prints `ready N`
 *                                    once all are spawned and waits to be killed; the
 *                                    isokernel side measures (bench/sides/isokernel.ts).
 *
 * The children, started by the above with their stdin (and stdout) on pipe ends:
 *   proc echo     copies stdin to stdout one byte at a time until EOF
 *   proc sink     reads stdin in 64 KiB reads until EOF, discarding it
 *   proc block    one read of stdin; exits 0 at EOF
 *
 * The timed figures print `FIGURE VALUE` as bench.c does (measure.h: calibrated, median of
 * 5). A child holds only the pipe ends given as its stdio: the parent's ends are
 * close-on-exec, and the child's end is moved to 0 or 1 by the file actions (dup2, close).
 * The child's end is made without close-on-exec rather than with pipe2(O_CLOEXEC), so that
 * nothing depends on file actions seeing close-on-exec descriptors (POSIX: they do; when
 * this was written, isokernel's spawn dropped them first, and such a dup2 failed EBADF). */
#include "isokernel.h" /* first: on WASI it provides what wasi-libc leaves out */

#include "measure.h"

#ifndef __wasi__
#include <sys/resource.h>
#endif

#define BLOCK_BYTES 65536

static const char *self;
static int devnull = -1;
static int to_child = -1, from_child = -1;
static pid_t child = -1;
static char block[BLOCK_BYTES];

static void die(const char *what) {
  perror(what);
  exit(1);
}

/* Starts `program` with argv {program, mode}; stdin and stdout become `in` and `out` when
 * they are not -1, moved there by file actions (dup2, then close the original, which the
 * child would otherwise inherit too). Neither may be close-on-exec (see the top). */
static pid_t start(const char *program, const char *mode, int in, int out) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (in >= 0) {
    posix_spawn_file_actions_adddup2(&fa, in, 0);
    posix_spawn_file_actions_addclose(&fa, in);
  }
  if (out >= 0) {
    posix_spawn_file_actions_adddup2(&fa, out, 1);
    posix_spawn_file_actions_addclose(&fa, out);
  }
  char *argv[] = {(char *)program, (char *)mode, NULL};
  pid_t pid;
  int err = posix_spawn(&pid, program, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (err) {
    fprintf(stderr, "proc: posix_spawn %s: %s\n", program, strerror(err));
    exit(1);
  }
  return pid;
}

/* Waits for `pid`, which must exit 0. */
static void reap(pid_t pid) {
  int st;
  if (waitpid(pid, &st, 0) != pid) die("waitpid");
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    fprintf(stderr, "proc: child %d ended with status %#x\n", (int)pid, st);
    exit(1);
  }
}

/* A pipe whose end `keep` (0 read, 1 write) is close-on-exec: the parent's end. */
static void make_pipe(int fds[2], int keep) {
  if (pipe(fds) != 0) die("pipe");
  if (fcntl(fds[keep], F_SETFD, FD_CLOEXEC) != 0) die("fcntl FD_CLOEXEC");
}

static void write_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, buf, len);
    if (n < 0) die("write");
    buf += n;
    len -= (size_t)n;
  }
}

/* ------------------------------------------------------------------------ proc_spawn */

static const char *spawn_program;

static void op_spawn(long n) {
  for (long i = 0; i < n; i++) reap(start(spawn_program, NULL, -1, devnull));
}

/* --------------------------------------------------------------------- pipe_pingpong */

static void op_pingpong(long n) {
  char c = 'x';
  for (long i = 0; i < n; i++) {
    if (write(to_child, &c, 1) != 1) die("write ping");
    if (read(from_child, &c, 1) != 1) die("read pong");
  }
}

/* A child on the other end of two pipes (from_child is -1 for a child that only reads). */
static void start_peer(const char *mode, int replies) {
  int down[2], up[2] = {-1, -1};
  make_pipe(down, 1);
  if (replies) make_pipe(up, 0);
  child = start(self, mode, down[0], up[1]);
  close(down[0]);
  if (replies) close(up[1]);
  to_child = down[1];
  from_child = up[0];
}

static void stop_peer(void) {
  close(to_child); /* EOF: the child exits */
  reap(child);
  if (from_child >= 0) close(from_child);
}

/* ------------------------------------------------------------------- pipe_throughput */

static void op_throughput(long n) {
  for (long i = 0; i < n; i++) write_all(to_child, block, BLOCK_BYTES);
}

/* --------------------------------------------------------------- pipe_blocked_memory */

#ifndef __wasi__
/* System memory that grows with processes, in KiB (as spawn.c). */
static long system_kib(void) {
  static const char *fields[] = {"AnonPages:", "PageTables:", "KernelStack:", "Slab:"};
  FILE *f = fopen("/proc/meminfo", "r");
  if (!f) die("/proc/meminfo");
  char key[64];
  long value, total = 0;
  while (fscanf(f, "%63s %ld kB\n", key, &value) == 2)
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
      if (!strcmp(key, fields[i])) total += value;
  fclose(f);
  return total;
}

/* Reads /proc/PID/NAME into buf; "" if it cannot. */
static void proc_file(pid_t pid, const char *name, char *buf, size_t size) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, name);
  buf[0] = 0;
  FILE *f = fopen(path, "r");
  if (!f) return;
  size_t n = fread(buf, 1, size - 1, f);
  fclose(f);
  buf[n] = 0;
}

/* Whether `pid` sleeps in a pipe read: WCHAN pipe_read (anon_pipe_read on newer kernels);
 * where the kernel hides WCHAN ("0"), state S (sleeping) must do. */
static int in_pipe_read(pid_t pid) {
  char buf[512];
  proc_file(pid, "wchan", buf, sizeof buf);
  if (strstr(buf, "pipe_read")) return 1;
  if (buf[0] && strcmp(buf, "0") != 0) return 0;
  proc_file(pid, "stat", buf, sizeof buf);
  const char *state = strrchr(buf, ')'); /* after "PID (COMM)" */
  return state && state[1] == ' ' && state[2] == 'S';
}
#endif

/* Starts `count` children blocked on pipe reads; their write ends go to `wfds`. */
static void start_blocked(long count, pid_t *pids, int *wfds) {
  for (long i = 0; i < count; i++) {
    int fds[2];
    make_pipe(fds, 1);
    pids[i] = start(self, "block", fds[0], -1);
    close(fds[0]);
    wfds[i] = fds[1];
  }
}

static void blocked_memory(long count) {
  pid_t *pids = calloc((size_t)count, sizeof *pids);
  int *wfds = calloc((size_t)count, sizeof *wfds);
  if (!pids || !wfds) die("calloc");
#ifdef __wasi__
  /* The isokernel side gives this process the descriptors it needs, waits until every child
   * sleeps in fd_read, measures, and kills this process: its write ends close, and the
   * children read EOF and exit. */
  start_blocked(count, pids, wfds);
  printf("ready %ld\n", count);
  fflush(stdout);
  for (;;) pause();
#else
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)count + 64) {
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) die("setrlimit RLIMIT_NOFILE");
  }
  /* One round: 10,000 processes take ~25 s to start and end on a small VM. */
  long before = system_kib();
  start_blocked(count, pids, wfds);
  /* Every child asleep in a pipe read, then a moment for the slab to settle. */
  long waiting = count;
  for (int tries = 0; waiting > 0; tries++) {
    if (tries == 100) {
      fprintf(stderr, "proc: %ld of %ld children not asleep in a pipe read\n", waiting, count);
      exit(1);
    }
    usleep(50 * 1000);
    waiting = 0;
    for (long i = 0; i < count; i++) waiting += !in_pipe_read(pids[i]);
  }
  usleep(200 * 1000);
  printf("pipe_blocked_memory %.2f\n", (double)(system_kib() - before) / (double)count);
  fflush(stdout);
  for (long i = 0; i < count; i++) close(wfds[i]);
  for (long i = 0; i < count; i++) reap(pids[i]);
#endif
  free(pids);
  free(wfds);
}

/* ------------------------------------------------------------------------- children */

static int child_echo(void) {
  char c;
  ssize_t n;
  while ((n = read(0, &c, 1)) == 1)
    if (write(1, &c, 1) != 1) return 1;
  return n == 0 ? 0 : 1;
}

static int child_sink(void) {
  ssize_t n;
  while ((n = read(0, block, sizeof block)) > 0) {
  }
  return n == 0 ? 0 : 1;
}

static int child_block(void) {
  char c;
  return read(0, &c, 1) == 0 ? 0 : 1;
}

static int usage(void) {
  fprintf(stderr,
          "usage: proc proc_spawn PROGRAM | pipe_pingpong SELF | pipe_throughput SELF |\n"
          "            pipe_blocked_memory SELF N | echo | sink | block\n");
  return 2;
}

int main(int argc, char **argv) {
  if (argc < 2) return usage();
  const char *cmd = argv[1];
  if (!strcmp(cmd, "echo")) return child_echo();
  if (!strcmp(cmd, "sink")) return child_sink();
  if (!strcmp(cmd, "block")) return child_block();
  if (argc < 3) return usage();
  self = argv[2];
  signal(SIGPIPE, SIG_IGN); /* a child that dies early gives EPIPE, which says so */

  if (!strcmp(cmd, "proc_spawn")) {
    spawn_program = argv[2];
    devnull = open("/dev/null", O_WRONLY); /* not O_CLOEXEC: the children dup2 it */
    if (devnull < 0) die("/dev/null");
    measure("proc_spawn", op_spawn);
  } else if (!strcmp(cmd, "pipe_pingpong")) {
    start_peer("echo", 1);
    measure("pipe_pingpong", op_pingpong);
    stop_peer();
  } else if (!strcmp(cmd, "pipe_throughput")) {
    memset(block, 'x', sizeof block);
    start_peer("sink", 0);
    double ns = measure_ns(op_throughput);
    printf("pipe_throughput %.2f\n", BLOCK_BYTES / ns * 1e3); /* bytes/ns = GB/s */
    fflush(stdout);
    stop_peer();
  } else if (!strcmp(cmd, "pipe_blocked_memory") && argc > 3) {
    blocked_memory(atol(argv[3]));
  } else {
    return usage();
  }
  return 0;
}
