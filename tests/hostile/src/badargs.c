// badargs: every wasi_snapshot_preview1 function (all 46) called with hostile arguments:
// pointers past the end of memory, ranges straddling its end, lengths of 0xFFFFFFFF, iovec
// and subscription counts whose byte size wraps 32 bits, u64 arguments with the top bit set,
// negative, huge and just-closed descriptors, overlapping buffers; each checked for its
// exact errno.
//
// Run with /tmp as fd 3 (the only preopen; '/' is fd 4) and one environment variable.
// Prints "ok" or "FAIL" and the call for each check; exits 0 only if every check matched
// (proc_exit is the last function called).
#include <wasi/api.h>
#include <stdio.h>
#include <string.h>

#include "raw.h"

#define DIR 3
#define WILD ((I)0xFFFFFFF0u)
#define HUGE ((I)0xFFFFFFFFu)
#define RIGHTS ((L)((1ll << 30) - 1))
/** An iovec count whose byte size (count * 8) is exactly 2^32: it must not wrap to 0 (over a
 * page of zeros, a wrapped check would let the kernel walk empty iovecs off the end). */
#define WRAP_IOVS ((I)0x20000000)
/** A subscription count whose byte sizes (n * 48, n * 32) are multiples of 2^32. */
#define WRAP_SUBS ((I)0x20000000)

enum {
  OK = __WASI_ERRNO_SUCCESS, BADF = __WASI_ERRNO_BADF, FAULT = __WASI_ERRNO_FAULT,
  INVAL = __WASI_ERRNO_INVAL, ILSEQ = __WASI_ERRNO_ILSEQ, NAMETOOLONG = __WASI_ERRNO_NAMETOOLONG,
  NOTSOCK = __WASI_ERRNO_NOTSOCK, NOTCAPABLE = __WASI_ERRNO_NOTCAPABLE,
};

static int failures;
static const char *context = "";

static void expect(const char *call, int got, int want) {
  if (got == want) {
    printf("ok   %s%s = %d\n", context, call, want);
  } else {
    failures++;
    printf("FAIL %s%s = %d, want %d\n", context, call, got, want);
  }
}
#define T(call, want) expect(#call, (call), (want))
#define TRUE(cond) expect(#cond, !!(cond), 1)

static uint8_t buf[256] __attribute__((aligned(16)));
static uint8_t buf2[64] __attribute__((aligned(16)));
static uint32_t n32;
static uint64_t n64;
static __wasi_iovec_t iov[2];
static __wasi_subscription_t sub;
static __wasi_event_t ev[2];
/** The start of a page of zeros at the top of memory (zero iovecs, clock subscriptions). */
static I zeros;

/** An iovec array of one element {ptr, len}. */
static I one(I ptr, I len) {
  iov[0].buf = (uint8_t *)(uintptr_t)ptr;
  iov[0].buf_len = (uint32_t)len;
  return P(iov);
}

static I open_file(const char *name, int oflags) {
  uint32_t fd = 0;
  int e = raw_path_open(DIR, 0, P(name), (I)strlen(name), oflags, RIGHTS, RIGHTS, 0, P(&fd));
  if (e != OK) {
    printf("FAIL setup: open %s = %d\n", name, e);
    raw_proc_exit(2);
  }
  return (I)fd;
}

static uint64_t file_size(I fd) {
  __wasi_filestat_t st;
  return raw_fd_filestat_get(fd, P(&st)) == OK ? st.size : (uint64_t)-1;
}

