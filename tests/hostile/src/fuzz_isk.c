// fuzz_isk: random calls of the `isokernel` import module with random arguments, for a
// bounded time — fuzz.c's sibling for what WASI preview1 lacks (processes, signals, pipes,
// descriptors, limits, stat/chmod, sockets, logging, terminals, timers, tracing).
//
//   fuzz_isk SEED CALLS MS         the fuzzer (its own session; see "Whom it may harm")
//   fuzz_isk child MODE [ARG]      what it spawns: x exit, s sleep, c stdin to stdout, t trap,
//                                  f fault_null/fault_stack, k kill itself, w compute, g leave a
//                                  grandchild (reparented), e exec, z fuzz too (a while)
//   fuzz_isk check                 regressions of what it found, with exact errnos (PASS line)
//
// Makes at most CALLS calls for at most MS milliseconds, one of 79 kinds: each isokernel
// function (tty_* on non-terminals; fault_null and fault_stack only in children, which die
// of them), fd_write/fd_read/fd_close on what it opened, and three scenarios that reach deeper
// states (a stream connection used at random, a child between two PIPE-action pipes, a
// child traced from its start). Arguments mix the valid (its own children, descriptors it
// opened, pointers into its arenas, names under its own directory) with the hostile (wild
// pointers, lengths near 2^32, argv/env blocks without their NUL or past 1 MiB, file action
// kinds and descriptors out of range, signals 32 and -1, u64 times with the top bit set).
// It expects fd 3 to be a directory of its own on a tmpfs (the test's /isk-SEED), and
// /hostile/fuzz_isk.wasm to be this program (for spawn). Prints, then exits 0:
//   fuzz_isk: seed=S calls=N ok=K pairs=P children=C signals=G
// where P counts the distinct (function, errno) pairs seen (FUZZ_ISK_PAIRS=1 in its environment:
// the pairs themselves, a line per function, before it).
//
// What it judges itself (exit 4, with the call's number, function, errno and the random
// state before it on stderr): EINTR from a call that never sleeps on Linux (spawn, exec,
// bind, listen, ...: no program retries those); a failing call (1 in 6) that changed its open
// descriptors, close-on-exec flags, cwd, signal mask, umask, NOFILE/NPROC limits, group or
// session; a write into its constant tables, where no call pointed. A fuzzing child (z)
// that finds either exits 250, and its parent reports it. The rest is the host's to judge
// (no SIGSYS, no signal at all, the neighbour unharmed).
//
// Whom it may harm — only itself and its children:
// - It starts a session of its own (setsid), so its group is its pid and nobody else's.
// - kill, prlimit and trace_attach go only to its own children's pids (pids are never
//   reused within a run: the kernel allocates them upwards), to itself, to groups its
//   children lead, to its own group (pid 0), or to pids/groups above the kernel's pid range
//   (ESRCH). Never pid -1, never another number below its first child's. (A grandchild
//   left by mode g passes to PID 1 — in the test, the neighbour — as orphans do.)
// - Signals that reach itself (itself, pid 0, its group) are only those whose disposition it
//   keeps at ignore or catch (SELF_SIGS below; its own export __isokernel_signal catches);
//   after every sigaction or sigprocmask it puts them back if a random call changed them.
//   KILL, STOP, the terminal stops and the fault signals are sent to children only.
// - Blocking calls (wait, accept, recvfrom, read of a pipe, sigsuspend, ...) are bounded by
//   a watchdog: ITIMER_REAL every 10 ms with SIGALRM caught without SA_RESTART and never
//   blocked, so a call that would wait for ever returns EINTR. Its children end by
//   themselves within 200 ms; at the end it kills (SIGKILL) and reaps every child.
// - Paths are under its own directory (absolute, or relative to a cwd it keeps there: after
//   chdir/fchdir it goes back if the cwd left it), or do not exist, or are /dev, /proc,
//   /hostile (read-only). exec requests are always bad ones (flags, actions, cwd, no
//   program there): it never replaces itself. Limits are never raised: a new hard value is
//   at most the current one, and floors keep the fuzzer able to work (NOFILE >= 64, ...).
// - Sockets bind guest ports derived from the seed (or 0) and connect to its own; the test's
//   kernel maps guest ports to ephemeral host ports and allows no egress, so nothing leaves
//   the kernel but listeners on 127.0.0.1 at ports the host picked.
// - The pointers it passes are in its arenas (with the length it passes) or not in memory
//   at all, so a kernel that writes only where told cannot corrupt it. (Never more iovecs
//   than its iovec array holds: the words after it would name any byte of the fuzzer.)
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#include "raw.h"

#define K(name, ...)                                                                      \
  I k_##name(__VA_ARGS__) __attribute__((import_module("isokernel"), import_name(#name)))

K(spawn, I req, I pid_out);
K(exec, I req);
K(wait, I pid, I options, I status_out, I pid_out);
K(kill, I pid, I sig);
K(getpid, I out);
K(getppid, I out);
K(getpgid, I pid, I out);
K(getsid, I pid, I out);
K(setpgid, I pid, I pgid);
K(setsid, I out);
K(chdir, I path, I len);
K(fchdir, I fd);
K(getcwd, I buf, I len, I len_out);
K(sigaction, I sig, I act, I oldact);
K(sigprocmask, I how, I set, I oldset);
K(sigpending, I out);
K(sigsuspend, I mask);
K(alarm, I seconds, I prev_out);
K(setitimer, I which, L value, L interval, I old_out);
K(read_eof, I fd, I iovs, I n, I nread, I eof);
K(pipe, I fds_out, I flags);
K(dup, I fd, I out);
K(dup2, I fd, I newfd, I flags);
K(dupfd, I fd, I min, I flags, I out);
K(fd_getfd, I fd, I out);
K(fd_next, I fd, I out);
K(fd_setfd, I fd, I flags);
K(umask, I mask, I out);
K(fault_null, I address, I flags);
K(fault_stack, I sp);
K(preempt, void);
K(memory_grow, I delta);
K(fstat, I fd, I buf);
K(fstatat, I dirfd, I path, I len, I flags, I buf);
K(chmod, I dirfd, I path, I len, I mode, I flags);
K(fchmod, I fd, I mode);
K(uname, I buf);
K(statvfs, I fd, I buf);
K(getids, I out);
K(getrlimit, I resource, I out);
K(setrlimit, I resource, I rlim);
K(prlimit, I pid, I resource, I new_limit, I old_limit);
K(tty_isatty, I fd);
K(tty_getattr, I fd, I termios);
K(tty_setattr, I fd, I action, I termios);
K(tty_getwinsize, I fd, I ws);
K(tty_setwinsize, I fd, I ws);
K(tty_getpgrp, I fd, I out);
K(tty_setpgrp, I fd, I pgid);
K(tty_getsid, I fd, I out);
K(tty_flush, I fd, I queue);
K(tty_name, I fd, I buf, I len, I out_len);
K(tty_set_raw, I fd, I on);
K(socket, I domain, I type, I protocol, I fd_out);
K(socketpair, I domain, I type, I protocol, I fds_out);
K(bind, I fd, I addr, I len);
K(listen, I fd, I backlog);
K(accept, I fd, I addr, I len, I flags, I fd_out);
K(connect, I fd, I addr, I len);
K(sendto, I fd, I buf, I len, I flags, I addr, I alen, I n_out);
K(recvfrom, I fd, I buf, I len, I flags, I addr, I alen, I n_out);
K(shutdown, I fd, I how);
K(getsockname, I fd, I addr, I len);
K(getpeername, I fd, I addr, I len);
K(setsockopt, I fd, I level, I name, I val, I len);
K(getsockopt, I fd, I level, I name, I val, I len);
K(log_open, I tag, I tag_len, I facility, I severity, I flags, I fd_out);
K(log_write, I tag, I tag_len, I facility, I severity, I msg, I msg_len);
K(log_reader, I flags, I fd_out);
K(trace_attach, I pid, I flags, I strsize, I fd_out);
K(trace_filter, I fd, I names, I len);
K(trace_detach, I fd, I pid);

// errnos (WASI's)
#define E_CHILD 12

// signals (Linux's numbers)
enum {
  SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGUSR1 = 10, SIGUSR2 = 12, SIGPIPE = 13,
  SIGALRM = 14, SIGTERM = 15, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGURG = 23,
  SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28, SIGIO = 29, SIGPWR = 30,
};
#define BIT(s) (1u << ((s) - 1))
/** Signals that may reach the fuzzer itself: always ignored or caught there. */
#define SELF_SIGS                                                                                   \
  (BIT(SIGHUP) | BIT(SIGINT) | BIT(SIGQUIT) | BIT(SIGUSR1) | BIT(SIGUSR2) | BIT(SIGPIPE) |           \
   BIT(SIGALRM) | BIT(SIGTERM) | BIT(SIGCHLD) | BIT(SIGCONT) | BIT(SIGURG) | BIT(SIGXCPU) |           \
   BIT(SIGXFSZ) | BIT(SIGVTALRM) | BIT(SIGPROF) | BIT(SIGWINCH) | BIT(SIGIO) | BIT(SIGPWR))
#define SA_RESTART 0x10000000u
#define SA_RESETHAND 0x80000000u
#define SA_KNOWN (1u | 2u | 4u | SA_RESTART | 0x40000000u | SA_RESETHAND)
#define WATCHDOG_NS 10000000ll

#define ARENA 16384
#define MAX_FDS 32
#include "fuzz_common.h"
#define MAX_KIDS 256
#define LIVE_KIDS 6
#define FUNCS 79
#define PROGRAM "/hostile/fuzz_isk.wasm"
/** Above the kernel's pids (it wraps at 4194304): nobody. */
#define NOBODY 5000000
/** A fuzzing child's exit status when it found the kernel at fault (its parent reports it). */
#define CHILD_REPORT 250
static uint32_t child_reports;
/** Counts a child's report in a status wait() wrote. */
static void status_seen(int e, I status) {
  if (e == 0 && (status & 0xff7f) == (CHILD_REPORT << 8)) child_reports++;
}

static uint8_t arena[ARENA] __attribute__((aligned(16)));
static uint8_t names[ARENA] __attribute__((aligned(16)));
static uint8_t scratch[256] __attribute__((aligned(16)));
static char home[64];
static uint32_t home_len;
static volatile uint32_t caught;

/** The kernel calls this to run a caught signal (docs/abi.md, "Signal delivery"). */
__attribute__((export_name("__isokernel_signal"))) void on_signal(int sig) {
  (void)sig;
  caught++;
}

// ---- arguments (as fuzz.c) ----

