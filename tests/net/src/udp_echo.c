// UDP over IPv4 and IPv6: an echo server and the client it spawns, message boundaries,
// recvfrom's address, connect() as a default destination, truncation, MSG_PEEK.
#include "net_test.h"

static int client(int v6, int port) {
  int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_storage ss;
  socklen_t len = inet_addr_of(&ss, v6, 0, port);
  char buf[2048], back[2048];
  for (int i = 0; i < 20; i++) {
    int n = snprintf(buf, sizeof buf, "datagram %d", i);
    CHECK(sendto(fd, buf, n, 0, (struct sockaddr *)&ss, len) == n);
    struct sockaddr_storage from;
    socklen_t fl = sizeof from;
    CHECK(recvfrom(fd, back, sizeof back, 0, (struct sockaddr *)&from, &fl) == n && memcmp(back, buf, n) == 0);
    CHECK(from.ss_family == (v6 ? AF_INET6 : AF_INET));
  }
  CHECK(connect(fd, (struct sockaddr *)&ss, len) == 0);
  memset(buf, 'x', 1500);
  CHECK(send(fd, buf, 1500, 0) == 1500);
  CHECK(recv(fd, back, 10, MSG_PEEK) == 10);
  CHECK(recv(fd, back, 100, 0) == 100); /* cut: the rest of the datagram is dropped */
  CHECK(send(fd, "quit", 4, 0) == 4);
  close(fd);
  return failures ? 1 : 0;
}

int main(int argc, char **argv) {
  int v6 = argc > 1 && strcmp(argv[1], "6") == 0;
  if (argc > 3 && strcmp(argv[2], "client") == 0) return client(v6, atoi(argv[3]));
  int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
  CHECK(fd >= 0);
  struct sockaddr_storage ss;
  socklen_t len = inet_addr_of(&ss, v6, 0, 0);
  CHECK(bind(fd, (struct sockaddr *)&ss, len) == 0);
  socklen_t sl = sizeof ss;
  CHECK(getsockname(fd, (struct sockaddr *)&ss, &sl) == 0);
  int port = inet_port_of(&ss);
  CHECK_ERR(listen(fd, 1), EOPNOTSUPP);
  CHECK_ERR(accept(fd, 0, 0), EOPNOTSUPP);
  char portstr[16];
  snprintf(portstr, sizeof portstr, "%d", port);
  char *args[] = {v6 ? "6" : "4", "client", portstr, 0};
  pid_t pid = spawn_self(argv[0], args);
  char buf[4096];
  int echoed = 0;
  for (;;) {
    struct sockaddr_storage from;
    socklen_t fl = sizeof from;
    ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
    CHECK(n >= 0);
    if (n < 0 || (n == 4 && memcmp(buf, "quit", 4) == 0)) break;
    CHECK(sendto(fd, buf, n, 0, (struct sockaddr *)&from, fl) == n);
    echoed++;
  }
  CHECK(echoed == 21);
  CHECK(wait_ok(pid));
  close(fd);
  return finish(v6 ? "udp_echo 6" : "udp_echo 4");
}
