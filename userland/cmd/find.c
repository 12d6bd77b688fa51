/*
 * find [-H|-L|-P] [PATH...] [EXPRESSION]: walks directory trees and evaluates an expression
 * for each file (POSIX, with the GNU tests and actions scripts use).
 *
 * Operators: ( ) ! -not -a -and -o -or , (and juxtaposition for -a).
 * Tests: -name -iname -path -wholename -ipath -regex -iregex (POSIX basic, or extended after
 * -regextype posix-extended; GNU's default emacs syntax is close to basic) -type (f d l b c p s, or a comma list)
 * -mtime -atime -ctime (days, rounded down) -mmin -amin -cmin -size N[cwbkMG] -newer FILE
 * -empty -perm MODE|-MODE|/MODE -links -user -group -uid -gid -readable -writable
 * -executable -true -false; N may be +N (more) or -N (less).
 * Actions: -print -print0 -printf FMT -exec CMD {} ; -exec CMD {} + -execdir ... -ok ...
 * -delete -prune -quit. Options: -maxdepth -mindepth -depth -xdev -mount -follow.
 * Without an action, -print. -exec runs the command as a child process (posix_spawn) and
 * is true if it exits 0; with + the paths are batched and find exits 1 if a batch fails.
 * Directories are read in name order (GNU: the order the filesystem gives).
 */
#include "fs.h"
#include "mode.h"

#include <fnmatch.h>
#include <regex.h>
#include <time.h>

enum kind { N_AND, N_OR, N_NOT, N_COMMA, N_TEST };

enum test {
  T_NAME, T_INAME, T_PATH, T_IPATH, T_REGEX, T_TYPE, T_MTIME, T_ATIME, T_CTIME, T_MMIN, T_AMIN, T_CMIN,
  T_SIZE, T_NEWER, T_EMPTY, T_PERM, T_LINKS, T_UID, T_GID, T_READABLE, T_WRITABLE, T_EXECUTABLE,
  T_TRUE, T_FALSE, T_PRINT, T_PRINT0, T_PRINTF, T_EXEC, T_EXECDIR, T_OK, T_DELETE, T_PRUNE, T_QUIT
};

struct node {
  enum kind kind;
  struct node *a, *b;
  enum test test;
  const char *str;     /* pattern, format, type letters */
  int cmp;             /* -1 less, 0 exactly, 1 more */
  long long num;
  long long unit;      /* -size */
  struct timespec ref; /* -newer */
  mode_t perm;
  int perm_kind;       /* 0 exact, '-' all, '/' any */
  regex_t re;          /* -regex */
  char **argv;         /* -exec: the command, with {} */
  int argc, batch;     /* -exec ... + */
  char **pending;      /* -exec +: paths waiting */
  size_t npending, pending_bytes;
};

static char **args;
static int nargs, pos;
static int follow_mode = 'P', depth_first, xdev, have_action, status;
static int regex_extended; /* -regextype posix-extended (else basic, which stands in for emacs) */
static long maxdepth = -1, mindepth = 0;
static int npaths_given;
static struct timespec now;
static struct node **execs;
static size_t nexecs;
static int quitting;

/* ------------------------------------------------------------------------------ parsing */

static void die(const char *fmt, const char *arg) __attribute__((noreturn));
static void die(const char *fmt, const char *arg) {
  warn_start(fmt, arg);
  fputc('\n', stderr);
  exit(1);
}

static struct node *new_node(enum kind k) {
  struct node *n = xmalloc(sizeof *n);
  memset(n, 0, sizeof *n);
  n->kind = k;
  return n;
}

static const char *need_arg(const char *pred) {
  if (pos >= nargs) die("missing argument to `%s'", pred);
  return args[pos++];
}

/* +N, -N or N; the rest after the digits goes to *rest. */
static int parse_num(const char *s, struct node *n, const char **rest) {
  n->cmp = 0;
  if (*s == '+') n->cmp = 1, s++;
  else if (*s == '-') n->cmp = -1, s++;
  if (!isdigit((unsigned char)*s)) return 0;
  char *end;
  n->num = strtoll(s, &end, 10);
  if (rest) *rest = end;
  else if (*end) return 0;
  return 1;
}

