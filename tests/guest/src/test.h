// Shared helpers for the guest test programs (tests/guest/README.md).
//
// Each program calls the raw preview1 functions from <wasi/api.h>, which return the errno
// itself, and checks it with the macros below. A failed check prints
//   file.c:LINE: call: expected EBADF, got ENOENT
// on stderr and exits with status 1. Helpers that set up state (make_file, workdir, ...)
// fail the same way, so a program reads as a list of expectations.
#ifndef GUEST_TEST_H
#define GUEST_TEST_H

#include <wasi/api.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** The scratch directory: the runner's first preopen. */
#define SCRATCH 3
/** A descriptor number no test ever opens. */
#define BAD_FD ((__wasi_fd_t)1000)
/** An address past the end of linear memory: every argument pointing there is EFAULT. */
#define BAD_PTR ((void *)0xFFFFFFF0u)
#define BAD_ADDR ((int32_t)0xFFFFFFF0u)

#define MS ((__wasi_timestamp_t)1000000)
#define SEC ((__wasi_timestamp_t)1000000000)

// Rights. wasmtime ignores them but for FD_READ and FD_WRITE, which choose the open mode;
// uvwasi (node:wasi) enforces them all, so the programs ask for every right they may use.
/** Every right but the two socket ones. */
#define RIGHTS_ALL ((__wasi_rights_t)((1ull << 28) - 1))
/** Rights that open for writing (uvwasi counts FD_DATASYNC, FD_ALLOCATE and
 * FD_FILESTAT_SET_SIZE as writing too). */
#define RIGHTS_WRITING                                                                   \
  (__WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_ALLOCATE |       \
   __WASI_RIGHTS_FD_FILESTAT_SET_SIZE)
/** Open for reading and writing. */
#define RIGHTS_RW RIGHTS_ALL
/** Open for reading only. */
#define RIGHTS_RO (RIGHTS_ALL & ~RIGHTS_WRITING)
/** Open for writing only. */
#define RIGHTS_WO (RIGHTS_ALL & ~(__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR))
/** For opening a directory, which cannot be opened for writing (EISDIR). */
#define RIGHTS_DIR RIGHTS_RO

static const char *const ERRNO_NAMES[] = {
    "SUCCESS", "E2BIG", "EACCES", "EADDRINUSE", "EADDRNOTAVAIL", "EAFNOSUPPORT", "EAGAIN",
    "EALREADY", "EBADF", "EBADMSG", "EBUSY", "ECANCELED", "ECHILD", "ECONNABORTED",
    "ECONNREFUSED", "ECONNRESET", "EDEADLK", "EDESTADDRREQ", "EDOM", "EDQUOT", "EEXIST",
    "EFAULT", "EFBIG", "EHOSTUNREACH", "EIDRM", "EILSEQ", "EINPROGRESS", "EINTR", "EINVAL",
    "EIO", "EISCONN", "EISDIR", "ELOOP", "EMFILE", "EMLINK", "EMSGSIZE", "EMULTIHOP",
    "ENAMETOOLONG", "ENETDOWN", "ENETRESET", "ENETUNREACH", "ENFILE", "ENOBUFS", "ENODEV",
    "ENOENT", "ENOEXEC", "ENOLCK", "ENOLINK", "ENOMEM", "ENOMSG", "ENOPROTOOPT", "ENOSPC",
    "ENOSYS", "ENOTCONN", "ENOTDIR", "ENOTEMPTY", "ENOTRECOVERABLE", "ENOTSOCK", "ENOTSUP",
    "ENOTTY", "ENXIO", "EOVERFLOW", "EOWNERDEAD", "EPERM", "EPIPE", "EPROTO",
    "EPROTONOSUPPORT", "EPROTOTYPE", "ERANGE", "EROFS", "ESPIPE", "ESRCH", "ESTALE",
    "ETIMEDOUT", "ETXTBSY", "EXDEV", "ENOTCAPABLE",
};

static inline const char *errno_name(unsigned e) {
  static char other[16];
  if (e < sizeof ERRNO_NAMES / sizeof ERRNO_NAMES[0]) return ERRNO_NAMES[e];
  snprintf(other, sizeof other, "E?%u", e);
  return other;
}

__attribute__((format(printf, 3, 4))) static inline _Noreturn void test_fail(const char *file,
                                                                            int line,
                                                                            const char *fmt,
                                                                            ...) {
  va_list ap;
  fflush(stdout);
  fprintf(stderr, "%s:%d: ", file, line);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  exit(1);
}

