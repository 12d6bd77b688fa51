// environ_sizes_get with no environment at all: zero strings, zero bytes, and environ_get
// writes nothing.
#include "test.h"

int main(void) {
  __wasi_size_t count = 99, size = 99;
  CHECK_OK(__wasi_environ_sizes_get(&count, &size));
  CHECK_EQ(count, 0);
  CHECK_EQ(size, 0);
  uint8_t *env[1] = {(uint8_t *)"untouched"};
  uint8_t buf[1] = {'#'};
  CHECK_OK(__wasi_environ_get(env, buf));
  CHECK(strcmp((char *)env[0], "untouched") == 0);
  CHECK(buf[0] == '#');
  return 0;
}