static I any_fd(void) {
  switch (below(8)) {
  case 0: return bad_fd();
  case 1: return (I)below(4);
  default: return nfds ? fds[below(nfds)] : 3;
  }
}

/** A descriptor a call may close or replace: never stdout, stderr or the preopen. */
static I victim_fd(void) {
  I fd = below(2) ? any_fd() : bad_fd();
  return fd >= 1 && fd <= 3 ? 0 : fd;
}

static I len(void) {
  switch (below(20)) {
  case 0: case 1: return 0;
  case 2: return (I)0xFFFFFFFFu;
  case 3: return (I)(0x80000000u + below(0x7fffffff));
  case 4: case 5: case 6: return (I)below(ARENA + 1);
  default: return (I)below(64);
  }
}

static I wild_ptr(uint32_t size) {
  uint32_t top = mem_size();
  switch (below(3)) {
  case 0: return (I)(top - below(size ? size : 1));
  case 1: return (I)(0xFFFFFFFFu - below(64));
  default: return (I)(top + below(0xFFFFFFFFu - top));
  }
}

static I ptr_in(uint8_t *area, uint32_t size) {
  switch (below(12)) {
  case 0: return size <= 256 ? (I)below(256 - size + 1) : P(area);
  case 1: return wild_ptr(size);
  default: return size >= ARENA ? P(area) : P(area) + (I)below(ARENA - size + 1);
  }
}
static I ptr(uint32_t size) {
  return ptr_in(arena, size);
}
/** A pointer for an optional argument: 0 (none) a third of the time. */
static I opt_ptr(uint32_t size) {
  return below(3) ? ptr(size) : 0;
}

static L u64(void) {
  switch (below(9)) {
  case 0: return 0;
  case 1: return -1;
  case 2: return INT64_MIN;
  case 3: return INT64_MAX;
  case 4: return (1ll << 53) + (L)below(3) - 1;
  case 5: return (L)next();
  case 6: return (L)below(1 << 20);
  default: return (L)below(4096);
  }
}

static I flags(uint32_t bits) {
  switch (below(10)) {
  case 0: return (I)next();
  case 1: return -1;
  default: return (I)below(1u << bits);
  }
}

/** A signal number: usually valid. */
static I any_sig(void) {
  switch (below(12)) {
  case 0: return -1;
  case 1: return 32 + (I)below(3);
  case 2: return (I)next();
  case 3: return 0;
  default: return 1 + (I)below(31);
  }
}

/** A signal that may reach the fuzzer: 0, or one of SELF_SIGS. */
static I self_sig(void) {
  if (below(6) == 0) return 0;
  for (;;) {
    I s = 1 + (I)below(31);
    if (SELF_SIGS & BIT(s)) return s;
  }
}

static void randomize(uint8_t *p, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) p[i] = (uint8_t)next();
}

static void remember(I fd) {
  if (fd >= 0 && fd <= 3) return;
  for (int i = 0; i < nfds; i++)
    if (fds[i] == fd) return;
  keep_fd(fd);
}

static void forget(I fd) {
  for (int i = 0; i < nfds; i++) {
    if (fds[i] == fd) {
      fds[i] = fds[--nfds];
      return;
    }
  }
}

// ---- paths: under its own directory, or nowhere ----

static const char *const VOCAB[] = {
    "a", "b", "d", "d/e", "d/e/f", "l", "x", "s", "sock0", "sock1", "d/sock", ".", "..",
    "", "d/..", "./a", "a/", "a//b", "nonexistent/x", "/nonexistent", "/dev/null",
    "/dev/zero", "/dev/tty", "/proc/self", "/proc/self/status", "/hostile", "/hostile/x",
    "script", "loop1", "loop2", "noexec",
};
#define VOCAB_N (sizeof VOCAB / sizeof VOCAB[0])

static I path_len;

/** A path: a name from the vocabulary (half the time under home, absolute), random bytes, or long. */
static I path(void) {
  uint8_t *at = names + below(64);
  uint32_t n = 0;
  switch (below(14)) {
  case 0:
    n = below(24);
    randomize(at, n);
    break;
  case 1:
    n = below(2) ? 300 : 5000;
    for (uint32_t i = 0; i < n; i++) at[i] = (i % 2 && n > 300) ? '/' : 'a';
    break;
  default: {
    const char *x = VOCAB[below(VOCAB_N)];
    if (x[0] != '/' && below(2)) {
      memcpy(at, home, home_len);
      at[home_len] = '/';
      n = home_len + 1;
    }
    memcpy(at + n, x, strlen(x));
    n += (uint32_t)strlen(x);
  }
  }
  path_len = (I)n;
  switch (below(16)) {
  case 0: path_len = len(); return ptr_in(names, (uint32_t)path_len);
  case 1: return wild_ptr(n);
  default: return P(at);
  }
}

/** Copies a NUL-terminated path (for strings the kernel reads as `path, len` in structs). */
static I put_str(uint8_t *at, const char *s, I *n) {
  *n = (I)strlen(s);
  memcpy(at, s, (size_t)*n);
  return P(at);
}

// ---- children ----

static I kids[MAX_KIDS];      // every child spawned (pids are never reused in a run)
static uint8_t gone[MAX_KIDS]; // kill(pid, 0) said ESRCH: reaped
static int nkids;
static uint32_t spawned;

static void kid_spawned(I pid) {
  if (nkids < MAX_KIDS) kids[nkids++] = pid;
  spawned++;
}

/** Children not yet reaped (zombies count), found with kill(pid, 0). */
static uint32_t live_kids(I *some) {
  uint32_t n = 0;
  for (int i = 0; i < nkids; i++) {
    if (gone[i]) continue;
    if (k_kill(kids[i], 0) != 0) {
      gone[i] = 1;
      continue;
    }
    *some = kids[i];
    n++;
  }
  return n;
}

/** A pid it may signal or wait for: its children, itself, 0, nobody. */
static I target_pid(I self) {
  switch (below(10)) {
  case 0: return self;
  case 1: return 0;
  case 2: return NOBODY + (I)below(1000);
  case 3: return 0x7fffffff;
  default: return nkids ? kids[nkids - 1 - (int)below(nkids < 8 ? (uint32_t)nkids : 8)] : 0;
  }
}

/** A group it may signal: its own, a child's (which may lead one), nobody's. */
static I target_group(I self) {
  switch (below(6)) {
  case 0: return -self;
  case 1: return -(NOBODY + (I)below(1000));
  case 2: return INT32_MIN;
  default: return nkids ? -kids[below((uint32_t)nkids)] : -self;
  }
}

/** The watchdog: ITIMER_REAL every 10 ms, SIGALRM caught (no SA_RESTART) and not blocked. */
static void watchdog(void) {
  uint32_t act[3] = {2, 0, 0};
  k_sigaction(SIGALRM, P(act), 0);
  uint32_t set = BIT(SIGALRM);
  k_sigprocmask(1, P(&set), 0);
  k_setitimer(0, WATCHDOG_NS, WATCHDOG_NS, 0);
}

/** After a sigaction: SELF_SIGS back to catch if a random call set default or RESETHAND. */
static void fix_disposition(I sig) {
  if (sig < 1 || sig > 31 || !(SELF_SIGS & BIT(sig))) return;
  uint32_t old[3];
  if (k_sigaction(sig, 0, P(old)) != 0) return;
  int bad = old[0] == 0 || (old[2] & SA_RESETHAND) || (sig == SIGALRM && (old[0] != 2 || (old[2] & SA_RESTART)));
  if (bad) {
    uint32_t act[3] = {2, 0, 0};
    k_sigaction(sig, P(act), 0);
  }
}

/** Its cwd stays under home: back there if a chdir left it. */
static void fix_cwd(void) {
  uint32_t n = 0;
  if (k_getcwd(P(scratch), sizeof scratch, P(&n)) == 0 && n > home_len &&
      memcmp(scratch, home, home_len) == 0 && (scratch[home_len] == 0 || scratch[home_len] == '/'))
    return;
  k_chdir(P(home), (I)home_len);
}

// ---- limits: never raised, with floors ----

struct rl { uint64_t cur, max; };
#define RLIM_INF UINT64_MAX

/** The lowest hard value it lets a resource have (0: any). */
static uint64_t floor_of(I res) {
  switch (res) {
  case 1: return 1 << 20;            // FSIZE
  case 2: case 9: return 64u << 20;  // DATA, AS
  case 6: return 1024;               // NPROC
  case 7: return 64;                 // NOFILE
  case 16: return 16;                // NCHILD
  default: return 0;
  }
}

/** A value in [lo, hi]. */
static uint64_t between(uint64_t lo, uint64_t hi) {
  if (hi <= lo) return lo;
  switch (below(4)) {
  case 0: return lo;
  case 1: return hi;
  default: return lo + next() % (hi - lo + 1 == 0 ? UINT64_MAX : hi - lo + 1);
  }
}

/** A resource number: usually one of the kernel's. */
static I resource(void) {
  switch (below(10)) {
  case 0: return (I)next();
  case 1: return 18 + (I)below(4);
  default: return (I)below(18);
  }
}

/**
 * A new limit for `res` of the fuzzer (or a child, which starts with its values): at most
 * the current hard value, not below the floor; or soft above hard (EINVAL). CPU: only
 * soft values of an hour or more (a lower hard CPU limit would SIGKILL it).
 */
static int make_limit(I res, struct rl *out) {
  struct rl now = {RLIM_INF, RLIM_INF};
  k_getrlimit(res, P(&now));
  if (res == 0) {
    out->max = now.max;
    out->cur = between(now.max < 3600 ? now.max : 3600, now.max);
    return 1;
  }
  uint64_t fl = floor_of(res);
  switch (below(8)) {
  case 0: // soft above hard
    out->max = now.max < fl ? now.max : between(fl, now.max);
    out->cur = out->max == RLIM_INF ? RLIM_INF : out->max + 1 + below(100);
    if (out->cur == RLIM_INF) out->max = now.max;
    return 1;
  case 1: // both at the current hard value
    *out = (struct rl){now.max, now.max};
    return 1;
  case 2: // the hard value lowered, not below the floor
    out->max = now.max <= fl ? now.max : between(fl, now.max);
    out->cur = between(0, out->max);
    return 1;
  default: // the soft value anywhere up to hard
    out->max = now.max;
    out->cur = below(2) ? between(0, now.max) : (uint64_t)below(4096);
    if (out->cur > out->max) out->cur = out->max;
    return 1;
  }
}

