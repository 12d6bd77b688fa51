// Socket benchmark (bench/net.ts): `rtt tcp|unix N SIZE MB` — a server (this process) and a
// client it spawns; the client makes N round trips of SIZE bytes (send, then receive the
// echo), then streams MB MiB one way; it prints "rtt_us X" (the mean round trip) and
// "mbps X" (MiB/s). Built for wasm32-wasi (with libisokernel) and natively by bench/net.ts.
#include <isokernel.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static int full(int fd, char *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t k = recv(fd, buf + got, n - got, 0);
    if (k <= 0) return -1;
    got += k;
  }
  return 0;
}

static int client(int unixmode, const char *where, int n, int size, int mb) {
  int fd;
  if (unixmode) {
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    strcpy(a.sun_path, where);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) return perror("connect"), 1;
  } else {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(atoi(where));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) return perror("connect"), 1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  char *buf = calloc(1, size > 65536 ? size : 65536);
  for (int i = 0; i < n / 10; i++) { /* warm-up */
    if (send(fd, buf, size, 0) != size || full(fd, buf, size)) return 1;
  }
  double t0 = now();
  for (int i = 0; i < n; i++) {
    if (send(fd, buf, size, 0) != size || full(fd, buf, size)) return 1;
  }
  double t1 = now();
  printf("rtt_us %.2f\n", (t1 - t0) / n * 1e6);
  /* One-way: MB MiB, then the server's byte count back. */
  send(fd, "S", 1, 0);
  t0 = now();
  long total = (long)mb << 20;
  for (long off = 0; off < total; off += 65536) {
    if (send(fd, buf, 65536, 0) != 65536) return 1;
  }
  shutdown(fd, SHUT_WR);
  long got = 0;
  if (full(fd, (char *)&got, sizeof got)) return 1;
  t1 = now();
  printf("mbps %.1f\n", mb / (t1 - t0));
  return got == total ? 0 : 1;
}

int main(int argc, char **argv) {
  if (argc > 6 && strcmp(argv[1], "client") == 0)
    return client(strcmp(argv[2], "unix") == 0, argv[3], atoi(argv[4]), atoi(argv[5]), atoi(argv[6]));
  if (argc < 5) return 2;
  int unixmode = strcmp(argv[1], "unix") == 0;
  char where[64];
  int ls;
  if (unixmode) {
    snprintf(where, sizeof where, "/tmp/rtt.%d.sock", (int)getpid());
    unlink(where);
    ls = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    strcpy(a.sun_path, where);
    if (bind(ls, (struct sockaddr *)&a, sizeof a) != 0) return perror("bind"), 1;
  } else {
    ls = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(ls, (struct sockaddr *)&a, sizeof a) != 0) return perror("bind"), 1;
    socklen_t l = sizeof a;
    getsockname(ls, (struct sockaddr *)&a, &l);
    snprintf(where, sizeof where, "%d", ntohs(a.sin_port));
  }
  listen(ls, 4);
  char *args[] = {argv[0], "client", argv[1], where, argv[2], argv[3], argv[4], 0};
  pid_t pid;
  if (posix_spawn(&pid, argv[0], 0, 0, args, environ) != 0) return 1;
  int c = accept(ls, 0, 0);
  if (!unixmode) {
    int one = 1;
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  int size = atoi(argv[3]);
  char *buf = malloc(65536);
  for (;;) { /* echo until the client's "S" */
    if (full(c, buf, size)) return 1;
    if (send(c, buf, size, 0) != size) return 1;
    char peek;
    if (recv(c, &peek, 1, MSG_PEEK) == 1 && peek == 'S') break;
  }
  recv(c, buf, 1, 0);
  long total = 0;
  for (;;) {
    ssize_t k = recv(c, buf, 65536, 0);
    if (k <= 0) break;
    total += k;
  }
  send(c, &total, sizeof total, 0);
  close(c);
  int st;
  waitpid(pid, &st, 0);
  if (unixmode) unlink(where);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
