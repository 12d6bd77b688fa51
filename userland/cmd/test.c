/*
 * test EXPRESSION, [ EXPRESSION ]: evaluates a conditional expression (POSIX; as GNU
 * coreutils' test: the POSIX rules by argument count for up to four arguments, then -a
 * (binding tighter) and -o, ! and parentheses). Exit status 0 true, 1 false, 2 error.
 *
 * Strings: -n -z = == !=. Integers (any length, with blanks and a sign): -eq -ne -lt -le
 * -gt -ge. Files: -b -c -d -e -f -g -h -L -k -N -O -G -p -r -s -S -t -u -w -x, -nt -ot -ef.
 * Processes run as root here, so -r holds for any file that exists and -w for any on a
 * writable filesystem; -x for a directory or a file with an execute bit.
 */
#include "fs.h"

#include <sys/stat.h>

static char **args;
static int nargs, at;

static void syntax_error(const char *fmt, const char *arg) __attribute__((noreturn));
static void syntax_error(const char *fmt, const char *arg) {
  warn_start(fmt, arg);
  fputc('\n', stderr);
  exit(2);
}

static void beyond(void) __attribute__((noreturn));
static void beyond(void) { syntax_error("missing argument after %s", quote_loc(args[nargs - 1])); }

/* An integer as GNU test takes it: blanks, a sign, digits, blanks. Returns it normalized
 * (sign and digits without leading zeros) in BUF. */
static const char *integer(const char *s, char *buf, size_t len) {
  const char *p = s;
  while (isspace((unsigned char)*p)) p++;
  int neg = 0;
  if (*p == '-' || *p == '+') neg = *p++ == '-';
  const char *d = p;
  while (isdigit((unsigned char)*p)) p++;
  const char *e = p;
  while (isspace((unsigned char)*p)) p++;
  if (e == d || *p) syntax_error("invalid integer %s", quote_loc(s));
  while (d < e - 1 && *d == '0') d++;
  int zero = e - d == 1 && *d == '0';
  snprintf(buf, len, "%s%.*s", neg && !zero ? "-" : "", (int)(e - d), d);
  return buf;
}

static int int_compare(const char *a, const char *b) {
  char ba[4096], bb[4096];
  a = integer(a, ba, sizeof ba);
  b = integer(b, bb, sizeof bb);
  int na = a[0] == '-', nb = b[0] == '-';
  if (na != nb) return na ? -1 : 1;
  size_t la = strlen(a), lb = strlen(b);
  int r = la != lb ? (la < lb ? -1 : 1) : strcmp(a, b);
  r = r < 0 ? -1 : r > 0;
  return na ? -r : r;
}

