/*
 * Arithmetic expansion: C's integer operators on intmax_t, by precedence climbing over the
 * (already parameter-expanded) text. Variables are read as integers (empty or unset: 0)
 * and assigned with = and the op= forms; ++ and -- and the comma operator are accepted as
 * in C (dash has neither; POSIX leaves them optional). && || and ?: do not evaluate the
 * side they skip. Errors are reported as dash words them and are fatal to a
 * non-interactive shell.
 */
#include "sh.h"

#include <ctype.h>

typedef struct {
  const char *expr; /* the whole expression, for messages */
  const char *s;    /* the cursor */
  int noeval;       /* > 0 inside a skipped branch */
  bool err;
} ax;

static void fail(ax *a, const char *what) {
  if (a->err) return;
  a->err = true;
  sh_error(2, "arithmetic expression: %s: \"%s\"", what, a->expr);
}

static void skip_ws(ax *a) {
  while (*a->s == ' ' || *a->s == '\t' || *a->s == '\n') a->s++;
}

/* Parses an integer constant as C does (decimal, 0 octal, 0x hex). */
static bool parse_number(const char *s, const char **end, intmax_t *out) {
  int base = 10;
  const char *p = s;
  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
    base = 16;
    p += 2;
    if (!isxdigit((unsigned char)*p)) return false;
  } else if (p[0] == '0') {
    base = 8;
  }
  uintmax_t v = 0;
  const char *q = p;
  for (;; q++) {
    int d;
    if (*q >= '0' && *q <= '9') d = *q - '0';
    else if (*q >= 'a' && *q <= 'f') d = *q - 'a' + 10;
    else if (*q >= 'A' && *q <= 'F') d = *q - 'A' + 10;
    else break;
    if (d >= base) {
      if (base == 8 && d < 10) return false; /* 08 */
      break;
    }
    v = v * (uintmax_t)base + (uintmax_t)d;
  }
  if (isalnum((unsigned char)*q) || *q == '_') return false;
  *end = q;
  *out = (intmax_t)v;
  return true;
}

/* A variable's value as a number. */
static bool var_number(ax *a, const char *name, intmax_t *out) {
  const char *v = var_get(name);
  if (!v) {
    if (sh.o.nounset) {
      a->err = true;
      sh_error(2, "%s: parameter not set", name);
      return false;
    }
    *out = 0;
    return true;
  }
  while (*v == ' ' || *v == '\t' || *v == '\n') v++;
  if (!*v) {
    *out = 0;
    return true;
  }
  bool neg = false;
  const char *p = v;
  if (*p == '-' || *p == '+') neg = *p++ == '-';
  const char *end;
  intmax_t n;
  if (!parse_number(p, &end, &n)) goto bad;
  while (*end == ' ' || *end == '\t' || *end == '\n') end++;
  if (*end) goto bad;
  *out = neg ? -n : n;
  return true;
bad:
  a->err = true;
  sh_error(2, "Illegal number: %s", var_get(name));
  return false;
}

static bool assign(ax *a, const char *name, intmax_t v) {
  if (a->noeval) return true;
  char tmp[32];
  snprintf(tmp, sizeof tmp, "%jd", v);
  if (!var_set(name, tmp, 0)) {
    a->err = true;
    sh_abort(2);
    return false;
  }
  return true;
}

static intmax_t parse_expr(ax *a);
static intmax_t parse_assign(ax *a);

/* Reads a name at the cursor into buf (NUL if none). */
static bool read_name(ax *a, char *buf, size_t size) {
  const char *s = a->s;
  if (!(isalpha((unsigned char)*s) || *s == '_')) return false;
  size_t n = 0;
  while (isalnum((unsigned char)s[n]) || s[n] == '_') n++;
  if (n >= size) n = size - 1;
  memcpy(buf, s, n);
  buf[n] = 0;
  a->s += n;
  while (isalnum((unsigned char)*a->s) || *a->s == '_') a->s++;
  return true;
}

