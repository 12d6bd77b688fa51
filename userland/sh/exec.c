/*
 * Running trees.
 *
 * Everything that changes the shell runs here, in this process: lists, and-or lists,
 * `!`, if/while/until/for/case, brace groups, functions, builtins, assignments. What POSIX
 * runs in a subshell environment runs in a child shell (spawn.c): ( list ), a command
 * substitution, each command of a pipeline that is not a plain program, and a compound
 * command or builtin started with &. A simple command that resolves to a program is
 * spawned directly, also inside a pipeline or with &, when expanding its words here cannot
 * change the shell (no ${x=...}, no $((...)), no ${x?...}, not under set -u): the result
 * is the same, one process cheaper.
 *
 * Control flow (break, continue, return, exit from a trap, errors in an interactive
 * shell) unwinds by setting sh.jump and returning; every loop checks it. wasm32 has no
 * setjmp/longjmp, and a non-interactive shell exits on errors anyway (sh_exit).
 */
#include "sh.h"

unit *cur_unit;

static int exec_cmd(node *n);

/* ----------------------------------------------------------------- functions */

struct func {
  struct func *next;
  char *name;
  node *body;
  unit *u;
};
static struct func *funcs;
unsigned funcs_generation; /* bumped by every change, for caches of their text */

void func_define(const char *name, node *body, unit *u) {
  funcs_generation++;
  for (struct func *f = funcs; f; f = f->next)
    if (strcmp(f->name, name) == 0) {
      unit_ref(u);
      unit_unref(f->u);
      f->body = body;
      f->u = u;
      return;
    }
  struct func *f = xzalloc(sizeof *f);
  f->name = xstrdup(name);
  f->body = body;
  f->u = u;
  unit_ref(u);
  struct func **tail = &funcs;
  while (*tail) tail = &(*tail)->next;
  *tail = f;
}

node *func_lookup(const char *name) {
  for (struct func *f = funcs; f; f = f->next)
    if (strcmp(f->name, name) == 0) return f->body;
  return NULL;
}

static struct func *func_entry(const char *name) {
  for (struct func *f = funcs; f; f = f->next)
    if (strcmp(f->name, name) == 0) return f;
  return NULL;
}

bool func_unset(const char *name) {
  funcs_generation++;
  for (struct func **pp = &funcs; *pp; pp = &(*pp)->next)
    if (strcmp((*pp)->name, name) == 0) {
      struct func *f = *pp;
      *pp = f->next;
      unit_unref(f->u);
      free(f->name);
      free(f);
      return true;
    }
  return false;
}

void funcs_each(void (*fn)(const char *name, node *body, void *ctx), void *ctx) {
  for (struct func *f = funcs; f; f = f->next) fn(f->name, f->body, ctx);
}

/* ------------------------------------------------------------------ the C stack */

/* Deep recursion (functions calling themselves, eval in eval, nested constructs) must end
 * in an error, not in an overflow: the stack's low end is where the data begins (data
 * first) or the bottom of memory (stack first). */
static uintptr_t stack_low;

void stack_init(void) {
  extern char __data_end;
  uintptr_t here = (uintptr_t)__builtin_frame_address(0);
  stack_low = here > (uintptr_t)&__data_end ? (uintptr_t)&__data_end : 0;
}

bool stack_exhausted(void) {
  uintptr_t here = (uintptr_t)__builtin_frame_address(0);
  return here < stack_low + 96 * 1024;
}

#define MAX_FUNC_DEPTH 1000

int call_function(node *body, char **argv, int argc) {
  if (sh.funcs >= MAX_FUNC_DEPTH || stack_exhausted()) {
    sh_error(2, "Maximum function recursion depth (%d) reached", MAX_FUNC_DEPTH);
    return 2;
  }
  struct func *f = func_entry(argv[0]);
  unit *u = f ? f->u : NULL;
  unit_ref(u); /* the function may redefine itself while it runs */
  params saved = posparams;
  posparams.v = NULL;
  posparams.n = 0;
  params_set(&posparams, argv + 1, argc - 1);
  locals_push();
  sh.funcs++;
  int loops = sh.loops; /* break and continue do not reach the caller's loops (dash) */
  sh.loops = 0;
  int s = exec_cmd(body);
  if (sh.jump == J_RETURN) {
    sh.jump = J_NONE;
    s = sh.status;
  }
  sh.loops = loops;
  sh.funcs--;
  locals_pop();
  params_free(&posparams);
  posparams = saved;
  unit_unref(u);
  return s;
}

