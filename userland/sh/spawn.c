/*
 * Running programs and child shells.
 *
 * Programs: found on PATH (remembered in a small hash table until PATH changes), spawned
 * with the shell's descriptors as the redirections left them. A file the kernel cannot run
 * (ENOEXEC: neither wasm nor #!) is run as a shell script by a child shell, as POSIX says.
 *
 * Child shells are how this shell does without fork (main.c has the design): the child is
 * /bin/sh started as
 *     sh --isk-subshell=STATE PRELUDE BODY $0 $1 ...
 * STATE carries $$, $PPID, $?, $!, the options, the function and loop depth and the
 * signals the parent ignores by trap; PRELUDE re-creates the unexported variables and the
 * functions (exported variables travel in the environment); BODY is the text to run
 * (unparse.c, or a command substitution's own text), starting at a `#@line` directive.
 */
#include "sh.h"

const char SUBSHELL_FLAG[] = "--isk-subshell=";

/* ---------------------------------------------------------------- the PATH cache */

#define HASH_SIZE 64
struct hentry {
  struct hentry *next;
  char *name;
  char *path;
};
static struct hentry *htab[HASH_SIZE];

static unsigned hname(const char *s) {
  unsigned h = 0;
  while (*s) h = h * 31 + (unsigned char)*s++;
  return h % HASH_SIZE;
}

void hash_clear(void) {
  for (int i = 0; i < HASH_SIZE; i++) {
    for (struct hentry *e = htab[i]; e;) {
      struct hentry *n = e->next;
      free(e->name);
      free(e->path);
      free(e);
      e = n;
    }
    htab[i] = NULL;
  }
}

void hash_print(void) {
  for (int i = 0; i < HASH_SIZE; i++)
    for (struct hentry *e = htab[i]; e; e = e->next) out_fmt(1, "%s\n", e->path);
}

static void hash_forget(const char *name) {
  for (struct hentry **pp = &htab[hname(name)]; *pp; pp = &(*pp)->next)
    if (strcmp((*pp)->name, name) == 0) {
      struct hentry *e = *pp;
      *pp = e->next;
      free(e->name);
      free(e->path);
      free(e);
      return;
    }
}

char *path_search(const char *name, const char *path, int *err) {
  return path_find(name, path, true, err);
}

char *path_find(const char *name, const char *path, bool exec, int *err) {
  *err = ENOENT;
  if (!path) path = "/bin:/usr/bin";
  sbuf full = {0};
  for (const char *p = path;;) {
    const char *colon = strchr(p, ':');
    size_t n = colon ? (size_t)(colon - p) : strlen(p);
    full.n = 0;
    if (n == 0) sb_adds(&full, ".");
    else sb_addn(&full, p, n);
    sb_addc(&full, '/');
    sb_adds(&full, name);
    struct stat st;
    if (stat(full.s, &st) == 0 && S_ISREG(st.st_mode)) {
      if (!exec || (st.st_mode & 0111)) return sb_take(&full);
      *err = EACCES;
    }
    if (!colon) break;
    p = colon + 1;
  }
  sb_free(&full);
  return NULL;
}

static char *hash_lookup(const char *name, int *err) {
  unsigned h = hname(name);
  for (struct hentry *e = htab[h]; e; e = e->next)
    if (strcmp(e->name, name) == 0) return xstrdup(e->path);
  char *p = path_search(name, var_get("PATH"), err);
  if (p) {
    struct hentry *e = xzalloc(sizeof *e);
    e->name = xstrdup(name);
    e->path = xstrdup(p);
    e->next = htab[h];
    htab[h] = e;
  }
  return p;
}

