/*
 * Output: one buffer, for the descriptor last written (a builtin writes to one descriptor
 * at a time; switching flushes), and error messages in dash's format.
 */
#include "sh.h"

static char obuf[4096];
static size_t olen;
static int ofd = -1;
static int oerr; /* errno of a failed write since the last flush */

static int write_all(int fd, const char *s, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    s += w;
    n -= (size_t)w;
  }
  return 0;
}

int out_flush(int fd) {
  int r = 0;
  if (ofd == fd && olen > 0) {
    if (write_all(ofd, obuf, olen) < 0) oerr = errno;
    olen = 0;
  }
  if (ofd == fd && oerr) {
    errno = oerr;
    oerr = 0;
    r = -1;
  }
  return r;
}

void out_flush_all(void) {
  if (ofd >= 0) out_flush(ofd);
}

void out_mem(int fd, const char *s, size_t n) {
  if (fd != ofd) {
    if (ofd >= 0 && olen > 0 && write_all(ofd, obuf, olen) < 0) oerr = errno;
    olen = 0;
    ofd = fd;
  }
  if (olen + n > sizeof obuf) {
    if (olen > 0 && write_all(fd, obuf, olen) < 0) oerr = errno;
    olen = 0;
    if (n >= sizeof obuf) {
      if (write_all(fd, s, n) < 0) oerr = errno;
      return;
    }
  }
  memcpy(obuf + olen, s, n);
  olen += n;
}

void out_str(int fd, const char *s) { out_mem(fd, s, strlen(s)); }

void out_fmt(int fd, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n < sizeof tmp) {
    out_mem(fd, tmp, (size_t)n);
    return;
  }
  char *big = xmalloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  out_mem(fd, big, (size_t)n);
  free(big);
}

/* dash's format: NAME: LINE: [CONTEXT: ]message, the context being the builtin that is
 * running the code (eval, a dot script's name) or reporting the error. */
void sh_vwarn_ctx(const char *ctx, const char *fmt, va_list ap) {
  sbuf b = {0};
  sb_adds(&b, sh.name ? sh.name : "sh");
  sb_printf(&b, ": %d: ", sh.line);
  if (ctx) sb_printf(&b, "%s: ", ctx);
  char tmp[1024];
  vsnprintf(tmp, sizeof tmp, fmt, ap);
  sb_adds(&b, tmp);
  sb_addc(&b, '\n');
  out_flush_all();
  write_all(2, b.s, b.n);
  sb_free(&b);
}

void sh_vwarn(const char *fmt, va_list ap) { sh_vwarn_ctx(sh.ctx, fmt, ap); }

void sh_warn(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sh_vwarn(fmt, ap);
  va_end(ap);
}

void sh_error(int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sh_vwarn(fmt, ap);
  va_end(ap);
  sh.status = status;
  if (!sh.o.interactive) sh_exit(status);
  sh.jump = J_ERROR;
}

void sh_abort(int status) {
  sh.status = status;
  if (!sh.o.interactive) sh_exit(status);
  sh.jump = J_ERROR;
}

const char *errtext(int err) {
  switch (err) {
  case ENOENT: return "No such file";
  case ENOTDIR: return "Not a directory";
  case EACCES: return "Permission denied";
  case EISDIR: return "Is a directory";
  case EEXIST: return "File exists";
  case EBADF: return "Bad file descriptor";
  case EPERM: return "Operation not permitted";
  case EROFS: return "Read-only file system";
  case ENOSPC: return "No space left on device";
  case EMFILE: return "Too many open files";
  case ELOOP: return "Too many levels of symbolic links";
  case ENAMETOOLONG: return "File name too long";
  case EINVAL: return "Invalid argument";
  case ENOEXEC: return "Exec format error";
  case E2BIG: return "Argument list too long";
  case ENOMEM: return "Cannot allocate memory";
  case EAGAIN: return "Resource temporarily unavailable";
  case EINTR: return "Interrupted system call";
  case EPIPE: return "Broken pipe";
  case EIO: return "Input/output error";
  case ENXIO: return "No such device or address";
  case ETXTBSY: return "Text file busy";
  case ESPIPE: return "Illegal seek";
  case ECHILD: return "No child processes";
  case ESRCH: return "No such process";
  case ENOTEMPTY: return "Directory not empty";
  case EXDEV: return "Invalid cross-device link";
  case EFBIG: return "File too large";
  case ENOTSUP: return "Operation not supported";
  default: return strerror(err);
  }
}

const char *errtext_create(int err) {
  if (err == ENOENT) return "Directory nonexistent";
  return errtext(err);
}