/* ---------------------------------------------------------------- the script fd */

#define MAX_INPUTS 32
static input *fd_inputs[MAX_INPUTS];
static int nfd_inputs;

/* A redirection is about to replace fd: move a script being read from it out of the way. */
void input_fd_conflict(int fd) {
  preopen_fd_conflict(fd);
  for (int i = 0; i < nfd_inputs; i++)
    if (in_fdnum(fd_inputs[i]) == fd) {
      int n = fcntl(fd, F_DUPFD_CLOEXEC, SH_FD_BASE);
      if (n >= 0) {
        in_set_fd(fd_inputs[i], n);
        close(fd);
      }
    }
}

/* ------------------------------------------------------------------- errexit */

static void check_errexit(int status) {
  if (status != 0 && sh.o.errexit && sh.noerrexit == 0 && sh.jump == J_NONE) sh_exit(status);
}

void sh_exit(int status) {
  if (!sh.exiting) {
    sh.exiting = true;
    sh.status = status;
    trap_exit();
  }
  out_flush_all();
  exit(status);
}

/* --------------------------------------------------------------------- xtrace */

static void xtrace(char **assigns, int na, char **argv, int argc) {
  if (!sh.o.xtrace) return;
  sbuf b = {0};
  const char *ps4 = var_get("PS4");
  sb_adds(&b, ps4 ? ps4 : "");
  bool first = true;
  for (int i = 0; i < na; i++, first = false) {
    if (!first) sb_addc(&b, ' ');
    sb_adds(&b, assigns[i]);
  }
  for (int i = 0; i < argc; i++, first = false) {
    if (!first) sb_addc(&b, ' ');
    sb_adds(&b, argv[i]);
  }
  sb_addc(&b, '\n');
  out_flush_all();
  write(2, b.s, b.n);
  sb_free(&b);
}

/* ------------------------------------------------------------ simple commands */

/* Assignments are expanded and made one at a time, left to right (x=1 y=$x sees 1). */
enum { AS_PERMANENT, AS_TEMP };

typedef struct {
  char **texts; /* "name=value", for xtrace */
  int n;
  bool failed_assign; /* a read-only variable (reported) */
} assigns_t;

static bool do_assigns(word *w, assigns_t *a, int mode) {
  int n = 0;
  for (word *x = w; x; x = x->next) n++;
  a->n = 0;
  a->failed_assign = false;
  a->texts = stk_alloc(((size_t)n + 1) * sizeof(char *));
  for (; w; w = w->next) {
    size_t len = word_assign_len(w);
    wpart first = *w->parts;
    first.text = w->parts->text + len + 1;
    first.len = w->parts->len - len - 1;
    bool ok = true;
    char *value = expand_parts(&first, EX_ASSIGN | EX_TILDE, &ok);
    if (!ok) return false;
    char *name = stk_strndup(w->parts->text, len);
    size_t vl = strlen(value);
    char *text = stk_alloc(len + vl + 2);
    memcpy(text, name, len);
    text[len] = '=';
    memcpy(text + len + 1, value, vl + 1);
    a->texts[a->n++] = text;
    if (!(mode == AS_TEMP ? var_set_temp(name, value) : var_set(name, value, 0))) {
      a->failed_assign = true;
      return false;
    }
  }
  return true;
}

/* After do_assigns failed: a read-only assignment ends a non-interactive shell. */
static int assign_failed(assigns_t *a) {
  sh_abort(2);
  (void)a;
  return 2;
}

bool exec_keep_redirs; /* set by `exec` without a command */
int bi_command(int argc, char **argv);
int bi_exec(int argc, char **argv);

/* While a builtin runs, messages name it (dash: "sh: 1: export: x: is read only"). */
static int run_builtin(builtin_fn fn, int argc, char **argv) {
  const char *ctx = sh.ctx;
  sh.ctx = argv[0];
  int s = fn(argc, argv);
  sh.ctx = ctx;
  out_flush_all();
  return s;
}

static void not_found(struct cmdinfo *ci, const char *name, int *status) {
  if (ci->err == EACCES) {
    sh_warn("%s: %s", name, errtext(EACCES));
    *status = 126;
  } else {
    sh_warn("%s: not found", name);
    *status = 127;
  }
}

