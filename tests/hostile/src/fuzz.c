// fuzz: random system calls with random arguments, for a bounded time.
//
//   fuzz SEED CALLS MS
//
// Makes at most CALLS calls, for at most MS milliseconds, drawn from every preview1 function
// but proc_exit and proc_raise. Arguments mix the valid (descriptors it opened, pointers
// into its own arena, names from a small vocabulary) with the hostile (bad descriptors,
// pointers past or straddling the end of memory, lengths near 2^32, u64s with the top bit
// set, invalid UTF-8, NUL bytes), so that calls get past argument checking into the
// filesystems. Expects fd 3 and fd 4 to be directories it may wreck (and no '/' preopen).
//
// What a call returns is not judged here: the host judges the kernel (no SIGSYS, the
// neighbour unharmed). It exits 0 after printing a summary line:
//   fuzz: seed=S calls=N ok=K pairs=P
// where P counts the distinct (function, errno) pairs seen, a rough measure of reach.
//
// Safety of the fuzzer itself: a pointer it passes is either inside its arenas with the
// length it passes, or (mostly) not in memory at all, so a kernel that writes only where it
// was told cannot corrupt the fuzzer. It never mallocs, so the top of memory stays a page
// of its own. Descriptors 1-4 are never closed or renumbered over, so the summary gets out.
#include <wasi/api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "raw.h"

#define ARENA 8192
#define MAX_FDS 24
#include "fuzz_common.h"
#define FUNCS 43

static uint8_t arena[ARENA] __attribute__((aligned(16)));
static uint8_t names[ARENA] __attribute__((aligned(16)));
static __wasi_iovec_t iovs[8];
static __wasi_subscription_t subs[4];

// ---- arguments ----

/** A descriptor: usually one that is open. */
static I any_fd(void) {
  switch (below(8)) {
  case 0: return bad_fd();
  case 1: case 2: return (I)below(5);
  default: return nfds ? fds[below(nfds)] : 3 + (I)below(2);
  }
}

/** A directory for path calls: usually a preopen, sometimes anything. */
static I dir_fd(void) {
  return below(4) ? 3 + (I)below(2) : any_fd();
}

/**
 * A descriptor the call may close or replace: never stdout, stderr or the preopens, and
 * half the time one that is not open, so that descriptors do not run out.
 */
static I victim_fd(void) {
  I fd = below(2) ? any_fd() : bad_fd();
  return fd >= 1 && fd <= 4 ? 0 : fd;
}

/** A length: either one the arena can hold, or one no memory can. */
static I len(void) {
  switch (below(20)) {
  case 0: case 1: return 0;
  case 2: return (I)0xFFFFFFFFu;
  case 3: return (I)(0x80000000u + below(0x7fffffff));
  case 4: case 5: case 6: case 7: return (I)below(ARENA + 1);
  default: return (I)below(64);
  }
}

/** A pointer to `size` bytes (size > 0) that are not all in memory. */
static I wild_ptr(uint32_t size) {
  uint32_t top = mem_size();
  switch (below(3)) {
  case 0: return (I)(top - below(size));                // straddles the end (or starts there)
  case 1: return (I)(0xFFFFFFFFu - below(64));         // wraps past 2^32
  default: return (I)(top + below(0xFFFFFFFFu - top));  // past the end
  }
}

/**
 * A pointer to `size` bytes: in `area`, in the unused bytes below address 256 (wasm-ld puts
 * data from 1024 up), or not (all) in memory.
 */
static I ptr_in(uint8_t *area, uint32_t size) {
  switch (below(10)) {
  case 0: return size <= 256 ? (I)below(256 - size + 1) : P(area);
  case 1: case 2: return wild_ptr(size);
  default: return size >= ARENA ? P(area) : P(area) + (I)below(ARENA - size + 1);
  }
}
static I ptr(uint32_t size) {
  return ptr_in(arena, size);
}

