// Shared helpers for the process test programs (tests/proc/README.md).
//
// The same source builds for wasm32-wasi against lib/libisokernel.a (the kernel runner
// serves the built programs read-only at /t and runs /t/NAME.wasm) and natively with gcc
// (the programs are siblings without an extension). Children are found next to argv[0]:
// CHILD("helper") is /t/helper.wasm in the kernel, DIR/helper natively.
//
// A failed check prints `file.c:LINE: what` on stderr and exits with status 1. Programs
// print their findings on stdout, which the header of each program pins down.
#ifndef PROC_TEST_H
#define PROC_TEST_H

#include <isokernel.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef __wasi__
#define PROG_EXT ".wasm"
#else
#define PROG_EXT ""
#endif

static const char *proc_argv0 = "";

/** Call first in main: remembers argv[0] and makes stdout unbuffered, so a parent's
 * output and its children's (on the same stdout) come out in the order written. */
static inline void proc_init(int argc, char **argv) {
  (void)argc;
  proc_argv0 = argv[0];
  setvbuf(stdout, NULL, _IONBF, 0);
}

__attribute__((format(printf, 3, 4))) static inline _Noreturn void proc_fail(const char *file,
                                                                            int line,
                                                                            const char *fmt,
                                                                            ...) {
  va_list ap;
  fprintf(stderr, "%s:%d: ", file, line);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  exit(1);
}
#define FAIL(...) proc_fail(__FILE__, __LINE__, __VA_ARGS__)

