/*
 * Terminals: termios(3), tcgetpgrp/tcsetpgrp/tcgetsid, ttyname, and ioctl() for the terminal
 * requests (TIOCGWINSZ ...) as well as wasi-libc's FIONREAD and FIONBIO, over the
 * `isokernel` module's tty_* calls (docs/abi.md, "Terminals"). isatty() is wasi-libc's: a
 * kernel terminal answers fd_fdstat_get as a character device without seek rights.
 */
#include "isk.h"

#include <stdarg.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <wasi/api.h>

int __isk_tty_getattr(int32_t fd, void *t) ISK_IMPORT(tty_getattr);
int __isk_tty_setattr(int32_t fd, int32_t action, const void *t) ISK_IMPORT(tty_setattr);
int __isk_tty_getwinsize(int32_t fd, void *ws) ISK_IMPORT(tty_getwinsize);
int __isk_tty_setwinsize(int32_t fd, const void *ws) ISK_IMPORT(tty_setwinsize);
int __isk_tty_getpgrp(int32_t fd, uint32_t *out) ISK_IMPORT(tty_getpgrp);
int __isk_tty_setpgrp(int32_t fd, int32_t pgid) ISK_IMPORT(tty_setpgrp);
int __isk_tty_getsid(int32_t fd, uint32_t *out) ISK_IMPORT(tty_getsid);
int __isk_tty_flush(int32_t fd, int32_t queue) ISK_IMPORT(tty_flush);
int __isk_tty_name(int32_t fd, char *buf, uint32_t len, uint32_t *out_len) ISK_IMPORT(tty_name);
int __isk_tty_isatty(int32_t fd) ISK_IMPORT(tty_isatty);

_Static_assert(sizeof(struct termios) == 60, "struct termios is Linux's 60 bytes");
_Static_assert(sizeof(struct winsize) == 8, "struct winsize is 8 bytes");

static int ret(int err) {
  if (err == 0) return 0;
  errno = err;
  return -1;
}

int tcgetattr(int fd, struct termios *t) {
  return ret(__isk_tty_getattr(fd, t));
}

int tcsetattr(int fd, int action, const struct termios *t) {
  return ret(__isk_tty_setattr(fd, action, t));
}

void cfmakeraw(struct termios *t) {
  t->c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
  t->c_oflag &= ~(tcflag_t)OPOST;
  t->c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
  t->c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
  t->c_cflag |= CS8;
  t->c_cc[VMIN] = 1;
  t->c_cc[VTIME] = 0;
}

speed_t cfgetispeed(const struct termios *t) {
  return t->__c_ispeed;
}

speed_t cfgetospeed(const struct termios *t) {
  return t->c_cflag & CBAUD;
}

static int valid_speed(speed_t s) {
  return (s & ~(speed_t)CBAUD) == 0 && (s <= B38400 || (s >= B57600 && s <= B460800));
}

int cfsetospeed(struct termios *t, speed_t speed) {
  if (!valid_speed(speed)) return ret(EINVAL);
  t->c_cflag = (t->c_cflag & ~(tcflag_t)CBAUD) | speed;
  t->__c_ospeed = speed;
  return 0;
}

int cfsetispeed(struct termios *t, speed_t speed) {
  if (!valid_speed(speed)) return ret(EINVAL);
  t->__c_ispeed = speed;
  return 0;
}

int cfsetspeed(struct termios *t, speed_t speed) {
  if (cfsetospeed(t, speed) != 0) return -1;
  return cfsetispeed(t, speed);
}

int tcflush(int fd, int queue) {
  return ret(__isk_tty_flush(fd, queue));
}

/* Output is never queued in the kernel: it has been passed on when write() returned. */
int tcdrain(int fd) {
  return ret(__isk_tty_isatty(fd));
}

int tcflow(int fd, int action) {
  int e = __isk_tty_isatty(fd);
  if (e != 0) return ret(e);
  if (action < TCOOFF || action > TCION) return ret(EINVAL);
  return 0;
}