static int compare(long long v, const struct node *n) {
  if (n->cmp < 0) return v < n->num;
  if (n->cmp > 0) return v > n->num;
  return v == n->num;
}

static struct node *parse_or(void);

static struct node *parse_exec(enum test t, const char *name) {
  struct node *n = new_node(N_TEST);
  n->test = t;
  int start = pos;
  while (pos < nargs) {
    if (strcmp(args[pos], ";") == 0) break;
    if (strcmp(args[pos], "+") == 0 && pos > start && strcmp(args[pos - 1], "{}") == 0 && t != T_OK) {
      n->batch = 1;
      break;
    }
    pos++;
  }
  if (pos >= nargs || pos == start) die("missing argument to `%s'", name);
  n->argc = pos - start - n->batch;
  n->argv = args + start;
  pos++;
  if (n->batch) {
    execs = xrealloc(execs, sizeof *execs * (nexecs + 1));
    execs[nexecs++] = n;
  }
  return n;
}

static struct node *parse_primary(void) {
  if (pos >= nargs) die("%s", "expected an expression");
  const char *a = args[pos++];
  if (strcmp(a, "(") == 0) {
    struct node *n = parse_or();
    if (pos >= nargs || strcmp(args[pos], ")") != 0) die("%s", "invalid expression; I was expecting to find a ')' somewhere but did not see one.");
    pos++;
    return n;
  }
  if (strcmp(a, "!") == 0 || strcmp(a, "-not") == 0) {
    struct node *n = new_node(N_NOT);
    n->a = parse_primary();
    return n;
  }
  struct node *n = new_node(N_TEST);
  if (strcmp(a, "-name") == 0 || strcmp(a, "-iname") == 0) {
    n->test = a[1] == 'i' ? T_INAME : T_NAME;
    n->str = need_arg(a);
  } else if (strcmp(a, "-path") == 0 || strcmp(a, "-wholename") == 0 || strcmp(a, "-ipath") == 0 ||
             strcmp(a, "-iwholename") == 0) {
    n->test = a[1] == 'i' ? T_IPATH : T_PATH;
    n->str = need_arg(a);
  } else if (strcmp(a, "-regex") == 0 || strcmp(a, "-iregex") == 0) {
    n->test = T_REGEX;
    const char *v = need_arg(a);
    /* the whole path must match */
    char *anchored = xmalloc(strlen(v) + 8);
    sprintf(anchored, regex_extended ? "^(%s)$" : "^\\(%s\\)$", v);
    int e = regcomp(&n->re, anchored, REG_NOSUB | (regex_extended ? REG_EXTENDED : 0) | (a[1] == 'i' ? REG_ICASE : 0));
    free(anchored);
    if (e) die("invalid regular expression %s", quote_loc(v));
  } else if (strcmp(a, "-regextype") == 0) {
    const char *v = need_arg(a);
    regex_extended = strstr(v, "extended") != NULL || strcmp(v, "egrep") == 0 || strcmp(v, "awk") == 0;
    n->test = T_TRUE;
  } else if (strcmp(a, "-type") == 0 || strcmp(a, "-xtype") == 0) {
    n->test = T_TYPE;
    n->str = need_arg(a);
    for (const char *p = n->str; *p; p++) {
      if (!strchr("fdlbcps", *p) || (p[1] && p[1] != ',') ) die("Unknown argument to -type: %s", n->str);
      if (p[1] == ',') p++;
    }
    if (!*n->str) die("Unknown argument to -type: %s", n->str);
  } else if (strcmp(a, "-mtime") == 0 || strcmp(a, "-atime") == 0 || strcmp(a, "-ctime") == 0 ||
             strcmp(a, "-mmin") == 0 || strcmp(a, "-amin") == 0 || strcmp(a, "-cmin") == 0) {
    int min = strstr(a, "min") != NULL;
    char which = a[1];
    n->test = which == 'm' ? (min ? T_MMIN : T_MTIME) : which == 'a' ? (min ? T_AMIN : T_ATIME) : (min ? T_CMIN : T_CTIME);
    const char *v = need_arg(a);
    if (!parse_num(v, n, NULL)) {
      fflush(stdout);
      fprintf(stderr, "%s: invalid argument `%s' to `%s'\n", progname, v, a);
      exit(1);
    }
  } else if (strcmp(a, "-size") == 0) {
    n->test = T_SIZE;
    const char *v = need_arg(a), *rest;
    if (!parse_num(v, n, &rest)) die("invalid -size type `%s'", v);
    n->unit = 512;
    if (*rest) {
      switch (*rest) {
      case 'c': n->unit = 1; break;
      case 'w': n->unit = 2; break;
      case 'b': n->unit = 512; break;
      case 'k': n->unit = 1024; break;
      case 'M': n->unit = 1024 * 1024; break;
      case 'G': n->unit = 1024LL * 1024 * 1024; break;
      default: die("invalid -size type `%s'", rest);
      }
      if (rest[1]) die("invalid -size type `%s'", rest);
    }
  } else if (strcmp(a, "-newer") == 0) {
    n->test = T_NEWER;
    const char *f = need_arg(a);
    struct stat st;
    if ((follow_mode == 'P' ? lstat(f, &st) : stat(f, &st)) != 0) {
      fflush(stdout);
      fprintf(stderr, "%s: %s: %s\n", progname, quote_loc(f), gnu_strerror(errno));
      exit(1);
    }
    n->ref = st.st_mtim;
  } else if (strcmp(a, "-empty") == 0) {
    n->test = T_EMPTY;
  } else if (strcmp(a, "-perm") == 0) {
    n->test = T_PERM;
    const char *v = need_arg(a);
    if (*v == '-' || *v == '/') n->perm_kind = *v++;
    long m = mode_apply(v, 0, 0, 0);
    if (m < 0) die("invalid mode %s", quote_loc(v));
    n->perm = (mode_t)m;
  } else if (strcmp(a, "-links") == 0 || strcmp(a, "-uid") == 0 || strcmp(a, "-gid") == 0) {
    n->test = a[1] == 'l' ? T_LINKS : a[1] == 'u' ? T_UID : T_GID;
    const char *v = need_arg(a);
    if (!parse_num(v, n, NULL)) {
      fflush(stdout);
      fprintf(stderr, "%s: invalid argument `%s' to `%s'\n", progname, v, a);
      exit(1);
    }
  } else if (strcmp(a, "-user") == 0 || strcmp(a, "-group") == 0) {
    n->test = a[1] == 'u' ? T_UID : T_GID;
    const char *v = need_arg(a);
    if (strcmp(v, "root") == 0) n->num = 0;
    else if (isdigit((unsigned char)*v)) n->num = atoll(v);
    else die(a[1] == 'u' ? "%s is not the name of a known user" : "%s is not the name of an existing group", quote_loc(v));
  } else if (strcmp(a, "-readable") == 0) {
    n->test = T_READABLE;
  } else if (strcmp(a, "-writable") == 0) {
    n->test = T_WRITABLE;
  } else if (strcmp(a, "-executable") == 0) {
    n->test = T_EXECUTABLE;
  } else if (strcmp(a, "-true") == 0) {
    n->test = T_TRUE;
  } else if (strcmp(a, "-false") == 0) {
    n->test = T_FALSE;
  } else if (strcmp(a, "-print") == 0) {
    n->test = T_PRINT;
    have_action = 1;
  } else if (strcmp(a, "-print0") == 0) {
    n->test = T_PRINT0;
    have_action = 1;
  } else if (strcmp(a, "-printf") == 0) {
    n->test = T_PRINTF;
    n->str = need_arg(a);
    have_action = 1;
  } else if (strcmp(a, "-exec") == 0 || strcmp(a, "-execdir") == 0 || strcmp(a, "-ok") == 0 ||
             strcmp(a, "-okdir") == 0) {
    have_action = 1;
    free(n);
    return parse_exec(a[1] == 'o' ? T_OK : a[5] == 'd' ? T_EXECDIR : T_EXEC, a);
  } else if (strcmp(a, "-delete") == 0) {
    n->test = T_DELETE;
    have_action = 1;
    depth_first = 1;
  } else if (strcmp(a, "-prune") == 0) {
    n->test = T_PRUNE;
  } else if (strcmp(a, "-quit") == 0) {
    n->test = T_QUIT;
  } else if (strcmp(a, "-maxdepth") == 0 || strcmp(a, "-mindepth") == 0) {
    const char *v = need_arg(a);
    long long d;
    if (!parse_ll(v, &d) || d < 0) {
      fflush(stdout);
      fprintf(stderr, "%s: Expected a positive decimal integer argument to %s, but got %s\n", progname, a,
              quote_loc(v));
      exit(1);
    }
    if (a[2] == 'a') maxdepth = (long)d;
    else mindepth = (long)d;
    n->test = T_TRUE;
  } else if (strcmp(a, "-depth") == 0 || strcmp(a, "-d") == 0) {
    depth_first = 1;
    n->test = T_TRUE;
  } else if (strcmp(a, "-xdev") == 0 || strcmp(a, "-mount") == 0) {
    xdev = 1;
    n->test = T_TRUE;
  } else if (strcmp(a, "-follow") == 0) {
    follow_mode = 'L';
    n->test = T_TRUE;
  } else if (strcmp(a, "-noleaf") == 0 || strcmp(a, "-ignore_readdir_race") == 0 ||
             strcmp(a, "-noignore_readdir_race") == 0 || strcmp(a, "-nowarn") == 0 || strcmp(a, "-warn") == 0) {
    n->test = T_TRUE;
  } else if (a[0] == '-' && a[1]) {
    die("unknown predicate `%s'", a);
  } else {
    fflush(stdout);
    fprintf(stderr, "%s: paths must precede expression: `%s'\n", progname, a);
    if (!npaths_given && pos >= 3 && (strcmp(args[pos - 3], "-maxdepth") == 0 || strcmp(args[pos - 3], "-mindepth") == 0))
      fprintf(stderr, "%s: possible unquoted pattern after predicate `%s'?\n", progname, args[pos - 3]);
    exit(1);
  }
  return n;
}

