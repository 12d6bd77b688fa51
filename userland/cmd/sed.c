/*
 * sed [-nEsz] [-i[SUFFIX]] [-e SCRIPT]... [-f FILE]... [SCRIPT] [FILE]...: the stream editor
 * (POSIX, with GNU's extensions that scripts use).
 *
 * Addresses: N, $, /RE/ and \cREc (flags I, M), FIRST~STEP, ADDR1,ADDR2, ADDR,+N, ADDR,~N,
 * 0,/RE/, and ! after them. Commands: { } = a i c (GNU's one-line forms too) b t T : d D
 * F g G h H l n N p P q Q (with exit codes) r R w W s y x z #. s/RE/REPL/FLAGS with flags g
 * p N i I m M w FILE; REPL knows & \1..\9 \n \t and GNU's \L \U \l \u \E. Regexes are
 * POSIX BRE (or ERE with -E/-r) from wasi-libc, with \n and \t, and the empty regex meaning
 * the last one used. -i edits files in place (through a temporary file renamed over the
 * original), keeping FILE+SUFFIX as a backup when a suffix is given; -s or -i treat files
 * separately for line numbers and $. Exit status 0; 1 for a bad script; 2 when an input
 * file could not be read; 4 for an I/O error; or the code given to q/Q. No `e` command.
 */
#include "input.h"
#include "opt.h"
#include "regex_msg.h"

#include <sys/stat.h>

/* ------------------------------------------------------------------------------ types */

struct rx {
  regex_t re;
  size_t nsub;
};

enum { A_NONE, A_LINE, A_LAST, A_REGEX, A_STEP, A_ZERO };
enum { A2_PLAIN, A2_PLUS, A2_TILDE };

struct addr {
  int type;
  long line, step;
  struct rx *rx; /* NULL with A_REGEX: the last regex used */
};

struct outfile {
  char *name;
  FILE *f;
};

struct cmd {
  struct addr a1, a2;
  int a2kind, naddr, negate;
  char name;
  int active;
  long range_end;
  /* arguments */
  char *text;        /* a i c: the text; b t T ":": the label; r R: the file */
  size_t text_len;
  long target;       /* b t T: the command to jump to (-1: end of script); { : its } */
  struct rx *rx;     /* s */
  char *repl;        /* s: the replacement, with \1 etc. encoded as (1, digit) pairs */
  size_t repl_len;
  int global, print, occurrence, eval;
  struct outfile *out; /* s///w, w, W */
  unsigned char ymap[256];
  int int_arg;       /* q Q: exit code; l: line length */
};

static struct cmd *prog;
static long nprog;
static struct outfile *outfiles;
static size_t noutfiles;

static int extended, quiet, separate, in_place, zero;
static const char *suffix;
static char eol = '\n';

/* ------------------------------------------------------------------------- the script */

static char *script; /* all pieces, each followed by '\n' */
static size_t script_len;
/* where each piece starts, to report "-e expression #N, char M" or "file F line L" */
struct piece {
  size_t start, len;
  const char *file; /* -f: its name */
};
static struct piece *pieces;
static size_t npieces;
static size_t pos; /* parse position in script */

static void add_piece(const char *text, size_t len, const char *file) {
  script = xrealloc(script, script_len + len + 2);
  memcpy(script + script_len, text, len);
  pieces = xrealloc(pieces, sizeof *pieces * (npieces + 1));
  pieces[npieces++] = (struct piece){script_len, len, file};
  script_len += len;
  /* a piece of -e that ends in a backslash (a\) continues into the next one */
  script[script_len++] = '\n';
  script[script_len] = 0;
}

static void bad_script(const char *msg, ...) __attribute__((format(printf, 1, 2), noreturn));
static void bad_script(const char *msg, ...) {
  size_t at = pos;
  size_t i = 0;
  while (i + 1 < npieces && pieces[i + 1].start <= (at ? at - 1 : 0)) i++;
  fflush(stdout);
  if (npieces && pieces[i].file) {
    size_t line = 1;
    for (size_t k = pieces[i].start; k < at && k < script_len; k++)
      if (script[k] == '\n') line++;
    fprintf(stderr, "%s: file %s line %zu: ", progname, pieces[i].file, line);
  } else {
    size_t ch = npieces ? at - pieces[i].start : at;
    if (npieces && ch > pieces[i].len) ch = pieces[i].len;
    fprintf(stderr, "%s: -e expression #%zu, char %zu: ", progname, i + 1, ch);
  }
  va_list ap;
  va_start(ap, msg);
  vfprintf(stderr, msg, ap);
  va_end(ap);
  fputc('\n', stderr);
  exit(1);
}

static int peek(void) { return pos < script_len ? (unsigned char)script[pos] : EOF; }
static int next(void) { return pos < script_len ? (unsigned char)script[pos++] : EOF; }
static void skip_ws(void) {
  while (peek() == ' ' || peek() == '\t') pos++;
}

/* Compiles RE (NUL-terminated; \n and \t already converted). */
static struct rx *compile_rx(const char *re, int flags) {
  struct rx *r = xmalloc(sizeof *r);
  int cflags = (extended ? REG_EXTENDED : 0) | flags;
  int e = regcomp(&r->re, re, cflags);
  if (e) bad_script("%s", regex_message(e));
  r->nsub = r->re.re_nsub;
  return r;
}

/*
 * Reads a delimited regex (the opening delimiter consumed) up to DELIM. \DELIM becomes
 * DELIM, \n a newline, \t a tab; a delimiter inside [...] does not end it. Returns the text
 * (NULL at the end of the script).
 */