static intmax_t parse_primary(ax *a) {
  skip_ws(a);
  if (a->err) return 0;
  char c = *a->s;
  if (c == '(') {
    a->s++;
    intmax_t v = parse_expr(a);
    skip_ws(a);
    if (*a->s != ')') {
      fail(a, "expecting ')'");
      return 0;
    }
    a->s++;
    return v;
  }
  if (c >= '0' && c <= '9') {
    const char *end;
    intmax_t v;
    if (!parse_number(a->s, &end, &v)) {
      fail(a, "expecting EOF");
      return 0;
    }
    a->s = end;
    return v;
  }
  char name[256];
  if (read_name(a, name, sizeof name)) {
    skip_ws(a);
    intmax_t v = 0;
    /* postfix ++ -- */
    if ((a->s[0] == '+' && a->s[1] == '+') || (a->s[0] == '-' && a->s[1] == '-')) {
      bool inc = a->s[0] == '+';
      a->s += 2;
      if (!a->noeval && !var_number(a, name, &v)) return 0;
      assign(a, name, inc ? v + 1 : v - 1);
      return v;
    }
    /* assignment operators */
    static const char *const ops[] = {"=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "^=", "|=", NULL};
    for (int i = 0; ops[i]; i++) {
      size_t n = strlen(ops[i]);
      if (strncmp(a->s, ops[i], n) == 0 && !(n == 1 && a->s[1] == '=')) {
        a->s += n;
        intmax_t rhs = parse_assign(a);
        if (a->err) return 0;
        intmax_t cur = 0;
        if (i > 0 && !a->noeval && !var_number(a, name, &cur)) return 0;
        switch (i) {
        case 0: v = rhs; break;
        case 1: v = (intmax_t)((uintmax_t)cur + (uintmax_t)rhs); break;
        case 2: v = (intmax_t)((uintmax_t)cur - (uintmax_t)rhs); break;
        case 3: v = (intmax_t)((uintmax_t)cur * (uintmax_t)rhs); break;
        case 4:
        case 5:
          if (rhs == 0 && !a->noeval) {
            fail(a, "division by zero");
            return 0;
          }
          if (!a->noeval) v = i == 4 ? (rhs == -1 ? -cur : cur / rhs) : (rhs == -1 ? 0 : cur % rhs);
          break;
        case 6: v = (intmax_t)((uintmax_t)cur << (rhs & 63)); break;
        case 7: v = cur >> (rhs & 63); break;
        case 8: v = cur & rhs; break;
        case 9: v = cur ^ rhs; break;
        case 10: v = cur | rhs; break;
        }
        assign(a, name, v);
        return v;
      }
    }
    if (!a->noeval && !var_number(a, name, &v)) return 0;
    return v;
  }
  fail(a, "expecting primary");
  return 0;
}

static intmax_t parse_unary(ax *a) {
  skip_ws(a);
  if (a->err) return 0;
  const char *s = a->s;
  if ((s[0] == '+' && s[1] == '+') || (s[0] == '-' && s[1] == '-')) {
    bool inc = s[0] == '+';
    a->s += 2;
    skip_ws(a);
    char name[256];
    if (!read_name(a, name, sizeof name)) {
      fail(a, "expecting primary");
      return 0;
    }
    intmax_t v = 0;
    if (!a->noeval && !var_number(a, name, &v)) return 0;
    v = inc ? v + 1 : v - 1;
    assign(a, name, v);
    return v;
  }
  switch (s[0]) {
  case '+': a->s++; return parse_unary(a);
  case '-': a->s++; return (intmax_t)(0 - (uintmax_t)parse_unary(a));
  case '!': a->s++; return !parse_unary(a);
  case '~': a->s++; return ~parse_unary(a);
  default: return parse_primary(a);
  }
}

/* Binary operators by precedence (higher binds tighter). */
struct binop {
  const char *tok;
  int prec;
};
static const struct binop binops[] = {
  {"||", 1}, {"&&", 2}, {"|", 3}, {"^", 4}, {"&", 5}, {"==", 6}, {"!=", 6},
  {"<=", 7}, {">=", 7}, {"<<", 8}, {">>", 8}, {"<", 7}, {">", 7},
  {"+", 9}, {"-", 9}, {"*", 10}, {"/", 10}, {"%", 10}, {NULL, 0},
};

static const struct binop *peek_binop(ax *a) {
  skip_ws(a);
  const char *s = a->s;
  for (const struct binop *b = binops; b->tok; b++) {
    size_t n = strlen(b->tok);
    if (strncmp(s, b->tok, n) != 0) continue;
    /* not an assignment operator (<<= |= ...), not == read as = */
    if (s[n] == '=' && strcmp(b->tok, "==") && strcmp(b->tok, "!=") && strcmp(b->tok, "<=") &&
        strcmp(b->tok, ">=")) return NULL;
    if ((!strcmp(b->tok, "|") && s[1] == '|') || (!strcmp(b->tok, "&") && s[1] == '&')) continue;
    return b;
  }
  return NULL;
}

static intmax_t apply(ax *a, const char *op, intmax_t l, intmax_t r) {
  uintmax_t ul = (uintmax_t)l, ur = (uintmax_t)r;
  switch (op[0]) {
  case '+': return (intmax_t)(ul + ur);
  case '-': return (intmax_t)(ul - ur);
  case '*': return (intmax_t)(ul * ur);
  case '/':
  case '%':
    if (r == 0) {
      if (!a->noeval) fail(a, "division by zero");
      return 0;
    }
    if (r == -1) return op[0] == '/' ? (intmax_t)(0 - ul) : 0;
    return op[0] == '/' ? l / r : l % r;
  case '<':
    if (op[1] == '<') return (intmax_t)(ul << (r & 63));
    return op[1] == '=' ? l <= r : l < r;
  case '>':
    if (op[1] == '>') return l >> (r & 63);
    return op[1] == '=' ? l >= r : l > r;
  case '=': return l == r;
  case '!': return l != r;
  case '&': return l & r;
  case '^': return l ^ r;
  case '|': return l | r;
  }
  return 0;
}

static intmax_t parse_binary(ax *a, int minprec) {
  intmax_t left = parse_unary(a);
  for (;;) {
    if (a->err) return 0;
    const struct binop *b = peek_binop(a);
    if (!b || b->prec < minprec) return left;
    a->s += strlen(b->tok);
    if (b->prec == 1 || b->prec == 2) {
      bool skip = b->prec == 1 ? left != 0 : left == 0;
      if (skip) a->noeval++;
      intmax_t right = parse_binary(a, b->prec + 1);
      if (skip) a->noeval--;
      left = b->prec == 1 ? (left != 0 || right != 0) : (left != 0 && right != 0);
      continue;
    }
    intmax_t right = parse_binary(a, b->prec + 1);
    left = apply(a, b->tok, left, right);
  }
}

static intmax_t parse_cond(ax *a) {
  intmax_t c = parse_binary(a, 1);
  skip_ws(a);
  if (a->err || *a->s != '?') return c;
  a->s++;
  if (!c) a->noeval++;
  intmax_t x = parse_assign(a);
  if (!c) a->noeval--;
  skip_ws(a);
  if (*a->s != ':') {
    fail(a, "expecting ':'");
    return 0;
  }
  a->s++;
  if (c) a->noeval++;
  intmax_t y = parse_cond(a);
  if (c) a->noeval--;
  return c ? x : y;
}

static intmax_t parse_assign(ax *a) { return parse_cond(a); }

static intmax_t parse_expr(ax *a) {
  intmax_t v = parse_assign(a);
  for (;;) {
    skip_ws(a);
    if (a->err || *a->s != ',') return v;
    a->s++;
    v = parse_assign(a);
  }
}

bool arith_eval(const char *expr, intmax_t *result) {
  ax a = {.expr = expr, .s = expr};
  skip_ws(&a);
  if (!*a.s) {
    *result = 0;
    return true;
  }
  intmax_t v = parse_expr(&a);
  skip_ws(&a);
  if (!a.err && *a.s) fail(&a, "expecting EOF");
  if (a.err) return false;
  *result = v;
  return true;
}
