/*
 * The builtin table and the builtins that manage the shell itself: control flow (break,
 * continue, return, exit), eval and dot, exec and command, variables (export, readonly,
 * unset, local, shift), cd and pwd, type and hash, times. `set` and option letters are in
 * bi_set.c; echo/printf, test, read/getopts, kill/umask in their own files; trap, wait and
 * jobs in trap.c and jobs.c. Special builtins are marked as POSIX and dash mark them.
 */
#include "sh.h"

extern bool exec_keep_redirs;

void bi_error(const char *name, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sh_vwarn_ctx(name, fmt, ap);
  va_end(ap);
}

bool bi_number(const char *name, const char *s, intmax_t *out) {
  const char *p = s;
  if (!*p) goto bad;
  intmax_t v = 0;
  for (; *p; p++) {
    if (*p < '0' || *p > '9') goto bad;
    v = v * 10 + (*p - '0');
  }
  *out = v;
  return true;
bad:
  bi_error(name, "Illegal number: %s", s);
  return false;
}

/* ------------------------------------------------------------------ trivial */

static int bi_colon(int argc, char **argv) {
  (void)argc, (void)argv;
  return 0;
}

static int bi_false(int argc, char **argv) {
  (void)argc, (void)argv;
  return 1;
}

/* ------------------------------------------------------------- control flow */

static int bi_exit(int argc, char **argv) {
  int status = sh.status;
  if (argc > 1) {
    intmax_t n;
    if (!bi_number("exit", argv[1], &n)) {
      sh_abort(2);
      return 2;
    }
    status = (int)(n & 255);
  }
  sh_exit(status);
}

static int bi_return(int argc, char **argv) {
  int status = sh.status;
  if (argc > 1) {
    intmax_t n;
    if (!bi_number("return", argv[1], &n)) {
      sh_abort(2);
      return 2;
    }
    status = (int)n; /* dash keeps the whole number ($? can be 999) */
  }
  sh.status = status;
  sh.jump = J_RETURN;
  return status;
}

static int bi_breakcont(int argc, char **argv) {
  intmax_t n = 1;
  if (argc > 1) {
    if (!bi_number(argv[0], argv[1], &n)) {
      sh_abort(2);
      return 2;
    }
    if (n < 1) {
      bi_error(argv[0], "Illegal number: %s", argv[1]);
      sh_abort(2);
      return 2;
    }
  }
  if (sh.loops == 0) return 0;
  if (n > sh.loops) n = sh.loops;
  sh.jump = argv[0][0] == 'b' ? J_BREAK : J_CONTINUE;
  sh.jumpn = (int)n;
  return 0;
}

static int bi_eval(int argc, char **argv) {
  sbuf b = {0};
  for (int i = 1; i < argc; i++) {
    if (i > 1) sb_addc(&b, ' ');
    sb_adds(&b, argv[i]);
  }
  if (b.n == 0) {
    sb_free(&b);
    return 0;
  }
  sh.status = 0;
  /* Like dash: the text's lines count from 1, and messages say "eval:". */
  const char *ctx = sh.ctx;
  int line = sh.line;
  sh.ctx = "eval";
  int s = eval_string(b.s, 1);
  sh.ctx = ctx;
  sh.line = line;
  sb_free(&b);
  return s;
}

static int bi_dot(int argc, char **argv) {
  int i = 1;
  if (i < argc && strcmp(argv[i], "--") == 0) i++;
  if (i >= argc) return 0; /* dash: nothing to do */
  const char *name = argv[i];
  char *path = NULL;
  if (strchr(name, '/')) path = xstrdup(name);
  else {
    /* PATH, as dash searches it (readable files, not only executable ones) */
    int err;
    path = path_find(name, var_get("PATH"), false, &err);
  }
  int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
  if (fd < 0) {
    if (strchr(name, '/')) sh_error(2, "cannot open %s: %s", name, errtext(errno));
    else sh_error(2, "%s: not found", name);
    free(path);
    return 2;
  }
  free(path);
  /* Arguments after the file are ignored, as dash does. */
  fd = fd_move_high(fd);
  input *in = in_fd(fd, 1);
  int save_line = sh.line;
  bool save_trusted = sh.trusted;
  const char *save_ctx = sh.ctx;
  char *ctx = xstrdup(name);
  sh.ctx = ctx;
  sh.trusted = false;
  sh.dots++;
  sh.status = 0;
  int s = eval_input(in, false);
  sh.dots--;
  sh.trusted = save_trusted;
  sh.line = save_line;
  sh.ctx = save_ctx;
  free(ctx);
  if (sh.jump == J_RETURN) {
    sh.jump = J_NONE;
    s = sh.status;
  }
  in_free(in);
  close(fd);
  return s;
}