static int starts_term(void) {
  if (pos >= nargs) return 0;
  const char *a = args[pos];
  return strcmp(a, ")") != 0 && strcmp(a, "-o") != 0 && strcmp(a, "-or") != 0 && strcmp(a, ",") != 0;
}

static struct node *parse_and(void) {
  struct node *left = parse_primary();
  for (;;) {
    if (pos < nargs && (strcmp(args[pos], "-a") == 0 || strcmp(args[pos], "-and") == 0)) {
      pos++;
    } else if (!starts_term()) {
      return left;
    }
    struct node *n = new_node(N_AND);
    n->a = left;
    n->b = parse_primary();
    left = n;
  }
}

static struct node *parse_or(void) {
  struct node *left = parse_and();
  while (pos < nargs && (strcmp(args[pos], "-o") == 0 || strcmp(args[pos], "-or") == 0 || strcmp(args[pos], ",") == 0)) {
    int comma = args[pos][0] == ',';
    pos++;
    struct node *n = new_node(comma ? N_COMMA : N_OR);
    n->a = left;
    n->b = parse_and();
    left = n;
  }
  return left;
}

/* --------------------------------------------------------------------------- running */

struct file {
  const char *path;  /* as printed */
  const char *name;  /* the last component */
  const char *start; /* the starting point it was found under */
  struct stat st;
  int depth;
  int prune;
};