/** Calls every fd-taking function on `fd`, which is not open: each must be EBADF. */
static void bad_fd(I fd, I file) {
  T(raw_fd_advise(fd, 0, 0, 0), BADF);
  T(raw_fd_allocate(fd, 0, 1), BADF);
  T(raw_fd_close(fd), BADF);
  T(raw_fd_datasync(fd), BADF);
  T(raw_fd_fdstat_get(fd, P(buf)), BADF);
  T(raw_fd_fdstat_set_flags(fd, 0), BADF);
  T(raw_fd_fdstat_set_rights(fd, 0, 0), BADF);
  T(raw_fd_filestat_get(fd, P(buf)), BADF);
  T(raw_fd_filestat_set_size(fd, 0), BADF);
  T(raw_fd_filestat_set_times(fd, 0, 0, 0), BADF);
  T(raw_fd_pread(fd, one(P(buf), 8), 1, 0, P(&n32)), BADF);
  T(raw_fd_prestat_get(fd, P(buf)), BADF);
  T(raw_fd_prestat_dir_name(fd, P(buf), sizeof buf), BADF);
  T(raw_fd_pwrite(fd, one(P(buf), 8), 1, 0, P(&n32)), BADF);
  T(raw_fd_read(fd, one(P(buf), 8), 1, P(&n32)), BADF);
  T(raw_fd_readdir(fd, P(buf), sizeof buf, 0, P(&n32)), BADF);
  T(raw_fd_renumber(fd, file), BADF);
  T(raw_fd_renumber(file, fd), BADF);
  T(raw_fd_seek(fd, 0, 0, P(&n64)), BADF);
  T(raw_fd_sync(fd), BADF);
  T(raw_fd_tell(fd, P(&n64)), BADF);
  T(raw_fd_write(fd, one(P(buf), 8), 1, P(&n32)), BADF);
  T(raw_path_create_directory(fd, P("x"), 1), BADF);
  T(raw_path_filestat_get(fd, 0, P("f"), 1, P(buf)), BADF);
  T(raw_path_filestat_set_times(fd, 0, P("f"), 1, 0, 0, 0), BADF);
  T(raw_path_link(fd, 0, P("f"), 1, DIR, P("x"), 1), BADF);
  T(raw_path_link(DIR, 0, P("f"), 1, fd, P("x"), 1), BADF);
  T(raw_path_open(fd, 0, P("f"), 1, 0, RIGHTS, RIGHTS, 0, P(&n32)), BADF);
  T(raw_path_readlink(fd, P("l"), 1, P(buf), sizeof buf, P(&n32)), BADF);
  T(raw_path_remove_directory(fd, P("x"), 1), BADF);
  T(raw_path_rename(fd, P("f"), 1, DIR, P("x"), 1), BADF);
  T(raw_path_rename(DIR, P("f"), 1, fd, P("x"), 1), BADF);
  T(raw_path_symlink(P("f"), 1, fd, P("x"), 1), BADF);
  T(raw_path_unlink_file(fd, P("f"), 1), BADF);
  T(raw_sock_accept(fd, 0, P(&n32)), BADF);
  T(raw_sock_recv(fd, one(P(buf), 8), 1, 0, P(&n32), P(&n32)), BADF);
  T(raw_sock_send(fd, one(P(buf), 8), 1, 0, P(&n32)), BADF);
  T(raw_sock_shutdown(fd, __WASI_SDFLAGS_RD), BADF);
  // poll_oneoff: a subscription to a descriptor that is not open fails the call (as wasmtime).
  memset(&sub, 0, sizeof sub);
  sub.u.tag = __WASI_EVENTTYPE_FD_READ;
  sub.u.u.fd_read.file_descriptor = (uint32_t)fd;
  T(raw_poll_oneoff(P(&sub), P(ev), 1, P(&n32)), BADF);
}

