/*
 * cmd.h: what every command of the userland shares (header-only: each cmd/NAME.c is compiled
 * alone). Error messages in GNU's words and quoting, glibc's strerror wording, checked
 * allocation, number parsing, human-readable sizes, and flushing stdout at exit.
 *
 * Every helper is `static inline` so that a command which does not use one gets no
 * unused-function warning.
 */
#ifndef USERLAND_CMD_H
#define USERLAND_CMD_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* memmem, strcasestr, getline and friends */
#endif
#include <isokernel.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *progname __attribute__((unused)) = "?";

/* glibc's wording where wasi-libc's (musl's) differs: GNU tools print glibc's. */
static inline const char *gnu_strerror(int e) {
  switch (e) {
  case EADDRINUSE: return "Address already in use";
  case EADDRNOTAVAIL: return "Cannot assign requested address";
  case EBUSY: return "Device or resource busy";
  case ECHILD: return "No child processes";
  case ECONNABORTED: return "Software caused connection abort";
  case EDEADLK: return "Resource deadlock avoided";
  case EDOM: return "Numerical argument out of domain";
  case EDQUOT: return "Disk quota exceeded";
  case EHOSTUNREACH: return "No route to host";
  case EILSEQ: return "Invalid or incomplete multibyte or wide character";
  case EINPROGRESS: return "Operation now in progress";
  case EIO: return "Input/output error";
  case EISCONN: return "Transport endpoint is already connected";
  case ELOOP: return "Too many levels of symbolic links";
  case EMFILE: return "Too many open files";
  case EMSGSIZE: return "Message too long";
  case ENAMETOOLONG: return "File name too long";
  case ENETRESET: return "Network dropped connection on reset";
  case ENETUNREACH: return "Network is unreachable";
  case ENOMEM: return "Cannot allocate memory";
  case ENOTCONN: return "Transport endpoint is not connected";
  case ENOTSOCK: return "Socket operation on non-socket";
  case ENOTSUP: return "Operation not supported";
  case ENOTTY: return "Inappropriate ioctl for device";
  case EOVERFLOW: return "Value too large for defined data type";
  case EOWNERDEAD: return "Owner died";
  case ERANGE: return "Numerical result out of range";
  case ESPIPE: return "Illegal seek";
  case ETIMEDOUT: return "Connection timed out";
  case EXDEV: return "Invalid cross-device link";
  default: return strerror(e);
  }
}

static inline int utf8_messages(void);
static inline int utf8_ctype(void);

/* Call first in main: the program's name for messages, and the locale as it was at start. */
static inline void cmd_init(int argc, char **argv) {
  (void)argc;
  if (argv[0] && argv[0][0]) progname = argv[0];
  (void)utf8_messages();
  (void)utf8_ctype();
}

/* "prog: MESSAGE\n" */
static inline void warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void warnx(const char *fmt, ...) {
  va_list ap;
  fflush(stdout);
  fprintf(stderr, "%s: ", progname);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

/* "prog: " and FMT, a format chosen at run time with one string argument ARG, without a
 * newline (the caller ends the line as it needs). */
static inline void warn_start(const char *fmt, const char *arg) {
  fflush(stdout);
  fprintf(stderr, "%s: ", progname);
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat-nonliteral"
  fprintf(stderr, fmt, arg);
#pragma clang diagnostic pop
}

/* "prog: MESSAGE: strerror(e)\n" */
static inline void warne(int e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void warne(int e, const char *fmt, ...) {
  va_list ap;
  fflush(stdout);
  fprintf(stderr, "%s: ", progname);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, ": %s\n", gnu_strerror(e));
}

/* GNU's "Try 'prog --help' for more information." after a usage error. */
static inline void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void usage_error(const char *fmt, ...) {
  if (fmt) {
    va_list ap;
    fprintf(stderr, "%s: ", progname);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
  }
  fprintf(stderr, "Try '%s --help' for more information.\n", progname);
}

static inline void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    warnx("memory exhausted");
    exit(1);
  }
  return p;
}

static inline void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) {
    warnx("memory exhausted");
    exit(1);
  }
  return p;
}

static inline char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  return memcpy(xmalloc(n), s, n);
}

/* DIR + "/" + NAME, without doubling a slash. */
static inline char *path_join(const char *dir, const char *name) {
  size_t a = strlen(dir), b = strlen(name);
  char *p = xmalloc(a + b + 2);
  memcpy(p, dir, a);
  if (a && dir[a - 1] != '/') p[a++] = '/';
  memcpy(p + a, name, b + 1);
  return p;
}