/** The condition holds. */
#define CHECK(cond)                                                                      \
  do {                                                                                   \
    if (!(cond)) FAIL("%s", #cond);                                                      \
  } while (0)

/** A POSIX call that returns -1 and sets errno on failure succeeds; yields its result. */
#define CHECK_OK(expr)                                                                   \
  ({                                                                                     \
    errno = 0;                                                                           \
    long _r = (long)(expr);                                                              \
    if (_r == -1) FAIL("%s: %s", #expr, strerror(errno));                                \
    _r;                                                                                  \
  })

/** A POSIX call fails with -1 and errno `e`. */
#define CHECK_ERR(expr, e)                                                               \
  do {                                                                                   \
    errno = 0;                                                                           \
    long _r = (long)(expr);                                                              \
    int _e = errno;                                                                      \
    if (_r != -1 || _e != (e))                                                           \
      FAIL("%s: expected -1 with %s, got %ld (errno %s)", #expr, #e, _r, strerror(_e));  \
  } while (0)

/** A call that returns an error number (posix_spawn and friends) returns `e` (0 = success). */
#define CHECK_RET(expr, e)                                                               \
  do {                                                                                   \
    int _r = (expr);                                                                     \
    if (_r != (e)) FAIL("%s: expected %s, got %d (%s)", #expr, #e, _r, strerror(_r));    \
  } while (0)

#define CHECK_EQ(a, b)                                                                   \
  do {                                                                                   \
    long _a = (long)(a), _b = (long)(b);                                                 \
    if (_a != _b) FAIL("%s == %s: %ld != %ld", #a, #b, _a, _b);                          \
  } while (0)

#define CHECK_STR(a, b)                                                                  \
  do {                                                                                   \
    const char *_a = (a), *_b = (b);                                                     \
    if (strcmp(_a, _b) != 0) FAIL("%s == %s: \"%s\" != \"%s\"", #a, #b, _a, _b);         \
  } while (0)

/** What a wait status says, for messages. */
static inline const char *describe_status(int st) {
  static char buf[64];
  if (WIFEXITED(st)) snprintf(buf, sizeof buf, "exited %d", WEXITSTATUS(st));
  else if (WIFSIGNALED(st)) snprintf(buf, sizeof buf, "killed by signal %d", WTERMSIG(st));
  else if (WIFSTOPPED(st)) snprintf(buf, sizeof buf, "stopped by signal %d", WSTOPSIG(st));
  else if (WIFCONTINUED(st)) snprintf(buf, sizeof buf, "continued");
  else snprintf(buf, sizeof buf, "status 0x%x", st);
  return buf;
}

#define CHECK_EXITED(st, code)                                                           \
  do {                                                                                   \
    int _s = (st);                                                                       \
    if (!WIFEXITED(_s) || WEXITSTATUS(_s) != (code))                                     \
      FAIL("expected exit %d, got %s", (code), describe_status(_s));                     \
  } while (0)

#define CHECK_KILLED(st, sig)                                                            \
  do {                                                                                   \
    int _s = (st);                                                                       \
    if (!WIFSIGNALED(_s) || WTERMSIG(_s) != (sig))                                       \
      FAIL("expected death by signal %d, got %s", (sig), describe_status(_s));           \
  } while (0)

/** The directory holding argv[0] (malloc'd). */
static inline char *proc_dir(void) {
  const char *slash = strrchr(proc_argv0, '/');
  if (!slash) return strdup(".");
  if (slash == proc_argv0) return strdup("/");
  return strndup(proc_argv0, (size_t)(slash - proc_argv0));
}

/** A file next to argv[0] (malloc'd). */
static inline char *sibling(const char *name) {
  char *dir = proc_dir();
  size_t n = strlen(dir) + 1 + strlen(name) + 1;
  char *out = malloc(n);
  snprintf(out, n, "%s/%s", dir, name);
  free(dir);
  return out;
}

/** A program next to argv[0]: NAME.wasm in the kernel, NAME natively. */
#define CHILD(name) sibling(name PROG_EXT)

/** path1/path2 (malloc'd). */
static inline char *join_path(const char *a, const char *b) {
  size_t n = strlen(a) + 1 + strlen(b) + 1;
  char *out = malloc(n);
  snprintf(out, n, "%s/%s", a, b);
  return out;
}

/**
 * Spawns the helper program with a sub-command and its arguments (NULL-terminated), with
 * the given file actions and attributes (either may be NULL); its argv[0] is its path.
 * Returns the error number.
 */
static inline int spawn_helper_v(pid_t *pid, const posix_spawn_file_actions_t *fa,
                                 const posix_spawnattr_t *attr, va_list ap) {
  char *argv[32];
  int n = 0;
  char *path = CHILD("helper");
  argv[n++] = path;
  const char *a;
  while ((a = va_arg(ap, const char *)) != NULL && n < 31) argv[n++] = (char *)a;
  argv[n] = NULL;
  int err = posix_spawn(pid, path, fa, attr, argv, environ);
  free(path);
  return err;
}

static inline int spawn_helper(pid_t *pid, const posix_spawn_file_actions_t *fa,
                               const posix_spawnattr_t *attr, ...) {
  va_list ap;
  va_start(ap, attr);
  int err = spawn_helper_v(pid, fa, attr, ap);
  va_end(ap);
  return err;
}

/** Spawns the helper (see spawn_helper) and fails the test if that fails. */
static inline pid_t start_helper(const posix_spawn_file_actions_t *fa,
                                 const posix_spawnattr_t *attr, ...) {
  va_list ap;
  va_start(ap, attr);
  pid_t pid = -1;
  int err = spawn_helper_v(&pid, fa, attr, ap);
  va_end(ap);
  if (err) FAIL("posix_spawn helper: %s", strerror(err));
  return pid;
}

/** Waits for `pid` (retrying after EINTR) and returns its status. */
static inline int wait_for(pid_t pid) {
  int st = 0;
  for (;;) {
    pid_t r = waitpid(pid, &st, 0);
    if (r == pid) return st;
    if (r == -1 && errno == EINTR) continue;
    FAIL("waitpid(%d): returned %d (%s)", (int)pid, (int)r, strerror(errno));
  }
}

/** Reads `fd` to end of file (retrying after EINTR); returns a malloc'd string. */
static inline char *read_all(int fd) {
  size_t cap = 256, len = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (len + 1 >= cap) buf = realloc(buf, cap *= 2);
    ssize_t n = read(fd, buf + len, cap - len - 1);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      FAIL("read: %s", strerror(errno));
    }
    len += (size_t)n;
  }
  buf[len] = '\0';
  return buf;
}

/**
 * Makes a pipe p and file actions fa (initialised; the caller destroys them) that give a
 * spawned child the pipe's write end as its stdout and close both ends' other numbers.
 */
static inline void stdout_to_pipe(posix_spawn_file_actions_t *fa, int p[2]) {
  CHECK_OK(pipe(p));
  posix_spawn_file_actions_init(fa);
  posix_spawn_file_actions_adddup2(fa, p[1], 1);
  posix_spawn_file_actions_addclose(fa, p[0]);
  posix_spawn_file_actions_addclose(fa, p[1]);
}

/**
 * Runs the helper (sub-command and arguments, NULL-terminated) with its stdout on a pipe
 * and returns what it wrote (malloc'd); its wait status goes to *status.
 */
static inline char *capture_helper(int *status, ...) {
  int p[2];
  posix_spawn_file_actions_t fa;
  stdout_to_pipe(&fa, p);
  va_list ap;
  va_start(ap, status);
  pid_t pid = -1;
  int err = spawn_helper_v(&pid, &fa, NULL, ap);
  va_end(ap);
  posix_spawn_file_actions_destroy(&fa);
  if (err) FAIL("posix_spawn helper: %s", strerror(err));
  close(p[1]);
  char *out = read_all(p[0]);
  close(p[0]);
  *status = wait_for(pid);
  return out;
}

/** Sleeps `ms` milliseconds (the whole time, even if signals arrive). */
static inline void msleep(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
  }
}

/** Monotonic milliseconds. */
static inline long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/** Installs `fn` for `sig` with the given flags and an empty sa_mask. */
static inline void on_signal(int sig, void (*fn)(int), int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = fn;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = flags;
  if (sigaction(sig, &sa, NULL) != 0) FAIL("sigaction(%d): %s", sig, strerror(errno));
}

/** A set holding just `sig`. */
static inline sigset_t set_of(int sig) {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, sig);
  return s;
}

/** Whether `sig` is blocked now. */
static inline int is_blocked(int sig) {
  sigset_t cur;
  sigprocmask(SIG_BLOCK, NULL, &cur);
  return sigismember(&cur, sig) == 1;
}

/** Writes all of `s` to `fd`. */
static inline void write_str(int fd, const char *s) {
  size_t len = strlen(s);
  while (len > 0) {
    ssize_t n = write(fd, s, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      FAIL("write: %s", strerror(errno));
    }
    s += n;
    len -= (size_t)n;
  }
}

/** Creates (or truncates) `path` holding `content`. */
static inline void make_file(const char *path, const char *content) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) FAIL("open %s: %s", path, strerror(errno));
  write_str(fd, content);
  close(fd);
}

/** The contents of `path` (malloc'd). */
static inline char *file_contents(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) FAIL("open %s: %s", path, strerror(errno));
  char *s = read_all(fd);
  close(fd);
  return s;
}

/** mkdir that tolerates an existing directory. */
static inline void make_dir(const char *path) {
  if (mkdir(path, 0755) != 0 && errno != EEXIST) FAIL("mkdir %s: %s", path, strerror(errno));
}

/** The last component of a path (a pointer into it). */
static inline const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

#endif