void find_command(const char *name, struct cmdinfo *ci, bool skip_functions, const char *path) {
  memset(ci, 0, sizeof *ci);
  if (strchr(name, '/')) {
    ci->kind = CMD_EXTERNAL;
    ci->path = xstrdup(name);
    return;
  }
  const struct builtin *b = builtin_lookup(name);
  if (b && b->special) {
    ci->kind = CMD_SPECIAL;
    ci->fn = b->fn;
    return;
  }
  if (!skip_functions) {
    node *f = func_lookup(name);
    if (f) {
      ci->kind = CMD_FUNCTION;
      ci->func = f;
      return;
    }
  }
  if (b) {
    ci->kind = CMD_BUILTIN;
    ci->fn = b->fn;
    return;
  }
  int err;
  ci->path = path ? path_search(name, path, &err) : hash_lookup(name, &err);
  ci->kind = ci->path ? CMD_EXTERNAL : CMD_NONE;
  ci->err = ci->path ? 0 : err;
}

/* ------------------------------------------------------------------ programs */

static pid_t do_spawn(const char *path, char **argv, char **envp, bool async) {
  out_flush_all();
  posix_spawn_file_actions_t own;
  posix_spawn_file_actions_init(&own);
  preopen_spawn_actions(&own);
  if (async) bg_signals_ignore(true);
  pid_t pid = -1;
  int err = posix_spawn(&pid, path, &own, NULL, argv, envp);
  if (async) bg_signals_ignore(false);
  posix_spawn_file_actions_destroy(&own);
  if (!err && !async && sh.o.interactive) fg_add(pid);
  if (err) {
    errno = err;
    return -1;
  }
  return pid;
}

pid_t spawn_program(const char *path, char **argv, char **envp, bool async, int *status) {
  pid_t pid = do_spawn(path, argv, envp, async);
  if (pid >= 0) return pid;
  int err = errno;
  if (err == ENOENT && !strchr(argv[0], '/')) {
    /* a stale cache entry: look again */
    hash_forget(argv[0]);
    int e2;
    char *again = hash_lookup(argv[0], &e2);
    if (again && strcmp(again, path) != 0) {
      pid = do_spawn(again, argv, envp, async);
      free(again);
      if (pid >= 0) return pid;
      err = errno;
    } else {
      free(again);
    }
  }
  if (err == ENOEXEC) {
    /* Not a program the kernel runs: a shell script without #!. */
    int argc = 0;
    while (argv[argc]) argc++;
    char **v = xmalloc(((size_t)argc + 2) * sizeof(char *));
    v[0] = (char *)sh.shpath;
    v[1] = (char *)path;
    for (int i = 1; i <= argc; i++) v[i + 1] = argv[i];
    pid = do_spawn(sh.shpath, v, envp, async);
    err = errno;
    free(v);
    if (pid >= 0) return pid;
  }
  if (err == ENOENT) {
    sh_warn("%s: not found", argv[0]);
    *status = 127;
  } else {
    sh_warn("%s: %s", argv[0], errtext(err));
    *status = 126;
  }
  return -1;
}

/* --------------------------------------------------------------- child shells */

static void prelude_function(const char *name, node *body, void *ctx) {
  sbuf *b = ctx;
  sb_printf(b, "%s() ", name);
  unparse_cmd(b, body);
}

static void build_prelude(sbuf *b) {
  size_t n;
  var **vs = vars_sorted(&n);
  bool ifs_set = false;
  for (size_t i = 0; i < n; i++) {
    var *v = vs[i];
    if (!valid_name(v->name)) continue;
    if (strcmp(v->name, "IFS") == 0) ifs_set = v->value != NULL;
    if (v->value && !(v->flags & V_EXPORT)) {
      sb_adds(b, (v->flags & V_READONLY) ? "readonly " : "");
      sb_printf(b, "%s=", v->name);
      sb_quote(b, v->value);
      sb_addc(b, '\n');
    } else if (v->value && (v->flags & V_READONLY)) {
      sb_printf(b, "readonly %s\n", v->name);
    } else if (!v->value) {
      if (v->flags & V_EXPORT) sb_printf(b, "export %s\n", v->name);
      if (v->flags & V_READONLY) sb_printf(b, "readonly %s\n", v->name);
      if (!(v->flags & (V_EXPORT | V_READONLY))) sb_printf(b, "unset %s\n", v->name);
    }
  }
  free(vs);
  if (!ifs_set) sb_adds(b, "unset IFS\n");
  /* The functions' text changes rarely: kept until a function is (re)defined or unset. */
  static sbuf funcs_text;
  static unsigned funcs_text_gen;
  static bool funcs_text_valid;
  if (!funcs_text_valid || funcs_text_gen != funcs_generation) {
    funcs_text.n = 0;
    funcs_each(prelude_function, &funcs_text);
    funcs_text_gen = funcs_generation;
    funcs_text_valid = true;
  }
  sb_addn(b, funcs_text.s ? funcs_text.s : "", funcs_text.n);
}