static int run_argv(char **argv, const char *dir) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (dir) posix_spawn_file_actions_addchdir_np(&fa, dir);
  fflush(stdout);
  pid_t pid;
  int err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (err) {
    warne(err, "%s", quote_loc(argv[0]));
    status = 1;
    return -1;
  }
  int st;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) return -1;
  return st;
}

/* Replaces every "{}" in ARG by PATH. */
static char *subst_braces(const char *arg, const char *path) {
  size_t count = 0;
  for (const char *p = arg; (p = strstr(p, "{}")) != NULL; p += 2) count++;
  char *out = xmalloc(strlen(arg) + count * strlen(path) + 1), *o = out;
  for (const char *p = arg; *p;) {
    if (p[0] == '{' && p[1] == '}') {
      o += sprintf(o, "%s", path);
      p += 2;
    } else {
      *o++ = *p++;
    }
  }
  *o = 0;
  return out;
}

static void flush_batch(struct node *n) {
  if (n->npending == 0) return;
  char **argv = xmalloc(sizeof(char *) * ((size_t)n->argc + n->npending + 1));
  int k = 0;
  for (int i = 0; i < n->argc; i++) argv[k++] = n->argv[i];
  for (size_t i = 0; i < n->npending; i++) argv[k++] = n->pending[i];
  argv[k] = NULL;
  int st = run_argv(argv, NULL);
  if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) status = 1;
  for (size_t i = 0; i < n->npending; i++) free(n->pending[i]);
  n->npending = 0;
  n->pending_bytes = 0;
  free(argv);
}