static char *read_delimited(int delim, int is_regex) {
  size_t cap = 64, n = 0;
  char *out = xmalloc(cap);
  int in_bracket = 0;
  for (;;) {
    int c = next();
    if (c == EOF || (c == '\n' && is_regex && !in_bracket)) {
      free(out);
      return NULL;
    }
    if (n + 4 > cap) out = xrealloc(out, cap *= 2);
    if (in_bracket) {
      if (c == ']' && in_bracket > 1) in_bracket = 0;
      else in_bracket++;
      if (c == '\\' && peek() == 'n') {
        pos++;
        out[n++] = '\n';
        continue;
      }
      out[n++] = (char)c;
      continue;
    }
    if (c == delim) break;
    if (c == '\\') {
      int d = next();
      if (d == EOF) {
        free(out);
        return NULL;
      }
      if (d == delim) {
        out[n++] = (char)d; /* \DELIM is the delimiter itself */
      } else if (is_regex && d == 'n') {
        out[n++] = '\n';
      } else if (is_regex && d == 't') {
        out[n++] = '\t';
      } else if (!is_regex && d == '\n') {
        out[n++] = '\n';
      } else {
        out[n++] = '\\'; /* the rest is for regcomp or the replacement parser */
        out[n++] = (char)d;
      }
      continue;
    }
    if (c == '[' && is_regex) {
      in_bracket = 1;
      if (peek() == '^') {
        out[n++] = '[';
        c = next();
      }
      if (peek() == ']') {
        out[n++] = (char)c;
        c = next();
        in_bracket = 2;
      }
    }
    out[n++] = (char)c;
  }
  out[n] = 0;
  return out;
}

static long read_number(void) {
  long v = 0;
  while (isdigit(peek())) v = v * 10 + (next() - '0');
  return v;
}

static int regex_flags(void) {
  int flags = 0;
  for (;;) {
    if (peek() == 'I') flags |= REG_ICASE;
    else if (peek() == 'M') flags |= REG_NEWLINE;
    else return flags;
    pos++;
  }
}

static int parse_addr(struct addr *a) {
  int c = peek();
  if (isdigit(c)) {
    long n = read_number();
    if (peek() == '~') {
      pos++;
      a->type = A_STEP;
      a->line = n;
      a->step = read_number();
      return 1;
    }
    a->type = n == 0 ? A_ZERO : A_LINE;
    a->line = n;
    return 1;
  }
  if (c == '$') {
    pos++;
    a->type = A_LAST;
    return 1;
  }
  if (c == '/' || c == '\\') {
    pos++;
    int delim = '/';
    if (c == '\\') delim = next();
    char *re = read_delimited(delim, 1);
    if (!re) bad_script("unterminated address regex");
    int flags = regex_flags();
    a->type = A_REGEX;
    a->rx = re[0] ? compile_rx(re, flags) : NULL;
    free(re);
    return 1;
  }
  return 0;
}

static struct outfile *open_out(const char *name) {
  for (size_t i = 0; i < noutfiles; i++)
    if (strcmp(outfiles[i].name, name) == 0) return &outfiles[i];
  outfiles = xrealloc(outfiles, sizeof *outfiles * (noutfiles + 1));
  struct outfile *o = &outfiles[noutfiles++];
  o->name = xstrdup(name);
  if (strcmp(name, "/dev/stdout") == 0) o->f = NULL; /* the current output */
  else if (strcmp(name, "/dev/stderr") == 0) o->f = stderr;
  else if (!(o->f = fopen(name, "w"))) {
    warne(errno, "couldn't open file %s", name);
    exit(4);
  }
  return o;
}

/* The rest of the line (for file names and labels). */
static char *read_to_eol(int stop_at_semicolon) {
  size_t start = pos;
  while (peek() != EOF && peek() != '\n' && !(stop_at_semicolon && peek() == ';')) pos++;
  size_t end = pos;
  while (end > start && (script[end - 1] == ' ' || script[end - 1] == '\t')) end--;
  return strndup(script + start, end - start);
}

/* The text of a, i, c: GNU's one-liner or POSIX's backslash-newline form. */
static void read_text(struct cmd *c) {
  skip_ws();
  if (peek() == EOF) bad_script("expected \\ after `a', `c' or `i'");
  if (peek() == '\\') {
    pos++;
    if (peek() == '\n') pos++;
  }
  size_t cap = 64, n = 0;
  char *t = xmalloc(cap);
  if (peek() == EOF) {
    /* "a\" at the very end: nothing to add */
    c->text = t;
    c->text_len = 0;
    return;
  }
  for (;;) {
    int ch = next();
    if (ch == EOF) break;
    if (n + 2 > cap) t = xrealloc(t, cap *= 2);
    if (ch == '\\') {
      int d = next();
      if (d == EOF) break;
      t[n++] = (char)d; /* \x is x; backslash-newline a newline */
      continue;
    }
    if (ch == '\n') break;
    t[n++] = (char)ch;
  }
  t[n++] = '\n';
  c->text = t;
  c->text_len = n;
}

/* End of a command: blanks, then ; newline } # or the end. */
static void end_of_cmd(void) {
  skip_ws();
  int c = peek();
  if (c == ';' || c == '\n') {
    pos++;
    return;
  }
  if (c == EOF || c == '}' || c == '#') return;
  pos++;
  bad_script("extra characters after command");
}