int tcsendbreak(int fd, int duration) {
  (void)duration;
  return ret(__isk_tty_isatty(fd));
}

pid_t tcgetsid(int fd) {
  uint32_t sid = 0;
  int e = __isk_tty_getsid(fd, &sid);
  return e != 0 ? (pid_t)ret(e) : (pid_t)sid;
}

pid_t tcgetpgrp(int fd) {
  uint32_t pgrp = 0;
  int e = __isk_tty_getpgrp(fd, &pgrp);
  return e != 0 ? (pid_t)ret(e) : (pid_t)pgrp;
}

int tcsetpgrp(int fd, pid_t pgrp) {
  return ret(__isk_tty_setpgrp(fd, pgrp));
}

int ttyname_r(int fd, char *buf, size_t len) {
  uint32_t n = 0;
  int e = __isk_tty_name(fd, buf, (uint32_t)len, &n);
  return e; /* ttyname_r returns the error number */
}

char *ttyname(int fd) {
  static char name[32];
  int e = ttyname_r(fd, name, sizeof name);
  if (e != 0) {
    errno = e;
    return NULL;
  }
  return name;
}

/* FIONREAD: the bytes a read would return now, through a poll that does not wait. */
static int bytes_ready(int fd, int *out) {
  __wasi_subscription_t sub[2];
  __wasi_event_t ev[2];
  __wasi_size_t n = 0;
  sub[0].userdata = 1;
  sub[0].u.tag = __WASI_EVENTTYPE_FD_READ;
  sub[0].u.u.fd_read.file_descriptor = (__wasi_fd_t)fd;
  sub[1].userdata = 2;
  sub[1].u.tag = __WASI_EVENTTYPE_CLOCK;
  sub[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  sub[1].u.u.clock.timeout = 0;
  sub[1].u.u.clock.precision = 0;
  sub[1].u.u.clock.flags = 0;
  __wasi_errno_t e = __wasi_poll_oneoff(sub, ev, 2, &n);
  if (e != 0) return ret(e);
  *out = 0;
  for (__wasi_size_t i = 0; i < n; i++) {
    if (ev[i].userdata != 1) continue;
    if (ev[i].error != 0) return ret(ev[i].error);
    *out = ev[i].fd_readwrite.nbytes > 0x7fffffff ? 0x7fffffff : (int)ev[i].fd_readwrite.nbytes;
  }
  return 0;
}

int ioctl(int fd, int req, ...) {
  va_list ap;
  va_start(ap, req);
  void *arg = va_arg(ap, void *);
  va_end(ap);
  uint32_t u = 0;
  int e;
  switch (req) {
  case TIOCGWINSZ:
    return ret(__isk_tty_getwinsize(fd, arg));
  case TIOCSWINSZ:
    return ret(__isk_tty_setwinsize(fd, arg));
  case TCGETS:
    return ret(__isk_tty_getattr(fd, arg));
  case TCSETS:
  case TCSETSW:
  case TCSETSF:
    return ret(__isk_tty_setattr(fd, req - TCSETS, arg));
  case TIOCGPGRP:
    e = __isk_tty_getpgrp(fd, &u);
    if (e == 0) *(pid_t *)arg = (pid_t)u;
    return ret(e);
  case TIOCSPGRP:
    return ret(__isk_tty_setpgrp(fd, *(const pid_t *)arg));
  case TIOCGSID:
    e = __isk_tty_getsid(fd, &u);
    if (e == 0) *(pid_t *)arg = (pid_t)u;
    return ret(e);
  case FIONREAD:
  case TIOCINQ:
    return bytes_ready(fd, (int *)arg);
  case FIONBIO: {
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0) return -1;
    fl = *(const int *)arg ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
    return fcntl(fd, F_SETFL, fl);
  }
  default:
    /* EBADF for no descriptor, ENOTTY for any other request. */
    e = __isk_tty_isatty(fd);
    return ret(e == EBADF ? EBADF : ENOTTY);
  }
}
