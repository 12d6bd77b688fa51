// args_sizes_get: the count includes argv[0]; the size counts each argument's bytes (UTF-8)
// plus its NUL; libc's main() sees the same; a result pointer past memory is EFAULT.
// test: args=one two héllo
#include "test.h"

int main(int argc, char **argv) {
  (void)argv;
  __wasi_size_t count, size;
  CHECK_OK(__wasi_args_sizes_get(&count, &size));
  CHECK_EQ(count, 4);
  CHECK_EQ(argc, 4);
  // "args_sizes_get\0" 15 + "one\0" 4 + "two\0" 4 + "h\xc3\xa9llo\0" 7
  CHECK_EQ(size, 15 + 4 + 4 + 7);

  CHECK_ERRNO(__wasi_args_sizes_get(BAD_PTR, &size), __WASI_ERRNO_FAULT);
  CHECK_ERRNO(__wasi_args_sizes_get(&count, BAD_PTR), __WASI_ERRNO_FAULT);
  return 0;
}
