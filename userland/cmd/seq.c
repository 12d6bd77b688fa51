/*
 * seq [-w] [-f FORMAT] [-s SEP] [FIRST [INCREMENT]] LAST: prints numbers from FIRST to LAST
 * by INCREMENT (GNU coreutils). Integers are counted exactly; otherwise the precision is the
 * larger number of fraction digits of FIRST and INCREMENT, and a value just past LAST that
 * prints as LAST still counts (so 0 0.1 1 ends at 1.0). -w pads with zeros to equal width;
 * -f takes one floating-point directive (%e %f %g and friends); -s separates (default \n).
 */
#include "opt.h"

#include <math.h>

struct num {
  double value;
  long long ival;
  int integer;   /* an integer that fits in a long long */
  int precision; /* digits after the point as written (less the exponent) */
  int width;     /* characters it prints with as written */
};

static int scan(const char *arg, struct num *n) {
  char *end;
  errno = 0;
  n->value = strtod(arg, &end);
  if (end == arg || *end || isnan(n->value) || isspace((unsigned char)arg[0])) {
    warnx("invalid floating point argument: %s", quote_loc(arg));
    usage_error(NULL);
    return 0;
  }
  long long iv;
  n->integer = !strpbrk(arg, ".eEpPxXiInN") && parse_ll(arg, &iv);
  n->ival = n->integer ? iv : 0;
  const char *dot = strchr(arg, '.'), *exp = strpbrk(arg, "eE");
  int frac = 0;
  if (dot) frac = (int)((exp ? exp : arg + strlen(arg)) - dot - 1);
  if (strpbrk(arg, "xXiInN")) frac = 0;
  if (exp) {
    long e = strtol(exp + 1, NULL, 10);
    frac = frac - (int)e > 0 ? frac - (int)e : 0;
    char buf[400];
    n->width = snprintf(buf, sizeof buf, "%.*f", frac, n->value);
  } else {
    n->width = (int)strlen(arg);
    if (arg[0] == '+') n->width--;
    if (dot && dot[1] == 0) n->width--;
  }
  n->precision = frac;
  return 1;
}

/* Checks FORMAT has exactly one floating-point directive. */
static int check_format(const char *f) {
  int count = 0;
  for (const char *p = f; *p; p++) {
    if (*p != '%') continue;
    if (p[1] == '%') {
      p++;
      continue;
    }
    const char *q = p + 1;
    q += strspn(q, "-+ #0'");
    q += strspn(q, "0123456789");
    if (*q == '.') q++, q += strspn(q, "0123456789");
    if (!*q || !strchr("aAeEfFgG", *q)) {
      if (!*q) warnx("format %s ends in %%", quote_loc(f));
      else warnx("format %s has unknown %%%c directive", quote_loc(f), *q);
      return 0;
    }
    count++;
    p = q;
  }
  if (count == 0) warnx("format %s has no %% directive", quote_loc(f));
  else if (count > 1) warnx("format %s has too many %% directives", quote_loc(f));
  return count == 1;
}

static char *format_value(const char *fmt, double v, char *buf, size_t len) {
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat-nonliteral"
  snprintf(buf, len, fmt, v);
#pragma clang diagnostic pop
  return buf;
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {
      {"equal-width", 0, 'w'}, {"format", 1, 'f'}, {"separator", 1, 's'}, {NULL, 0, 0}};
  const char *format = NULL, *sep = "\n";
  int equal = 0, c;
  /* A negative number is an operand, and ends the options. */
  int last_opt = argc;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] == '-' && (isdigit((unsigned char)a[1]) || a[1] == '.')) {
      last_opt = i;
      break;
    }
    if (strcmp(a, "--") == 0) break;
    if (a[0] == '-' && (strchr("fs", a[1]) && a[2] == 0)) i++;
  }
  while ((c = opt_next(last_opt, argv, "+wf:s:", longs)) != -1) {
    switch (c) {
    case 'w': equal = 1; break;
    case 'f': format = opt_arg; break;
    case 's': sep = opt_arg; break;
    default: usage_error(NULL); return 1;
    }
  }
  int nargs = argc - opt_ind;
  if (nargs < 1) {
    usage_error("missing operand");
    return 1;
  }
  if (nargs > 3) {
    usage_error("extra operand %s", quote_loc(argv[opt_ind + 3]));
    return 1;
  }
  struct num first = {1, 1, 1, 0, 1}, step = {1, 1, 1, 0, 1}, last;
  if (nargs >= 2 && !scan(argv[opt_ind], &first)) return 1;
  if (nargs == 3 && !scan(argv[opt_ind + 1], &step)) return 1;
  if (!scan(argv[argc - 1], &last)) return 1;
  if (step.value == 0) {
    warnx("invalid Zero increment value: %s", quote_loc(argv[opt_ind + 1]));
    usage_error(NULL);
    return 1;
  }
  if (format && equal) {
    warnx("format string may not be specified when printing equal width strings");
    usage_error(NULL);
    return 1;
  }
  if (format && !check_format(format)) return 1;

  int prec = first.precision > step.precision ? first.precision : step.precision;
  char fmt[64];
  if (format) {
    /* used as given */
  } else {
    int width = 0;
    if (equal) {
      int fw = first.width + (prec - first.precision) + (first.precision == 0 && prec > 0);
      int lw = last.width + (prec - last.precision) + (last.precision == 0 && prec > 0);
      width = fw > lw ? fw : lw;
    }
    snprintf(fmt, sizeof fmt, "%%0%d.%df", width, prec);
    format = fmt;
  }

  /* Exact integers when all three are. */
  if (first.integer && step.integer && last.integer && fmt == format && prec == 0) {
    int width = equal ? atoi(fmt + 2) : 0;
    int printed = 0;
    for (long long x = first.ival; step.ival > 0 ? x <= last.ival : x >= last.ival;) {
      if (printed++) fputs(sep, stdout);
      printf("%0*lld", width, x);
      if ((step.ival > 0 && x > LLONG_MAX - step.ival) || (step.ival < 0 && x < LLONG_MIN - step.ival)) break;
      x += step.ival;
      if (ferror(stdout)) break;
    }
    if (printed) putchar('\n');
    return close_stdout();
  }

  char buf[512], prev[512] = "", lastbuf[512];
  format_value(format, last.value, lastbuf, sizeof lastbuf);
  int printed = 0;
  for (long long i = 0;; i++) {
    double x = first.value + (double)i * step.value;
    format_value(format, x, buf, sizeof buf);
    if (step.value > 0 ? x > last.value : x < last.value) {
      /* Just past LAST by rounding: print it if it reads as LAST and is new. */
      if (strcmp(buf, lastbuf) != 0 || (printed && strcmp(buf, prev) == 0)) break;
      if (printed++) fputs(sep, stdout);
      fputs(buf, stdout);
      break;
    }
    if (printed++) fputs(sep, stdout);
    fputs(buf, stdout);
    strcpy(prev, buf);
    if (ferror(stdout) || isinf(x)) break;
  }
  if (printed) putchar('\n');
  return close_stdout();
}
