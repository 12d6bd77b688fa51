/*
 * printf FORMAT [ARGUMENT]...: formats as POSIX and GNU coreutils' printf do. The format is
 * reused while arguments remain. Escapes \\ \" \a \b \c \e \f \n \r \t \v \NNN \xHH \uHHHH
 * \UHHHHHHHH; directives %d %i %o %u %x %X %c %s %b %q %f %F %e %E %g %G %a %A %% with
 * flags, width and precision (also from `*`); length modifiers are accepted and ignored.
 * Numeric arguments may be C constants (0x1f, 010) or 'c (the character's code); a bad one
 * is reported and counts as what was converted, and the exit status becomes 1.
 * Floating point is double (GNU: long double).
 */
#include "cmd.h"

#include <inttypes.h>
#include <math.h>

static int status;
static char **args;
static int nargs, argi;

static const char *next_arg(void) { return argi < nargs ? args[argi++] : NULL; }

static int hexval(int c) { return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10; }

static void put_utf8(unsigned long cp) {
  if (cp < 0x80) {
    putchar((int)cp);
  } else if (cp < 0x800) {
    putchar((int)(0xc0 | cp >> 6));
    putchar((int)(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    putchar((int)(0xe0 | cp >> 12));
    putchar((int)(0x80 | ((cp >> 6) & 0x3f)));
    putchar((int)(0x80 | (cp & 0x3f)));
  } else {
    putchar((int)(0xf0 | cp >> 18));
    putchar((int)(0x80 | ((cp >> 12) & 0x3f)));
    putchar((int)(0x80 | ((cp >> 6) & 0x3f)));
    putchar((int)(0x80 | (cp & 0x3f)));
  }
}

/*
 * Interprets the escape at P (just after the backslash); returns the characters used.
 * PERCENT_B: %b's rules (\0NNN, \c ends everything). Sets *stop for \c.
 */
static size_t escape(const char *p, int percent_b, int *stop) {
  const char *s = p;
  int c = *p++;
  switch (c) {
  case '\\': putchar('\\'); break;
  case '"': putchar('"'); break;
  case 'a': putchar('\a'); break;
  case 'b': putchar('\b'); break;
  case 'c': *stop = 1; break;
  case 'e': putchar(033); break;
  case 'f': putchar('\f'); break;
  case 'n': putchar('\n'); break;
  case 'r': putchar('\r'); break;
  case 't': putchar('\t'); break;
  case 'v': putchar('\v'); break;
  case 'x': {
    if (!isxdigit((unsigned char)*p)) {
      warnx("missing hexadecimal number in escape");
      fflush(stdout);
      exit(1);
    }
    int v = 0;
    for (int i = 0; i < 2 && isxdigit((unsigned char)*p); i++) v = v * 16 + hexval((unsigned char)*p++);
    putchar(v);
    break;
  }
  case 'u':
  case 'U': {
    int want = c == 'u' ? 4 : 8;
    unsigned long cp = 0;
    for (int i = 0; i < want; i++) {
      if (!isxdigit((unsigned char)*p)) {
        warnx("missing hexadecimal number in escape");
        fflush(stdout);
        exit(1);
      }
      cp = cp * 16 + (unsigned long)hexval((unsigned char)*p++);
    }
    if (utf8_ctype() || cp < 0x80) put_utf8(cp);
    else printf(c == 'u' ? "\\u%04lX" : "\\U%08lX", cp); /* GNU, where the locale cannot show it */
    break;
  }
  default:
    if (c >= '0' && c <= '7') {
      int v = 0;
      p--;
      if (percent_b && *p == '0') p++;
      for (int i = 0; i < 3 && *p >= '0' && *p <= '7'; i++) v = v * 8 + (*p++ - '0');
      putchar(v);
    } else {
      putchar('\\');
      if (c) putchar(c);
      else p--;
    }
  }
  return (size_t)(p - s);
}

/* Checks how a number converted and reports as GNU does. */
static void check_conversion(const char *arg, const char *end) {
  if (errno == ERANGE) {
    warnx("%s: %s", quote_loc(arg), gnu_strerror(ERANGE));
    status = 1;
  } else if (end == arg) {
    warnx("%s: expected a numeric value", quote_loc(arg));
    status = 1;
  } else if (*end) {
    warnx("%s: value not completely converted", quote_loc(arg));
    status = 1;
  }
}

/* 'c or "c: the code of the character (its first byte, or its UTF-8 code point). */
static int char_constant(const char *arg, uintmax_t *out) {
  if (arg[0] != '\'' && arg[0] != '"') return 0;
  const unsigned char *p = (const unsigned char *)arg + 1;
  uintmax_t v = *p;
  int len = 1;
  if (*p >= 0xc0) {
    int extra = *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : 1;
    uintmax_t cp = *p & (0x3f >> extra);
    int i;
    for (i = 1; i <= extra && (p[i] & 0xc0) == 0x80; i++) cp = cp << 6 | (p[i] & 0x3f);
    if (i > extra) {
      v = cp;
      len = extra + 1;
    }
  }
  if (*p && p[len]) warnx("warning: %s: character(s) following character constant have been ignored", p + len);
  *out = v;
  return 1;
}

static intmax_t arg_signed(const char *arg) {
  if (!arg || !*arg) return 0;
  uintmax_t c;
  if (char_constant(arg, &c)) return (intmax_t)c;
  char *end;
  errno = 0;
  intmax_t v = strtoimax(arg, &end, 0);
  check_conversion(arg, end);
  return v;
}

static uintmax_t arg_unsigned(const char *arg) {
  if (!arg || !*arg) return 0;
  uintmax_t c;
  if (char_constant(arg, &c)) return c;
  char *end;
  errno = 0;
  const char *p = arg;
  while (isspace((unsigned char)*p)) p++;
  uintmax_t v;
  if (*p == '-') {
    v = (uintmax_t)strtoimax(arg, &end, 0);
  } else {
    v = strtoumax(arg, &end, 0);
  }
  check_conversion(arg, end);
  return v;
}

static double arg_double(const char *arg) {
  if (!arg || !*arg) return 0;
  uintmax_t c;
  if (char_constant(arg, &c)) return (double)c;
  char *end;
  errno = 0;
  double v = strtod(arg, &end);
  if (errno == ERANGE && (v == 0 || isinf(v))) errno = 0; /* GNU prints the value */
  check_conversion(arg, end);
  return v;
}

/* %q: the argument quoted for the shell, as GNU does. */
static void put_shell_quoted(const char *s) {
  if (!*s) fputs("''", stdout);
  else fputs(quotef(s), stdout);
}

/* %b: the argument with escapes; returns 0 if \c said to stop. */
static int put_b(const char *s) {
  for (const char *p = s; *p; p++) {
    if (*p != '\\') {
      putchar(*p);
      continue;
    }
    int stop = 0;
    p += escape(p + 1, 1, &stop);
    if (stop) return 0;
  }
  return 1;
}

#pragma clang diagnostic ignored "-Wformat-nonliteral"

/* One pass over the format; returns 0 if output must stop (\c). */
static int run_format(const char *fmt) {
  for (const char *p = fmt; *p; p++) {
    if (*p == '\\') {
      int stop = 0;
      p += escape(p + 1, 0, &stop);
      if (stop) return 0;
      continue;
    }
    if (*p != '%') {
      putchar(*p);
      continue;
    }
    const char *start = p++;
    if (*p == '%') {
      putchar('%');
      continue;
    }
    char spec[64];
    size_t n = 0;
    spec[n++] = '%';
    while (*p && strchr("-+ #0'", *p)) {
      if (*p != '\'' && n < 20) spec[n++] = *p;
      p++;
    }
    int width = 0, has_width = 0, prec = 0, has_prec = 0;
    if (*p == '*') {
      width = (int)arg_signed(next_arg());
      has_width = 1;
      p++;
    } else {
      while (isdigit((unsigned char)*p)) {
        width = width * 10 + (*p++ - '0');
        has_width = 1;
      }
    }
    if (*p == '.') {
      p++;
      has_prec = 1;
      if (*p == '*') {
        prec = (int)arg_signed(next_arg());
        p++;
      } else {
        while (isdigit((unsigned char)*p)) prec = prec * 10 + (*p++ - '0');
      }
    }
    int length_mod = 0;
    while (*p && strchr("hlLjtz", *p)) p++, length_mod = 1;
    if (!*p || !strchr("diouxXcsbqfFeEgGaA", *p) || (length_mod && !strchr("diouxXfFeEgGaA", *p))) {
      int len = *p ? (int)(p - start + 1) : (int)(p - start);
      fflush(stdout);
      fprintf(stderr, "%s: %.*s: invalid conversion specification\n", progname, len, start);
      fflush(stdout);
      exit(1);
    }
    if (has_width) n += (size_t)snprintf(spec + n, sizeof spec - n, "%d", width);
    if (has_prec) n += (size_t)snprintf(spec + n, sizeof spec - n, ".%d", prec);
    char conv = *p;
    const char *arg = NULL;
    switch (conv) {
    case 'd':
    case 'i':
      strcpy(spec + n, "jd");
      printf(spec, arg_signed(next_arg()));
      break;
    case 'o':
    case 'u':
    case 'x':
    case 'X':
      spec[n++] = 'j';
      spec[n++] = conv;
      spec[n] = 0;
      printf(spec, arg_unsigned(next_arg()));
      break;
    case 'c':
      arg = next_arg();
      strcpy(spec + n, "c");
      printf(spec, arg ? arg[0] : 0);
      break;
    case 's':
      arg = next_arg();
      strcpy(spec + n, "s");
      printf(spec, arg ? arg : "");
      break;
    case 'b':
      arg = next_arg();
      if (!put_b(arg ? arg : "")) return 0;
      break;
    case 'q':
      arg = next_arg();
      put_shell_quoted(arg ? arg : "");
      break;
    default:
      spec[n++] = conv;
      spec[n] = 0;
      printf(spec, arg_double(next_arg()));
      break;
    }
  }
  return 1;
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  int first = 1;
  if (argc > 1 && strcmp(argv[1], "--") == 0) first = 2;
  if (argc <= first) {
    usage_error("missing operand");
    return 1;
  }
  const char *fmt = argv[first];
  args = argv + first + 1;
  nargs = argc - first - 1;
  do {
    int before = argi;
    if (!run_format(fmt)) break;
    if (argi == before) {
      if (argi < nargs) warnx("warning: ignoring excess arguments, starting with %s", quote_loc(args[argi]));
      break;
    }
  } while (argi < nargs);
  if (close_stdout()) return 1;
  return status;
}
