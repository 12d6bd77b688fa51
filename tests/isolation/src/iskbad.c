// Hostile pointers to every call of the `isokernel` import module (tests/hostile/badargs.c
// does the same for wasi_snapshot_preview1): each pointer argument in turn is the end of
// memory, a range straddling it, and 0xffffffff, the other arguments valid; every call must
// answer EFAULT and change nothing. Calls without pointers get hostile numbers (bad
// descriptors, signals, resources) and must answer their errno. The spawn request's inner
// pointers are tried one by one too (for exec as well: it must fail and leave the caller
// running). Sockets, logging, tracing and terminals also get descriptors of the wrong kind
// (-1, a pipe), bad flags, levels, options and huge lengths; after a failure the state it
// could have changed is read back (a queued connection or datagram, an option, the log
// queue, the lowest free descriptor). With a terminal as stdin (the test gives some runs
// one) the terminal calls' pointers are tried too. It runs itself as uid 1000 (argv[1]
// "child") for the EPERM checks. Prints "ok CALL ..." or "FAIL CALL ...", one per check,
// then "iskbad: N checks, F failed"; exits 0 if none failed.
#include <isokernel.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
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
int raw_fd_next(I fd, U out) IMP(fd_next);
int raw_read_eof(I fd, U iovs, U iovs_len, U nread_out, U eof_out) IMP(read_eof);
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
int raw_exec(U req) IMP(exec);
int raw_socket(I domain, I type, I protocol, U fd_out) IMP(socket);
int raw_socketpair(I domain, I type, I protocol, U fds_out) IMP(socketpair);
int raw_bind(I fd, U addr, U len) IMP(bind);
int raw_listen(I fd, I backlog) IMP(listen);
int raw_accept(I fd, U addr, U len_ptr, I flags, U fd_out) IMP(accept);
int raw_connect(I fd, U addr, U len) IMP(connect);
int raw_sendto(I fd, U buf, U len, I flags, U addr, U alen, U n_out) IMP(sendto);
int raw_recvfrom(I fd, U buf, U len, I flags, U addr, U alen_ptr, U n_out) IMP(recvfrom);
int raw_shutdown(I fd, I how) IMP(shutdown);
int raw_getsockname(I fd, U addr, U len_ptr) IMP(getsockname);
int raw_getpeername(I fd, U addr, U len_ptr) IMP(getpeername);
int raw_setsockopt(I fd, I level, I name, U val, U len) IMP(setsockopt);
int raw_getsockopt(I fd, I level, I name, U val, U len_ptr) IMP(getsockopt);
int raw_log_open(U tag, U tag_len, I facility, I severity, I flags, U fd_out) IMP(log_open);
int raw_log_write(U tag, U tag_len, I facility, I severity, U msg, U msg_len) IMP(log_write);
int raw_log_reader(I flags, U fd_out) IMP(log_reader);
int raw_trace_attach(I pid, U flags, I strsize, U fd_out) IMP(trace_attach);
int raw_trace_filter(I fd, U names, U len) IMP(trace_filter);
int raw_trace_detach(I fd, I pid) IMP(trace_detach);
int raw_tty_isatty(I fd) IMP(tty_isatty);
int raw_tty_getattr(I fd, U termios) IMP(tty_getattr);
int raw_tty_setattr(I fd, I action, U termios) IMP(tty_setattr);
int raw_tty_getwinsize(I fd, U ws) IMP(tty_getwinsize);
int raw_tty_setwinsize(I fd, U ws) IMP(tty_setwinsize);
int raw_tty_getpgrp(I fd, U out) IMP(tty_getpgrp);
int raw_tty_setpgrp(I fd, I pgid) IMP(tty_setpgrp);
int raw_tty_getsid(I fd, U out) IMP(tty_getsid);
int raw_tty_flush(I fd, I queue) IMP(tty_flush);
int raw_tty_name(I fd, U buf, U len, U len_out) IMP(tty_name);
int raw_tty_set_raw(I fd, I on) IMP(tty_set_raw);

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

/* ---- exec, sockets, logging, tracing, terminals ---- */
#define A(x) ((U)(uintptr_t)(x))
enum { K_AF_INET = 1, K_AF_INET6 = 2, K_AF_UNIX = 3, K_DGRAM = 5, K_STREAM = 6, K_NONBLOCK = 0x4000 };
enum { K_SOL = 0x7fffffff, K_SO_TYPE = 3, K_SO_ERROR = 4, K_SO_RCVBUF = 8, K_SO_LINGER = 13, K_SO_RCVTIMEO = 66 };
enum { K_MSG_DONTWAIT = 0x40 };

/* The lowest free descriptor: a failed call must not leave one behind. */
static int lowest_free(void) {
  int32_t fd;
  if (raw_dup(0, A(&fd)) != 0) return -1;
  close(fd);
  return fd;
}

