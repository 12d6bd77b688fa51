/*
 * set (options and positional parameters), $-, kill and umask.
 */
#include "sh.h"

struct opt {
  char letter; /* 0: only by name */
  const char *name;
  bool *flag;
};

/* dash's order for `set -o`. */
static const struct opt opts[] = {
  {'e', "errexit", &sh.o.errexit},     {'f', "noglob", &sh.o.noglob},
  {'I', "ignoreeof", &sh.o.ignoreeof}, {'i', "interactive", &sh.o.interactive},
  {'m', "monitor", &sh.o.monitor},     {'n', "noexec", &sh.o.noexec},
  {'s', "stdin", &sh.o.stdin_cmds},    {'x', "xtrace", &sh.o.xtrace},
  {'v', "verbose", &sh.o.verbose},     {0, "vi", NULL},
  {0, "emacs", NULL},                  {'C', "noclobber", &sh.o.noclobber},
  {'a', "allexport", &sh.o.allexport}, {'b', "notify", &sh.o.notify},
  {'u', "nounset", &sh.o.nounset},     {0, "privileged", NULL},
  {0, "nolog", NULL},                  {0, "debug", NULL},
};
#define NOPTS (sizeof opts / sizeof opts[0])

bool set_option_letter(char c, bool on) {
  for (size_t i = 0; i < NOPTS; i++)
    if (opts[i].letter == c && opts[i].flag) {
      if (c == 'i') return true; /* not changeable */
      *opts[i].flag = on;
      return true;
    }
  return false;
}

static bool set_option_name(const char *name, bool on) {
  for (size_t i = 0; i < NOPTS; i++)
    if (strcmp(opts[i].name, name) == 0) {
      if (opts[i].flag && opts[i].letter != 'i') *opts[i].flag = on;
      return true;
    }
  return false;
}

char *option_letters(void) {
  /* dash lists them in the reverse of its option table's order */
  sbuf b = {0};
  for (size_t i = NOPTS; i-- > 0;)
    if (opts[i].letter && opts[i].flag && *opts[i].flag) sb_addc(&b, opts[i].letter);
  return sb_take(&b);
}

void options_restore(const char *letters) {
  for (size_t i = 0; i < NOPTS; i++)
    if (opts[i].letter && opts[i].flag && opts[i].letter != 'i' && opts[i].letter != 's')
      *opts[i].flag = strchr(letters, opts[i].letter) != NULL;
}

static void list_vars(void) {
  size_t n;
  var **vs = vars_sorted(&n);
  for (size_t i = 0; i < n; i++) {
    if (!vs[i]->value || !valid_name(vs[i]->name)) continue;
    sbuf b = {0};
    sb_printf(&b, "%s=", vs[i]->name);
    sb_quote(&b, vs[i]->value);
    sb_addc(&b, '\n');
    out_str(1, b.s);
    sb_free(&b);
  }
  free(vs);
}

static void list_options(bool as_commands) {
  if (!as_commands) out_str(1, "Current option settings\n");
  for (size_t i = 0; i < NOPTS; i++) {
    bool on = opts[i].flag && *opts[i].flag;
    if (as_commands) out_fmt(1, "set %co %s\n", on ? '-' : '+', opts[i].name);
    else out_fmt(1, "%-16s%s\n", opts[i].name, on ? "on" : "off");
  }
}

int bi_set(int argc, char **argv) {
  if (argc == 1) {
    list_vars();
    return 0;
  }
  int i = 1;
  bool positional = false;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] != '-' && a[0] != '+') break;
    bool on = a[0] == '-';
    if (strcmp(a, "--") == 0) {
      i++;
      positional = true;
      break;
    }
    if (strcmp(a, "-") == 0) {
      sh.o.xtrace = sh.o.verbose = false;
      i++;
      positional = i < argc;
      break;
    }
    if (a[1] == 0) break;
    for (const char *c = a + 1; *c; c++) {
      if (*c == 'o') {
        if (i + 1 < argc && argv[i + 1][0] != '-' && argv[i + 1][0] != '+') {
          if (!set_option_name(argv[++i], on)) {
            bi_error("set", "Illegal option %co %s", a[0], argv[i]);
            sh_abort(2);
            return 2;
          }
        } else {
          list_options(!on);
        }
        continue;
      }
      if (!set_option_letter(*c, on)) {
        bi_error("set", "Illegal option %c%c", a[0], *c);
        sh_abort(2);
        return 2;
      }
    }
  }
  if (i < argc || positional) params_set(&posparams, argv + i, argc - i);
  return 0;
}

/* --------------------------------------------------------------------- kill */

static int kill_usage(void) {
  bi_error("kill", "Usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\nkill -l [exitstatus]");
  return 2;
}