/* Strips `command [-p] --` prefixes; returns the index of the real command. */
static int strip_command(strvec *args, int ai, struct cmdinfo *ci, bool *skip_funcs, const char **path) {
  for (;;) {
    if (!(ci->kind == CMD_BUILTIN && ci->fn == bi_command)) return ai;
    int j = ai + 1;
    bool p = false;
    while (j < args->n && args->v[j][0] == '-' && args->v[j][1]) {
      if (strcmp(args->v[j], "--") == 0) {
        j++;
        break;
      }
      for (const char *o = args->v[j] + 1; *o; o++) {
        if (*o == 'p') p = true;
        else return ai; /* -v, -V or a bad option: the builtin deals with it */
      }
      j++;
    }
    if (j >= args->n) return ai;
    ai = j;
    *skip_funcs = true;
    if (p) *path = "/bin:/usr/bin";
    free(ci->path);
    find_command(args->v[ai], ci, true, *path);
  }
}

static int exec_simple(node *n) {
  sh.line = n->line;
  stkmark m = stk_mark();
  strvec args = {0};
  assigns_t as = {0};
  struct cmdinfo ci = {0};
  int status = 0;
  sh.cmdsub_status = -1;
  if (!expand_words(n->args, EX_SPLIT | EX_GLOB | EX_TILDE, &args)) {
    status = sh.status ? sh.status : 2;
    goto done;
  }
  if (args.n == 0) {
    if (!do_assigns(n->assigns, &as, AS_PERMANENT)) {
      status = assign_failed(&as);
      goto done;
    }
    xtrace(as.texts, as.n, NULL, 0);
    savedfds *sv = redir_push();
    bool ok = redir_apply(n->redirs, sv);
    redir_pop(sv);
    status = !ok ? 2 : sh.cmdsub_status >= 0 ? sh.cmdsub_status : 0;
    goto done;
  }
  /* Assignments: permanent before a special builtin (but exec CMD), else temporary; made
   * before the command is looked up, so `PATH=... cmd` searches the new PATH. */
  const struct builtin *special = builtin_lookup(args.v[0]);
  bool permanent = special && special->special && !(special->fn == bi_exec && args.n > 1);
  if (!permanent) var_push_temp();
  if (!do_assigns(n->assigns, &as, permanent ? AS_PERMANENT : AS_TEMP)) {
    if (!permanent) var_pop_temp();
    status = assign_failed(&as);
    goto done;
  }
  bool skip_funcs = false;
  const char *cpath = NULL;
  find_command(args.v[0], &ci, false, NULL);
  int ai = strip_command(&args, 0, &ci, &skip_funcs, &cpath);
  char **argv = args.v + ai;
  int argc = args.n - ai;
  savedfds *sv = NULL;
  xtrace(as.texts, as.n, args.v, args.n);
  sv = redir_push();
  if (!redir_apply(n->redirs, sv)) {
    redir_pop(sv);
    if (!permanent) var_pop_temp();
    status = 2;
    /* a special builtin's redirection error ends a non-interactive shell (not with
     * the `command` prefix) */
    if (ci.kind == CMD_SPECIAL && ai == 0) sh_abort(2);
    goto done;
  }
  switch (ci.kind) {
  case CMD_SPECIAL:
    exec_keep_redirs = false;
    status = run_builtin(ci.fn, argc, argv);
    if (exec_keep_redirs) redir_forget(sv);
    else redir_pop(sv);
    exec_keep_redirs = false;
    break;
  case CMD_BUILTIN:
    status = run_builtin(ci.fn, argc, argv);
    redir_pop(sv);
    break;
  case CMD_FUNCTION:
    status = call_function(ci.func, argv, argc);
    redir_pop(sv);
    break;
  case CMD_NONE:
    not_found(&ci, argv[0], &status);
    redir_pop(sv);
    break;
  default: {
    pid_t pid = spawn_program(ci.path, argv, env_build(), false, &status);
    redir_pop(sv);
    if (!permanent) {
      var_pop_temp();
      permanent = true; /* popped */
    }
    if (pid > 0) status = wait_fg(pid);
    break;
  }
  }
  if (!permanent) var_pop_temp();
done:
  free(ci.path);
  stk_release(m);
  sh.status = status;
  check_errexit(status);
  return status;
}