static void exec_checks(void) {
  static char path[] = "/no/such/program";
  static char bare[] = "nosuch";
  static char args[] = "x\0";
  static struct req r;
  struct req good = {A(path), sizeof path - 1, A(args), 2, A(args), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  r = good;
  expect("exec(valid, missing program)", raw_exec(A(&r)), __WASI_ERRNO_NOENT);
  EACH_BAD(64, "exec req", raw_exec(b));
  struct { const char *name; int ptr, len; U len_value; U flags; } inner[] = {
      {"exec req.path", 0, 1, 4, 0}, {"exec req.argv", 2, 3, 2, 0},
      {"exec req.env", 4, 5, 2, 0},  {"exec req.search", 12, 13, 4, 16},
  };
  for (unsigned k = 0; k < sizeof inner / sizeof inner[0]; k++) {
    for (int i = 0; i < 3; i++) {
      r = good;
      U *f = (U *)&r;
      f[inner[k].ptr] = bad(i, inner[k].len_value);
      f[inner[k].len] = inner[k].len_value;
      r.flags = inner[k].flags;
      if (inner[k].ptr == 12) {
        r.path = A(bare);
        r.path_len = sizeof bare - 1;
      }
      char name[96];
      snprintf(name, sizeof name, "%s=0x%x", inner[k].name, f[inner[k].ptr]);
      expect(name, raw_exec(A(&r)), __WASI_ERRNO_FAULT);
    }
  }
  r = good, r.argv_len = 0xffffffffu, r.env_len = 0xffffffffu;
  expect("exec(argv_len, env_len 2^32-1)", raw_exec(A(&r)), __WASI_ERRNO_2BIG);
  r = good, r.flags = 1;
  expect("exec(flags SETPGROUP)", raw_exec(A(&r)), __WASI_ERRNO_INVAL);
  r = good, r.flags = 0x80000000u;
  expect("exec(flags 2^31)", raw_exec(A(&r)), __WASI_ERRNO_INVAL);
  r = good, r.actions_count = 1;
  expect("exec(an action)", raw_exec(A(&r)), __WASI_ERRNO_INVAL);
  r = good, r.cwd = A(path), r.cwd_len = 1;
  expect("exec(a cwd)", raw_exec(A(&r)), __WASI_ERRNO_INVAL);
}

static uint8_t big[8800];

static void socket_checks(void) {
  static uint8_t sun[16] = {K_AF_UNIX, 0, '/', 'n', 'o', 's', 'u', 'c', 'h'};
  static uint8_t sin[16] = {K_AF_INET, 0, 0, 80, 127, 0, 0, 1};
  static uint8_t name[128];
  static int32_t sv[2], dg[2], pp[2], one = 1;
  static int64_t tv[2] = {1, 1000000};
  int32_t lst, ufd, udg, cl, afd;
  uint32_t n = 0, len = 0;
  EACH_BAD(4, "socket fd_out", raw_socket(K_AF_UNIX, K_STREAM, 0, b));
  expect("socket(domain 99)", raw_socket(99, K_STREAM, 0, P), __WASI_ERRNO_AFNOSUPPORT);
  expect("socket(type 9)", raw_socket(K_AF_UNIX, 9, 0, P), __WASI_ERRNO_PROTOTYPE);
  expect("socket(type flag 0x100)", raw_socket(K_AF_UNIX, K_STREAM | 0x100, 0, P), __WASI_ERRNO_INVAL);
  expect("socket(unix, protocol 6)", raw_socket(K_AF_UNIX, K_STREAM, 6, P), __WASI_ERRNO_PROTONOSUPPORT);
  expect("socket(inet stream, protocol 17)", raw_socket(K_AF_INET, K_STREAM, 17, P), __WASI_ERRNO_PROTONOSUPPORT);
  EACH_BAD(8, "socketpair fds_out", raw_socketpair(K_AF_UNIX, K_STREAM, 0, b));
  expect("socketpair(inet)", raw_socketpair(K_AF_INET, K_STREAM, 0, P), __WASI_ERRNO_NOTSUP);
  expect("socketpair(domain 99)", raw_socketpair(99, K_STREAM, 0, P), __WASI_ERRNO_AFNOSUPPORT);
  expect("socketpair(type 9)", raw_socketpair(K_AF_UNIX, 9, 0, P), __WASI_ERRNO_PROTOTYPE);
  expect("socketpair(type flag 0x100)", raw_socketpair(K_AF_UNIX, K_STREAM | 0x100, 0, P), __WASI_ERRNO_INVAL);
  expect("socketpair(protocol 1)", raw_socketpair(K_AF_UNIX, K_STREAM, 1, P), __WASI_ERRNO_PROTONOSUPPORT);

  /* The sockets the rest works on: a connected stream pair, a connected datagram pair, a
     fresh stream socket, a fresh datagram socket, a listener; and a pipe (not a socket). */
  if (raw_socketpair(K_AF_UNIX, K_STREAM | K_NONBLOCK, 0, A(sv)) || raw_socketpair(K_AF_UNIX, K_DGRAM | K_NONBLOCK, 0, A(dg)) ||
      raw_socket(K_AF_UNIX, K_STREAM | K_NONBLOCK, 0, A(&ufd)) || raw_socket(K_AF_UNIX, K_DGRAM | K_NONBLOCK, 0, A(&udg)) ||
      raw_socket(K_AF_UNIX, K_STREAM | K_NONBLOCK, 0, A(&lst)) || raw_listen(lst, 4) || raw_pipe(A(pp), 0)) {
    expect("socket setup", 1, 0);
    return;
  }

  EACH_BAD(16, "bind addr", raw_bind(ufd, b, 16));
  expect("bind(fd -1)", raw_bind(-1, A(sun), 16), __WASI_ERRNO_BADF);
  expect("bind(a pipe)", raw_bind(pp[0], A(sun), 16), __WASI_ERRNO_NOTSOCK);
  expect("bind(len 1)", raw_bind(ufd, A(sun), 1), __WASI_ERRNO_INVAL);
  expect("bind(len 2^32-1)", raw_bind(ufd, A(sun), 0xffffffffu), __WASI_ERRNO_INVAL);
  expect("bind(an inet address on a unix socket)", raw_bind(ufd, A(sin), 16), __WASI_ERRNO_AFNOSUPPORT);

  expect("listen(fd -1)", raw_listen(-1, 1), __WASI_ERRNO_BADF);
  expect("listen(a pipe)", raw_listen(pp[0], 1), __WASI_ERRNO_NOTSOCK);
  expect("listen(a datagram socket)", raw_listen(udg, 1), __WASI_ERRNO_NOTSUP);
  expect("listen(a connected socket)", raw_listen(sv[0], 1), __WASI_ERRNO_INVAL);
  len = sizeof name;
  expect("listen(a connected socket) left it unnamed",
         raw_getsockname(sv[0], A(name), A(&len)) == 0 && len == 2 ? 0 : -1, 0);

  /* A connection waits in the listener's queue; failed accepts must leave it there. */
  len = sizeof name;
  if (raw_getsockname(lst, A(name), A(&len)) || raw_socket(K_AF_UNIX, K_STREAM | K_NONBLOCK, 0, A(&cl)) ||
      raw_connect(cl, A(name), len)) {
    expect("accept setup", 1, 0);
    return;
  }
  EACH_BAD(4, "accept fd_out", raw_accept(lst, 0, 0, 0, b));
  EACH_BAD(16, "accept addr", (len = 16, raw_accept(lst, b, A(&len), 0, P)));
  EACH_BAD(4, "accept addrlen", raw_accept(lst, P, b, 0, P + 64));
  expect("accept(addrlen 2^31)", (len = 0x80000000u, raw_accept(lst, P, A(&len), 0, P + 64)), __WASI_ERRNO_INVAL);
  expect("accept(flags 1)", raw_accept(lst, 0, 0, 1, P), __WASI_ERRNO_INVAL);
  expect("accept(fd -1)", raw_accept(-1, 0, 0, 0, P), __WASI_ERRNO_BADF);
  expect("accept(a pipe)", raw_accept(pp[0], 0, 0, 0, P), __WASI_ERRNO_NOTSOCK);
  expect("accept(a datagram socket)", raw_accept(udg, 0, 0, 0, P), __WASI_ERRNO_NOTSUP);
  expect("accept(not listening)", raw_accept(ufd, 0, 0, 0, P), __WASI_ERRNO_INVAL);
  expect("accept(the queued connection, after the faults)", raw_accept(lst, 0, 0, 0, A(&afd)), 0);
  close(afd);
  close(cl);
  expect("accept(nothing queued, non-blocking)", raw_accept(lst, 0, 0, 0, A(&afd)), __WASI_ERRNO_AGAIN);

  EACH_BAD(16, "connect addr", raw_connect(ufd, b, 16));
  expect("connect(fd -1)", raw_connect(-1, A(sun), 16), __WASI_ERRNO_BADF);
  expect("connect(a pipe)", raw_connect(pp[0], A(sun), 16), __WASI_ERRNO_NOTSOCK);
  expect("connect(len 1)", raw_connect(ufd, A(sun), 1), __WASI_ERRNO_INVAL);
  expect("connect(len 2^32-1)", raw_connect(ufd, A(sun), 0xffffffffu), __WASI_ERRNO_INVAL);
  expect("connect(an inet address on a unix socket)", raw_connect(ufd, A(sin), 16), __WASI_ERRNO_AFNOSUPPORT);

  EACH_BAD(4, "sendto n_out", raw_sendto(sv[0], P, 4, 0, 0, 0, b));
  EACH_BAD(4, "sendto buf", raw_sendto(sv[0], b, 4, 0, 0, 0, A(&n)));
  expect("sendto(len 2^32-1)", raw_sendto(sv[0], P, 0xffffffffu, 0, 0, 0, A(&n)), __WASI_ERRNO_FAULT);
  EACH_BAD(16, "sendto addr", raw_sendto(dg[0], P, 4, 0, b, 16, A(&n)));
  EACH_BAD(4, "sendto datagram n_out", raw_sendto(dg[0], P, 4, 0, 0, 0, b));
  expect("sendto(addrlen 1)", raw_sendto(udg, P, 4, 0, A(sun), 1, A(&n)), __WASI_ERRNO_INVAL);
  expect("sendto(fd -1)", raw_sendto(-1, P, 4, 0, 0, 0, A(&n)), __WASI_ERRNO_BADF);
  expect("sendto(a pipe)", raw_sendto(pp[1], P, 4, 0, 0, 0, A(&n)), __WASI_ERRNO_NOTSOCK);
  expect("sendto(an unconnected datagram socket)", raw_sendto(udg, P, 4, 0, 0, 0, A(&n)), __WASI_ERRNO_NOTCONN);
  expect("sendto(an unconnected stream socket)", raw_sendto(ufd, P, 4, 0x4000, 0, 0, A(&n)), __WASI_ERRNO_NOTCONN);
  expect("recvfrom: the failed sends sent nothing (stream)", raw_recvfrom(sv[1], P, 4, 0, 0, 0, A(&n)), __WASI_ERRNO_AGAIN);
  expect("recvfrom: the failed sends sent nothing (datagram)", raw_recvfrom(dg[1], P, 4, 0, 0, 0, A(&n)), __WASI_ERRNO_AGAIN);

  /* Something to receive: failed receives must leave it queued. */
  if (raw_sendto(sv[0], A("abcd"), 4, 0, 0, 0, A(&n)) || raw_sendto(dg[0], A("wxyz"), 4, 0, 0, 0, A(&n))) {
    expect("recvfrom setup", 1, 0);
    return;
  }
  EACH_BAD(4, "recvfrom n_out", raw_recvfrom(sv[1], P, 4, 0, 0, 0, b));
  EACH_BAD(4, "recvfrom buf", raw_recvfrom(sv[1], b, 4, 0, 0, 0, A(&n)));
  expect("recvfrom(len 2^32-1)", raw_recvfrom(sv[1], P, 0xffffffffu, 0, 0, 0, A(&n)), __WASI_ERRNO_FAULT);
  EACH_BAD(4, "recvfrom addrlen", raw_recvfrom(dg[1], P, 4, 0, P + 64, b, A(&n)));
  EACH_BAD(16, "recvfrom addr", (len = 16, raw_recvfrom(dg[1], P, 4, 0, b, A(&len), A(&n))));
  EACH_BAD(4, "recvfrom datagram n_out", raw_recvfrom(dg[1], P, 4, 0, 0, 0, b));
  expect("recvfrom(addrlen 2^31)", (len = 0x80000000u, raw_recvfrom(dg[1], P, 4, 0, P + 64, A(&len), A(&n))), __WASI_ERRNO_INVAL);
  expect("recvfrom(fd -1)", raw_recvfrom(-1, P, 4, 0, 0, 0, A(&n)), __WASI_ERRNO_BADF);
  expect("recvfrom(a pipe)", raw_recvfrom(pp[0], P, 4, 0, 0, 0, A(&n)), __WASI_ERRNO_NOTSOCK);
  expect("recvfrom(an unconnected stream socket)", raw_recvfrom(ufd, P, 4, K_MSG_DONTWAIT, 0, 0, A(&n)), __WASI_ERRNO_INVAL);
  memset(scratch, 0, 8);
  expect("recvfrom: the stream's bytes are still there",
         raw_recvfrom(sv[1], P, 8, 0, 0, 0, A(&n)) == 0 && n == 4 && memcmp(scratch, "abcd", 4) == 0 ? 0 : -1, 0);
  expect("recvfrom: the datagram is still there",
         raw_recvfrom(dg[1], P, 8, 0, 0, 0, A(&n)) == 0 && n == 4 && memcmp(scratch, "wxyz", 4) == 0 ? 0 : -1, 0);

  expect("shutdown(fd -1)", raw_shutdown(-1, 3), __WASI_ERRNO_BADF);
  expect("shutdown(a pipe)", raw_shutdown(pp[0], 3), __WASI_ERRNO_NOTSOCK);
  expect("shutdown(how 0)", raw_shutdown(sv[0], 0), __WASI_ERRNO_INVAL);
  expect("shutdown(how 4)", raw_shutdown(sv[0], 4), __WASI_ERRNO_INVAL);
  expect("shutdown(how -1)", raw_shutdown(sv[0], -1), __WASI_ERRNO_INVAL);

  /* An unnamed socket's name and its peer's are 2 bytes (the family). */
  EACH_BAD(4, "getsockname addrlen", raw_getsockname(sv[0], P, b));
  EACH_BAD(2, "getsockname addr", (len = 16, raw_getsockname(sv[0], b, A(&len))));
  expect("getsockname: addrlen unchanged by the faults", len == 16 ? 0 : -1, 0);
  expect("getsockname(addrlen 2^31)", (len = 0x80000000u, raw_getsockname(sv[0], P, A(&len))), __WASI_ERRNO_INVAL);
  expect("getsockname(fd -1)", (len = 16, raw_getsockname(-1, P, A(&len))), __WASI_ERRNO_BADF);
  expect("getsockname(a pipe)", raw_getsockname(pp[0], P, A(&len)), __WASI_ERRNO_NOTSOCK);
  EACH_BAD(4, "getpeername addrlen", raw_getpeername(sv[0], P, b));
  EACH_BAD(2, "getpeername addr", (len = 16, raw_getpeername(sv[0], b, A(&len))));
  expect("getpeername(addrlen 2^31)", (len = 0x80000000u, raw_getpeername(sv[0], P, A(&len))), __WASI_ERRNO_INVAL);
  expect("getpeername(fd -1)", (len = 16, raw_getpeername(-1, P, A(&len))), __WASI_ERRNO_BADF);
  expect("getpeername(a pipe)", raw_getpeername(pp[0], P, A(&len)), __WASI_ERRNO_NOTSOCK);
  expect("getpeername(unconnected)", raw_getpeername(ufd, P, A(&len)), __WASI_ERRNO_NOTCONN);

  int32_t rcvbuf0 = 0, rcvbuf1 = -1;
  len = 4;
  raw_getsockopt(sv[0], K_SOL, K_SO_RCVBUF, A(&rcvbuf0), A(&len));
  EACH_BAD(4, "setsockopt(SO_RCVBUF) val", raw_setsockopt(sv[0], K_SOL, K_SO_RCVBUF, b, 4));
  EACH_BAD(16, "setsockopt(SO_RCVTIMEO) val", raw_setsockopt(sv[0], K_SOL, K_SO_RCVTIMEO, b, 16));
  EACH_BAD(8, "setsockopt(SO_LINGER) val", raw_setsockopt(sv[0], K_SOL, K_SO_LINGER, b, 8));
  expect("setsockopt(fd -1)", raw_setsockopt(-1, K_SOL, K_SO_RCVBUF, A(&one), 4), __WASI_ERRNO_BADF);
  expect("setsockopt(a pipe)", raw_setsockopt(pp[0], K_SOL, K_SO_RCVBUF, A(&one), 4), __WASI_ERRNO_NOTSOCK);
  expect("setsockopt(level 99)", raw_setsockopt(sv[0], 99, 1, A(&one), 4), __WASI_ERRNO_NOPROTOOPT);
  expect("setsockopt(name 999)", raw_setsockopt(sv[0], K_SOL, 999, A(&one), 4), __WASI_ERRNO_NOPROTOOPT);
  expect("setsockopt(SO_TYPE, read-only)", raw_setsockopt(sv[0], K_SOL, K_SO_TYPE, A(&one), 4), __WASI_ERRNO_NOPROTOOPT);
  expect("setsockopt(len 2)", raw_setsockopt(sv[0], K_SOL, K_SO_RCVBUF, A(&one), 2), __WASI_ERRNO_INVAL);
  expect("setsockopt(SO_RCVTIMEO len 4)", raw_setsockopt(sv[0], K_SOL, K_SO_RCVTIMEO, A(tv), 4), __WASI_ERRNO_INVAL);
  expect("setsockopt(SO_RCVTIMEO usec 10^6)", raw_setsockopt(sv[0], K_SOL, K_SO_RCVTIMEO, A(tv), 16), __WASI_ERRNO_DOM);
  expect("setsockopt(TCP_NODELAY on a unix socket)", raw_setsockopt(sv[0], 6, 1, A(&one), 4), __WASI_ERRNO_NOTSUP);
  expect("setsockopt(IPV6_V6ONLY on a unix socket)", raw_setsockopt(sv[0], 41, 26, A(&one), 4), __WASI_ERRNO_NOPROTOOPT);
  len = 4;
  expect("setsockopt: SO_RCVBUF unchanged by the faults",
         raw_getsockopt(sv[0], K_SOL, K_SO_RCVBUF, A(&rcvbuf1), A(&len)) == 0 && rcvbuf1 == rcvbuf0 ? 0 : -1, 0);
  memset(scratch, 0xee, 16);
  len = 16;
  expect("setsockopt: SO_RCVTIMEO unchanged by the faults",
         raw_getsockopt(sv[0], K_SOL, K_SO_RCVTIMEO, P, A(&len)) == 0 && len == 16 && ((uint64_t *)scratch)[0] == 0 &&
                 ((uint64_t *)scratch)[1] == 0 ? 0 : -1, 0);

  EACH_BAD(4, "getsockopt len", raw_getsockopt(sv[0], K_SOL, K_SO_TYPE, P, b));
  EACH_BAD(4, "getsockopt(SO_TYPE) val", (len = 4, raw_getsockopt(sv[0], K_SOL, K_SO_TYPE, b, A(&len))));
  expect("getsockopt: len unchanged by the faults", len == 4 ? 0 : -1, 0);
  EACH_BAD(4, "getsockopt(SO_ERROR) val", (len = 4, raw_getsockopt(sv[0], K_SOL, K_SO_ERROR, b, A(&len))));
  EACH_BAD(16, "getsockopt(SO_RCVTIMEO) val", (len = 16, raw_getsockopt(sv[0], K_SOL, K_SO_RCVTIMEO, b, A(&len))));
  expect("getsockopt(len 2^31)", (len = 0x80000000u, raw_getsockopt(sv[0], K_SOL, K_SO_TYPE, P, A(&len))), __WASI_ERRNO_INVAL);
  expect("getsockopt(len 2)", (len = 2, raw_getsockopt(sv[0], K_SOL, K_SO_TYPE, P, A(&len))), __WASI_ERRNO_INVAL);
  expect("getsockopt(SO_ERROR len 2)", (len = 2, raw_getsockopt(sv[0], K_SOL, K_SO_ERROR, P, A(&len))), __WASI_ERRNO_INVAL);
  expect("getsockopt(fd -1)", (len = 4, raw_getsockopt(-1, K_SOL, K_SO_TYPE, P, A(&len))), __WASI_ERRNO_BADF);
  expect("getsockopt(a pipe)", raw_getsockopt(pp[0], K_SOL, K_SO_TYPE, P, A(&len)), __WASI_ERRNO_NOTSOCK);
  expect("getsockopt(level 99)", raw_getsockopt(sv[0], 99, 1, P, A(&len)), __WASI_ERRNO_NOPROTOOPT);
  expect("getsockopt(name 999)", raw_getsockopt(sv[0], K_SOL, 999, P, A(&len)), __WASI_ERRNO_NOPROTOOPT);
  expect("getsockopt(TCP_NODELAY on a unix socket)", raw_getsockopt(sv[0], 6, 1, P, A(&len)), __WASI_ERRNO_NOTSUP);

  int32_t all[] = {sv[0], sv[1], dg[0], dg[1], ufd, udg, lst, pp[0], pp[1]};
  for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++) close(all[i]);
}