static int do_exec(struct node *n, struct file *f) {
  if (n->batch) {
    n->pending = xrealloc(n->pending, sizeof(char *) * (n->npending + 1));
    n->pending[n->npending++] = xstrdup(f->path);
    n->pending_bytes += strlen(f->path) + 1;
    if (n->npending >= 4096 || n->pending_bytes >= 128 * 1024) flush_batch(n);
    return 1;
  }
  const char *dir = NULL;
  char *dirbuf = NULL, *base = NULL;
  const char *path = f->path;
  if (n->test == T_EXECDIR) {
    dirbuf = xstrdup(f->path);
    char *slash = strrchr(dirbuf, '/');
    if (slash) {
      *slash = 0;
      if (!*dirbuf) strcpy(dirbuf, "/");
      dir = dirbuf;
    }
    base = path_join(".", f->name);
    path = base;
  }
  char **argv = xmalloc(sizeof(char *) * ((size_t)n->argc + 1));
  for (int i = 0; i < n->argc; i++) argv[i] = subst_braces(n->argv[i], path);
  argv[n->argc] = NULL;
  int run = 1;
  if (n->test == T_OK) {
    fflush(stdout);
    fprintf(stderr, "< %s ...", argv[0]);
    fprintf(stderr, " %s > ? ", path);
    char line[256];
    run = fgets(line, sizeof line, stdin) && (line[0] == 'y' || line[0] == 'Y');
  }
  int ok = 0;
  if (run) {
    int st = run_argv(argv, dir);
    ok = st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
  }
  for (int i = 0; i < n->argc; i++) free(argv[i]);
  free(argv);
  free(dirbuf);
  free(base);
  return ok;
}

static char type_letter(mode_t m) {
  if (S_ISREG(m)) return 'f';
  if (S_ISDIR(m)) return 'd';
  if (S_ISLNK(m)) return 'l';
  if (S_ISCHR(m)) return 'c';
  if (S_ISBLK(m)) return 'b';
  if (S_ISSOCK(m)) return 's';
  return 'p';
}

static void print_escaped_time(char k, const struct timespec *t) {
  if (k == '@') {
    printf("%lld.%09ld0", (long long)t->tv_sec, (long)t->tv_nsec);
    return;
  }
  struct tm tm;
  time_t s = t->tv_sec;
  localtime_r(&s, &tm);
  char fmt[3] = {'%', k, 0}, buf[128];
  if (k == '+') {
    strftime(buf, sizeof buf, "%Y-%m-%d+%H:%M:%S", &tm);
    printf("%s.%09ld0", buf, (long)t->tv_nsec);
    return;
  }
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat-nonliteral"
  strftime(buf, sizeof buf, fmt, &tm);
#pragma clang diagnostic pop
  fputs(buf, stdout);
}

