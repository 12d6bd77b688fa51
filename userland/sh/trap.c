/*
 * Signals and traps. A trapped signal's handler only notes it; the action runs at the next
 * safe point (between commands, after a foreground child ends, or at once in `wait`), with
 * $? saved around it. `trap '' SIG` sets SIG_IGN, which spawned children inherit (the
 * kernel keeps ignored signals across spawn and resets caught ones, as execve does). Signals
 * ignored when a non-interactive shell started cannot be trapped (POSIX), except those the
 * parent shell ignored by `trap ''` for a child shell, which stay changeable.
 */
#include "sh.h"

#define NSIG_ 32

static const char *const names[NSIG_] = {
  "EXIT", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
  "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
  "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
};

/* glibc's strsignal texts, which dash prints for a process a signal ended. */
static const char *const texts[NSIG_] = {
  "Unknown signal 0", "Hangup", "Interrupt", "Quit", "Illegal instruction",
  "Trace/breakpoint trap", "Aborted", "Bus error", "Floating point exception", "Killed",
  "User defined signal 1", "Segmentation fault", "User defined signal 2", "Broken pipe",
  "Alarm clock", "Terminated", "Stack fault", "Child exited", "Continued", "Stopped (signal)",
  "Stopped", "Stopped (tty input)", "Stopped (tty output)", "Urgent I/O condition",
  "CPU time limit exceeded", "File size limit exceeded", "Virtual timer expired",
  "Profiling timer expired", "Window changed", "I/O possible", "Power failure",
  "Bad system call",
};

static char *actions[NSIG_];    /* NULL: default; "": ignored; else the command */
static bool ignored_at_entry[NSIG_];
static volatile int pending[NSIG_];
volatile int trap_pending;
static bool running;

const char *signal_name(int sig) { return sig >= 0 && sig < NSIG_ ? names[sig] : "?"; }

const char *signal_text(int sig) {
  static char buf[32];
  if (sig > 0 && sig < NSIG_) return texts[sig];
  snprintf(buf, sizeof buf, "Unknown signal %d", sig);
  return buf;
}

int signal_number(const char *s) {
  if (*s >= '0' && *s <= '9') {
    char *end;
    long n = strtol(s, &end, 10);
    return *end || n < 0 || n >= NSIG_ ? -1 : (int)n;
  }
  if (strncasecmp(s, "SIG", 3) == 0) s += 3;
  for (int i = 0; i < NSIG_; i++)
    if (strcasecmp(s, names[i]) == 0) return i;
  return -1;
}

static void on_signal(int sig) {
  if (sig > 0 && sig < NSIG_) pending[sig] = 1;
  trap_pending = sig;
}

static void install(int sig, const char *action) {
  if (sig == 0 || sig == SIGKILL || sig == SIGSTOP) return;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  if (!action) sa.sa_handler = SIG_DFL;
  else if (!*action) sa.sa_handler = SIG_IGN;
  else sa.sa_handler = on_signal;
  sigaction(sig, &sa, NULL);
}

void traps_init(void) {
  for (int sig = 1; sig < NSIG_; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    struct sigaction old;
    if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN) ignored_at_entry[sig] = true;
  }
}

static void set_trap(int sig, const char *action) {
  if (sig > 0 && ignored_at_entry[sig] && !sh.o.interactive) return;
  free(actions[sig]);
  actions[sig] = action ? xstrdup(action) : NULL;
  install(sig, action);
}

/* An action runs like dash's: its lines count from 1, with no context in messages. */
static void run_action(const char *a) {
  const char *ctx = sh.ctx;
  int line = sh.line;
  sh.ctx = NULL;
  eval_string(a, 1);
  sh.ctx = ctx;
  sh.line = line;
}

void traps_run(void) {
  if (running) return;
  running = true;
  while (trap_pending) {
    trap_pending = 0;
    for (int sig = 1; sig < NSIG_; sig++) {
      if (!pending[sig]) continue;
      pending[sig] = 0;
      if (!actions[sig] || !*actions[sig]) continue;
      int saved = sh.status;
      int saved_jump = sh.jump;
      sh.jump = J_NONE;
      char *a = xstrdup(actions[sig]);
      run_action(a);
      free(a);
      if (sh.jump == J_NONE) sh.jump = saved_jump;
      sh.status = saved;
    }
  }
  running = false;
}

void trap_exit(void) {
  char *a = actions[0];
  if (!a) return;
  actions[0] = NULL;
  if (*a) {
    sh.jump = J_NONE;
    run_action(a);
  }
  free(a);
}

static void print_traps(void) {
  for (int sig = 0; sig < NSIG_; sig++) {
    if (!actions[sig]) continue;
    sbuf b = {0};
    sb_adds(&b, "trap -- ");
    sb_quote(&b, actions[sig]);
    sb_printf(&b, " %s\n", names[sig]);
    out_str(1, b.s);
    sb_free(&b);
  }
}

int builtin_trap(int argc, char **argv) {
  int i = 1;
  if (i < argc && strcmp(argv[i], "--") == 0) i++;
  else if (i < argc && argv[i][0] == '-' && argv[i][1]) {
    bi_error("trap", "Illegal option %s", argv[i]);
    sh_abort(2);
    return 2;
  }
  if (i >= argc) {
    print_traps();
    return 0;
  }
  const char *action = argv[i];
  bool reset = strcmp(action, "-") == 0;
  if ((signal_number(action) >= 0 && action[0] >= '0' && action[0] <= '9') || i + 1 == argc) {
    /* trap N ... or a single operand: the operands are conditions to reset */
    reset = true;
  } else {
    i++;
  }
  int status = 0;
  for (; i < argc; i++) {
    int sig = signal_number(argv[i]);
    if (sig < 0) {
      /* dash prints this one bare */
      out_flush_all();
      sbuf m = {0};
      sb_printf(&m, "trap: %s: bad trap\n", argv[i]);
      write(2, m.s, m.n);
      sb_free(&m);
      status = 1;
      continue;
    }
    set_trap(sig, reset ? NULL : action);
  }
  return status;
}

void traps_ignored_list(sbuf *b) {
  bool first = true;
  for (int sig = 1; sig < NSIG_; sig++)
    if (actions[sig] && !*actions[sig]) {
      sb_printf(b, "%s%d", first ? "" : ":", sig);
      first = false;
    }
}

void traps_set_ignored_list(const char *list) {
  while (*list && *list != '|') {
    int sig = atoi(list);
    if (sig > 0 && sig < NSIG_) {
      ignored_at_entry[sig] = false;
      free(actions[sig]);
      actions[sig] = xstrdup("");
    }
    while (*list && *list != ':' && *list != '|') list++;
    if (*list == ':') list++;
  }
}

static struct sigaction saved_int, saved_quit;

void bg_signals_ignore(bool on) {
  if (on) {
    struct sigaction ign;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGINT, &ign, &saved_int);
    sigaction(SIGQUIT, &ign, &saved_quit);
  } else {
    sigaction(SIGINT, &saved_int, NULL);
    sigaction(SIGQUIT, &saved_quit, NULL);
  }
}