static void parse_s(struct cmd *c) {
  int delim = next();
  if (delim == EOF || delim == '\n' || delim == '\\') bad_script("unterminated `s' command");
  char *re = read_delimited(delim, 1);
  if (!re) bad_script("unterminated `s' command");
  char *repl = read_delimited(delim, 0);
  if (!repl) bad_script("unterminated `s' command");
  int flags = 0, have_g = 0, have_p = 0, have_n = 0;
  c->occurrence = 1;
  for (;;) {
    int f = peek();
    if (f == 'g') {
      if (have_g++) {
        pos++;
        bad_script("multiple `g' options to `s' command");
      }
      c->global = 1;
    } else if (f == 'p') {
      if (have_p++) {
        pos++;
        bad_script("multiple `p' options to `s' command");
      }
      c->print = 1;
    } else if (f == 'i' || f == 'I') {
      flags |= REG_ICASE;
    } else if (f == 'm' || f == 'M') {
      flags |= REG_NEWLINE;
    } else if (f == 'e') {
      c->eval = 1;
    } else if (isdigit(f)) {
      if (have_n++) {
        pos++;
        bad_script("multiple number options to `s' command");
      }
      long v = read_number();
      if (v == 0) bad_script("number option to `s' command may not be zero");
      c->occurrence = (int)v;
      continue;
    } else if (f == 'w') {
      pos++;
      skip_ws();
      char *name = read_to_eol(0);
      if (!*name) bad_script("missing filename in r/R/w/W commands");
      c->out = open_out(name);
      free(name);
      break;
    } else if (f == ';' || f == '\n' || f == '}' || f == '#' || f == ' ' || f == '\t' || f == EOF) {
      break;
    } else {
      pos++;
      bad_script("unknown option to `s'");
    }
    pos++;
  }
  if (c->eval) bad_script("the `e' flag is not supported here (no fork/exec)");
  c->rx = re[0] ? compile_rx(re, flags) : NULL;
  /* Encode the replacement: \N as (1, N), & as (2), case ops as (3, L/U/l/u/E). */
  size_t n = 0, len = strlen(repl);
  char *r = xmalloc(len * 2 + 1);
  for (size_t i = 0; i < len; i++) {
    char ch = repl[i];
    if (ch == '&') {
      r[n++] = 2;
    } else if (ch == '\\' && i + 1 < len) {
      char d = repl[++i];
      if (isdigit((unsigned char)d)) {
        if (c->rx && (size_t)(d - '0') > c->rx->nsub) {
          bad_script("invalid reference \\%c on `s' command's RHS", d);
        }
        r[n++] = 1;
        r[n++] = d;
      } else if (strchr("LUluE", d)) {
        r[n++] = 3;
        r[n++] = d;
      } else if (d == 'n') {
        r[n++] = '\n';
      } else if (d == 't') {
        r[n++] = '\t';
      } else if (d == 'r') {
        r[n++] = '\r';
      } else if (d == 'a') {
        r[n++] = '\a';
      } else if (d == 'f') {
        r[n++] = '\f';
      } else if (d == 'v') {
        r[n++] = '\v';
      } else {
        r[n++] = d;
      }
    } else {
      r[n++] = ch;
    }
  }
  c->repl = r;
  c->repl_len = n;
  free(re);
  free(repl);
}

static void parse_y(struct cmd *c) {
  int delim = next();
  if (delim == EOF || delim == '\n' || delim == '\\') bad_script("unterminated `y' command");
  char *parts[2];
  for (int k = 0; k < 2; k++) {
    size_t cap = 64, n = 0;
    char *s = xmalloc(cap);
    for (;;) {
      int ch = next();
      if (ch == EOF || ch == '\n') bad_script("unterminated `y' command");
      if (ch == delim) break;
      if (ch == '\\') {
        int d = next();
        if (d == 'n') ch = '\n';
        else if (d == 't') ch = '\t';
        else if (d == '\\' || d == delim) ch = d;
        else bad_script("unknown option to `y'"); /* unlikely */
      }
      if (n + 1 >= cap) s = xrealloc(s, cap *= 2);
      s[n++] = (char)ch;
    }
    s[n] = 0;
    parts[k] = s;
  }
  if (strlen(parts[0]) != strlen(parts[1])) bad_script("strings for `y' command are different lengths");
  for (int i = 0; i < 256; i++) c->ymap[i] = (unsigned char)i;
  for (size_t i = 0; parts[0][i]; i++) c->ymap[(unsigned char)parts[0][i]] = (unsigned char)parts[1][i];
  free(parts[0]);
  free(parts[1]);
}

