/*
 * Memory: checked allocation, growable strings, arenas.
 *
 * Parse trees are allocated from an arena per parsed unit and freed together when the last
 * user (the command being run, a function defined by it) lets go. Expansion results live on
 * the expansion stack: a chain of chunks with a mark taken before a command is expanded and
 * released after it ran, so a loop running a million commands does not grow.
 */
#include "sh.h"

static void oom(void) {
  static const char msg[] = "sh: out of memory\n";
  write(2, msg, sizeof msg - 1);
  _exit(2);
}

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) oom();
  return p;
}

void *xzalloc(size_t n) {
  void *p = calloc(1, n ? n : 1);
  if (!p) oom();
  return p;
}

void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) oom();
  return p;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xstrndup(const char *s, size_t n) {
  char *p = xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

/* ------------------------------------------------------------------------- sbuf */

static void sb_grow(sbuf *b, size_t extra) {
  if (b->n + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap * 2 : 64;
  while (cap < b->n + extra + 1) cap *= 2;
  b->s = xrealloc(b->s, cap);
  b->cap = cap;
}

void sb_addc(sbuf *b, char c) {
  sb_grow(b, 1);
  b->s[b->n++] = c;
  b->s[b->n] = 0;
}

void sb_addn(sbuf *b, const char *s, size_t n) {
  sb_grow(b, n);
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = 0;
}

void sb_adds(sbuf *b, const char *s) { sb_addn(b, s, strlen(s)); }

void sb_printf(sbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char tmp[256];
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n < sizeof tmp) {
    sb_addn(b, tmp, (size_t)n);
    return;
  }
  sb_grow(b, (size_t)n);
  va_start(ap, fmt);
  vsnprintf(b->s + b->n, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->n += (size_t)n;
}

char *sb_str(sbuf *b) {
  if (!b->s) sb_grow(b, 0), b->s[0] = 0;
  return b->s;
}

char *sb_take(sbuf *b) {
  char *s = sb_str(b);
  b->s = NULL;
  b->n = b->cap = 0;
  return s;
}

void sb_free(sbuf *b) {
  free(b->s);
  b->s = NULL;
  b->n = b->cap = 0;
}

void sb_quote(sbuf *b, const char *s) {
  /* As dash writes it: runs of other characters in '...', runs of ' in "..." */
  if (!*s) {
    sb_adds(b, "''");
    return;
  }
  while (*s) {
    size_t n = strcspn(s, "'");
    if (n) {
      sb_addc(b, '\'');
      sb_addn(b, s, n);
      sb_addc(b, '\'');
      s += n;
    }
    n = strspn(s, "'");
    if (n) {
      sb_addc(b, '"');
      sb_addn(b, s, n);
      sb_addc(b, '"');
      s += n;
    }
  }
}

/* ------------------------------------------------------------------------ arenas */

struct chunk {
  struct chunk *prev;
  size_t size, used;
  max_align_t data[];
};

struct arena {
  struct chunk *top;
};

#define CHUNK 8192

static struct chunk *chunk_new(struct chunk *prev, size_t need) {
  size_t size = need > CHUNK ? need : CHUNK;
  struct chunk *c = xmalloc(sizeof *c + size);
  c->prev = prev;
  c->size = size;
  c->used = 0;
  return c;
}

static void *chunk_alloc(struct chunk **top, size_t n) {
  n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
  if (!*top || (*top)->size - (*top)->used < n) *top = chunk_new(*top, n);
  void *p = (char *)(*top)->data + (*top)->used;
  (*top)->used += n;
  return p;
}

arena *arena_new(void) { return xzalloc(sizeof(arena)); }

void *arena_alloc(arena *a, size_t n) {
  void *p = chunk_alloc(&a->top, n);
  memset(p, 0, n);
  return p;
}

char *arena_strndup(arena *a, const char *s, size_t n) {
  char *p = chunk_alloc(&a->top, n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

void arena_free(arena *a) {
  if (!a) return;
  for (struct chunk *c = a->top; c;) {
    struct chunk *prev = c->prev;
    free(c);
    c = prev;
  }
  free(a);
}

void unit_ref(unit *u) {
  if (u) u->refs++;
}

void unit_unref(unit *u) {
  if (u && --u->refs == 0) {
    arena_free(u->a);
    free(u);
  }
}

/* --------------------------------------------------------------- expansion stack */

static struct chunk *stk_top;
static struct chunk *stk_spare; /* one released chunk kept for the next command */

stkmark stk_mark(void) {
  stkmark m = {stk_top, stk_top ? stk_top->used : 0};
  return m;
}

void stk_release(stkmark m) {
  while (stk_top && stk_top != (struct chunk *)m.chunk) {
    struct chunk *prev = stk_top->prev;
    if (!stk_spare && stk_top->size == CHUNK) stk_spare = stk_top;
    else free(stk_top);
    stk_top = prev;
  }
  if (stk_top) stk_top->used = m.used;
}

void *stk_alloc(size_t n) {
  size_t r = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
  if (stk_spare && (!stk_top || stk_top->size - stk_top->used < r) && r <= CHUNK) {
    stk_spare->prev = stk_top;
    stk_spare->used = 0;
    stk_top = stk_spare;
    stk_spare = NULL;
  }
  return chunk_alloc(&stk_top, n);
}

char *stk_strndup(const char *s, size_t n) {
  char *p = stk_alloc(n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *stk_strdup(const char *s) { return stk_strndup(s, strlen(s)); }
