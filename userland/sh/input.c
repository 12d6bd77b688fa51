/*
 * Input sources: a string (sh -c, eval, traps) or a descriptor (a script, stdin), read in
 * blocks as dash does. Characters can be pushed back; the line number follows the
 * newlines consumed. The lexer records the raw text of words and of $(...) through the
 * recorder: everything consumed between a start and a stop.
 */
#include "sh.h"

struct input {
  const char *s; /* string source, or the block buffer */
  size_t len, at;
  int fd;        /* -1 for a string */
  char *buf;
  bool eof;
  int line;
  int back[16];
  int nback;
  /* recording */
  sbuf rec;
  size_t rec_base; /* absolute position of rec.s[0] */
  size_t pos;      /* absolute position: characters consumed */
  int recording;
  /* interactive: a read that continues a command shows PS2 */
  bool prompts;
  bool continuing;
};

void in_set_prompts(input *in, bool on) { in->prompts = on; }
void in_command_start(input *in) { in->continuing = false; }

input *in_string(const char *s, size_t len, int line) {
  input *in = xzalloc(sizeof *in);
  in->s = s;
  in->len = len;
  in->fd = -1;
  in->line = line;
  return in;
}

input *in_fd(int fd, int line) {
  input *in = xzalloc(sizeof *in);
  in->fd = fd;
  in->buf = xmalloc(4096);
  in->s = in->buf;
  in->line = line;
  return in;
}

void in_free(input *in) {
  if (!in) return;
  free(in->buf);
  sb_free(&in->rec);
  free(in);
}

int in_fdnum(input *in) { return in->fd; }
void in_set_fd(input *in, int fd) { in->fd = fd; }

/* set -v: lines read from a script or stdin are written to stderr as they are read (each
 * character once: what is pushed back and read again is not echoed again). */
static int echo(int c, input *in) {
  if (sh.o.verbose && in->fd >= 0) {
    char ch = (char)c;
    out_mem(2, &ch, 1);
    if (c == '\n') out_flush(2);
  }
  return c;
}

static int next_raw(input *in) {
  if (in->nback > 0) return in->back[--in->nback];
  if (in->at < in->len) return echo((unsigned char)in->s[in->at++], in);
  if (in->fd < 0 || in->eof) return -1;
  for (;;) {
    if (in->prompts && in->continuing) {
      const char *ps2 = var_get("PS2");
      out_str(2, ps2 ? ps2 : "> ");
    }
    in->continuing = true;
    out_flush_all();
    ssize_t n = read(in->fd, in->buf, 4096);
    if (n < 0 && errno == EINTR) {
      if (trap_pending) traps_run();
      continue;
    }
    if (n <= 0) {
      in->eof = true;
      return -1;
    }
    in->len = (size_t)n;
    in->at = 0;
    return echo((unsigned char)in->s[in->at++], in);
  }
}

int in_getc(input *in) {
  int c = next_raw(in);
  if (c < 0) return -1;
  if (c == '\n') in->line++;
  if (in->recording) {
    if (in->pos == in->rec_base + in->rec.n) sb_addc(&in->rec, (char)c);
  }
  in->pos++;
  return c;
}

void in_ungetc(input *in, int c) {
  if (c < 0) return;
  if (in->nback < (int)(sizeof in->back / sizeof in->back[0])) in->back[in->nback++] = c;
  if (c == '\n') in->line--;
  in->pos--;
  if (in->recording && in->pos < in->rec_base + in->rec.n) {
    in->rec.n = in->pos > in->rec_base ? in->pos - in->rec_base : 0;
    if (in->rec.s) in->rec.s[in->rec.n] = 0;
  }
}

int in_peek(input *in) {
  int c = in_getc(in);
  in_ungetc(in, c);
  return c;
}

int in_line(input *in) { return in->line; }
void in_set_line(input *in, int line) { in->line = line; }

size_t in_rec_start(input *in) {
  if (in->recording++ == 0) {
    in->rec.n = 0;
    in->rec_base = in->pos;
  }
  return in->pos;
}

char *in_rec_text(input *in, size_t start, size_t end_trim, arena *a) {
  size_t from = start - in->rec_base;
  size_t to = in->rec.n >= end_trim ? in->rec.n - end_trim : 0;
  if (to < from) to = from;
  return arena_strndup(a, in->rec.s ? in->rec.s + from : "", to - from);
}

void in_rec_stop(input *in, size_t start) {
  (void)start;
  if (--in->recording == 0) in->rec.n = 0;
}
