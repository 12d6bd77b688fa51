/*
 * xargs [-0rtx] [-d DELIM] [-n MAX] [-L MAX] [-I REPLACE] [-s SIZE] [-E EOF] [-P PROCS]
 * [-a FILE] [COMMAND [ARG]...]: builds command lines from standard input and runs them
 * (POSIX; GNU's -0, -d, -r, -a, -P). Items are separated by blanks and newlines, with
 * '...', "..." and backslash quoting; -0 and -d take items verbatim. -I runs COMMAND once
 * per line with REPLACE in the arguments replaced by it. Without -r, COMMAND (default echo)
 * runs once even with no input, as GNU's. Each command is a child process (posix_spawnp).
 * Exit status: 0; 123 if a command exited 1-125; 124 if one exited 255 (xargs stops);
 * 125 if one was killed by a signal; 126 cannot run; 127 not found; 1 for xargs' own errors.
 */
#include "opt.h"

static FILE *in;
static int nul_mode, delim = -1, trace, no_run_empty, exit_on_size;
static long max_args = -1, max_lines = -1, max_procs = 1;
static size_t max_chars = 128 * 1024;
static const char *replace, *eof_str;
static char **cmd;
static int ncmd;
static int status;

/* ------------------------------------------------------------------------------ reading */

static int eof_seen;

