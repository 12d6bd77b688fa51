/*
 * tr [-cdst] SET1 [SET2]: translates, deletes (-d) or squeezes (-s) bytes of standard input
 * (POSIX; -t from GNU truncates SET1 to SET2's length). Sets take escapes (\n \t \\ \NNN
 * ...), ranges a-z, classes [:alpha:] etc., equivalence classes [=c=], and in SET2 the
 * repeats [c*n] and [c*]. -c complements SET1. SET2 shorter than SET1 repeats its last
 * byte, as GNU does. Bytes, not multibyte characters.
 */
#include "opt.h"

#define BUFSIZE 65536

struct set {
  unsigned char *c; /* the expanded sequence */
  size_t n;
  /* [c*] in SET2: where the fill goes, and its byte */
  long fill_at;
  unsigned char fill;
  /* positions of [:upper:] / [:lower:] classes, for the case-conversion check */
  int has_upper, has_lower;
};

static void add(struct set *s, unsigned char c) {
  s->c = xrealloc(s->c, s->n + 1);
  s->c[s->n++] = c;
}

static int octal(int c) { return c >= '0' && c <= '7'; }

/* One byte of a set, escapes interpreted; advances *p. */
static unsigned char next_byte(const char **p) {
  const char *s = *p;
  if (*s != '\\') {
    *p = s + 1;
    return (unsigned char)*s;
  }
  s++;
  unsigned char c;
  switch (*s) {
  case 0:
    warnx("warning: an unescaped backslash at end of string is not portable");
    *p = s;
    return '\\';
  case 'a': c = '\a'; break;
  case 'b': c = '\b'; break;
  case 'f': c = '\f'; break;
  case 'n': c = '\n'; break;
  case 'r': c = '\r'; break;
  case 't': c = '\t'; break;
  case 'v': c = '\v'; break;
  default:
    if (octal(*s)) {
      int v = 0;
      for (int i = 0; i < 3 && octal(*s); i++) v = v * 8 + (*s++ - '0');
      *p = s;
      return (unsigned char)v;
    }
    c = (unsigned char)*s;
  }
  *p = s + 1;
  return c;
}

static int in_class(const char *name, size_t len, int c) {
#define IS(n) (len == strlen(n) && strncmp(name, n, len) == 0)
  if (IS("alnum")) return isalnum(c);
  if (IS("alpha")) return isalpha(c);
  if (IS("blank")) return c == ' ' || c == '\t';
  if (IS("cntrl")) return iscntrl(c);
  if (IS("digit")) return isdigit(c);
  if (IS("graph")) return isgraph(c);
  if (IS("lower")) return islower(c);
  if (IS("print")) return isprint(c);
  if (IS("punct")) return ispunct(c);
  if (IS("space")) return isspace(c);
  if (IS("upper")) return isupper(c);
  if (IS("xdigit")) return isxdigit(c);
#undef IS
  return -1;
}

static int parse_set(const char *str, struct set *s, int is_set2) {
  memset(s, 0, sizeof *s);
  s->fill_at = -1;
  const char *p = str;
  while (*p) {
    if (p[0] == '[' && p[1] == ':') {
      const char *end = strstr(p + 2, ":]");
      if (end) {
        size_t len = (size_t)(end - p - 2);
        if (in_class(p + 2, len, 'a') < 0) {
          char name[64];
          snprintf(name, sizeof name, "%.*s", (int)len, p + 2);
          warnx("invalid character class %s", quote_loc(name));
          return 0;
        }
        if (len == 5 && strncmp(p + 2, "upper", 5) == 0) s->has_upper = 1;
        if (len == 5 && strncmp(p + 2, "lower", 5) == 0) s->has_lower = 1;
        for (int c = 0; c < 256; c++)
          if (in_class(p + 2, len, c)) add(s, (unsigned char)c);
        p = end + 2;
        continue;
      }
    }
    if (p[0] == '[' && p[1] == '=' && p[2] && p[3] == '=' && p[4] == ']') {
      add(s, (unsigned char)p[2]);
      p += 5;
      continue;
    }
    if (p[0] == '[' && p[1] && p[1] != '\\' && p[2] == '*' && is_set2) {
      /* [c*n] or [c*] */
      const char *q = p + 3;
      const char *close = strchr(q, ']');
      if (close) {
        unsigned char c = (unsigned char)p[1];
        if (close == q) {
          s->fill_at = (long)s->n;
          s->fill = c;
        } else {
          char *end;
          unsigned long n = strtoul(q, &end, q[0] == '0' ? 8 : 10);
          if (end != close) {
            warnx("invalid repeat count %s in [c*n] construct", quote_loc(q));
            return 0;
          }
          if (n == 0) {
            s->fill_at = (long)s->n;
            s->fill = c;
          }
          for (unsigned long i = 0; i < n; i++) add(s, c);
        }
        p = close + 1;
        continue;
      }
    }
    const char *start = p;
    unsigned char a = next_byte(&p);
    if (p[0] == '-' && p[1]) {
      const char *q = p + 1;
      unsigned char b = next_byte(&q);
      if (b < a) {
        char range[64];
        snprintf(range, sizeof range, "%.*s", (int)(q - start), start);
        warnx("range-endpoints of %s are in reverse collating sequence order", quote(range));
        return 0;
      }
      for (int c = a; c <= b; c++) add(s, (unsigned char)c);
      p = q;
      continue;
    }
    add(s, a);
  }
  return 1;
}

