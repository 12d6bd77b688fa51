// environ_get: exactly the runner's environment, in order, packed as NAME=VALUE\0 strings;
// empty values and '=' inside values survive, and libc's getenv sees them; a pointer past
// memory is EFAULT.
// test: env=FOO=bar EMPTY= EQ=a=b UTF=héllo
#include "test.h"

int main(void) {
  static const char *const want[] = {"FOO=bar", "EMPTY=", "EQ=a=b", "UTF=h\xc3\xa9llo"};
  check_string_table("environ", __wasi_environ_sizes_get, __wasi_environ_get, want, 4);
  CHECK(getenv("FOO") && strcmp(getenv("FOO"), "bar") == 0);
  CHECK(getenv("EMPTY") && strcmp(getenv("EMPTY"), "") == 0);
  CHECK(getenv("EQ") && strcmp(getenv("EQ"), "a=b") == 0);
  CHECK(getenv("PATH") == NULL);
  return 0;
}