static void parse_script(void) {
  long *open_blocks = xmalloc(sizeof(long) * (script_len + 1));
  long depth = 0;
  for (;;) {
    while (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == ';') pos++;
    if (peek() == EOF) break;
    if (peek() == '#') {
      if (pos == 0 && script_len >= 2 && script[1] == 'n' && (script_len == 2 || script[2] == '\n')) quiet = 1;
      while (peek() != EOF && peek() != '\n') pos++;
      continue;
    }
    prog = xrealloc(prog, sizeof *prog * (size_t)(nprog + 1));
    struct cmd *c = &prog[nprog];
    memset(c, 0, sizeof *c);
    c->target = -1;
    if (parse_addr(&c->a1)) {
      c->naddr = 1;
      skip_ws();
      if (peek() == ',') {
        pos++;
        skip_ws();
        if (peek() == '+' || peek() == '~') {
          c->a2kind = next() == '+' ? A2_PLUS : A2_TILDE;
          if (!isdigit(peek())) bad_script("expected newer version of sed");
          c->a2.type = A_LINE;
          c->a2.line = read_number();
        } else if (!parse_addr(&c->a2)) {
          bad_script("unexpected `,'");
        }
        if (c->a2.type == A_ZERO) bad_script("invalid usage of line address 0");
        c->naddr = 2;
      }
      if (c->a1.type == A_ZERO && (c->naddr == 1 || c->a2.type != A_REGEX))
        bad_script("invalid usage of line address 0");
    }
    skip_ws();
    while (peek() == '!') {
      pos++;
      c->negate = 1;
      skip_ws();
    }
    int name = next();
    if (name == EOF || name == '\n' || name == ';') bad_script("missing command");
    c->name = (char)name;
    switch (name) {
    case '{':
      open_blocks[depth++] = nprog;
      nprog++;
      continue;
    case '}':
      if (depth == 0) bad_script("unexpected `}'");
      if (c->naddr) bad_script("} doesn't want any addresses");
      prog[open_blocks[--depth]].target = nprog;
      nprog++;
      end_of_cmd();
      continue;
    case '=': case 'd': case 'D': case 'g': case 'G': case 'h': case 'H': case 'n': case 'N':
    case 'p': case 'P': case 'x': case 'z': case 'F':
      break;
    case 'a': case 'i': case 'c':
      read_text(c);
      nprog++;
      continue;
    case ':': {
      if (c->naddr) bad_script(": doesn't want any addresses");
      skip_ws();
      c->text = read_to_eol(1);
      if (!*c->text) bad_script("\":\" lacks a label");
      break;
    }
    case 'b': case 't': case 'T':
      skip_ws();
      c->text = read_to_eol(1);
      break;
    case 'r': case 'R': case 'w': case 'W': {
      skip_ws();
      char *file = read_to_eol(0);
      if (!*file) bad_script("missing filename in r/R/w/W commands");
      if (name == 'w' || name == 'W') c->out = open_out(file);
      c->text = file;
      break;
    }
    case 'q': case 'Q': case 'l': case 'L':
      if ((name == 'q' || name == 'Q') && c->naddr > 1) bad_script("command only uses one address");
      skip_ws();
      c->int_arg = isdigit(peek()) ? (int)read_number() : (name == 'l' ? -1 : 0);
      break;
    case 's':
      parse_s(c);
      break;
    case 'y':
      parse_y(c);
      break;
    case 'e':
      bad_script("the `e' command is not supported here (no fork/exec)");
    default:
      bad_script("unknown command: `%c'", name);
    }
    nprog++;
    end_of_cmd();
  }
  if (depth) {
    pos = 0;
    bad_script("unmatched `{'");
  }
  /* resolve labels */
  for (long i = 0; i < nprog; i++) {
    struct cmd *c = &prog[i];
    if (c->name != 'b' && c->name != 't' && c->name != 'T') continue;
    if (!*c->text) {
      c->target = -1;
      continue;
    }
    long j;
    for (j = 0; j < nprog; j++)
      if (prog[j].name == ':' && strcmp(prog[j].text, c->text) == 0) break;
    if (j == nprog) {
      warnx("can't find label for jump to `%s'", c->text);
      exit(4); /* GNU's panic status */
    }
    c->target = j;
  }
  free(open_blocks);
}

/* ---------------------------------------------------------------------------- input */

static char **files;
static int nfiles, file_index = -1;
static FILE *in;
static const char *in_name;
static int status;

/* The line read ahead, to know which line is the last. */
static char *ahead;
static size_t ahead_cap;
static ssize_t ahead_len = -1; /* -1: none */
static int ahead_newline;

static FILE *out;
static char *tmp_name;      /* -i: the temporary file */
static const char *edited;  /* -i: the file being edited */

static void finish_in_place(void) {
  if (!edited) return;
  if (fclose(out) != 0) {
    warne(errno, "couldn't close %s", tmp_name);
    exit(4);
  }
  if (suffix && *suffix) {
    char *backup;
    if (strchr(suffix, '*')) {
      /* GNU: * in the suffix stands for the file's base name */
      const char *base = last_component(edited);
      size_t n = strlen(suffix) + strlen(base) * 4 + 1;
      char *b = xmalloc(n), *o = b;
      for (const char *s = suffix; *s; s++) {
        if (*s == '*') o += sprintf(o, "%s", base);
        else *o++ = *s;
      }
      *o = 0;
      if (strchr(b, '/')) backup = b;
      else {
        size_t dl = (size_t)(last_component(edited) - edited);
        (void)dl;
        char *dir = xstrdup(edited);
        char *slash = strrchr(dir, '/');
        if (slash) {
          slash[1] = 0;
          backup = xmalloc(strlen(dir) + strlen(b) + 1);
          sprintf(backup, "%s%s", dir, b);
        } else {
          backup = b;
        }
      }
    } else {
      backup = xmalloc(strlen(edited) + strlen(suffix) + 1);
      sprintf(backup, "%s%s", edited, suffix);
    }
    if (rename(edited, backup) != 0) warne(errno, "cannot rename %s", edited);
    free(backup);
  }
  if (rename(tmp_name, edited) != 0) {
    warne(errno, "cannot rename %s", tmp_name);
    status = 4;
  }
  free(tmp_name);
  tmp_name = NULL;
  edited = NULL;
  out = stdout;
}

