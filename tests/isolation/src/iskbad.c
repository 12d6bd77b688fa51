// Hostile pointers to every call of the `isokernel` import module (tests/hostile/badargs.c
// does the same for wasi_snapshot_preview1): each pointer argument in turn is the end of
// memory, a range straddling it, and 0xffffffff, the other arguments valid; every call must
// answer EFAULT and change nothing. Calls without pointers get hostile numbers (bad
// descriptors, signals, resources) and must answer their errno. The spawn request's inner
// pointers are tried one by one too. Prints "ok CALL ..." or "FAIL CALL ...", one per check,
// then "iskbad: N checks, F failed"; exits 0 if none failed.
#include <isokernel.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define IMP(name) __attribute__((import_module("isokernel"), import_name(#name)))
typedef uint32_t U;
typedef int32_t I;
int raw_spawn(U req, U pid_out) IMP(spawn);
int raw_wait(I pid, I options, U status_out, U pid_out) IMP(wait);
int raw_kill(I pid, I sig) IMP(kill);
int raw_getpid(U out) IMP(getpid);
int raw_getppid(U out) IMP(getppid);
int raw_getpgid(I pid, U out) IMP(getpgid);
int raw_getsid(I pid, U out) IMP(getsid);
int raw_setpgid(I pid, I pgid) IMP(setpgid);
int raw_setsid(U out) IMP(setsid);
int raw_chdir(U path, U len) IMP(chdir);
int raw_fchdir(I fd) IMP(fchdir);
int raw_getcwd(U buf, U len, U len_out) IMP(getcwd);
int raw_sigaction(I sig, U act, U oldact) IMP(sigaction);
int raw_sigprocmask(I how, U set, U oldset) IMP(sigprocmask);
int raw_sigpending(U out) IMP(sigpending);
int raw_sigsuspend(U mask) IMP(sigsuspend);
int raw_alarm(U seconds, U prev_out) IMP(alarm);
int raw_setitimer(I which, int64_t value, int64_t interval, U old_out) IMP(setitimer);
int raw_pipe(U fds_out, I flags) IMP(pipe);
int raw_dup(I fd, U out) IMP(dup);
int raw_dup2(I fd, I newfd, I flags) IMP(dup2);
int raw_dupfd(I fd, I min, I flags, U out) IMP(dupfd);
int raw_fd_getfd(I fd, U out) IMP(fd_getfd);
int raw_fd_setfd(I fd, I flags) IMP(fd_setfd);
int raw_umask(U mask, U old_out) IMP(umask);
int raw_fstat(I fd, U buf) IMP(fstat);
int raw_fstatat(I dirfd, U path, U len, I flags, U buf) IMP(fstatat);
int raw_chmod(I dirfd, U path, U len, U mode, I flags) IMP(chmod);
int raw_fchmod(I fd, U mode) IMP(fchmod);
int raw_uname(U buf) IMP(uname);
int raw_statvfs(I fd, U buf) IMP(statvfs);
int raw_getids(U out) IMP(getids);
int raw_getrlimit(I resource, U out) IMP(getrlimit);
int raw_setrlimit(I resource, U in) IMP(setrlimit);
int raw_prlimit(I pid, I resource, U new_limit, U old_limit) IMP(prlimit);
int raw_preempt(void) IMP(preempt);
int raw_memory_grow(U delta) IMP(memory_grow);

static int checks, failed;
static void on_alarm(int sig) { (void)sig; }
static uint8_t scratch[512] __attribute__((aligned(16)));
#define P ((U)(uintptr_t)scratch)

static U mem_end(void) { return (U)(__builtin_wasm_memory_size(0) * 65536); }

static void expect(const char *call, int got, int want) {
  checks++;
  if (got == want) {
    printf("ok %s = %d\n", call, got);
  } else {
    failed++;
    printf("FAIL %s = %d, expected %d\n", call, got, want);
  }
}

/* Each hostile pointer for an argument of `size` bytes: past the end, straddling it, the top. */
static U bad(int i, U size) {
  switch (i) {
  case 0: return mem_end();
  case 1: return mem_end() - (size > 1 ? size - 1 : 0);
  default: return 0xffffffffu;
  }
}

#define EACH_BAD(size, what, expr)                                                         \
  for (int _i = 0; _i < 3; _i++) {                                                         \
    U b = bad(_i, (size));                                                                 \
    char _name[160];                                                                       \
    snprintf(_name, sizeof _name, "%s(%s=0x%x)", what, _i == 0 ? "end" : _i == 1 ? "straddle" : "max", b); \
    expect(_name, (expr), __WASI_ERRNO_FAULT);                                             \
  }