static char *build_state(void) {
  sbuf b = {0};
  char *opts = option_letters();
  sb_printf(&b, "%s%d,%d,%d,%d,%d,%s,%d,%d,%d,", SUBSHELL_FLAG, (int)sh.pid, (int)sh.ppid,
            sh.status, (int)sh.lastbg, sh.line, opts[0] ? opts : "-", sh.funcs + sh.dots,
            sh.loops, sh.noerrexit);
  free(opts);
  traps_ignored_list(&b);
  sb_printf(&b, "|%s", sh.ctx ? sh.ctx : "");
  return sb_take(&b);
}

/* A prelude larger than this goes through a pipe rather than argv (argv and the
 * environment together must stay under the kernel's 1 MiB). */
#define PRELUDE_ARGV_MAX (192 * 1024)
#define PRELUDE_FD_PREFIX "@fd:"

/* Writes the prelude to the child through the pipe; SIGPIPE is ignored meanwhile, so a
 * child that dies early costs an error, not the shell. */
static void send_prelude(int fd, const sbuf *prelude) {
  struct sigaction ign, old;
  memset(&ign, 0, sizeof ign);
  ign.sa_handler = SIG_IGN;
  sigemptyset(&ign.sa_mask);
  sigaction(SIGPIPE, &ign, &old);
  size_t at = 0;
  while (at < prelude->n) {
    ssize_t w = write(fd, prelude->s + at, prelude->n - at);
    if (w < 0) {
      if (errno == EINTR) continue;
      break;
    }
    at += (size_t)w;
  }
  sigaction(SIGPIPE, &old, NULL);
}

static pid_t spawn_child_shell(const char *body, bool async) {
  sbuf prelude = {0};
  build_prelude(&prelude);
  char *state = build_state();
  int argc = 4 + posparams.n;
  char **argv = xmalloc(((size_t)argc + 2) * sizeof(char *));
  char fdarg[32];
  int pipefd[2] = {-1, -1}, childfd = -1;
  argv[0] = (char *)sh.shpath;
  argv[1] = state;
  argv[2] = sb_str(&prelude);
  if (prelude.n > PRELUDE_ARGV_MAX && pipe2(pipefd, O_CLOEXEC) == 0) {
    /* the child inherits the read end at a number it is told */
    childfd = fcntl(pipefd[0], F_DUPFD, SH_FD_BASE);
    snprintf(fdarg, sizeof fdarg, "%s%d", PRELUDE_FD_PREFIX, childfd);
    argv[2] = fdarg;
  }
  argv[3] = (char *)body;
  argv[4] = sh.arg0;
  for (int i = 0; i < posparams.n; i++) argv[5 + i] = posparams.v[i];
  argv[5 + posparams.n] = NULL;
  pid_t pid = do_spawn(sh.shpath, argv, env_build(), async);
  int err = errno;
  if (childfd >= 0) {
    close(childfd);
    close(pipefd[0]);
    if (pid > 0) send_prelude(pipefd[1], &prelude);
    close(pipefd[1]);
  }
  free(argv);
  free(state);
  sb_free(&prelude);
  if (pid < 0) sh_warn("cannot start a child shell (%s): %s", sh.shpath, errtext(err));
  return pid;
}

pid_t spawn_subshell(const node *n, bool whole_list, bool async) {
  sbuf body = {0};
  if (whole_list) unparse_list(&body, n);
  else unparse_cmd(&body, n);
  pid_t pid = spawn_child_shell(sb_str(&body), async);
  sb_free(&body);
  return pid;
}

