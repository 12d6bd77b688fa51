// Unix-domain sockets: a stream echo server at a path with a client it spawns, socketpair,
// datagrams with the sender's name, the names' lifetimes (EADDRINUSE, ECONNREFUSED, ENOENT),
// the socket inode (S_ISSOCK), and the abstract namespace.
#include "net_test.h"
#include <stddef.h>
#include <sys/stat.h>

static socklen_t un(struct sockaddr_un *a, const char *path) {
  memset(a, 0, sizeof *a);
  a->sun_family = AF_UNIX;
  strcpy(a->sun_path, path);
  return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

static int client(const char *path) {
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un a;
  socklen_t l = un(&a, path);
  CHECK(connect(fd, (struct sockaddr *)&a, l) == 0);
  struct sockaddr_un peer;
  socklen_t pl = sizeof peer;
  CHECK(getpeername(fd, (struct sockaddr *)&peer, &pl) == 0 && strcmp(peer.sun_path, path) == 0);
  size_t big = 300000;
  char *out = malloc(big), *in = malloc(big);
  for (size_t i = 0; i < big; i++) out[i] = (char)(i % 251);
  CHECK(write_all(fd, out, big) == 0);
  CHECK(shutdown(fd, SHUT_WR) == 0);
  size_t got = 0;
  ssize_t k;
  while ((k = read(fd, in + got, big - got)) > 0) got += k;
  CHECK(k == 0 && got == big && memcmp(in, out, big) == 0);
  close(fd);
  return failures ? 1 : 0;
}

int main(int argc, char **argv) {
  if (argc > 2 && strcmp(argv[1], "client") == 0) return client(argv[2]);
  char path[64];
  snprintf(path, sizeof path, "/tmp/unix_echo.%d.sock", (int)getpid());
  unlink(path);
  int ls = socket(AF_UNIX, SOCK_STREAM, 0);
  CHECK(ls >= 0);
  struct sockaddr_un a;
  socklen_t l = un(&a, path);
  CHECK(bind(ls, (struct sockaddr *)&a, l) == 0);
  struct stat st;
  CHECK(stat(path, &st) == 0 && S_ISSOCK(st.st_mode));
  CHECK_ERR(open(path, O_RDONLY), ENXIO);
  int other = socket(AF_UNIX, SOCK_STREAM, 0);
  CHECK_ERR(bind(other, (struct sockaddr *)&a, l), EADDRINUSE);
  CHECK_ERR(connect(other, (struct sockaddr *)&a, l), ECONNREFUSED); /* bound, not listening */
  CHECK(listen(ls, 4) == 0);
  struct sockaddr_un got;
  socklen_t gl = sizeof got;
  CHECK(getsockname(ls, (struct sockaddr *)&got, &gl) == 0 && gl == l && strcmp(got.sun_path, path) == 0);

  char *args[] = {"client", path, 0};
  pid_t pid = spawn_self(argv[0], args);
  int c = accept(ls, 0, 0);
  CHECK(c >= 0);
  char buf[8192];
  ssize_t n;
  while ((n = read(c, buf, sizeof buf)) > 0) CHECK(write_all(c, buf, n) == 0);
  CHECK(n == 0);
  close(c);
  CHECK(wait_ok(pid));

  /* The name outlives the socket: EADDRINUSE to bind, ECONNREFUSED to connect, until unlinked. */
  close(ls);
  CHECK_ERR(connect(other, (struct sockaddr *)&a, l), ECONNREFUSED);
  int again = socket(AF_UNIX, SOCK_STREAM, 0);
  CHECK_ERR(bind(again, (struct sockaddr *)&a, l), EADDRINUSE);
  CHECK(unlink(path) == 0);
  CHECK_ERR(connect(other, (struct sockaddr *)&a, l), ENOENT);
  CHECK(bind(again, (struct sockaddr *)&a, l) == 0);
  close(again);
  unlink(path);
  close(other);

  /* socketpair: both ways, end of stream, EPIPE once the other end is gone. */
  int sv[2];
  CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
  CHECK(write(sv[0], "ping", 4) == 4);
  CHECK(read(sv[1], buf, sizeof buf) == 4 && memcmp(buf, "ping", 4) == 0);
  CHECK(send(sv[1], "pong", 4, 0) == 4);
  CHECK(recv(sv[0], buf, 2, MSG_PEEK) == 2 && memcmp(buf, "po", 2) == 0);
  CHECK(recv(sv[0], buf, sizeof buf, 0) == 4 && memcmp(buf, "pong", 4) == 0);
  close(sv[1]);
  CHECK(read(sv[0], buf, sizeof buf) == 0);
  CHECK_ERR(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
  close(sv[0]);

  /* Datagrams: message boundaries, the sender's name, truncation. */
  char dpath[64], cpath[64];
  snprintf(dpath, sizeof dpath, "/tmp/unix_dgram.%d.sock", (int)getpid());
  snprintf(cpath, sizeof cpath, "/tmp/unix_dgram_c.%d.sock", (int)getpid());
  unlink(dpath);
  unlink(cpath);
  int ds = socket(AF_UNIX, SOCK_DGRAM, 0), dc = socket(AF_UNIX, SOCK_DGRAM, 0);
  struct sockaddr_un da, ca;
  socklen_t dl = un(&da, dpath), cl = un(&ca, cpath);
  CHECK(bind(ds, (struct sockaddr *)&da, dl) == 0);
  CHECK(bind(dc, (struct sockaddr *)&ca, cl) == 0);
  CHECK(sendto(dc, "one", 3, 0, (struct sockaddr *)&da, dl) == 3);
  CHECK(sendto(dc, "second", 6, 0, (struct sockaddr *)&da, dl) == 6);
  struct sockaddr_un from;
  socklen_t fl = sizeof from;
  CHECK(recvfrom(ds, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl) == 3 && memcmp(buf, "one", 3) == 0);
  CHECK(strcmp(from.sun_path, cpath) == 0);
  CHECK(recv(ds, buf, 3, 0) == 3); /* "second" cut to 3 bytes; the rest is gone */
  CHECK(recv(ds, buf, sizeof buf, MSG_DONTWAIT) == -1 && errno == EAGAIN);
  CHECK(connect(dc, (struct sockaddr *)&da, dl) == 0);
  CHECK(send(dc, "via connect", 11, 0) == 11);
  CHECK(recv(ds, buf, sizeof buf, 0) == 11);
  close(ds);
  CHECK_ERR(send(dc, "x", 1, 0), ECONNREFUSED);
  close(dc);
  unlink(dpath);
  unlink(cpath);

  /* The abstract namespace (Linux): no file. */
  struct sockaddr_un ab;
  memset(&ab, 0, sizeof ab);
  ab.sun_family = AF_UNIX;
  memcpy(ab.sun_path, "\0isk-abstract", 13);
  socklen_t abl = offsetof(struct sockaddr_un, sun_path) + 13;
  int as = socket(AF_UNIX, SOCK_STREAM, 0), ac = socket(AF_UNIX, SOCK_STREAM, 0);
  CHECK(bind(as, (struct sockaddr *)&ab, abl) == 0);
  CHECK(listen(as, 1) == 0);
  CHECK(connect(ac, (struct sockaddr *)&ab, abl) == 0);
  int aa = accept(as, 0, 0);
  CHECK(aa >= 0 && write(ac, "abs", 3) == 3 && read(aa, buf, 3) == 3);
  close(aa);
  close(ac);
  close(as);
  return finish("unix_echo");
}
