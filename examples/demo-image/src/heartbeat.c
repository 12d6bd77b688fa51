// heartbeat: the demo image's C service. Every interval it appends a numbered record to
// DIR/beats.log and makes it durable (fsync), then updates DIR/count (write to a temporary
// file, fsync, rename, fsync of DIR where allowed: the count is always a whole number), then
// says so on stdout, which init sends to syslog. It carries on from the count it finds, so
// across reboots of the image the numbers keep going up: /var persists. SIGTERM: a last
// line, exit 0.
//
//   heartbeat [-i INTERVAL_MS] [-n COUNT] [-d DIR] [-r READY_FILE] [-q]
//
// A record is "beat N CHECK\n" with CHECK = N * 2654435761 mod 2^32 in hex, so a reader can
// tell a whole record from a torn one.
#include <isokernel.h> /* signals (libisokernel) */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_requested = 0;

static void on_term(int sig) {
  (void)sig;
  stop_requested = 1;
}

static void die(const char *what, const char *path) {
  fprintf(stderr, "heartbeat: %s %s: %s\n", what, path, strerror(errno));
  exit(1);
}

static unsigned long read_count(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  unsigned long n = 0;
  if (fscanf(f, "%lu", &n) != 1) n = 0;
  fclose(f);
  return n;
}

/** The number of the last whole record in the log (0 if none): the log may be ahead of the
 * count file when the host died between the two. */
static unsigned long last_record(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  char buf[256];
  unsigned long last = 0;
  if (fseek(f, 0, SEEK_END) == 0) {
    long size = ftell(f);
    fseek(f, size > (long)sizeof buf - 1 ? size - (long)sizeof buf + 1 : 0, SEEK_SET);
  }
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = 0;
  fclose(f);
  // Each whole line "beat N CHECK\n": the last one that ends with a newline.
  char *line = buf;
  for (char *nl = strchr(line, '\n'); nl; line = nl + 1, nl = strchr(line, '\n')) {
    unsigned long v;
    if (sscanf(line, "beat %lu ", &v) == 1) last = v;
  }
  return last;
}

static void write_all(int fd, const char *buf, size_t len, const char *path) {
  while (len > 0) {
    ssize_t w = write(fd, buf, len);
    if (w < 0) {
      if (errno == EINTR) continue;
      die("write", path);
    }
    buf += w;
    len -= (size_t)w;
  }
}

static void write_count(const char *dir, unsigned long n) {
  char tmp[512], final[512], text[32];
  snprintf(tmp, sizeof tmp, "%s/count.tmp", dir);
  snprintf(final, sizeof final, "%s/count", dir);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) die("open", tmp);
  int len = snprintf(text, sizeof text, "%lu\n", n);
  write_all(fd, text, (size_t)len, tmp);
  if (fsync(fd) != 0) die("fsync", tmp);
  close(fd);
  if (rename(tmp, final) != 0) die("rename", final);
  // The rename is durable once the directory is synced, where directories can be: isokernel
  // answers EBADF, as wasmtime does (docs/images.md, "Persistence").
  int dfd = open(dir, O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    if (fsync(dfd) != 0 && errno != EBADF && errno != EINVAL && errno != ENOTSUP) die("fsync", dir);
    close(dfd);
  }
}

int main(int argc, char **argv) {
  long interval_ms = 1000;
  long max = -1;
  const char *dir = "/var/lib/heartbeat";
  const char *ready = NULL;
  int quiet = 0;
  int opt;
  while ((opt = getopt(argc, argv, "i:n:d:r:q")) != -1) {
    switch (opt) {
      case 'i': interval_ms = atol(optarg); break;
      case 'n': max = atol(optarg); break;
      case 'd': dir = optarg; break;
      case 'r': ready = optarg; break;
      case 'q': quiet = 1; break;
      default:
        fprintf(stderr, "usage: heartbeat [-i INTERVAL_MS] [-n COUNT] [-d DIR] [-r READY_FILE] [-q]\n");
        return 2;
    }
  }
  signal(SIGTERM, on_term);
  signal(SIGINT, on_term);
  setvbuf(stdout, NULL, _IOLBF, 0);

  // mkdir -p DIR
  char path[512];
  snprintf(path, sizeof path, "%s", dir);
  for (char *p = path + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    mkdir(path, 0755);
    *p = '/';
  }
  if (mkdir(path, 0755) != 0 && errno != EEXIST) die("mkdir", path);

  char countf[512], logf[512];
  snprintf(countf, sizeof countf, "%s/count", dir);
  snprintf(logf, sizeof logf, "%s/beats.log", dir);
  unsigned long n = read_count(countf);
  unsigned long logged = last_record(logf);
  if (logged > n) n = logged;
  int log = open(logf, O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (log < 0) die("open", logf);
  printf("heartbeat: starting at %lu, every %ld ms, in %s\n", n, interval_ms, dir);
  if (ready) {
    int fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) die("open", ready);
    close(fd);
  }
  for (long i = 0; (max < 0 || i < max) && !stop_requested; i++) {
    n++;
    char rec[64];
    int len = snprintf(rec, sizeof rec, "beat %lu %08x\n", n, (unsigned)((uint32_t)n * 2654435761u));
    write_all(log, rec, (size_t)len, logf);
    if (fsync(log) != 0) die("fsync", logf);
    write_count(dir, n);
    if (!quiet || n % 100 == 0) printf("beat %lu synced\n", n);
    if (interval_ms > 0) {
      struct timespec ts = { interval_ms / 1000, (interval_ms % 1000) * 1000000L };
      while (nanosleep(&ts, &ts) != 0 && errno == EINTR && !stop_requested) {}
    }
  }
  close(log);
  printf("heartbeat: stopping at %lu\n", n);
  return 0;
}
