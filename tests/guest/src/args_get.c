// args_get: argv arrives intact, packed NUL-terminated into the caller's buffer in order;
// argv[0] is the program's name; a pointer past the end of memory is EFAULT.
// test: args=alpha b héllo
#include "test.h"

int main(void) {
  static const char *const want[] = {"args_get", "alpha", "b", "h\xc3\xa9llo"};
  check_string_table("argv", __wasi_args_sizes_get, __wasi_args_get, want, 4);
  return 0;
}
