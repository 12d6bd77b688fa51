/*
 * echo and printf, as dash has them: echo takes only -n and always interprets backslash
 * escapes (XSI); printf follows POSIX (the format reused while arguments remain, %b, 'c
 * for a character's value) with dash's error messages.
 */
#include "sh.h"

#include <ctype.h>

static bool io_check(const char *name) {
  if (out_flush(1) < 0) {
    bi_error(name, "%s: I/O error", name);
    return false;
  }
  return true;
}

/* Writes s with echo's / %b's escapes; false if \c ended the output. */
static bool put_escaped(const char *s, sbuf *b) {
  for (; *s; s++) {
    if (*s != '\\' || !s[1]) {
      sb_addc(b, *s);
      continue;
    }
    s++;
    switch (*s) {
    case 'a': sb_addc(b, '\a'); break;
    case 'b': sb_addc(b, '\b'); break;
    case 'c': return false;
    case 'e': sb_addc(b, 27); break;
    case 'f': sb_addc(b, '\f'); break;
    case 'n': sb_addc(b, '\n'); break;
    case 'r': sb_addc(b, '\r'); break;
    case 't': sb_addc(b, '\t'); break;
    case 'v': sb_addc(b, '\v'); break;
    case '\\': sb_addc(b, '\\'); break;
    case '0': {
      int v = 0;
      for (int k = 0; k < 3 && s[1] >= '0' && s[1] <= '7'; k++) v = v * 8 + (*++s - '0');
      sb_addc(b, (char)v);
      break;
    }
    default:
      sb_addc(b, '\\');
      sb_addc(b, *s);
    }
  }
  return true;
}

int bi_echo(int argc, char **argv) {
  int i = 1;
  bool newline = true;
  if (i < argc && strcmp(argv[i], "-n") == 0) {
    newline = false;
    i++;
  }
  sbuf b = {0};
  bool go = true;
  for (bool first = true; i < argc && go; i++, first = false) {
    if (!first) sb_addc(&b, ' ');
    go = put_escaped(argv[i], &b);
  }
  if (go && newline) sb_addc(&b, '\n');
  out_mem(1, b.s ? b.s : "", b.n);
  sb_free(&b);
  return io_check("echo") ? 0 : 1;
}

/* ------------------------------------------------------------------- printf */

typedef struct {
  char **args;
  int n, at;
  int status;
} pfargs;

static const char *next_arg(pfargs *a) { return a->at < a->n ? a->args[a->at++] : NULL; }

static intmax_t num_arg(pfargs *a, bool *is_unsigned_ok) {
  (void)is_unsigned_ok;
  const char *s = next_arg(a);
  if (!s || !*s) return 0;
  if (s[0] == '\'' || s[0] == '"') return (unsigned char)s[1];
  char *end;
  errno = 0;
  intmax_t v;
  if (s[0] == '-') v = strtoimax(s, &end, 0);
  else v = (intmax_t)strtoumax(s, &end, 0);
  if (end == s) {
    bi_error("printf", "%s: expected numeric value", s);
    a->status = 1;
    return 0;
  }
  if (*end) {
    bi_error("printf", "%s: not completely converted", s);
    a->status = 1;
  } else if (errno == ERANGE) {
    bi_error("printf", "%s: Result too large", s);
    a->status = 1;
  }
  return v;
}

static double float_arg(pfargs *a) {
  const char *s = next_arg(a);
  if (!s || !*s) return 0;
  if (s[0] == '\'' || s[0] == '"') return (unsigned char)s[1];
  char *end;
  double v = strtod(s, &end);
  if (end == s) {
    bi_error("printf", "%s: expected numeric value", s);
    a->status = 1;
  } else if (*end) {
    bi_error("printf", "%s: not completely converted", s);
    a->status = 1;
  }
  return v;
}

/* A format's escape at *pp (after the backslash). */
static void format_escape(const char **pp, sbuf *b) {
  const char *s = *pp;
  switch (*s) {
  case 'a': sb_addc(b, '\a'); break;
  case 'b': sb_addc(b, '\b'); break;
  case 'e': sb_addc(b, 27); break;
  case 'f': sb_addc(b, '\f'); break;
  case 'n': sb_addc(b, '\n'); break;
  case 'r': sb_addc(b, '\r'); break;
  case 't': sb_addc(b, '\t'); break;
  case 'v': sb_addc(b, '\v'); break;
  case '\\': sb_addc(b, '\\'); break;
  case '"': sb_addc(b, '"'); break;
  case '\'': sb_addc(b, '\''); break;
  default:
    if (*s >= '0' && *s <= '7') {
      int v = 0;
      for (int k = 0; k < 3 && *s >= '0' && *s <= '7'; k++) v = v * 8 + (*s++ - '0');
      sb_addc(b, (char)v);
      *pp = s - 1;
      return;
    }
    sb_addc(b, '\\');
    sb_addc(b, *s);
  }
}