static int is_binop(const char *s) {
  static const char *ops[] = {"=", "==", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef", NULL};
  for (int i = 0; ops[i]; i++)
    if (strcmp(s, ops[i]) == 0) return 1;
  return 0;
}

static int is_unop(const char *s) {
  return s[0] == '-' && s[1] && !s[2] && strchr("bcdefgGhkLNOprsStuwxzn", s[1]);
}

static int mtime_compare(const struct stat *a, const struct stat *b) {
  if (a->st_mtim.tv_sec != b->st_mtim.tv_sec) return a->st_mtim.tv_sec < b->st_mtim.tv_sec ? -1 : 1;
  if (a->st_mtim.tv_nsec != b->st_mtim.tv_nsec) return a->st_mtim.tv_nsec < b->st_mtim.tv_nsec ? -1 : 1;
  return 0;
}

static int binary(const char *a, const char *op, const char *b) {
  if (strcmp(op, "=") == 0 || strcmp(op, "==") == 0) return strcmp(a, b) == 0;
  if (strcmp(op, "!=") == 0) return strcmp(a, b) != 0;
  if (op[1] == 'e' && op[2] == 'q') return int_compare(a, b) == 0;
  if (op[1] == 'n' && op[2] == 'e') return int_compare(a, b) != 0;
  if (op[1] == 'l' && op[2] == 't') return int_compare(a, b) < 0;
  if (op[1] == 'l' && op[2] == 'e') return int_compare(a, b) <= 0;
  if (op[1] == 'g' && op[2] == 't') return int_compare(a, b) > 0;
  if (op[1] == 'g' && op[2] == 'e') return int_compare(a, b) >= 0;
  struct stat sa, sb;
  int ea = stat(a, &sa) == 0, eb = stat(b, &sb) == 0;
  if (strcmp(op, "-nt") == 0) return ea && (!eb || mtime_compare(&sa, &sb) > 0);
  if (strcmp(op, "-ot") == 0) return eb && (!ea || mtime_compare(&sa, &sb) < 0);
  /* -ef */
  return ea && eb && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int writable_fs(const char *path) {
  struct statvfs v;
  return statvfs(path, &v) != 0 || !(v.f_flag & ST_RDONLY);
}

static int unary(char op, const char *arg) {
  struct stat st;
  switch (op) {
  case 'z': return arg[0] == 0;
  case 'n': return arg[0] != 0;
  case 't': {
    long long fd;
    if (!parse_ll(arg, &fd)) syntax_error("invalid integer %s", quote_loc(arg));
    return fd >= 0 && fd <= INT_MAX && isatty((int)fd);
  }
  case 'h':
  case 'L': return xlstat(arg, &st) == 0 && S_ISLNK(st.st_mode);
  }
  if (xstat(arg, &st) != 0) return 0;
  switch (op) {
  case 'e': return 1;
  case 'f': return S_ISREG(st.st_mode);
  case 'd': return S_ISDIR(st.st_mode);
  case 'b': return S_ISBLK(st.st_mode);
  case 'c': return S_ISCHR(st.st_mode);
  case 'p':
#ifdef S_ISFIFO
    return S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode);
#else
    return 0;
#endif
  case 'S': return S_ISSOCK(st.st_mode);
  case 's': return st.st_size > 0;
  case 'g': return (st.st_mode & S_ISGID) != 0;
  case 'u': return (st.st_mode & S_ISUID) != 0;
  case 'k': return (st.st_mode & S_ISVTX) != 0;
  case 'r': return 1;
  case 'w': return writable_fs(arg);
  case 'x': return S_ISDIR(st.st_mode) || (st.st_mode & 0111) != 0;
  case 'O': return st.st_uid == geteuid();
  case 'G': return st.st_gid == getegid();
  case 'N':
    return st.st_mtim.tv_sec > st.st_atim.tv_sec ||
           (st.st_mtim.tv_sec == st.st_atim.tv_sec && st.st_mtim.tv_nsec > st.st_atim.tv_nsec);
  }
  return 0;
}

/* ------------------------------------------------------------ the general expression */

static int expr_or(void);

static int term(void) {
  if (at >= nargs) beyond();
  if (strcmp(args[at], "!") == 0) {
    at++;
    return !term();
  }
  if (strcmp(args[at], "(") == 0) {
    at++;
    if (at >= nargs) beyond();
    int v = expr_or();
    if (at >= nargs) syntax_error("%s expected", quote_loc(")"));
    if (strcmp(args[at], ")") != 0) {
      char want[64];
      snprintf(want, sizeof want, "%s", quote_loc(")"));
      fflush(stdout);
      fprintf(stderr, "%s: %s expected, found %s\n", progname, want, quote_loc(args[at]));
      exit(2);
    }
    at++;
    return v;
  }
  if (nargs - at >= 3 && is_binop(args[at + 1])) {
    int v = binary(args[at], args[at + 1], args[at + 2]);
    at += 3;
    return v;
  }
  if (is_unop(args[at])) {
    if (at + 1 >= nargs) beyond();
    int v = unary(args[at][1], args[at + 1]);
    at += 2;
    return v;
  }
  return args[at++][0] != 0;
}

static int expr_and(void) {
  int v = term();
  while (at < nargs && strcmp(args[at], "-a") == 0) {
    at++;
    v = term() && v;
  }
  return v;
}

static int expr_or(void) {
  int v = expr_and();
  while (at < nargs && strcmp(args[at], "-o") == 0) {
    at++;
    v = expr_and() || v;
  }
  return v;
}

static int general(void) {
  int v = expr_or();
  if (at != nargs) syntax_error("extra argument %s", quote_loc(args[at]));
  return v;
}

/* ------------------------------------------------------------- POSIX's rules by count */

static int one(int i) { return args[i][0] != 0; }

static int two(int i) {
  if (strcmp(args[i], "!") == 0) return !one(i + 1);
  if (args[i][0] == '-' && args[i][1] && !args[i][2]) {
    if (!is_unop(args[i])) syntax_error("%s: unary operator expected", quote_loc(args[i]));
    return unary(args[i][1], args[i + 1]);
  }
  beyond();
}

static int three(int i) {
  if (is_binop(args[i + 1])) return binary(args[i], args[i + 1], args[i + 2]);
  if (strcmp(args[i], "!") == 0) return !two(i + 1);
  if (strcmp(args[i], "(") == 0 && strcmp(args[i + 2], ")") == 0) return one(i + 1);
  if (strcmp(args[i + 1], "-a") == 0 || strcmp(args[i + 1], "-o") == 0) return general();
  syntax_error("%s: binary operator expected", quote_loc(args[i + 1]));
}

static int evaluate(void) {
  switch (nargs) {
  case 0: return 0;
  case 1: return one(0);
  case 2: return two(0);
  case 3: return three(0);
  case 4:
    if (strcmp(args[0], "!") == 0) return !three(1);
    if (strcmp(args[0], "(") == 0 && strcmp(args[3], ")") == 0) return two(1);
    return general();
  default: return general();
  }
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  args = argv + 1;
  nargs = argc - 1;
  if (strcmp(last_component(argv[0]), "[") == 0) {
    if (nargs < 1 || strcmp(args[nargs - 1], "]") != 0) {
      fflush(stdout);
      fprintf(stderr, "%s: missing %s\n", progname, quote_loc("]"));
      return 2;
    }
    nargs--;
  }
  return evaluate() ? 0 : 1;
}
