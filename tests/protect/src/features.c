// cflags: -msimd128 -mbulk-memory -mnontrapping-fptoint -msign-ext -mtail-call
// Makes clang emit post-MVP instructions (SIMD loads, stores and lanes, memory.copy and
// memory.fill, saturating conversions, sign extension, tail calls), computes a checksum
// over their results and prints it: the output must be the same instrumented or not.
// `features null` then stores a vector through a NULL pointer (SIGSEGV at 0x20), and
// `features copy` copies into the null page with memory.copy (SIGSEGV at 0x40).
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasm_simd128.h>

static uint8_t src[4096], dst[4096];

__attribute__((noinline)) static uint32_t simd_sum(const uint8_t *p, int n) {
  v128_t acc = wasm_i32x4_splat(0);
  for (int i = 0; i + 16 <= n; i += 16) {
    v128_t v = wasm_v128_load(p + i);
    acc = wasm_i32x4_add(acc, wasm_u32x4_extend_low_u16x8(wasm_u16x8_extend_low_u8x16(v)));
    acc = wasm_v128_load32_lane(p + i, acc, 1);
  }
  return wasm_i32x4_extract_lane(acc, 0) ^ wasm_i32x4_extract_lane(acc, 1) ^ wasm_i32x4_extract_lane(acc, 2) ^
         wasm_i32x4_extract_lane(acc, 3);
}

__attribute__((noinline)) static void simd_store(uint8_t *p, int n, uint8_t x) {
  for (int i = 0; i + 16 <= n; i += 16) wasm_v128_store(p + i, wasm_i8x16_splat((int8_t)(x + i)));
  wasm_v128_store8_lane(p, wasm_i8x16_splat(7), 3);
}

__attribute__((noinline)) static int32_t sat(float f) { return (int32_t)f; }

__attribute__((noinline)) static int countdown(int n, int acc);
__attribute__((noinline)) static int countup(int n, int acc) {
  if (n == 0) return acc;
  __attribute__((musttail)) return countdown(n - 1, acc + (int8_t)n);
}
__attribute__((noinline)) static int countdown(int n, int acc) {
  if (n == 0) return acc;
  __attribute__((musttail)) return countup(n - 1, acc * 3 + 1);
}

int main(int argc, char **argv) {
  for (int i = 0; i < 4096; i++) src[i] = (uint8_t)(i * 7 + 3);
  memcpy(dst, src, sizeof dst);
  memset(dst + 100, 0x5a, 333);
  simd_store(dst + 512, 1024, 9);
  uint32_t h = simd_sum(dst, sizeof dst);
  volatile float big = 3e10f;
  h ^= (uint32_t)sat(big) ^ (uint32_t)sat(-big);
  h ^= (uint32_t)countup(100000, 1);
  if (argc > 1 && strcmp(argv[1], "null") == 0) {
    uint8_t *volatile p = 0;
    simd_store(p + 0x20, 16, 1);
  }
  if (argc > 1 && strcmp(argv[1], "copy") == 0) {
    uint8_t *volatile p = 0;
    memcpy(p + 0x40, src, (size_t)argc * 100);
  }
  printf("%08x\n", (unsigned)h);
  return 0;
}
