// environ_sizes_get: the count of NAME=VALUE strings and their total size with NULs; a
// result pointer past memory is EFAULT.
// test: env=A=1 BB=22
#include "test.h"

int main(void) {
  __wasi_size_t count, size;
  CHECK_OK(__wasi_environ_sizes_get(&count, &size));
  CHECK_EQ(count, 2);
  CHECK_EQ(size, 4 + 6);  // "A=1\0" "BB=22\0"
  CHECK_ERRNO(__wasi_environ_sizes_get(BAD_PTR, &size), __WASI_ERRNO_FAULT);
  CHECK_ERRNO(__wasi_environ_sizes_get(&count, BAD_PTR), __WASI_ERRNO_FAULT);
  return 0;
}