/* TCP and UDP sockets, never bound or connected: nothing here reaches the host. */
static void inet_checks(void) {
  static uint8_t sin[16] = {K_AF_INET, 0, 0, 80, 127, 0, 0, 1};
  static uint8_t sin6[28] = {K_AF_INET6, 0, 0, 80};
  static int32_t zero = 0, one = 1;
  int32_t tcp, tcp6, udp;
  uint32_t n = 0, len = 0;
  if (raw_socket(K_AF_INET, K_STREAM | K_NONBLOCK, 0, A(&tcp)) || raw_socket(K_AF_INET6, K_STREAM | K_NONBLOCK, 0, A(&tcp6)) ||
      raw_socket(K_AF_INET, K_DGRAM | K_NONBLOCK, 0, A(&udp))) {
    expect("inet setup", 1, 0);
    return;
  }
  EACH_BAD(16, "bind inet addr", raw_bind(tcp, b, 16));
  EACH_BAD(28, "bind inet6 addr", raw_bind(tcp6, b, 28));
  expect("bind(inet, len 8)", raw_bind(tcp, A(sin), 8), __WASI_ERRNO_INVAL);
  expect("bind(inet6, len 16)", raw_bind(tcp6, A(sin6), 16), __WASI_ERRNO_INVAL);
  expect("bind(an inet address on an inet6 socket)", raw_bind(tcp6, A(sin), 16), __WASI_ERRNO_AFNOSUPPORT);
  EACH_BAD(16, "connect inet addr", raw_connect(tcp, b, 16));
  EACH_BAD(28, "connect inet6 addr", raw_connect(tcp6, b, 28));
  expect("connect(inet, len 15)", raw_connect(tcp, A(sin), 15), __WASI_ERRNO_INVAL);
  expect("connect(an inet6 address on an inet socket)", raw_connect(tcp, A(sin6), 28), __WASI_ERRNO_AFNOSUPPORT);
  expect("accept(tcp, not listening)", raw_accept(tcp, 0, 0, 0, P), __WASI_ERRNO_INVAL);
  expect("sendto(tcp, unconnected, MSG_NOSIGNAL)", raw_sendto(tcp, P, 4, 0x4000, 0, 0, A(&n)), __WASI_ERRNO_PIPE);
  EACH_BAD(4, "sendto tcp buf", raw_sendto(tcp, b, 4, 0x4000, 0, 0, A(&n)));
  expect("recvfrom(tcp, unconnected)", raw_recvfrom(tcp, P, 4, 0, 0, 0, A(&n)), __WASI_ERRNO_NOTCONN);
  EACH_BAD(16, "sendto udp addr", raw_sendto(udp, P, 4, 0, b, 16, A(&n)));
  expect("sendto(udp, addrlen 8)", raw_sendto(udp, P, 4, 0, A(sin), 8, A(&n)), __WASI_ERRNO_INVAL);
  expect("sendto(udp, no destination)", raw_sendto(udp, P, 4, 0, 0, 0, A(&n)), __WASI_ERRNO_DESTADDRREQ);
  expect("sendto(udp, 65508 bytes)", raw_sendto(udp, 0 /* [0, 65508) is always memory */, 65508, 0, A(sin), 16, A(&n)), __WASI_ERRNO_MSGSIZE);
  EACH_BAD(16, "getsockname inet addr", (len = 16, raw_getsockname(tcp, b, A(&len))));
  EACH_BAD(28, "getsockname inet6 addr", (len = 28, raw_getsockname(tcp6, b, A(&len))));
  expect("getpeername(tcp, unconnected)", (len = 16, raw_getpeername(tcp, P, A(&len))), __WASI_ERRNO_NOTCONN);
  EACH_BAD(4, "setsockopt(TCP_NODELAY) val", raw_setsockopt(tcp, 6, 1, b, 4));
  EACH_BAD(4, "getsockopt(TCP_NODELAY) val", (len = 4, raw_getsockopt(tcp, 6, 1, b, A(&len))));
  EACH_BAD(4, "setsockopt(IPV6_V6ONLY) val", raw_setsockopt(tcp6, 41, 26, b, 4));
  EACH_BAD(4, "getsockopt(IPV6_V6ONLY) val", (len = 4, raw_getsockopt(tcp6, 41, 26, b, A(&len))));
  expect("setsockopt(TCP_KEEPIDLE 0)", raw_setsockopt(tcp, 6, 4, A(&zero), 4), __WASI_ERRNO_INVAL);
  expect("setsockopt(IPPROTO_TCP name 99)", raw_setsockopt(tcp, 6, 99, A(&one), 4), __WASI_ERRNO_NOPROTOOPT);
  expect("setsockopt(TCP_NODELAY on udp)", raw_setsockopt(udp, 6, 1, A(&one), 4), __WASI_ERRNO_NOTSUP);
  expect("setsockopt(IPV6_V6ONLY on inet)", raw_setsockopt(tcp, 41, 26, A(&one), 4), __WASI_ERRNO_NOPROTOOPT);
  expect("getsockopt(IPV6_V6ONLY on inet)", (len = 4, raw_getsockopt(tcp, 41, 26, P, A(&len))), __WASI_ERRNO_NOPROTOOPT);
  int32_t nd = -1;
  expect("getsockopt: TCP_NODELAY unchanged by the faults",
         (len = 4, raw_getsockopt(tcp, 6, 1, A(&nd), A(&len))) == 0 && nd == 0 ? 0 : -1, 0);
  close(tcp);
  close(tcp6);
  close(udp);
}

