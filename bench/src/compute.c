// The compute benchmark for the cost of the kernel's instrumentation (bench/instrument.ts):
//   compute crc [ROUNDS]    CRC-32 (table-driven, a byte at a time) of a 64 MiB buffer
//   compute sort [ROUNDS]   quicksort of 16 Mi random 32-bit keys (64 MiB)
// Each round is timed with clock_gettime; prints `crc32_64mib MS` or `sort_64mib MS`, the
// fastest round in milliseconds (V8 compiles hot functions with TurboFan after their first
// calls, so later rounds measure optimised code), and a checksum line on stderr.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIB (1024 * 1024)
#define CHUNK (64 * 1024)

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static uint32_t seed = 2463534242u;
static uint32_t xorshift32(void) {
  seed ^= seed << 13;
  seed ^= seed >> 17;
  seed ^= seed << 5;
  return seed;
}

static uint32_t table[256];

static void crc_init(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
}

__attribute__((noinline)) static uint32_t crc_update(uint32_t crc, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return crc;
}

static void insertion(uint32_t *a, long n) {
  for (long i = 1; i < n; i++) {
    uint32_t v = a[i];
    long j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

/* Recurses on the smaller part, loops on the larger: depth at most log2(n). */
__attribute__((noinline)) static void quicksort(uint32_t *a, long n) {
  while (n > 16) {
    uint32_t x = a[0], y = a[n / 2], z = a[n - 1];
    uint32_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
    long i = 0, j = n - 1;
    for (;;) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i >= j) break;
      uint32_t t = a[i];
      a[i] = a[j];
      a[j] = t;
      i++;
      j--;
    }
    long left = j + 1;
    if (left < n - left) {
      quicksort(a, left);
      a += left;
      n -= left;
    } else {
      quicksort(a + left, n - left);
      n = left;
    }
  }
  insertion(a, n);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: compute crc|sort [ROUNDS]\n");
    return 2;
  }
  int rounds = argc > 2 ? atoi(argv[2]) : 5;
  if (rounds < 1) rounds = 1;
  double best = 1e300;
  uint32_t check = 0;
  if (strcmp(argv[1], "crc") == 0) {
    size_t n = 64 * MIB;
    uint8_t *buf = malloc(n);
    if (!buf) return 1;
    for (size_t i = 0; i < n; i += 4) {
      uint32_t v = xorshift32();
      memcpy(buf + i, &v, 4);
    }
    crc_init();
    for (int r = 0; r < rounds; r++) {
      double t0 = now_ms();
      uint32_t crc = 0xffffffffu;
      for (size_t off = 0; off < n; off += CHUNK) crc = crc_update(crc, buf + off, CHUNK);
      double t = now_ms() - t0;
      if (t < best) best = t;
      check = ~crc;
    }
    printf("crc32_64mib %.3f\n", best);
  } else if (strcmp(argv[1], "sort") == 0) {
    long n = 16 * MIB;
    uint32_t *a = malloc(n * sizeof *a);
    if (!a) return 1;
    for (int r = 0; r < rounds; r++) {
      seed = 2463534242u;
      for (long i = 0; i < n; i++) a[i] = xorshift32();
      double t0 = now_ms();
      quicksort(a, n);
      double t = now_ms() - t0;
      if (t < best) best = t;
      for (long i = 1; i < n; i++) if (a[i - 1] > a[i]) return 3;
      check = a[n / 2];
    }
    printf("sort_64mib %.3f\n", best);
  } else {
    fprintf(stderr, "compute: unknown benchmark %s\n", argv[1]);
    return 2;
  }
  fprintf(stderr, "check %08x\n", check);
  return 0;
}