int bi_exec(int argc, char **argv) {
  if (argc <= 1) {
    exec_keep_redirs = true;
    return 0;
  }
  int i = 1;
  if (strcmp(argv[i], "--") == 0) i++;
  if (i >= argc) {
    exec_keep_redirs = true;
    return 0;
  }
  const char *name = argv[i];
  int err = ENOENT;
  char *path = strchr(name, '/') ? xstrdup(name) : path_search(name, var_get("PATH"), &err);
  if (path) {
    /* The new program replaces the shell: whatever the shell buffered goes out first, and
     * the EXIT trap does not run. It finds the preopened directories where any program
     * does (the shell keeps copies of them higher up). */
    char **envp = env_build();
    out_flush_all();
    preopen_exec_prepare();
    execve(path, argv + i, envp);
    err = errno;
    if (err == ENOEXEC) {
      /* a shell script without #!: this shell's program runs it */
      int n = 0;
      while (argv[i + n]) n++;
      char **v = xmalloc(((size_t)n + 2) * sizeof(char *));
      v[0] = (char *)sh.shpath;
      v[1] = path;
      for (int k = 1; k <= n; k++) v[k + 1] = argv[i + k];
      execve(sh.shpath, v, envp);
      err = errno;
      free(v);
    }
    free(path);
  }
  int status;
  if (err == ENOENT) {
    sh_warn("%s: not found", name);
    status = 127;
  } else {
    sh_warn("%s: %s", name, errtext(err));
    status = 126;
  }
  out_flush_all();
  exit(status);
}

/* `command -v`, `command -V` and `type`. */
static int describe(const char *name, bool verbose, bool type_style) {
  if (is_keyword(name) && strcmp(name, "in") != 0) {
    if (verbose) out_fmt(1, "%s is a shell keyword\n", name);
    else out_fmt(1, "%s\n", name);
    return 0;
  }
  if (func_lookup(name)) {
    if (verbose) out_fmt(1, "%s is a shell function\n", name);
    else out_fmt(1, "%s\n", name);
    return 0;
  }
  const struct builtin *b = builtin_lookup(name);
  if (b) {
    if (verbose) out_fmt(1, "%s is a %sshell builtin\n", name, b->special ? "special " : "");
    else out_fmt(1, "%s\n", name);
    return 0;
  }
  int err;
  char *path = strchr(name, '/') ? NULL : path_search(name, var_get("PATH"), &err);
  if (strchr(name, '/')) {
    struct stat st;
    if (stat(name, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111)) path = xstrdup(name);
  }
  if (path) {
    if (verbose) out_fmt(1, "%s is %s\n", name, path);
    else out_fmt(1, "%s\n", path);
    free(path);
    return 0;
  }
  if (verbose) {
    if (type_style) out_fmt(1, "%s: not found\n", name);
    else {
      out_flush_all();
      sh_warn("%s: not found", name);
    }
  }
  return 127;
}

int bi_command(int argc, char **argv) {
  int i = 1;
  bool v = false, V = false;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    for (const char *o = argv[i] + 1; *o; o++) {
      if (*o == 'v') v = true;
      else if (*o == 'V') V = true;
      else if (*o != 'p') {
        bi_error("command", "Illegal option -%c", *o);
        return 2;
      }
    }
  }
  if (i >= argc) return 0;
  if (v || V) return describe(argv[i], V, false);
  return 0;
}

static int bi_type(int argc, char **argv) {
  int status = 0;
  for (int i = 1; i < argc; i++)
    if (describe(argv[i], true, true)) status = 127;
  return status;
}

static int bi_hash(int argc, char **argv) {
  if (argc == 1) {
    hash_print();
    return 0;
  }
  int status = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-r") == 0) {
      hash_clear();
      continue;
    }
    struct cmdinfo ci;
    find_command(argv[i], &ci, false, NULL);
    if (ci.kind == CMD_NONE) {
      bi_error("hash", "%s: not found", argv[i]);
      status = 1;
    }
    free(ci.path);
  }
  return status;
}

static int bi_times(int argc, char **argv) {
  (void)argc, (void)argv;
  /* The kernel accounts CPU time per process but offers no call to read it. */
  out_str(1, "0m0.000000s 0m0.000000s\n0m0.000000s 0m0.000000s\n");
  return 0;
}

/* ----------------------------------------------------------------- variables */

static void print_var(const char *prefix, var *v) {
  sbuf b = {0};
  sb_adds(&b, prefix);
  sb_adds(&b, v->name);
  if (v->value) {
    sb_addc(&b, '=');
    sb_quote(&b, v->value);
  }
  sb_addc(&b, '\n');
  out_str(1, b.s);
  sb_free(&b);
}