static int start_in_place(const char *name) {
  struct stat st;
  if (stat(name, &st) == 0 && !S_ISREG(st.st_mode)) {
    warnx("couldn't edit %s: not a regular file", name);
    status = 4;
    return 0;
  }
  char *dir = xstrdup(name), *slash = strrchr(dir, '/');
  if (slash) slash[1] = 0;
  else dir[0] = 0;
  tmp_name = xmalloc(strlen(dir) + 32);
  int fd = -1;
  for (int tries = 0; tries < 100 && fd < 0; tries++) {
    unsigned r;
    getentropy(&r, sizeof r);
    sprintf(tmp_name, "%ssed%06X", dir, r & 0xffffff);
    fd = open(tmp_name, O_WRONLY | O_CREAT | O_EXCL, 0600);
  }
  free(dir);
  if (fd < 0) {
    warne(errno, "couldn't open temporary file %s", tmp_name);
    exit(4);
  }
  if ((st.st_mode & 07777) != 0) fchmod(fd, st.st_mode & 07777);
  out = fdopen(fd, "w");
  edited = name;
  return 1;
}

/* Opens the next input file; 0 when there are none left. */
static int next_file(void) {
  for (;;) {
    if (in && in != stdin) fclose(in);
    if (in == stdin) clearerr(stdin);
    in = NULL;
    if (++file_index >= nfiles) return 0;
    in_name = files[file_index];
    if (in_place && strcmp(in_name, "-") != 0) {
      in = fopen_input(in_name);
      if (!in) {
        warne(errno, "can't read %s", in_name);
        status = 2;
        continue;
      }
      if (!start_in_place(in_name)) {
        fclose(in);
        in = NULL;
        continue;
      }
      return 1;
    }
    in = fopen_input(in_name);
    if (!in) {
      warne(errno, "can't read %s", in_name);
      status = 2;
      continue;
    }
    return 1;
  }
}

/* Reads the next line into AHEAD from the current and following files. */
static void read_ahead(int cross_files) {
  for (;;) {
    if (!in) {
      ahead_len = -1;
      return;
    }
    ssize_t n = getdelim(&ahead, &ahead_cap, eol, in);
    if (n > 0) {
      ahead_newline = ahead[n - 1] == eol;
      if (ahead_newline) n--;
      ahead[n] = 0;
      ahead_len = n;
      return;
    }
    if (ferror(in)) {
      warne(errno == EBADF ? EISDIR : errno, "read error on %s", in_name);
      status = 2;
    }
    if (!cross_files) {
      ahead_len = -1;
      return;
    }
    if (!next_file()) {
      ahead_len = -1;
      return;
    }
  }
}

/* --------------------------------------------------------------------------- buffers */

struct buf {
  char *s;
  size_t len, cap;
};

static void buf_reserve(struct buf *b, size_t n) {
  if (n + 1 > b->cap) {
    while (n + 1 > b->cap) b->cap = b->cap ? b->cap * 2 : 128;
    b->s = xrealloc(b->s, b->cap);
  }
}
static void buf_set(struct buf *b, const char *s, size_t n) {
  buf_reserve(b, n);
  memmove(b->s, s, n);
  b->len = n;
  b->s[n] = 0;
}
static void buf_add(struct buf *b, const char *s, size_t n) {
  buf_reserve(b, b->len + n);
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = 0;
}
static void buf_addc(struct buf *b, char c) { buf_add(b, &c, 1); }

static struct buf ps, hs; /* pattern and hold spaces */
static long line_no;
static int last_line_had_newline = 1;

/* -------------------------------------------------------------------------- running */

static struct rx *last_rx;

static struct rx *use_rx(struct rx *r) {
  if (r) return last_rx = r;
  if (!last_rx) {
    warnx("no previous regular expression");
    exit(1);
  }
  return last_rx;
}

static int rx_match(struct rx *r, const char *s, size_t from, size_t nm, regmatch_t *m, int notbol) {
  r = use_rx(r);
  return regexec(&r->re, s + from, nm, m, notbol ? REG_NOTBOL : 0) == 0;
}

static FILE *output(void) { return out ? out : stdout; }

/* The main output left its last line without a newline (the input's last line had none):
 * anything written after it starts with one, as GNU does. */
static int missing_newline;

static void out_write(FILE *f, const char *s, size_t n) {
  if (f == output() && missing_newline) {
    putc(eol, f);
    missing_newline = 0;
  }
  fwrite(s, 1, n, f);
}

static void put_line(FILE *f, const char *s, size_t n, int newline) {
  out_write(f, s, n);
  if (newline) putc(eol, f);
  else if (f == output()) missing_newline = 1;
}

/* The pattern space ends with a newline unless it is the last line, unterminated. */
static void print_ps(FILE *f) { put_line(f, ps.s, ps.len, ahead_len >= 0 || last_line_had_newline); }

static int is_last_line(void) { return ahead_len < 0; }

/* The text queued by a, r, R for the end of the cycle. */
struct queued {
  int kind; /* 0 text, 1 file, 2 a line of a file (R) */
  char *text;
  size_t len;
};
static struct queued *queue;
static size_t nqueue;
struct rfile {
  char *name;
  FILE *f;
};
static struct rfile *rfiles;
static size_t nrfiles;

static void enqueue(int kind, char *text, size_t len) {
  queue = xrealloc(queue, sizeof *queue * (nqueue + 1));
  queue[nqueue++] = (struct queued){kind, text, len};
}