/* Runs the format once. Returns 0 to go on, 1 to stop (\c in %b), -1 on an error. */
static int run_format(const char *fmt, pfargs *a, sbuf *b) {
  for (const char *p = fmt; *p; p++) {
    if (*p == '\\' && p[1]) {
      p++;
      format_escape(&p, b);
      continue;
    }
    if (*p != '%') {
      sb_addc(b, *p);
      continue;
    }
    if (p[1] == '%') {
      sb_addc(b, '%');
      p++;
      continue;
    }
    const char *start = p++;
    char spec[64];
    size_t sl = 0;
    spec[sl++] = '%';
    while (*p && strchr("-+ #0", *p) && sl < 20) spec[sl++] = *p++;
    int width = -1, prec = -1;
    bool star_w = false, star_p = false;
    if (*p == '*') {
      star_w = true;
      p++;
    } else
      while (isdigit((unsigned char)*p) && sl < 40) spec[sl++] = *p++;
    if (*p == '.') {
      spec[sl++] = *p++;
      if (*p == '*') {
        star_p = true;
        p++;
      } else
        while (isdigit((unsigned char)*p) && sl < 50) spec[sl++] = *p++;
    }
    if (star_w) width = (int)num_arg(a, NULL);
    if (star_p) prec = (int)num_arg(a, NULL);
    char conv = *p;
    if (!conv || !strchr("diouxXcsbeEfFgGaA", conv)) {
      bi_error("printf", "%.*s: invalid directive", (int)(p - start + (*p ? 1 : 0)), start);
      return -1;
    }
    /* rebuild the spec with the star values */
    char full[96];
    size_t fl = 0;
    size_t k = 0;
    for (; k < sl && spec[k] != '.'; k++) full[fl++] = spec[k];
    if (star_w) fl += (size_t)snprintf(full + fl, sizeof full - fl, "%d", width);
    if (k < sl) {
      full[fl++] = '.';
      k++;
      if (star_p) fl += (size_t)snprintf(full + fl, sizeof full - fl, "%d", prec);
      for (; k < sl; k++) full[fl++] = spec[k];
    }
    full[fl] = 0;
    char tmp[512];
    switch (conv) {
    case 'd':
    case 'i': {
      intmax_t v = num_arg(a, NULL);
      snprintf(full + fl, sizeof full - fl, "j%c", conv);
      int n = snprintf(tmp, sizeof tmp, full, v);
      if (n > 0) sb_addn(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
      break;
    }
    case 'o':
    case 'u':
    case 'x':
    case 'X': {
      uintmax_t v = (uintmax_t)num_arg(a, NULL);
      snprintf(full + fl, sizeof full - fl, "j%c", conv);
      int n = snprintf(tmp, sizeof tmp, full, v);
      if (n > 0) sb_addn(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
      break;
    }
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a': case 'A': {
      double v = float_arg(a);
      snprintf(full + fl, sizeof full - fl, "%c", conv);
      int n = snprintf(tmp, sizeof tmp, full, v);
      if (n > 0) sb_addn(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
      break;
    }
    case 'c': {
      const char *s = next_arg(a);
      char cs[2] = {s ? s[0] : 0, 0};
      snprintf(full + fl, sizeof full - fl, "s");
      if (!cs[0]) {
        /* %c of an empty argument writes nothing but the padding */
        int n = snprintf(tmp, sizeof tmp, full, "");
        if (n > 0) sb_addn(b, tmp, (size_t)n);
      } else {
        int n = snprintf(NULL, 0, full, cs);
        char *o = xmalloc((size_t)n + 1);
        snprintf(o, (size_t)n + 1, full, cs);
        sb_addn(b, o, (size_t)n);
        free(o);
      }
      break;
    }
    case 's':
    case 'b': {
      const char *s = next_arg(a);
      if (!s) s = "";
      sbuf e = {0};
      bool stop = false;
      if (conv == 'b') stop = !put_escaped(s, &e);
      else sb_adds(&e, s);
      snprintf(full + fl, sizeof full - fl, "s");
      int n = snprintf(NULL, 0, full, sb_str(&e));
      char *o = xmalloc((size_t)n + 1);
      snprintf(o, (size_t)n + 1, full, sb_str(&e));
      sb_addn(b, o, (size_t)n);
      free(o);
      sb_free(&e);
      if (stop) return 1;
      break;
    }
    }
  }
  return 0;
}

int bi_printf(int argc, char **argv) {
  int i = 1;
  if (i < argc && strcmp(argv[i], "--") == 0) i++;
  if (i >= argc) {
    bi_error("printf", "usage: printf format [arg ...]");
    return 2;
  }
  const char *fmt = argv[i++];
  pfargs a = {.args = argv + i, .n = argc - i, .at = 0, .status = 0};
  sbuf b = {0};
  int r;
  do {
    int before = a.at;
    r = run_format(fmt, &a, &b);
    if (r != 0 || a.at == before) break;
  } while (a.at < a.n);
  out_mem(1, b.s ? b.s : "", b.n);
  sb_free(&b);
  if (!io_check("printf")) return 1;
  if (r < 0) return 2;
  return a.status;
}
