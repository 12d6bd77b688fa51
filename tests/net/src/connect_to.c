// connect_to ADDR PORT [MESSAGE]: connects (TCP; IPv6 if ADDR has a ':'), sends MESSAGE if
// given, prints "connected" and what comes back until end of stream, or "connect: ERRNO-NAME".
// Used by tests/net/policy.test.ts (egress policy, ports of the same kernel).
#include "net_test.h"

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  int v6 = strchr(argv[1], ':') != 0;
  int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
  struct sockaddr_storage ss;
  socklen_t len = inet_addr_of(&ss, v6, argv[1], atoi(argv[2]));
  if (connect(fd, (struct sockaddr *)&ss, len) != 0) {
    printf("connect: %s\n", errno == EACCES ? "EACCES" : errno == ECONNREFUSED ? "ECONNREFUSED" : strerror(errno));
    return 1;
  }
  printf("connected\n");
  if (argc > 3) {
    write_all(fd, argv[3], strlen(argv[3]));
    shutdown(fd, SHUT_WR);
    char buf[1024];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) fwrite(buf, 1, n, stdout);
  }
  close(fd);
  return 0;
}
