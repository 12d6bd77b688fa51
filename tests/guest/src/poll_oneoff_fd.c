// poll_oneoff on descriptors: a regular file is always ready for reading (even at its end)
// and writing, so a poll with a long clock beside it returns at once with the descriptors'
// events only; stdout is ready for writing. A directory or a descriptor that is not open
// fails the call with EBADF.
#include "test.h"

int main(void) {
  __wasi_fd_t dir = WORKDIR("poll_oneoff_fd");
  MAKE_FILE(dir, "data", "some bytes");
  __wasi_fd_t r = OPEN(dir, "data", 0, RIGHTS_RO, 0);
  __wasi_fd_t w = OPEN(dir, "out", __WASI_OFLAGS_CREAT, RIGHTS_WO, 0);
  __wasi_fd_t empty = OPEN(dir, "empty", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0);

  __wasi_subscription_t subs[5] = {
      clock_sub(1, __WASI_CLOCKID_MONOTONIC, 5 * SEC, 0),
      fd_sub(2, __WASI_EVENTTYPE_FD_READ, r),
      fd_sub(3, __WASI_EVENTTYPE_FD_WRITE, w),
      fd_sub(4, __WASI_EVENTTYPE_FD_READ, empty),
      fd_sub(5, __WASI_EVENTTYPE_FD_WRITE, 1),
  };
  __wasi_event_t evs[5];
  __wasi_size_t n;
  __wasi_timestamp_t start = now_ns(__WASI_CLOCKID_MONOTONIC);
  CHECK_OK(__wasi_poll_oneoff(subs, evs, 5, &n));
  CHECK(now_ns(__WASI_CLOCKID_MONOTONIC) - start < 2 * SEC);
  CHECK_EQ(n, 4);
  unsigned seen = 0;
  for (unsigned i = 0; i < n; i++) {
    CHECK_EQ(evs[i].error, 0);
    CHECK(evs[i].userdata >= 2 && evs[i].userdata <= 5);
    seen |= 1u << evs[i].userdata;
    __wasi_eventtype_t want = (evs[i].userdata == 2 || evs[i].userdata == 4) ? __WASI_EVENTTYPE_FD_READ : __WASI_EVENTTYPE_FD_WRITE;
    CHECK_EQ(evs[i].type, want);
  }
  CHECK_EQ(seen, 0x3c);

  // Reading at the end of a file: still ready.
  char buf[16];
  CHECK_EQ(READ_UPTO(r, buf, sizeof buf), 10);
  CHECK_OK(__wasi_poll_oneoff(&subs[1], evs, 1, &n));
  CHECK_EQ(n, 1);
  CHECK_EQ(evs[0].userdata, 2);

  __wasi_subscription_t bad = fd_sub(6, __WASI_EVENTTYPE_FD_READ, BAD_FD);
  CHECK_ERRNO(__wasi_poll_oneoff(&bad, evs, 1, &n), __WASI_ERRNO_BADF);
  bad = fd_sub(6, __WASI_EVENTTYPE_FD_READ, dir);
  CHECK_ERRNO(__wasi_poll_oneoff(&bad, evs, 1, &n), __WASI_ERRNO_BADF);
  return 0;
}