/* The last component, as basename(1) has it, in a static buffer. */
static inline const char *last_component(const char *path) {
  static char buf[PATH_MAX];
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/') n--;
  size_t start = n;
  while (start > 0 && path[start - 1] != '/') start--;
  if (n - start >= sizeof buf) n = start + sizeof buf - 1;
  memcpy(buf, path + start, n - start);
  buf[n - start] = 0;
  if (buf[0] == 0 && path[0] == '/') strcpy(buf, "/");
  return buf;
}

/* ------------------------------------------------------------------------------ quoting */

/* Characters the shell never needs quoted (GNU's shell-escape style). */
static inline int shell_safe(unsigned char c) {
  return isalnum(c) || strchr("%+,-./:=@^_", c) != NULL || c >= 0x80;
}

static inline int needs_quoting(const char *s) {
  if (!*s || *s == '~' || *s == '#') return 1;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (!shell_safe(*p)) return 1;
  return 0;
}

/* Quotes S as GNU's shell-escape-always style does: 'x', "it's", 'a'\''b', 'a'$'\n''b'.
 * Returns one of a few rotating static buffers. */
static inline const char *quote(const char *s) {
  static char *bufs[4];
  static int which;
  char **slot = &bufs[which++ % 4];
  size_t n = strlen(s);
  free(*slot);
  char *out = *slot = xmalloc(n * 7 + 3);
  char *o = out;
  int has_sq = 0, dq_ok = 1;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '\'') has_sq = 1;
    if (*p < 0x20 || *p == 0x7f || strchr("\"$`\\", *p)) dq_ok = 0;
  }
  if (has_sq && dq_ok) {
    *o++ = '"';
    memcpy(o, s, n);
    o += n;
    *o++ = '"';
    *o = 0;
    return out;
  }
  *o++ = '\'';
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '\'') {
      memcpy(o, "'\\''", 4);
      o += 4;
    } else if (*p < 0x20 || *p == 0x7f) {
      const char *e = NULL;
      switch (*p) {
      case '\a': e = "a"; break;
      case '\b': e = "b"; break;
      case '\f': e = "f"; break;
      case '\n': e = "n"; break;
      case '\r': e = "r"; break;
      case '\t': e = "t"; break;
      case '\v': e = "v"; break;
      }
      if (e) o += sprintf(o, "'$'\\%s''", e);
      else o += sprintf(o, "'$'\\%03o''", *p);
    } else {
      *o++ = (char)*p;
    }
  }
  *o++ = '\'';
  *o = 0;
  /* GNU drops an empty '' left at either end by an escape ("'a'$'\n'''" -> "'a'$'\n'"). */
  size_t len = (size_t)(o - out);
  if (len > 4 && strcmp(out + len - 2, "''") == 0 && out[len - 3] == '\'') out[len - 2] = 0;
  if (strncmp(out, "''$", 3) == 0) memmove(out, out + 2, strlen(out + 2) + 1);
  return out;
}

/* Whether messages are in a UTF-8 locale (LC_ALL, else LC_MESSAGES, else LANG), where GNU
 * quotes with U+2018/U+2019 instead of apostrophes. */
static inline int utf8_messages(void) {
  static int known = -1;
  if (known < 0) {
    const char *v = getenv("LC_ALL");
    if (!v || !*v) v = getenv("LC_MESSAGES");
    if (!v || !*v) v = getenv("LANG");
    known = v && (strstr(v, "UTF-8") || strstr(v, "utf-8") || strstr(v, "UTF8") || strstr(v, "utf8"));
  }
  return known;
}

/* Whether characters are UTF-8 (LC_ALL, else LC_CTYPE, else LANG names a UTF-8 locale). */
static inline int utf8_ctype(void) {
  static int known = -1;
  if (known < 0) {
    const char *v = getenv("LC_ALL");
    if (!v || !*v) v = getenv("LC_CTYPE");
    if (!v || !*v) v = getenv("LANG");
    known = v && (strstr(v, "UTF-8") || strstr(v, "utf-8") || strstr(v, "UTF8") || strstr(v, "utf8"));
  }
  return known;
}

/* GNU's locale quoting, used for operands in usage messages ("extra operand 'c'"):
 * 'x' in the C locale, \u2018x\u2019 in a UTF-8 one. Rotating static buffers. */