/** Soft values back up to their hard value (or the default), so calls do not all fail. */
static void restore_limits(void) {
  static const I res[] = {1, 2, 6, 7, 9, 16};
  for (unsigned i = 0; i < sizeof res / sizeof res[0]; i++) {
    struct rl now;
    if (k_getrlimit(res[i], P(&now)) != 0) continue;
    now.cur = res[i] == 7 && now.max > 1024 ? 1024 : now.max;
    k_setrlimit(res[i], P(&now));
  }
}

// ---- spawn requests ----

struct req {
  uint32_t path, path_len, argv, argv_len, env, env_len, actions, actions_count;
  uint32_t flags;
  int32_t pgroup;
  uint32_t sigmask, sigdefault, search, search_len, cwd, cwd_len;
};
_Static_assert(sizeof(struct req) == 64, "spawn request");
struct action {
  uint32_t kind;
  int32_t fd, arg;
  uint32_t path, path_len, mode;
  uint64_t reserved;
};
_Static_assert(sizeof(struct action) == 32, "file action");

static struct req rq;
static struct action acts[12];
static char argbuf[512];
static char envbuf[256];

static const char *const MODES[] = {"x", "s", "c", "t", "f", "k", "w", "g", "e", "z", "z", "x", "s", "c"};
/** 0 in the fuzzer, 1 in a child that fuzzes (mode z): which spawns no fuzzing child itself. */
static int depth;

/** argv: `fuzz_isk child MODE ARG`, sometimes broken; sets rq.argv, rq.argv_len. */
static void make_argv(void) {
  const char *mode = MODES[below(sizeof MODES / sizeof MODES[0])];
  if (depth > 0 && mode[0] == 'z') mode = "s";
  int n = snprintf(argbuf, sizeof argbuf, "fuzz_isk%cchild%c%s%c%u", 0, 0, mode, 0, below(200));
  uint32_t l = (uint32_t)n + 1;
  rq.argv = P(argbuf);
  rq.argv_len = l;
  switch (below(14)) {
  case 0: rq.argv_len = l - 1; break;               // no final NUL: EINVAL
  case 1: rq.argv_len = (1u << 20) + below(2); break; // past ARG_MAX (or EFAULT)
  case 2: rq.argv = (uint32_t)wild_ptr(l); break;
  case 3: rq.argv_len = 0; break;                      // no argv at all
  case 4: rq.argv_len = 0xFFFFFFFFu; break;
  case 5: { // a block of many arguments, in the arena
    uint32_t m = 1 + below(ARENA - 1);
    for (uint32_t i = 0; i < m; i++) arena[i] = below(3) ? 'a' : 0;
    arena[m - 1] = 0;
    rq.argv = P(arena);
    rq.argv_len = m;
    break;
  }
  default: break;
  }
}

static void make_env(void) {
  static const char env[] = "A=1\0PATH=/hostile\0EMPTY=\0NOEQUALS\0";
  memcpy(envbuf, env, sizeof env);
  rq.env = P(envbuf);
  rq.env_len = sizeof env - 1;
  switch (below(10)) {
  case 0: rq.env_len = 0; break;
  case 1: rq.env_len = sizeof env - 2; break; // no final NUL
  case 2: rq.env = (uint32_t)wild_ptr(8); break;
  case 3: rq.env_len = (1u << 20) - rq.argv_len + 1; break; // argv + env just past 1 MiB
  default: break;
  }
}

/** A file action: usually sensible for the child, sometimes not. */
static void make_action(struct action *a, uint8_t *strs) {
  memset(a, 0, sizeof *a);
  a->kind = below(12) ? 1 + below(8) : (uint32_t)next();
  a->fd = below(8) ? (I)below(12) : bad_fd();
  a->arg = (I)below(12);
  I n;
  switch (a->kind) {
  case 1: { // OPEN
    static const I OF[] = {O_RDONLY, O_WRONLY | O_CREAT | O_TRUNC, O_RDWR | O_CREAT, O_RDONLY | O_DIRECTORY,
                           O_WRONLY | O_CREAT | O_EXCL, O_RDWR | O_APPEND | O_NONBLOCK};
    a->arg = below(8) ? OF[below(6)] : (I)next();
    I p = path();
    a->path = (uint32_t)p;
    a->path_len = (uint32_t)path_len;
    break;
  }
  case 3: // DUP2
    if (below(2)) a->fd = nfds ? fds[below(nfds)] : 1;
    break;
  case 4: { // CHDIR
    I p = path();
    a->path = (uint32_t)p;
    a->path_len = (uint32_t)path_len;
    break;
  }
  case 5: // FCHDIR
    a->fd = below(2) ? 3 : any_fd();
    break;
  case 6: { // SETRLIMIT
    struct rl *r = (struct rl *)(void *)strs;
    a->fd = below(6) ? resource() : 0;
    make_limit(a->fd, r);
    a->path = below(10) ? P(r) : (uint32_t)wild_ptr(16);
    a->path_len = below(10) ? 16 : (uint32_t)len();
    break;
  }
  case 7: // SETIDS (uid 0 may give any)
    a->fd = below(4) ? 0 : (I)below(2000) - 5;
    a->arg = below(4) ? 0 : (I)below(2000) - 5;
    break;
  case 8: // PIPE
    a->fd = below(3) ? (I)below(3) : (I)below(40);
    a->arg = below(10) ? (I)below(2) : (I)next();
    break;
  default:
    a->path = (uint32_t)put_str(strs, "a", &n);
    a->path_len = (uint32_t)n;
  }
}

/** A spawn: of this program with a child mode, with random attributes and file actions. */
static int do_spawn(I self) {
  memset(&rq, 0, sizeof rq);
  I n;
  switch (below(16)) {
  case 0: rq.path = (uint32_t)path(); rq.path_len = (uint32_t)path_len; break;
  case 1: // PATH search
    rq.path = (uint32_t)put_str(scratch, "fuzz_isk.wasm", &n);
    rq.path_len = (uint32_t)n;
    rq.flags |= 16;
    rq.search = (uint32_t)put_str(scratch + 32, below(2) ? "/nonexistent::/hostile" : "/hostile/x:", &n);
    rq.search_len = below(8) ? (uint32_t)n : (uint32_t)len();
    break;
  case 2: { // a script of its own (script runs this program; loop1 and loop2 name each other)
    static const char *const S[] = {"script", "loop1", "noexec", "s"};
    uint32_t l = (uint32_t)snprintf((char *)scratch, sizeof scratch, "%s/%s", home, S[below(4)]);
    rq.path = P(scratch);
    rq.path_len = l;
    break;
  }
  default:
    rq.path = (uint32_t)put_str(scratch, PROGRAM, &n);
    rq.path_len = below(20) ? (uint32_t)n : (uint32_t)len();
  }
  make_argv();
  make_env();
  if (below(3) == 0) {
    // At most the 12 it made: a count past them would read its other data as actions.
    uint32_t c = below(4) ? 1 + below(6) : below(2) ? 1 + below(12) : 4097 + (below(2) ? 0 : (uint32_t)next() % 0x7fffffffu);
    for (uint32_t i = 0; i < 12 && i < c; i++) make_action(&acts[i], names + 2048 + 64 * i);
    rq.actions = below(12) ? P(acts) : (uint32_t)wild_ptr(32);
    rq.actions_count = c;
  }
  if (below(3) == 0) {
    rq.flags |= below(8) ? below(64) & ~16u : (uint32_t)next();
    rq.pgroup = below(4) ? 0 : below(2) ? self : (below(2) && nkids ? kids[nkids - 1] : (I)next());
    rq.sigmask = below(6) ? (uint32_t)next() & 0x7fffffffu : (uint32_t)next();
    rq.sigdefault = below(6) ? (uint32_t)next() & 0x7fffffffu : (uint32_t)next();
  }
  if (below(6) == 0) {
    I p = path();
    rq.cwd = (uint32_t)p;
    rq.cwd_len = (uint32_t)path_len;
  }
  I out = -1;
  I reqp = below(20) ? P(&rq) : wild_ptr(64);
  I outp = below(20) ? P(&out) : wild_ptr(4);
  int e = k_spawn(reqp, outp);
  if (e == 0 && reqp == P(&rq)) {
    if (outp == P(&out)) kid_spawned(out);
    // PIPE actions: the caller's ends are ours now.
    for (uint32_t i = 0; i < rq.actions_count && i < 12 && rq.actions == (uint32_t)P(acts); i++)
      if (acts[i].kind == 8) remember((I)acts[i].reserved);
  }
  return e;
}

/** exec: always a request that fails (a bad flag, file actions, a cwd, or no program at the path). */
static int do_exec(void) {
  memset(&rq, 0, sizeof rq);
  I n;
  static const char *const NOPROG[] = {"/nonexistent", "/dev/null", "/hostile", "", "a", "d", "noexec"};
  rq.path = (uint32_t)put_str(scratch, below(2) ? PROGRAM : NOPROG[below(7)], &n);
  rq.path_len = (uint32_t)n;
  make_argv();
  make_env();
  switch (below(5)) {
  case 0: rq.flags = 1u << (below(31)); if (rq.flags == 16) rq.flags = 32; break;
  case 1: rq.actions_count = 1 + below(3); rq.actions = P(acts); break;
  case 2: rq.cwd_len = 1; rq.cwd = P(".");  break;
  case 3: rq.argv_len = (1u << 20) + 1; break;
  default: // no program there
    rq.path = (uint32_t)put_str(scratch, NOPROG[below(7)], &n);
    rq.path_len = (uint32_t)n;
  }
  // "a", "d", "noexec": its own files, which a random chmod may have made executable (noexec
  // is a script that runs this program): only with a request that is bad anyway.
  if (rq.path_len > 0 && scratch[0] != '/' && !rq.flags && !rq.actions_count && !rq.cwd_len)
    rq.flags = 64;
  return k_exec(below(12) ? P(&rq) : wild_ptr(64));
}

// ---- sockets ----

static uint16_t ports[8];
static int nports;
static uint16_t seed_port;

static uint16_t be16(uint16_t x) {
  return (uint16_t)((x >> 8) | (x << 8));
}