/** A u64 (file size, offset, time, rights, cookie): small, huge, or with the top bit set. */
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

/** Rights: usually all of them (so that calls get past the rights check), sometimes any u64. */
static L rights(void) {
  return below(4) ? -1 : u64();
}

/** Flags: usually few low bits, sometimes anything. */
static I flags(uint32_t bits) {
  switch (below(10)) {
  case 0: return (I)next();
  case 1: return -1;
  default: return (I)below(1u << bits);
  }
}

static const char *const VOCAB[] = {
    "a", "b", "d", "d/a", "d/e", "d/e/f", "l", "l/a", "d/l", ".", "..", "", "/", "a/",
    "d/..", "d/../a", "./a", "//a", "a//b", "../fuzz/a", "/fuzz", "/fuzz/d/a", "/fuzzhost/b",
    "/dev/null", "/dev/zero", "/dev/urandom", "/dev/full", "/dev/stdout", "/dev/stdin",
    "nonexistent/x", "a/b/c/d/e",
};
#define VOCAB_N (sizeof VOCAB / sizeof VOCAB[0])

static I path_len;

/** A path: a name from the vocabulary or two joined, random bytes, or a very long one. */
static I path(void) {
  uint8_t *at = names + below(64);
  uint32_t n = 0;
  switch (below(12)) {
  case 0: // random bytes: invalid UTF-8, NULs, slashes
    n = below(24);
    for (uint32_t i = 0; i < n; i++) at[i] = (uint8_t)next();
    break;
  case 1: // longer than NAME_MAX or PATH_MAX
    n = below(2) ? 300 : 5000;
    for (uint32_t i = 0; i < n; i++) at[i] = (i % 2 && n > 300) ? '/' : 'a';
    break;
  case 2: { // two names joined
    const char *x = VOCAB[below(VOCAB_N)], *y = VOCAB[below(VOCAB_N)];
    n = (uint32_t)(strlen(x) + 1 + strlen(y));
    memcpy(at, x, strlen(x));
    at[strlen(x)] = '/';
    memcpy(at + strlen(x) + 1, y, strlen(y));
    break;
  }
  default: {
    const char *x = VOCAB[below(VOCAB_N)];
    n = (uint32_t)strlen(x);
    memcpy(at, x, n);
  }
  }
  path_len = (I)n;
  switch (below(16)) {
  case 0: path_len = len(); return ptr_in(names, (uint32_t)path_len);
  case 1: return ptr_in(names, n);
  default: return P(at);
  }
}

/** An iovec array of random buffers (they may overlap each other); sets *count. */
static I iovec_array(I *count) {
  uint32_t n = below(5);
  int valid = below(3) != 0; // then every buffer is in the arena
  for (uint32_t i = 0; i < n; i++) {
    I l = valid ? (I)below(ARENA / 4) : len();
    iovs[i].buf_len = (uint32_t)l;
    iovs[i].buf = (uint8_t *)(uintptr_t)(valid ? P(arena) + (I)below(ARENA - (uint32_t)l) : ptr((uint32_t)l));
  }
  switch (below(10)) {
  case 0: *count = (I)0xFFFFFFFFu; break;
  case 1: *count = (I)0x20000000; break; // 2^32 bytes of iovecs
  default: *count = (I)n;
  }
  // The array itself: usually `iovs`, sometimes a copy in the arena (where the buffers may
  // overlap it), sometimes not in memory. Never arena bytes left as they are: random iovecs
  // could name any byte of the fuzzer, and a read would corrupt it.
  switch (below(10)) {
  case 0: {
    uint8_t *copy = arena + below(ARENA - sizeof iovs + 1);
    memcpy(copy, iovs, n * 8);
    return P(copy);
  }
  case 1: return wild_ptr(n * 8 + 1);
  default: return P(iovs);
  }
}