static void log_checks(void) {
  static char tag[] = "iskbad", spaced[] = "isk bad", notutf8[] = "isk\xff", msg[] = "must not be logged\n";
  static char longtag[66];
  memset(longtag, 'x', 65);
  int32_t rfd = -1;
  EACH_BAD(4, "log_reader fd_out", raw_log_reader(4, b));
  expect("log_reader(flags 2)", raw_log_reader(2, P), __WASI_ERRNO_INVAL);
  expect("log_reader(flags -1)", raw_log_reader(-1, P), __WASI_ERRNO_INVAL);
  /* No reader is left attached by the failures; with this one, what the failures below log shows. */
  expect("log_reader(after the faults)", raw_log_reader(4, A(&rfd)), 0);
  expect("log_reader(one attached)", raw_log_reader(4, P), __WASI_ERRNO_BUSY);
  while (rfd >= 0 && read(rfd, big, sizeof big) > 0) {}

  EACH_BAD(6, "log_open tag", raw_log_open(b, 6, 1, 6, 0, P));
  EACH_BAD(4, "log_open fd_out", raw_log_open(A(tag), 6, 1, 6, 0, b));
  expect("log_open(tag_len 0)", raw_log_open(A(tag), 0, 1, 6, 0, P), __WASI_ERRNO_INVAL);
  expect("log_open(tag_len 65)", raw_log_open(A(longtag), 65, 1, 6, 0, P), __WASI_ERRNO_INVAL);
  expect("log_open(tag_len 2^32-1)", raw_log_open(A(tag), 0xffffffffu, 1, 6, 0, P), __WASI_ERRNO_FAULT);
  expect("log_open(a space in the tag)", raw_log_open(A(spaced), 7, 1, 6, 0, P), __WASI_ERRNO_INVAL);
  expect("log_open(tag not UTF-8)", raw_log_open(A(notutf8), 4, 1, 6, 0, P), __WASI_ERRNO_ILSEQ);
  expect("log_open(facility 24)", raw_log_open(A(tag), 6, 24, 6, 0, P), __WASI_ERRNO_INVAL);
  expect("log_open(facility -1)", raw_log_open(A(tag), 6, -1, 6, 0, P), __WASI_ERRNO_INVAL);
  expect("log_open(severity 8)", raw_log_open(A(tag), 6, 1, 8, 0, P), __WASI_ERRNO_INVAL);
  expect("log_open(flags 2)", raw_log_open(A(tag), 6, 1, 6, 2, P), __WASI_ERRNO_INVAL);
  expect("log_open(flags 2^31)", raw_log_open(A(tag), 6, 1, 6, (I)0x80000000u, P), __WASI_ERRNO_INVAL);

  EACH_BAD(6, "log_write tag", raw_log_write(b, 6, 1, 6, A(msg), sizeof msg - 1));
  EACH_BAD(19, "log_write msg", raw_log_write(A(tag), 6, 1, 6, b, sizeof msg - 1));
  expect("log_write(msg_len 65537)", raw_log_write(A(tag), 6, 1, 6, A(big), 65537), __WASI_ERRNO_MSGSIZE);
  expect("log_write(msg_len 2^32-1)", raw_log_write(A(tag), 6, 1, 6, A(msg), 0xffffffffu), __WASI_ERRNO_MSGSIZE);
  expect("log_write(tag_len 0)", raw_log_write(A(tag), 0, 1, 6, A(msg), sizeof msg - 1), __WASI_ERRNO_INVAL);
  expect("log_write(tag_len 2^32-1)", raw_log_write(A(tag), 0xffffffffu, 1, 6, A(msg), sizeof msg - 1), __WASI_ERRNO_FAULT);
  expect("log_write(a space in the tag)", raw_log_write(A(spaced), 7, 1, 6, A(msg), sizeof msg - 1), __WASI_ERRNO_INVAL);
  expect("log_write(tag not UTF-8)", raw_log_write(A(notutf8), 4, 1, 6, A(msg), sizeof msg - 1), __WASI_ERRNO_ILSEQ);
  expect("log_write(facility 24)", raw_log_write(A(tag), 6, 24, 6, A(msg), sizeof msg - 1), __WASI_ERRNO_INVAL);
  expect("log_write(severity -1)", raw_log_write(A(tag), 6, 1, -1, A(msg), sizeof msg - 1), __WASI_ERRNO_INVAL);
  if (rfd >= 0) {
    errno = 0;
    expect("log_reader: the failures logged nothing", read(rfd, big, sizeof big) == -1 && errno == EAGAIN ? 0 : -1, 0);
    close(rfd);
  }
}