/** Pointer and length checks: `bad` is an address whose next 8 bytes are not all in memory. */
static void bad_memory(I file, I bad) {
  // Arguments and environment.
  T(raw_args_sizes_get(bad, P(&n32)), FAULT);
  T(raw_args_sizes_get(P(&n32), bad), FAULT);
  T(raw_args_get(bad, P(buf)), FAULT);
  T(raw_args_get(P(buf), bad), FAULT);
  T(raw_environ_sizes_get(bad, P(&n32)), FAULT);
  T(raw_environ_sizes_get(P(&n32), bad), FAULT);
  T(raw_environ_get(bad, P(buf)), FAULT);
  T(raw_environ_get(P(buf), bad), FAULT);
  // Clocks and randomness.
  T(raw_clock_res_get(__WASI_CLOCKID_MONOTONIC, bad), FAULT);
  T(raw_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, bad), FAULT);
  T(raw_clock_time_get(__WASI_CLOCKID_REALTIME, 0, bad), FAULT);
  T(raw_random_get(bad, 8), FAULT);
  T(raw_random_get(P(buf), HUGE), FAULT);
  // Descriptor calls: the output pointer.
  T(raw_fd_fdstat_get(file, bad), FAULT);
  T(raw_fd_filestat_get(file, bad), FAULT);
  T(raw_fd_prestat_get(DIR, bad), FAULT);
  T(raw_fd_prestat_dir_name(DIR, bad, 8), FAULT);
  T(raw_fd_seek(file, 0, __WASI_WHENCE_SET, bad), FAULT);
  T(raw_fd_tell(file, bad), FAULT);
  // Reads and writes: the iovec array, an iovec's buffer, its length, the count, the result.
  T(raw_fd_read(file, bad, 1, P(&n32)), FAULT);
  T(raw_fd_read(file, one(bad, 8), 1, P(&n32)), FAULT);
  T(raw_fd_read(file, one(P(buf), HUGE), 1, P(&n32)), FAULT);
  T(raw_fd_read(file, P(iov), HUGE, P(&n32)), FAULT);
  T(raw_fd_read(file, zeros, WRAP_IOVS, P(&n32)), FAULT);
  T(raw_fd_read(file, one(P(buf), 8), 1, bad), FAULT);
  T(raw_fd_write(file, bad, 1, P(&n32)), FAULT);
  T(raw_fd_write(file, one(bad, 8), 1, P(&n32)), FAULT);
  T(raw_fd_write(file, one(P(buf), HUGE), 1, P(&n32)), FAULT);
  T(raw_fd_write(file, zeros, WRAP_IOVS, P(&n32)), FAULT);
  T(raw_fd_write(file, one(P(buf), 8), 1, bad), FAULT);
  T(raw_fd_pread(file, bad, 1, 0, P(&n32)), FAULT);
  T(raw_fd_pread(file, one(bad, 8), 1, 0, P(&n32)), FAULT);
  T(raw_fd_pread(file, one(P(buf), HUGE), 1, 0, P(&n32)), FAULT);
  T(raw_fd_pread(file, zeros, WRAP_IOVS, 0, P(&n32)), FAULT);
  T(raw_fd_pread(file, one(P(buf), 8), 1, 0, bad), FAULT);
  T(raw_fd_pwrite(file, bad, 1, 0, P(&n32)), FAULT);
  T(raw_fd_pwrite(file, one(bad, 8), 1, 0, P(&n32)), FAULT);
  T(raw_fd_pwrite(file, one(P(buf), HUGE), 1, 0, P(&n32)), FAULT);
  T(raw_fd_pwrite(file, zeros, WRAP_IOVS, 0, P(&n32)), FAULT);
  T(raw_fd_pwrite(file, one(P(buf), 8), 1, 0, bad), FAULT);
  T(raw_fd_readdir(DIR, bad, 8, 0, P(&n32)), FAULT);
  T(raw_fd_readdir(DIR, P(buf), HUGE, 0, P(&n32)), FAULT);
  T(raw_fd_readdir(DIR, P(buf), sizeof buf, 0, bad), FAULT);
  // Paths: the string, its length, and the output pointers.
  T(raw_path_create_directory(DIR, bad, 8), FAULT);
  T(raw_path_create_directory(DIR, P("x"), HUGE), FAULT);
  T(raw_path_filestat_get(DIR, 0, bad, 8, P(buf)), FAULT);
  T(raw_path_filestat_get(DIR, 0, P("f"), 1, bad), FAULT);
  T(raw_path_filestat_set_times(DIR, 0, bad, 8, 0, 0, 0), FAULT);
  T(raw_path_filestat_set_times(DIR, 0, P("f"), HUGE, 0, 0, 0), FAULT);
  T(raw_path_link(DIR, 0, bad, 8, DIR, P("x"), 1), FAULT);
  T(raw_path_link(DIR, 0, P("f"), 1, DIR, bad, 8), FAULT);
  T(raw_path_open(DIR, 0, bad, 8, 0, RIGHTS, RIGHTS, 0, P(&n32)), FAULT);
  T(raw_path_open(DIR, 0, P("f"), HUGE, 0, RIGHTS, RIGHTS, 0, P(&n32)), FAULT);
  T(raw_path_open(DIR, 0, P("f"), 1, 0, RIGHTS, RIGHTS, 0, bad), FAULT);
  T(raw_path_readlink(DIR, bad, 8, P(buf), sizeof buf, P(&n32)), FAULT);
  T(raw_path_readlink(DIR, P("l"), 1, bad, 8, P(&n32)), FAULT);
  T(raw_path_readlink(DIR, P("l"), 1, P(buf), HUGE, P(&n32)), FAULT);
  T(raw_path_readlink(DIR, P("l"), 1, P(buf), sizeof buf, bad), FAULT);
  T(raw_path_remove_directory(DIR, bad, 8), FAULT);
  T(raw_path_rename(DIR, bad, 8, DIR, P("x"), 1), FAULT);
  T(raw_path_rename(DIR, P("f"), 1, DIR, P("x"), HUGE), FAULT);
  T(raw_path_symlink(bad, 8, DIR, P("x"), 1), FAULT);
  T(raw_path_symlink(P("f"), 1, DIR, bad, 8), FAULT);
  T(raw_path_unlink_file(DIR, bad, 8), FAULT);
  T(raw_path_unlink_file(DIR, P("f"), HUGE), FAULT);
  // poll_oneoff: subscriptions, events, the count.
  memset(&sub, 0, sizeof sub);
  sub.u.tag = __WASI_EVENTTYPE_CLOCK;
  sub.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  T(raw_poll_oneoff(bad, P(ev), 1, P(&n32)), FAULT);
  T(raw_poll_oneoff(P(&sub), bad, 1, P(&n32)), FAULT);
  T(raw_poll_oneoff(P(&sub), P(ev), 1, bad), FAULT);
  T(raw_poll_oneoff(P(&sub), P(ev), HUGE, P(&n32)), FAULT);
  T(raw_poll_oneoff(zeros, zeros, WRAP_SUBS, P(&n32)), FAULT);
  // Sockets: a descriptor that is open but no socket answers ENOTSOCK before its pointers.
  T(raw_sock_accept(file, 0, bad), NOTSOCK);
  T(raw_sock_recv(file, bad, 1, 0, bad, bad), NOTSOCK);
  T(raw_sock_send(file, bad, 1, 0, bad), NOTSOCK);
  T(raw_sock_shutdown(file, 99), NOTSOCK);
}