/** A socket address in `at`; returns its length (sometimes wrong). */
static uint32_t make_addr(uint8_t *at) {
  memset(at, 0, 112);
  uint32_t fam = below(10) ? 1 + below(3) : (uint32_t)below(70000);
  at[0] = (uint8_t)fam;
  at[1] = (uint8_t)(fam >> 8);
  uint16_t port = 0;
  switch (below(5)) {
  case 0: port = 0; break;
  case 1: port = nports ? ports[below((uint32_t)nports)] : seed_port; break;
  case 2: port = (uint16_t)(seed_port + below(8)); break;
  default: port = nports ? ports[below((uint32_t)nports)] : (uint16_t)(seed_port + below(8));
  }
  uint32_t l;
  if (fam == 1) {
    *(uint16_t *)(void *)(at + 2) = be16(port);
    switch (below(6)) {
    case 0: break; // 0.0.0.0
    case 1: at[4] = 10; at[7] = 1; break; // nothing listens there; no egress anyway
    default: at[4] = 127; at[7] = 1;
    }
    l = 16;
  } else if (fam == 2) {
    *(uint16_t *)(void *)(at + 2) = be16(port);
    if (below(2)) at[23] = 1; // ::1
    l = 28;
  } else if (fam == 3) {
    static const char *const UN[] = {"sock0", "sock1", "d/sock", "a", "nonexistent/s", "/nonexistent/s", "d"};
    uint32_t n;
    switch (below(8)) {
    case 0: // abstract
      n = 1 + (uint32_t)snprintf((char *)at + 3, 100, "isk%u", below(4));
      l = 2 + n;
      break;
    case 1: // unnamed
      n = 0;
      l = 2;
      break;
    case 2: // 108 bytes, no NUL
      memset(at + 2, 'n', 108);
      l = 110;
      break;
    default:
      n = (uint32_t)snprintf((char *)at + 2, 108, below(2) ? "%s/%s" : "%.0s%s", home, UN[below(7)]);
      l = 2 + n + (below(2) ? 1 : 0);
    }
  } else {
    l = 16;
  }
  switch (below(12)) {
  case 0: return below(2) ? (uint32_t)below(l + 1) : (uint32_t)len();
  default: return l;
  }
}

static int do_socket_call(uint32_t fn, I self) {
  (void)self;
  uint8_t *addr = arena + ARENA - 256;
  I fd = nfds && below(6) ? fds[below(nfds)] : any_fd();
  switch (fn) {
  case 0: { // socket
    I dom = below(10) ? 1 + (I)below(3) : (I)next();
    I type = below(10) ? (below(2) ? 5 : 6) : (I)next();
    if (below(3) == 0) type |= 0x4000;
    if (below(3) == 0) type |= 0x2000;
    if (below(20) == 0) type |= 0x100;
    I proto = below(6) ? 0 : below(2) ? (below(2) ? 6 : 17) : (I)next();
    I out = -1, o = below(16) ? P(&out) : wild_ptr(4);
    int e = k_socket(dom, type, proto, o);
    if (e == 0 && o == P(&out)) remember(out);
    return e;
  }
  case 1: { // socketpair
    I out[2] = {-1, -1}, o = below(16) ? P(out) : wild_ptr(8);
    int e = k_socketpair(below(6) ? 3 : 1 + (I)below(3), below(6) ? (below(2) ? 5 : 6) | (I)(below(2) * 0x4000) : (I)next(),
                         below(8) ? 0 : (I)next(), o);
    if (e == 0 && o == P(out)) remember(out[0]), remember(out[1]);
    return e;
  }
  case 2: { // bind
    uint32_t l = make_addr(addr);
    int e = k_bind(fd, below(16) ? P(addr) : wild_ptr(l), (I)l);
    if (e == 0) {
      uint32_t sl = 112;
      if (k_getsockname(fd, P(scratch), P(&sl)) == 0 && (scratch[0] == 1 || scratch[0] == 2) && nports < 8)
        ports[nports++] = be16(*(uint16_t *)(void *)(scratch + 2));
    }
    return e;
  }
  case 3: return k_listen(fd, below(4) ? (I)below(8) : (I)next());
  case 4: { // accept
    uint32_t room = below(4) ? 112 : (uint32_t)len();
    I out = -1;
    I a = below(3) ? P(addr) : opt_ptr(room);
    int e = k_accept(fd, a, below(12) ? P(&room) : (a ? wild_ptr(4) : 0), below(4) ? (I)(below(4) * 0x2000) : flags(16), P(&out));
    if (e == 0) remember(out);
    return e;
  }
  case 5: {
    uint32_t l = make_addr(addr);
    return k_connect(fd, below(16) ? P(addr) : wild_ptr(l), (I)l);
  }
  case 6: { // sendto
    I l = len();
    uint32_t n = 0, al = 0;
    I a = 0;
    if (below(3) == 0) {
      al = make_addr(addr);
      a = below(10) ? P(addr) : wild_ptr(al);
    }
    I flg = below(3) ? (I)(below(2) * 0x40 | below(2) * 0x4000) : flags(16);
    return k_sendto(fd, ptr((uint32_t)l), l, flg, a, (I)al, below(16) ? P(&n) : wild_ptr(4));
  }
  case 7: { // recvfrom
    I l = len();
    uint32_t n = 0, room = below(3) ? 112 : (uint32_t)len();
    I a = below(3) ? P(addr) : opt_ptr(room);
    I flg = below(3) ? (I)(below(2) | below(2) * 2 | below(2) * 0x40) : flags(16);
    return k_recvfrom(fd, ptr((uint32_t)l), l, flg, a, a ? (below(10) ? P(&room) : wild_ptr(4)) : 0,
                      below(16) ? P(&n) : wild_ptr(4));
  }
  case 8: return k_shutdown(fd, below(6) ? 1 + (I)below(3) : (I)next());
  case 9: {
    uint32_t room = below(4) ? 112 : (uint32_t)len();
    return k_getsockname(fd, opt_ptr(room), below(10) ? P(&room) : wild_ptr(4));
  }
  case 10: {
    uint32_t room = below(4) ? 112 : (uint32_t)len();
    return k_getpeername(fd, opt_ptr(room), below(10) ? P(&room) : wild_ptr(4));
  }
  default: { // setsockopt / getsockopt
    static const I LEVELS[] = {0x7fffffff, 0x7fffffff, 0x7fffffff, 6, 41, 0, 1};
    static const I NAMES[] = {2, 3, 4, 6, 7, 8, 9, 13, 15, 18, 19, 30, 38, 39, 66, 67, 1, 4, 5, 6, 26, 0, 99};
    I level = below(10) ? LEVELS[below(7)] : (I)next();
    I name = below(10) ? NAMES[below(23)] : (I)next();
    uint32_t vl = below(4) ? 4 : below(2) ? (below(2) ? 8 : 16) : (uint32_t)len();
    uint8_t *val = scratch + 128;
    switch (below(4)) {
    case 0: memset(val, 0, 16); break;
    case 1: memset(val, 0, 16); val[0] = (uint8_t)below(3); val[8] = (uint8_t)below(3); break;
    default: randomize(val, 16);
    }
    if (fn == 11) return k_setsockopt(fd, level, name, vl <= 16 && below(10) ? P(val) : ptr(vl), (I)vl);
    I v = vl <= 16 && below(10) ? P(val) : ptr(vl);
    return k_getsockopt(fd, level, name, v, below(10) ? P(&vl) : wild_ptr(4));
  }
  }
}

// ---- one call ----

static const char *const FN_NAMES[FUNCS] = {
    "spawn", "exec", "wait", "kill", "getpid", "getppid", "getpgid", "getsid", "setpgid", "setsid",
    "chdir", "fchdir", "getcwd", "sigaction", "sigprocmask", "sigpending", "sigsuspend", "alarm",
    "setitimer", "read_eof", "pipe", "dup", "dup2", "dupfd", "fd_getfd", "fd_next", "fd_setfd",
    "umask", "preempt", "memory_grow", "fstat", "fstatat", "chmod", "fchmod", "uname", "statvfs",
    "getids", "getrlimit", "setrlimit", "prlimit", "tty_isatty", "tty_getattr", "tty_setattr",
    "tty_getwinsize", "tty_setwinsize", "tty_getpgrp", "tty_setpgrp", "tty_getsid", "tty_flush",
    "tty_name", "tty_set_raw", "socket", "socketpair", "bind", "listen", "accept", "connect",
    "sendto", "recvfrom", "shutdown", "getsockname", "getpeername", "setsockopt", "getsockopt",
    "log_open", "log_write", "log_reader", "trace_attach", "trace_filter", "trace_detach",
    "fd_write", "fd_read", "fd_close", "killpg", "spawn_kill", "wait_any", "sock_flow", "pipe_child",
    "trace_flow",
};

static __wasi_iovec_t iov[2];

// ---- scenarios: calls in a sensible order, so that the deeper states are reached ----

/** Folds errnos: the first non-zero one. */
static int first(int acc, int e) {
  return acc ? acc : e;
}

/**
 * A stream connection made and used at random: a listener (AF_UNIX under home, or TCP on
 * 127.0.0.1 or ::1, joined inside the kernel), a client (maybe non-blocking), accept, then
 * sends, receives, peeks, shutdowns, options and closes in a random order. The descriptors
 * stay for the random calls that follow.
 */