static int declare(int argc, char **argv, int flag) {
  const char *name = argv[0];
  int i = 1;
  bool print = false;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    if (strcmp(argv[i], "-p") == 0) print = true;
    else {
      bi_error(name, "Illegal option %s", argv[i]);
      sh_abort(2);
      return 2;
    }
  }
  if (i >= argc || print) {
    size_t n;
    var **vs = vars_sorted(&n);
    char prefix[32];
    snprintf(prefix, sizeof prefix, "%s ", name);
    for (size_t k = 0; k < n; k++)
      if ((vs[k]->flags & flag) && valid_name(vs[k]->name)) print_var(prefix, vs[k]);
    free(vs);
    return 0;
  }
  for (; i < argc; i++) {
    const char *eq = strchr(argv[i], '=');
    char *vname = eq ? xstrndup(argv[i], (size_t)(eq - argv[i])) : xstrdup(argv[i]);
    if (!valid_name(vname)) {
      bi_error(name, "%s: bad variable name", vname);
      free(vname);
      sh_abort(2);
      return 2;
    }
    if (eq) {
      if (!var_set(vname, eq + 1, flag)) {
        free(vname);
        sh_abort(2);
        return 2;
      }
    } else {
      var *v = var_lookup(vname);
      if (!v) {
        var_set(vname, NULL, flag);
      } else if (flag == V_EXPORT) {
        var_export(vname);
      } else {
        v->flags |= flag;
      }
    }
    free(vname);
  }
  return 0;
}

static int bi_export(int argc, char **argv) { return declare(argc, argv, V_EXPORT); }
static int bi_readonly(int argc, char **argv) { return declare(argc, argv, V_READONLY); }

static int bi_unset(int argc, char **argv) {
  int i = 1;
  bool funcs = false;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    if (strcmp(argv[i], "-f") == 0) funcs = true;
    else if (strcmp(argv[i], "-v") == 0) funcs = false;
    else {
      bi_error("unset", "Illegal option %s", argv[i]);
      sh_abort(2);
      return 2;
    }
  }
  for (; i < argc; i++) {
    if (funcs) {
      func_unset(argv[i]);
      continue;
    }
    if (!var_unset(argv[i])) {
      bi_error("unset", "%s: is read only", argv[i]);
      sh_abort(2);
      return 2;
    }
  }
  return 0;
}

static int bi_local(int argc, char **argv) {
  if (sh.funcs == 0) {
    sh_error(2, "not in a function");
    return 2;
  }
  for (int i = 1; i < argc; i++)
    if (!local_declare(argv[i])) {
      sh_abort(2);
      return 2;
    }
  return 0;
}

static int bi_shift(int argc, char **argv) {
  intmax_t n = 1;
  if (argc > 1 && !bi_number("shift", argv[1], &n)) {
    sh_abort(2);
    return 2;
  }
  if (n > posparams.n) {
    sh_error(2, "can't shift that many");
    return 2;
  }
  for (int i = 0; i < n; i++) free(posparams.v[i]);
  memmove(posparams.v, posparams.v + n, (size_t)(posparams.n - n + 1) * sizeof(char *));
  posparams.n -= (int)n;
  return 0;
}

/* ------------------------------------------------------------------- cd, pwd */

/* Makes a logical path canonical: no //, no ., .. removes the previous component. */
static char *canon(const char *path) {
  sbuf b = {0};
  const char *p = path;
  while (*p) {
    while (*p == '/') p++;
    const char *e = p;
    while (*e && *e != '/') e++;
    size_t n = (size_t)(e - p);
    if (n == 0) break;
    if (n == 1 && p[0] == '.') {
    } else if (n == 2 && p[0] == '.' && p[1] == '.') {
      while (b.n > 0 && b.s[b.n - 1] != '/') b.n--;
      if (b.n > 0) b.n--;
      if (b.s) b.s[b.n] = 0;
    } else {
      sb_addc(&b, '/');
      sb_addn(&b, p, n);
    }
    p = e;
  }
  if (b.n == 0) sb_addc(&b, '/');
  return sb_take(&b);
}

static char *physical_cwd(void) {
  char buf[4096];
  if (!getcwd(buf, sizeof buf)) return NULL;
  return xstrdup(buf);
}