static void flush_queue(void) {
  FILE *o = output();
  for (size_t i = 0; i < nqueue; i++) {
    struct queued *q = &queue[i];
    if (q->kind == 0) {
      out_write(o, q->text, q->len);
    } else if (q->kind == 1) {
      FILE *f = strcmp(q->text, "/dev/stdin") == 0 ? stdin : fopen(q->text, "r");
      if (!f) continue;
      char b[8192];
      size_t n;
      while ((n = fread(b, 1, sizeof b, f)) > 0) out_write(o, b, n);
      if (f != stdin) fclose(f);
    } else {
      size_t k;
      for (k = 0; k < nrfiles; k++)
        if (strcmp(rfiles[k].name, q->text) == 0) break;
      if (k == nrfiles) {
        rfiles = xrealloc(rfiles, sizeof *rfiles * (nrfiles + 1));
        rfiles[nrfiles].name = q->text;
        rfiles[nrfiles].f = fopen(q->text, "r");
        nrfiles++;
      }
      if (!rfiles[k].f) continue;
      char *l = NULL;
      size_t cap = 0;
      ssize_t n = getline(&l, &cap, rfiles[k].f);
      if (n > 0) {
        out_write(o, l, (size_t)n);
        if (l[n - 1] != '\n') putc('\n', o);
      }
      free(l);
    }
  }
  nqueue = 0;
}

/* Moves the read-ahead line into the pattern space (or appends it, for N). */
static int read_line_into_ps(int append) {
  if (ahead_len < 0) return 0;
  if (append) {
    buf_addc(&ps, '\n');
    buf_add(&ps, ahead, (size_t)ahead_len);
  } else {
    buf_set(&ps, ahead, (size_t)ahead_len);
  }
  last_line_had_newline = ahead_newline;
  line_no++;
  read_ahead(!separate);
  return 1;
}

static int match_addr(struct addr *a) {
  switch (a->type) {
  case A_LINE: return line_no == a->line;
  case A_LAST: return is_last_line();
  case A_REGEX: return rx_match(a->rx, ps.s, 0, 0, NULL, 0);
  case A_STEP:
    if (a->step <= 0) return line_no == a->line;
    return line_no >= a->line && (line_no - a->line) % a->step == 0;
  default: return 0;
  }
}

static int selected(struct cmd *c) {
  int m;
  if (c->naddr == 0) {
    m = 1;
  } else if (c->naddr == 1) {
    m = match_addr(&c->a1);
  } else if (c->active) {
    /* inside a range: does this line end it? */
    m = 1;
    if (c->a2kind == A2_PLAIN && c->a2.type == A_REGEX) {
      if (match_addr(&c->a2)) c->active = 0;
    } else if (c->a2kind == A2_PLAIN && c->a2.type == A_LAST) {
      if (is_last_line()) c->active = 0;
    } else if (line_no >= c->range_end) {
      c->active = 0;
      if (line_no > c->range_end) m = 0; /* a line-number end already passed */
    }
  } else {
    m = c->a1.type == A_ZERO ? 0 : match_addr(&c->a1);
    if (c->a1.type == A_ZERO && line_no >= 1 && !c->range_end) {
      /* 0,/re/: the range is active from before the first line */
      c->range_end = 1;
      m = 1;
      c->active = !match_addr(&c->a2);
    } else if (m) {
      c->active = 1;
      switch (c->a2kind) {
      case A2_PLUS:
        c->range_end = line_no + c->a2.line;
        if (c->a2.line == 0) c->active = 0;
        break;
      case A2_TILDE:
        if (c->a2.line <= 0 || line_no % c->a2.line == 0) c->active = 0;
        else c->range_end = (line_no / c->a2.line + 1) * c->a2.line;
        break;
      default:
        if (c->a2.type == A_LINE) {
          if (c->a2.line <= line_no) c->active = 0;
          else c->range_end = c->a2.line;
        } else if (c->a2.type == A_LAST) {
          if (is_last_line()) c->active = 0;
        } else if (c->a2.type == A_STEP) {
          c->range_end = c->a2.line;
          if (c->a2.line <= line_no) c->active = 0;
        }
        /* a regex end is looked for from the next line on */
      }
    }
  }
  return c->negate ? !m : m;
}

/* Applies case conversion state to a character. */
static char case_conv(char ch, int *one, int mode) {
  if (*one) {
    ch = (char)(*one == 'u' ? toupper((unsigned char)ch) : tolower((unsigned char)ch));
    *one = 0;
    return ch;
  }
  if (mode == 'U') return (char)toupper((unsigned char)ch);
  if (mode == 'L') return (char)tolower((unsigned char)ch);
  return ch;
}

static void append_repl(struct buf *b, const struct cmd *c, const char *s, const regmatch_t *m) {
  int mode = 0, one = 0;
  for (size_t i = 0; i < c->repl_len; i++) {
    char ch = c->repl[i];
    if (ch == 1 || ch == 2) {
      int g = ch == 2 ? 0 : c->repl[++i] - '0';
      if (m[g].rm_so < 0) continue;
      for (regoff_t k = m[g].rm_so; k < m[g].rm_eo; k++) buf_addc(b, case_conv(s[k], &one, mode));
    } else if (ch == 3) {
      char op = c->repl[++i];
      if (op == 'l' || op == 'u') one = op;
      else if (op == 'E') mode = 0, one = 0;
      else mode = op;
    } else {
      buf_addc(b, case_conv(ch, &one, mode));
    }
  }
}

