// The kernel's socket calls with hostile arguments (raw imports, no libc in between): wild
// pointers, huge lengths, bad descriptors, bad flags and families. Each must fail with its
// errno — never crash the process or the kernel — and a good call must still work after.
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define IMP(name) __attribute__((import_module("isokernel"), import_name(#name)))
int k_socket(int, int, int, void *) IMP(socket);
int k_socketpair(int, int, int, void *) IMP(socketpair);
int k_bind(int, const void *, uint32_t) IMP(bind);
int k_listen(int, int) IMP(listen);
int k_accept(int, void *, void *, int, void *) IMP(accept);
int k_connect(int, const void *, uint32_t) IMP(connect);
int k_sendto(int, const void *, uint32_t, int, const void *, uint32_t, void *) IMP(sendto);
int k_recvfrom(int, void *, uint32_t, int, void *, void *, void *) IMP(recvfrom);
int k_shutdown(int, int) IMP(shutdown);
int k_getsockname(int, void *, void *) IMP(getsockname);
int k_getpeername(int, void *, void *) IMP(getpeername);
int k_setsockopt(int, int, int, const void *, uint32_t) IMP(setsockopt);
int k_getsockopt(int, int, int, void *, void *) IMP(getsockopt);

static int failures;
#define T(call, want)                                                              \
  do {                                                                             \
    int r_ = (call);                                                               \
    if (r_ != (want)) {                                                            \
      printf("FAIL %d: %s = %d, want %s (%d)\n", __LINE__, #call, r_, #want, want); \
      failures++;                                                                  \
    }                                                                              \
  } while (0)

#define WILD ((void *)0xfffffff0u)
#define HUGE 0xffffffffu

int main(void) {
  int32_t fd = -1, pair[2];
  T(k_socket(1, 6, 0, WILD), EFAULT);
  T(k_socket(99, 6, 0, &fd), EAFNOSUPPORT);
  T(k_socket(1, 7, 0, &fd), EPROTOTYPE);
  T(k_socket(1, 6 | 0x100000, 0, &fd), EINVAL);
  T(k_socketpair(3, 6, 0, WILD), EFAULT);
  T(k_socket(1, 6, 0, &fd), 0);
  T(k_bind(fd, WILD, 16), EFAULT);
  T(k_bind(fd, 0, HUGE), EINVAL);
  T(k_bind(fd, &fd, 1), EINVAL);
  T(k_bind(12345, &fd, 16), EBADF);
  T(k_bind(1, &fd, 16), ENOTSOCK);
  T(k_connect(fd, WILD, 16), EFAULT);
  T(k_connect(fd, (void *)0xfffffff8u, 16), EFAULT);
  T(k_accept(fd, WILD, WILD, 0, WILD), EFAULT);
  T(k_accept(fd, 0, 0, 0x12345, &fd), EINVAL);
  uint32_t n = 0, len = HUGE;
  char buf[64];
  T(k_sendto(fd, WILD, 100, 0, 0, 0, &n), EFAULT);
  T(k_sendto(fd, buf, HUGE, 0, 0, 0, &n), EFAULT);
  T(k_sendto(fd, buf, 4, 0, 0, 0, WILD), EFAULT);
  T(k_recvfrom(fd, WILD, 100, 0, 0, 0, &n), EFAULT);
  T(k_recvfrom(fd, buf, HUGE, 0, 0, 0, &n), EFAULT);
  T(k_recvfrom(fd, buf, 4, 0, buf, WILD, &n), EFAULT);
  T(k_recvfrom(fd, buf, 4, 0, buf, 0, &n), EFAULT); /* an address, no length pointer: Linux's EFAULT */
  T(k_accept(fd, buf, 0, 0, &n), EFAULT);
  T(k_getsockname(fd, WILD, &len), EINVAL); /* a room over 2^31 */
  len = 64;
  T(k_getsockname(fd, WILD, &len), EFAULT);
  T(k_getsockname(fd, buf, WILD), EFAULT);
  T(k_getpeername(fd, buf, &len), ENOTCONN);
  T(k_setsockopt(fd, 0x7fffffff, 2, WILD, 4), EFAULT);
  T(k_setsockopt(fd, 0x7fffffff, 2, buf, 0), EINVAL);
  T(k_setsockopt(fd, 12345, 2, buf, 4), ENOPROTOOPT);
  T(k_getsockopt(fd, 0x7fffffff, 3, WILD, &len), EFAULT);
  T(k_getsockopt(fd, 0x7fffffff, 3, buf, WILD), EFAULT);
  len = 2;
  T(k_getsockopt(fd, 0x7fffffff, 3, buf, &len), EINVAL);
  T(k_shutdown(fd, 0), EINVAL);
  T(k_shutdown(fd, -1), EINVAL);
  T(k_listen(fd, -5), 0); /* binds to an ephemeral port, backlog SOMAXCONN */
  /* A Unix path far too long, and not NUL-terminated. */
  char un[300];
  memset(un, 'a', sizeof un);
  un[0] = 3;
  un[1] = 0;
  int32_t u;
  T(k_socket(3, 6, 0, &u), 0);
  T(k_bind(u, un, sizeof un), EINVAL);
  T(k_socketpair(3, 6, 0, pair), 0);
  T(k_sendto(pair[0], "ok", 2, 0, 0, 0, &n), 0);
  T(k_recvfrom(pair[1], buf, sizeof buf, 0, 0, 0, &n), 0);
  if (n != 2 || memcmp(buf, "ok", 2) != 0) {
    printf("FAIL: the pair did not carry the data\n");
    failures++;
  }
  if (failures == 0) printf("isk_hostile: ok\n");
  return failures != 0;
}