/** Exactly at the end of memory is in memory; one byte further is not. */
static void boundaries(void) {
  I top = (I)mem_size();
  T(raw_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, top - 8), OK);
  T(raw_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, top - 7), FAULT);
  T(raw_random_get(top - 16, 16), OK);
  T(raw_random_get(top - 16, 17), FAULT);
  T(raw_random_get(top, 0), OK);
  T(raw_random_get(top + 1, 0), FAULT);
  T(raw_args_sizes_get(top - 4, top - 8), OK);
}

/** Values the spec calls invalid (EINVAL), with every pointer valid. */
static void bad_values(I file) {
  T(raw_clock_res_get(99, P(&n64)), INVAL);
  T(raw_clock_res_get(-1, P(&n64)), INVAL);
  T(raw_clock_time_get(99, 0, P(&n64)), INVAL);
  T(raw_clock_time_get(-1, 0, P(&n64)), INVAL);
  T(raw_fd_advise(file, 0, 0, 99), INVAL);
  T(raw_fd_advise(file, 0, -1, __WASI_ADVICE_NORMAL), INVAL);
  T(raw_fd_advise(file, -1, 1, __WASI_ADVICE_NORMAL), INVAL);
  T(raw_fd_allocate(file, 0, 0), INVAL);
  T(raw_fd_allocate(file, -1, 1), INVAL);
  T(raw_fd_allocate(file, 0, -1), INVAL);
  T(raw_fd_fdstat_set_flags(file, 0x100), INVAL);
  T(raw_fd_fdstat_set_rights(file, -1, 0), NOTCAPABLE);
  T(raw_fd_filestat_set_size(file, -1), INVAL);
  T(raw_fd_filestat_set_times(file, 0, 0, 0x10), INVAL);
  T(raw_fd_filestat_set_times(file, 0, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW), INVAL);
  T(raw_fd_filestat_set_times(file, 0, 0, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW), INVAL);
  T(raw_fd_pread(file, one(P(buf), 8), 1, -1, P(&n32)), INVAL);
  T(raw_fd_pwrite(file, one(P(buf), 8), 1, -1, P(&n32)), INVAL);
  T(raw_fd_seek(file, 0, 3, P(&n64)), INVAL);
  T(raw_fd_seek(file, 0, -1, P(&n64)), INVAL);
  T(raw_fd_seek(file, -1, __WASI_WHENCE_SET, P(&n64)), INVAL);
  T(raw_fd_seek(file, INT64_MIN, __WASI_WHENCE_CUR, P(&n64)), INVAL);
  T(raw_fd_prestat_dir_name(DIR, P(buf), 1), NAMETOOLONG);
  T(raw_fd_prestat_dir_name(DIR, P(buf), HUGE), OK); // only the name's 4 bytes are written
  T(raw_path_open(DIR, 0, P("f"), 1, 0x10, RIGHTS, RIGHTS, 0, P(&n32)), INVAL);
  T(raw_path_open(DIR, 0, P("f"), 1, 0, RIGHTS, RIGHTS, 0x100, P(&n32)), INVAL);
  T(raw_path_open(DIR, 0, P("f\0g"), 3, 0, RIGHTS, RIGHTS, 0, P(&n32)), INVAL);
  T(raw_path_open(DIR, 0, P("\xff\xfe"), 2, 0, RIGHTS, RIGHTS, 0, P(&n32)), ILSEQ);
  T(raw_path_filestat_set_times(DIR, 0, P("f"), 1, 0, 0, 0x10), INVAL);
  memset(&sub, 0, sizeof sub);
  T(raw_poll_oneoff(P(&sub), P(ev), 0, P(&n32)), INVAL);
  sub.u.tag = 7;
  T(raw_poll_oneoff(P(&sub), P(ev), 1, P(&n32)), INVAL);
  T(raw_proc_raise(-1), INVAL);
  T(raw_proc_raise(31), INVAL);
  T(raw_proc_raise(0x7fffffff), INVAL);
  // The largest directory cookie is past every entry: an empty read, not an error.
  n32 = 1234;
  T(raw_fd_readdir(DIR, P(buf), sizeof buf, -1, P(&n32)), OK);
  TRUE(n32 == 0);
  T(raw_sched_yield(), OK);
}