static int do_subst(struct cmd *c) {
  struct rx *r = use_rx(c->rx);
  regmatch_t m[10];
  size_t nm = r->nsub + 1 > 10 ? 10 : r->nsub + 1;
  struct buf result = {0, 0, 0};
  size_t at = 0, prev_end = (size_t)-1;
  int count = 0, done = 0;
  while (at <= ps.len) {
    if (regexec(&r->re, ps.s + at, nm, m, at ? REG_NOTBOL : 0) != 0) break;
    for (size_t k = 0; k < nm; k++)
      if (m[k].rm_so >= 0) m[k].rm_so += (regoff_t)at, m[k].rm_eo += (regoff_t)at;
    size_t so = (size_t)m[0].rm_so, eo = (size_t)m[0].rm_eo;
    if (so == eo && so == prev_end) {
      /* no empty match right where the previous one ended */
      if (so < ps.len) buf_add(&result, ps.s + at, so - at + 1);
      at = so + 1;
      continue;
    }
    prev_end = eo;
    count++;
    buf_add(&result, ps.s + at, so - at);
    if (count >= c->occurrence) {
      append_repl(&result, c, ps.s, m);
      done = 1;
    } else {
      buf_add(&result, ps.s + so, eo - so);
    }
    if (eo == so) {
      /* an empty match: keep one character and move on */
      if (so < ps.len) buf_addc(&result, ps.s[so]);
      at = so + 1;
    } else {
      at = eo;
    }
    if (done && !c->global) break;
  }
  if (!done) {
    free(result.s);
    return 0;
  }
  if (at < ps.len) buf_add(&result, ps.s + at, ps.len - at);
  if (!result.s) buf_set(&result, "", 0);
  free(ps.s);
  ps = result;
  return 1;
}

static void do_list(int width) {
  FILE *o = output();
  out_write(o, "", 0);
  if (width < 0) width = 70;
  int col = 0;
  char tmp[8];
  for (size_t i = 0; i < ps.len; i++) {
    unsigned char ch = (unsigned char)ps.s[i];
    const char *e = NULL;
    switch (ch) {
    case '\\': e = "\\\\"; break;
    case '\a': e = "\\a"; break;
    case '\b': e = "\\b"; break;
    case '\f': e = "\\f"; break;
    case '\n': e = "\\n"; break;
    case '\r': e = "\\r"; break;
    case '\t': e = "\\t"; break;
    case '\v': e = "\\v"; break;
    }
    if (!e) {
      if (isprint(ch)) {
        tmp[0] = (char)ch;
        tmp[1] = 0;
      } else {
        snprintf(tmp, sizeof tmp, "\\%03o", ch);
      }
      e = tmp;
    }
    int w = (int)strlen(e);
    if (width > 1 && col + w > width - 1) {
      fputs("\\\n", o);
      col = 0;
    }
    fputs(e, o);
    col += w;
  }
  fputs("$\n", o);
}

/* Runs the script over the pattern space. Returns 1 to go on, 0 to quit (after printing
 * unless QUIT_SILENT). */
static int quit_code, quitting;

static void end_cycle(int autoprint) {
  if (autoprint && !quiet) print_ps(output());
  flush_queue();
}

