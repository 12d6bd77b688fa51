/*
 * The BSD socket API over the kernel's socket calls (docs/abi.md, "Sockets"): socket,
 * socketpair, bind, listen, accept, accept4, connect, send, recv, sendto, recvfrom, sendmsg,
 * recvmsg, shutdown, getsockname, getpeername, setsockopt, getsockopt. They replace
 * wasi-libc's accept, send, recv, shutdown and getsockopt (which go through WASI's sock_*
 * calls and know no addresses or options). Addresses are wasi-libc's struct sockaddr_*
 * (with <sys/un.h> from include/); the kernel reads them as they are.
 */
#include "isk.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

int socket(int domain, int type, int protocol) {
  int32_t fd;
  int err = __isk_sys_socket(domain, type, protocol, &fd);
  if (err) return __isk_ret(err);
  return fd;
}

int socketpair(int domain, int type, int protocol, int fds[2]) {
  int32_t out[2];
  int err = __isk_sys_socketpair(domain, type, protocol, out);
  if (err) return __isk_ret(err);
  fds[0] = out[0];
  fds[1] = out[1];
  return 0;
}

int bind(int fd, const struct sockaddr *addr, socklen_t len) {
  return __isk_ret(__isk_sys_bind(fd, addr, len));
}

int listen(int fd, int backlog) {
  return __isk_ret(__isk_sys_listen(fd, backlog));
}

int accept4(int fd, struct sockaddr *__restrict addr, socklen_t *__restrict len, int flags) {
  int32_t out;
  int err = __isk_sys_accept(fd, len ? addr : 0, len, flags, &out);
  if (err) return __isk_ret(err);
  return out;
}

int accept(int fd, struct sockaddr *__restrict addr, socklen_t *__restrict len) {
  return accept4(fd, addr, len, 0);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len) {
  return __isk_ret(__isk_sys_connect(fd, addr, len));
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *addr, socklen_t alen) {
  uint32_t n;
  int err = __isk_sys_sendto(fd, buf, len, flags, addr, addr ? alen : 0, &n);
  if (err) return __isk_ret(err);
  return n;
}

ssize_t send(int fd, const void *buf, size_t len, int flags) {
  return sendto(fd, buf, len, flags, 0, 0);
}

ssize_t recvfrom(int fd, void *__restrict buf, size_t len, int flags, struct sockaddr *__restrict addr,
                 socklen_t *__restrict alen) {
  uint32_t n;
  int err = __isk_sys_recvfrom(fd, buf, len, flags, alen ? addr : 0, alen, &n);
  if (err) return __isk_ret(err);
  return n;
}

ssize_t recv(int fd, void *buf, size_t len, int flags) {
  return recvfrom(fd, buf, len, flags, 0, 0);
}

/* sendmsg/recvmsg: the iovecs through one buffer (a datagram must go whole); no ancillary data. */
ssize_t sendmsg(int fd, const struct msghdr *msg, int flags) {
  size_t total = 0;
  for (int i = 0; i < (int)msg->msg_iovlen; i++) total += msg->msg_iov[i].iov_len;
  if (msg->msg_iovlen == 1)
    return sendto(fd, msg->msg_iov[0].iov_base, total, flags, msg->msg_name, msg->msg_namelen);
  char *buf = malloc(total ? total : 1);
  if (!buf) {
    errno = ENOMEM;
    return -1;
  }
  size_t at = 0;
  for (int i = 0; i < (int)msg->msg_iovlen; i++) {
    memcpy(buf + at, msg->msg_iov[i].iov_base, msg->msg_iov[i].iov_len);
    at += msg->msg_iov[i].iov_len;
  }
  ssize_t n = sendto(fd, buf, total, flags, msg->msg_name, msg->msg_namelen);
  free(buf);
  return n;
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags) {
  size_t total = 0;
  for (int i = 0; i < (int)msg->msg_iovlen; i++) total += msg->msg_iov[i].iov_len;
  socklen_t alen = msg->msg_name ? msg->msg_namelen : 0;
  ssize_t n;
  if (msg->msg_iovlen == 1) {
    n = recvfrom(fd, msg->msg_iov[0].iov_base, total, flags, msg->msg_name, msg->msg_name ? &alen : 0);
  } else {
    char *buf = malloc(total ? total : 1);
    if (!buf) {
      errno = ENOMEM;
      return -1;
    }
    n = recvfrom(fd, buf, total, flags, msg->msg_name, msg->msg_name ? &alen : 0);
    size_t at = 0;
    for (int i = 0; n > 0 && i < (int)msg->msg_iovlen && at < (size_t)n; i++) {
      size_t k = msg->msg_iov[i].iov_len;
      if (k > (size_t)n - at) k = (size_t)n - at;
      memcpy(msg->msg_iov[i].iov_base, buf + at, k);
      at += k;
    }
    free(buf);
  }
  if (n < 0) return n;
  if (msg->msg_name) msg->msg_namelen = alen;
  msg->msg_controllen = 0;
  msg->msg_flags = 0;
  return n;
}

int shutdown(int fd, int how) {
  return __isk_ret(__isk_sys_shutdown(fd, how));
}

int getsockname(int fd, struct sockaddr *__restrict addr, socklen_t *__restrict len) {
  return __isk_ret(__isk_sys_getsockname(fd, addr, len));
}

int getpeername(int fd, struct sockaddr *__restrict addr, socklen_t *__restrict len) {
  return __isk_ret(__isk_sys_getpeername(fd, addr, len));
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len) {
  return __isk_ret(__isk_sys_setsockopt(fd, level, name, val, len));
}

int getsockopt(int fd, int level, int name, void *__restrict val, socklen_t *__restrict len) {
  return __isk_ret(__isk_sys_getsockopt(fd, level, name, val, len));
}
