// Errors as Linux gives them: not a socket, bad family, refused connection, unconnected
// calls, options, EPIPE with SIGPIPE ignored and MSG_NOSIGNAL, SO_RCVTIMEO, and
// getaddrinfo/inet_pton/inet_ntop.
#include "net_test.h"
#include <netdb.h>
#include <signal.h>
#include <sys/time.h>
#include <time.h>

static volatile int sigpipes;
static void on_pipe(int sig) {
  (void)sig;
  sigpipes++;
}

int main(void) {
  char buf[256];
  /* Not sockets. */
  int fds[2];
  CHECK(pipe(fds) == 0);
  CHECK_ERR(listen(fds[0], 1), ENOTSOCK);
  CHECK_ERR(accept(fds[0], 0, 0), ENOTSOCK);
  CHECK_ERR(shutdown(fds[0], SHUT_RD), ENOTSOCK);
  CHECK_ERR(send(fds[1], "x", 1, 0), ENOTSOCK);
  struct sockaddr_in a;
  socklen_t al = sizeof a;
  CHECK_ERR(getsockname(fds[0], (struct sockaddr *)&a, &al), ENOTSOCK);
  close(fds[0]);
  close(fds[1]);
  CHECK_ERR(listen(99, 1), EBADF);
  CHECK_ERR(socket(12345, SOCK_STREAM, 0), EAFNOSUPPORT);
  CHECK_ERR(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), EPROTONOSUPPORT);

  int s = socket(AF_INET, SOCK_STREAM, 0);
  CHECK(s >= 0);
  /* A family that is not the socket's. */
  struct sockaddr_in6 a6;
  memset(&a6, 0, sizeof a6);
  a6.sin6_family = AF_INET6;
  CHECK_ERR(bind(s, (struct sockaddr *)&a6, sizeof a6), EAFNOSUPPORT);
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  CHECK_ERR(bind(s, (struct sockaddr *)&a, 4), EINVAL);
  CHECK_ERR(getpeername(s, (struct sockaddr *)&a, &al), ENOTCONN);
  CHECK_ERR(recv(s, buf, 1, 0), ENOTCONN);
  CHECK_ERR(shutdown(s, SHUT_RDWR), ENOTCONN);
  CHECK(recv(s, buf, 1, 0) == 0); /* Linux: the failed shutdown still shut the reading side */
  CHECK_ERR(shutdown(s, 42), EINVAL);
  int v = 0;
  socklen_t vl = sizeof v;
  CHECK_ERR(getsockopt(s, SOL_SOCKET, 12345, &v, &vl), ENOPROTOOPT);
  CHECK_ERR(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, 2), EINVAL);
  v = 1;
  CHECK(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof v) == 0);
  vl = sizeof v;
  v = 0;
  CHECK(getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, &vl) == 0 && v == 1);
  v = 65536;
  CHECK(setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof v) == 0);
  v = 0;
  vl = sizeof v;
  CHECK(getsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, &vl) == 0 && v >= 65536);
  int u = socket(AF_UNIX, SOCK_STREAM, 0);
  v = 1;
  CHECK_ERR(setsockopt(u, IPPROTO_TCP, TCP_NODELAY, &v, sizeof v), EOPNOTSUPP);
  close(u);

  /* A refused connection: a port nobody listens on (bound, then closed). */
  int t = socket(AF_INET, SOCK_STREAM, 0);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  CHECK(bind(t, (struct sockaddr *)&a, sizeof a) == 0);
  al = sizeof a;
  CHECK(getsockname(t, (struct sockaddr *)&a, &al) == 0);
  close(t);
  CHECK_ERR(connect(s, (struct sockaddr *)&a, sizeof a), ECONNREFUSED);
  close(s);

  /* EPIPE: SIGPIPE ignored, then MSG_NOSIGNAL with a handler (which must not run). */
  int ls = socket(AF_INET, SOCK_STREAM, 0);
  a.sin_port = 0;
  CHECK(bind(ls, (struct sockaddr *)&a, sizeof a) == 0 && listen(ls, 1) == 0);
  al = sizeof a;
  CHECK(getsockname(ls, (struct sockaddr *)&a, &al) == 0);
  int c = socket(AF_INET, SOCK_STREAM, 0);
  CHECK(connect(c, (struct sockaddr *)&a, sizeof a) == 0);
  int sc = accept(ls, 0, 0);
  CHECK(sc >= 0);
  /* SO_RCVTIMEO: a recv with nothing to read gives up with EAGAIN after the timeout. */
  struct timeval tv = {0, 100000};
  CHECK(setsockopt(sc, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  CHECK_ERR(recv(sc, buf, sizeof buf, 0), EAGAIN);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
  CHECK(ms >= 90 && ms < 5000);
  close(sc);
  signal(SIGPIPE, SIG_IGN);
  int e = 0;
  for (int i = 0; i < 200 && e == 0; i++) {
    if (send(c, "data", 4, 0) < 0) e = errno;
    else usleep(2000);
  }
  CHECK(e == EPIPE || e == ECONNRESET);
  CHECK_ERR(send(c, "data", 4, 0), EPIPE);
  signal(SIGPIPE, on_pipe);
  CHECK_ERR(send(c, "data", 4, MSG_NOSIGNAL), EPIPE);
  CHECK(sigpipes == 0);
  CHECK_ERR(write(c, "data", 4), EPIPE);
  CHECK(sigpipes == 1);
  close(c);
  close(ls);

  /* Names and addresses. */
  struct addrinfo hints, *res;
  memset(&hints, 0, sizeof hints);
  hints.ai_socktype = SOCK_STREAM;
  CHECK(getaddrinfo("127.0.0.1", "8080", &hints, &res) == 0);
  CHECK(res && res->ai_family == AF_INET && ntohs(((struct sockaddr_in *)res->ai_addr)->sin_port) == 8080 &&
        res->ai_socktype == SOCK_STREAM && res->ai_next == 0);
  freeaddrinfo(res);
  CHECK(getaddrinfo("::1", 0, &hints, &res) == 0 && res->ai_family == AF_INET6);
  freeaddrinfo(res);
  hints.ai_family = AF_INET;
  CHECK(getaddrinfo("localhost", "http", &hints, &res) == 0 && res->ai_family == AF_INET &&
        ((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr == htonl(INADDR_LOOPBACK) &&
        ntohs(((struct sockaddr_in *)res->ai_addr)->sin_port) == 80);
  freeaddrinfo(res);
  hints.ai_flags = AI_PASSIVE;
  CHECK(getaddrinfo(0, "9000", &hints, &res) == 0 && ((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr == 0);
  freeaddrinfo(res);
  hints.ai_flags = AI_NUMERICHOST;
  CHECK(getaddrinfo("localhost", "80", &hints, &res) == EAI_NONAME);
  hints.ai_flags = 0;
  CHECK(getaddrinfo("127.0.0.1", "no-such-service", &hints, &res) == EAI_SERVICE);
  CHECK(strlen(gai_strerror(EAI_NONAME)) > 0);
  unsigned char b6[16];
  CHECK(inet_pton(AF_INET6, "fe80::1:2", b6) == 1);
  CHECK(inet_ntop(AF_INET6, b6, buf, sizeof buf) && strcmp(buf, "fe80::1:2") == 0);
  CHECK(inet_pton(AF_INET, "300.1.1.1", b6) == 0);
  CHECK(htons(0x1234) == 0x3412 && ntohl(htonl(0x01020304)) == 0x01020304);
  return finish("errors");
}