/* ---------------------------------------------------- direct spawns of programs */

static bool parts_pure(wpart *p, bool allow_subst) {
  for (; p; p = p->next) {
    switch (p->kind) {
    case WP_LIT: break;
    case WP_PARAM:
      if (p->op == 0xff || p->op == PO_ASSIGN || p->op == PO_ERROR || sh.o.nounset) return false;
      if (p->arg && !parts_pure(p->arg, allow_subst)) return false;
      break;
    case WP_CMDSUB:
      if (!allow_subst) return false;
      break;
    default:
      return false;
    }
  }
  return true;
}

static bool words_pure(word *w, bool allow_subst) {
  for (; w; w = w->next)
    if (!parts_pure(w->parts, allow_subst)) return false;
  return true;
}

static bool simple_pure(node *n, bool allow_subst) {
  if (n->kind != N_SIMPLE || !n->args) return false;
  if (!words_pure(n->args, allow_subst) || !words_pure(n->assigns, allow_subst)) return false;
  for (redir *r = n->redirs; r; r = r->next) {
    if (r->op == R_HEREDOC) {
      if (!r->quoted && !parts_pure(r->bodyparts, allow_subst)) return false;
    } else if (!parts_pure(r->target->parts, allow_subst)) return false;
  }
  return true;
}

/* Spawns a simple command that is a program, with the descriptors as they are now.
 * False if it is not a program (a builtin, a function): nothing was done. */
static bool try_direct(node *n, bool async, int *status, pid_t *pid) {
  stkmark m = stk_mark();
  strvec args = {0};
  assigns_t as = {0};
  struct cmdinfo ci = {0};
  sh.line = n->line;
  if (!expand_words(n->args, EX_SPLIT | EX_GLOB | EX_TILDE, &args) || args.n == 0) {
    stk_release(m);
    return false;
  }
  /* a quick look first: builtins and functions go to a child shell (nothing done yet) */
  if (builtin_lookup(args.v[0]) || (!strchr(args.v[0], '/') && func_lookup(args.v[0]))) {
    stk_release(m);
    return false;
  }
  *pid = -1;
  var_push_temp();
  if (!do_assigns(n->assigns, &as, AS_TEMP)) {
    var_pop_temp();
    *status = 2;
    goto out;
  }
  find_command(args.v[0], &ci, false, NULL);
  xtrace(as.texts, as.n, args.v, args.n);
  savedfds *sv = redir_push();
  if (!redir_apply(n->redirs, sv)) *status = 2;
  else if (ci.kind == CMD_NONE) not_found(&ci, args.v[0], status);
  else *pid = spawn_program(ci.path, args.v, env_build(), async, status);
  redir_pop(sv);
  var_pop_temp();
out:
  free(ci.path);
  stk_release(m);
  return true;
}

pid_t try_direct_subst(node *tree, int *status);
pid_t try_direct_subst(node *tree, int *status) {
  if (!tree || tree->next || tree->async || !simple_pure(tree, true)) return 0;
  pid_t pid = -1;
  if (!try_direct(tree, false, status, &pid)) return 0;
  return pid;
}

/* --------------------------------------------------------------- pipelines */

static int open_devnull_stdin(savedfds *sv) {
  int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  redir_dup(sv, fd, 0);
  close(fd);
  return 0;
}

/* One command of a pipeline or an async list, with fds 0 and 1 already set. */
static pid_t spawn_element(node *c, bool async, int *status) {
  pid_t pid = -1;
  *status = 0;
  if (simple_pure(c, !async) && try_direct(c, async, status, &pid)) return pid;
  if (c->kind == N_SUBSHELL) {
    /* ( list ): the child runs the list itself */
    savedfds *sv = redir_push();
    if (!redir_apply(c->redirs, sv)) {
      redir_pop(sv);
      *status = 2;
      return -1;
    }
    pid = spawn_subshell(c->a, true, async);
    redir_pop(sv);
  } else {
    pid = spawn_subshell(c, false, async);
  }
  if (pid < 0) *status = 2;
  return pid;
}

