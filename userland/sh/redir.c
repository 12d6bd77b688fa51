/*
 * Redirections. Every redirection is done in the shell itself, saving what it replaces:
 * a builtin or a function runs with them and the shell restores its descriptors after; a
 * program is spawned while they are in place and inherits them (spawn copies the
 * descriptor table), then the shell restores. Saved copies live at SH_FD_BASE or above,
 * close-on-exec, so children never see them.
 *
 * Here-documents go through a pipe, written before the command starts (a body up to the
 * pipe's capacity), or through an unlinked file in /tmp when larger.
 */
#include "sh.h"

struct save {
  int fd;    /* the descriptor redirected */
  int copy;  /* its saved copy, or -1 if it was closed */
};

struct savedfds {
  struct save *v;
  int n, cap;
};

#define PIPE_CAPACITY 65536

bool fd_is_open(int fd) { return fcntl(fd, F_GETFD) >= 0; }

int fd_move_high(int fd) {
  int n = fcntl(fd, F_DUPFD_CLOEXEC, SH_FD_BASE);
  if (n < 0) return fd;
  close(fd);
  return n;
}

savedfds *redir_push(void) { return xzalloc(sizeof(savedfds)); }

static bool already_saved(savedfds *s, int fd) {
  for (int i = 0; i < s->n; i++)
    if (s->v[i].fd == fd) return true;
  return false;
}

static void save_fd(savedfds *s, int fd) {
  if (!s || already_saved(s, fd)) return;
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 4;
    s->v = xrealloc(s->v, (size_t)s->cap * sizeof *s->v);
  }
  int copy = fcntl(fd, F_DUPFD_CLOEXEC, SH_FD_BASE);
  s->v[s->n].fd = fd;
  s->v[s->n].copy = copy; /* -1: it was closed */
  s->n++;
}

void redir_pop(savedfds *s) {
  if (!s) return;
  out_flush_all();
  for (int i = s->n - 1; i >= 0; i--) {
    if (s->v[i].copy >= 0) {
      dup2(s->v[i].copy, s->v[i].fd);
      close(s->v[i].copy);
    } else {
      close(s->v[i].fd);
    }
  }
  free(s->v);
  free(s);
}

void redir_forget(savedfds *s) {
  if (!s) return;
  for (int i = 0; i < s->n; i++)
    if (s->v[i].copy >= 0) close(s->v[i].copy);
  free(s->v);
  free(s);
}

/* The shell's script descriptor must not be overwritten by a user's redirection. */
extern void input_fd_conflict(int fd);

/* Saves `to` before it is replaced. */
static void prepare(savedfds *s, int to) {
  input_fd_conflict(to);
  save_fd(s, to);
}

/* Makes `to` refer to what `from` (a new descriptor) refers to; `to` was prepared. */
static bool move_to(int from, int to) {
  if (from == to) {
    /* open() returned the very descriptor: clear close-on-exec if any */
    fcntl(to, F_SETFD, 0);
    return true;
  }
  if (dup2(from, to) < 0) {
    int e = errno;
    close(from);
    sh_warn("%d: %s", to, errtext(e));
    return false;
  }
  close(from);
  return true;
}

bool redir_dup(savedfds *s, int from, int to) {
  out_flush_all();
  input_fd_conflict(to);
  save_fd(s, to);
  if (from == to) return true;
  return dup2(from, to) >= 0;
}

/* A here-document's body as a readable descriptor. */
static int heredoc_fd(const char *body, size_t len) {
  if (len <= PIPE_CAPACITY) {
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) return -1;
    size_t at = 0;
    while (at < len) {
      ssize_t w = write(p[1], body + at, len - at);
      if (w < 0) {
        if (errno == EINTR) continue;
        break;
      }
      at += (size_t)w;
    }
    close(p[1]);
    return p[0];
  }
  static int seq;
  char name[64];
  for (int tries = 0; tries < 100; tries++) {
    snprintf(name, sizeof name, "/tmp/.sh-heredoc-%d-%d", (int)sh.pid, seq++);
    int fd = open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      if (errno == EEXIST) continue;
      return -1;
    }
    unlink(name);
    size_t at = 0;
    while (at < len) {
      ssize_t w = write(fd, body + at, len - at);
      if (w <= 0) break;
      at += (size_t)w;
    }
    lseek(fd, 0, SEEK_SET);
    return fd;
  }
  return -1;
}

static bool all_digits(const char *s) {
  if (!*s) return false;
  for (; *s; s++)
    if (*s < '0' || *s > '9') return false;
  return true;
}

static bool apply_one(redir *r, savedfds *s) {
  int fd = r->fd;
  bool ok = true;
  if (r->op == R_HEREDOC) {
    const char *body = r->body;
    if (!r->quoted) {
      body = expand_parts(r->bodyparts, 0, &ok);
      if (!ok) return false;
    }
    prepare(s, fd);
    int h = heredoc_fd(body, strlen(body));
    if (h < 0) {
      sh_warn("cannot create temp file for here document: %s", errtext(errno));
      return false;
    }
    return move_to(h, fd);
  }
  char *target = expand_string(r->target, EX_TILDE, &ok);
  if (!ok) return false;
  if (r->op == R_DUPIN || r->op == R_DUPOUT) {
    if (strcmp(target, "-") == 0) {
      prepare(s, fd);
      close(fd);
      return true;
    }
    if (!all_digits(target)) {
      sh_error(2, "Syntax error: Bad fd number");
      return false;
    }
    int from = atoi(target);
    if (from == fd) return true;
    if (!fd_is_open(from)) {
      sh_warn("%d: %s", from, errtext(EBADF));
      return false;
    }
    prepare(s, fd);
    if (dup2(from, fd) < 0) {
      sh_warn("%d: %s", from, errtext(errno));
      return false;
    }
    return true;
  }
  int flags = 0;
  switch (r->op) {
  case R_IN: flags = O_RDONLY; break;
  case R_OUT: flags = O_WRONLY | O_CREAT | O_TRUNC; break;
  case R_CLOBBER: flags = O_WRONLY | O_CREAT | O_TRUNC; break;
  case R_APPEND: flags = O_WRONLY | O_CREAT | O_APPEND; break;
  case R_RDWR: flags = O_RDWR | O_CREAT; break;
  }
  prepare(s, fd);
  int nfd;
  if (!*target) {
    nfd = -1; /* an empty name names nothing (Linux: ENOENT) */
    errno = ENOENT;
  } else if (r->op == R_OUT && sh.o.noclobber) {
    nfd = open(target, O_WRONLY | O_CREAT | O_EXCL, 0666);
    if (nfd < 0 && errno == EEXIST) {
      struct stat st;
      if (stat(target, &st) == 0 && !S_ISREG(st.st_mode)) nfd = open(target, O_WRONLY, 0666);
      else errno = EEXIST;
    }
  } else {
    nfd = open(target, flags, 0666);
  }
  if (nfd < 0) {
    int e = errno;
    if (r->op == R_IN) sh_warn("cannot open %s: %s", target, errtext(e));
    else sh_warn("cannot create %s: %s", target, errtext_create(e));
    return false;
  }
  return move_to(nfd, fd);
}

bool redir_apply(redir *r, savedfds *s) {
  if (r) out_flush_all();
  for (; r; r = r->next) {
    if (!apply_one(r, s)) return false;
    if (sh.jump == J_ERROR) return false;
  }
  return true;
}