static void trace_checks(void) {
  static char unknown[] = "no_such_call", notutf8[] = "fd_\xff", names[] = "fd_read\0fd_write";
  static int32_t pp[2];
  int32_t tfd = -1;
  int32_t me = 0;
  raw_getpid(A(&me));
  EACH_BAD(4, "trace_attach fd_out", raw_trace_attach(0, 2, 0, b));
  expect("trace_attach(flags 32)", raw_trace_attach(0, 2 | 32, 0, P), __WASI_ERRNO_INVAL);
  expect("trace_attach(strsize -1)", raw_trace_attach(0, 2, -1, P), __WASI_ERRNO_INVAL);
  expect("trace_attach(strsize 65537)", raw_trace_attach(0, 2, 65537, P), __WASI_ERRNO_INVAL);
  expect("trace_attach(NEXT_CHILD with a pid)", raw_trace_attach(me, 2, 0, P), __WASI_ERRNO_INVAL);
  expect("trace_attach(pid 99999)", raw_trace_attach(99999, 0, 0, P), __WASI_ERRNO_SRCH);
  expect("trace_attach(pid -1)", raw_trace_attach(-1, 0, 0, P), __WASI_ERRNO_SRCH);
  expect("trace_attach(pid 0)", raw_trace_attach(0, 0, 0, P), __WASI_ERRNO_SRCH);
  expect("trace_attach(itself)", raw_trace_attach(me, 0, 0, P), __WASI_ERRNO_PERM);
  /* Nothing was armed by the failures: arming works once, then is EBUSY. */
  expect("trace_attach(NEXT_CHILD, after the faults)", raw_trace_attach(0, 2 | 4, 0, A(&tfd)), 0);
  expect("trace_attach(NEXT_CHILD armed)", raw_trace_attach(0, 2, 0, P), __WASI_ERRNO_BUSY);
  if (tfd < 0 || raw_pipe(A(pp), 0)) {
    expect("trace setup", 1, 0);
    return;
  }
  EACH_BAD(8, "trace_filter names", raw_trace_filter(tfd, b, 8));
  expect("trace_filter(len 2^32-1)", raw_trace_filter(tfd, A(names), 0xffffffffu), __WASI_ERRNO_FAULT);
  expect("trace_filter(fd -1)", raw_trace_filter(-1, A(names), sizeof names), __WASI_ERRNO_BADF);
  expect("trace_filter(a pipe)", raw_trace_filter(pp[0], A(names), sizeof names), __WASI_ERRNO_INVAL);
  expect("trace_filter(fd -1, hostile names)", raw_trace_filter(-1, 0xffffffffu, 8), __WASI_ERRNO_BADF);
  expect("trace_filter(a pipe, hostile names)", raw_trace_filter(pp[0], 0xffffffffu, 8), __WASI_ERRNO_INVAL);
  expect("trace_filter(an unknown name)", raw_trace_filter(tfd, A(unknown), sizeof unknown), __WASI_ERRNO_INVAL);
  expect("trace_filter(names not UTF-8)", raw_trace_filter(tfd, A(notutf8), sizeof notutf8 - 1), __WASI_ERRNO_ILSEQ);
  expect("trace_filter(valid)", raw_trace_filter(tfd, A(names), sizeof names), 0);
  expect("trace_detach(fd -1)", raw_trace_detach(-1, 0), __WASI_ERRNO_BADF);
  expect("trace_detach(a pipe)", raw_trace_detach(pp[0], 0), __WASI_ERRNO_INVAL);
  expect("trace_detach(pid 99999)", raw_trace_detach(tfd, 99999), __WASI_ERRNO_SRCH);
  expect("trace_detach(an untraced pid)", raw_trace_detach(tfd, me), __WASI_ERRNO_SRCH);
  expect("trace_detach(all)", raw_trace_detach(tfd, 0), 0);
  close(tfd);
  close(pp[0]);
  close(pp[1]);
}

