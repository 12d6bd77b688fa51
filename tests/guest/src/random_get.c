// random_get: fills the whole buffer with bytes that look random, differently each call,
// for large buffers too; zero bytes is fine; a buffer past the end of memory is EFAULT.
#include "test.h"

int main(void) {
  static uint8_t a[4096], b[4096];
  CHECK_OK(__wasi_random_get(a, sizeof a));
  CHECK_OK(__wasi_random_get(b, sizeof b));
  CHECK(memcmp(a, b, sizeof a) != 0);
  // Every byte position was written: 4096 random bytes hold about 16 zeros, and the tail
  // is not left as it was.
  unsigned zeros = 0;
  for (unsigned i = 0; i < sizeof a; i++) zeros += a[i] == 0;
  if (zeros > 100) FAIL("%u zero bytes in 4096 random ones", zeros);
  CHECK(a[4092] | a[4093] | a[4094] | a[4095] | b[4092] | b[4093] | b[4094] | b[4095]);

  size_t big = 1 << 20;
  uint8_t *p = calloc(big, 1);
  CHECK_OK(__wasi_random_get(p, big));
  zeros = 0;
  for (size_t i = big - 4096; i < big; i++) zeros += p[i] == 0;
  CHECK(zeros < 100);

  uint8_t one = 0x5a;
  CHECK_OK(__wasi_random_get(&one, 0));
  CHECK_EQ(one, 0x5a);
  CHECK_ERRNO(__wasi_random_get(BAD_PTR, 16), __WASI_ERRNO_FAULT);
  return 0;
}