int bi_kill(int argc, char **argv) {
  int sig = SIGTERM;
  int i = 1;
  if (i >= argc) return kill_usage();
  const char *a = argv[i];
  if (strcmp(a, "-l") == 0 || strcmp(a, "-L") == 0) {
    if (i + 1 >= argc) {
      out_str(1, "0\n");
      for (int s = 1; s < 32; s++) out_fmt(1, "%s\n", signal_name(s));
      return 0;
    }
    /* an exit status or a signal number (dash takes no names here) */
    intmax_t v;
    if (!bi_number("kill", argv[i + 1], &v)) return 2;
    if (v > 128) v -= 128;
    if (v > 0 && v < 32) {
      out_fmt(1, "%s\n", signal_name((int)v));
      return 0;
    }
    bi_error("kill", "invalid signal number or exit status: %s", argv[i + 1]);
    return 2;
  }
  if (strcmp(a, "-s") == 0 || strcmp(a, "-n") == 0) {
    if (i + 1 >= argc) {
      bi_error("kill", "No arg for %s option", a);
      return 2;
    }
    sig = signal_number(argv[i + 1]);
    if (sig < 0) {
      bi_error("kill", "invalid signal number or name: %s", argv[i + 1]);
      return 2;
    }
    i += 2;
  } else if (a[0] == '-' && a[1] && strcmp(a, "--") != 0) {
    sig = signal_number(a + 1);
    if (sig < 0) {
      bi_error("kill", "invalid signal number or name: %s", a + 1);
      return 2;
    }
    i++;
  }
  if (i < argc && strcmp(argv[i], "--") == 0) i++;
  if (i >= argc) return kill_usage();
  int status = 0;
  for (; i < argc; i++) {
    pid_t pid;
    if (argv[i][0] == '%') {
      pid = job_pid(argv[i]);
      if (pid < 0) {
        bi_error("kill", "No such job: %s", argv[i]);
        status = 1;
        continue;
      }
    } else {
      const char *p = argv[i];
      bool neg = *p == '-';
      if (neg) p++;
      intmax_t v;
      if (!bi_number("kill", p, &v)) return 2;
      pid = (pid_t)(neg ? -v : v);
    }
    out_flush_all();
    if (kill(pid, sig) < 0) {
      /* dash's message for ESRCH ends with an empty line */
      bi_error("kill", "%s", errno == ESRCH ? "No such process\n" : errtext(errno));
      status = 1;
    }
  }
  return status;
}

/* -------------------------------------------------------------------- umask */

static int parse_symbolic(const char *s, mode_t *mask) {
  /* works on the permissions (the complement of the mask) */
  mode_t perm = ~*mask & 0777;
  while (*s) {
    mode_t who = 0;
    for (; *s && strchr("ugoa", *s); s++) {
      if (*s == 'u') who |= 0700;
      else if (*s == 'g') who |= 0070;
      else if (*s == 'o') who |= 0007;
      else who |= 0777;
    }
    if (!who) who = 0777;
    if (!*s || !strchr("+-=", *s)) return -1;
    while (*s && strchr("+-=", *s)) {
      char op = *s++;
      mode_t bits = 0;
      for (; *s && strchr("rwx", *s); s++) {
        if (*s == 'r') bits |= 0444;
        else if (*s == 'w') bits |= 0222;
        else bits |= 0111;
      }
      bits &= who;
      if (op == '+') perm |= bits;
      else if (op == '-') perm &= ~bits;
      else perm = (perm & ~who) | bits;
    }
    if (*s == ',') s++;
    else if (*s) return -1;
  }
  *mask = ~perm & 0777;
  return 0;
}

int bi_umask(int argc, char **argv) {
  bool symbolic = false;
  int i = 1;
  if (i < argc && strcmp(argv[i], "-S") == 0) {
    symbolic = true;
    i++;
  }
  mode_t cur = umask(0);
  umask(cur);
  if (i >= argc) {
    if (symbolic) {
      mode_t p = ~cur & 0777;
      char buf[64];
      int n = 0;
      const char *who = "ugo";
      for (int k = 0; k < 3; k++) {
        mode_t b = (p >> (6 - 3 * k)) & 7;
        n += snprintf(buf + n, sizeof buf - (size_t)n, "%s%c=%s%s%s", k ? "," : "", who[k],
                      (b & 4) ? "r" : "", (b & 2) ? "w" : "", (b & 1) ? "x" : "");
      }
      out_fmt(1, "%s\n", buf);
    } else {
      out_fmt(1, "%04o\n", (unsigned)cur);
    }
    return 0;
  }
  const char *m = argv[i];
  mode_t mask;
  if (m[0] >= '0' && m[0] <= '9') {
    char *end;
    long v = strtol(m, &end, 8);
    if (*end || v < 0 || v > 0777) {
      bi_error("umask", "Illegal number: %s", m);
      return 2;
    }
    mask = (mode_t)v;
  } else {
    mask = cur;
    if (parse_symbolic(m, &mask) < 0) {
      bi_error("umask", "Illegal mode: %s", m);
      return 2;
    }
  }
  umask(mask);
  return 0;
}