/** Subscriptions: random fds and clocks, the last always a short clock so poll returns. */
static I subscriptions(I *count) {
  uint32_t n = 1 + below(4);
  for (uint32_t i = 0; i < n; i++) {
    __wasi_subscription_t *s = &subs[i];
    memset(s, 0, sizeof *s);
    s->userdata = next();
    s->u.tag = (uint8_t)(below(8) ? below(3) : next());
    if (s->u.tag == __WASI_EVENTTYPE_CLOCK || i == n - 1) {
      s->u.tag = __WASI_EVENTTYPE_CLOCK;
      s->u.u.clock.id = below(6) ? below(2) : (uint32_t)next();
      s->u.u.clock.timeout = below(1000000);
      s->u.u.clock.flags = (uint16_t)below(2);
    } else {
      s->u.u.fd_read.file_descriptor = (uint32_t)any_fd();
    }
  }
  // Last: relative on the monotonic clock, at most 1 ms.
  subs[n - 1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  subs[n - 1].u.u.clock.flags = 0;
  *count = below(16) ? (I)n : (I)(below(2) ? 0 : 0x20000000);
  // Never subscriptions read from the arena: random bytes could ask for a long sleep.
  return below(12) ? P(subs) : wild_ptr(n * 48);
}

static void remember(I fd) {
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

// ---- one call ----

static int call(uint32_t fn) {
  I count, a, b;
  uint32_t *out = (uint32_t *)(void *)(arena + 8 * below(ARENA / 8 - 16));
  switch (fn) {
  case 0: return raw_args_get(ptr(64), ptr(256));
  case 1: return raw_args_sizes_get(ptr(4), ptr(4));
  case 2: return raw_environ_get(ptr(64), ptr(256));
  case 3: return raw_environ_sizes_get(ptr(4), ptr(4));
  case 4: return raw_clock_res_get(flags(3), ptr(8));
  case 5: return raw_clock_time_get(flags(3), u64(), ptr(8));
  case 6: return raw_fd_advise(any_fd(), u64(), u64(), flags(3));
  case 7: return raw_fd_allocate(any_fd(), u64(), u64());
  case 8: {
    I fd = victim_fd();
    int e = raw_fd_close(fd);
    if (e == 0) {
      forget(fd);
      last_closed = fd;
    }
    return e;
  }
  case 9: return raw_fd_datasync(any_fd());
  case 10: return raw_fd_fdstat_get(any_fd(), ptr(24));
  case 11: return raw_fd_fdstat_set_flags(any_fd(), flags(5));
  case 12: return raw_fd_fdstat_set_rights(victim_fd(), rights(), rights());
  case 13: return raw_fd_filestat_get(any_fd(), ptr(64));
  case 14: return raw_fd_filestat_set_size(any_fd(), below(4) ? (L)below(100000) : u64());
  case 15: return raw_fd_filestat_set_times(any_fd(), u64(), u64(), flags(4));
  case 16: a = iovec_array(&count); return raw_fd_pread(any_fd(), a, count, u64(), ptr(4));
  case 17: return raw_fd_prestat_get(any_fd(), ptr(8));
  case 18: b = len(); return raw_fd_prestat_dir_name(any_fd(), ptr((uint32_t)b), b);
  case 19: a = iovec_array(&count); return raw_fd_pwrite(any_fd(), a, count, u64(), ptr(4));
  case 20: a = iovec_array(&count); return raw_fd_read(any_fd(), a, count, ptr(4));
  case 21: b = len(); return raw_fd_readdir(any_fd(), ptr((uint32_t)b), b, u64(), ptr(4));
  case 22: {
    I from = victim_fd(), to = victim_fd();
    int e = raw_fd_renumber(from, to);
    if (e == 0 && from != to) {
      forget(from);
      last_closed = from;
    }
    return e;
  }
  case 23: return raw_fd_seek(any_fd(), u64(), flags(2), ptr(8));
  case 24: return raw_fd_sync(any_fd());
  case 25: return raw_fd_tell(any_fd(), ptr(8));
  case 26: a = iovec_array(&count); return raw_fd_write(any_fd(), a, count, ptr(4));
  case 27: a = path(); return raw_path_create_directory(dir_fd(), a, path_len);
  case 28: a = path(); return raw_path_filestat_get(dir_fd(), flags(1), a, path_len, ptr(64));
  case 29: a = path(); return raw_path_filestat_set_times(dir_fd(), flags(1), a, path_len, u64(), u64(), flags(4));
  case 30: {
    I l1, p1 = path();
    l1 = path_len;
    I p2 = path();
    return raw_path_link(dir_fd(), flags(1), p1, l1, dir_fd(), p2, path_len);
  }
  case 31: {
    a = path();
    I o = below(4) ? P(out) : ptr(4);
    int e = raw_path_open(dir_fd(), flags(1), a, path_len, flags(4), rights(), rights(), flags(5), o);
    if (e == 0 && o == P(out)) remember((I)*out);
    return e;
  }
  case 32: a = path(); b = len(); return raw_path_readlink(dir_fd(), a, path_len, ptr((uint32_t)b), b, ptr(4));
  case 33: a = path(); return raw_path_remove_directory(dir_fd(), a, path_len);
  case 34: {
    I p1 = path(), l1 = path_len;
    I p2 = path();
    return raw_path_rename(dir_fd(), p1, l1, dir_fd(), p2, path_len);
  }
  case 35: {
    I p1 = path(), l1 = path_len;
    I p2 = path();
    return raw_path_symlink(p1, l1, dir_fd(), p2, path_len);
  }
  case 36: a = path(); return raw_path_unlink_file(dir_fd(), a, path_len);
  case 37: a = subscriptions(&count); return raw_poll_oneoff(a, ptr(4 * 32), count, ptr(4));
  case 38: b = len(); return raw_random_get(ptr((uint32_t)b), b);
  case 39: return raw_sched_yield();
  case 40: return raw_sock_accept(any_fd(), flags(2), ptr(4));
  case 41: a = iovec_array(&count); return raw_sock_recv(any_fd(), a, count, flags(2), ptr(4), ptr(2));
  default: a = iovec_array(&count); return raw_sock_send(any_fd(), a, count, flags(2), ptr(4));
  }
}

static uint64_t now_ms(void) {
  uint64_t t = 0;
  raw_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, P(&t));
  return t / 1000000;
}

/** Which (function, errno) pairs have been seen: 43 functions x 77 errnos. */
static uint8_t seen[FUNCS][80];

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: fuzz SEED CALLS MS\n");
    return 2;
  }
  state = strtoull(argv[1], NULL, 0);
  uint32_t max_calls = (uint32_t)strtoul(argv[2], NULL, 0);
  uint64_t deadline = now_ms() + strtoull(argv[3], NULL, 0);
  // A page of our own at the top of memory, for pointers that straddle the end.
  __builtin_wasm_memory_grow(0, 1);

  uint32_t calls = 0, ok = 0, pairs = 0;
  while (calls < max_calls && (calls % 64 != 0 || now_ms() < deadline)) {
    uint32_t fn = below(FUNCS + 4);
    if (fn >= FUNCS) fn = 31; // path_open five times as often: descriptors to work on
    int e = call(fn);
    calls++;
    if (e == 0) ok++;
    uint32_t slot = (uint32_t)e < 80 ? (uint32_t)e : 79;
    if (!seen[fn][slot]) {
      seen[fn][slot] = 1;
      pairs++;
    }
    // Memory grows now and then: the kernel must follow it.
    if (below(2000) == 0 && mem_size() < (64u << 20)) __builtin_wasm_memory_grow(0, 1);
  }
  printf("\nfuzz: seed=%s calls=%u ok=%u pairs=%u\n", argv[1], calls, ok, pairs);
  return 0;
}
