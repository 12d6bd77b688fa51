/*
 * sar [OPTIONS] [INTERVAL [COUNT]]: sysstat's system activity report, from the kernel's
 * activity collector. The history is an SQLite database in the host, which no process can
 * open, so sar asks the kernel through /dev/sa (src/metrics/device.ts, docs/tools.md): it
 * writes its arguments as NUL-terminated words after "sar", reads the report back as
 * records ("1 LEN\n" stdout bytes, "2 LEN\n" stderr bytes) ending in "exit STATUS" or
 * "sleep MS"; for a live report it waits MS ms and asks for the "next" interval. SIGINT or
 * SIGTERM during a live report prints the averages so far ("end"), as sysstat's sar does.
 * Options and layout are the kernel's (one implementation for this and `isokernel sar`).
 */
#include "cmd.h"

#include <fcntl.h>
#include <signal.h>
#include <time.h>

static volatile sig_atomic_t interrupted;

static void on_signal(int sig) {
  (void)sig;
  interrupted = 1;
}

/* Reads the whole response (until a read returns 0) into a growing buffer; NULL on error. */
static char *read_response(int fd, size_t *len) {
  size_t cap = 65536, n = 0;
  char *buf = xmalloc(cap);
  for (;;) {
    if (n == cap) buf = xrealloc(buf, cap *= 2);
    ssize_t r = read(fd, buf + n, cap - n);
    if (r < 0) {
      if (errno == EINTR) continue;
      free(buf);
      return NULL;
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  *len = n;
  return buf;
}

/*
 * Writes out the records of a response. Returns 1 with *sleep_ms set (a live report goes
 * on), 0 with *status set (over), -1 for a response it cannot read.
 */
static int emit(const char *p, size_t len, long *sleep_ms, int *status) {
  const char *end = p + len;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) return -1;
    char line[64];
    size_t ll = (size_t)(nl - p);
    if (ll >= sizeof line) return -1;
    memcpy(line, p, ll);
    line[ll] = 0;
    p = nl + 1;
    long long v;
    if ((line[0] == '1' || line[0] == '2') && line[1] == ' ' && parse_ll(line + 2, &v) && v >= 0) {
      if ((size_t)v > (size_t)(end - p)) return -1;
      if (line[0] == '1') {
        fwrite(p, 1, (size_t)v, stdout);
      } else {
        fflush(stdout);
        write_all(2, p, (size_t)v);
      }
      p += v;
    } else if (strncmp(line, "sleep ", 6) == 0 && parse_ll(line + 6, &v) && v >= 0) {
      *sleep_ms = (long)v;
      return p == end ? 1 : -1;
    } else if (strncmp(line, "exit ", 5) == 0 && parse_ll(line + 5, &v)) {
      *status = (int)v;
      return p == end ? 0 : -1;
    } else {
      return -1;
    }
  }
  return -1;
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  /* Interrupts end the wait between intervals (no SA_RESTART): then the averages. */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);

  int fd = open("/dev/sa", O_RDWR);
  if (fd < 0) {
    int e = errno;
    warne(e, "cannot open /dev/sa%s", e == ENOENT ? " (this kernel has no activity collector)" : "");
    return 1;
  }
  size_t reqlen = 4;
  for (int i = 1; i < argc; i++) reqlen += strlen(argv[i]) + 1;
  char *req = xmalloc(reqlen);
  memcpy(req, "sar", 4);
  size_t off = 4;
  for (int i = 1; i < argc; i++) {
    size_t l = strlen(argv[i]) + 1;
    memcpy(req + off, argv[i], l);
    off += l;
  }
  int status = 1;
  for (;;) {
    if (write_all(fd, req, reqlen) != 0) {
      warne(errno, "cannot write to /dev/sa");
      return 1;
    }
    size_t len;
    char *resp = read_response(fd, &len);
    if (!resp) {
      warne(errno, "cannot read /dev/sa");
      return 1;
    }
    long sleep_ms = 0;
    int r = emit(resp, len, &sleep_ms, &status);
    free(resp);
    if (r < 0) {
      warnx("unexpected answer from /dev/sa");
      return 1;
    }
    if (r == 0) break;
    fflush(stdout);
    struct timespec ts = {sleep_ms / 1000, (sleep_ms % 1000) * 1000000L};
    while (!interrupted && nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
    free(req);
    const char *word = interrupted ? "end" : "next";
    reqlen = strlen(word) + 1;
    req = xstrdup(word);
  }
  free(req);
  close(fd);
  int w = close_stdout();
  return status != 0 ? status : w;
}
