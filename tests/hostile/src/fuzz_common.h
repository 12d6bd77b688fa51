// What the two fuzzers (fuzz.c: preview1; fuzz_isk.c: the isokernel module) share: the
// random source (splitmix64, so a seed names a run) and the table of descriptors they opened
// (the newest MAX_FDS kept: the oldest is closed when a new one comes). Define MAX_FDS and
// include raw.h before this file.
#ifndef HOSTILE_FUZZ_COMMON_H
#define HOSTILE_FUZZ_COMMON_H

#include <stdint.h>
#include <string.h>

// ---- randomness (splitmix64) ----

static uint64_t state;

static uint64_t next(void) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
static uint32_t below(uint32_t n) {
  return n ? (uint32_t)(next() % n) : 0;
}

// ---- descriptors ----

static I fds[MAX_FDS];
static int nfds;
static I last_closed = 1000;

/** A descriptor that is not open: never was, or no longer is. */
static I bad_fd(void) {
  switch (below(4)) {
  case 0: return -1;
  case 1: return 0x7fffffff;
  case 2: return last_closed;
  default: return (I)next();
  }
}

/** Keeps `fd` in the table; when it is full the oldest is closed (and becomes last_closed). */
static void keep_fd(I fd) {
  if (nfds == MAX_FDS) {
    I old = fds[0];
    memmove(fds, fds + 1, sizeof fds[0] * (MAX_FDS - 1));
    nfds--;
    if (raw_fd_close(old) == 0) last_closed = old;
  }
  fds[nfds++] = fd;
}

#endif
