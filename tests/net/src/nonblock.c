// Non-blocking sockets and poll: connect in progress (EINPROGRESS, then writable and
// SO_ERROR), accept and recv with nothing there (EAGAIN), a listener readable when a
// connection waits, MSG_DONTWAIT on a blocking socket, O_NONBLOCK through fcntl, end of
// stream and hang-up seen by poll, a failed non-blocking connect's SO_ERROR.
#include "net_test.h"

static int readable(int fd, int ms) {
  struct pollfd p = {fd, POLLIN, 0};
  int r = poll(&p, 1, ms);
  return r == 1 && (p.revents & (POLLIN | POLLHUP));
}
static int writable(int fd, int ms) {
  struct pollfd p = {fd, POLLOUT, 0};
  int r = poll(&p, 1, ms);
  return r == 1 && (p.revents & (POLLOUT | POLLHUP | POLLERR));
}

int main(void) {
  int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  CHECK(ls >= 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  CHECK(bind(ls, (struct sockaddr *)&a, sizeof a) == 0);
  CHECK(listen(ls, 4) == 0);
  socklen_t al = sizeof a;
  CHECK(getsockname(ls, (struct sockaddr *)&a, &al) == 0);
  CHECK_ERR(accept(ls, 0, 0), EAGAIN);
  CHECK(!readable(ls, 0));

  int c = socket(AF_INET, SOCK_STREAM, 0);
  CHECK(fcntl(c, F_SETFL, fcntl(c, F_GETFL) | O_NONBLOCK) == 0);
  CHECK(fcntl(c, F_GETFL) & O_NONBLOCK);
  int r = connect(c, (struct sockaddr *)&a, sizeof a);
  CHECK(r == 0 || (r == -1 && errno == EINPROGRESS));
  CHECK(writable(c, 5000));
  int err = -1;
  socklen_t el = sizeof err;
  CHECK(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err == 0);
  CHECK(readable(ls, 5000));
  int s = accept4(ls, 0, 0, SOCK_NONBLOCK);
  CHECK(s >= 0);
  CHECK(fcntl(s, F_GETFL) & O_NONBLOCK);

  char buf[256];
  CHECK_ERR(recv(s, buf, sizeof buf, 0), EAGAIN);
  CHECK(!readable(s, 0));
  CHECK(send(c, "hello", 5, 0) == 5);
  CHECK(readable(s, 5000));
  CHECK(recv(s, buf, 2, MSG_PEEK) == 2 && memcmp(buf, "he", 2) == 0);
  CHECK(recv(s, buf, sizeof buf, 0) == 5 && memcmp(buf, "hello", 5) == 0);

  /* MSG_DONTWAIT on a blocking socket. */
  int b = socket(AF_INET, SOCK_STREAM, 0);
  CHECK(connect(b, (struct sockaddr *)&a, sizeof a) == 0);
  CHECK(readable(ls, 5000));
  int bs = accept(ls, 0, 0);
  CHECK(bs >= 0);
  CHECK_ERR(recv(bs, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);

  /* Fill the connection without reading: a non-blocking send stops with EAGAIN, not writable. */
  char *chunk = calloc(1, 65536);
  long sent = 0;
  for (int i = 0; i < 4096; i++) {
    ssize_t n = send(c, chunk, 65536, 0);
    if (n < 0) {
      CHECK(errno == EAGAIN);
      break;
    }
    sent += n;
  }
  CHECK(sent > 0 && sent < 4096L * 65536);
  CHECK(!writable(c, 0));
  /* Draining it makes room again. */
  long got = 0;
  while (got < sent) {
    if (!readable(s, 5000)) break;
    ssize_t n = recv(s, chunk, 65536, 0);
    if (n <= 0) break;
    got += n;
  }
  CHECK(got == sent);
  CHECK(writable(c, 5000));

  /* End of stream: readable, recv 0; hang-up once both directions are shut. */
  CHECK(shutdown(c, SHUT_WR) == 0);
  CHECK(readable(s, 5000));
  CHECK(recv(s, buf, sizeof buf, 0) == 0);
  close(c);
  close(s);

  /* A non-blocking connect to a closed port: EINPROGRESS (or at once ECONNREFUSED), then SO_ERROR. */
  close(bs);
  close(b);
  int port = ntohs(a.sin_port);
  close(ls);
  int f = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  a.sin_port = htons(port);
  r = connect(f, (struct sockaddr *)&a, sizeof a);
  if (r == -1 && errno == EINPROGRESS) {
    CHECK(writable(f, 5000));
    err = 0;
    el = sizeof err;
    CHECK(getsockopt(f, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err == ECONNREFUSED);
    err = -1;
    CHECK(getsockopt(f, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err == 0); /* taken */
  } else {
    CHECK(r == -1 && errno == ECONNREFUSED);
  }
  close(f);
  return finish("nonblock");
}