/* No terminal here: every call answers EBADF for no descriptor, ENOTTY for a pipe, before
   looking at its pointers or numbers. */
static void tty_checks(void) {
  static int32_t pp[2];
  if (raw_pipe(A(pp), 0)) {
    expect("tty setup", 1, 0);
    return;
  }
  I fds[2] = {-1, pp[0]};
  int want[2] = {__WASI_ERRNO_BADF, __WASI_ERRNO_NOTTY};
  const char *what[2] = {"fd -1", "a pipe"};
  for (int i = 0; i < 2; i++) {
    char name[96];
    I fd = fds[i];
    int w = want[i];
#define TTY(call, expr)                                                                      \
    snprintf(name, sizeof name, "%s(%s)", call, what[i]);                                    \
    expect(name, (expr), w);
    TTY("tty_isatty", raw_tty_isatty(fd));
    TTY("tty_getattr", raw_tty_getattr(fd, P));
    TTY("tty_setattr", raw_tty_setattr(fd, 0, P));
    TTY("tty_getwinsize", raw_tty_getwinsize(fd, P));
    TTY("tty_setwinsize", raw_tty_setwinsize(fd, P));
    TTY("tty_getpgrp", raw_tty_getpgrp(fd, P));
    TTY("tty_setpgrp", raw_tty_setpgrp(fd, 1));
    TTY("tty_getsid", raw_tty_getsid(fd, P));
    TTY("tty_flush", raw_tty_flush(fd, 0));
    TTY("tty_name", raw_tty_name(fd, P, 64, P + 128));
    TTY("tty_set_raw", raw_tty_set_raw(fd, 1));
    /* The errno for the descriptor comes first, whatever else is wrong. */
    TTY("tty_getattr(hostile pointer)", raw_tty_getattr(fd, 0xffffffffu));
    TTY("tty_setattr(action 9, hostile pointer)", raw_tty_setattr(fd, 9, 0xffffffffu));
    TTY("tty_getwinsize(hostile pointer)", raw_tty_getwinsize(fd, 0xffffffffu));
    TTY("tty_setwinsize(hostile pointer)", raw_tty_setwinsize(fd, 0xffffffffu));
    TTY("tty_getpgrp(hostile pointer)", raw_tty_getpgrp(fd, 0xffffffffu));
    TTY("tty_setpgrp(pgid -1)", raw_tty_setpgrp(fd, -1));
    TTY("tty_getsid(hostile pointer)", raw_tty_getsid(fd, 0xffffffffu));
    TTY("tty_flush(queue 7)", raw_tty_flush(fd, 7));
    TTY("tty_name(hostile pointers)", raw_tty_name(fd, 0xffffffffu, 0xffffffffu, 0xffffffffu));
#undef TTY
  }
  close(pp[0]);
  close(pp[1]);
}