#define FAIL(...) test_fail(__FILE__, __LINE__, __VA_ARGS__)

// Built with -DGUEST_LENIENT_ERRNO (node-wasi-check.ts --lenient), a wrong errno is reported
// and the program goes on, so one run lists every errno another WASI host disagrees on.
#ifdef GUEST_LENIENT_ERRNO
#define ERRNO_FAIL(...) (fprintf(stderr, "%s:%d: errno: ", __FILE__, __LINE__), \
                         fprintf(stderr, __VA_ARGS__), fputc('\n', stderr))
#else
#define ERRNO_FAIL(...) FAIL(__VA_ARGS__)
#endif

/** `call` returns the errno `expected`. */
#define CHECK_ERRNO(call, expected)                                                      \
  do {                                                                                   \
    unsigned got_ = (call), want_ = (expected);                                          \
    if (got_ != want_)                                                                   \
      ERRNO_FAIL("%s: expected %s, got %s", #call, errno_name(want_), errno_name(got_)); \
  } while (0)

/** `call` succeeds. */
#define CHECK_OK(call) CHECK_ERRNO(call, __WASI_ERRNO_SUCCESS)

/** `call` returns one of two errnos (used only where Linux itself allows both). */
#define CHECK_ERRNO2(call, e1, e2)                                                       \
  do {                                                                                   \
    unsigned got_ = (call);                                                              \
    if (got_ != (unsigned)(e1) && got_ != (unsigned)(e2))                                \
      ERRNO_FAIL("%s: expected %s or %s, got %s", #call, errno_name(e1), errno_name(e2),      \
           errno_name(got_));                                                            \
  } while (0)

#define CHECK(cond)                                                                      \
  do {                                                                                   \
    if (!(cond)) FAIL("check failed: %s", #cond);                                        \
  } while (0)

/** Integer equality, printing both values. */
#define CHECK_EQ(actual, expected)                                                       \
  do {                                                                                   \
    unsigned long long a_ = (unsigned long long)(actual);                                \
    unsigned long long e_ = (unsigned long long)(expected);                              \
    if (a_ != e_) FAIL("%s == %llu, expected %s == %llu", #actual, a_, #expected, e_);   \
  } while (0)

/** A NUL-terminated string equals the `len` bytes at `bytes`. */
#define CHECK_MEM(bytes, str, len)                                                       \
  do {                                                                                   \
    if (memcmp((bytes), (str), (len)) != 0)                                              \
      FAIL("%s: expected \"%.*s\", got \"%.*s\"", #bytes, (int)(len), (const char *)(str), \
           (int)(len), (const char *)(bytes));                                           \
  } while (0)

// --- Raw imports, for what the <wasi/api.h> wrappers cannot express: a path pointer that
// is out of bounds (the wrappers call strlen on it) or a path with an embedded NUL.
#define WASI_IMPORT(name)                                                                \
  __attribute__((__import_module__("wasi_snapshot_preview1"), __import_name__(#name)))

int32_t raw_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t path_len,
                      int32_t oflags, int64_t rights_base, int64_t rights_inheriting,
                      int32_t fdflags, int32_t fd_out) WASI_IMPORT(path_open);
int32_t raw_path_create_directory(int32_t fd, int32_t path, int32_t path_len)
    WASI_IMPORT(path_create_directory);
int32_t raw_path_remove_directory(int32_t fd, int32_t path, int32_t path_len)
    WASI_IMPORT(path_remove_directory);
int32_t raw_path_unlink_file(int32_t fd, int32_t path, int32_t path_len)
    WASI_IMPORT(path_unlink_file);
int32_t raw_path_filestat_get(int32_t fd, int32_t flags, int32_t path, int32_t path_len,
                              int32_t stat_out) WASI_IMPORT(path_filestat_get);
int32_t raw_path_filestat_set_times(int32_t fd, int32_t flags, int32_t path, int32_t path_len,
                                    int64_t atim, int64_t mtim, int32_t fst_flags)
    WASI_IMPORT(path_filestat_set_times);
int32_t raw_path_readlink(int32_t fd, int32_t path, int32_t path_len, int32_t buf,
                          int32_t buf_len, int32_t size_out) WASI_IMPORT(path_readlink);
int32_t raw_path_symlink(int32_t old_path, int32_t old_len, int32_t fd, int32_t new_path,
                         int32_t new_len) WASI_IMPORT(path_symlink);
int32_t raw_path_link(int32_t old_fd, int32_t old_flags, int32_t old_path, int32_t old_len,
                      int32_t new_fd, int32_t new_path, int32_t new_len) WASI_IMPORT(path_link);
int32_t raw_path_rename(int32_t fd, int32_t old_path, int32_t old_len, int32_t new_fd,
                        int32_t new_path, int32_t new_len) WASI_IMPORT(path_rename);

// proc_raise and the signal numbers left <wasi/api.h> when WASI deprecated them.
int32_t raw_proc_raise(int32_t sig) WASI_IMPORT(proc_raise);
enum {
  WASI_SIGNONE = 0, WASI_SIGHUP, WASI_SIGINT, WASI_SIGQUIT, WASI_SIGILL, WASI_SIGTRAP,
  WASI_SIGABRT, WASI_SIGBUS, WASI_SIGFPE, WASI_SIGKILL, WASI_SIGUSR1, WASI_SIGSEGV,
  WASI_SIGUSR2, WASI_SIGPIPE, WASI_SIGALRM, WASI_SIGTERM, WASI_SIGCHLD, WASI_SIGCONT,
  WASI_SIGSTOP, WASI_SIGTSTP, WASI_SIGTTIN, WASI_SIGTTOU, WASI_SIGURG, WASI_SIGXCPU,
  WASI_SIGXFSZ, WASI_SIGVTALRM, WASI_SIGPROF, WASI_SIGWINCH, WASI_SIGPOLL, WASI_SIGPWR,
  WASI_SIGSYS,
};

/** Passes a C string to a raw import as (pointer, length). */
#define RAW_STR(s) (int32_t)(uintptr_t)(s), (int32_t)strlen(s)
#define RAW_PTR(p) (int32_t)(uintptr_t)(p)

// --- Helpers that set up state. Each fails the test (with the caller's line) on error.

static inline __wasi_fd_t open_at(const char *file, int line, __wasi_fd_t dir,
                                  __wasi_lookupflags_t lookup, const char *path,
                                  __wasi_oflags_t oflags, __wasi_rights_t rights,
                                  __wasi_fdflags_t fdflags) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(dir, lookup, path, oflags, rights, RIGHTS_ALL, fdflags, &fd);
  if (e != 0) test_fail(file, line, "path_open(\"%s\"): %s", path, errno_name(e));
  return fd;
}
/** Opens `path` under `dir` (symlinks followed) with `oflags`, `rights` and `fdflags`. */
#define OPEN(dir, path, oflags, rights, fdflags)                                         \
  open_at(__FILE__, __LINE__, (dir), __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, (path), (oflags), \
          (rights), (fdflags))
/** Opens a directory under `dir`. */
#define OPEN_DIR(dir, path) OPEN((dir), (path), __WASI_OFLAGS_DIRECTORY, RIGHTS_DIR, 0)

static inline size_t write_at_cursor(const char *file, int line, __wasi_fd_t fd,
                                     const void *buf, size_t len) {
  size_t done = 0;
  while (done < len) {
    __wasi_ciovec_t iov = {(const uint8_t *)buf + done, len - done};
    __wasi_size_t n;
    __wasi_errno_t e = __wasi_fd_write(fd, &iov, 1, &n);
    if (e != 0) test_fail(file, line, "fd_write(%u): %s", fd, errno_name(e));
    if (n == 0) test_fail(file, line, "fd_write(%u) wrote nothing", fd);
    done += n;
  }
  return done;
}
/** Writes all of `s` (a C string) at fd's position. */
#define WRITE_STR(fd, s) write_at_cursor(__FILE__, __LINE__, (fd), (s), strlen(s))

/** Reads up to `cap` bytes from fd's position until EOF or `cap`; returns the count. */
static inline size_t read_upto(const char *file, int line, __wasi_fd_t fd, void *buf,
                               size_t cap) {
  size_t done = 0;
  while (done < cap) {
    __wasi_iovec_t iov = {(uint8_t *)buf + done, cap - done};
    __wasi_size_t n;
    __wasi_errno_t e = __wasi_fd_read(fd, &iov, 1, &n);
    if (e != 0) test_fail(file, line, "fd_read(%u): %s", fd, errno_name(e));
    if (n == 0) break;
    done += n;
  }
  return done;
}
#define READ_UPTO(fd, buf, cap) read_upto(__FILE__, __LINE__, (fd), (buf), (cap))

static inline void make_file_at(const char *file, int line, __wasi_fd_t dir, const char *path,
                                const char *contents) {
  __wasi_fd_t fd = open_at(file, line, dir, 0, path, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC,
                           RIGHTS_WO, 0);
  write_at_cursor(file, line, fd, contents, strlen(contents));
  __wasi_errno_t e = __wasi_fd_close(fd);
  if (e != 0) test_fail(file, line, "fd_close: %s", errno_name(e));
}
/** Creates (or truncates) the file `path` under `dir` holding `contents`. */
#define MAKE_FILE(dir, path, contents) make_file_at(__FILE__, __LINE__, (dir), (path), (contents))

static inline __wasi_filestat_t stat_at(const char *file, int line, __wasi_fd_t dir,
                                        __wasi_lookupflags_t lookup, const char *path) {
  __wasi_filestat_t st;
  __wasi_errno_t e = __wasi_path_filestat_get(dir, lookup, path, &st);
  if (e != 0) test_fail(file, line, "path_filestat_get(\"%s\"): %s", path, errno_name(e));
  return st;
}
/** path_filestat_get without following a final symlink. */
#define LSTAT(dir, path) stat_at(__FILE__, __LINE__, (dir), 0, (path))
/** path_filestat_get following symlinks. */
#define STAT(dir, path) stat_at(__FILE__, __LINE__, (dir), __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, (path))

static inline __wasi_filestat_t fstat_fd(const char *file, int line, __wasi_fd_t fd) {
  __wasi_filestat_t st;
  __wasi_errno_t e = __wasi_fd_filestat_get(fd, &st);
  if (e != 0) test_fail(file, line, "fd_filestat_get(%u): %s", fd, errno_name(e));
  return st;
}
#define FSTAT(fd) fstat_fd(__FILE__, __LINE__, (fd))

static inline __wasi_timestamp_t now_ns(__wasi_clockid_t id) {
  __wasi_timestamp_t t;
  __wasi_errno_t e = __wasi_clock_time_get(id, 1, &t);
  if (e != 0) test_fail(__FILE__, __LINE__, "clock_time_get(%u): %s", id, errno_name(e));
  return t;
}

/**
 * Creates a fresh directory for this test inside the scratch directory and returns a
 * descriptor for it, so a program sees only what it made there, whatever else the scratch
 * directory holds. `name` is the program's name.
 */
static inline __wasi_fd_t workdir_at(const char *file, int line, const char *name) {
  char path[64];
  uint32_t tag;
  __wasi_errno_t e = __wasi_random_get((uint8_t *)&tag, sizeof tag);
  if (e != 0) test_fail(file, line, "random_get: %s", errno_name(e));
  snprintf(path, sizeof path, "%s.%08x", name, tag);
  e = __wasi_path_create_directory(SCRATCH, path);
  if (e != 0) test_fail(file, line, "path_create_directory(\"%s\"): %s", path, errno_name(e));
  return open_at(file, line, SCRATCH, 0, path, __WASI_OFLAGS_DIRECTORY, RIGHTS_DIR, 0);
}
#define WORKDIR(name) workdir_at(__FILE__, __LINE__, (name))

/** A subscription to a clock: `timeout` ns, relative unless `flags` has ABSTIME. */
static inline __wasi_subscription_t clock_sub(__wasi_userdata_t userdata, __wasi_clockid_t id,
                                              __wasi_timestamp_t timeout,
                                              __wasi_subclockflags_t flags) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = userdata;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = id;
  s.u.u.clock.timeout = timeout;
  s.u.u.clock.flags = flags;
  return s;
}

/** A subscription to readiness of `fd` for reading or writing (`type`). */
static inline __wasi_subscription_t fd_sub(__wasi_userdata_t userdata, __wasi_eventtype_t type,
                                           __wasi_fd_t fd) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = userdata;
  s.u.tag = type;
  s.u.u.fd_read.file_descriptor = fd;  // fd_read and fd_write share a layout
  return s;
}

/** Sleeps `ns` nanoseconds on the monotonic clock with poll_oneoff. */
static inline void sleep_ns(__wasi_timestamp_t ns) {
  __wasi_subscription_t s = clock_sub(1, __WASI_CLOCKID_MONOTONIC, ns, 0);
  __wasi_event_t ev;
  __wasi_size_t n;
  __wasi_errno_t e = __wasi_poll_oneoff(&s, &ev, 1, &n);
  if (e != 0) test_fail(__FILE__, __LINE__, "poll_oneoff: %s", errno_name(e));
}

/**
 * The test of args_get and environ_get, which fill a string table alike: `sizes` counts
 * exactly `count` strings; `get` packs them NUL-terminated one after another from the start
 * of the buffer, equal to `want`, in the size `sizes` gave and no more; a pointer past the
 * end of memory is EFAULT. Returns the table.
 */
static inline char **check_string_table(const char *what,
                                        __wasi_errno_t (*sizes)(__wasi_size_t *, __wasi_size_t *),
                                        __wasi_errno_t (*get)(uint8_t **, uint8_t *),
                                        const char *const *want, size_t count) {
  __wasi_size_t n, size;
  CHECK_OK(sizes(&n, &size));
  CHECK_EQ(n, count);
  char **ptrs = calloc(n + 1, sizeof *ptrs);
  char *buf = malloc(size + 8);
  memset(buf, '#', size + 8);
  CHECK_OK(get((uint8_t **)ptrs, (uint8_t *)buf));
  const char *next = buf;
  for (size_t i = 0; i < count; i++) {
    if (ptrs[i] != next) FAIL("%s[%zu] points at offset %d, expected %d", what, i, (int)(ptrs[i] - buf), (int)(next - buf));
    if (strcmp(ptrs[i], want[i]) != 0) FAIL("%s[%zu] = \"%s\", expected \"%s\"", what, i, ptrs[i], want[i]);
    next += strlen(want[i]) + 1;
  }
  CHECK_EQ(next - buf, size);
  CHECK(buf[size] == '#');  // nothing written past the size `sizes` gave
  CHECK(ptrs[n] == NULL);
  CHECK_ERRNO(get(BAD_PTR, (uint8_t *)buf), __WASI_ERRNO_FAULT);
  CHECK_ERRNO(get((uint8_t **)ptrs, BAD_PTR), __WASI_ERRNO_FAULT);
  return ptrs;
}

/**
 * The test of fd_sync and fd_datasync, which behave alike: `sync` succeeds on a regular
 * file, open for writing or not, and the data is there; it is EBADF on a directory or a
 * stdio stream (wasmtime syncs files only) and on a descriptor that is not open.
 */
static inline void check_sync_call(const char *name, __wasi_errno_t (*sync)(__wasi_fd_t)) {
  __wasi_fd_t dir = WORKDIR(name);
  __wasi_fd_t f = OPEN(dir, "file", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0);
  WRITE_STR(f, "synced");
  CHECK_OK(sync(f));
  __wasi_fd_t ro = OPEN(dir, "file", 0, RIGHTS_RO, 0);
  CHECK_OK(sync(ro));
  char buf[8];
  CHECK_EQ(READ_UPTO(ro, buf, sizeof buf), 6);
  CHECK_MEM(buf, "synced", 6);
  CHECK_ERRNO(sync(dir), __WASI_ERRNO_BADF);
  CHECK_ERRNO(sync(1), __WASI_ERRNO_BADF);
  CHECK_ERRNO(sync(BAD_FD), __WASI_ERRNO_BADF);
}

/** One directory entry as fd_readdir lays it out: a 24-byte header, then the name. */
typedef struct {
  __wasi_dirent_t d;
  char name[256];  // NUL-terminated copy
} entry_t;

/**
 * Parses the entries of an fd_readdir buffer holding `used` bytes into `out` (at most
 * `max`); returns how many are complete. An entry cut short by the end of the buffer is
 * not counted.
 */
static inline size_t parse_dirents(const uint8_t *buf, size_t used, entry_t *out, size_t max) {
  size_t off = 0, n = 0;
  while (n < max && off + sizeof(__wasi_dirent_t) <= used) {
    memcpy(&out[n].d, buf + off, sizeof(__wasi_dirent_t));
    size_t len = out[n].d.d_namlen;
    if (len >= sizeof out[n].name || off + sizeof(__wasi_dirent_t) + len > used) break;
    memcpy(out[n].name, buf + off + sizeof(__wasi_dirent_t), len);
    out[n].name[len] = 0;
    off += sizeof(__wasi_dirent_t) + len;
    n++;
  }
  return n;
}

/** The entry named `name` among `n`, or NULL. */
static inline const entry_t *find_entry(const entry_t *e, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(e[i].name, name) == 0) return &e[i];
  return NULL;
}

#endif