static void do_printf(const char *fmt, struct file *f) {
  for (const char *p = fmt; *p; p++) {
    if (*p == '\\' && p[1]) {
      p++;
      switch (*p) {
      case 'n': putchar('\n'); break;
      case 't': putchar('\t'); break;
      case '0': putchar(0); break;
      case '\\': putchar('\\'); break;
      case 'a': putchar('\a'); break;
      case 'r': putchar('\r'); break;
      case 'c': fflush(stdout); return;
      default: putchar('\\'); putchar(*p);
      }
      continue;
    }
    if (*p != '%' || !p[1]) {
      putchar(*p);
      continue;
    }
    p++;
    char spec[32];
    size_t n = 0;
    spec[n++] = '%';
    while (*p && strchr("-+ #0", *p) && n < 8) spec[n++] = *p++;
    while (isdigit((unsigned char)*p) && n < 20) spec[n++] = *p++;
    if (*p == '.') {
      spec[n++] = *p++;
      while (isdigit((unsigned char)*p) && n < 28) spec[n++] = *p++;
    }
    spec[n++] = 's';
    spec[n] = 0;
    char out[PATH_MAX * 2];
    out[0] = 0;
    const struct stat *st = &f->st;
    switch (*p) {
    case '%': strcpy(out, "%"); break;
    case 'p': snprintf(out, sizeof out, "%s", f->path); break;
    case 'f': snprintf(out, sizeof out, "%s", f->name); break;
    case 'h': {
      const char *slash = strrchr(f->path, '/');
      if (!slash) strcpy(out, ".");
      else if (slash == f->path) strcpy(out, "/");
      else snprintf(out, sizeof out, "%.*s", (int)(slash - f->path), f->path);
      break;
    }
    case 'P': {
      size_t l = strlen(f->start);
      const char *rest = f->path + l;
      while (*rest == '/') rest++;
      snprintf(out, sizeof out, "%s", f->depth == 0 ? "" : rest);
      break;
    }
    case 'H': snprintf(out, sizeof out, "%s", f->start); break;
    case 's': snprintf(out, sizeof out, "%lld", (long long)st->st_size); break;
    case 'd': snprintf(out, sizeof out, "%d", f->depth); break;
    case 'm': snprintf(out, sizeof out, "%o", (unsigned)(st->st_mode & 07777)); break;
    case 'M': mode_string(st->st_mode, out); break;
    case 'y': out[0] = type_letter(st->st_mode), out[1] = 0; break;
    case 'Y': {
      struct stat t;
      out[0] = stat(f->path, &t) == 0 ? type_letter(t.st_mode) : (S_ISLNK(st->st_mode) ? 'N' : type_letter(st->st_mode));
      out[1] = 0;
      break;
    }
    case 'l':
      if (S_ISLNK(st->st_mode)) {
        ssize_t r = readlink(f->path, out, sizeof out - 1);
        out[r > 0 ? r : 0] = 0;
      }
      break;
    case 'i': snprintf(out, sizeof out, "%llu", (unsigned long long)st->st_ino); break;
    case 'n': snprintf(out, sizeof out, "%llu", (unsigned long long)st->st_nlink); break;
    case 'u': snprintf(out, sizeof out, "%s", user_name(st->st_uid)); break;
    case 'g': snprintf(out, sizeof out, "%s", group_name(st->st_gid)); break;
    case 'U': snprintf(out, sizeof out, "%u", (unsigned)st->st_uid); break;
    case 'G': snprintf(out, sizeof out, "%u", (unsigned)st->st_gid); break;
    case 'k': snprintf(out, sizeof out, "%llu", ((unsigned long long)st->st_blocks + 1) / 2); break;
    case 'b': snprintf(out, sizeof out, "%llu", (unsigned long long)st->st_blocks); break;
    case 'T':
    case 'A':
    case 'C':
      if (p[1]) {
        const struct timespec *t = *p == 'T' ? &st->st_mtim : *p == 'A' ? &st->st_atim : &st->st_ctim;
        p++;
        fflush(stdout);
        print_escaped_time(*p, t);
        continue;
      }
      break;
    default:
      snprintf(out, sizeof out, "%%%c", *p);
    }
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat-nonliteral"
    printf(spec, out);
#pragma clang diagnostic pop
  }
}

