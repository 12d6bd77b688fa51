/*
 * Jobs: what `&` started (a pipeline is one job, $! its last process), their statuses once
 * reaped, `wait` and a minimal `jobs`. There is no job control (no terminal groups): a
 * non-interactive shell has none either, and this shell is that.
 *
 * Foreground processes are waited for by pid as soon as they are started, so waitpid(-1)
 * only ever finds background ones.
 */
#include "sh.h"

typedef struct job {
  struct job *next;
  int id;
  int nprocs;
  pid_t *pids;
  int *status;  /* wait status per process, -1 while running */
  char *cmd;
  bool notified;
} job;

static job *jobs;
static int next_id = 1;

int status_of(int ws) {
  if (WIFEXITED(ws)) return WEXITSTATUS(ws);
  if (WIFSIGNALED(ws)) return 128 + WTERMSIG(ws);
  if (WIFSTOPPED(ws)) return 128 + WSTOPSIG(ws);
  return 0;
}

void signal_message(int ws) {
  if (!WIFSIGNALED(ws)) return;
  int sig = WTERMSIG(ws);
  if (sig == SIGINT || sig == SIGPIPE) return;
  out_flush_all();
  sbuf b = {0};
  sb_adds(&b, signal_text(sig));
  if (WCOREDUMP(ws)) sb_adds(&b, " (core dumped)");
  sb_addc(&b, '\n');
  write(2, b.s, b.n);
  sb_free(&b);
}

static void record(pid_t pid, int ws) {
  for (job *j = jobs; j; j = j->next)
    for (int i = 0; i < j->nprocs; i++)
      if (j->pids[i] == pid) {
        j->status[i] = ws;
        return;
      }
}

/* Reaps finished background processes without waiting. */
static void reap(void) {
  for (;;) {
    int ws;
    pid_t p = waitpid(-1, &ws, WNOHANG);
    if (p <= 0) return;
    record(p, ws);
  }
}

/* The foreground processes, for an interactive shell to pass SIGINT on to. */
static pid_t fg_pids[64];
static int nfg;

static void on_interactive_int(int sig) {
  for (int i = 0; i < nfg; i++) kill(fg_pids[i], sig);
}

void interactive_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = on_interactive_int;
  sigaction(SIGINT, &sa, NULL);
  sa.sa_handler = SIG_IGN;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGQUIT, &sa, NULL);
}

void fg_add(pid_t pid) {
  if (nfg < (int)(sizeof fg_pids / sizeof fg_pids[0])) fg_pids[nfg++] = pid;
}

int wait_fg(pid_t pid) {
  int ws = 0;
  for (;;) {
    pid_t r = waitpid(pid, &ws, 0);
    if (r == pid) break;
    if (r < 0 && errno == EINTR) continue;
    return 127;
  }
  for (int i = 0; i < nfg; i++)
    if (fg_pids[i] == pid) fg_pids[i] = fg_pids[--nfg];
  /* Background jobs that ended meanwhile are collected now, quietly (as dash collects
   * them while it waits for a foreground command): `wait` reports a signal only for a
   * job it saw end itself. */
  if (jobs) reap();
  signal_message(ws);
  if (trap_pending) traps_run();
  return status_of(ws);
}

void job_add(pid_t *pids, int n, const char *cmd) {
  job *j = xzalloc(sizeof *j);
  j->id = next_id++;
  j->nprocs = n;
  j->pids = xmalloc((size_t)n * sizeof(pid_t));
  j->status = xmalloc((size_t)n * sizeof(int));
  for (int i = 0; i < n; i++) {
    j->pids[i] = pids[i];
    j->status[i] = -1;
  }
  j->cmd = xstrdup(cmd ? cmd : "");
  job **tail = &jobs;
  while (*tail) tail = &(*tail)->next;
  *tail = j;
  if (sh.o.interactive) out_fmt(2, "[%d] %d\n", j->id, (int)pids[n - 1]);
}

static bool job_done(const job *j) {
  for (int i = 0; i < j->nprocs; i++)
    if (j->status[i] == -1) return false;
  return true;
}

static int job_status(const job *j) { return status_of(j->status[j->nprocs - 1]); }

static void job_free(job *j) {
  job **pp = &jobs;
  while (*pp && *pp != j) pp = &(*pp)->next;
  if (*pp) *pp = j->next;
  free(j->pids);
  free(j->status);
  free(j->cmd);
  free(j);
  if (!jobs) next_id = 1;
}