static void run(void) {
  int subst_flag = 0;
  for (;;) {
    if (!read_line_into_ps(0)) {
      if (!separate) return;
      /* the end of a file read separately: -i is done, line numbers start over */
      finish_in_place();
      line_no = 0;
      for (long k = 0; k < nprog; k++) prog[k].active = 0, prog[k].range_end = 0;
      if (!next_file()) return;
      read_ahead(0);
      continue;
    }
    subst_flag = 0;
  restart:
    for (long pc = 0; pc < nprog; pc++) {
      struct cmd *c = &prog[pc];
      if (c->name == ':' || c->name == '}') continue;
      if (!selected(c)) {
        if (c->name == '{') pc = c->target;
        continue;
      }
      switch (c->name) {
      case '{': break;
      case '=': {
        char num[32];
        put_line(output(), num, (size_t)snprintf(num, sizeof num, "%ld", line_no), 1);
        break;
      }
      case 'a': enqueue(0, c->text, c->text_len); break;
      case 'i': out_write(output(), c->text, c->text_len); break;
      case 'c':
        /* with a range, the text goes out at its end */
        if (c->naddr < 2 || c->negate || !c->active) out_write(output(), c->text, c->text_len);
        end_cycle(0);
        goto next_cycle;
      case 'b': pc = c->target < 0 ? nprog : c->target; break;
      case 't':
        if (subst_flag) {
          subst_flag = 0;
          pc = c->target < 0 ? nprog : c->target;
        }
        break;
      case 'T':
        if (!subst_flag) pc = c->target < 0 ? nprog : c->target;
        else subst_flag = 0;
        break;
      case 'd': end_cycle(0); goto next_cycle;
      case 'D': {
        char *nl = memchr(ps.s, '\n', ps.len);
        if (!nl) {
          end_cycle(0);
          goto next_cycle;
        }
        buf_set(&ps, nl + 1, ps.len - (size_t)(nl + 1 - ps.s));
        flush_queue();
        goto restart;
      }
      case 'F': put_line(output(), in_name, strlen(in_name), 1); break;
      case 'g': buf_set(&ps, hs.s ? hs.s : "", hs.len); break;
      case 'G': buf_addc(&ps, '\n'); buf_add(&ps, hs.s ? hs.s : "", hs.len); break;
      case 'h': buf_set(&hs, ps.s, ps.len); break;
      case 'H': buf_addc(&hs, '\n'); buf_add(&hs, ps.s, ps.len); break;
      case 'l': do_list(c->int_arg == 0 ? 0 : c->int_arg); break;
      case 'n':
        if (is_last_line()) {
          /* GNU: no next line, so quit as at the end (printing) */
          end_cycle(1);
          return;
        }
        if (!quiet) print_ps(output());
        flush_queue();
        read_line_into_ps(0);
        break;
      case 'N':
        if (is_last_line()) {
          end_cycle(1);
          return;
        }
        flush_queue();
        read_line_into_ps(1);
        break;
      case 'p': print_ps(output()); break;
      case 'P': {
        char *nl = memchr(ps.s, '\n', ps.len);
        put_line(output(), ps.s, nl ? (size_t)(nl - ps.s) : ps.len, 1);
        break;
      }
      case 'q':
        quit_code = c->int_arg;
        end_cycle(1);
        quitting = 1;
        return;
      case 'Q':
        quit_code = c->int_arg;
        quitting = 1;
        return;
      case 'r': enqueue(1, c->text, 0); break;
      case 'R': enqueue(2, c->text, 0); break;
      case 's':
        if (do_subst(c)) {
          subst_flag = 1;
          if (c->print) print_ps(output());
          if (c->out) put_line(c->out->f ? c->out->f : output(), ps.s, ps.len, 1);
        }
        break;
      case 'w': put_line(c->out->f ? c->out->f : output(), ps.s, ps.len, 1); break;
      case 'W': {
        char *nl = memchr(ps.s, '\n', ps.len);
        put_line(c->out->f ? c->out->f : output(), ps.s, nl ? (size_t)(nl - ps.s) : ps.len, 1);
        break;
      }
      case 'x': {
        struct buf t = ps;
        ps = hs;
        hs = t;
        if (!ps.s) buf_set(&ps, "", 0);
        break;
      }
      case 'y':
        for (size_t i = 0; i < ps.len; i++) ps.s[i] = (char)c->ymap[(unsigned char)ps.s[i]];
        break;
      case 'z': buf_set(&ps, "", 0); break;
      }
    }
    end_cycle(1);
  next_cycle:;
  }
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {
      {"quiet", 0, 'n'}, {"silent", 0, 'n'}, {"expression", 1, 'e'}, {"file", 1, 'f'},
      {"in-place", 2, 'i'}, {"regexp-extended", 0, 'E'}, {"separate", 0, 's'},
      {"null-data", 0, 'z'}, {"posix", 0, 'P'}, {NULL, 0, 0}};
  int c, have_script = 0;
  /* First pass: -E must be known before any expression is compiled, so collect them. */
  struct { int file; char *arg; } *exprs = xmalloc(sizeof *exprs * (size_t)argc);
  int nexprs = 0;
  while ((c = opt_next(argc, argv, "ne:f:i::ErsuzlP", longs)) != -1) {
    switch (c) {
    case 'n': quiet = 1; break;
    case 'e': exprs[nexprs].file = 0; exprs[nexprs++].arg = opt_arg; have_script = 1; break;
    case 'f': exprs[nexprs].file = 1; exprs[nexprs++].arg = opt_arg; have_script = 1; break;
    case 'i': in_place = 1; separate = 1; suffix = opt_arg; break;
    case 'E':
    case 'r': extended = 1; break;
    case 's': separate = 1; break;
    case 'u':
    case 'P': break;
    case 'z': zero = 1; eol = 0; break;
    default:
      usage_error(NULL);
      return 1;
    }
  }
  for (int i = 0; i < nexprs; i++) {
    if (!exprs[i].file) {
      add_piece(exprs[i].arg, strlen(exprs[i].arg), NULL);
      continue;
    }
    FILE *f = strcmp(exprs[i].arg, "-") == 0 ? stdin : fopen(exprs[i].arg, "r");
    if (!f) {
      warne(errno, "couldn't open file %s", exprs[i].arg);
      return 4;
    }
    size_t cap = 4096, n = 0, r;
    char *data = xmalloc(cap);
    while ((r = fread(data + n, 1, cap - n, f)) > 0)
      if ((n += r) == cap) data = xrealloc(data, cap *= 2);
    if (f != stdin) fclose(f);
    if (n > 0 && data[n - 1] == '\n') n--;
    add_piece(data, n, exprs[i].arg);
  }
  if (!have_script) {
    if (opt_ind >= argc) {
      fprintf(stderr,
              "Usage: %s [OPTION]... {script-only-if-no-other-script} [input-file]...\n\n", progname);
      return 1;
    }
    add_piece(argv[opt_ind], strlen(argv[opt_ind]), NULL);
    opt_ind++;
  }
  /* A trailing newline joins the pieces; drop the very last one so that "a foo" ends. */
  if (script_len) script[--script_len] = 0;
  parse_script();

  static char *dash[] = {"-", NULL};
  files = opt_ind < argc ? argv + opt_ind : dash;
  nfiles = opt_ind < argc ? argc - opt_ind : 1;
  if (in_place && opt_ind >= argc) {
    warnx("no input files");
    return 4;
  }
  out = stdout;
  if (next_file()) read_ahead(!separate);
  run();
  finish_in_place();
  for (size_t i = 0; i < noutfiles; i++)
    if (outfiles[i].f && outfiles[i].f != stderr) fclose(outfiles[i].f);
  if (close_stdout()) return 4;
  if (quitting) return quit_code ? quit_code : status;
  return status;
}