static int is_empty_dir(const char *path) {
  DIR *d = opendir(path);
  if (!d) return 0;
  struct dirent *e;
  int empty = 1;
  while ((e = readdir(d)) != NULL)
    if (!is_dot_or_dotdot(e->d_name)) {
      empty = 0;
      break;
    }
  closedir(d);
  return empty;
}

static int eval(struct node *n, struct file *f) {
  switch (n->kind) {
  case N_AND: return eval(n->a, f) && eval(n->b, f);
  case N_OR: return eval(n->a, f) || eval(n->b, f);
  case N_NOT: return !eval(n->a, f);
  case N_COMMA: eval(n->a, f); return eval(n->b, f);
  case N_TEST: break;
  }
  const struct stat *st = &f->st;
  switch (n->test) {
  case T_NAME: return fnmatch(n->str, f->name, 0) == 0;
  case T_INAME: return fnmatch(n->str, f->name, FNM_CASEFOLD) == 0;
  case T_PATH: return fnmatch(n->str, f->path, 0) == 0;
  case T_IPATH: return fnmatch(n->str, f->path, FNM_CASEFOLD) == 0;
  case T_REGEX: return regexec(&n->re, f->path, 0, NULL, 0) == 0;
  case T_TYPE: {
    mode_t m = st->st_mode;
    if (follow_mode == 'L' && S_ISLNK(m)) m = S_IFLNK; /* a broken link */
    return strchr(n->str, type_letter(m)) != NULL;
  }
  case T_MTIME:
  case T_ATIME:
  case T_CTIME: {
    const struct timespec *t = n->test == T_MTIME ? &st->st_mtim : n->test == T_ATIME ? &st->st_atim : &st->st_ctim;
    double age = (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
    long long days = (long long)(age / 86400);
    if (age < 0 && age / 86400 != (double)days) days--;
    return compare(days, n);
  }
  case T_MMIN:
  case T_AMIN:
  case T_CMIN: {
    const struct timespec *t = n->test == T_MMIN ? &st->st_mtim : n->test == T_AMIN ? &st->st_atim : &st->st_ctim;
    double age = (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
    double lim = (double)n->num * 60;
    if (n->cmp < 0) return age < lim;
    if (n->cmp > 0) return age > lim;
    return age > lim - 60 && age <= lim;
  }
  case T_SIZE: {
    long long units = (st->st_size + n->unit - 1) / n->unit;
    return compare(units, n);
  }
  case T_NEWER:
    return st->st_mtim.tv_sec > n->ref.tv_sec || (st->st_mtim.tv_sec == n->ref.tv_sec && st->st_mtim.tv_nsec > n->ref.tv_nsec);
  case T_EMPTY:
    if (S_ISREG(st->st_mode)) return st->st_size == 0;
    if (S_ISDIR(st->st_mode)) return is_empty_dir(f->path);
    return 0;
  case T_PERM: {
    mode_t m = st->st_mode & 07777;
    if (n->perm_kind == '-') return (m & n->perm) == n->perm;
    if (n->perm_kind == '/') return n->perm == 0 || (m & n->perm) != 0;
    return m == n->perm;
  }
  case T_LINKS: return compare((long long)st->st_nlink, n);
  case T_UID: return compare((long long)st->st_uid, n);
  case T_GID: return compare((long long)st->st_gid, n);
  case T_READABLE: return 1;
  case T_WRITABLE: {
    struct statvfs v;
    return statvfs(f->path, &v) != 0 || !(v.f_flag & ST_RDONLY);
  }
  case T_EXECUTABLE: return S_ISDIR(st->st_mode) || (st->st_mode & 0111) != 0;
  case T_TRUE: return 1;
  case T_FALSE: return 0;
  case T_PRINT: printf("%s\n", f->path); return 1;
  case T_PRINT0: fputs(f->path, stdout); putchar(0); return 1;
  case T_PRINTF: do_printf(n->str, f); return 1;
  case T_EXEC:
  case T_EXECDIR:
  case T_OK: return do_exec(n, f);
  case T_DELETE: {
    if (f->depth == 0 && is_dot_or_dotdot(f->name)) return 1;
    int r = S_ISDIR(st->st_mode) ? rmdir(f->path) : unlink(f->path);
    if (r != 0) {
      warne(errno, "cannot delete %s", quote_loc(f->path));
      status = 1;
      return 0;
    }
    return 1;
  }
  case T_PRUNE: f->prune = 1; return 1;
  case T_QUIT: quitting = 1; return 1;
  }
  return 0;
}

static struct node *expr;

static void visit(const char *path, const char *name, const char *start, int depth, dev_t root_dev) {
  if (quitting) return;
  struct file f;
  f.path = path;
  f.name = name;
  f.start = start;
  f.depth = depth;
  f.prune = 0;
  int follow = follow_mode == 'L' || (follow_mode == 'H' && depth == 0);
  int r = follow ? xstat(path, &f.st) : xlstat(path, &f.st);
  if (r != 0 && follow) r = xlstat(path, &f.st);
  if (r != 0) {
    warne(errno, "%s", quote_loc(path));
    status = 1;
    return;
  }
  int in_range = depth >= mindepth;
  if (!depth_first && in_range) eval(expr, &f);
  if (quitting) return;
  int descend = S_ISDIR(f.st.st_mode) && (maxdepth < 0 || depth < maxdepth) && (!f.prune || depth_first) &&
                !(xdev && depth > 0 && f.st.st_dev != root_dev);
  if (descend) {
    size_t n;
    char **names = read_dir_sorted(path, &n);
    if (!names) {
      warne(errno, "%s", quote_loc(path));
      status = 1;
    } else {
      for (size_t i = 0; i < n; i++) {
        char *child = path_join(path, names[i]);
        if (!quitting) visit(child, names[i], start, depth + 1, depth == 0 ? f.st.st_dev : root_dev);
        free(child);
        free(names[i]);
      }
      free(names);
    }
  }
  if (depth_first && in_range && !quitting) eval(expr, &f);
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  int i = 1;
  for (; i < argc; i++) {
    if (strcmp(argv[i], "-H") == 0 || strcmp(argv[i], "-L") == 0 || strcmp(argv[i], "-P") == 0) follow_mode = argv[i][1];
    else if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    } else break;
  }
  int first_path = i;
  while (i < argc && !(argv[i][0] == '-' && argv[i][1]) && strcmp(argv[i], "(") != 0 && strcmp(argv[i], "!") != 0)
    i++;
  int npaths = i - first_path;
  npaths_given = npaths;
  args = argv + i;
  nargs = argc - i;
  pos = 0;
  clock_gettime(CLOCK_REALTIME, &now);
  struct node *parsed = nargs > 0 ? parse_or() : NULL;
  if (pos < nargs) {
    if (strcmp(args[pos], ")") == 0) die("%s", "invalid expression; you have too many ')'");
    die("paths must precede expression: `%s'", args[pos]);
  }
  if (!parsed) {
    parsed = new_node(N_TEST);
    parsed->test = T_TRUE;
  }
  if (!have_action) {
    struct node *print = new_node(N_TEST);
    print->test = T_PRINT;
    expr = new_node(N_AND);
    expr->a = parsed;
    expr->b = print;
  } else {
    expr = parsed;
  }
  static char *dot[] = {".", NULL};
  char **paths = npaths ? argv + first_path : dot;
  if (!npaths) npaths = 1;
  for (int k = 0; k < npaths && !quitting; k++) {
    const char *p = paths[k];
    if (!*p) {
      warne(ENOENT, "%s", quote_loc(p));
      status = 1;
      continue;
    }
    visit(p, last_component(p), p, 0, 0);
  }
  for (size_t k = 0; k < nexecs; k++) flush_batch(execs[k]);
  if (close_stdout()) return 1;
  return status;
}