static inline const char *quote_loc(const char *s) {
  static char *bufs[4];
  static int which;
  char **slot = &bufs[which++ % 4];
  free(*slot);
  size_t n = strlen(s);
  char *o = *slot = xmalloc(n * 4 + 8);
  const char *open = utf8_messages() ? "\xe2\x80\x98" : "'", *close = utf8_messages() ? "\xe2\x80\x99" : "'";
  size_t k = 0;
  k += (size_t)sprintf(o + k, "%s", open);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '\\' || *p < 0x20 || *p == 0x7f) {
      const char *e = NULL;
      switch (*p) {
      case '\\': e = "\\\\"; break;
      case '\n': e = "\\n"; break;
      case '\t': e = "\\t"; break;
      }
      if (e) k += (size_t)sprintf(o + k, "%s", e);
      else k += (size_t)sprintf(o + k, "\\%03o", *p);
    } else {
      o[k++] = (char)*p;
    }
  }
  sprintf(o + k, "%s", close);
  return o;
}

/* As quote(), only when needed (GNU's quotef): "cat: x: ...", "cat: 'a b': ...". */
static inline const char *quotef(const char *s) { return needs_quoting(s) ? quote(s) : s; }

/* ---------------------------------------------------------------------------- numbers */

/* A whole decimal number with optional sign; 0 if S is not one or is out of range. */
static inline int parse_ll(const char *s, long long *out) {
  char *end;
  if (!*s) return 0;
  while (isspace((unsigned char)*s)) s++;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || end == s || *end) return 0;
  *out = v;
  return 1;
}

/* A count with an optional multiplier suffix, as head/tail/du take: b 512, K/KiB 1024,
 * KB 1000, M, MB, G, GB, T, ... Returns 0 if invalid. */
static inline int parse_size(const char *s, unsigned long long *out) {
  char *end;
  if (!isdigit((unsigned char)*s)) return 0;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno) return 0;
  if (*end) {
    static const char units[] = "KMGTPEZY";
    unsigned long long mul = 1;
    if (strcmp(end, "b") == 0) mul = 512;
    else if (strcmp(end, "c") == 0) mul = 1;
    else if (strcmp(end, "w") == 0) mul = 2;
    else {
      char u = (char)toupper((unsigned char)end[0]);
      if (u == 'k') u = 'K';
      const char *at = strchr(units, u);
      if (!at || !*end) return 0;
      unsigned base = 1024;
      if (strcmp(end + 1, "B") == 0) base = 1000;
      else if (end[1] && strcmp(end + 1, "iB") != 0) return 0;
      for (long i = 0; i <= at - units; i++) {
        if (mul > ULLONG_MAX / base) return 0;
        mul *= base;
      }
    }
    if (v && mul > ULLONG_MAX / v) return 0;
    v *= mul;
  }
  *out = v;
  return 1;
}

/* GNU's human-readable size (ls -h, du -h, df -h): powers of 1024, rounded up, one
 * decimal below 10: 1023, 1.0K, 1.1K, 10K, 1.5M. */
static inline const char *human_size(unsigned long long n, char *buf, size_t len) {
  static const char units[] = "KMGTPEZY";
  if (n < 1024) {
    snprintf(buf, len, "%llu", n);
    return buf;
  }
  int u = -1;
  unsigned long long whole = n, rem = 0, div = 1;
  while (whole >= 1024 && u < 7) {
    div *= 1024;
    u++;
    whole = n / div;
    rem = n % div;
  }
  if (whole < 10) {
    /* tenths, rounded up */
    unsigned long long tenths = whole * 10 + (rem * 10 + div - 1) / div;
    if (tenths >= 100) {
      snprintf(buf, len, "%llu%c", (tenths + 9) / 10, units[u]);
    } else {
      snprintf(buf, len, "%llu.%llu%c", tenths / 10, tenths % 10, units[u]);
    }
  } else {
    unsigned long long v = whole + (rem ? 1 : 0);
    if (v >= 1024 && u < 7) {
      snprintf(buf, len, "1.0%c", units[u + 1]);
    } else {
      snprintf(buf, len, "%llu%c", v, units[u]);
    }
  }
  return buf;
}

/* --------------------------------------------------------------------------- output */

/* Flushes stdout; on failure says "write error" as GNU does and returns 1. */
static inline int close_stdout(void) {
  if (fflush(stdout) != 0 || ferror(stdout)) {
    int e = errno;
    fprintf(stderr, "%s: write error", progname);
    if (e) fprintf(stderr, ": %s", gnu_strerror(e));
    fputc('\n', stderr);
    return 1;
  }
  return 0;
}

/* Writes all of BUF to FD; 0 or -1 with errno. */
static inline int write_all(int fd, const void *buf, size_t n) {
  const char *p = buf;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

#endif /* USERLAND_CMD_H */
