// A plain WASI program (built without libisokernel): serves connections on the listening
// socket the host preopened as fd 3 (`isokernel run --listen`), through wasi-libc's accept,
// recv, send and shutdown — WASI's sock_accept, sock_recv, sock_send, sock_shutdown. Each
// connection gets "echo: " and what it sent, up to its end of stream. argv[1]: how many.
// Also checks that the directory preopens after fd 3 are still found (opens /dev/null).
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1;
  const char *listen_fds = getenv("LISTEN_FDS");
  if (!listen_fds || atoi(listen_fds) < 1) {
    printf("no LISTEN_FDS\n");
    return 1;
  }
  int devnull = open("/dev/null", O_WRONLY);
  if (devnull < 0) {
    printf("no preopened /: %s\n", strerror(errno));
    return 1;
  }
  close(devnull);
  int type = 0;
  socklen_t tl = sizeof type;
  if (getsockopt(3, SOL_SOCKET, SO_TYPE, &type, &tl) != 0 || type != SOCK_STREAM) {
    printf("fd 3 is not a stream socket\n");
    return 1;
  }
  for (int i = 0; i < n; i++) {
    /* wasi-libc's accept reads *addrlen even for a null address: give it one. */
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    int c = accept(3, (struct sockaddr *)&ss, &sl);
    if (c < 0) {
      printf("accept: %s\n", strerror(errno));
      return 1;
    }
    char buf[4096];
    size_t got = 0;
    for (;;) {
      ssize_t k = recv(c, buf + got, sizeof buf - got, 0);
      if (k < 0) {
        printf("recv: %s\n", strerror(errno));
        return 1;
      }
      if (k == 0 || got + k == sizeof buf) break;
      got += k;
    }
    char out[4200];
    int len = snprintf(out, sizeof out, "echo: %.*s", (int)got, buf);
    if (send(c, out, len, 0) != len) {
      printf("send: %s\n", strerror(errno));
      return 1;
    }
    shutdown(c, SHUT_WR);
    close(c);
  }
  printf("served %d\n", n);
  return 0;
}
