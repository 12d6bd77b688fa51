/*
 * Word expansion (XCU 2.6): tilde, parameters, command substitution, arithmetic, then
 * field splitting, pathname expansion and quote removal.
 *
 * A word's parts are expanded into a buffer of characters with a flag per character:
 *   XQ     quoted: never split, never a pattern character;
 *   XS     the unquoted result of an expansion: subject to field splitting;
 *   XBREAK a field boundary ("$@" between parameters), a NUL placeholder;
 *   XEXIST a NUL placeholder saying a field exists even if empty ("" or "$@" of "").
 * Quotes themselves never enter the buffer, so quote removal is implicit. Splitting then
 * walks the buffer (IFS white space and non-white delimiters as XCU 2.6.5 says), and each
 * field with unquoted *, ? or [ is a pattern for glob(); one that matches nothing stays as
 * it was. Results live on the expansion stack.
 */
#include "sh.h"

#include <fnmatch.h>
#include <glob.h>

enum { XQ = 1, XS = 2, XBREAK = 4, XEXIST = 8 };

typedef struct {
  char *c;
  unsigned char *f;
  size_t n, cap;
} xbuf;

static void xb_grow(xbuf *x, size_t extra) {
  if (x->n + extra + 1 <= x->cap) return;
  size_t cap = x->cap ? x->cap * 2 : 128;
  while (cap < x->n + extra + 1) cap *= 2;
  x->c = xrealloc(x->c, cap);
  x->f = xrealloc(x->f, cap);
  x->cap = cap;
}

static void xb_add(xbuf *x, const char *s, size_t n, unsigned char fl) {
  xb_grow(x, n);
  memcpy(x->c + x->n, s, n);
  memset(x->f + x->n, fl, n);
  x->n += n;
  x->c[x->n] = 0;
}

static void xb_mark(xbuf *x, unsigned char fl) {
  xb_grow(x, 1);
  x->c[x->n] = 0;
  x->f[x->n] = fl;
  x->n++;
  x->c[x->n] = 0;
}

static void xb_free(xbuf *x) {
  free(x->c);
  free(x->f);
  x->c = NULL;
  x->f = NULL;
  x->n = x->cap = 0;
}

void sv_push(strvec *sv, char *s) {
  if (sv->n + 1 >= sv->cap) {
    int cap = sv->cap ? sv->cap * 2 : 16;
    char **v = stk_alloc((size_t)cap * sizeof(char *));
    if (sv->n) memcpy(v, sv->v, (size_t)sv->n * sizeof(char *));
    sv->v = v;
    sv->cap = cap;
  }
  sv->v[sv->n++] = s;
  sv->v[sv->n] = NULL;
}

/* ----------------------------------------------------------------- parameters */

static char numbuf[32];

static const char *ifs_value(void) {
  const char *ifs = var_get("IFS");
  return ifs ? ifs : " \t\n";
}

/* The value of a parameter other than @ and *; NULL if unset. */
static const char *param_value(const char *name) {
  char c = name[0];
  if (name[1] == 0 && !(c >= '1' && c <= '9')) {
    switch (c) {
    case '?': snprintf(numbuf, sizeof numbuf, "%d", sh.status); return numbuf;
    case '#': snprintf(numbuf, sizeof numbuf, "%d", posparams.n); return numbuf;
    case '$': snprintf(numbuf, sizeof numbuf, "%d", (int)sh.pid); return numbuf;
    case '!':
      if (!sh.lastbg) return NULL;
      snprintf(numbuf, sizeof numbuf, "%d", (int)sh.lastbg);
      return numbuf;
    case '-': {
      char *s = option_letters();
      char *r = stk_strdup(s);
      free(s);
      return r;
    }
    case '0': return sh.arg0;
    default: break;
    }
  }
  if (c >= '0' && c <= '9') {
    long i = strtol(name, NULL, 10);
    if (i == 0) return sh.arg0;
    return i <= posparams.n ? posparams.v[i - 1] : NULL;
  }
  return var_get(name);
}

static bool is_at_or_star(const char *name) { return (name[0] == '@' || name[0] == '*') && !name[1]; }

/* Joins the positional parameters with sep (NUL: nothing). */
static char *join_params(char sep) {
  sbuf b = {0};
  for (int i = 0; i < posparams.n; i++) {
    if (i && sep) sb_addc(&b, sep);
    sb_adds(&b, posparams.v[i]);
  }
  char *r = stk_strdup(sb_str(&b));
  sb_free(&b);
  return r;
}