/** Overlapping buffers: iovecs over each other, the iovec array or the result inside the data. */
static void overlaps(I file) {
  const char *alpha = "ABCDEFGHIJKLMNOPQRST";
  // Two iovecs over the same bytes: the write takes each as it is, in order.
  memcpy(buf, "0123456789AB", 12);
  iov[0] = (__wasi_iovec_t){buf, 8};
  iov[1] = (__wasi_iovec_t){buf + 4, 8};
  T(raw_fd_pwrite(file, P(iov), 2, 100, P(&n32)), OK);
  TRUE(n32 == 16);
  memset(buf2, 0, sizeof buf2);
  T(raw_fd_pread(file, one(P(buf2), 16), 1, 100, P(&n32)), OK);
  TRUE(n32 == 16 && memcmp(buf2, "01234567456789AB", 16) == 0);
  // A read into two overlapping iovecs: the second overwrites the tail of the first.
  memset(buf, '.', 16);
  iov[0] = (__wasi_iovec_t){buf, 8};
  iov[1] = (__wasi_iovec_t){buf + 4, 8};
  T(raw_fd_pread(file, P(iov), 2, 0, P(&n32)), OK);
  TRUE(n32 == 16 && memcmp(buf, "ABCDIJKLMNOP....", 16) == 0);
  // The iovec array lies inside the first buffer it names: it is read before any data lands.
  __wasi_iovec_t *inside = (__wasi_iovec_t *)(void *)buf;
  inside[0] = (__wasi_iovec_t){buf, 16};
  inside[1] = (__wasi_iovec_t){buf2, 4};
  T(raw_fd_seek(file, 0, __WASI_WHENCE_SET, P(&n64)), OK);
  T(raw_fd_read(file, P(buf), 2, P(&n32)), OK);
  TRUE(n32 == 20 && memcmp(buf, alpha, 16) == 0 && memcmp(buf2, "QRST", 4) == 0);
  // The result pointer inside the data buffer: the count is stored after the data.
  T(raw_fd_pread(file, one(P(buf), 16), 1, 0, P(buf + 4)), OK);
  TRUE(*(uint32_t *)(void *)(buf + 4) == 16 && memcmp(buf, "ABCD", 4) == 0);
  // A write whose second iovec is bad moves nothing.
  uint64_t before = file_size(file);
  iov[0] = (__wasi_iovec_t){buf, 4};
  iov[1] = (__wasi_iovec_t){(uint8_t *)(uintptr_t)WILD, 4};
  T(raw_fd_seek(file, 0, __WASI_WHENCE_END, P(&n64)), OK);
  T(raw_fd_write(file, P(iov), 2, P(&n32)), FAULT);
  TRUE(file_size(file) == before);
  // poll_oneoff with the events written over its own subscriptions.
  memset(buf, 0, sizeof buf);
  __wasi_subscription_t *s = (__wasi_subscription_t *)(void *)buf;
  s->userdata = 0x1122334455667788ull;
  s->u.tag = __WASI_EVENTTYPE_CLOCK;
  s->u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  T(raw_poll_oneoff(P(buf), P(buf), 1, P(&n32)), OK);
  __wasi_event_t *e = (__wasi_event_t *)(void *)buf;
  TRUE(n32 == 1 && e->userdata == 0x1122334455667788ull && e->error == 0 &&
       e->type == __WASI_EVENTTYPE_CLOCK);
}

