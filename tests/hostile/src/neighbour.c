// neighbour: a well-behaved process that must not notice hostile ones beside it.
//
//   neighbour PATH ROUNDS
//
// Each round writes a pattern that depends on the round to PATH, reads it back through a
// fresh descriptor, and folds what it read into a CRC-32 (IEEE, as zlib's); it yields
// between rounds so that other processes run in between. Prints
//   neighbour: rounds=R bytes=B crc=XXXXXXXX
// which the host recomputes; exits 1 if an I/O call fails or a read comes back short.
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static uint8_t data[8192];

static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n) {
  crc = ~crc;
  while (n--) {
    crc ^= *p++;
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1));
  }
  return ~crc;
}

/** Round r's pattern: its length and bytes (the host computes the same). */
static size_t pattern(uint32_t r) {
  size_t n = 1000 + (r * 337) % 7000;
  for (size_t i = 0; i < n; i++) data[i] = (uint8_t)(r * 31 + i * 7 + (i >> 8));
  return n;
}

static int fail(const char *what, uint32_t r) {
  fprintf(stderr, "neighbour: round %u: %s failed\n", r, what);
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 3) return fail("usage", 0);
  const char *path = argv[1];
  uint32_t rounds = (uint32_t)strtoul(argv[2], NULL, 0), crc = 0;
  uint64_t bytes = 0;
  for (uint32_t r = 0; r < rounds; r++) {
    size_t n = pattern(r);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return fail("open for writing", r);
    if (write(fd, data, n) != (ssize_t)n) return fail("write", r);
    if (close(fd) != 0) return fail("close", r);
    for (size_t i = 0; i < n; i++) data[i] = 0;
    fd = open(path, O_RDONLY);
    if (fd < 0) return fail("open for reading", r);
    if (read(fd, data, sizeof data) != (ssize_t)n) return fail("read", r);
    close(fd);
    crc = crc32_update(crc, data, n);
    bytes += n;
    sched_yield();
  }
  printf("neighbour: rounds=%u bytes=%llu crc=%08x\n", rounds, (unsigned long long)bytes, crc);
  return 0;
}
