/*
 * sh.h: the shell's shared types and the functions each subsystem offers the others.
 *
 *   mem.c      allocation, growable strings, arenas (parse trees, expansion scratch)
 *   output.c   buffered output, error messages in dash's format, fatal errors
 *   input.c    input sources (a string, a file descriptor) with line counting
 *   lexer.c    tokens and words (split into parts: literal, ${..}, $(..), $((..)))
 *   parser.c   the POSIX grammar -> a tree of nodes
 *   unparse.c  a tree -> shell text again (what a child shell is given to run)
 *   expand.c   word expansion: tilde, parameters, substitutions, splitting, globbing
 *   arith.c    $((...))
 *   exec.c     running trees: lists, and-or, loops, case, functions, simple commands
 *   spawn.c    running programs and child shells (the fork-less design is in main.c)
 *   redir.c    redirections, saved and restored around a command
 *   jobs.c     background jobs, waiting, statuses
 *   vars.c     variables, positional parameters, locals, the environment
 *   trap.c     signals and traps
 *   builtins.c and bi_*.c   the built-in commands
 */
#ifndef SH_H
#define SH_H

#include <isokernel.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdint.h>

/* ------------------------------------------------------------------------- mem.c */

void *xmalloc(size_t n);
void *xzalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A growable string, always NUL-terminated once anything was added. */
typedef struct {
  char *s;
  size_t n, cap;
} sbuf;
void sb_addc(sbuf *b, char c);
void sb_addn(sbuf *b, const char *s, size_t n);
void sb_adds(sbuf *b, const char *s);
void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *sb_str(sbuf *b); /* the string ("" when empty); still owned by b */
char *sb_take(sbuf *b); /* the string, malloc'd; b is emptied */
void sb_free(sbuf *b);
/* Appends s in single quotes, as the shell would read it back. */
void sb_quote(sbuf *b, const char *s);

/* An arena: many small allocations freed at once. */
typedef struct arena arena;
arena *arena_new(void);
void *arena_alloc(arena *a, size_t n);
char *arena_strndup(arena *a, const char *s, size_t n);
void arena_free(arena *a);

/* The expansion stack: scratch memory for one command, released when it is done. */
typedef struct {
  void *chunk;
  size_t used;
} stkmark;
stkmark stk_mark(void);
void stk_release(stkmark m);
void *stk_alloc(size_t n);
char *stk_strdup(const char *s);
char *stk_strndup(const char *s, size_t n);

/* ---------------------------------------------------------------------- output.c */

