/*
 * grep [-EFGcHhiLlnoqrRsvwxa] [-e PATTERN]... [-f FILE]... [-m NUM] [--include=GLOB]
 * [--exclude=GLOB] [--exclude-dir=GLOB] [PATTERN] [FILE]...: prints the lines that match
 * (POSIX: -E -F -c -e -f -i -l -n -q -s -v -x; GNU: -G -H -h -L -o -r -R -w -m -a and the
 * --include/--exclude globs). Patterns are POSIX BRE/ERE (wasi-libc's regex, which also
 * knows GNU's \+ \? \| \< \> \b \w \s); one pattern per line of a pattern argument.
 * Exit status 0 if a line was selected, 1 if none, 2 after an error (0 with -q and a match).
 *
 * As GNU grep: a file with a NUL byte, or a line to print that is not UTF-8 in a UTF-8
 * locale, is binary: "grep: FILE: binary file matches" on stderr instead of its lines.
 * -r without a FILE searches ".", naming files without "./"; directories are read in name
 * order (GNU: the order the filesystem gives). A literal pattern is searched with memmem
 * over whole buffers, which keeps `grep WORD` fast.
 */
#include "fs.h"
#include "input.h"
#include "opt.h"
#include "regex_msg.h"

#include <fnmatch.h>

enum { MODE_BRE, MODE_ERE, MODE_FIXED };

struct pattern {
  regex_t re;
  int is_regex;
  char *lit;
  size_t len;
};

static struct pattern *pats;
static size_t npats;
static int mode = MODE_BRE, icase, invert, count_only, list_files, list_nonmatching, line_numbers,
           only_matching, quiet, no_messages, word, whole_line, recursive, follow_all, text;
static int with_name = -1; /* -1: when several files */
static long long max_count = -1;
static int status = 1, error_seen;
static int utf8;
static char **includes, **excludes, **exclude_dirs;
static size_t nincludes, nexcludes, nexclude_dirs;

/* ---------------------------------------------------------------------------- patterns */

static int has_special(const char *p) {
  const char *special = mode == MODE_ERE ? "\\[*.^$+?(){}|" : "\\[*.^$";
  return strpbrk(p, special) != NULL;
}

/* GNU refuses [:space:] outside brackets, a common mistake. */
static int bad_class_syntax(const char *p) {
  for (const char *s = p; *s; s++) {
    if (*s == '\\' && s[1]) {
      s++;
      continue;
    }
    if (*s == '[') {
      const char *q = s + 1;
      if (*q == '^') q++;
      if (*q == ']') q++;
      const char *close = strchr(q, ']');
      if (!close) return 0;
      if (s[1] == ':' && close > s + 2 && close[-1] == ':') return 1;
      s = close;
    }
  }
  return 0;
}

static void add_pattern(const char *p, size_t len) {
  char *text_ = strndup(p, len);
  pats = xrealloc(pats, sizeof *pats * (npats + 1));
  struct pattern *pt = &pats[npats++];
  memset(pt, 0, sizeof *pt);
  pt->lit = text_;
  pt->len = len;
  if (mode == MODE_FIXED || (!has_special(text_) && !icase)) return;
  if (mode != MODE_FIXED && bad_class_syntax(text_)) {
    warnx("character class syntax is [[:space:]], not [:space:]");
    exit(2);
  }
  int flags = (mode == MODE_ERE ? REG_EXTENDED : 0) | (icase ? REG_ICASE : 0);
  if (!only_matching && !word && !whole_line) flags |= REG_NOSUB;
  int r = regcomp(&pt->re, text_, flags);
  if (r) {
    warnx("%s", regex_message(r));
    exit(2);
  }
  pt->is_regex = 1;
}

/* Patterns are separated by newlines. */
static void add_patterns(const char *arg, size_t len) {
  const char *p = arg, *end = arg + len;
  for (;;) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    add_pattern(p, nl ? (size_t)(nl - p) : (size_t)(end - p));
    if (!nl) break;
    p = nl + 1;
  }
}

/* ----------------------------------------------------------------------------- matching */

static int word_char(unsigned char c) { return isalnum(c) || c == '_' || c >= 0x80; }