static int sock_flow(void) {
  uint8_t *addr = arena + ARENA - 512;
  I dom = (I)below(3) + 1; // AF_INET, AF_INET6, AF_UNIX
  I type = below(5) ? 6 : 5;
  I srv = -1, cli = -1, acc = -1;
  int e = k_socket(dom, type, 0, P(&srv));
  if (e) return e;
  remember(srv);
  memset(addr, 0, 128);
  uint32_t al;
  addr[0] = (uint8_t)dom;
  if (dom == 3) {
    al = 2 + (uint32_t)snprintf((char *)addr + 2, 100, "%s/f%u", home, below(4)) + 1;
    if (below(4) == 0) { // abstract
      addr[2] = 0;
      al = 2 + 1 + (uint32_t)snprintf((char *)addr + 3, 100, "flow%u", below(4));
    }
  } else if (dom == 1) {
    addr[4] = 127;
    addr[7] = 1;
    al = 16;
  } else {
    addr[23] = 1;
    al = 28;
  }
  e = first(e, k_bind(srv, P(addr), (I)al));
  if (type == 6) e = first(e, k_listen(srv, (I)below(3)));
  uint32_t room = 128;
  if (dom != 3) k_getsockname(srv, P(addr), P(&room)); // the port it got
  if (k_socket(dom, type | (below(3) == 0 ? 0x4000 : 0), 0, P(&cli)) == 0) remember(cli);
  e = first(e, k_connect(cli, P(addr), (I)al));
  if (type == 6) {
    uint32_t r2 = 128;
    int a = k_accept(srv, below(2) ? P(scratch) : 0, P(&r2), (I)(below(2) * 0x4000), P(&acc));
    if (a == 0) remember(acc);
    e = first(e, a);
  } else {
    acc = srv;
  }
  uint32_t steps = 1 + below(12);
  for (uint32_t i = 0; i < steps; i++) {
    I x = below(2) ? cli : acc, y = x == cli ? acc : cli;
    uint32_t n = 0, l = below(4) ? below(256) : below(ARENA);
    switch (below(10)) {
    case 0: case 1: case 2:
      e = first(e, k_sendto(x, P(arena), (I)l, (I)(below(3) == 0 ? 0x40 : 0) | 0x4000, 0, 0, P(&n)));
      break;
    case 3: case 4: {
      I fl = (I)(below(3) == 0) | (I)(below(4) == 0) * 2 | (I)(below(2)) * 0x40;
      uint32_t r2 = 128;
      e = first(e, k_recvfrom(y, P(arena + ARENA / 2), (I)(l > ARENA / 2 ? ARENA / 2 : l), fl, P(scratch), P(&r2), P(&n)));
      break;
    }
    case 5: e = first(e, k_shutdown(x, 1 + (I)below(3))); break;
    case 6: {
      static const I opt[][2] = {{0x7fffffff, 8}, {0x7fffffff, 7}, {0x7fffffff, 13}, {6, 1}, {0x7fffffff, 66}, {0x7fffffff, 4}};
      uint32_t v[4] = {below(2), below(3) ? 0 : 2048 + below(8192), 0, 0};
      uint32_t o = below(6);
      e = first(e, k_setsockopt(x, opt[o][0], opt[o][1], P(v), o == 4 ? 16 : o == 2 ? 8 : 4));
      break;
    }
    case 7: { // a child inherits an end and goes away
      I st, pid;
      uint32_t r = 0;
      (void)r;
      memset(&rq, 0, sizeof rq);
      I pn;
      rq.path = (uint32_t)put_str(scratch + 128, PROGRAM, &pn);
      rq.path_len = (uint32_t)pn;
      static const char av[] = "fuzz_isk\0child\0c\0" "0";
      rq.argv = P(av);
      rq.argv_len = sizeof av;
      memset(acts, 0, sizeof acts);
      acts[0] = (struct action){.kind = 3, .fd = x, .arg = 0};
      acts[1] = (struct action){.kind = 3, .fd = x, .arg = 1};
      rq.actions = P(acts);
      rq.actions_count = 2;
      if (k_spawn(P(&rq), P(&pid)) == 0) {
        kid_spawned(pid);
        if (below(2)) k_kill(pid, below(2) ? SIGKILL : SIGSTOP);
        if (below(2)) k_wait(pid, 1, P(&st), P(&pid));
      }
      break;
    }
    case 8: { // close one end
      I c = below(2) ? x : y;
      if (c > 3 && raw_fd_close(c) == 0) {
        forget(c);
        last_closed = c;
      }
      break;
    }
    default: {
      uint32_t r2 = 128;
      e = first(e, below(2) ? k_getpeername(x, P(scratch), P(&r2)) : k_getsockname(x, P(scratch), P(&r2)));
    }
    }
  }
  return e;
}

/**
 * A child (mode c: stdin to stdout) between two pipes made by PIPE actions: written to,
 * read from (read_eof), stopped, continued, killed, its ends closed, in a random order.
 */
static int pipe_child(void) {
  memset(&rq, 0, sizeof rq);
  memset(acts, 0, sizeof acts);
  I n, pid = -1, st;
  rq.path = (uint32_t)put_str(scratch + 128, PROGRAM, &n);
  rq.path_len = (uint32_t)n;
  static const char av[] = "fuzz_isk\0child\0c\0" "0";
  rq.argv = P(av);
  rq.argv_len = sizeof av;
  acts[0] = (struct action){.kind = 8, .fd = 0, .arg = 1};
  acts[1] = (struct action){.kind = 8, .fd = 1, .arg = 0};
  rq.actions = P(acts);
  rq.actions_count = 2;
  if (below(3) == 0) { // and in a group of its own
    rq.flags = 1;
    rq.pgroup = 0;
  }
  int e = k_spawn(P(&rq), P(&pid));
  if (e) return e;
  kid_spawned(pid);
  I w = (I)acts[0].reserved, r = (I)acts[1].reserved;
  remember(w);
  remember(r);
  uint32_t steps = 1 + below(10);
  for (uint32_t i = 0; i < steps; i++) {
    uint32_t l = below(3) ? below(4096) : below(ARENA), got = 0, eof = 0;
    switch (below(9)) {
    case 0: case 1: case 2:
      iov[0].buf = arena;
      iov[0].buf_len = l;
      e = first(e, raw_fd_write(w, P(iov), 1, P(&got)));
      break;
    case 3: case 4:
      iov[0].buf = arena + ARENA / 2;
      iov[0].buf_len = l > ARENA / 2 ? ARENA / 2 : l;
      e = first(e, k_read_eof(r, P(iov), 1, P(&got), P(&eof)));
      break;
    case 5: e = first(e, k_kill(below(2) ? pid : -pid, below(2) ? SIGSTOP : SIGCONT)); break;
    case 6: e = first(e, k_kill(pid, below(3) ? SIGCONT : SIGKILL)); break;
    case 7: e = first(e, k_wait(pid, (I)(1 | below(2) * 2 | below(2) * 8), P(&st), P(&n))); break;
    default: {
      I c = below(2) ? w : r;
      if (raw_fd_close(c) == 0) {
        forget(c);
        last_closed = c;
      }
    }
    }
  }
  return e;
}

/** A child traced from its start (NEXT_CHILD), the trace read, the child killed or detached. */
static int trace_flow(void) {
  I tfd = -1, pid = -1, st;
  I fl = 2 | 4 | (I)(below(2) * 1) | (I)(below(2) * 8) | (I)(below(4) == 0) * 16;
  int e = k_trace_attach(0, fl, (I)below(200), P(&tfd));
  if (e) return e;
  remember(tfd);
  if (below(2)) {
    static const char nm[] = "getpid\0kill\0spawn";
    k_trace_filter(tfd, P(nm), (I)(1 + below(sizeof nm - 1)));
  }
  e = do_spawn(0);
  if (e == 0 && nkids) pid = kids[nkids - 1];
  uint32_t steps = 1 + below(8);
  for (uint32_t i = 0; i < steps; i++) {
    uint32_t got;
    switch (below(6)) {
    case 0: case 1: case 2:
      iov[0].buf = arena + ARENA / 2;
      iov[0].buf_len = below(2) ? 64 : ARENA / 2;
      e = first(e, raw_fd_read(tfd, P(iov), 1, P(&got)));
      break;
    case 3: e = first(e, k_trace_detach(tfd, below(2) ? 0 : pid)); break;
    case 4: if (pid > 0) e = first(e, k_kill(pid, below(2) ? SIGKILL : below(2) ? SIGSTOP : SIGCONT)); break;
    default: if (pid > 0) e = first(e, k_wait(pid, 1 | 2, P(&st), P(&got)));
    }
  }
  return e;
}