/* ------------------------------------------------------ command substitution */

/* $(cmd) where cmd is one program with plain words: run it directly, without a child
 * shell (exec.c). Returns the pid, 0 if not possible, -1 if it failed (*status set). */
extern pid_t try_direct_subst(node *tree, int *status);

char *command_subst(wpart *p) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0) {
    sh_warn("Pipe call failed");
    return stk_strdup("");
  }
  int status = 0;
  pid_t pid = 0;
  savedfds *sv = redir_push();
  redir_dup(sv, fds[1], 1);
  if (!p->backq && p->tree) pid = try_direct_subst(p->tree, &status);
  if (pid == 0) {
    if (p->backq || p->tree) {
      sbuf body = {0};
      sb_printf(&body, "#@line %d\n", p->line);
      sb_adds(&body, p->text);
      pid = spawn_child_shell(sb_str(&body), false);
      sb_free(&body);
      if (pid < 0) status = 2;
    } else {
      pid = -1; /* $() : nothing to run */
    }
  }
  redir_pop(sv);
  close(fds[1]);
  sbuf out = {0};
  char buf[4096];
  for (;;) {
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    for (ssize_t i = 0; i < n; i++)
      if (buf[i]) sb_addc(&out, buf[i]);
  }
  close(fds[0]);
  if (pid > 0) status = wait_fg(pid);
  sh.cmdsub_status = status;
  while (out.n > 0 && out.s[out.n - 1] == '\n') out.n--;
  char *r = stk_strndup(out.s ? out.s : "", out.n);
  sb_free(&out);
  return r;
}

/* ------------------------------------------------------------- the child's side */

int subshell_main(int argc, char **argv) {
  if (argc < 5) {
    sh_warn("bad subshell invocation");
    return 2;
  }
  const char *st = argv[1] + strlen(SUBSHELL_FLAG);
  int pid = 0, ppid = 0, status = 0, lastbg = 0, line = 0, funcs = 0, loops = 0, noerrexit = 0;
  char opts[64] = "";
  int used = 0;
  sscanf(st, "%d,%d,%d,%d,%d,%63[^,],%d,%d,%d,%n", &pid, &ppid, &status, &lastbg, &line, opts,
         &funcs, &loops, &noerrexit, &used);
  sh.pid = pid;
  sh.ppid = ppid;
  sh.lastbg = lastbg;
  sh.trusted = true;
  sh.arg0 = xstrdup(argv[4]);
  sh.name = sh.arg0;
  params_set(&posparams, argv + 5, argc - 5);
  if (used > 0) traps_set_ignored_list(st + used);
  const char *bar = strchr(st + (used > 0 ? used : 0), '|');
  if (bar && bar[1]) sh.ctx = xstrdup(bar + 1);
  char pbuf[16];
  snprintf(pbuf, sizeof pbuf, "%d", ppid);
  var_set("PPID", pbuf, 0);

  /* The prelude runs quietly: no -x, no -e. */
  sh.line = 0;
  if (strncmp(argv[2], PRELUDE_FD_PREFIX, strlen(PRELUDE_FD_PREFIX)) == 0) {
    /* a large prelude comes through a pipe */
    int fd = atoi(argv[2] + strlen(PRELUDE_FD_PREFIX));
    sbuf text = {0};
    char buf[65536];
    for (;;) {
      ssize_t n = read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      sb_addn(&text, buf, (size_t)n);
    }
    close(fd);
    eval_string(sb_str(&text), 1);
    sb_free(&text);
  } else {
    eval_string(argv[2], 1);
  }
  for (const char *o = opts; *o; o++)
    if (*o != '-') set_option_letter(*o, true);
  sh.funcs = funcs;
  if (funcs > 0) locals_push(); /* `local` works in a subshell of a function */
  sh.loops = loops;
  sh.noerrexit = noerrexit;
  sh.status = status;
  sh.line = line;
  int r = eval_string(argv[3], line);
  if (sh.jump == J_RETURN || sh.jump == J_BREAK || sh.jump == J_CONTINUE) r = sh.status;
  return r;
}