static const char *mem_casemem(const char *h, size_t hl, const char *n, size_t nl) {
  if (nl == 0) return h;
  for (size_t i = 0; i + nl <= hl; i++) {
    size_t k = 0;
    while (k < nl && tolower((unsigned char)h[i + k]) == tolower((unsigned char)n[k])) k++;
    if (k == nl) return h + i;
  }
  return NULL;
}

/* The first match of pattern P in LINE (NUL-terminated at LEN) at or after FROM. */
static int find_one(const struct pattern *p, const char *line, size_t len, size_t from, size_t *so, size_t *eo) {
  if (!p->is_regex) {
    const char *hit = icase ? mem_casemem(line + from, len - from, p->lit, p->len)
                            : memmem(line + from, len - from, p->lit, p->len);
    if (!hit) return 0;
    *so = (size_t)(hit - line);
    *eo = *so + p->len;
    return 1;
  }
  regmatch_t m[1];
  if (regexec(&p->re, line + from, 1, m, from ? REG_NOTBOL : 0) != 0) return 0;
  *so = from + (size_t)m[0].rm_so;
  *eo = from + (size_t)m[0].rm_eo;
  return 1;
}

/* Whether LINE matches, honouring -w and -x; the match's bounds for -o. */
static int find_match(const char *line, size_t len, size_t from, size_t *mso, size_t *meo) {
  int found = 0;
  size_t best_so = 0, best_eo = 0;
  for (size_t i = 0; i < npats; i++) {
    const struct pattern *p = &pats[i];
    if (!p->is_regex && !only_matching && !word && !whole_line) {
      /* the common case: any occurrence will do */
      size_t so, eo;
      if (find_one(p, line, len, from, &so, &eo)) {
        *mso = so;
        *meo = eo;
        return 1;
      }
      continue;
    }
    {
      if (whole_line) {
        size_t so, eo;
        int ok;
        if (!p->is_regex) ok = p->len == len && (icase ? mem_casemem(line, len, p->lit, p->len) == line
                                                       : memcmp(line, p->lit, len) == 0);
        else ok = find_one(p, line, len, 0, &so, &eo) && so == 0 && eo == len;
        if (ok) {
          *mso = 0;
          *meo = len;
          return 1;
        }
        continue;
      }
      for (size_t at = from; at <= len;) {
        size_t so, eo;
        if (!find_one(p, line, len, at, &so, &eo)) break;
        if (!word || ((so == 0 || !word_char((unsigned char)line[so - 1])) &&
                      (eo == len || !word_char((unsigned char)line[eo])) && eo > so)) {
          if (!found || so < best_so || (so == best_so && eo > best_eo)) {
            best_so = so;
            best_eo = eo;
          }
          found = 1;
          break;
        }
        at = so + 1;
      }
    }
  }
  if (found) {
    *mso = best_so;
    *meo = best_eo;
  }
  return found;
}

/* ------------------------------------------------------------------------------ output */

struct file_state {
  const char *name;  /* as shown */
  long long line_no; /* of the current line */
  long long selected;
  int binary;      /* a NUL byte was seen: no line is printed */
  int bad_lines;   /* lines left out for not being UTF-8 */
  int done;
};

static int valid_utf8(const unsigned char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    unsigned char c = s[i];
    size_t k;
    if (c < 0x80) k = 1;
    else if (c >= 0xc2 && c < 0xe0) k = 2;
    else if (c >= 0xe0 && c < 0xf0) k = 3;
    else if (c >= 0xf0 && c < 0xf5) k = 4;
    else return 0;
    if (i + k > n) return 0;
    for (size_t j = 1; j < k; j++)
      if ((s[i + j] & 0xc0) != 0x80) return 0;
    i += k;
  }
  return 1;
}

static void prefix(struct file_state *st) {
  if (with_name) printf("%s:", st->name);
  if (line_numbers) printf("%lld:", st->line_no);
}

