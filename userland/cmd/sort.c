/*
 * sort [-bcCdfghiMmnrsuz] [-k KEY]... [-t SEP] [-o FILE] [FILE]...: sorts lines (POSIX, with
 * GNU's -g -h -M -C -s -z). Keys are -k F[.C][OPTS][,F[.C][OPTS]] with OPTS from bdfghiMnr;
 * a key without options takes the global ones. Fields are separated by SEP, or else start
 * at a run of blanks. Lines whose keys compare equal are ordered by their bytes (the "last
 * resort"), unless -s or -u; -u keeps the first of each run of equal lines; -c/-C check.
 * Strings compare by bytes, which is the C and C.UTF-8 collation. -m sorts (the result of
 * merging sorted files is the same).
 */
#include "input.h"
#include "opt.h"

#include <math.h>

struct key {
  size_t sword, schar, eword, echar; /* eword 0: to the end of the line; echar 0: field end */
  int skip_sblanks, skip_eblanks;
  int numeric, general, human, month, reverse, fold, dict, nonprint;
};

struct line {
  const char *s;
  size_t len;
};

static struct key *keys;
static size_t nkeys;
static struct key global;
static int tab = -1; /* -1: blanks separate fields */
static int stable, unique;
static char eol = '\n';

static int blank(int c) { return c == ' ' || c == '\t'; }

/* The start of field N (1-based) of [s, lim). */
static const char *field_start(const char *s, const char *lim, size_t n) {
  const char *p = s;
  for (size_t i = 1; i < n && p < lim; i++) {
    if (tab >= 0) {
      while (p < lim && *p != (char)tab) p++;
      if (p < lim) p++;
    } else {
      while (p < lim && blank((unsigned char)*p)) p++;
      while (p < lim && !blank((unsigned char)*p)) p++;
    }
  }
  return p;
}

static void key_bounds(const struct key *k, const char *s, size_t len, const char **kb, const char **ke) {
  const char *lim = s + len;
  const char *b = field_start(s, lim, k->sword);
  if (k->skip_sblanks)
    while (b < lim && blank((unsigned char)*b)) b++;
  b = (size_t)(lim - b) > k->schar - 1 ? b + k->schar - 1 : lim;
  const char *e = lim;
  if (k->eword) {
    e = field_start(s, lim, k->eword);
    if (k->echar == 0) {
      if (tab >= 0) {
        while (e < lim && *e != (char)tab) e++;
      } else {
        while (e < lim && blank((unsigned char)*e)) e++;
        while (e < lim && !blank((unsigned char)*e)) e++;
      }
    } else {
      if (k->skip_eblanks)
        while (e < lim && blank((unsigned char)*e)) e++;
      e = (size_t)(lim - e) > k->echar ? e + k->echar : lim;
    }
  }
  if (e < b) e = b;
  *kb = b;
  *ke = e;
}

/* -n: compares decimal numbers as strings (any length); not a number counts as 0. */
static int num_compare(const char *a, const char *ae, const char *b, const char *be) {
  while (a < ae && blank((unsigned char)*a)) a++;
  while (b < be && blank((unsigned char)*b)) b++;
  int na = a < ae && *a == '-', nb = b < be && *b == '-';
  if (na) a++;
  if (nb) b++;
  /* integer digits without leading zeros, then the fraction without trailing zeros */
  while (a < ae && *a == '0') a++;
  while (b < be && *b == '0') b++;
  const char *ai = a, *bi = b;
  while (a < ae && isdigit((unsigned char)*a)) a++;
  while (b < be && isdigit((unsigned char)*b)) b++;
  size_t la = (size_t)(a - ai), lb = (size_t)(b - bi);
  const char *af = a, *afe = a, *bf = b, *bfe = b;
  if (a < ae && *a == '.') {
    af = ++a;
    while (a < ae && isdigit((unsigned char)*a)) a++;
    afe = a;
    while (afe > af && afe[-1] == '0') afe--;
  }
  if (b < be && *b == '.') {
    bf = ++b;
    while (b < be && isdigit((unsigned char)*b)) b++;
    bfe = b;
    while (bfe > bf && bfe[-1] == '0') bfe--;
  }
  int za = la == 0 && afe == af, zb = lb == 0 && bfe == bf;
  if (za) na = 0;
  if (zb) nb = 0;
  if (na != nb) return na ? -1 : 1;
  int r;
  if (la != lb) {
    r = la < lb ? -1 : 1;
  } else {
    r = memcmp(ai, bi, la);
    if (r == 0) {
      size_t fa = (size_t)(afe - af), fb = (size_t)(bfe - bf), m = fa < fb ? fa : fb;
      r = memcmp(af, bf, m);
      if (r == 0) r = fa < fb ? -1 : fa > fb;
    }
    r = r < 0 ? -1 : r > 0;
  }
  return na ? -r : r;
}

