/*
 * test and [: POSIX's rules by argument count for up to four arguments, then a recursive
 * descent over ! -a -o ( ) for longer expressions. Integers allow surrounding blanks and a
 * sign; file tests use stat's mode bits (libisokernel gives them) and the caller's ids.
 */
#include "sh.h"

#include <ctype.h>

typedef struct {
  char **v;
  int n, at;
  bool err;
} targs;

static const char *tname = "test"; /* test or [, for messages */

static void terr(targs *t, const char *what, const char *msg) {
  if (t->err) return;
  t->err = true;
  bi_error(tname, "%s: %s", what, msg);
}

static bool is_unary(const char *s) {
  return s[0] == '-' && s[1] && !s[2] && strchr("bcdefghLknprsStuwxzGO", s[1]);
}

static bool is_binary(const char *s) {
  static const char *const ops[] = {"=", "!=", "==", "<", ">", "-eq", "-ne", "-gt", "-ge", "-lt",
                                    "-le", "-nt", "-ot", "-ef", NULL};
  for (int i = 0; ops[i]; i++)
    if (strcmp(s, ops[i]) == 0) return true;
  return false;
}

static bool to_int(targs *t, const char *s, intmax_t *out) {
  const char *p = s;
  while (isspace((unsigned char)*p)) p++;
  const char *digits = p;
  if (*p == '-' || *p == '+') p++;
  if (!isdigit((unsigned char)*p)) goto bad;
  char *end;
  errno = 0;
  intmax_t v = strtoimax(digits, &end, 10);
  while (isspace((unsigned char)*end)) end++;
  if (*end || errno) goto bad;
  *out = v;
  return true;
bad:
  if (!t->err) {
    t->err = true;
    bi_error(tname, "Illegal number: %s", s);
  }
  return false;
}

static bool access_ok(const struct stat *st, int want) {
  uid_t uid = geteuid();
  if (uid == 0) {
    if (want == 1) return (st->st_mode & 0111) || S_ISDIR(st->st_mode);
    return true;
  }
  mode_t m = st->st_mode;
  int shift = st->st_uid == uid ? 6 : st->st_gid == getegid() ? 3 : 0;
  return ((m >> shift) & (mode_t)want) != 0;
}

static bool unary(targs *t, char op, const char *arg) {
  struct stat st;
  switch (op) {
  case 'n': return *arg != 0;
  case 'z': return *arg == 0;
  case 't': {
    intmax_t fd;
    if (!to_int(t, arg, &fd)) return false;
    return isatty((int)fd);
  }
  case 'h':
  case 'L': return lstat(arg, &st) == 0 && S_ISLNK(st.st_mode);
  }
  if (stat(arg, &st) != 0) return false;
  switch (op) {
  case 'e': return true;
  case 'f': return S_ISREG(st.st_mode);
  case 'd': return S_ISDIR(st.st_mode);
  case 'b': return S_ISBLK(st.st_mode);
  case 'c': return S_ISCHR(st.st_mode);
  case 'p': return S_ISFIFO(st.st_mode);
  case 'S': return S_ISSOCK(st.st_mode);
  case 's': return st.st_size > 0;
  case 'g': return (st.st_mode & S_ISGID) != 0;
  case 'u': return (st.st_mode & S_ISUID) != 0;
  case 'k': return (st.st_mode & S_ISVTX) != 0;
  case 'r': return access_ok(&st, 4);
  case 'w': return access_ok(&st, 2);
  case 'x': return access_ok(&st, 1);
  case 'O': return st.st_uid == geteuid();
  case 'G': return st.st_gid == getegid();
  }
  return false;
}

static int cmp_time(const struct timespec *a, const struct timespec *b) {
  if (a->tv_sec != b->tv_sec) return a->tv_sec < b->tv_sec ? -1 : 1;
  if (a->tv_nsec != b->tv_nsec) return a->tv_nsec < b->tv_nsec ? -1 : 1;
  return 0;
}

static bool binary(targs *t, const char *l, const char *op, const char *r) {
  if (!strcmp(op, "=") || !strcmp(op, "==")) return strcmp(l, r) == 0;
  if (!strcmp(op, "!=")) return strcmp(l, r) != 0;
  if (!strcmp(op, "<")) return strcmp(l, r) < 0;
  if (!strcmp(op, ">")) return strcmp(l, r) > 0;
  if (!strcmp(op, "-nt") || !strcmp(op, "-ot") || !strcmp(op, "-ef")) {
    struct stat a, b;
    bool ha = stat(l, &a) == 0, hb = stat(r, &b) == 0;
    if (!strcmp(op, "-ef")) return ha && hb && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
    if (!strcmp(op, "-nt")) return ha && (!hb || cmp_time(&a.st_mtim, &b.st_mtim) > 0);
    return hb && (!ha || cmp_time(&a.st_mtim, &b.st_mtim) < 0);
  }
  intmax_t x, y;
  if (!to_int(t, l, &x) || !to_int(t, r, &y)) return false;
  if (!strcmp(op, "-eq")) return x == y;
  if (!strcmp(op, "-ne")) return x != y;
  if (!strcmp(op, "-gt")) return x > y;
  if (!strcmp(op, "-ge")) return x >= y;
  if (!strcmp(op, "-lt")) return x < y;
  return x <= y;
}