/* Reads the next item; NULL at the end. */
static char *next_item(int *line_end) {
  static char *buf;
  static size_t cap;
  size_t n = 0;
  int c;
  *line_end = 0;
  if (eof_seen) return NULL;
  if (nul_mode || delim >= 0) {
    int sep = nul_mode ? 0 : delim;
    c = getc(in);
    if (c == EOF) return NULL;
    for (; c != EOF && c != sep; c = getc(in)) {
      if (n + 2 > cap) buf = xrealloc(buf, cap = cap ? cap * 2 : 256);
      buf[n++] = (char)c;
    }
    if (n + 1 > cap) buf = xrealloc(buf, cap = cap ? cap * 2 : 256);
    buf[n] = 0;
    *line_end = 1;
    return buf;
  }
  /* skip blanks */
  do c = getc(in);
  while (c == ' ' || c == '\t' || c == '\n');
  if (c == EOF) return NULL;
  int quote = 0;
  for (;; c = getc(in)) {
    if (c == EOF) {
      if (quote) {
        warnx("unmatched %s quote; by default quotes are special to xargs unless you use the -0 option",
              quote == '\'' ? "single" : "double");
        status = 1;
        eof_seen = 1;
        return NULL;
      }
      break;
    }
    if (quote) {
      if (c == quote) {
        quote = 0;
        continue;
      }
      if (c == '\n') {
        warnx("unmatched %s quote; by default quotes are special to xargs unless you use the -0 option",
              quote == '\'' ? "single" : "double");
        status = 1;
        eof_seen = 1;
        return NULL;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      continue;
    } else if (c == '\\') {
      c = getc(in);
      if (c == EOF) break;
    } else if (c == '\n') {
      *line_end = 1;
      break;
    } else if ((c == ' ' || c == '\t') && !replace) {
      /* a blank ends the item; a line ending with blanks goes on (for -L) */
      int d;
      do d = getc(in);
      while (d == ' ' || d == '\t');
      if (d == '\n') *line_end = max_lines < 0;
      else if (d != EOF) ungetc(d, in);
      else *line_end = 1;
      break;
    }
    if (n + 2 > cap) buf = xrealloc(buf, cap = cap ? cap * 2 : 256);
    buf[n++] = (char)c;
  }
  if (n + 1 > cap) buf = xrealloc(buf, cap = cap ? cap * 2 : 256);
  buf[n] = 0;
  if (eof_str && strcmp(buf, eof_str) == 0) {
    eof_seen = 1;
    return NULL;
  }
  return buf;
}

/* -I: the next line, leading blanks dropped. */
static char *next_line(void) {
  static char *line;
  static size_t cap;
  for (;;) {
    if (eof_seen) return NULL;
    ssize_t n = getline(&line, &cap, in);
    if (n <= 0) return NULL;
    if (line[n - 1] == '\n') line[--n] = 0;
    char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    if (!*p) continue;
    if (eof_str && strcmp(p, eof_str) == 0) {
      eof_seen = 1;
      return NULL;
    }
    return p;
  }
}

/* ------------------------------------------------------------------------------ running */

static pid_t *running;
static int nrunning;

static void reap_one(void) {
  int st;
  pid_t pid;
  while ((pid = waitpid(-1, &st, 0)) < 0)
    if (errno != EINTR) return;
  for (int i = 0; i < nrunning; i++)
    if (running[i] == pid) {
      running[i] = running[--nrunning];
      break;
    }
  if (WIFSIGNALED(st)) {
    warnx("%s: terminated by signal %d", cmd[0], WTERMSIG(st));
    exit(125);
  }
  int code = WEXITSTATUS(st);
  if (code == 255) {
    warnx("%s: exited with status 255; aborting", cmd[0]);
    exit(124);
  }
  if (code != 0 && status == 0) status = 123;
}

static void run(char **argv) {
  if (trace) {
    fflush(stdout);
    for (int i = 0; argv[i]; i++) fprintf(stderr, "%s%s", i ? " " : "", argv[i]);
    fputc('\n', stderr);
  }
  while (nrunning >= max_procs) reap_one();
  fflush(stdout);
  pid_t pid;
  int err = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
  if (err) {
    warne(err, "%s", argv[0]);
    exit(err == ENOENT ? 127 : 126);
  }
  running[nrunning++] = pid;
  if (max_procs == 1) reap_one();
}

static char *replace_all(const char *arg, const char *with) {
  size_t rl = strlen(replace), count = 0;
  for (const char *p = arg; (p = strstr(p, replace)) != NULL; p += rl) count++;
  char *out = xmalloc(strlen(arg) + count * strlen(with) + 1), *o = out;
  for (const char *p = arg; *p;) {
    if (rl && strncmp(p, replace, rl) == 0) {
      o += sprintf(o, "%s", with);
      p += rl;
    } else {
      *o++ = *p++;
    }
  }
  *o = 0;
  return out;
}

static size_t cmd_size(void) {
  size_t n = 0;
  for (int i = 0; i < ncmd; i++) n += strlen(cmd[i]) + 1;
  return n;
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {
      {"null", 0, '0'}, {"delimiter", 1, 'd'}, {"max-args", 1, 'n'}, {"max-lines", 2, 'l'},
      {"replace", 2, 'i'}, {"no-run-if-empty", 0, 'r'}, {"verbose", 0, 't'}, {"max-chars", 1, 's'},
      {"exit", 0, 'x'}, {"eof", 2, 'e'}, {"max-procs", 1, 'P'}, {"arg-file", 1, 'a'}, {NULL, 0, 0}};
  const char *arg_file = NULL;
  int c;
  while ((c = opt_next(argc, argv, "+0d:n:L:l::I:i::rts:xE:e::P:a:p", longs)) != -1) {
    long long v;
    switch (c) {
    case '0': nul_mode = 1; break;
    case 'd':
      if (opt_arg[0] == '\\' && opt_arg[1]) {
        switch (opt_arg[1]) {
        case 'n': delim = '\n'; break;
        case 't': delim = '\t'; break;
        case '0': delim = 0; break;
        case '\\': delim = '\\'; break;
        default: delim = (unsigned char)opt_arg[1];
        }
      } else if (opt_arg[0] && !opt_arg[1]) {
        delim = (unsigned char)opt_arg[0];
      } else {
        warnx("invalid input delimiter specification %s: the delimiter must be either a single character or an escape sequence starting with \\.", opt_arg);
        return 1;
      }
      break;
    case 'n':
      if (!parse_ll(opt_arg, &v)) {
        warnx("invalid number \"%s\" for -n option", opt_arg);
        usage_error(NULL);
        return 1;
      }
      if (v < 1) {
        warnx("value %s for -n option should be >= 1", opt_arg);
        usage_error(NULL);
        return 1;
      }
      max_args = (long)v;
      break;
    case 'L':
    case 'l':
      v = 1;
      if (opt_arg && (!parse_ll(opt_arg, &v) || v < 1)) {
        warnx("invalid number \"%s\" for -L option", opt_arg);
        usage_error(NULL);
        return 1;
      }
      max_lines = (long)v;
      replace = NULL;
      break;
    case 'I':
    case 'i':
      replace = opt_arg ? opt_arg : "{}";
      max_lines = 1;
      break;
    case 'r': no_run_empty = 1; break;
    case 't': trace = 1; break;
    case 'p': trace = 1; break;
    case 's':
      if (!parse_ll(opt_arg, &v) || v < 1) {
        warnx("invalid number \"%s\" for -s option", opt_arg);
        usage_error(NULL);
        return 1;
      }
      max_chars = (size_t)v;
      break;
    case 'x': exit_on_size = 1; break;
    case 'E':
    case 'e': eof_str = opt_arg && *opt_arg ? opt_arg : NULL; break;
    case 'P':
      if (!parse_ll(opt_arg, &v) || v < 0) {
        warnx("invalid number \"%s\" for -P option", opt_arg);
        usage_error(NULL);
        return 1;
      }
      max_procs = v == 0 ? 64 : (long)v;
      break;
    case 'a': arg_file = opt_arg; break;
    default: usage_error(NULL); return 1;
    }
  }
  static char *echo[] = {"echo", NULL};
  cmd = opt_ind < argc ? argv + opt_ind : echo;
  ncmd = opt_ind < argc ? argc - opt_ind : 1;
  in = stdin;
  if (arg_file && !(in = fopen(arg_file, "r"))) {
    warne(errno, "Cannot open input file %s", quote_loc(arg_file));
    return 1;
  }
  running = xmalloc(sizeof(pid_t) * (size_t)max_procs);
  signal(SIGPIPE, SIG_DFL);

  if (replace) {
    char *line;
    char **a = xmalloc(sizeof(char *) * (size_t)(ncmd + 1));
    while ((line = next_line()) != NULL) {
      for (int i = 0; i < ncmd; i++) a[i] = replace_all(cmd[i], line);
      a[ncmd] = NULL;
      run(a);
      for (int i = 0; i < ncmd; i++) free(a[i]);
    }
    while (nrunning) reap_one();
    return status;
  }

  size_t base = cmd_size();
  if (base > max_chars) {
    warnx("argument line too long");
    return 1;
  }
  size_t cap = 64, n = 0, size = base;
  char **a = xmalloc(sizeof(char *) * cap);
  for (int i = 0; i < ncmd; i++) a[n++] = cmd[i];
  long lines = 0;
  int ran = 0;
  for (;;) {
    int line_end;
    char *item = next_item(&line_end);
    if (item) {
      size_t len = strlen(item) + 1;
      if (size + len > max_chars) {
        if (n == (size_t)ncmd) {
          warnx("argument line too long");
          return 1;
        }
        if (exit_on_size) {
          warnx("argument list too long");
          return 1;
        }
        a[n] = NULL;
        run(a);
        ran = 1;
        for (size_t k = (size_t)ncmd; k < n; k++) free(a[k]);
        n = (size_t)ncmd;
        size = base;
        lines = 0;
      }
      if (n + 2 > cap) a = xrealloc(a, sizeof(char *) * (cap *= 2));
      a[n++] = xstrdup(item);
      size += len;
      if (line_end) lines++;
    }
    int full = (max_args > 0 && (long)(n - (size_t)ncmd) >= max_args) || (max_lines > 0 && lines >= max_lines);
    if ((item && full) || (!item && (n > (size_t)ncmd || (!ran && !no_run_empty)))) {
      a[n] = NULL;
      run(a);
      ran = 1;
      for (size_t k = (size_t)ncmd; k < n; k++) free(a[k]);
      n = (size_t)ncmd;
      size = base;
      lines = 0;
    }
    if (!item) break;
  }
  while (nrunning) reap_one();
  return status;
}