/* On a terminal (the test gives some runs one as stdin, controlling it): the pointers and
   numbers of every terminal call, and nothing changed by a failed one. */
static void terminal_checks(void) {
  static uint8_t attr0[60], attr1[60], ws0[8], ws1[8];
  static char tname[128];
  uint32_t pgrp0 = 0, pgrp1 = 0, nlen = 0;
  if (raw_tty_getattr(0, A(attr0)) || raw_tty_getwinsize(0, A(ws0)) || raw_tty_getpgrp(0, A(&pgrp0)) ||
      raw_tty_name(0, A(tname), sizeof tname, A(&nlen))) {
    expect("terminal setup", 1, 0);
    return;
  }
  expect("tty_isatty(a terminal)", raw_tty_isatty(0), 0);
  EACH_BAD(60, "tty_getattr termios", raw_tty_getattr(0, b));
  EACH_BAD(60, "tty_setattr termios", raw_tty_setattr(0, 0, b));
  expect("tty_setattr(action 3)", raw_tty_setattr(0, 3, A(attr0)), __WASI_ERRNO_INVAL);
  expect("tty_setattr(action -1)", raw_tty_setattr(0, -1, A(attr0)), __WASI_ERRNO_INVAL);
  expect("tty_setattr: the settings unchanged by the failures",
         raw_tty_getattr(0, A(attr1)) == 0 && memcmp(attr0, attr1, sizeof attr0) == 0 ? 0 : -1, 0);
  EACH_BAD(8, "tty_getwinsize winsize", raw_tty_getwinsize(0, b));
  EACH_BAD(8, "tty_setwinsize winsize", raw_tty_setwinsize(0, b));
  expect("tty_setwinsize: the size unchanged by the failures",
         raw_tty_getwinsize(0, A(ws1)) == 0 && memcmp(ws0, ws1, sizeof ws0) == 0 ? 0 : -1, 0);
  EACH_BAD(4, "tty_getpgrp out", raw_tty_getpgrp(0, b));
  EACH_BAD(4, "tty_getsid out", raw_tty_getsid(0, b));
  expect("tty_setpgrp(pgid -1)", raw_tty_setpgrp(0, -1), __WASI_ERRNO_INVAL);
  expect("tty_setpgrp(pgid 99999)", raw_tty_setpgrp(0, 99999), __WASI_ERRNO_PERM);
  expect("tty_setpgrp: the foreground group unchanged by the failures",
         raw_tty_getpgrp(0, A(&pgrp1)) == 0 && pgrp1 == pgrp0 ? 0 : -1, 0);
  expect("tty_flush(queue 3)", raw_tty_flush(0, 3), __WASI_ERRNO_INVAL);
  expect("tty_flush(queue -1)", raw_tty_flush(0, -1), __WASI_ERRNO_INVAL);
  EACH_BAD(4, "tty_name len_out", raw_tty_name(0, P, 64, b));
  { /* the straddling buffer: the name fits, its NUL does not; nothing may be written
       (checked first: the EACH_BAD below would leave the name there) */
    uint8_t *tail = (uint8_t *)(uintptr_t)(mem_end() - nlen), saved[128];
    memcpy(saved, tail, nlen);
    int err = raw_tty_name(0, mem_end() - nlen, nlen + 1, P + 128);
    int same = memcmp(saved, tail, nlen) == 0;
    memcpy(tail, saved, nlen);
    expect("tty_name(buf straddling the end) wrote nothing", err == __WASI_ERRNO_FAULT && same ? 0 : -1, 0);
  }
  EACH_BAD(nlen + 1, "tty_name buf", raw_tty_name(0, b, nlen + 1, P + 128));
  expect("tty_name(len: no room for the NUL)", raw_tty_name(0, P, nlen, P + 128), __WASI_ERRNO_RANGE);
  expect("tty_name(len 0)", raw_tty_name(0, P, 0, P + 128), __WASI_ERRNO_RANGE);
  expect("tty_set_raw(on, then off)", raw_tty_set_raw(0, 7) == 0 && raw_tty_set_raw(0, 0) == 0 &&
         raw_tty_getattr(0, A(attr1)) == 0 && memcmp(attr0, attr1, sizeof attr0) == 0 ? 0 : -1, 0);
}