static int call(uint32_t fn, I self) {
  uint32_t *out = (uint32_t *)(void *)(arena + 8 * below(ARENA / 8 - 16));
  I fd;
  switch (fn) {
  case 0: case 74: {
    I some = 0;
    if (live_kids(&some) >= LIVE_KIDS) { // make room: kill one, reap what is ready
      k_kill(some, SIGKILL);
      return k_wait(-1, 1, 0, P(out));
    }
    return do_spawn(self);
  }
  case 1: return do_exec();
  case 2: case 75: {
    I st = 0, pid = 0;
    I which = fn == 75 ? -1 : below(3) ? target_pid(self) : below(2) ? target_group(self) : (I)next();
    I opts = below(3) ? 1 : below(2) ? (I)below(16) : flags(8);
    I stp = below(8) ? P(&st) : opt_ptr(4);
    int e = k_wait(which, opts, stp, below(12) ? P(&pid) : wild_ptr(4));
    if (stp == P(&st)) status_seen(e, st);
    return e;
  }
  case 3: { // kill: its children with any signal, itself and its group with SELF_SIGS only
    switch (below(5)) {
    case 0: return k_kill(self, self_sig());
    case 1: return k_kill(0, self_sig());
    case 2: return k_kill(NOBODY + (I)below(100), any_sig());
    default: return k_kill(nkids ? kids[nkids - 1 - (int)below(nkids < 6 ? (uint32_t)nkids : 6)] : self,
                           nkids ? any_sig() : self_sig());
    }
  }
  case 73: { // killpg: a child's group with any signal, its own with SELF_SIGS only
    I g = target_group(self);
    return k_kill(g, g == -self ? self_sig() : any_sig());
  }
  case 4: return k_getpid(ptr(4));
  case 5: return k_getppid(ptr(4));
  case 6: return k_getpgid(below(2) ? target_pid(self) : (I)next(), ptr(4));
  case 7: return k_getsid(below(2) ? target_pid(self) : (I)next(), ptr(4));
  case 8: return k_setpgid(below(3) ? target_pid(self) : (I)next(), below(3) ? target_pid(self) : (I)next());
  case 9: return k_setsid(ptr(4));
  case 10: {
    I p = path();
    int e = k_chdir(p, path_len);
    fix_cwd();
    return e;
  }
  case 11: {
    int e = k_fchdir(below(3) ? 3 : any_fd());
    fix_cwd();
    return e;
  }
  case 12: {
    I l = below(3) ? (I)below(64) : len();
    return k_getcwd(ptr((uint32_t)l), l, ptr(4));
  }
  case 13: { // sigaction
    I sig = any_sig();
    uint32_t *act = (uint32_t *)(void *)(scratch + 64);
    act[0] = below(10) ? below(3) : (uint32_t)next();
    act[1] = below(4) ? 0 : (uint32_t)next() & (below(4) ? 0x7fffffffu : 0xffffffffu);
    act[2] = below(4) ? 0 : (uint32_t)next() & (below(4) ? SA_KNOWN : 0xffffffffu);
    I a = below(8) ? P(act) : below(2) ? 0 : wild_ptr(12);
    int e = k_sigaction(sig, a, opt_ptr(12));
    fix_disposition(sig);
    return e;
  }
  case 14: {
    uint32_t *set = (uint32_t *)(void *)(scratch + 80);
    *set = (uint32_t)next();
    int e = k_sigprocmask(below(6) ? (I)below(3) : (I)next(), below(6) ? P(set) : opt_ptr(4), opt_ptr(4));
    uint32_t alrm = BIT(SIGALRM);
    k_sigprocmask(1, P(&alrm), 0);
    return e;
  }
  case 15: return k_sigpending(ptr(4));
  case 16: { // sigsuspend: the watchdog's SIGALRM (caught, not in the mask) ends it
    watchdog();
    return k_sigsuspend((I)((uint32_t)next() & ~BIT(SIGALRM)));
  }
  case 17: {
    int e = k_alarm(below(3) ? (I)below(3) : (I)next(), ptr(4));
    watchdog();
    return e;
  }
  case 18: {
    I which = below(8) ? (I)below(3) : (I)next();
    L v = below(2) ? (L)below(50000000) : u64(), iv = below(2) ? (L)below(20000000) : u64();
    int e = k_setitimer(which, v, iv, opt_ptr(16));
    watchdog();
    return e;
  }
  case 19: { // read_eof
    uint32_t l = below(4) ? below(256) : (uint32_t)len();
    iov[0].buf = (uint8_t *)(uintptr_t)ptr(l);
    iov[0].buf_len = l;
    uint32_t n, eof;
    return k_read_eof(any_fd(), below(10) ? P(iov) : wild_ptr(8),
                      // never more iovecs than `iov` holds: the words after it would name any byte of the fuzzer
                      below(10) ? 1 : below(2) ? (I)below(3) : below(2) ? 0x20000000 : -1, below(10) ? P(&n) : wild_ptr(4),
                      below(10) ? P(&eof) : wild_ptr(4));
  }
  case 20: {
    I out2[2] = {-1, -1}, o = below(16) ? P(out2) : wild_ptr(8);
    int e = k_pipe(o, below(6) ? (I)(below(2) | below(2) * 4) : flags(8));
    if (e == 0 && o == P(out2)) remember(out2[0]), remember(out2[1]);
    return e;
  }
  case 21: {
    I o = -1, op = below(12) ? P(&o) : wild_ptr(4);
    int e = k_dup(any_fd(), op);
    if (e == 0 && op == P(&o)) remember(o);
    return e;
  }
  case 22: {
    I from = any_fd(), to = below(3) ? victim_fd() : (I)below(40) + 4;
    int e = k_dup2(from, to, below(6) ? (I)below(2) : flags(4));
    if (e == 0) remember(to);
    return e;
  }
  case 23: {
    I o = -1, op = below(12) ? P(&o) : wild_ptr(4);
    int e = k_dupfd(any_fd(), below(4) ? (I)below(64) : (I)next(), below(6) ? (I)below(2) : flags(4), op);
    if (e == 0 && op == P(&o)) remember(o);
    return e;
  }
  case 24: return k_fd_getfd(any_fd(), ptr(4));
  case 25: return k_fd_next(below(4) ? (I)below(64) : (I)next(), ptr(4));
  case 26: return k_fd_setfd(any_fd(), flags(2));
  case 27: return k_umask(below(4) ? 022 : (I)next(), ptr(4));
  case 28: return k_preempt();
  case 29: { // memory_grow: it returns the old size in pages or -1, not an errno
    I r = k_memory_grow(below(4) && mem_size() < (16u << 20) ? (I)below(2) : (I)next() | (I)0x40000000);
    return r < 0 ? 1 : 0;
  }
  case 30: return k_fstat(any_fd(), ptr(72));
  case 31: {
    I p = path();
    return k_fstatat(below(3) ? 3 : any_fd(), p, path_len, flags(1), ptr(72));
  }
  case 32: {
    I p = path();
    I mode = below(4) ? (I)(0600 | below(0200)) : (I)next();
    return k_chmod(below(3) ? 3 : any_fd(), p, path_len, mode, flags(1));
  }
  case 33: return k_fchmod(any_fd(), below(4) ? 0644 : (I)next());
  case 34: return k_uname(ptr(6 * 65));
  case 35: return k_statvfs(any_fd(), ptr(88));
  case 36: return k_getids(ptr(16));
  case 37: return k_getrlimit(resource(), ptr(16));
  case 38: {
    struct rl *r = (struct rl *)(void *)(scratch + 96);
    I res = resource();
    make_limit(res, r);
    return k_setrlimit(res, below(12) ? P(r) : wild_ptr(16));
  }
  case 39: { // prlimit: itself, a child (same rules), nobody
    struct rl *r = (struct rl *)(void *)(scratch + 96);
    I res = resource();
    make_limit(res, r);
    I pid = target_pid(self);
    return k_prlimit(pid, res, below(3) ? P(r) : below(2) ? 0 : wild_ptr(16), opt_ptr(16));
  }
  case 40: return k_tty_isatty(any_fd());
  case 41: return k_tty_getattr(any_fd(), ptr(60));
  case 42: randomize(scratch, 60); return k_tty_setattr(any_fd(), flags(2), below(4) ? ptr(60) : P(scratch));
  case 43: return k_tty_getwinsize(any_fd(), ptr(8));
  case 44: return k_tty_setwinsize(any_fd(), ptr(8));
  case 45: return k_tty_getpgrp(any_fd(), ptr(4));
  case 46: return k_tty_setpgrp(any_fd(), below(2) ? self : (I)next());
  case 47: return k_tty_getsid(any_fd(), ptr(4));
  case 48: return k_tty_flush(any_fd(), flags(2));
  case 49: {
    I l = len();
    return k_tty_name(any_fd(), ptr((uint32_t)l), l, ptr(4));
  }
  case 50: return k_tty_set_raw(any_fd(), flags(1));
  case 51: case 52: case 53: case 54: case 55: case 56: case 57: case 58: case 59: case 60: case 61: case 62: case 63:
    return do_socket_call(fn - 51, self);
  case 64: { // log_open
    I n, tag = put_str(scratch + 160, below(6) ? "fuzz" : "bad tag", &n);
    if (below(6) == 0) tag = ptr((uint32_t)(n = len()));
    I o = -1, op = below(12) ? P(&o) : wild_ptr(4);
    int e = k_log_open(tag, n, below(6) ? (I)below(24) : (I)next(), below(6) ? (I)below(8) : (I)next(), flags(3), op);
    if (e == 0 && op == P(&o)) remember(o);
    return e;
  }
  case 65: { // log_write: small messages (nothing reads the log in the test)
    I n, tag = put_str(scratch + 160, below(6) ? "fuzz" : "", &n);
    if (below(6) == 0) tag = ptr((uint32_t)(n = len()));
    I ml = below(6) ? (I)below(200) : len();
    return k_log_write(tag, n, below(6) ? (I)below(24) : (I)next(), below(6) ? (I)below(8) : (I)next(), ptr((uint32_t)ml), ml);
  }
  case 66: {
    I o = -1, op = below(12) ? P(&o) : wild_ptr(4);
    int e = k_log_reader(flags(3), op);
    if (e == 0 && op == P(&o)) remember(o);
    return e;
  }
  case 67: { // trace_attach: a child, NEXT_CHILD (pid 0), itself (EPERM), nobody
    I pid = below(3) ? target_pid(self) : 0;
    I fl = below(6) ? (I)(below(32) | 4) : (I)next();
    I o = -1, op = below(12) ? P(&o) : wild_ptr(4);
    int e = k_trace_attach(pid, fl, below(4) ? (I)below(100) : (I)next(), op);
    if (e == 0 && op == P(&o)) remember(o);
    return e;
  }
  case 68: {
    static const char nm[] = "getpid\0fd_write\0kill\0nosuchcall";
    I l = below(3) ? (I)below(sizeof nm) : len();
    return k_trace_filter(any_fd(), below(3) ? P(nm) : ptr((uint32_t)l), l);
  }
  case 69: return k_trace_detach(any_fd(), below(2) ? 0 : target_pid(self));
  case 70: { // fd_write: to pipes, sockets, log streams (bounded by the watchdog when full)
    uint32_t l = below(4) ? below(ARENA) : (uint32_t)len();
    fd = nfds ? fds[below(nfds)] : any_fd();
    if (fd == 1 || fd == 2) l = l > 64 ? 64 : l; // not much noise in its output
    iov[0].buf = (uint8_t *)(uintptr_t)ptr(l);
    iov[0].buf_len = l;
    uint32_t n;
    return raw_fd_write(fd, P(iov), 1, P(&n));
  }
  case 71: {
    uint32_t l = below(4) ? below(ARENA) : (uint32_t)len();
    iov[0].buf = (uint8_t *)(uintptr_t)ptr(l);
    iov[0].buf_len = l;
    uint32_t n;
    fd = nfds ? fds[below(nfds)] : any_fd();
    return raw_fd_read(fd, P(iov), 1, P(&n));
  }
  case 76: return sock_flow();
  case 77: return pipe_child();
  case 78: return trace_flow();
  default: { // fd_close
    fd = victim_fd();
    int e = raw_fd_close(fd);
    if (e == 0) {
      forget(fd);
      last_closed = fd;
    }
    return e;
  }
  }
}

static uint64_t now_ms(void) {
  uint64_t t = 0;
  raw_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, P(&t));
  return t / 1000000;
}

static void sleep_ms(uint32_t ms) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  s.u.u.clock.timeout = (uint64_t)ms * 1000000;
  __wasi_event_t ev;
  uint32_t n;
  raw_poll_oneoff(P(&s), P(&ev), 1, P(&n));
}

// ---- the children ----

/** (function, errno) pairs seen. */
static uint8_t seen[FUNCS][80];
static uint32_t calls, ok, pairs;

static void setup(I self);
static void teardown(void);

/** A sum of its constant tables: the kernel must never write there. */
static uint32_t tables_sum(void) {
  uint32_t h = 0;
  // volatile: the compiler knows const tables never change, and would fold the sum away
  for (unsigned i = 0; i < VOCAB_N; i++) h = h * 31 + ((const volatile uint32_t *)(uintptr_t)VOCAB)[i];
  for (unsigned i = 0; i < FUNCS; i++) h = h * 31 + ((const volatile uint32_t *)(uintptr_t)FN_NAMES)[i];
  return h;
}

/**
 * What a failing call must leave as it was (docs/abi.md: errors are returned before
 * anything happens): the open descriptors and their close-on-exec flags, the cwd, the
 * signal mask, the umask, the NOFILE and NPROC limits, the group and session.
 */
struct snap {
  uint32_t nfds, fdsum, cwd, mask, umask, pgid, sid;
  struct rl nofile, nproc;
};

static void snapshot(struct snap *x) {
  memset(x, 0, sizeof *x);
  uint32_t fd = 0, fl;
  for (I at = 0; k_fd_next(at, P(&fd)) == 0; at = (I)fd + 1) {
    x->nfds++;
    k_fd_getfd((I)fd, P(&fl));
    x->fdsum = x->fdsum * 131 + fd * 2 + fl;
  }
  uint32_t n = 0;
  if (k_getcwd(P(scratch), sizeof scratch, P(&n)) == 0)
    for (uint32_t i = 0; i < n; i++) x->cwd = x->cwd * 31 + scratch[i];
  k_sigprocmask(0, 0, P(&x->mask));
  k_umask(022, P(&x->umask));
  uint32_t ignored;
  k_umask((I)x->umask, P(&ignored));
  k_getrlimit(7, P(&x->nofile));
  k_getrlimit(6, P(&x->nproc));
  k_getpgid(0, P(&x->pgid));
  k_getsid(0, P(&x->sid));
}