/* -h: the unit right after the number: none 0, k/K 1, M 2, G 3, ... */
static int human_rank(const char *p, const char *e) {
  while (p < e && blank((unsigned char)*p)) p++;
  if (p < e && *p == '-') p++;
  while (p < e && (isdigit((unsigned char)*p) || *p == '.')) p++;
  if (p >= e) return 0;
  static const char units[] = "KMGTPEZYRQ";
  if (*p == 'k') return 1;
  const char *u = *p ? strchr(units, *p) : NULL;
  return u ? (int)(u - units) + 1 : 0;
}

static int human_compare(const char *a, const char *ae, const char *b, const char *be) {
  const char *pa = a, *pb = b;
  while (pa < ae && blank((unsigned char)*pa)) pa++;
  while (pb < be && blank((unsigned char)*pb)) pb++;
  int sa = pa < ae && *pa == '-' ? -1 : 1, sb = pb < be && *pb == '-' ? -1 : 1;
  if (sa != sb) return sa < sb ? -1 : 1;
  int ra = human_rank(a, ae), rb = human_rank(b, be);
  if (ra != rb) return (ra < rb ? -1 : 1) * sa;
  return num_compare(a, ae, b, be);
}

static int general_compare(const char *a, const char *ae, const char *b, const char *be) {
  char *ta = strndup(a, (size_t)(ae - a)), *tb = strndup(b, (size_t)(be - b)), *ea, *eb;
  double x = strtod(ta, &ea), y = strtod(tb, &eb);
  int ra = ea == ta ? 0 : isnan(x) ? 1 : 2, rb = eb == tb ? 0 : isnan(y) ? 1 : 2;
  free(ta);
  free(tb);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra < 2) return 0;
  return x < y ? -1 : x > y;
}