static bool expand_into(xbuf *x, wpart *p, int flags, bool lit_split);

/* Expands a sub-word (of ${x-word}) to a plain string (quotes removed). */
static char *subword_string(wpart *p, int flags, bool *ok) {
  xbuf x = {0};
  *ok = expand_into(&x, p, flags & ~EX_SPLIT, false);
  sbuf b = {0};
  for (size_t i = 0; i < x.n; i++) {
    if (x.f[i] & (XBREAK | XEXIST)) continue;
    if ((flags & EX_PATTERN) && (x.f[i] & XQ) && strchr("*?[]\\", x.c[i])) sb_addc(&b, '\\');
    sb_addc(&b, x.c[i]);
  }
  xb_free(&x);
  char *r = stk_strdup(sb_str(&b));
  sb_free(&b);
  return r;
}

/* Removes the shortest/longest prefix/suffix matching pat. */
static const char *remove_pattern(const char *val, const char *pat, int op) {
  size_t n = strlen(val);
  char *tmp = xmalloc(n + 1);
  const char *result = val;
  if (op == PO_RM_SPREFIX || op == PO_RM_LPREFIX) {
    bool longest = op == PO_RM_LPREFIX;
    for (size_t k = 0; k <= n; k++) {
      size_t i = longest ? n - k : k;
      memcpy(tmp, val, i);
      tmp[i] = 0;
      if (fnmatch(pat, tmp, 0) == 0) {
        result = val + i;
        break;
      }
    }
  } else {
    bool longest = op == PO_RM_LSUFFIX;
    for (size_t k = 0; k <= n; k++) {
      size_t i = longest ? k : n - k; /* the suffix starts at i */
      if (fnmatch(pat, val + i, 0) == 0) {
        result = stk_strndup(val, i);
        break;
      }
    }
  }
  free(tmp);
  return result;
}

/* Appends a value: quoted, or subject to splitting. */
static void add_value(xbuf *x, const char *v, bool quoted) {
  xb_add(x, v, strlen(v), quoted ? XQ : XS);
}

static bool expand_param(xbuf *x, wpart *p, int flags) {
  const char *name = p->text;
  bool quoted = p->quoted;
  if (p->op == 0xff) {
    sh_error(2, "Bad substitution");
    return false;
  }
  bool special_list = is_at_or_star(name);
  const char *val = NULL;
  bool set;
  if (special_list) {
    set = posparams.n > 0;
    if (p->op != PO_NONE && p->op != PO_LENGTH) {
      char sep = ' ';
      if (name[0] == '*') sep = ifs_value()[0];
      val = join_params(sep);
    }
  } else {
    val = param_value(name);
    set = val != NULL;
  }
  bool null = special_list ? (posparams.n == 0 || (posparams.n == 1 && !posparams.v[0][0]))
                           : (!val || !*val);
  bool use_word = false;
  switch (p->op) {
  case PO_DEFAULT:
  case PO_ASSIGN:
  case PO_ERROR:
    use_word = p->colon ? null : !set;
    break;
  case PO_ALT:
    use_word = p->colon ? !null : set;
    break;
  default:
    break;
  }
  if (p->op == PO_ALT) {
    if (quoted) xb_mark(x, XEXIST);
    if (use_word) return expand_into(x, p->arg, flags | EX_TILDE, !quoted);
    return true;
  }
  if (use_word) {
    bool ok = true;
    if (p->op == PO_DEFAULT) {
      if (quoted) xb_mark(x, XEXIST);
      return expand_into(x, p->arg, flags | EX_TILDE, !quoted);
    }
    char *w = subword_string(p->arg, EX_TILDE, &ok);
    if (!ok) return false;
    if (p->op == PO_ERROR) {
      if (*w) sh_error(2, "%s: %s", name, w);
      else sh_error(2, "%s: parameter %s", name, p->colon ? "not set or null" : "not set");
      return false;
    }
    /* PO_ASSIGN */
    if (!valid_name(name)) {
      sh_error(2, "%s: bad variable name", name);
      return false;
    }
    if (!var_set(name, w, 0)) {
      sh_abort(2);
      return false;
    }
    if (quoted) xb_mark(x, XEXIST);
    add_value(x, w, quoted);
    return true;
  }
  if (!set && sh.o.nounset && !special_list && p->op != PO_DEFAULT && p->op != PO_ASSIGN &&
      p->op != PO_ERROR) {
    sh_error(2, "%s: parameter not set", name);
    return false;
  }
  if (p->op == PO_LENGTH) {
    char tmp[32];
    if (special_list) snprintf(tmp, sizeof tmp, "%zu", strlen(join_params(name[0] == '*' ? ifs_value()[0] : ' ')));
    else snprintf(tmp, sizeof tmp, "%zu", val ? strlen(val) : (size_t)0);
    add_value(x, tmp, quoted);
    return true;
  }
  if (p->op >= PO_RM_SPREFIX && p->op <= PO_RM_LSUFFIX) {
    bool ok = true;
    char *pat = subword_string(p->arg, EX_PATTERN | EX_TILDE, &ok);
    if (!ok) return false;
    if (quoted) xb_mark(x, XEXIST);
    if (special_list && !quoted && (flags & EX_SPLIT)) {
      for (int i = 0; i < posparams.n; i++) {
        if (i) xb_mark(x, XBREAK);
        add_value(x, remove_pattern(posparams.v[i], pat, p->op), false);
      }
      return true;
    }
    add_value(x, remove_pattern(val ? val : "", pat, p->op), quoted);
    return true;
  }
  /* Plain $x, or a set/non-null value with an operator that keeps it. */
  if (special_list) {
    if (quoted && name[0] == '@' && (flags & EX_SPLIT)) {
      for (int i = 0; i < posparams.n; i++) {
        if (i) xb_mark(x, XBREAK);
        xb_mark(x, XEXIST);
        add_value(x, posparams.v[i], true);
      }
      return true;
    }
    if (quoted) {
      char sep = name[0] == '*' ? ifs_value()[0] : ' ';
      xb_mark(x, XEXIST);
      add_value(x, join_params(sep), true);
      return true;
    }
    if (flags & EX_SPLIT) {
      for (int i = 0; i < posparams.n; i++) {
        if (i) xb_mark(x, XBREAK);
        add_value(x, posparams.v[i], false);
      }
      return true;
    }
    add_value(x, join_params(' '), false);
    return true;
  }
  if (quoted) xb_mark(x, XEXIST);
  if (val) add_value(x, val, quoted);
  return true;
}

