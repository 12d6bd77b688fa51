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