static int exec_pipe(node *n, bool async) {
  int nc = n->ncmds;
  pid_t *pids = xmalloc((size_t)nc * sizeof(pid_t));
  int *st = xmalloc((size_t)nc * sizeof(int));
  int prev = -1;
  for (int i = 0; i < nc; i++) {
    int fds[2] = {-1, -1};
    if (i < nc - 1 && pipe2(fds, O_CLOEXEC) < 0) {
      sh_warn("Pipe call failed");
      fds[0] = fds[1] = -1;
    }
    savedfds *sv = redir_push();
    if (prev >= 0) redir_dup(sv, prev, 0);
    else if (async && i == 0) open_devnull_stdin(sv);
    if (fds[1] >= 0) redir_dup(sv, fds[1], 1);
    pids[i] = spawn_element(n->cmds[i], async, &st[i]);
    redir_pop(sv);
    if (prev >= 0) close(prev);
    if (fds[1] >= 0) close(fds[1]);
    prev = fds[0];
  }
  if (prev >= 0) close(prev);
  int status = 0;
  if (async) {
    pid_t *live = xmalloc((size_t)nc * sizeof(pid_t));
    int k = 0;
    for (int i = 0; i < nc; i++)
      if (pids[i] > 0) live[k++] = pids[i];
    if (k > 0) {
      char *text = unparse_short(n);
      job_add(live, k, text);
      free(text);
      sh.lastbg = live[k - 1];
    }
    free(live);
  } else {
    for (int i = 0; i < nc; i++)
      if (pids[i] > 0) st[i] = wait_fg(pids[i]);
    status = st[nc - 1];
  }
  free(pids);
  free(st);
  return status;
}

static int exec_async(node *n) {
  if (n->kind == N_PIPE) return exec_pipe(n, true);
  savedfds *sv = redir_push();
  open_devnull_stdin(sv);
  int status = 0;
  pid_t pid = spawn_element(n, true, &status);
  redir_pop(sv);
  if (pid > 0) {
    char *text = unparse_short(n);
    job_add(&pid, 1, text);
    free(text);
    sh.lastbg = pid;
  }
  return 0;
}

/* ------------------------------------------------------------ compound commands */

/* After a loop body: handles break/continue. True if the loop must stop. */
static bool loop_jump(void) {
  if (sh.jump == J_BREAK) {
    if (--sh.jumpn <= 0) sh.jump = J_NONE;
    return true;
  }
  if (sh.jump == J_CONTINUE) {
    if (--sh.jumpn <= 0) {
      sh.jump = J_NONE;
      return false;
    }
    return true;
  }
  return sh.jump != J_NONE;
}

static int exec_loop(node *n) {
  int status = 0;
  sh.loops++;
  for (;;) {
    sh.noerrexit++;
    int c = exec_list(n->a);
    sh.noerrexit--;
    if (sh.jump != J_NONE) {
      if (loop_jump()) break;
      continue;
    }
    if (n->kind == N_WHILE ? c != 0 : c == 0) break;
    status = exec_list(n->b);
    if (sh.jump != J_NONE && loop_jump()) break;
  }
  sh.loops--;
  return status;
}

static int exec_for(node *n) {
  stkmark m = stk_mark();
  strvec items = {0};
  int status = 0;
  sh.line = n->line;
  if (n->has_in) {
    if (!expand_words(n->args, EX_SPLIT | EX_GLOB | EX_TILDE, &items)) {
      stk_release(m);
      return 2;
    }
  } else {
    for (int i = 0; i < posparams.n; i++) sv_push(&items, stk_strdup(posparams.v[i]));
  }
  sh.loops++;
  for (int i = 0; i < items.n; i++) {
    if (!var_set(n->name, items.v[i], 0)) {
      sh_abort(2);
      status = 2;
      break;
    }
    status = exec_list(n->a);
    if (sh.jump != J_NONE && loop_jump()) break;
  }
  sh.loops--;
  stk_release(m);
  return status;
}

static int exec_case(node *n) {
  stkmark m = stk_mark();
  sh.line = n->line;
  bool ok = true;
  int status = 0;
  char *subject = expand_string(n->subject, EX_TILDE, &ok);
  if (!ok) {
    stk_release(m);
    return 2;
  }
  for (caseitem *ci = n->items; ci; ci = ci->next) {
    for (word *p = ci->patterns; p; p = p->next) {
      char *pat = expand_string(p, EX_PATTERN | EX_TILDE, &ok);
      if (!ok) {
        stk_release(m);
        return 2;
      }
      if (pattern_match(pat, subject)) {
        stk_release(m);
        return exec_list(ci->body);
      }
    }
  }
  stk_release(m);
  return status;
}