static void complement(struct set *s) {
  int in[256] = {0};
  for (size_t i = 0; i < s->n; i++) in[s->c[i]] = 1;
  s->n = 0;
  for (int c = 0; c < 256; c++)
    if (!in[c]) add(s, (unsigned char)c);
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {{"complement", 0, 'c'}, {"delete", 0, 'd'},
                                         {"squeeze-repeats", 0, 's'}, {"truncate-set1", 0, 't'},
                                         {NULL, 0, 0}};
  int comp = 0, del = 0, squeeze = 0, truncate = 0, c;
  while ((c = opt_next(argc, argv, "cCdst", longs)) != -1) {
    switch (c) {
    case 'c':
    case 'C': comp = 1; break;
    case 'd': del = 1; break;
    case 's': squeeze = 1; break;
    case 't': truncate = 1; break;
    default: usage_error(NULL); return 1;
    }
  }
  int nops = argc - opt_ind;
  int want = del ? (squeeze ? 2 : 1) : (squeeze ? 1 : 2);
  if (nops < 1) {
    usage_error("missing operand");
    return 1;
  }
  if (nops < want && !(squeeze && !del && nops == 1)) {
    warnx("missing operand after %s", quote_loc(argv[argc - 1]));
    if (del) fprintf(stderr, "Two strings must be given when both deleting and squeezing repeats.\n");
    else fprintf(stderr, "Two strings must be given when translating.\n");
    usage_error(NULL);
    return 1;
  }
  if (nops > 2 || (nops == 2 && del && !squeeze)) {
    warnx("extra operand %s", quote_loc(argv[opt_ind + (nops > 2 && !(del && !squeeze) ? 2 : 1)]));
    if (del && !squeeze) fprintf(stderr, "Only one string may be given when deleting without squeezing repeats.\n");
    usage_error(NULL);
    return 1;
  }
  struct set s1, s2;
  memset(&s2, 0, sizeof s2);
  if (!parse_set(argv[opt_ind], &s1, 0)) return 1;
  int has2 = nops == 2;
  if (has2 && !parse_set(argv[opt_ind + 1], &s2, 1)) return 1;
  if (comp) complement(&s1);

  int translate = has2 && !del;
  unsigned char map[256];
  for (int i = 0; i < 256; i++) map[i] = (unsigned char)i;
  int in1[256] = {0}, squeeze_set[256] = {0};
  for (size_t i = 0; i < s1.n; i++) in1[s1.c[i]] = 1;
  if (translate) {
    if (truncate && s1.n > s2.n) s1.n = s2.n;
    if ((s2.has_upper || s2.has_lower) && !((s1.has_lower && s2.has_upper) || (s1.has_upper && s2.has_lower)) &&
        s1.n != s2.n) {
      warnx("misaligned [:upper:] and/or [:lower:] construct");
      return 1;
    }
    if (s2.fill_at >= 0 && s1.n > s2.n) {
      /* [c*]: as many c as make SET2 as long as SET1 */
      size_t extra = s1.n - s2.n;
      unsigned char *c2 = xmalloc(s1.n);
      memcpy(c2, s2.c, (size_t)s2.fill_at);
      memset(c2 + s2.fill_at, s2.fill, extra);
      memcpy(c2 + s2.fill_at + extra, s2.c + s2.fill_at, s2.n - (size_t)s2.fill_at);
      s2.c = c2;
      s2.n = s1.n;
    }
    if (s2.n == 0 && s1.n > 0) {
      warnx("when not truncating set1, string2 must be non-empty");
      return 1;
    }
    for (size_t i = 0; i < s1.n; i++) map[s1.c[i]] = s2.c[i < s2.n ? i : s2.n - 1];
  }
  if (squeeze) {
    const struct set *sq = has2 ? &s2 : &s1;
    for (size_t i = 0; i < sq->n; i++) squeeze_set[sq->c[i]] = 1;
  }

  static unsigned char in[BUFSIZE], out[BUFSIZE];
  int last = -1;
  for (;;) {
    ssize_t r = read(0, in, BUFSIZE);
    if (r < 0) {
      if (errno == EINTR) continue;
      warne(errno, "read error");
      return 1;
    }
    if (r == 0) break;
    size_t o = 0;
    for (ssize_t i = 0; i < r; i++) {
      unsigned char ch = in[i];
      if (del && in1[ch]) continue;
      if (translate) ch = map[ch];
      if (squeeze && squeeze_set[ch] && last == ch) continue;
      last = ch;
      out[o++] = ch;
    }
    if (write_all(1, out, o) != 0) {
      warne(errno, "write error");
      return 1;
    }
  }
  return 0;
}
