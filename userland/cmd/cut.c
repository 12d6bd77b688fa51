/*
 * cut -b LIST | -c LIST | -f LIST [-d DELIM] [-s] [--complement] [--output-delimiter=S]
 * [FILE]...: selects bytes, characters (here the same as bytes, as GNU's cut) or
 * DELIM-separated fields (default TAB) from each line (POSIX; --complement,
 * --output-delimiter and -z from GNU). LIST is N, N-, -M, N-M separated by commas.
 */
#include "input.h"
#include "opt.h"

struct range {
  size_t lo, hi; /* 1-based, inclusive; hi SIZE_MAX = to the end */
};

static struct range *ranges;
static size_t nranges;
static int fields_mode;

static int cmp_range(const void *a, const void *b) {
  const struct range *x = a, *y = b;
  return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int list_error(const char *fmt, const char *arg) {
  warn_start(fmt, arg);
  fputc('\n', stderr);
  usage_error(NULL);
  return 0;
}

/* A number in a list; 0 after a message. */
static int list_number(const char *s, size_t len, size_t *out) {
  char tmp[64];
  snprintf(tmp, sizeof tmp, "%.*s", (int)len, s);
  if (len == 0 || strspn(tmp, "0123456789") != len) {
    return list_error(fields_mode ? "invalid field value %s" : "invalid byte/character position %s", quote_loc(tmp));
  }
  errno = 0;
  unsigned long long v = strtoull(tmp, NULL, 10);
  if (errno || v > SIZE_MAX / 2) {
    return list_error(fields_mode ? "field number %s is too large" : "byte/character offset %s is too large",
                      quote_loc(tmp));
  }
  if (v == 0) return list_error(fields_mode ? "fields are numbered from 1" : "byte/character positions are numbered from 1", "");
  *out = (size_t)v;
  return 1;
}

static int parse_list(const char *list) {
  const char *p = list;
  for (;;) {
    size_t len = strcspn(p, ", \t");
    struct range r;
    if (len == 0) return list_error(fields_mode ? "fields are numbered from 1" : "byte/character positions are numbered from 1", "");
    const char *dash = memchr(p, '-', len);
    if (len == 1 && *p == '-') return list_error("invalid range with no endpoint: -", "");
    if (!dash) {
      if (!list_number(p, len, &r.lo)) return 0;
      r.hi = r.lo;
    } else {
      if (memchr(dash + 1, '-', len - (size_t)(dash + 1 - p)))
        return list_error(fields_mode ? "invalid field range" : "invalid byte or character range", "");
      if (dash == p) r.lo = 1;
      else if (!list_number(p, (size_t)(dash - p), &r.lo)) return 0;
      size_t rest = len - (size_t)(dash + 1 - p);
      if (rest == 0) r.hi = SIZE_MAX;
      else if (!list_number(dash + 1, rest, &r.hi)) return 0;
      if (r.hi < r.lo) return list_error("invalid decreasing range", "");
    }
    ranges = xrealloc(ranges, sizeof *ranges * (nranges + 1));
    ranges[nranges++] = r;
    p += len;
    if (!*p) break;
    p++;
  }
  /* sorted and merged */
  qsort(ranges, nranges, sizeof *ranges, cmp_range);
  size_t m = 0;
  for (size_t i = 0; i < nranges; i++) {
    if (m && ranges[i].lo <= ranges[m - 1].hi + (ranges[m - 1].hi != SIZE_MAX)) {
      if (ranges[i].hi > ranges[m - 1].hi) ranges[m - 1].hi = ranges[i].hi;
    } else {
      ranges[m++] = ranges[i];
    }
  }
  nranges = m;
  return 1;
}

static void complement_list(void) {
  struct range *out = xmalloc(sizeof *out * (nranges + 1));
  size_t n = 0, next = 1;
  for (size_t i = 0; i < nranges; i++) {
    if (ranges[i].lo > next) out[n++] = (struct range){next, ranges[i].lo - 1};
    if (ranges[i].hi == SIZE_MAX) {
      next = SIZE_MAX;
      break;
    }
    next = ranges[i].hi + 1;
  }
  if (next != SIZE_MAX) out[n++] = (struct range){next, SIZE_MAX};
  free(ranges);
  ranges = out;
  nranges = n;
}

/* Which range holds position I (1-based); -1 if none. */
static long range_of(size_t i) {
  for (size_t k = 0; k < nranges; k++)
    if (i >= ranges[k].lo && i <= ranges[k].hi) return (long)k;
  return -1;
}

static char delim = '\t', eol = '\n';
static const char *out_delim;
static int only_delimited;

static void cut_bytes(const char *line, size_t len) {
  long prev = -1;
  for (size_t i = 0; i < len; i++) {
    long k = range_of(i + 1);
    if (k < 0) continue;
    if (out_delim && prev >= 0 && k != prev) fputs(out_delim, stdout);
    prev = k;
    putchar(line[i]);
  }
  putchar(eol);
}

static void cut_fields(const char *line, size_t len) {
  if (!memchr(line, delim, len)) {
    if (!only_delimited) {
      fwrite(line, 1, len, stdout);
      putchar(eol);
    }
    return;
  }
  size_t field = 1, start = 0;
  int printed = 0;
  for (size_t i = 0; i <= len; i++) {
    if (i < len && line[i] != delim) continue;
    if (range_of(field) >= 0) {
      if (printed++) {
        if (out_delim) fputs(out_delim, stdout);
        else putchar(delim);
      }
      fwrite(line + start, 1, i - start, stdout);
    }
    field++;
    start = i + 1;
  }
  putchar(eol);
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {
      {"bytes", 1, 'b'}, {"characters", 1, 'c'}, {"fields", 1, 'f'}, {"delimiter", 1, 'd'},
      {"only-delimited", 0, 's'}, {"complement", 0, 'C'}, {"output-delimiter", 1, 'O'},
      {"zero-terminated", 0, 'z'}, {NULL, 0, 0}};
  const char *list = NULL, *delim_arg = NULL;
  int mode = 0, comp = 0, c;
  while ((c = opt_next(argc, argv, "b:c:f:d:snz", longs)) != -1) {
    switch (c) {
    case 'b':
    case 'c':
    case 'f':
      if (mode) {
        usage_error("only one list may be specified");
        return 1;
      }
      mode = c;
      list = opt_arg;
      break;
    case 'd': delim_arg = opt_arg; break;
    case 's': only_delimited = 1; break;
    case 'n': break;
    case 'C': comp = 1; break;
    case 'O': out_delim = opt_arg; break;
    case 'z': eol = 0; break;
    default: usage_error(NULL); return 1;
    }
  }
  if (!mode) {
    usage_error("you must specify a list of bytes, characters, or fields");
    return 1;
  }
  fields_mode = mode == 'f';
  if (delim_arg && !fields_mode) {
    usage_error("an input delimiter may be specified only when operating on fields");
    return 1;
  }
  if (only_delimited && !fields_mode) {
    usage_error("suppressing non-delimited lines makes sense\n\tonly when operating on fields");
    return 1;
  }
  if (delim_arg) {
    if (strlen(delim_arg) > 1) {
      usage_error("the delimiter must be a single character");
      return 1;
    }
    delim = delim_arg[0];
  }
  if (!parse_list(list)) return 1;
  if (comp) complement_list();

  static char *dash[] = {"-", NULL};
  char **files = opt_ind < argc ? argv + opt_ind : dash;
  int nfiles = opt_ind < argc ? argc - opt_ind : 1;
  int status = 0;
  char *line = NULL;
  size_t cap = 0;
  for (int i = 0; i < nfiles; i++) {
    FILE *f = fopen_input(files[i]);
    if (!f) {
      warne(errno, "%s", quotef(files[i]));
      status = 1;
      continue;
    }
    ssize_t n;
    while ((n = getdelim(&line, &cap, eol, f)) > 0) {
      if (line[n - 1] == eol) n--;
      if (fields_mode) cut_fields(line, (size_t)n);
      else cut_bytes(line, (size_t)n);
    }
    if (ferror(f)) {
      warne(errno == EBADF ? EISDIR : errno, "%s", quotef(files[i]));
      status = 1;
    }
    fclose_input(f);
  }
  if (close_stdout()) return 1;
  return status;
}
