/*
 * <sys/un.h> for isokernel: Unix-domain socket addresses. wasi-libc's struct sockaddr_un
 * has no sun_path (WASI has no Unix sockets); isokernel has them (docs/abi.md, "Sockets"),
 * so this header, found before wasi-libc's with `-I include`, gives the POSIX struct.
 */
#ifndef ISOKERNEL_SYS_UN_H
#define ISOKERNEL_SYS_UN_H
#ifndef __wasi__
#include_next <sys/un.h>
#else
#define __wasilibc___struct_sockaddr_un_h
#define _SYS_UN_H

#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sockaddr_un {
  sa_family_t sun_family;
  char sun_path[108];
};

#if defined(_GNU_SOURCE) || defined(_BSD_SOURCE)
#include <string.h>
#define SUN_LEN(s) (2 + strlen((s)->sun_path))
#endif

#ifdef __cplusplus
}
#endif

#endif /* __wasi__ */
#endif
