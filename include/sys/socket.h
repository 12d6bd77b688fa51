/*
 * <sys/socket.h> for isokernel: wasi-libc's header, completed. wasi-libc for wasm32-wasi
 * declares only accept, send, recv, shutdown and getsockopt (over WASI's sock_* calls) and
 * defines few constants; libisokernel provides the whole BSD socket API over the kernel's
 * socket calls (docs/abi.md, "Sockets"), and this header declares it. Programs built with
 * `-I include` (as libisokernel's users are) get it in place of wasi-libc's.
 *
 * Numbering: families, types, SOCK_NONBLOCK/SOCK_CLOEXEC, SHUT_*, MSG_PEEK/MSG_WAITALL,
 * SOL_SOCKET and SO_TYPE are wasi-libc's; the rest are Linux's.
 */
#ifndef ISOKERNEL_SYS_SOCKET_H
#define ISOKERNEL_SYS_SOCKET_H

#include_next <sys/socket.h>

#ifdef __wasi__
#ifdef __cplusplus
extern "C" {
#endif

#ifndef AF_LOCAL
#define AF_LOCAL AF_UNIX
#endif
#ifndef PF_UNSPEC
#define PF_UNSPEC AF_UNSPEC
#define PF_INET AF_INET
#define PF_INET6 AF_INET6
#define PF_UNIX AF_UNIX
#define PF_LOCAL AF_UNIX
#endif

#ifndef SOMAXCONN
#define SOMAXCONN 4096
#endif

#ifndef SO_REUSEADDR
#define SO_REUSEADDR 2
#define SO_ERROR 4
#define SO_BROADCAST 6
#define SO_SNDBUF 7
#define SO_RCVBUF 8
#define SO_KEEPALIVE 9
#define SO_LINGER 13
#define SO_REUSEPORT 15
#define SO_RCVLOWAT 18
#define SO_SNDLOWAT 19
#define SO_ACCEPTCONN 30
#define SO_PROTOCOL 38
#define SO_DOMAIN 39
/* struct timeval (64-bit seconds and microseconds), as musl's 32-bit targets number them. */
#define SO_RCVTIMEO 66
#define SO_SNDTIMEO 67
#endif

#ifndef MSG_DONTWAIT
#define MSG_DONTWAIT 0x0040
#endif
#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0x4000
#endif

int socket(int domain, int type, int protocol);
int socketpair(int domain, int type, int protocol, int fds[2]);
int bind(int fd, const struct sockaddr *addr, socklen_t len);
int connect(int fd, const struct sockaddr *addr, socklen_t len);
int listen(int fd, int backlog);
int getsockname(int fd, struct sockaddr *__restrict addr, socklen_t *__restrict len);
int getpeername(int fd, struct sockaddr *__restrict addr, socklen_t *__restrict len);
ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *addr, socklen_t alen);
ssize_t recvfrom(int fd, void *__restrict buf, size_t len, int flags, struct sockaddr *__restrict addr,
                 socklen_t *__restrict alen);
ssize_t sendmsg(int fd, const struct msghdr *msg, int flags);
ssize_t recvmsg(int fd, struct msghdr *msg, int flags);
int setsockopt(int fd, int level, int name, const void *val, socklen_t len);

#ifdef __cplusplus
}
#endif
#endif /* __wasi__ */

#endif