static job *find_job(const char *spec) {
  if (spec[0] == '%') {
    const char *s = spec + 1;
    if (!*s || !strcmp(s, "%") || !strcmp(s, "+")) {
      job *last = NULL;
      for (job *j = jobs; j; j = j->next) last = j;
      return last;
    }
    if (!strcmp(s, "-")) {
      job *prev = NULL, *last = NULL;
      for (job *j = jobs; j; j = j->next) prev = last, last = j;
      return prev ? prev : last;
    }
    if (*s >= '0' && *s <= '9') {
      int id = atoi(s);
      for (job *j = jobs; j; j = j->next)
        if (j->id == id) return j;
      return NULL;
    }
    for (job *j = jobs; j; j = j->next)
      if (strncmp(j->cmd, s, strlen(s)) == 0) return j;
    return NULL;
  }
  pid_t pid = (pid_t)atoi(spec);
  for (job *j = jobs; j; j = j->next)
    for (int i = 0; i < j->nprocs; i++)
      if (j->pids[i] == pid) return j;
  return NULL;
}

pid_t job_pid(const char *spec) {
  job *j = find_job(spec);
  if (!j) return -1;
  return j->pids[0];
}

/* Waits until every process of j has ended. Returns -1 if a trapped signal came first. */
static int wait_job(job *j) {
  while (!job_done(j)) {
    if (trap_pending) return -1; /* a trapped signal came (maybe with another child's end) */
    int ws;
    pid_t p = waitpid(-1, &ws, 0);
    if (p < 0) {
      if (errno == EINTR) {
        if (trap_pending) return -1;
        continue;
      }
      /* no children left: whatever is unrecorded is gone */
      for (int i = 0; i < j->nprocs; i++)
        if (j->status[i] == -1) j->status[i] = 127 << 8;
      break;
    }
    record(p, ws);
  }
  return job_status(j);
}

int builtin_wait(int argc, char **argv) {
  int i = 1;
  if (i < argc && strcmp(argv[i], "--") == 0) i++;
  if (i >= argc) {
    while (jobs) {
      job *j = jobs;
      int r = wait_job(j);
      if (r < 0) {
        int sig = trap_pending;
        traps_run();
        return 128 + sig;
      }
      job_free(j);
    }
    return 0;
  }
  int status = 0;
  for (; i < argc; i++) {
    const char *spec = argv[i];
    if (spec[0] != '%') {
      for (const char *c = spec; *c; c++)
        if (*c < '0' || *c > '9') {
          bi_error("wait", "Illegal number: %s", spec);
          return 2;
        }
    }
    job *j = find_job(spec);
    if (!j) {
      if (spec[0] == '%') {
        bi_error("wait", "No such job: %s", spec);
        status = 2;
      } else status = 127;
      continue;
    }
    bool was_done = job_done(j);
    int r = wait_job(j);
    if (r < 0) {
      int sig = trap_pending;
      traps_run();
      return 128 + sig;
    }
    status = r;
    /* dash reports a job a signal ended, when it sees it end here */
    if (!was_done) signal_message(j->status[j->nprocs - 1]);
    /* a pid names one process of the job: its own status */
    if (spec[0] != '%') {
      pid_t pid = (pid_t)atoi(spec);
      for (int k = 0; k < j->nprocs; k++)
        if (j->pids[k] == pid) status = status_of(j->status[k]);
    }
    job_free(j);
  }
  return status;
}

static const char *state_text(const job *j, char *buf, size_t n) {
  if (!job_done(j)) return "Running";
  int ws = j->status[j->nprocs - 1];
  if (WIFSIGNALED(ws)) return signal_text(WTERMSIG(ws));
  if (WEXITSTATUS(ws)) {
    snprintf(buf, n, "Done(%d)", WEXITSTATUS(ws));
    return buf;
  }
  return "Done";
}

int builtin_jobs(int argc, char **argv) {
  int i = 1;
  bool pids_only = false;
  if (i < argc && strcmp(argv[i], "-p") == 0) pids_only = true, i++;
  reap();
  for (; i < argc; i++)
    if (!find_job(argv[i])) {
      bi_error("jobs", "No such job: %s", argv[i]);
      return 2;
    }
  job *last = NULL;
  for (job *j = jobs; j; j = j->next) last = j;
  for (job *j = jobs; j;) {
    job *next = j->next;
    if (pids_only) out_fmt(1, "%d\n", (int)j->pids[0]);
    else {
      char buf[32];
      char mark = j == last ? '+' : (j->next == last ? '-' : ' ');
      out_fmt(1, "[%d] %c %-24s %s\n", j->id, mark, state_text(j, buf, sizeof buf), j->cmd);
    }
    if (job_done(j)) job_free(j);
    j = next;
  }
  return 0;
}