static int month_of(const char *p, const char *e) {
  static const char *months[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                 "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  while (p < e && blank((unsigned char)*p)) p++;
  if (e - p < 3) return 0;
  for (int m = 0; m < 12; m++)
    if (toupper((unsigned char)p[0]) == months[m][0] && toupper((unsigned char)p[1]) == months[m][1] &&
        toupper((unsigned char)p[2]) == months[m][2])
      return m + 1;
  return 0;
}

/* Text with -f -d -i: compare the bytes that count, folded. */
static int text_compare(const struct key *k, const char *a, const char *ae, const char *b, const char *be) {
  if (!k->fold && !k->dict && !k->nonprint) {
    size_t la = (size_t)(ae - a), lb = (size_t)(be - b);
    int r = memcmp(a, b, la < lb ? la : lb);
    if (r) return r < 0 ? -1 : 1;
    return la < lb ? -1 : la > lb;
  }
  for (;;) {
    if (k->dict || k->nonprint) {
      while (a < ae && (k->dict ? !(isalnum((unsigned char)*a) || blank((unsigned char)*a)) : !isprint((unsigned char)*a))) a++;
      while (b < be && (k->dict ? !(isalnum((unsigned char)*b) || blank((unsigned char)*b)) : !isprint((unsigned char)*b))) b++;
    }
    if (a >= ae || b >= be) return (a < ae) - (b < be);
    int ca = (unsigned char)*a++, cb = (unsigned char)*b++;
    if (k->fold) ca = toupper(ca), cb = toupper(cb);
    if (ca != cb) return ca < cb ? -1 : 1;
  }
}

static int key_compare(const struct key *k, const struct line *x, const struct line *y) {
  const char *a, *ae, *b, *be;
  key_bounds(k, x->s, x->len, &a, &ae);
  key_bounds(k, y->s, y->len, &b, &be);
  int r;
  if (k->numeric) r = num_compare(a, ae, b, be);
  else if (k->general) r = general_compare(a, ae, b, be);
  else if (k->human) r = human_compare(a, ae, b, be);
  else if (k->month) {
    int ma = month_of(a, ae), mb = month_of(b, be);
    r = ma < mb ? -1 : ma > mb;
  } else r = text_compare(k, a, ae, b, be);
  return k->reverse ? -r : r;
}

/* Compares by the keys only (what -u and -c use). */
static int compare_keys(const struct line *x, const struct line *y) {
  for (size_t i = 0; i < nkeys; i++) {
    int r = key_compare(&keys[i], x, y);
    if (r) return r;
  }
  return 0;
}

static int compare(const struct line *x, const struct line *y) {
  int r = compare_keys(x, y);
  if (r || stable || unique) return r;
  size_t m = x->len < y->len ? x->len : y->len;
  r = memcmp(x->s, y->s, m);
  if (!r) r = x->len < y->len ? -1 : x->len > y->len;
  return global.reverse ? -r : r;
}

/* A stable merge sort. */
static void merge_sort(struct line *v, struct line *tmp, size_t n) {
  if (n < 2) return;
  size_t h = n / 2;
  merge_sort(v, tmp, h);
  merge_sort(v + h, tmp, n - h);
  if (compare(&v[h - 1], &v[h]) <= 0) return;
  size_t i = 0, j = h, k = 0;
  while (i < h && j < n) tmp[k++] = compare(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
  while (i < h) tmp[k++] = v[i++];
  while (j < n) tmp[k++] = v[j++];
  memcpy(v, tmp, n * sizeof *v);
}

/* Parses the options letters of a key; returns the rest. */
static const char *key_opts(const char *p, struct key *k, int end) {
  for (;; p++) {
    switch (*p) {
    case 'b': if (end) k->skip_eblanks = 1; else k->skip_sblanks = 1; break;
    case 'd': k->dict = 1; break;
    case 'f': k->fold = 1; break;
    case 'g': k->general = 1; break;
    case 'h': k->human = 1; break;
    case 'i': k->nonprint = 1; break;
    case 'M': k->month = 1; break;
    case 'n': k->numeric = 1; break;
    case 'r': k->reverse = 1; break;
    default: return p;
    }
  }
}

static int has_opts(const struct key *k) {
  return k->skip_sblanks || k->skip_eblanks || k->dict || k->fold || k->general || k->human || k->nonprint ||
         k->month || k->numeric || k->reverse;
}

static size_t key_number(const char **pp, const char *what) {
  const char *p = *pp;
  if (!isdigit((unsigned char)*p)) {
    warnx("%s: invalid count at start of %s", what, quote_loc(p));
    exit(2);
  }
  size_t v = 0;
  while (isdigit((unsigned char)*p)) v = v * 10 + (size_t)(*p++ - '0');
  *pp = p;
  return v;
}

static void parse_key(const char *spec) {
  struct key k;
  memset(&k, 0, sizeof k);
  const char *p = spec;
  k.sword = key_number(&p, "invalid number at field start");
  if (k.sword == 0) {
    warnx("field number is zero: invalid field specification %s", quote_loc(spec));
    exit(2);
  }
  k.schar = 1;
  if (*p == '.') {
    p++;
    k.schar = key_number(&p, "invalid number after '.'");
    if (k.schar == 0) {
      warnx("character offset is zero: invalid field specification %s", quote_loc(spec));
      exit(2);
    }
  }
  p = key_opts(p, &k, 0);
  if (*p == ',') {
    p++;
    k.eword = key_number(&p, "invalid number after ','");
    if (k.eword == 0) {
      warnx("field number is zero: invalid field specification %s", quote_loc(spec));
      exit(2);
    }
    if (*p == '.') {
      p++;
      k.echar = key_number(&p, "invalid number after '.'");
    }
    p = key_opts(p, &k, 1);
  }
  if (*p) {
    warnx("stray character in field spec: invalid field specification %s", quote_loc(spec));
    exit(2);
  }
  keys = xrealloc(keys, sizeof *keys * (nkeys + 1));
  keys[nkeys++] = k;
}

static char *slurp(int fd, size_t *len) {
  size_t cap = 65536, n = 0;
  char *buf = xmalloc(cap);
  for (;;) {
    if (n == cap) buf = xrealloc(buf, cap *= 2);
    ssize_t r = read_some(fd, buf + n, cap - n);
    if (r < 0) {
      free(buf);
      return NULL;
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  *len = n;
  return buf;
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {
      {"ignore-leading-blanks", 0, 'b'}, {"check", 2, 'c'}, {"dictionary-order", 0, 'd'},
      {"ignore-case", 0, 'f'}, {"general-numeric-sort", 0, 'g'}, {"human-numeric-sort", 0, 'h'},
      {"ignore-nonprinting", 0, 'i'}, {"key", 1, 'k'}, {"month-sort", 0, 'M'}, {"merge", 0, 'm'},
      {"numeric-sort", 0, 'n'}, {"output", 1, 'o'}, {"reverse", 0, 'r'}, {"stable", 0, 's'},
      {"field-separator", 1, 't'}, {"unique", 0, 'u'}, {"zero-terminated", 0, 'z'},
      {NULL, 0, 0}};
  const char *output = NULL;
  int check = 0, c;
  while ((c = opt_next(argc, argv, "bcCdfghiMmnrsuzk:o:t:S:T:", longs)) != -1) {
    switch (c) {
    case 'b': global.skip_sblanks = global.skip_eblanks = 1; break;
    case 'c': check = 1; break;
    case 'C': check = 2; break;
    case 'd': global.dict = 1; break;
    case 'f': global.fold = 1; break;
    case 'g': global.general = 1; break;
    case 'h': global.human = 1; break;
    case 'i': global.nonprint = 1; break;
    case 'M': global.month = 1; break;
    case 'm': break;
    case 'n': global.numeric = 1; break;
    case 'r': global.reverse = 1; break;
    case 's': stable = 1; break;
    case 'u': unique = 1; break;
    case 'z': eol = 0; break;
    case 'k': parse_key(opt_arg); break;
    case 'o': output = opt_arg; break;
    case 'S':
    case 'T': break; /* buffer size, temporary directory: nothing to tune */
    case 't':
      if (opt_arg[0] && opt_arg[1]) {
        if (strcmp(opt_arg, "\\0") == 0) {
          tab = 0;
          break;
        }
        warnx("multi-character tab %s", quote_loc(opt_arg));
        return 2;
      }
      tab = (unsigned char)opt_arg[0];
      break;
    default: usage_error(NULL); return 2;
    }
  }
  int kinds = global.numeric + global.general + global.human + global.month;
  if (kinds > 1) {
    char o[8], *q = o;
    if (global.general) *q++ = 'g';
    if (global.human) *q++ = 'h';
    if (global.month) *q++ = 'M';
    if (global.numeric) *q++ = 'n';
    *q = 0;
    warnx("options '-%s' are incompatible", o);
    return 2;
  }
  /* Keys without options inherit the global ones; no keys: the whole line. */
  for (size_t i = 0; i < nkeys; i++) {
    if (!has_opts(&keys[i])) {
      size_t sw = keys[i].sword, sc = keys[i].schar, ew = keys[i].eword, ec = keys[i].echar;
      keys[i] = global;
      keys[i].sword = sw, keys[i].schar = sc, keys[i].eword = ew, keys[i].echar = ec;
    }
  }
  if (nkeys == 0) {
    keys = xmalloc(sizeof *keys);
    keys[0] = global;
    keys[0].sword = 1;
    keys[0].schar = 1;
    nkeys = 1;
  }

  static char *dash[] = {"-", NULL};
  char **files = opt_ind < argc ? argv + opt_ind : dash;
  int nfiles = opt_ind < argc ? argc - opt_ind : 1;
  if (check && nfiles > 1) {
    warnx("extra operand %s not allowed with -%c", quote(files[1]), check == 1 ? 'c' : 'C');
    return 2;
  }

  struct line *lines = NULL;
  size_t n = 0, cap = 0;
  for (int i = 0; i < nfiles; i++) {
    int fd = strcmp(files[i], "-") == 0 ? 0 : open(files[i], O_RDONLY);
    if (fd < 0) {
      warne(errno, check ? "open failed: %s" : "cannot read: %s", quotef(files[i]));
      return 2;
    }
    size_t len;
    char *data = slurp(fd, &len);
    if (!data) {
      warne(errno, "read failed: %s", quotef(files[i]));
      return 2;
    }
    close_input(fd);
    for (size_t at = 0; at < len;) {
      const char *nl = memchr(data + at, eol, len - at);
      size_t l = nl ? (size_t)(nl - (data + at)) : len - at;
      if (n == cap) lines = xrealloc(lines, sizeof *lines * (cap = cap ? cap * 2 : 1024));
      lines[n].s = data + at;
      lines[n].len = l;
      n++;
      at += l + 1;
    }
  }

  if (check) {
    for (size_t i = 1; i < n; i++) {
      int r = unique ? compare_keys(&lines[i - 1], &lines[i]) : compare(&lines[i - 1], &lines[i]);
      if (r > 0 || (unique && r == 0)) {
        if (check == 1) {
          fflush(stdout);
          fprintf(stderr, "%s: %s:%zu: disorder: ", progname, files[0], i + 1);
          fwrite(lines[i].s, 1, lines[i].len, stderr);
          fputc('\n', stderr);
        }
        return 1;
      }
    }
    return 0;
  }

  struct line *tmp = xmalloc(sizeof *tmp * (n ? n : 1));
  merge_sort(lines, tmp, n);

  if (output && !freopen(output, "w", stdout)) {
    warne(errno, "open failed: %s", quotef(output));
    return 2;
  }
  for (size_t i = 0; i < n; i++) {
    if (unique && i > 0 && compare_keys(&lines[i - 1], &lines[i]) == 0) continue;
    fwrite(lines[i].s, 1, lines[i].len, stdout);
    putchar(eol);
  }
  if (close_stdout()) return 2;
  return 0;
}
