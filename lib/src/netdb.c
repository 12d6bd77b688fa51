/*
 * getaddrinfo, freeaddrinfo, gai_strerror, getnameinfo for isokernel's <netdb.h>. The
 * kernel resolves no names: a node is a numeric IPv4 or IPv6 address or "localhost"
 * (127.0.0.1 and ::1); any other name is EAI_NONAME. Services are numeric or one of a few
 * well-known names. With no node, the wildcard addresses (AI_PASSIVE) or the loopback ones.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

struct ai_block {
  struct addrinfo ai;
  union {
    struct sockaddr_in in;
    struct sockaddr_in6 in6;
  } sa;
};

static const struct {
  const char *name;
  int port;
} services[] = {
    {"ftp", 21}, {"ssh", 22}, {"telnet", 23}, {"smtp", 25}, {"domain", 53}, {"http", 80}, {"pop3", 110},
    {"ntp", 123}, {"imap", 143}, {"snmp", 161}, {"https", 443}, {"syslog", 514}, {"nrpe", 5666},
};

static int service_port(const char *service, int flags, int *port) {
  if (!service || !*service) {
    *port = 0;
    return 0;
  }
  char *end;
  unsigned long v = strtoul(service, &end, 10);
  if (*end == '\0') {
    if (v > 65535) return EAI_SERVICE;
    *port = (int)v;
    return 0;
  }
  if (flags & AI_NUMERICSERV) return EAI_NONAME;
  for (size_t i = 0; i < sizeof services / sizeof services[0]; i++) {
    if (strcmp(services[i].name, service) == 0) {
      *port = services[i].port;
      return 0;
    }
  }
  return EAI_SERVICE;
}

static int add(struct addrinfo ***tail, int family, const void *addr, int port, int socktype, int protocol, int flags) {
  struct ai_block *b = calloc(1, sizeof *b);
  if (!b) return EAI_MEMORY;
  b->ai.ai_flags = flags;
  b->ai.ai_family = family;
  b->ai.ai_socktype = socktype;
  b->ai.ai_protocol = protocol;
  b->ai.ai_addr = (struct sockaddr *)&b->sa;
  if (family == AF_INET) {
    b->sa.in.sin_family = AF_INET;
    b->sa.in.sin_port = htons((uint16_t)port);
    memcpy(&b->sa.in.sin_addr, addr, 4);
    b->ai.ai_addrlen = sizeof(struct sockaddr_in);
  } else {
    b->sa.in6.sin6_family = AF_INET6;
    b->sa.in6.sin6_port = htons((uint16_t)port);
    memcpy(&b->sa.in6.sin6_addr, addr, 16);
    b->ai.ai_addrlen = sizeof(struct sockaddr_in6);
  }
  **tail = &b->ai;
  *tail = &b->ai.ai_next;
  return 0;
}

int getaddrinfo(const char *__restrict node, const char *__restrict service, const struct addrinfo *__restrict hints,
                struct addrinfo **__restrict res) {
  int flags = hints ? hints->ai_flags : 0;
  int family = hints ? hints->ai_family : AF_UNSPEC;
  int socktype = hints ? hints->ai_socktype : 0;
  int protocol = hints ? hints->ai_protocol : 0;
  if (!node && !service) return EAI_NONAME;
  if (flags & ~(AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_V4MAPPED | AI_ALL | AI_ADDRCONFIG | AI_NUMERICSERV))
    return EAI_BADFLAGS;
  if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6) return EAI_FAMILY;
  if (socktype != 0 && socktype != SOCK_STREAM && socktype != SOCK_DGRAM) return EAI_SOCKTYPE;
  if (protocol != 0 && protocol != IPPROTO_TCP && protocol != IPPROTO_UDP) return EAI_SOCKTYPE;
  if ((socktype == SOCK_STREAM && protocol == IPPROTO_UDP) || (socktype == SOCK_DGRAM && protocol == IPPROTO_TCP))
    return EAI_SOCKTYPE;
  int port;
  int err = service_port(service, flags, &port);
  if (err) return err;

  /* The addresses, IPv4 first. */
  unsigned char v4[4], v6[16];
  int have4 = 0, have6 = 0;
  if (!node) {
    uint32_t a = htonl((flags & AI_PASSIVE) ? INADDR_ANY : INADDR_LOOPBACK);
    memcpy(v4, &a, 4);
    memset(v6, 0, 16);
    if (!(flags & AI_PASSIVE)) v6[15] = 1;
    have4 = have6 = 1;
  } else if (inet_pton(AF_INET, node, v4) == 1) {
    have4 = 1;
  } else {
    char buf[64];
    const char *pct = strchr(node, '%');
    size_t n = pct ? (size_t)(pct - node) : strlen(node);
    if (n < sizeof buf) {
      memcpy(buf, node, n);
      buf[n] = '\0';
      if (inet_pton(AF_INET6, buf, v6) == 1) have6 = 1;
    }
    if (!have6) {
      if (flags & AI_NUMERICHOST) return EAI_NONAME;
      if (strcasecmp(node, "localhost") == 0 || strcasecmp(node, "localhost.localdomain") == 0 ||
          strcasecmp(node, "ip6-localhost") == 0 || strcasecmp(node, "ip6-loopback") == 0) {
        uint32_t a = htonl(INADDR_LOOPBACK);
        memcpy(v4, &a, 4);
        memset(v6, 0, 16);
        v6[15] = 1;
        have4 = strncasecmp(node, "ip6-", 4) != 0;
        have6 = 1;
      } else {
        return EAI_NONAME;
      }
    }
  }
  if (family == AF_INET) have6 = 0;
  if (family == AF_INET6) {
    if (have4 && !have6 && (flags & AI_V4MAPPED)) {
      memset(v6, 0, 10);
      v6[10] = v6[11] = 0xff;
      memcpy(v6 + 12, v4, 4);
      have6 = 1;
    }
    have4 = 0;
  }
  if (!have4 && !have6) return EAI_NONAME;

  struct addrinfo *head = 0, **tail = &head;
  static const int types[2][2] = {{SOCK_STREAM, IPPROTO_TCP}, {SOCK_DGRAM, IPPROTO_UDP}};
  for (int fam = 0; fam < 2; fam++) {
    if (fam == 0 ? !have4 : !have6) continue;
    for (int t = 0; t < 2; t++) {
      if (socktype && socktype != types[t][0]) continue;
      if (protocol && protocol != types[t][1]) continue;
      err = add(&tail, fam == 0 ? AF_INET : AF_INET6, fam == 0 ? (void *)v4 : (void *)v6, port, types[t][0],
                types[t][1], flags);
      if (err) {
        freeaddrinfo(head);
        return err;
      }
    }
  }
  if (head && (flags & AI_CANONNAME) && node) {
    head->ai_canonname = strdup(node);
    if (!head->ai_canonname) {
      freeaddrinfo(head);
      return EAI_MEMORY;
    }
  }
  *res = head;
  return 0;
}