/* ------------------------------------------------------ the general grammar */

static bool t_or(targs *t);

static const char *peek_arg(targs *t) { return t->at < t->n ? t->v[t->at] : NULL; }

static bool t_primary(targs *t) {
  const char *a = peek_arg(t);
  if (!a) {
    terr(t, t->at > 0 ? t->v[t->at - 1] : "test", "argument expected");
    return false;
  }
  if (!strcmp(a, "(") && t->at + 1 < t->n) {
    /* ( expr ) unless it is ( used as a string in a comparison */
    if (!(t->at + 2 < t->n && is_binary(t->v[t->at + 1]) && strcmp(t->v[t->at + 2], ")"))) {
      t->at++;
      bool r = t_or(t);
      const char *c = peek_arg(t);
      if (!c || strcmp(c, ")")) {
        terr(t, c ? c : "test", "closing paren expected");
        return false;
      }
      t->at++;
      return r;
    }
  }
  if (t->at + 1 < t->n && is_binary(t->v[t->at + 1])) {
    const char *l = t->v[t->at], *op = t->v[t->at + 1];
    if (t->at + 2 >= t->n) {
      terr(t, op, "argument expected");
      return false;
    }
    const char *r = t->v[t->at + 2];
    t->at += 3;
    return binary(t, l, op, r);
  }
  if (is_unary(a) && t->at + 1 < t->n) {
    t->at += 2;
    return unary(t, a[1], t->v[t->at - 1]);
  }
  t->at++;
  return *a != 0;
}

static bool t_not(targs *t) {
  const char *a = peek_arg(t);
  if (a && !strcmp(a, "!") && t->at + 1 < t->n) {
    t->at++;
    return !t_not(t);
  }
  return t_primary(t);
}

static bool t_and(targs *t) {
  bool r = t_not(t);
  while (!t->err && peek_arg(t) && !strcmp(peek_arg(t), "-a")) {
    t->at++;
    bool r2 = t_not(t);
    r = r && r2;
  }
  return r;
}

static bool t_or(targs *t) {
  bool r = t_and(t);
  while (!t->err && peek_arg(t) && !strcmp(peek_arg(t), "-o")) {
    t->at++;
    bool r2 = t_and(t);
    r = r || r2;
  }
  return r;
}

/* ------------------------------------------------ POSIX's rules by count */

static int eval_n(targs *t, char **v, int n);

static int eval_n(targs *t, char **v, int n) {
  switch (n) {
  case 0: return 1;
  case 1: return v[0][0] ? 0 : 1;
  case 2:
    if (!strcmp(v[0], "!")) return v[1][0] ? 1 : 0;
    if (is_unary(v[0])) return unary(t, v[0][1], v[1]) ? 0 : 1;
    if (is_binary(v[1])) terr(t, v[1], "argument expected");
    else terr(t, v[0], "unexpected operator");
    return 2;
  case 3:
    if (is_binary(v[1])) return binary(t, v[0], v[1], v[2]) ? 0 : 1;
    if (!strcmp(v[0], "!")) {
      int r = eval_n(t, v + 1, 2);
      return r == 2 ? 2 : !r;
    }
    if (!strcmp(v[0], "(") && !strcmp(v[2], ")")) return v[1][0] ? 0 : 1;
    if (!strcmp(v[1], "-a") || !strcmp(v[1], "-o")) break;
    terr(t, v[1], "unexpected operator");
    return 2;
  case 4:
    if (!strcmp(v[0], "!")) {
      int r = eval_n(t, v + 1, 3);
      return r == 2 ? 2 : !r;
    }
    if (!strcmp(v[0], "(") && !strcmp(v[3], ")")) return eval_n(t, v + 1, 2);
    break;
  }
  t->v = v;
  t->n = n;
  t->at = 0;
  bool r = t_or(t);
  if (!t->err && t->at < t->n) terr(t, t->v[t->at], "unexpected operator");
  return r ? 0 : 1;
}

int bi_test(int argc, char **argv) {
  int n = argc - 1;
  tname = argv[0][0] == '[' ? "[" : "test";
  if (strcmp(argv[0], "[") == 0) {
    if (n < 1 || strcmp(argv[argc - 1], "]") != 0) {
      bi_error("[", "missing ]");
      return 2;
    }
    n--;
  }
  targs t = {0};
  int r = eval_n(&t, argv + 1, n);
  return t.err ? 2 : r;
}
