/*
 * syslog(3) and isk_log_open over the kernel's log device (isokernel.log_write,
 * isokernel.log_open; docs/logging.md). <syslog.h> is include/syslog.h.
 *
 * A message is formatted (printf, with %m as strerror(errno)) and sent whole with one
 * log_write: the kernel makes one record per line and waits while its queue is full. The
 * tag is openlog's ident, or the program's name (argv[0]'s basename); characters a tag may not hold (spaces,
 * control characters) become '_'. Messages over LOG_WRITE_MAX (64 KiB) are cut there.
 */
#include <syslog.h>

#include <wasi/api.h>

#include "isk.h"

int __isk_sys_log_open(const char *tag, uint32_t tag_len, int32_t facility, int32_t severity, int32_t flags,
                       int32_t *fd_out) ISK_IMPORT(log_open);
int __isk_sys_log_write(const char *tag, uint32_t tag_len, int32_t facility, int32_t severity, const char *msg,
                        uint32_t msg_len) ISK_IMPORT(log_write);

#define TAG_MAX 64
#define MSG_MAX 65536

static char log_tag[TAG_MAX + 1];
static int log_option;
static int log_facility = LOG_USER;
static int log_mask = 0xff;

/* argv[0]'s last component, read from the kernel (wasi-libc keeps argv to itself). */
static const char *program_name(void) {
  static char name[TAG_MAX + 1];
  if (name[0] != '\0') return name;
  __wasi_size_t argc, size;
  if (__wasi_args_sizes_get(&argc, &size) != 0 || argc == 0) return NULL;
  char **argv = malloc(sizeof(char *) * argc);
  char *buf = malloc(size);
  if (argv && buf && __wasi_args_get((uint8_t **)argv, (uint8_t *)buf) == 0) {
    const char *slash = strrchr(argv[0], '/');
    const char *base = slash ? slash + 1 : argv[0];
    strncpy(name, base, TAG_MAX);
  }
  free(argv);
  free(buf);
  return name;
}

static void set_tag(const char *ident) {
  const char *s = ident;
  if (s == NULL || *s == '\0') {
    s = program_name();
    if (s == NULL || *s == '\0') s = "syslog";
  }
  size_t n = 0;
  for (; s[n] != '\0' && n < TAG_MAX; n++) {
    unsigned char c = (unsigned char)s[n];
    log_tag[n] = c <= 0x20 || c >= 0x7f ? '_' : (char)c;
  }
  log_tag[n] = '\0';
}

void openlog(const char *ident, int option, int facility) {
  set_tag(ident);
  log_option = option;
  if ((facility & ~LOG_FACMASK) == 0 && LOG_FAC(facility) < LOG_NFACILITIES && facility != 0) log_facility = facility;
}

void closelog(void) {
  log_tag[0] = '\0';
  log_option = 0;
  log_facility = LOG_USER;
}

int setlogmask(int mask) {
  int old = log_mask;
  if (mask != 0) log_mask = mask;
  return old;
}

/* The format with each %m replaced by the error's text (%% kept as it is). NULL on ENOMEM. */
static char *expand_m(const char *fmt, int err) {
  if (strstr(fmt, "%m") == NULL) return NULL;
  const char *msg = strerror(err);
  size_t mlen = strlen(msg), n = 0;
  for (const char *p = fmt; *p; p++) n += (p[0] == '%' && p[1] == 'm') ? mlen : 1;
  char *out = malloc(n * 2 + 1); /* '%' in the error text is doubled */
  if (out == NULL) return NULL;
  char *o = out;
  for (const char *p = fmt; *p; p++) {
    if (p[0] == '%' && p[1] == '%') {
      *o++ = *p++;
      *o++ = *p;
    } else if (p[0] == '%' && p[1] == 'm') {
      for (const char *q = msg; *q; q++) {
        if (*q == '%') *o++ = '%';
        *o++ = *q;
      }
      p++;
    } else {
      *o++ = *p;
    }
  }
  *o = '\0';
  return out;
}

void vsyslog(int priority, const char *format, va_list ap) {
  int saved = errno;
  int severity = LOG_PRI(priority);
  if (!(log_mask & LOG_MASK(severity))) return;
  int facility = priority & LOG_FACMASK ? priority & LOG_FACMASK : log_facility;
  if ((priority & ~(LOG_FACMASK | LOG_PRIMASK)) != 0 || LOG_FAC(facility) >= LOG_NFACILITIES) {
    errno = saved;
    return;
  }
  if (log_tag[0] == '\0') set_tag(NULL);
  char *fmt2 = expand_m(format, saved);
  char stackbuf[1024];
  char *buf = stackbuf;
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(stackbuf, sizeof stackbuf, fmt2 ? fmt2 : format, ap);
  if (n >= (int)sizeof stackbuf) {
    size_t size = (size_t)n + 1 > MSG_MAX ? MSG_MAX : (size_t)n + 1;
    char *big = malloc(size);
    if (big != NULL) {
      vsnprintf(big, size, fmt2 ? fmt2 : format, ap2);
      buf = big;
      n = (int)size - 1;
    } else {
      n = sizeof stackbuf - 1;
    }
  }
  va_end(ap2);
  if (n > 0) {
    __isk_sys_log_write(log_tag, strlen(log_tag), LOG_FAC(facility), severity, buf, (uint32_t)n);
    if (log_option & LOG_PERROR) {
      dprintf(2, "%s: %.*s%s", log_tag, n, buf, buf[n - 1] == '\n' ? "" : "\n");
    }
  } else if (n == 0) {
    __isk_sys_log_write(log_tag, strlen(log_tag), LOG_FAC(facility), severity, "", 0);
  }
  if (buf != stackbuf) free(buf);
  free(fmt2);
  errno = saved;
}

void syslog(int priority, const char *format, ...) {
  va_list ap;
  va_start(ap, format);
  vsyslog(priority, format, ap);
  va_end(ap);
}

int isk_log_open(const char *tag, int facility, int severity) {
  if (tag == NULL || (facility & ~LOG_FACMASK) != 0 || LOG_FAC(facility) >= LOG_NFACILITIES) {
    errno = EINVAL;
    return -1;
  }
  int32_t fd;
  int err = __isk_sys_log_open(tag, strlen(tag), LOG_FAC(facility), severity, 0, &fd);
  if (err) return __isk_ret(err);
  return fd;
}
