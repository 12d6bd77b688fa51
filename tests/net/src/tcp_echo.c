// A TCP echo server and client over IPv4 or IPv6 (argv[1] "4" or "6"): the server binds an
// ephemeral loopback port, spawns itself as the client, echoes until end of stream.
#include "net_test.h"

static int client(int v6, int port) {
  int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
  CHECK(fd >= 0);
  struct sockaddr_storage ss;
  socklen_t len = inet_addr_of(&ss, v6, 0, port);
  CHECK(connect(fd, (struct sockaddr *)&ss, len) == 0);
  CHECK_ERR(connect(fd, (struct sockaddr *)&ss, len), EISCONN);
  int one = 1;
  CHECK(setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == 0);
  /* Many small messages, then a large one. */
  char buf[256];
  for (int i = 0; i < 50; i++) {
    int n = snprintf(buf, sizeof buf, "message %d\n", i);
    CHECK(send(fd, buf, n, 0) == n);
    char back[256];
    int got = 0;
    while (got < n) {
      ssize_t k = recv(fd, back + got, n - got, 0);
      if (k <= 0) break;
      got += k;
    }
    CHECK(got == n && memcmp(back, buf, n) == 0);
  }
  size_t big = 1 << 20;
  char *out = malloc(big), *in = malloc(big);
  for (size_t i = 0; i < big; i++) out[i] = (char)(i * 7 + 3);
  CHECK(write_all(fd, out, big) == 0);
  CHECK(shutdown(fd, SHUT_WR) == 0);
  size_t got = 0;
  for (;;) {
    ssize_t k = recv(fd, in + got, big - got, MSG_WAITALL);
    if (k <= 0) break;
    got += k;
    if (got == big) break;
  }
  CHECK(got == big && memcmp(in, out, big) == 0);
  char c;
  CHECK(recv(fd, &c, 1, 0) == 0); /* end of stream after the server closed */
  CHECK(close(fd) == 0);
  return failures ? 1 : 0;
}

int main(int argc, char **argv) {
  int v6 = argc > 1 && strcmp(argv[1], "6") == 0;
  if (argc > 3 && strcmp(argv[2], "client") == 0) return client(v6, atoi(argv[3]));
  int ls = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
  CHECK(ls >= 0);
  int one = 1;
  CHECK(setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0);
  struct sockaddr_storage ss;
  socklen_t len = inet_addr_of(&ss, v6, 0, 0);
  CHECK(bind(ls, (struct sockaddr *)&ss, len) == 0);
  CHECK_ERR(bind(ls, (struct sockaddr *)&ss, len), EINVAL);
  CHECK(listen(ls, 8) == 0);
  socklen_t sl = sizeof ss;
  CHECK(getsockname(ls, (struct sockaddr *)&ss, &sl) == 0);
  int port = inet_port_of(&ss);
  CHECK(port > 0);
  int acc = -1;
  socklen_t al = sizeof acc;
  CHECK(getsockopt(ls, SOL_SOCKET, SO_ACCEPTCONN, &acc, &al) == 0 && acc == 1);
  char portstr[16];
  snprintf(portstr, sizeof portstr, "%d", port);
  char *args[] = {argv[1] ? argv[1] : "4", "client", portstr, 0};
  pid_t pid = spawn_self(argv[0], args);
  struct sockaddr_storage peer;
  socklen_t pl = sizeof peer;
  int c = accept(ls, (struct sockaddr *)&peer, &pl);
  CHECK(c >= 0);
  CHECK(peer.ss_family == (v6 ? AF_INET6 : AF_INET));
  int type = 0;
  socklen_t tl = sizeof type;
  CHECK(getsockopt(c, SOL_SOCKET, SO_TYPE, &type, &tl) == 0 && type == SOCK_STREAM);
  char *buf = malloc(65536);
  long total = 0;
  for (;;) {
    ssize_t n = read(c, buf, 65536);
    if (n < 0) CHECK(n >= 0);
    if (n <= 0) break;
    CHECK(write_all(c, buf, n) == 0);
    total += n;
  }
  CHECK(total > (1 << 20));
  CHECK(close(c) == 0);
  CHECK(wait_ok(pid));
  CHECK(close(ls) == 0);
  return finish(v6 ? "tcp_echo 6" : "tcp_echo 4");
}
