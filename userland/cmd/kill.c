/*
 * kill [-s SIGNAL | -SIGNAL | -n NUMBER] PID... | kill -l [SIGNAL|STATUS]... | kill -L:
 * sends a signal (default TERM) to processes or process groups (a negative PID), or lists
 * signal names (POSIX; -L and -n as GNU coreutils). Signals are Linux's 1-31; names may
 * carry SIG and any case.
 */
#include "opt.h"

static const char *names[32] = {
    NULL,   "HUP",  "INT",    "QUIT", "ILL",  "TRAP", "ABRT", "BUS",  "FPE",    "KILL", "USR1",
    "SEGV", "USR2", "PIPE",   "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
    "TTOU", "URG",  "XCPU",   "XFSZ", "VTALRM", "PROF", "WINCH", "POLL", "PWR",  "SYS"};

/* A signal name or number; -1 if it is neither. */
static int signal_of(const char *s) {
  if (isdigit((unsigned char)*s)) {
    long long v;
    if (!parse_ll(s, &v) || v < 0 || v > 31) return -1;
    return (int)v;
  }
  if (strncasecmp(s, "SIG", 3) == 0) s += 3;
  for (int i = 1; i < 32; i++)
    if (strcasecmp(s, names[i]) == 0) return i;
  if (strcasecmp(s, "IO") == 0) return 29;
  if (strcasecmp(s, "IOT") == 0) return 6;
  if (strcasecmp(s, "CLD") == 0) return 17;
  return -1;
}

static int list(char **args, int n, int table) {
  if (n == 0) {
    for (int i = 1; i < 32; i++) {
      if (table) printf("%2d %-8s%s", i, names[i], i % 7 == 0 || i == 31 ? "\n" : "");
      else puts(names[i]);
    }
    return close_stdout();
  }
  int status = 0;
  for (int i = 0; i < n; i++) {
    long long v;
    if (parse_ll(args[i], &v)) {
      if (v > 128) v -= 128; /* an exit status: 128+N */
      if (v < 1 || v > 31) {
        warnx("%s: invalid signal", quote_loc(args[i]));
        status = 1;
        continue;
      }
      puts(names[v]);
    } else {
      int s = signal_of(args[i]);
      if (s < 1) {
        warnx("%s: invalid signal", quote_loc(args[i]));
        status = 1;
        continue;
      }
      printf("%d\n", s);
    }
  }
  if (close_stdout()) return 1;
  return status;
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  int sig = SIGTERM, i = 1;
  if (i < argc && (strcmp(argv[i], "-l") == 0 || strcmp(argv[i], "--list") == 0)) return list(argv + 2, argc - 2, 0);
  if (i < argc && (strcmp(argv[i], "-L") == 0 || strcmp(argv[i], "--table") == 0)) return list(argv + 2, argc - 2, 1);
  if (i < argc && (strcmp(argv[i], "-s") == 0 || strcmp(argv[i], "-n") == 0 || strcmp(argv[i], "--signal") == 0)) {
    if (i + 1 >= argc) {
      usage_error("option requires an argument -- '%c'", argv[i][1] == '-' ? 's' : argv[i][1]);
      return 1;
    }
    sig = signal_of(argv[i + 1]);
    if (sig < 0) {
      warnx("%s: invalid signal", quote_loc(argv[i + 1]));
      usage_error(NULL);
      return 1;
    }
    i += 2;
  } else if (i < argc && argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--") != 0) {
    /* -SIGNAL, a name or a number (a process group needs "--" first) */
    sig = signal_of(argv[i] + 1);
    if (sig < 0) {
      warnx("%s: invalid signal", quote_loc(argv[i] + 1));
      usage_error(NULL);
      return 1;
    }
    i++;
  }
  if (i < argc && strcmp(argv[i], "--") == 0) i++;
  if (i >= argc) {
    usage_error("no process ID specified");
    return 1;
  }
  int status = 0;
  for (; i < argc; i++) {
    long long pid;
    if (!parse_ll(argv[i], &pid) || pid != (pid_t)pid) {
      warnx("%s: invalid process id", quote_loc(argv[i]));
      status = 1;
      continue;
    }
    if (kill((pid_t)pid, sig) != 0) {
      warne(errno, "%s", quote_loc(argv[i]));
      status = 1;
    }
  }
  return status;
}
