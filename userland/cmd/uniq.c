/*
 * uniq [-c] [-d|-D|-u] [-i] [-f N] [-s N] [-w N] [INPUT [OUTPUT]]: writes one line of each
 * run of adjacent equal lines (POSIX; GNU's -i, -w, -D, -z). -c prefixes the run's length,
 * -d prints only repeated lines, -u only unique ones; -f skips N fields (blanks then
 * non-blanks), -s N characters, -w compares at most N characters.
 */
#include "input.h"
#include "opt.h"

static size_t skip_fields, skip_chars, max_chars = SIZE_MAX;
static int ignore_case;

/* The part of a line that is compared. */
static void compared(const char *s, size_t len, const char **b, size_t *n) {
  const char *p = s, *e = s + len;
  for (size_t f = 0; f < skip_fields; f++) {
    while (p < e && (*p == ' ' || *p == '\t')) p++;
    while (p < e && !(*p == ' ' || *p == '\t')) p++;
  }
  p = (size_t)(e - p) > skip_chars ? p + skip_chars : e;
  *b = p;
  *n = (size_t)(e - p) < max_chars ? (size_t)(e - p) : max_chars;
}

static int equal(const char *a, size_t la, const char *b, size_t lb) {
  const char *x, *y;
  size_t nx, ny;
  compared(a, la, &x, &nx);
  compared(b, lb, &y, &ny);
  if (nx != ny) return 0;
  if (ignore_case) {
    for (size_t i = 0; i < nx; i++)
      if (tolower((unsigned char)x[i]) != tolower((unsigned char)y[i])) return 0;
    return 1;
  }
  return memcmp(x, y, nx) == 0;
}

static size_t count_arg(const char *a, const char *what) {
  unsigned long long v;
  if (!parse_size(a, &v) && !(strcmp(a, "0") == 0)) {
    warnx("%s: %s", a, what);
    exit(1);
  }
  return (size_t)v;
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {
      {"count", 0, 'c'}, {"repeated", 0, 'd'}, {"all-repeated", 0, 'D'}, {"unique", 0, 'u'},
      {"ignore-case", 0, 'i'}, {"skip-fields", 1, 'f'}, {"skip-chars", 1, 's'},
      {"check-chars", 1, 'w'}, {"zero-terminated", 0, 'z'}, {NULL, 0, 0}};
  int count = 0, repeated = 0, all_repeated = 0, uniq_only = 0, c;
  char eol = '\n';
  while ((c = opt_next(argc, argv, "cdDuif:s:w:z", longs)) != -1) {
    switch (c) {
    case 'c': count = 1; break;
    case 'd': repeated = 1; break;
    case 'D': all_repeated = 1; break;
    case 'u': uniq_only = 1; break;
    case 'i': ignore_case = 1; break;
    case 'f': skip_fields = count_arg(opt_arg, "invalid number of fields to skip"); break;
    case 's': skip_chars = count_arg(opt_arg, "invalid number of bytes to skip"); break;
    case 'w': max_chars = count_arg(opt_arg, "invalid number of bytes to compare"); break;
    case 'z': eol = 0; break;
    default: usage_error(NULL); return 1;
    }
  }
  if (argc - opt_ind > 2) {
    usage_error("extra operand %s", quote_loc(argv[opt_ind + 2]));
    return 1;
  }
  if (all_repeated && count) {
    warnx("printing all duplicated lines and repeat counts is meaningless");
    usage_error(NULL);
    return 1;
  }
  const char *in = opt_ind < argc ? argv[opt_ind] : "-";
  FILE *f = fopen_input(in);
  if (!f) {
    warne(errno, "%s", quotef(in));
    return 1;
  }
  if (argc - opt_ind == 2 && strcmp(argv[opt_ind + 1], "-") != 0 && !freopen(argv[opt_ind + 1], "w", stdout)) {
    warne(errno, "%s", quotef(argv[opt_ind + 1]));
    return 1;
  }
  char *prev = NULL, *line = NULL;
  size_t prev_cap = 0, line_cap = 0, prev_len = 0;
  unsigned long long run = 0;
  ssize_t n;
  for (;;) {
    n = getdelim(&line, &line_cap, eol, f);
    size_t len = n > 0 ? (size_t)n : 0;
    if (len && line[len - 1] == eol) len--;
    if (n > 0 && run > 0 && equal(prev, prev_len, line, len)) {
      run++;
      if (all_repeated) {
        if (run == 2) {
          fwrite(prev, 1, prev_len, stdout);
          putchar(eol);
        }
        fwrite(line, 1, len, stdout);
        putchar(eol);
      }
      continue;
    }
    /* the run of PREV ends here */
    if (run > 0 && !all_repeated) {
      int show = (repeated || uniq_only) ? ((repeated && run > 1) || (uniq_only && run == 1)) : 1;
      if (repeated && uniq_only) show = 0;
      if (show) {
        if (count) printf("%7llu ", run);
        fwrite(prev, 1, prev_len, stdout);
        putchar(eol);
      }
    }
    if (n <= 0) break;
    if (len + 1 > prev_cap) prev = xrealloc(prev, prev_cap = len + 1);
    memcpy(prev, line, len);
    prev_len = len;
    run = 1;
  }
  if (ferror(f)) {
    warne(errno == EBADF ? EISDIR : errno, "%s", quotef(in));
    return 1;
  }
  fclose_input(f);
  return close_stdout();
}