static bool pwd_valid(const char *pwd) {
  if (!pwd || pwd[0] != '/') return false;
  struct stat a, b;
  if (stat(pwd, &a) != 0 || stat(".", &b) != 0) return false;
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

void pwd_init(void);
void pwd_init(void) {
  const char *pwd = var_get("PWD");
  if (pwd_valid(pwd)) {
    char *c = canon(pwd);
    if (pwd_valid(c)) {
      var_set("PWD", c, 0);
      free(c);
      return;
    }
    free(c);
  }
  char *p = physical_cwd();
  if (p) var_set("PWD", p, 0);
  free(p);
}

static int bi_cd(int argc, char **argv) {
  int i = 1;
  bool physical = false;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    if (strcmp(argv[i], "-P") == 0) physical = true;
    else if (strcmp(argv[i], "-L") == 0) physical = false;
    else {
      bi_error("cd", "Illegal option %s", argv[i]);
      return 2;
    }
  }
  const char *dir = i < argc ? argv[i] : NULL;
  bool print = false;
  if (!dir) {
    dir = var_get("HOME");
    if (!dir || !*dir) {
      bi_error("cd", "HOME not set");
      return 2;
    }
  } else if (strcmp(dir, "-") == 0) {
    dir = var_get("OLDPWD");
    if (!dir || !*dir) dir = var_get("PWD"); /* dash: stays where it is */
    if (!dir || !*dir) dir = ".";
    print = true;
  }
  const char *pwd = var_get("PWD");
  char *target;
  if (dir[0] == '/') target = canon(dir);
  else if (pwd && pwd[0] == '/') {
    sbuf j = {0};
    sb_adds(&j, pwd);
    sb_addc(&j, '/');
    sb_adds(&j, dir);
    target = canon(j.s);
    sb_free(&j);
  } else target = xstrdup(dir);
  int r = chdir(physical ? dir : target);
  if (r != 0 && !physical) r = chdir(dir); /* a logical path through a link may not work */
  if (r != 0) {
    bi_error("cd", "can't cd to %s", i < argc ? argv[i] : dir);
    free(target);
    return 2;
  }
  char *oldpwd = pwd ? xstrdup(pwd) : physical_cwd();
  char *newpwd = physical || !pwd_valid(target) ? physical_cwd() : xstrdup(target);
  free(target);
  if (oldpwd) var_set("OLDPWD", oldpwd, 0);
  if (newpwd) var_set("PWD", newpwd, 0);
  if (print && newpwd) out_fmt(1, "%s\n", newpwd);
  free(oldpwd);
  free(newpwd);
  return 0;
}

static int bi_pwd(int argc, char **argv) {
  bool physical = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-P") == 0) physical = true;
    else if (strcmp(argv[i], "-L") == 0) physical = false;
    else {
      bi_error("pwd", "Illegal option %s", argv[i]);
      return 2;
    }
  }
  const char *pwd = var_get("PWD");
  if (!physical && pwd_valid(pwd)) {
    out_fmt(1, "%s\n", pwd);
    return 0;
  }
  char *p = physical_cwd();
  if (!p) {
    bi_error("pwd", "%s", errtext(errno));
    return 2;
  }
  out_fmt(1, "%s\n", p);
  free(p);
  return 0;
}

static int bi_nojobs(int argc, char **argv) {
  (void)argc;
  bi_error(argv[0], "No job control");
  return 2;
}

static int bi_true(int argc, char **argv) {
  (void)argc, (void)argv;
  return 0;
}

/* --------------------------------------------------------------------- table */

static const struct builtin table[] = {
  {".", bi_dot, true},
  {":", bi_colon, true},
  {"[", bi_test, false},
  {"bg", bi_nojobs, false},
  {"break", bi_breakcont, true},
  {"cd", bi_cd, false},
  {"command", bi_command, false},
  {"continue", bi_breakcont, true},
  {"echo", bi_echo, false},
  {"eval", bi_eval, true},
  {"exec", bi_exec, true},
  {"exit", bi_exit, true},
  {"export", bi_export, true},
  {"false", bi_false, false},
  {"fg", bi_nojobs, false},
  {"getopts", bi_getopts, false},
  {"hash", bi_hash, false},
  {"jobs", builtin_jobs, false},
  {"kill", bi_kill, false},
  {"local", bi_local, true},
  {"printf", bi_printf, false},
  {"pwd", bi_pwd, false},
  {"read", bi_read, false},
  {"readonly", bi_readonly, true},
  {"return", bi_return, true},
  {"set", bi_set, true},
  {"shift", bi_shift, true},
  {"source", bi_dot, true},
  {"test", bi_test, false},
  {"times", bi_times, true},
  {"trap", builtin_trap, true},
  {"true", bi_true, false},
  {"type", bi_type, false},
  {"ulimit", bi_ulimit, false},
  {"umask", bi_umask, false},
  {"unset", bi_unset, true},
  {"wait", builtin_wait, false},
};

const struct builtin *builtin_lookup(const char *name) {
  size_t lo = 0, hi = sizeof table / sizeof table[0];
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(name, table[mid].name);
    if (c == 0) return &table[mid];
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  return NULL;
}
