/* Shared by the socket test programs (tests/net/README.md): checks that print what failed. */
#ifndef NET_TEST_H
#define NET_TEST_H
#include <isokernel.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

extern char **environ;
static int failures;

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      printf("FAIL %s:%d: %s (errno %d %s)\n", __FILE__, __LINE__, #cond, errno, strerror(errno)); \
      fflush(stdout);                                                                              \
      failures++;                                                                                  \
    }                                                                                              \
  } while (0)
/* A call that must fail with errno E. */
#define CHECK_ERR(call, E)                                                                               \
  do {                                                                                                   \
    errno = 0;                                                                                           \
    long r_ = (long)(call);                                                                              \
    if (r_ != -1 || errno != (E)) {                                                                      \
      printf("FAIL %s:%d: %s = %ld errno %d (%s), want -1 %s\n", __FILE__, __LINE__, #call, r_, errno, \
             strerror(errno), #E);                                                                       \
      fflush(stdout);                                                                                    \
      failures++;                                                                                        \
    }                                                                                                    \
  } while (0)

static inline int finish(const char *name) {
  if (failures == 0) printf("%s: ok\n", name);
  fflush(stdout);
  return failures ? 1 : 0;
}

/* Runs argv0 again with the given arguments; returns the pid. */
static inline pid_t spawn_self(const char *argv0, char *const args[]) {
  pid_t pid;
  char *argv[8];
  int n = 0;
  argv[n++] = (char *)argv0;
  for (int i = 0; args[i] && n < 7; i++) argv[n++] = args[i];
  argv[n] = 0;
  int err = posix_spawn(&pid, argv0, 0, 0, argv, environ);
  if (err) {
    printf("FAIL spawn %s: %s\n", argv0, strerror(err));
    exit(1);
  }
  return pid;
}

static inline int wait_ok(pid_t pid) {
  int st;
  if (waitpid(pid, &st, 0) != pid) return 0;
  return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/*
 * An IPv4 or (v6) IPv6 socket address in *ss: `addr` (text; NULL: the loopback address), port
 * `port`. Returns its length. An addr that does not parse is left as zeros (any address).
 */
static inline socklen_t inet_addr_of(struct sockaddr_storage *ss, int v6, const char *addr, int port) {
  memset(ss, 0, sizeof *ss);
  if (v6) {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(port);
    if (addr) inet_pton(AF_INET6, addr, &a->sin6_addr);
    else a->sin6_addr = in6addr_loopback;
    return sizeof *a;
  }
  struct sockaddr_in *a = (struct sockaddr_in *)ss;
  a->sin_family = AF_INET;
  a->sin_port = htons(port);
  if (addr) inet_pton(AF_INET, addr, &a->sin_addr);
  else a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return sizeof *a;
}

/* The port of an IPv4 or IPv6 socket address. */
static inline int inet_port_of(const struct sockaddr_storage *ss) {
  return ntohs(ss->ss_family == AF_INET6 ? ((const struct sockaddr_in6 *)ss)->sin6_port
                                         : ((const struct sockaddr_in *)ss)->sin_port);
}

/* Writes all of buf (a blocking socket). */
static inline int write_all(int fd, const void *buf, size_t n) {
  const char *p = buf;
  while (n > 0) {
    ssize_t k = write(fd, p, n);
    if (k <= 0) return -1;
    p += k;
    n -= (size_t)k;
  }
  return 0;
}
#endif