/* ------------------------------------------------------------------- parts */

static void expand_tilde(xbuf *x, const char *s, size_t n, size_t *used) {
  /* s starts with ~; the prefix runs to the first / or the end of this literal. */
  size_t i = 1;
  while (i < n && s[i] != '/') i++;
  *used = 0;
  if (i == 1) {
    const char *home = var_get("HOME");
    if (!home) return;
    xb_add(x, home, strlen(home), XQ);
    *used = 1;
  }
}

static void add_literal(xbuf *x, wpart *p, int flags, bool first, bool lit_split) {
  const char *s = p->text;
  size_t n = p->len;
  unsigned char fl = p->quoted ? XQ : lit_split ? XS : 0;
  if (p->quoted) {
    if (n == 0) xb_mark(x, XEXIST);
    else xb_add(x, s, n, fl);
    return;
  }
  size_t i = 0;
  if (first && (flags & (EX_TILDE | EX_ASSIGN)) && n > 0 && s[0] == '~') {
    size_t used;
    expand_tilde(x, s, n, &used);
    i = used;
  }
  while (i < n) {
    if ((flags & EX_ASSIGN) && s[i] == ':' && i + 1 < n && s[i + 1] == '~') {
      xb_add(x, ":", 1, fl);
      i++;
      size_t used;
      expand_tilde(x, s + i, n - i, &used);
      if (used) {
        i += used;
        continue;
      }
    }
    size_t j = i + 1;
    while (j < n && !((flags & EX_ASSIGN) && s[j] == ':')) j++;
    xb_add(x, s + i, j - i, fl);
    i = j;
  }
}

static bool expand_into(xbuf *x, wpart *p, int flags, bool lit_split) {
  bool first = true;
  for (; p; p = p->next, first = false) {
    switch (p->kind) {
    case WP_LIT:
      add_literal(x, p, flags, first, lit_split);
      break;
    case WP_PARAM:
      if (!expand_param(x, p, flags)) return false;
      if (sh.jump == J_ERROR) return false;
      break;
    case WP_CMDSUB: {
      char *out = command_subst(p);
      if (p->quoted) xb_mark(x, XEXIST);
      add_value(x, out, p->quoted);
      break;
    }
    case WP_ARITH: {
      bool ok = true;
      char *e = subword_string(p->arg, 0, &ok);
      if (!ok) return false;
      intmax_t v;
      if (!arith_eval(e, &v)) return false;
      char tmp[32];
      snprintf(tmp, sizeof tmp, "%jd", v);
      add_value(x, tmp, p->quoted);
      break;
    }
    }
  }
  return true;
}