/** Functions whose failure may have changed some of it: those that are several calls. */
static int compound(uint32_t fn) {
  return fn == 28 || fn == 29 || fn >= 76 || fn == 10 || fn == 11;
}

static void report(const char *what, uint32_t fn, int e, uint64_t before);

/** Functions that may return EINTR: those that may wait on Linux too (the rest never sleep there). */
static int may_intr(uint32_t fn) {
  switch (fn) {
  case 2: case 16: case 19: case 55: case 56: case 57: case 58: case 65: case 70: case 71: case 75:
  case 76: case 77: case 78:
    return 1;
  default:
    return 0;
  }
}

/**
 * Says what went wrong (no printf: its tables, or libc's, may be what was overwritten): the
 * call's number, function and errno, and the state before it (to replay), in hex; exits 4.
 */
static void report(const char *what, uint32_t fn, int e, uint64_t before) {
  static char msg[256];
  uint32_t k = 0;
  const char *w = "fuzz_isk: ";
  while (*w && k < 64) msg[k++] = *w++;
  while (*what && k < 160) msg[k++] = *what++;
  uint64_t v[4] = {calls, fn, (uint32_t)e, before};
  for (int j = 0; j < 4; j++) {
    msg[k++] = ' ';
    int digits = j == 3 ? 16 : 8;
    for (int d = digits - 1; d >= 0; d--) {
      uint32_t x = (uint32_t)(v[j] >> (4 * d)) & 15;
      msg[k++] = (char)(x < 10 ? '0' + x : 'a' + x - 10);
    }
  }
  msg[k++] = '\n';
  iov[0].buf = (uint8_t *)msg;
  iov[0].buf_len = k;
  uint32_t nw;
  raw_fd_write(2, P(iov), 1, P(&nw));
  raw_proc_exit(depth > 0 ? CHILD_REPORT : 4);
}

/** The fuzzing loop: at most max_calls calls, until the deadline. */
static void fuzz(I self, uint32_t max_calls, uint64_t deadline) {
  uint32_t sum = tables_sum();
  while (calls < max_calls && (calls % 16 != 0 || now_ms() < deadline)) {
    uint32_t fn = below(FUNCS);
    uint64_t before = state;
    static struct snap s0, s1;
    int judge = !compound(fn) && below(6) == 0;
    if (judge) snapshot(&s0);
    int e = call(fn, self);
    if (judge && e != 0) {
      snapshot(&s1);
      if (memcmp(&s0, &s1, sizeof s0) != 0) report("a failing call changed the caller's state", fn, e, before);
    }
    if (tables_sum() != sum) report("memory written where no call was told to", fn, e, before);
    if (e == 27 && !may_intr(fn)) report("EINTR from a call that never sleeps on Linux", fn, e, before);
    calls++;
    if (e == 0) ok++;
    uint32_t slot = (uint32_t)e < 80 ? (uint32_t)e : 79;
    if (!seen[fn][slot]) {
      seen[fn][slot] = 1;
      pairs++;
    }
    if (calls % 256 == 0) {
      restore_limits();
      fix_cwd();
    }
  }
}