static int exec_compound(node *n) {
  switch (n->kind) {
  case N_GROUP: return exec_list(n->a);
  case N_IF: {
    sh.noerrexit++;
    int c = exec_list(n->a);
    sh.noerrexit--;
    if (sh.jump != J_NONE) return c;
    if (c == 0) return exec_list(n->b);
    if (n->c) return exec_list(n->c);
    return 0;
  }
  case N_WHILE:
  case N_UNTIL: return exec_loop(n);
  case N_FOR: return exec_for(n);
  case N_CASE: return exec_case(n);
  }
  return 0;
}

static int exec_cmd(node *n) {
  int status = 0;
  switch (n->kind) {
  case N_SIMPLE:
    return exec_simple(n);
  case N_PIPE:
    sh.line = n->line;
    status = exec_pipe(n, false);
    sh.status = status;
    check_errexit(status);
    return status;
  case N_AND:
  case N_OR:
    sh.noerrexit++;
    status = exec_cmd(n->a);
    sh.noerrexit--;
    if (sh.jump != J_NONE) return status;
    if (n->kind == N_AND ? status == 0 : status != 0) status = exec_cmd(n->b);
    break;
  case N_NOT:
    sh.noerrexit++;
    status = exec_cmd(n->a);
    sh.noerrexit--;
    if (sh.jump == J_NONE) status = !status;
    break;
  case N_SUBSHELL: {
    sh.line = n->line;
    savedfds *sv = redir_push();
    if (!redir_apply(n->redirs, sv)) {
      redir_pop(sv);
      status = 2;
      break;
    }
    pid_t pid = spawn_subshell(n->a, true, false);
    redir_pop(sv);
    status = pid > 0 ? wait_fg(pid) : 2;
    sh.status = status;
    check_errexit(status);
    return status;
  }
  case N_FUNCDEF:
    func_define(n->name, n->a, cur_unit);
    status = 0;
    break;
  default: {
    sh.line = n->line;
    savedfds *sv = NULL;
    if (n->redirs) {
      sv = redir_push();
      if (!redir_apply(n->redirs, sv)) {
        redir_pop(sv);
        status = 2;
        break;
      }
    }
    status = exec_compound(n);
    if (sv) redir_pop(sv);
    break;
  }
  }
  sh.status = status;
  return status;
}

int exec_list(node *n) {
  int status = sh.status;
  for (; n; n = n->next) {
    if (n->async) {
      status = exec_async(n);
      sh.status = status;
    } else {
      status = exec_cmd(n);
    }
    if (trap_pending) traps_run();
    if (sh.jump != J_NONE) break;
  }
  return status;
}

/* ------------------------------------------------------------------- input loops */

int eval_input(input *in, bool top) {
  parser *p = parse_new(in, sh.trusted);
  bool registered = false;
  if (in_fdnum(in) >= 0 && nfd_inputs < MAX_INPUTS) {
    fd_inputs[nfd_inputs++] = in;
    registered = true;
  }
  int status = 0;
  for (;;) {
    if (top && sh.o.interactive) {
      const char *ps1 = var_get("PS1");
      out_str(2, ps1 ? ps1 : "$ ");
      out_flush(2);
      in_set_prompts(in, true);
      in_command_start(in);
    }
    unit *u;
    bool eof, err;
    node *n = parse_next(p, &u, &eof, &err);
    if (err) {
      if (!sh.o.interactive) sh_exit(2);
      sh.status = 2;
      continue;
    }
    if (eof) break;
    if (!n) {
      unit_unref(u);
      continue;
    }
    if (!sh.o.noexec || sh.o.interactive) {
      unit *prev = cur_unit;
      cur_unit = u;
      status = exec_list(n);
      cur_unit = prev;
    }
    unit_unref(u);
    if (sh.jump != J_NONE) {
      if (sh.jump == J_ERROR && top && sh.o.interactive) {
        sh.jump = J_NONE;
        continue;
      }
      break;
    }
  }
  if (registered) nfd_inputs--;
  parse_free(p);
  return status;
}

int eval_string(const char *s, int line) {
  if (stack_exhausted()) {
    sh_error(2, "nested too deeply");
    return 2;
  }
  input *in = in_string(s, strlen(s), line);
  int status = eval_input(in, false);
  in_free(in);
  return status;
}