int main(void) {
  // A fresh page at the top: the kernel must see memory grow between calls.
  if (__builtin_wasm_memory_grow(0, 1) == (size_t)-1) return 2;
  I edge = (I)(mem_size() - 1);
  zeros = (I)(mem_size() - 65536);

  I file = open_file("f", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC);
  T(raw_fd_write(file, one(P("ABCDEFGHIJKLMNOPQRST"), 20), 1, P(&n32)), OK);
  T(raw_path_symlink(P("f"), 1, DIR, P("l"), 1), OK);
  I closed = open_file("f", 0);
  T(raw_fd_close(closed), OK);

  static const struct { I fd; const char *name; } bad[] = {
      {-1, "[fd -1] "}, {0x7fffffff, "[fd 0x7fffffff] "}, {0, "[fd just closed] "}};
  for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    context = bad[i].name;
    bad_fd(i == 2 ? closed : bad[i].fd, file);
  }
  context = "[wild 0xFFFFFFF0] ";
  bad_memory(file, WILD);
  context = "[edge: memory size - 1] ";
  bad_memory(file, edge);
  context = "";
  boundaries();
  bad_values(file);
  overlaps(file);

  printf("%s: %d failed\n", failures ? "FAIL" : "PASS", failures);
  fflush(stdout);
  raw_proc_exit(failures ? 1 : 0);
}