/* ---------------------------------------------------------- splitting, globbing */

/* An unquoted * or ?, or an unquoted [ with a ] after it: otherwise glob() cannot match
 * anything but the word itself (`[` alone, the test command, is common). */
static bool field_has_glob(const xbuf *x, size_t from, size_t to) {
  for (size_t i = from; i < to; i++) {
    if (x->f[i] & (XQ | XBREAK | XEXIST)) continue;
    char c = x->c[i];
    if (c == '*' || c == '?') return true;
    if (c == '[')
      for (size_t k = i + 1; k < to; k++)
        if (x->c[k] == ']' && !(x->f[k] & (XBREAK | XEXIST))) return true;
  }
  return false;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Emits one field: x->c[from..to) with its flags; globbing if asked. */
static void emit_field(const xbuf *x, size_t from, size_t to, int flags, strvec *out) {
  sbuf plain = {0};
  for (size_t i = from; i < to; i++)
    if (!(x->f[i] & (XBREAK | XEXIST))) sb_addc(&plain, x->c[i]);
  if ((flags & EX_GLOB) && !sh.o.noglob && field_has_glob(x, from, to)) {
    sbuf pat = {0};
    for (size_t i = from; i < to; i++) {
      if (x->f[i] & (XBREAK | XEXIST)) continue;
      if ((x->f[i] & XQ) && strchr("*?[]\\", x->c[i])) sb_addc(&pat, '\\');
      sb_addc(&pat, x->c[i]);
    }
    glob_t g;
    memset(&g, 0, sizeof g);
    int r = glob(sb_str(&pat), 0, NULL, &g);
    sb_free(&pat);
    if (r == 0 && g.gl_pathc > 0) {
      qsort(g.gl_pathv, g.gl_pathc, sizeof(char *), cmp_str);
      for (size_t i = 0; i < g.gl_pathc; i++) sv_push(out, stk_strdup(g.gl_pathv[i]));
      globfree(&g);
      sb_free(&plain);
      return;
    }
    if (r == 0) globfree(&g);
  }
  sv_push(out, stk_strdup(sb_str(&plain)));
  sb_free(&plain);
}

static void split_fields(const xbuf *x, int flags, strvec *out) {
  const char *ifs = ifs_value();
  size_t start = 0;   /* start of the current field */
  bool have = false;  /* the current field has characters or an exist mark */
  size_t i = 0;
  while (i < x->n) {
    unsigned char f = x->f[i];
    char c = x->c[i];
    if (f & XBREAK) {
      if (have) emit_field(x, start, i, flags, out);
      have = false;
      start = ++i;
      continue;
    }
    if (f & XEXIST) {
      have = true;
      i++;
      continue;
    }
    if ((f & XS) && c && strchr(ifs, c)) {
      /* A run of IFS characters: white space and at most one non-white delimiter
       * belong together; each further non-white one delimits an empty field. */
      size_t end = i;
      int nonws = 0;
      bool emitted = false;
      while (end < x->n && (x->f[end] & XS) && x->c[end] && strchr(ifs, x->c[end])) {
        bool ws = x->c[end] == ' ' || x->c[end] == '\t' || x->c[end] == '\n';
        if (!ws) {
          nonws++;
          if (nonws == 1) {
            emit_field(x, start, i, flags, out); /* even if empty */
            emitted = true;
          } else {
            sv_push(out, stk_strdup(""));
          }
        }
        end++;
      }
      if (!emitted && have) emit_field(x, start, i, flags, out);
      have = false;
      start = i = end;
      continue;
    }
    have = true;
    i++;
  }
  if (have) emit_field(x, start, x->n, flags, out);
}

/* ------------------------------------------------------------------ entries */

bool expand_words(word *w, int flags, strvec *out) {
  for (; w; w = w->next) {
    xbuf x = {0};
    if (!expand_into(&x, w->parts, flags, false)) {
      xb_free(&x);
      return false;
    }
    if (flags & EX_SPLIT) split_fields(&x, flags, out);
    else emit_field(&x, 0, x.n, flags, out);
    xb_free(&x);
  }
  return true;
}

char *expand_parts(wpart *p, int flags, bool *ok) {
  char *r = subword_string(p, flags, ok);
  if (sh.jump == J_ERROR) *ok = false;
  return r;
}

char *expand_string(word *w, int flags, bool *ok) { return expand_parts(w->parts, flags, ok); }

bool pattern_match(const char *pat, const char *s) { return fnmatch(pat, s, 0) == 0; }
