// Sleeps argv[1] milliseconds with one relative poll_oneoff clock subscription, then exits
// 0: for the 1,000-process test and the benchmarks. Built natively (no __wasi__), it sleeps
// with nanosleep so the same source runs on Linux.
// test: args=20
#include <stdio.h>
#include <stdlib.h>

#ifdef __wasi__
#include <wasi/api.h>
#else
#include <time.h>
#endif

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: sleep_poll MILLISECONDS\n");
    return 2;
  }
  unsigned long long ms = strtoull(argv[1], NULL, 10);
#ifdef __wasi__
  __wasi_subscription_t sub = {
      .userdata = 1,
      .u = {.tag = __WASI_EVENTTYPE_CLOCK,
            .u = {.clock = {.id = __WASI_CLOCKID_MONOTONIC, .timeout = ms * 1000000}}},
  };
  __wasi_event_t event;
  __wasi_size_t n;
  __wasi_errno_t e = __wasi_poll_oneoff(&sub, &event, 1, &n);
  if (e != 0 || n != 1 || event.error != 0) {
    fprintf(stderr, "sleep_poll: poll_oneoff failed (errno %u)\n", e);
    return 1;
  }
#else
  struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000};
  nanosleep(&ts, NULL);
#endif
  return 0;
}