/* A selected line: print it, or what -o, -c, -l, -q want. Returns 0 to stop the file. */
static int selected(struct file_state *st, char *line, size_t len) {
  st->selected++;
  status = 0;
  if (quiet) exit(0);
  if (list_files || list_nonmatching) {
    st->done = 1;
    return 0;
  }
  if (!count_only) {
    if (!text && !st->binary && memchr(line, 0, len)) st->binary = 1;
    if (st->binary) {
      fflush(stdout);
      fprintf(stderr, "%s: %s: binary file matches\n", progname, st->name);
      st->done = 1;
      return 0;
    }
    if (utf8 && !text && !only_matching && !valid_utf8((unsigned char *)line, len)) {
      st->bad_lines = 1; /* GNU leaves the line out and says so at the end */
      goto counted;
    }
    if (only_matching) {
      size_t so, eo;
      for (size_t from = 0; from <= len && !invert;) {
        if (!find_match(line, len, from, &so, &eo)) break;
        if (eo > so) {
          if (utf8 && !text && !valid_utf8((unsigned char *)line + so, eo - so)) {
            st->bad_lines = 1;
            from = eo;
            continue;
          }
          prefix(st);
          fwrite(line + so, 1, eo - so, stdout);
          putchar('\n');
          from = eo;
        } else {
          from = so + 1;
        }
      }
    } else {
      prefix(st);
      fwrite(line, 1, len, stdout);
      putchar('\n');
    }
  }
counted:
  if (max_count >= 0 && st->selected >= max_count) {
    st->done = 1;
    return 0;
  }
  return 1;
}

/* One line (LINE[len] may be overwritten with a NUL). Returns 0 to stop the file. */
static int do_line(struct file_state *st, char *line, size_t len) {
  st->line_no++;
  char saved = line[len];
  line[len] = 0;
  size_t so, eo;
  int m = find_match(line, len, 0, &so, &eo);
  int r = 1;
  if (m != invert) r = selected(st, line, len);
  line[len] = saved;
  return r;
}

static size_t count_newlines(const char *p, const char *end) {
  size_t n = 0;
  while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
    n++;
    p++;
  }
  return n;
}

/* Lines [p, end) (each ending in '\n'); the literal fast path when it applies. */
static int do_lines(struct file_state *st, char *p, char *end) {
  int fast = npats == 1 && !pats[0].is_regex && !icase && !invert && !word && !whole_line && !only_matching &&
             pats[0].len > 0;
  while (p < end) {
    if (fast) {
      char *hit = memmem(p, (size_t)(end - p), pats[0].lit, pats[0].len);
      if (!hit) {
        if (line_numbers) st->line_no += (long long)count_newlines(p, end);
        return 1;
      }
      char *ls = hit;
      while (ls > p && ls[-1] != '\n') ls--;
      if (line_numbers) st->line_no += (long long)count_newlines(p, ls);
      char *le = memchr(hit, '\n', (size_t)(end - hit));
      st->line_no++;
      if (!selected(st, ls, (size_t)(le - ls))) return 0;
      p = le + 1;
      continue;
    }
    char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!do_line(st, p, (size_t)(nl - p))) return 0;
    p = nl + 1;
  }
  return 1;
}

#define CHUNK (256 * 1024)

static void grep_fd(int fd, const char *name) {
  struct file_state st = {name, 0, 0, 0, 0, 0};
  size_t cap = CHUNK + 1, len = 0;
  char *buf = xmalloc(cap);
  int first_block = 1;
  for (;;) {
    if (cap - len < CHUNK / 2 + 1) buf = xrealloc(buf, cap *= 2);
    ssize_t r = read_some(fd, buf + len, cap - len - 1);
    if (r < 0) {
      if (!no_messages) warne(errno, "%s", name);
      error_seen = 1;
      break;
    }
    /* A NUL in the first block makes the file binary; later, a NUL in a line to print. */
    if (!text && first_block && memchr(buf + len, 0, (size_t)r)) st.binary = 1;
    first_block = 0;
    len += (size_t)r;
    if (r == 0) {
      if (len > 0) {
        buf[len] = '\n'; /* the last line, unterminated */
        do_lines(&st, buf, buf + len + 1);
      }
      break;
    }
    char *last_nl = NULL;
    for (char *q = buf + len; q > buf; q--)
      if (q[-1] == '\n') {
        last_nl = q;
        break;
      }
    if (!last_nl) continue;
    if (!do_lines(&st, buf, last_nl)) break;
    len -= (size_t)(last_nl - buf);
    memmove(buf, last_nl, len);
  }
  free(buf);
  if (st.bad_lines && !st.done) {
    fflush(stdout);
    fprintf(stderr, "%s: %s: binary file matches\n", progname, name);
  }
  if (count_only && !list_files && !list_nonmatching) {
    if (with_name) printf("%s:", name);
    printf("%lld\n", st.selected);
  }
  if (list_files && st.selected) printf("%s\n", name);
  if (list_nonmatching && !st.selected) printf("%s\n", name);
}