void freeaddrinfo(struct addrinfo *res) {
  while (res) {
    struct addrinfo *next = res->ai_next;
    free(res->ai_canonname);
    free(res);
    res = next;
  }
}

const char *gai_strerror(int err) {
  switch (err) {
  case 0: return "Success";
  case EAI_BADFLAGS: return "Invalid flags";
  case EAI_NONAME: return "Name does not resolve";
  case EAI_AGAIN: return "Try again";
  case EAI_FAIL: return "Non-recoverable error";
  case EAI_NODATA: return "No data";
  case EAI_FAMILY: return "Unrecognized address family or invalid length";
  case EAI_SOCKTYPE: return "Unrecognized socket type";
  case EAI_SERVICE: return "Unrecognized service";
  case EAI_MEMORY: return "Out of memory";
  case EAI_SYSTEM: return "System error";
  case EAI_OVERFLOW: return "Overflow";
  default: return "Unknown error";
  }
}

int getnameinfo(const struct sockaddr *__restrict sa, socklen_t salen, char *__restrict host, socklen_t hostlen,
                char *__restrict serv, socklen_t servlen, int flags) {
  const void *addr;
  int port;
  int family;
  if (!sa || salen < sizeof(sa_family_t)) return EAI_FAMILY;
  if (sa->sa_family == AF_INET) {
    if (salen < sizeof(struct sockaddr_in)) return EAI_FAMILY;
    const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
    addr = &in->sin_addr;
    port = ntohs(in->sin_port);
    family = AF_INET;
  } else if (sa->sa_family == AF_INET6) {
    if (salen < 28) return EAI_FAMILY;
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
    addr = &in6->sin6_addr;
    port = ntohs(in6->sin6_port);
    family = AF_INET6;
  } else {
    return EAI_FAMILY;
  }
  if (host && hostlen) {
    if (flags & NI_NAMEREQD) return EAI_NONAME;
    if (!inet_ntop(family, addr, host, hostlen)) return EAI_OVERFLOW;
  }
  if (serv && servlen) {
    int n = snprintf(serv, servlen, "%d", port);
    if (n < 0 || (socklen_t)n >= servlen) return EAI_OVERFLOW;
  }
  return 0;
}