/* The spawn request, 64 bytes (docs/abi.md): a missing program, so a valid one is ENOENT. */
struct req {
  U path, path_len, argv, argv_len, env, env_len, actions, actions_count;
  U flags;
  I pgroup;
  U sigmask, sigdefault, search, search_len, cwd, cwd_len;
};

static void spawn_checks(void) {
  static char path[] = "/no/such/program";
  static char args[] = "x\0";
  static uint8_t action[32];
  static struct req r;
  struct req good = {(U)(uintptr_t)path, sizeof path - 1, (U)(uintptr_t)args, 2, (U)(uintptr_t)args, 0,
                     (U)(uintptr_t)action, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  int32_t pid;
  r = good;
  expect("spawn(valid, missing program)", raw_spawn((U)(uintptr_t)&r, (U)(uintptr_t)&pid), __WASI_ERRNO_NOENT);
  EACH_BAD(64, "spawn req", raw_spawn(b, (U)(uintptr_t)&pid));
  EACH_BAD(4, "spawn pid_out", raw_spawn((U)(uintptr_t)&r, b));
  /* Inner pointers, one at a time: path, argv, env, actions (one 32-byte action), search, cwd. */
  struct { const char *name; int ptr, len; U len_value; U flags; } inner[] = {
      {"spawn req.path", 0, 1, 4, 0},      {"spawn req.argv", 2, 3, 2, 0},
      {"spawn req.env", 4, 5, 2, 0},       {"spawn req.actions", 6, 7, 1, 0},
      {"spawn req.search", 12, 13, 4, 16}, {"spawn req.cwd", 14, 15, 4, 0},
  };
  for (unsigned k = 0; k < sizeof inner / sizeof inner[0]; k++) {
    for (int i = 0; i < 3; i++) {
      r = good;
      U *f = (U *)&r;
      U size = inner[k].ptr == 6 ? 32 : inner[k].len_value;
      f[inner[k].ptr] = bad(i, size);
      f[inner[k].len] = inner[k].len_value;
      r.flags = inner[k].flags;
      if (inner[k].ptr == 12) { /* SEARCH needs a path without '/' */
        static char bare[] = "nosuch";
        r.path = (U)(uintptr_t)bare;
        r.path_len = sizeof bare - 1;
      }
      char name[96];
      snprintf(name, sizeof name, "%s=0x%x", inner[k].name, f[inner[k].ptr]);
      expect(name, raw_spawn((U)(uintptr_t)&r, (U)(uintptr_t)&pid), __WASI_ERRNO_FAULT);
    }
  }
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  spawn_checks();
  EACH_BAD(4, "wait status_out", raw_wait(-1, 0, b, P));
  EACH_BAD(4, "wait pid_out", raw_wait(-1, 0, 0, b));
  expect("wait(no children)", raw_wait(-1, 0, 0, P), __WASI_ERRNO_CHILD);
  expect("kill(sig 99)", raw_kill(0, 99), __WASI_ERRNO_INVAL);
  expect("kill(pid 99999)", raw_kill(99999, 0), __WASI_ERRNO_SRCH);
  EACH_BAD(4, "getpid", raw_getpid(b));
  EACH_BAD(4, "getppid", raw_getppid(b));
  EACH_BAD(4, "getpgid", raw_getpgid(0, b));
  EACH_BAD(4, "getsid", raw_getsid(0, b));
  expect("getpgid(pid 99999)", raw_getpgid(99999, P), __WASI_ERRNO_SRCH);
  expect("setpgid(pgid -1)", raw_setpgid(0, -1), __WASI_ERRNO_INVAL);
  EACH_BAD(4, "setsid", raw_setsid(b));
  EACH_BAD(4, "chdir path", raw_chdir(b, 4));
  expect("fchdir(fd -1)", raw_fchdir(-1), __WASI_ERRNO_BADF);
  EACH_BAD(4, "getcwd len_out", raw_getcwd(P, 64, b));
  EACH_BAD(2, "getcwd buf", raw_getcwd(b, 2, P + 256)); /* "/" and its NUL: what is written */
  EACH_BAD(12, "sigaction act", raw_sigaction(10, b, 0));
  EACH_BAD(12, "sigaction oldact", raw_sigaction(10, 0, b));
  expect("sigaction(sig 0)", raw_sigaction(0, 0, 0), __WASI_ERRNO_INVAL);
  EACH_BAD(4, "sigprocmask set", raw_sigprocmask(0, b, 0));
  EACH_BAD(4, "sigprocmask oldset", raw_sigprocmask(0, 0, b));
  EACH_BAD(4, "sigpending", raw_sigpending(b));
  EACH_BAD(4, "alarm prev_out", raw_alarm(0, b));
  EACH_BAD(16, "setitimer old_out", raw_setitimer(0, 0, 0, b));
  expect("setitimer(which 7)", raw_setitimer(7, 0, 0, 0), __WASI_ERRNO_INVAL);
  EACH_BAD(8, "pipe fds_out", raw_pipe(b, 0));
  EACH_BAD(4, "dup fd_out", raw_dup(1, b));
  expect("dup2(fd -1)", raw_dup2(-1, 5, 0), __WASI_ERRNO_BADF);
  expect("dup2(newfd -1)", raw_dup2(1, -1, 0), __WASI_ERRNO_BADF);
  EACH_BAD(4, "dupfd fd_out", raw_dupfd(1, 10, 0, b));
  EACH_BAD(4, "fd_getfd flags_out", raw_fd_getfd(1, b));
  expect("fd_setfd(fd 9999)", raw_fd_setfd(9999, 1), __WASI_ERRNO_BADF);
  EACH_BAD(4, "umask old_out", raw_umask(0777, b));
  EACH_BAD(72, "fstat buf", raw_fstat(1, b));
  EACH_BAD(72, "fstatat buf", raw_fstatat(3, (U)(uintptr_t)".", 1, 0, b));
  EACH_BAD(4, "fstatat path", raw_fstatat(3, b, 4, 0, P));
  EACH_BAD(4, "chmod path", raw_chmod(3, b, 4, 0644, 0));
  expect("fchmod(fd -1)", raw_fchmod(-1, 0644), __WASI_ERRNO_BADF);
  EACH_BAD(390, "uname buf", raw_uname(b));
  EACH_BAD(88, "statvfs buf", raw_statvfs(3, b));
  EACH_BAD(16, "getids out", raw_getids(b));
  EACH_BAD(16, "getrlimit out", raw_getrlimit(7, b));
  EACH_BAD(16, "setrlimit in", raw_setrlimit(7, b));
  EACH_BAD(16, "prlimit new", raw_prlimit(0, 7, b, 0));
  EACH_BAD(16, "prlimit old", raw_prlimit(0, 7, 0, b));
  expect("getrlimit(resource 99)", raw_getrlimit(99, P), __WASI_ERRNO_INVAL);
  expect("prlimit(pid 99999)", raw_prlimit(99999, 7, 0, P), __WASI_ERRNO_SRCH);
  /* sigsuspend has no pointer: it sleeps until a caught signal, EINTR. */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval it = {{0, 0}, {0, 10000}};
  setitimer(ITIMER_REAL, &it, NULL);
  expect("sigsuspend(empty mask)", raw_sigsuspend(0), __WASI_ERRNO_INTR);
  expect("preempt()", raw_preempt() >= 0 ? 0 : -1, 0);
  expect("memory_grow(2^31 pages)", raw_memory_grow(0x80000000u), -1);
  /* A failed call changed nothing: the mask, the umask, the descriptor limit. */
  static uint32_t block_all = 0x7fffffff;
  EACH_BAD(4, "sigprocmask(BLOCK all) oldset", raw_sigprocmask(0, (U)(uintptr_t)&block_all, b));
  static uint64_t five[2] = {5, 5};
  EACH_BAD(16, "prlimit(nofile 5) old", raw_prlimit(0, 7, (U)(uintptr_t)five, b));
  uint32_t *w = (uint32_t *)scratch;
  uint64_t *q = (uint64_t *)scratch;
  expect("mask unchanged", raw_sigprocmask(0, 0, P) == 0 && w[0] == 0 ? 0 : 1, 0);
  expect("umask unchanged", raw_umask(022, P) == 0 && w[0] == 022 ? 0 : 1, 0);
  expect("nofile unchanged", raw_getrlimit(7, P) == 0 && q[0] != 5 && q[1] != 5 ? 0 : 1, 0);
  printf("iskbad: %d checks, %d failed\n", checks, failed);
  return failed ? 1 : 0;
}