/* ------------------------------------------------------------------------------- files */

static int matches_any(char **globs, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (fnmatch(globs[i], name, 0) == 0) return 1;
  return 0;
}

static void grep_path(const char *path, const char *shown, int top);

static void grep_dir(const char *path, const char *shown) {
  size_t n;
  char **names = read_dir_sorted(path, &n);
  if (!names) {
    if (!no_messages) warne(errno, "%s", shown);
    error_seen = 1;
    return;
  }
  for (size_t i = 0; i < n; i++) {
    char *p = path_join(path, names[i]);
    char *s = shown[0] ? path_join(shown, names[i]) : xstrdup(names[i]);
    grep_path(p, s, 0);
    free(p);
    free(s);
    free(names[i]);
  }
  free(names);
}

static void grep_path(const char *path, const char *shown, int top) {
  if (strcmp(path, "-") == 0 && top) {
    grep_fd(0, "(standard input)");
    return;
  }
  struct stat st;
  int r = (recursive && !top && !follow_all) ? lstat(path, &st) : stat(path, &st);
  if (r != 0) {
    if (!no_messages) warne(errno, "%s", shown);
    error_seen = 1;
    return;
  }
  if (S_ISLNK(st.st_mode)) return; /* -r: links met in a walk are not followed */
  const char *base = last_component(path);
  if (S_ISDIR(st.st_mode)) {
    if (!recursive) {
      if (!no_messages) warnx("%s: Is a directory", shown);
      error_seen = 1;
      return;
    }
    if (!top && matches_any(exclude_dirs, nexclude_dirs, base)) return;
    grep_dir(path, shown);
    return;
  }
  if (recursive && !top) {
    if (nincludes && !matches_any(includes, nincludes, base)) return;
    if (matches_any(excludes, nexcludes, base)) return;
    if (!S_ISREG(st.st_mode)) return;
  }
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    if (!no_messages) warne(errno, "%s", shown);
    error_seen = 1;
    return;
  }
  grep_fd(fd, shown);
  close(fd);
}

