// The well-behaved process beside each hostile one (tests/isolation.test.ts): it keeps
// serving at a steady pace and must lose nothing.
//
//   neighbour LINES PERIOD_MS    every PERIOD_MS, sends "line N" through a pipe to an echo
//                                child and copies the echo to stdout; every 25 lines it
//                                replaces the child with a fresh spawn. Ends with
//                                "neighbour: lines=N spawns=S late_max_ms=L" and exit 0.
//   neighbour echo               the child: copies stdin to stdout until end of file.
//
// Any failure (a spawn, a pipe, a lost or garbled line) prints "neighbour: FAIL ..." on
// stderr and exits 1.
#include <isokernel.h>

#include <time.h>

static const char *self;

static _Noreturn void die(const char *what, int err) {
  fprintf(stderr, "neighbour: FAIL %s: %s\n", what, strerror(err));
  exit(1);
}

static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void write_all(int fd, const char *s, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, s, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("write", errno);
    }
    s += n;
    len -= (size_t)n;
  }
}

static int echo(void) {
  char buf[256];
  for (;;) {
    ssize_t n = read(0, buf, sizeof buf);
    if (n == 0) return 0;
    if (n < 0) {
      if (errno == EINTR) continue;
      die("echo read", errno);
    }
    write_all(1, buf, (size_t)n);
  }
}

struct child {
  pid_t pid;
  int to, from; /* our ends: its stdin, its stdout */
};

static struct child start_child(void) {
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) die("pipe", errno);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  char *argv[] = {(char *)self, "echo", NULL};
  struct child c = {0, in[1], out[0]};
  int err = posix_spawn(&c.pid, self, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (err) die("posix_spawn", err);
  close(in[0]);
  close(out[1]);
  return c;
}

static void stop_child(struct child c) {
  close(c.to);
  char buf[16];
  if (read(c.from, buf, sizeof buf) != 0) die("echo child: output after the last line", 0);
  close(c.from);
  int st;
  while (waitpid(c.pid, &st, 0) < 0) {
    if (errno != EINTR) die("waitpid", errno);
  }
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) die("echo child did not exit 0", 0);
}

int main(int argc, char **argv) {
  self = argv[0];
  if (argc == 2 && strcmp(argv[1], "echo") == 0) return echo();
  if (argc != 3) {
    fprintf(stderr, "usage: neighbour LINES PERIOD_MS | neighbour echo\n");
    return 2;
  }
  int lines = atoi(argv[1]);
  long period = atol(argv[2]);
  long start = now_ms(), late_max = 0;
  int spawns = 0;
  struct child c = {0, -1, -1};
  for (int i = 0; i < lines; i++) {
    if (i % 25 == 0) {
      if (i > 0) stop_child(c);
      c = start_child();
      spawns++;
    }
    char line[64], back[64];
    int len = snprintf(line, sizeof line, "line %d\n", i);
    write_all(c.to, line, (size_t)len);
    int got = 0;
    while (got < len) {
      ssize_t n = read(c.from, back + got, (size_t)(len - got));
      if (n == 0) die("echo child: end of file", 0);
      if (n < 0) {
        if (errno == EINTR) continue;
        die("read", errno);
      }
      got += (int)n;
    }
    if (memcmp(line, back, (size_t)len) != 0) die("echo child: garbled line", 0);
    write_all(1, back, (size_t)len);
    long due = start + (long)(i + 1) * period, now = now_ms();
    if (now > due) {
      if (now - due > late_max) late_max = now - due;
    } else {
      struct timespec ts = {(due - now) / 1000, ((due - now) % 1000) * 1000000L};
      while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
      }
    }
  }
  stop_child(c);
  printf("neighbour: lines=%d spawns=%d late_max_ms=%ld\n", lines, spawns, late_max);
  return 0;
}