/* Buffered output on a descriptor; flushed by out_flush (builtins flush when they end). */
void out_str(int fd, const char *s);
void out_mem(int fd, const char *s, size_t n);
void out_fmt(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int out_flush(int fd); /* -1 (errno set) if a write failed */
void out_flush_all(void);
/* "NAME: LINE: message\n" on stderr, as dash prints errors. */
void sh_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sh_vwarn(const char *fmt, va_list ap);
void sh_vwarn_ctx(const char *ctx, const char *fmt, va_list ap);
/* A shell error: the message, then (non-interactive) the shell exits with `status`;
 * interactive, the current command is abandoned. Returns so callers can unwind. */
void sh_error(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same without a message (one was printed already). */
void sh_abort(int status);
/* The text dash gives for an errno (glibc's, with dash's own for ENOENT and ENOTDIR). */
const char *errtext(int err);
const char *errtext_create(int err); /* for files being created: ENOENT = "Directory nonexistent" */

/* ----------------------------------------------------------------------- input.c */

typedef struct input input;
input *in_string(const char *s, size_t len, int line);
input *in_fd(int fd, int line);
void in_free(input *in);
int in_getc(input *in); /* -1 at EOF */
void in_ungetc(input *in, int c);
int in_peek(input *in);
int in_line(input *in);
void in_set_line(input *in, int line);
int in_fdnum(input *in); /* the descriptor read, or -1 */
void in_set_fd(input *in, int fd);
/* Interactive input: PS2 before each read that continues a command. */
void in_set_prompts(input *in, bool on);
void in_command_start(input *in);
/* Raw text recording: what was consumed between start and stop (nests). */
size_t in_rec_start(input *in);
char *in_rec_text(input *in, size_t start, size_t end_trim, arena *a);
void in_rec_stop(input *in, size_t start);

/* ----------------------------------------------------------------------- words */

enum { WP_LIT, WP_PARAM, WP_CMDSUB, WP_ARITH };
/* ${name OP word} operators. */
enum {
  PO_NONE, PO_LENGTH,       /* ${x} ${#x} */
  PO_DEFAULT, PO_ASSIGN,    /* - = */
  PO_ERROR, PO_ALT,         /* ? + */
  PO_RM_SPREFIX, PO_RM_LPREFIX, PO_RM_SSUFFIX, PO_RM_LSUFFIX /* # ## % %% */
};

struct node;
typedef struct wpart wpart;
struct wpart {
  wpart *next;
  unsigned char kind;
  bool quoted;     /* inside quotes (or escaped, for a literal) */
  bool colon;      /* ${x:-y} as opposed to ${x-y} */
  unsigned char op;
  bool backq;      /* `...` rather than $(...) */
  char *text;      /* literal text; parameter name; command text */
  size_t len;      /* of a literal */
  wpart *arg;      /* the word of ${x-word}; the expression of $((...)) */
  struct node *tree; /* a command substitution, parsed */
  int line;
};

typedef struct word word;
struct word {
  word *next;
  char *raw;  /* as written */
  wpart *parts;
  int line;
};

/* ----------------------------------------------------------------------- tree */

enum { R_IN, R_OUT, R_CLOBBER, R_APPEND, R_RDWR, R_DUPIN, R_DUPOUT, R_HEREDOC };

typedef struct redir redir;
struct redir {
  redir *next;
  int fd;       /* the descriptor redirected */
  int op;
  word *target; /* file name, descriptor, or the here-document's delimiter */
  /* here-documents */
  bool strip;   /* <<- */
  bool quoted;  /* the delimiter was quoted: no expansion of the body */
  char *delim;  /* the delimiter, quotes removed */
  char *body;   /* the body as read (tabs stripped for <<-) */
  wpart *bodyparts; /* for an unquoted delimiter */
};

enum {
  N_SIMPLE, N_PIPE, N_AND, N_OR, N_NOT, N_SUBSHELL, N_GROUP, N_IF, N_WHILE, N_UNTIL,
  N_FOR, N_CASE, N_FUNCDEF
};

typedef struct caseitem caseitem;
struct caseitem {
  caseitem *next;
  word *patterns;
  struct node *body;
};

typedef struct node node;
struct node {
  node *next;   /* the next command of a list */
  int kind;
  int line;
  bool async;   /* followed by & in its list */
  redir *redirs;
  word *assigns; /* N_SIMPLE */
  word *args;    /* N_SIMPLE; N_FOR's list */
  word *subject; /* N_CASE */
  node *a, *b, *c; /* children: and/or (a, b); not (a); subshell/group/loop body (a);
                     if (a cond, b then, c else); while (a cond, b body); for/funcdef body (a) */
  node **cmds;   /* N_PIPE */
  int ncmds;
  char *name;    /* N_FOR variable, N_FUNCDEF name */
  bool has_in;   /* N_FOR: `in` given */
  caseitem *items;
};

/* A parsed piece of input: its nodes live in an arena, kept while anything uses them. */
typedef struct unit {
  arena *a;
  int refs;
} unit;
void unit_ref(unit *u);
void unit_unref(unit *u);

/* ----------------------------------------------------------------------- lexer.c */

enum {
  T_EOF, T_WORD, T_NEWLINE, T_IONUM,
  T_SEMI, T_AMP, T_PIPE, T_AND, T_OR, T_DSEMI, T_LPAREN, T_RPAREN,
  T_LESS, T_GREAT, T_DLESS, T_DLESSDASH, T_DGREAT, T_LESSAND, T_GREATAND, T_LESSGREAT, T_CLOBBER,
  T_ERROR
};

typedef struct lexer lexer;
typedef struct token {
  int kind;
  int line;
  word *w;   /* T_WORD */
  int num;   /* T_IONUM */
} token;

lexer *lex_new(input *in, arena *a, bool trusted);
void lex_free(lexer *lx);
token lex_next(lexer *lx);
void lex_add_heredoc(lexer *lx, redir *r);
bool lex_failed(lexer *lx);
void lex_set_arena(lexer *lx, arena *a);
input *lex_input(lexer *lx);
arena *lex_arena(lexer *lx);
bool lex_trusted(lexer *lx);
const char *token_text(const token *t);
/* Lexes a string into word parts as a here-document body (unquoted delimiter). */
wpart *lex_heredoc_parts(const char *body, int line, arena *a, bool *err);
/* True if the word is one unquoted literal equal to s. */
bool word_is(const word *w, const char *s);
/* The name of an assignment word (NAME=...), or 0: the length of NAME. */
size_t word_assign_len(const word *w);

/* ----------------------------------------------------------------------- parser.c */

typedef struct parser parser;
parser *parse_new(input *in, bool trusted);
void parse_free(parser *p);
/* Reads one complete command (up to a newline at top level). Returns the list (NULL for
 * an empty line), with *u the unit holding it (the caller unrefs). *eof at end of input;
 * *err on a syntax error (reported). */
node *parse_next(parser *p, unit **u, bool *eof, bool *err);
/* Used by the lexer for $(...): parses a command list up to `)`. */
node *parse_subst(lexer *lx, bool *err);
bool is_keyword(const char *s);

/* ----------------------------------------------------------------------- unparse.c */

/* Shell text for a list, with `#@line N` directives so a child shell reports the same
 * line numbers (read back only in trusted mode). */
void unparse_list(sbuf *b, const node *n);
void unparse_cmd(sbuf *b, const node *n);
/* One line, for jobs and messages. */
char *unparse_short(const node *n);

/* ----------------------------------------------------------------------- vars.c */

enum { V_EXPORT = 1, V_READONLY = 2, V_UNSET = 4 /* declared (export/readonly/local) without a value */ };

typedef struct var var;
struct var {
  var *next;    /* hash chain */
  char *name;
  char *value;  /* NULL when unset-but-declared */
  int flags;
};

void vars_init(char **envp);
var *var_lookup(const char *name);
const char *var_get(const char *name); /* NULL if unset */
/* Sets a variable; false (with an error message) if it is read-only. */
bool var_set(const char *name, const char *value, int flags);
bool var_unset(const char *name);
void var_export(const char *name);
bool valid_name(const char *s);
bool valid_name_n(const char *s, size_t n);
char **env_build(void); /* the environment for a spawn, with temporary additions */
/* Temporary assignments before a command: pushed and popped. */
void var_push_temp(void);
bool var_set_temp(const char *name, const char *value);
void var_pop_temp(void);
/* Locals of functions. */
void locals_push(void);
void locals_pop(void);
bool local_declare(const char *arg);
/* Every variable, sorted by name. */
var **vars_sorted(size_t *n);
void vars_changed_path(void);

/* Positional parameters. */
typedef struct {
  char **v;
  int n;
} params;
extern params posparams;
void params_set(params *p, char **argv, int n); /* copies */
void params_free(params *p);

/* ----------------------------------------------------------------------- the state */

enum { J_NONE, J_BREAK, J_CONTINUE, J_RETURN, J_ERROR };

struct shopts {
  bool errexit, nounset, xtrace, noglob, noclobber, allexport, noexec, verbose, monitor,
      notify, ignoreeof, interactive, stdin_cmds;
};

struct shell {
  struct shopts o;
  int status;        /* $? */
  int jump;          /* J_*: unwinding after break, continue, return, an error (interactive) */
  int jumpn;         /* levels for break/continue */
  int loops;         /* loops being run (break/continue) */
  int funcs;         /* functions being run (return) */
  int dots;          /* dot scripts being run (return) */
  int noerrexit;     /* > 0: set -e is ignored (conditions, && || lists, !) */
  int line;          /* the line being run */
  pid_t pid;         /* $$ */
  pid_t ppid;        /* $PPID */
  pid_t lastbg;      /* $!, 0 if none */
  char *arg0;        /* $0 */
  const char *name;  /* the name in error messages (dash: $0 at startup) */
  bool exiting;
  bool trusted;      /* reading our own text: `#@line N` directives are honoured */
  int cmdsub_status; /* the status of the last command substitution, -1 if none */
  const char *shpath; /* the program to spawn for child shells */
  const char *ctx;   /* the builtin running the code (eval, a dot file), for messages */
};
extern struct shell sh;

/* ----------------------------------------------------------------------- exec.c */

int exec_list(node *n);
/* Runs shell text (eval, traps, dot scripts). */
int eval_string(const char *s, int line);
/* Runs input to its end (script, stdin, -c). */
int eval_input(input *in, bool top);
void sh_exit(int status) __attribute__((noreturn));
/* The function table. */
void func_define(const char *name, node *body, unit *u);
node *func_lookup(const char *name);
bool func_unset(const char *name);
void funcs_each(void (*fn)(const char *name, node *body, void *ctx), void *ctx);
extern unsigned funcs_generation;
int call_function(node *body, char **argv, int argc);
void stack_init(void);
bool stack_exhausted(void);
extern unit *cur_unit; /* the unit being run (functions defined now keep it) */

/* ----------------------------------------------------------------------- expand.c */

enum {
  EX_SPLIT = 1,  /* field splitting */
  EX_GLOB = 2,   /* pathname expansion */
  EX_TILDE = 4,  /* ~ at the start */
  EX_ASSIGN = 8, /* ~ after = and : too */
  EX_PATTERN = 16, /* result is a pattern: quoted characters escaped */
};

typedef struct {
  char **v;
  int n, cap;
} strvec;
void sv_push(strvec *sv, char *s);

/* Expands words into fields (on the expansion stack). False on an error (reported). */
bool expand_words(word *w, int flags, strvec *out);
/* One word to one string, no splitting, no globbing (assignments, redirections, case). */
char *expand_string(word *w, int flags, bool *ok);
char *expand_parts(wpart *p, int flags, bool *ok);
/* fnmatch() of a pattern from EX_PATTERN. */
bool pattern_match(const char *pat, const char *s);
/* Runs a command substitution and returns its output, trailing newlines removed. */
char *command_subst(wpart *p);

/* ----------------------------------------------------------------------- arith.c */

bool arith_eval(const char *expr, intmax_t *result);

/* ----------------------------------------------------------------------- redir.c */

/* Applies redirections, saving what they replace on the current frame of the save
 * stack. Returns false (reported) on a failure. */
typedef struct savedfds savedfds;
savedfds *redir_push(void);
bool redir_apply(redir *r, savedfds *s);
void redir_pop(savedfds *s); /* restores */
void redir_forget(savedfds *s); /* keeps the new state (exec) */
/* Makes `to` a copy of `from` (a pipe end for a child), saving `to`. */
bool redir_dup(savedfds *s, int from, int to);
/* The shell's own descriptors (scripts, saved ones) live at >= this, close-on-exec. */
#define SH_FD_BASE 10
int fd_move_high(int fd);
bool fd_is_open(int fd);

/* ----------------------------------------------------------------------- preopen.c */

/* Copies the preopened directories away from descriptors 3-9 (see preopen.c). */
void preopens_protect(void);
void preopen_fd_conflict(int fd);
/* File actions giving a child its preopens back in slots the script closed. */
void preopen_spawn_actions(posix_spawn_file_actions_t *fa);
void preopen_exec_prepare(void);

/* ----------------------------------------------------------------------- spawn.c */

/* What a command resolves to. */
enum { CMD_NONE, CMD_SPECIAL, CMD_FUNCTION, CMD_BUILTIN, CMD_EXTERNAL };
typedef int (*builtin_fn)(int argc, char **argv);
struct cmdinfo {
  int kind;
  builtin_fn fn;
  node *func;
  char *path; /* CMD_EXTERNAL: malloc'd */
  int err;    /* CMD_NONE: why (ENOENT, EACCES) */
};
void find_command(const char *name, struct cmdinfo *ci, bool skip_functions, const char *path);
/* Searches PATH for an executable; malloc'd path, NULL if none (*err says why). */
char *path_search(const char *name, const char *path, int *err);
/* Searches PATH (NULL: /bin:/usr/bin) for a regular file NAME, executable if EXEC; as
 * path_search. */
char *path_find(const char *name, const char *path, bool exec, int *err);
void hash_clear(void);
void hash_print(void);
/* Spawns a program with the shell's descriptors; returns the pid, or -1 (reported, with
 * *status set to 126 or 127). */
pid_t spawn_program(const char *path, char **argv, char **envp, bool async, int *status);
/* Spawns a child shell running `n` (a list when whole_list) with the shell's state. */
pid_t spawn_subshell(const node *n, bool whole_list, bool async);
/* Entry of a child shell: argv[1] is "--isk-subshell=..."; returns its status. */
int subshell_main(int argc, char **argv);
extern const char SUBSHELL_FLAG[];

/* ----------------------------------------------------------------------- jobs.c */

/* Waits for a foreground process; returns its shell status (128+n if killed; dash's
 * message printed for a signal). */
int wait_fg(pid_t pid);
/* Foreground processes an interactive shell passes SIGINT to (added when spawned). */
void fg_add(pid_t pid);
void interactive_signals(void);
/* Records processes started with & (a pipeline is one job). */
void job_add(pid_t *pids, int n, const char *cmd);
int builtin_wait(int argc, char **argv);
int builtin_jobs(int argc, char **argv);
int status_of(int wstatus);
void signal_message(int wstatus);
pid_t job_pid(const char *spec); /* %N, %%, %+, %-, or a pid; -1 if unknown */

/* ----------------------------------------------------------------------- trap.c */

void traps_init(void);
extern volatile int trap_pending;
void traps_run(void);   /* runs the actions of caught signals, if any */
void trap_exit(void);   /* runs the EXIT action once */
int signal_number(const char *name); /* -1 if unknown; accepts numbers, SIGINT, INT */
const char *signal_name(int sig);
const char *signal_text(int sig); /* glibc's strsignal text */
int builtin_trap(int argc, char **argv);
/* Signals the parent has `trap ''` for, as a list for a child shell ("2,3"). */
void traps_ignored_list(sbuf *b);
void traps_set_ignored_list(const char *list);
/* Async children ignore SIGINT and SIGQUIT (no job control): around their spawn. */
void bg_signals_ignore(bool on);

/* ----------------------------------------------------------------------- builtins */

struct builtin {
  const char *name;
  builtin_fn fn;
  bool special;
};
const struct builtin *builtin_lookup(const char *name);
int bi_echo(int, char **);
int bi_printf(int, char **);
int bi_test(int, char **);
int bi_read(int, char **);
int bi_getopts(int, char **);
int bi_kill(int, char **);
int bi_umask(int, char **);
int bi_ulimit(int, char **);
int bi_set(int, char **);
bool set_option_letter(char c, bool on);
char *option_letters(void); /* $- */
void options_restore(const char *letters);
/* A builtin's usage/operand error: "NAME: MSG" on stderr. */
void bi_error(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parses a decimal number for a builtin; false with dash's "Illegal number" error. */
bool bi_number(const char *name, const char *s, intmax_t *out);

#endif