static void add_glob(char ***list, size_t *n, const char *g) {
  *list = xrealloc(*list, sizeof **list * (*n + 1));
  (*list)[(*n)++] = (char *)g;
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  enum { INCLUDE = 256, EXCLUDE, EXCLUDE_DIR, COLOR, BINARY_FILES };
  static const struct longopt longs[] = {
      {"extended-regexp", 0, 'E'}, {"fixed-strings", 0, 'F'}, {"basic-regexp", 0, 'G'},
      {"regexp", 1, 'e'}, {"file", 1, 'f'}, {"ignore-case", 0, 'i'}, {"invert-match", 0, 'v'},
      {"word-regexp", 0, 'w'}, {"line-regexp", 0, 'x'}, {"count", 0, 'c'},
      {"files-with-matches", 0, 'l'}, {"files-without-match", 0, 'L'}, {"line-number", 0, 'n'},
      {"only-matching", 0, 'o'}, {"quiet", 0, 'q'}, {"silent", 0, 'q'}, {"no-messages", 0, 's'},
      {"recursive", 0, 'r'}, {"dereference-recursive", 0, 'R'}, {"with-filename", 0, 'H'},
      {"no-filename", 0, 'h'}, {"max-count", 1, 'm'}, {"text", 0, 'a'}, {"include", 1, INCLUDE},
      {"exclude", 1, EXCLUDE}, {"exclude-dir", 1, EXCLUDE_DIR}, {"color", 2, COLOR},
      {"colour", 2, COLOR}, {"binary-files", 1, BINARY_FILES}, {NULL, 0, 0}};
  const char **pattern_args = xmalloc(sizeof(char *) * (size_t)argc);
  size_t *pattern_lens = xmalloc(sizeof(size_t) * (size_t)argc);
  int npattern_args = 0, c;
  while ((c = opt_next(argc, argv, "EFGPe:f:ivwxclLnoqsrRHhm:ay", longs)) != -1) {
    switch (c) {
    case 'E': mode = MODE_ERE; break;
    case 'F': mode = MODE_FIXED; break;
    case 'G': mode = MODE_BRE; break;
    case 'e':
      pattern_lens[npattern_args] = strlen(opt_arg);
      pattern_args[npattern_args++] = opt_arg;
      break;
    case 'f': {
      int fd = strcmp(opt_arg, "-") == 0 ? 0 : open(opt_arg, O_RDONLY);
      if (fd < 0) {
        warne(errno, "%s", opt_arg);
        return 2;
      }
      size_t cap = 4096, n = 0;
      char *data = xmalloc(cap);
      ssize_t r;
      while ((r = read_some(fd, data + n, cap - n)) > 0)
        if ((n += (size_t)r) == cap) data = xrealloc(data, cap *= 2);
      close_input(fd);
      if (n > 0 && data[n - 1] == '\n') n--;
      else if (n == 0) break; /* an empty file: no patterns */
      pattern_lens[npattern_args] = n;
      pattern_args[npattern_args++] = data;
      break;
    }
    case 'i':
    case 'y': icase = 1; break;
    case 'v': invert = 1; break;
    case 'w': word = 1; break;
    case 'x': whole_line = 1; break;
    case 'c': count_only = 1; break;
    case 'l': list_files = 1; break;
    case 'L': list_nonmatching = 1; break;
    case 'n': line_numbers = 1; break;
    case 'o': only_matching = 1; break;
    case 'q': quiet = 1; break;
    case 's': no_messages = 1; break;
    case 'r': recursive = 1; break;
    case 'R': recursive = follow_all = 1; break;
    case 'H': with_name = 1; break;
    case 'h': with_name = 0; break;
    case 'a': text = 1; break;
    case 'P': warnx("Perl matching not supported in a --disable-perl-regexp build"); return 2;
    case 'm': {
      long long v;
      if (!parse_ll(opt_arg, &v)) {
        warnx("invalid max count");
        return 2;
      }
      max_count = v < 0 ? -1 : v;
      break;
    }
    case INCLUDE: add_glob(&includes, &nincludes, opt_arg); break;
    case EXCLUDE: add_glob(&excludes, &nexcludes, opt_arg); break;
    case EXCLUDE_DIR: add_glob(&exclude_dirs, &nexclude_dirs, opt_arg); break;
    case COLOR: break;
    case BINARY_FILES: if (strcmp(opt_arg, "text") == 0) text = 1; break;
    default:
      fprintf(stderr, "Usage: %s [OPTION]... PATTERNS [FILE]...\n", progname);
      usage_error(NULL);
      return 2;
    }
  }
  if (npattern_args == 0) {
    if (opt_ind >= argc) {
      fprintf(stderr, "Usage: %s [OPTION]... PATTERNS [FILE]...\n", progname);
      usage_error(NULL);
      return 2;
    }
    pattern_lens[npattern_args] = strlen(argv[opt_ind]);
    pattern_args[npattern_args++] = argv[opt_ind++];
  }
  const char *lc = getenv("LC_ALL");
  if (!lc || !*lc) lc = getenv("LC_CTYPE");
  if (!lc || !*lc) lc = getenv("LANG");
  utf8 = lc && (strstr(lc, "UTF-8") || strstr(lc, "utf8") || strstr(lc, "utf-8"));
  for (int i = 0; i < npattern_args; i++) add_patterns(pattern_args[i], pattern_lens[i]);

  int nfiles = argc - opt_ind;
  if (with_name < 0) with_name = nfiles > 1 || recursive;
  if (nfiles == 0) {
    if (recursive) grep_dir(".", "");
    else grep_path("-", "-", 1);
  } else {
    for (int i = opt_ind; i < argc; i++) grep_path(argv[i], argv[i], 1);
  }
  if (close_stdout()) return 2;
  if (error_seen && !(quiet && status == 0)) return 2;
  return status;
}