/* What only another user meets: run as uid 1000 (argv[1] "child") for EPERM. */
static int child_checks(void) {
  int32_t ppid = 0;
  raw_getppid(A(&ppid));
  expect("log_reader(uid 1000)", raw_log_reader(0, P), __WASI_ERRNO_PERM);
  expect("trace_attach(uid 1000, a uid 0 process)", raw_trace_attach(ppid, 0, 0, P), __WASI_ERRNO_PERM);
  printf("iskbad child: %d checks, %d failed\n", checks, failed);
  return failed ? 1 : 0;
}

static void spawn_child_as_user(void) {
  static char path[] = "/t/iskbad.wasm";
  static char args[] = "iskbad\0child\0";
  static uint32_t action[8] = {7, 1000, 1000, 0, 0, 0, 0, 0}; /* SETIDS uid 1000, gid 1000 */
  static struct req r;
  r = (struct req){A(path), sizeof path - 1, A(args), sizeof args - 1, A(args), 0, A(action), 1, 0, 0, 0, 0, 0, 0, 0, 0};
  int32_t pid = 0, got = 0;
  uint32_t status = 0;
  int err = raw_spawn(A(&r), A(&pid));
  expect("spawn(itself as uid 1000)", err, 0);
  if (err) return;
  fflush(stdout);
  expect("wait(the uid 1000 child)", raw_wait(pid, 0, A(&status), A(&got)), 0);
  expect("the uid 1000 child's checks passed", got == pid && status == 0 ? 0 : -1, 0);
}

static void new_checks(void) {
  int free0 = lowest_free();
  exec_checks();
  socket_checks();
  inet_checks();
  log_checks();
  trace_checks();
  tty_checks();
  if (raw_tty_isatty(0) == 0) terminal_checks();
  expect("no descriptor left behind", lowest_free() == free0 ? 0 : -1, 0);
  spawn_child_as_user();
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc > 1 && strcmp(argv[1], "child") == 0) return child_checks();
  spawn_checks();
  new_checks();
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
  EACH_BAD(4, "fd_next fd_out", raw_fd_next(0, b));
  expect("fd_next(fd -1)", raw_fd_next(-1, P), __WASI_ERRNO_BADF);
  expect("fd_next(none above 99999)", raw_fd_next(99999, P), __WASI_ERRNO_BADF);
  {
    /* read_eof: every pointer is checked before a byte is taken (the pipe keeps its data). */
    I rp[2];
    static char rbuf[8];
    static U riov[2];
    riov[0] = (U)(uintptr_t)rbuf;
    riov[1] = sizeof rbuf;
    if (raw_pipe(A(rp), 0) == 0 && write(rp[1], "abc", 3) == 3) {
      EACH_BAD(4, "read_eof eof_out", raw_read_eof(rp[0], A(riov), 1, P, b));
      EACH_BAD(8, "read_eof iovs", raw_read_eof(rp[0], b, 1, P, P + 8));
      EACH_BAD(4, "read_eof nread_out", raw_read_eof(rp[0], A(riov), 1, b, P + 8));
      expect("read_eof(fd -1)", raw_read_eof(-1, A(riov), 1, P, P + 8), __WASI_ERRNO_BADF);
      close(rp[1]);
      expect("read_eof(data, then no writer)", raw_read_eof(rp[0], A(riov), 1, P, P + 8), 0);
      expect("read_eof: 3 bytes and end of file", (int)(*(U *)scratch * 10 + *(U *)(scratch + 8)), 31);
      close(rp[0]);
    } else {
      expect("read_eof: a pipe with data", -1, 0);
    }
  }
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
