/*
 * logger [-s] [-t TAG] [-p PRIORITY] [-f FILE] [MESSAGE...]: logs a message through syslog(3)
 * (the kernel's log device; docs/logging.md), as util-linux's logger does. MESSAGE is the
 * operands joined by spaces; with none, each line of FILE (or stdin) is a message.
 * PRIORITY is FACILITY.LEVEL (`daemon.err`, `local0.info`), a LEVEL alone (facility user),
 * or a number (facility × 8 + level); default user.notice. -t TAG: the tag (default
 * "logger"); -s: also write the message to stderr. Empty lines of input are skipped.
 */
#include <syslog.h>

#include "opt.h"

struct code {
  const char *name;
  int val;
};

static const struct code levels[] = {
    {"emerg", LOG_EMERG}, {"panic", LOG_EMERG}, {"alert", LOG_ALERT}, {"crit", LOG_CRIT}, {"err", LOG_ERR},
    {"error", LOG_ERR}, {"warning", LOG_WARNING}, {"warn", LOG_WARNING}, {"notice", LOG_NOTICE},
    {"info", LOG_INFO}, {"debug", LOG_DEBUG}, {NULL, 0}};

static const struct code facilities[] = {
    {"kern", LOG_KERN}, {"user", LOG_USER}, {"mail", LOG_MAIL}, {"daemon", LOG_DAEMON}, {"auth", LOG_AUTH},
    {"security", LOG_AUTH}, {"syslog", LOG_SYSLOG}, {"lpr", LOG_LPR}, {"news", LOG_NEWS}, {"uucp", LOG_UUCP},
    {"cron", LOG_CRON}, {"authpriv", LOG_AUTHPRIV}, {"ftp", LOG_FTP}, {"local0", LOG_LOCAL0},
    {"local1", LOG_LOCAL1}, {"local2", LOG_LOCAL2}, {"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4},
    {"local5", LOG_LOCAL5}, {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7}, {NULL, 0}};

static int lookup(const struct code *t, const char *s, size_t len) {
  for (; t->name; t++)
    if (strlen(t->name) == len && strncasecmp(t->name, s, len) == 0) return t->val;
  return -1;
}

/* FACILITY.LEVEL, LEVEL or a number; -1 if it is none of them. */
static int parse_priority(const char *s) {
  char *end;
  errno = 0;
  long n = strtol(s, &end, 10);
  if (*s && *end == '\0' && errno == 0) return n >= 0 && n < LOG_NFACILITIES * 8 ? (int)n : -1;
  const char *dot = strchr(s, '.');
  if (dot == NULL) {
    int l = lookup(levels, s, strlen(s));
    return l < 0 ? -1 : LOG_USER | l;
  }
  int f = lookup(facilities, s, (size_t)(dot - s));
  int l = lookup(levels, dot + 1, strlen(dot + 1));
  return f < 0 || l < 0 ? -1 : f | l;
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {{"tag", 1, 't'}, {"priority", 1, 'p'}, {"stderr", 0, 's'},
                                         {"file", 1, 'f'}, {NULL, 0, 0}};
  const char *tag = "logger", *file = NULL;
  int pri = LOG_USER | LOG_NOTICE, option = 0, c;
  while ((c = opt_next(argc, argv, "t:p:sif:", longs)) != -1) {
    switch (c) {
    case 't': tag = opt_arg; break;
    case 'p':
      pri = parse_priority(opt_arg);
      if (pri < 0) {
        warnx("unknown priority '%s' (FACILITY.LEVEL, e.g. daemon.err)", opt_arg);
        return 1;
      }
      break;
    case 's': option |= LOG_PERROR; break;
    case 'i': break; /* the pid is always logged */
    case 'f': file = opt_arg; break;
    default: usage_error(NULL); return 1;
    }
  }
  openlog(tag, option, pri & LOG_FACMASK);
  if (opt_ind < argc) {
    size_t len = 0;
    for (int i = opt_ind; i < argc; i++) len += strlen(argv[i]) + 1;
    char *msg = xmalloc(len);
    msg[0] = '\0';
    for (int i = opt_ind; i < argc; i++) {
      if (i > opt_ind) strcat(msg, " ");
      strcat(msg, argv[i]);
    }
    syslog(pri, "%s", msg);
    free(msg);
    return 0;
  }
  FILE *in = stdin;
  if (file && !(in = fopen(file, "r"))) {
    warne(errno, "%s", file);
    return 1;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, in)) > 0) {
    if (line[n - 1] == '\n') line[--n] = '\0';
    if (n > 0) syslog(pri, "%s", line);
  }
  int bad = ferror(in);
  if (bad) warne(errno, "read error");
  free(line);
  return bad ? 1 : 0;
}
