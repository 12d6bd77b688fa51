/*
 * <syslog.h> for isokernel (wasi-libc has none): syslog(3) over the kernel's log device
 * (docs/logging.md). Each message is one record per line in the kernel's log queue, with
 * the caller's pid, tag (openlog's ident, or the program's name), facility and severity;
 * syslogd writes it to /var/log. A full queue makes syslog() wait: nothing is dropped.
 * Numbers as glibc's and RFC 5424's.
 */
#ifndef _ISOKERNEL_SYSLOG_H
#define _ISOKERNEL_SYSLOG_H

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Severities (RFC 5424). */
#define LOG_EMERG 0
#define LOG_ALERT 1
#define LOG_CRIT 2
#define LOG_ERR 3
#define LOG_WARNING 4
#define LOG_NOTICE 5
#define LOG_INFO 6
#define LOG_DEBUG 7
#define LOG_PRIMASK 0x07
#define LOG_PRI(p) ((p) & LOG_PRIMASK)
#define LOG_MAKEPRI(fac, pri) ((fac) | (pri))

/* Facilities, shifted as in glibc (the code is LOG_FAC(f)). */
#define LOG_KERN (0 << 3)
#define LOG_USER (1 << 3)
#define LOG_MAIL (2 << 3)
#define LOG_DAEMON (3 << 3)
#define LOG_AUTH (4 << 3)
#define LOG_SYSLOG (5 << 3)
#define LOG_LPR (6 << 3)
#define LOG_NEWS (7 << 3)
#define LOG_UUCP (8 << 3)
#define LOG_CRON (9 << 3)
#define LOG_AUTHPRIV (10 << 3)
#define LOG_FTP (11 << 3)
#define LOG_LOCAL0 (16 << 3)
#define LOG_LOCAL1 (17 << 3)
#define LOG_LOCAL2 (18 << 3)
#define LOG_LOCAL3 (19 << 3)
#define LOG_LOCAL4 (20 << 3)
#define LOG_LOCAL5 (21 << 3)
#define LOG_LOCAL6 (22 << 3)
#define LOG_LOCAL7 (23 << 3)
#define LOG_NFACILITIES 24
#define LOG_FACMASK 0x03f8
#define LOG_FAC(p) (((p) & LOG_FACMASK) >> 3)

#define LOG_MASK(pri) (1 << (pri))
#define LOG_UPTO(pri) ((1 << ((pri) + 1)) - 1)

/* openlog options. LOG_PID is always in effect (records carry the pid); LOG_CONS, LOG_ODELAY,
 * LOG_NDELAY and LOG_NOWAIT change nothing here; LOG_PERROR also writes the message to stderr. */
#define LOG_PID 0x01
#define LOG_CONS 0x02
#define LOG_ODELAY 0x04
#define LOG_NDELAY 0x08
#define LOG_NOWAIT 0x10
#define LOG_PERROR 0x20

void openlog(const char *ident, int option, int facility);
void syslog(int priority, const char *format, ...) __attribute__((format(printf, 2, 3)));
void vsyslog(int priority, const char *format, va_list ap) __attribute__((format(printf, 2, 0)));
void closelog(void);
int setlogmask(int mask);

/*
 * A log stream: a descriptor whose lines become records tagged `tag` (1..64 printable
 * characters, no spaces), with `facility` (LOG_USER, LOG_DAEMON, ... as above) and
 * `severity` (LOG_INFO, ...). Give it to a child as its stdout or stderr. Returns the
 * descriptor, or -1 with errno EINVAL (tag, facility or severity) or EMFILE.
 */
int isk_log_open(const char *tag, int facility, int severity);

#ifdef __cplusplus
}
#endif

#endif
