/*
 * env [-i] [-0] [-u NAME]... [-C DIR] [NAME=VALUE]... [COMMAND [ARG]...]: runs COMMAND in a
 * modified environment, or prints the environment (POSIX; -0, -u, -C as GNU coreutils).
 * `-` alone is -i.
 *
 * There is no exec: the command runs as a child and env passes on how it ended: its exit
 * status, or its signal (env kills itself with the same one). TERM, HUP, USR1, USR2 and
 * ALRM sent to env are forwarded to the child; INT and QUIT, which a terminal sends to the
 * whole group, are ignored by env while it waits. Exit statuses as GNU: 125 env failed,
 * 126 the command cannot run, 127 not found.
 */
#include "opt.h"
#include "run.h"

static pid_t child;

static void forward(int sig) {
  if (child > 0) kill(child, sig);
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {{"ignore-environment", 0, 'i'}, {"null", 0, '0'},
                                         {"unset", 1, 'u'}, {"chdir", 1, 'C'}, {NULL, 0, 0}};
  int clear = 0, nul = 0, c;
  const char *dir = NULL;
  char **unset = xmalloc(sizeof(char *) * (size_t)argc);
  int nunset = 0;
  while ((c = opt_next(argc, argv, "+i0u:C:", longs)) != -1) {
    switch (c) {
    case 'i': clear = 1; break;
    case '0': nul = 1; break;
    case 'u': unset[nunset++] = opt_arg; break;
    case 'C': dir = opt_arg; break;
    default: usage_error(NULL); return 125;
    }
  }
  int i = opt_ind;
  if (i < argc && strcmp(argv[i], "-") == 0) {
    clear = 1;
    i++;
  }
  /* The new environment, built by hand so that any NAME=VALUE (even "=x") goes in as GNU's
   * putenv would put it. */
  size_t n = 0, cap = 16;
  char **env = xmalloc(cap * sizeof *env);
  for (char **e = environ; !clear && *e; e++) {
    if (n + 1 >= cap) env = xrealloc(env, (cap *= 2) * sizeof *env);
    env[n++] = *e;
  }
  for (int k = 0; k < nunset; k++) {
    if (!*unset[k] || strchr(unset[k], '=')) {
      warne(EINVAL, "cannot unset %s", quote_loc(unset[k]));
      return 125;
    }
    size_t len = strlen(unset[k]), m = 0;
    for (size_t j = 0; j < n; j++)
      if (!(strncmp(env[j], unset[k], len) == 0 && env[j][len] == '=')) env[m++] = env[j];
    n = m;
  }
  for (; i < argc && strchr(argv[i], '='); i++) {
    size_t len = (size_t)(strchr(argv[i], '=') - argv[i]) + 1, j;
    for (j = 0; j < n; j++)
      if (strncmp(env[j], argv[i], len) == 0) break;
    if (j == n) {
      if (n + 1 >= cap) env = xrealloc(env, (cap *= 2) * sizeof *env);
      n++;
    }
    env[j] = argv[i];
  }
  env[n] = NULL;
  environ = env;
  if (i >= argc) {
    if (dir) {
      warnx("must specify command with --chdir (-C)");
      usage_error(NULL);
      return 125;
    }
    for (char **e = environ; *e; e++) {
      fputs(*e, stdout);
      putchar(nul ? 0 : '\n');
    }
    return close_stdout() ? 125 : 0;
  }
  if (nul) {
    warnx("cannot specify --null (-0) with command");
    usage_error(NULL);
    return 125;
  }
  if (dir && chdir(dir) != 0) {
    warne(errno, "cannot change directory to %s", quote(dir));
    return 125;
  }

  int code = 0;
  child = run_start(argv + i, environ, &code);
  if (child < 0) return code;
  static const int forwarded[] = {SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGALRM};
  for (size_t k = 0; k < sizeof forwarded / sizeof *forwarded; k++) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward;
    sigaction(forwarded[k], &sa, NULL);
  }
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  int status = run_wait(child);
  if (status < 0) {
    warne(errno, "waiting for %s", quote(argv[i]));
    return 125;
  }
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    kill(getpid(), sig);
    return 128 + sig;
  }
  return WEXITSTATUS(status);
}