static int child(int argc, char **argv) {
  const char *mode = argc > 2 ? argv[2] : "x";
  uint32_t arg = argc > 3 ? (uint32_t)strtoul(argv[3], NULL, 0) : 0;
  I self = 0;
  k_getpid(P(&self));
  switch (mode[0]) {
  case 's': sleep_ms(arg % 200); return 0;
  case 'c': { // stdin to stdout for at most 200 ms
    uint64_t end = now_ms() + 200;
    static uint8_t buf[4096];
    while (now_ms() < end) {
      __wasi_subscription_t s[2];
      memset(s, 0, sizeof s);
      s[0].u.tag = __WASI_EVENTTYPE_FD_READ;
      s[0].u.u.fd_read.file_descriptor = 0;
      s[1].u.tag = __WASI_EVENTTYPE_CLOCK;
      s[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
      s[1].u.u.clock.timeout = 20000000;
      __wasi_event_t ev[2];
      uint32_t n = 0;
      if (raw_poll_oneoff(P(s), P(ev), 2, P(&n)) != 0) return 1;
      int readable = 0;
      for (uint32_t i = 0; i < n; i++)
        if (ev[i].type == __WASI_EVENTTYPE_FD_READ && ev[i].error == 0) readable = 1;
      if (!readable) continue;
      iov[0].buf = buf;
      iov[0].buf_len = sizeof buf;
      if (raw_fd_read(0, P(iov), 1, P(&n)) != 0 || n == 0) return 0;
      iov[0].buf_len = n;
      raw_fd_write(1, P(iov), 1, P(&n));
    }
    return 0;
  }
  case 't': __builtin_trap();
  case 'f': // the protection calls: SIGSEGV with a fault record
    if (arg & 1) k_fault_stack(16);
    else k_fault_null((I)(arg & 0xfff), (I)(arg >> 12 & 3));
    return 9;
  case 'k': k_kill(self, (I)(arg % 33)); return 0;
  case 'w': { // compute for a while (preemption checks)
    uint64_t end = now_ms() + arg % 50;
    volatile uint64_t x = arg;
    while (now_ms() < end)
      for (int i = 0; i < 100000; i++) x = x * 6364136223846793005ull + 1;
    return 0;
  }
  case 'z': // fuzz too, for a while, in a session of its own (its parent signals it meanwhile)
    depth = 1;
    state = arg * 0x9E3779B97F4A7C15ull + (uint64_t)self;
    setup(self);
    fuzz(self, 100000, now_ms() + 20 + arg % 150);
    teardown();
    return 0;
  case 'e': { // exec: this program again (another mode), its own scripts, or a loop
    memset(&rq, 0, sizeof rq);
    static const char *const T[] = {PROGRAM, "script", "loop1", "noexec", "s", "/nonexistent"};
    const char *t = T[arg % 6];
    rq.path = P(t);
    rq.path_len = (uint32_t)strlen(t);
    static const char av[] = "fuzz_isk\0child\0s\0" "20";
    static const char av2[] = "fuzz_isk\0child\0k\0" "19";
    rq.argv = arg & 8 ? P(av2) : P(av);
    rq.argv_len = arg & 8 ? sizeof av2 : sizeof av;
    if (arg & 16) k_fd_setfd(1, 1); // stdout close-on-exec: the new program writes to nothing
    return 100 + k_exec(P(&rq));
  }
  case 'r': { // (check) reads a byte from stdin, then exits
    uint8_t b;
    iov[0].buf = &b;
    iov[0].buf_len = 1;
    uint32_t n;
    raw_fd_read(0, P(iov), 1, P(&n));
    return 0;
  }
  case 'o': { // (check) exits with how many of descriptors 40-47 it has
    int c = 0;
    for (I f = 40; f < 48; f++) c += k_fd_getfd(f, P(&arg)) == 0;
    return c;
  }
  case 'g': { // a grandchild that outlives it (reparented)
    memset(&rq, 0, sizeof rq);
    I n;
    rq.path = (uint32_t)put_str(scratch, PROGRAM, &n);
    rq.path_len = (uint32_t)n;
    static const char av[] = "fuzz_isk\0child\0s\0" "30";
    rq.argv = P(av);
    rq.argv_len = sizeof av;
    I pid;
    k_spawn(P(&rq), P(&pid));
    return 0;
  }
  default: return (int)(arg % 64);
  }
}

// ---- setup: its own session, watchdog, home, scripts ----

static void write_file(const char *name, const char *text, uint32_t mode) {
  uint32_t fd;
  if (raw_path_open(3, 0, P(name), (I)strlen(name), __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, -1, -1, 0, P(&fd)) != 0)
    return;
  iov[0].buf = (uint8_t *)(uintptr_t)text;
  iov[0].buf_len = strlen(text);
  uint32_t n;
  raw_fd_write((I)fd, P(iov), 1, P(&n));
  raw_fd_close((I)fd);
  k_chmod(3, P(name), (I)strlen(name), (I)mode, 0);
}

static void setup(I self) {
  I sid;
  // EPERM if it leads a group already (the host's processes do; a child spawned with
  // SETPGROUP 0): then its group is its pid either way, with only its own children in it.
  k_setsid(P(&sid));
  for (I s = 1; s < 32; s++) {
    if (!(SELF_SIGS & BIT(s))) continue;
    uint32_t act[3] = {below(3) ? 2u : 1u, 0, 0};
    if (s == SIGALRM) act[0] = 2;
    k_sigaction(s, P(act), 0);
  }
  // home: the preopen's path, from getcwd after fchdir to it.
  k_fchdir(3);
  uint32_t n = 0;
  if (k_getcwd(P(home), sizeof home, P(&n)) != 0 || n < 2) {
    fprintf(stderr, "fuzz_isk: fd 3 is not a directory\n");
    exit(2);
  }
  home_len = n - 1;
  // A fuzzing child (z) runs where fd 3 is, which its spawn's file actions may have changed:
  // it fuzzes only in a directory the test gave a fuzzer (/isk-SEED, a tmpfs of its own).
  if (depth > 0 && (k_fchdir(3) != 0 || strncmp(home, "/isk-", 5) != 0)) exit(3);
  seed_port = (uint16_t)(20000 + (self % 512) * 64);
  if (depth > 0) {
    watchdog();
    return;
  }
  raw_path_create_directory(3, P("d"), 1);
  raw_path_create_directory(3, P("d/e"), 3);
  write_file("a", "plain\n", 0644);
  write_file("noexec", "#!" PROGRAM " child\n", 0644);
  write_file("script", "#!" PROGRAM " child\n", 0755);
  write_file("loop1", "#!loop2\n", 0755);
  write_file("loop2", "#!loop1\n", 0755);
  write_file("s", "#!/hostile/nonexistent.wasm\n", 0755);
  if (below(2)) { // the kernel's log reader (only one process gets it): the queue holds records from now on
    I fd;
    if (k_log_reader(4, P(&fd)) == 0) remember(fd);
  }
  watchdog();
}

/** The end: every child killed and reaped (within a bound), the watchdog stopped. */
static void teardown(void) {
  watchdog();
  for (int i = 0; i < nkids; i++) {
    k_kill(kids[i], SIGKILL);
  }
  uint64_t end = now_ms() + 3000;
  for (;;) {
    I st = 0, pid;
    int e = k_wait(-1, 0, P(&st), P(&pid));
    status_seen(e, st);
    if (e == E_CHILD || now_ms() > end) break;
  }
  k_setitimer(0, 0, 0, 0);
}


// ---- check: regressions for the bugs the fuzzer found, with exact errnos ----

static int failed;

static void expect(const char *what, int got, int want) {
  printf("%s %s: errno %d (want %d)\n", got == want ? "ok" : "FAIL", what, got, want);
  if (got != want) failed++;
}

/**
 * Descriptors at or above a lowered RLIMIT_NOFILE stay open and take no number below it:
 * every call that makes descriptors finds the free numbers below the limit (it answered
 * EMFILE when the count of open descriptors, those above the limit included, reached it).
 */
static void check_nofile_above_limit(void) {
  struct rl old, low;
  k_getrlimit(7, P(&old));
  for (I fd = 40; fd < 48; fd++) k_dup2(1, fd, 0);     // 8 open above the limit-to-be
  low = (struct rl){12, old.max};
  expect("setrlimit NOFILE 12 with 0-3 and 40-47 open", k_setrlimit(7, P(&low)), 0);
  I two[2], fd;
  expect("pipe below the lowered limit", k_pipe(P(two), 0), 0);
  expect("socket below the lowered limit", k_socket(3, 6, 0, P(&fd)), 0);
  I pair[2];
  expect("socketpair below the lowered limit", k_socketpair(3, 6, 0, P(pair)), 0);
  expect("log_open below the lowered limit", k_log_open(P("fuzz"), 4, 1, 6, 0, P(&fd)), 0);
  uint32_t ofd;
  expect("path_open below the lowered limit",
         raw_path_open(3, 0, P("check"), 5, __WASI_OFLAGS_CREAT, -1, -1, 0, P(&ofd)), 0);
  // spawn with a PIPE action: the caller's end below the limit too
  memset(&rq, 0, sizeof rq);
  memset(acts, 0, sizeof acts);
  I n, pid;
  rq.path = (uint32_t)put_str(scratch, PROGRAM, &n);
  rq.path_len = (uint32_t)n;
  static const char av[] = "fuzz_isk\0child\0x\0" "0";
  rq.argv = P(av);
  rq.argv_len = sizeof av;
  acts[0] = (struct action){.kind = 8, .fd = 0, .arg = 1};
  rq.actions = P(acts);
  rq.actions_count = 1;
  expect("spawn with a PIPE action below the lowered limit", k_spawn(P(&rq), P(&pid)), 0);
  // now full: 0-11 taken
  uint32_t next = 0;
  k_fd_next(4, P(&next));
  I more = 0;
  for (I f = 0; f < 12; f++) more += k_fd_getfd(f, P(&next)) == 0;
  expect("the numbers below the limit all taken", more == 12 ? 0 : 1, 0);
  expect("pipe with no number free below the limit", k_pipe(P(two), 0), 33);
  expect("socket with no number free below the limit", k_socket(3, 6, 0, P(&fd)), 33);
  expect("path_open with no number free below the limit",
         raw_path_open(3, 0, P("check"), 5, 0, -1, -1, 0, P(&ofd)), 33);
  expect("dupfd with min at the limit (EINVAL, as F_DUPFD)", k_dupfd(1, 12, 0, P(&fd)), 28);
  expect("dupfd with min above the limit", k_dupfd(1, 1000, 0, P(&fd)), 28);
  expect("dupfd with none free from min up to the limit", k_dupfd(1, 11, 0, P(&fd)), 33);
  I st;
  k_wait(pid, 0, P(&st), P(&pid));
  // A child keeps them too, as fork and execve do (it started without them).
  for (I f = 4; f < 12; f++) raw_fd_close(f);
  static const char av2[] = "fuzz_isk\0child\0o";
  rq.argv = P(av2);
  rq.argv_len = sizeof av2;
  rq.actions_count = 0;
  expect("spawn of a child with descriptors above the limit", k_spawn(P(&rq), P(&pid)), 0);
  st = -1;
  k_wait(pid, 0, P(&st), P(&pid));
  expect("the child has descriptors 40-47 (exit status 8 << 8)", st, 8 << 8);
  for (I f = 4; f < 48; f++) raw_fd_close(f);
  k_setrlimit(7, P(&old));
}

/**
 * Spawns this program as a child asleep reading a pipe (the spawn's PIPE action makes it), and
 * gives it 30 ms to get there; returns the pipe's write end (a byte wakes the child, which
 * then ends), or -1 if the spawn failed.
 */
static I spawn_reader(I *pid) {
  memset(&rq, 0, sizeof rq);
  memset(acts, 0, sizeof acts);
  I n;
  rq.path = (uint32_t)put_str(scratch, PROGRAM, &n);
  rq.path_len = (uint32_t)n;
  static const char av[] = "fuzz_isk\0child\0r";
  rq.argv = P(av);
  rq.argv_len = sizeof av;
  acts[0] = (struct action){.kind = 8, .fd = 0, .arg = 1};
  rq.actions = P(acts);
  rq.actions_count = 1;
  if (k_spawn(P(&rq), P(pid)) != 0) return -1;
  I w = (I)acts[0].reserved;
  sleep_ms(30);
  return w;
}

/** Writes one byte to `w`. */
static void poke(I w) {
  iov[0].buf = (uint8_t *)"x";
  iov[0].buf_len = 1;
  uint32_t nw;
  raw_fd_write(w, P(iov), 1, P(&nw));
}

/**
 * bind and listen of a TCP socket sleep while the host binds (till Node's 'listening',
 * after the microtasks that run now). A caught signal that comes meanwhile — SIGCHLD from a
 * child that ends in those microtasks — made them return EINTR, and the socket could not
 * listen again (EINVAL): Linux's never sleep, and programs do not retry them on EINTR.
 */
static void check_listen_signal(void) {
  uint32_t act[3] = {2, 0, 0};
  k_sigaction(SIGCHLD, P(act), 0);
  int intr = 0, later = 0;
  for (int i = 0; i < 8; i++) {
    // A child asleep reading a pipe; a byte wakes it, and it ends while the call sleeps.
    I pid = -1, fd = -1, st;
    I w = spawn_reader(&pid);
    if (w < 0) break;
    k_socket(1 + i % 2, 6, 0, P(&fd));
    poke(w);
    int e;
    if (i % 4 < 2) {
      e = k_listen(fd, 1);
    } else {
      uint8_t a[28] = {0};
      a[0] = (uint8_t)(1 + i % 2);
      if (i % 2 == 0) a[4] = 127, a[7] = 1;
      else a[23] = 1;
      e = k_bind(fd, P(a), i % 2 == 0 ? 16 : 28);
    }
    if (e == 27) intr++;
    if (e != 0 && k_listen(fd, 1) != 0) later++;
    raw_fd_close(fd);
    raw_fd_close(w);
    k_wait(pid, 0, P(&st), P(&pid));
  }
  expect("bind or listen of a TCP socket with SIGCHLD meanwhile: EINTR (count)", intr, 0);
  expect("listen after that failed (count)", later, 0);
  act[0] = 0;
  k_sigaction(SIGCHLD, P(act), 0);
}

/** spawn sleeps while an uncached program compiles: a SIGCHLD meanwhile must not fail it. */
static void check_spawn_signal(void) {
  uint32_t act[3] = {2, 0, 0};
  k_sigaction(SIGCHLD, P(act), 0);
  static const char *const PROGS[] = {"/hostile/neighbour.wasm", "/hostile/badargs.wasm", "/hostile/fuzz.wasm"};
  int intr = 0;
  for (int i = 0; i < 3; i++) {
    I n, pid = -1, pid2 = -1, st;
    I w = spawn_reader(&pid);
    if (w < 0) break;
    poke(w);
    memset(&rq, 0, sizeof rq);
    rq.path = (uint32_t)put_str(scratch, PROGS[i], &n);
    rq.path_len = (uint32_t)n;
    static const char av2[] = "neighbour"; // whatever it says goes to /dev/null
    rq.argv = P(av2);
    rq.argv_len = sizeof av2;
    memset(acts, 0, sizeof acts);
    static const char null[] = "/dev/null";
    acts[0] = (struct action){.kind = 1, .fd = 1, .arg = O_WRONLY, .path = P(null), .path_len = sizeof null - 1};
    acts[1] = (struct action){.kind = 1, .fd = 2, .arg = O_WRONLY, .path = P(null), .path_len = sizeof null - 1};
    rq.actions = P(acts);
    rq.actions_count = 2;
    int e = k_spawn(P(&rq), P(&pid2));
    if (e == 27) intr++;
    raw_fd_close(w);
    k_wait(pid, 0, P(&st), P(&pid));
    if (e == 0) k_wait(pid2, 0, P(&st), P(&pid2));
  }
  expect("spawn of an uncached program with SIGCHLD meanwhile: EINTR (count)", intr, 0);
  act[0] = 0;
  k_sigaction(SIGCHLD, P(act), 0);
}

static int check(void) {
  I self;
  k_getpid(P(&self));
  raw_path_create_directory(3, P("."), 1); // (fd 3 must be its directory)
  check_nofile_above_limit();
  check_listen_signal();
  check_spawn_signal();
  printf("PASS: %d failed\n", failed);
  return failed ? 1 : 0;
}

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "child") == 0) return child(argc, argv);
  if (argc == 2 && strcmp(argv[1], "check") == 0) return check();
  if (argc != 4) {
    fprintf(stderr, "usage: fuzz_isk SEED CALLS MS | fuzz_isk child MODE [ARG]\n");
    return 2;
  }
  state = strtoull(argv[1], NULL, 0);
  uint32_t max_calls = (uint32_t)strtoul(argv[2], NULL, 0);
  uint64_t deadline = now_ms() + strtoull(argv[3], NULL, 0);
  __builtin_wasm_memory_grow(0, 1); // a page of its own at the top, for pointers that straddle the end
  I self = 0;
  k_getpid(P(&self));
  setup(self);
  fuzz(self, max_calls, deadline);
  teardown();
  restore_limits();
  if (child_reports) report("a fuzzing child found the kernel at fault (its stderr says how)", 0, (int)child_reports, 0);
  if (getenv("FUZZ_ISK_PAIRS")) {
    for (uint32_t f = 0; f < FUNCS; f++) {
      printf("%s:", FN_NAMES[f]);
      for (uint32_t e = 0; e < 80; e++)
        if (seen[f][e]) printf(" %u", e);
      printf("\n");
    }
  }
  printf("\nfuzz_isk: seed=%s calls=%u ok=%u pairs=%u children=%u signals=%u\n", argv[1], calls, ok, pairs,
         spawned, caught);
  return 0;
}
