/* yes [STRING]...: writes the strings (default "y"), separated by spaces, line after line
 * until the output is closed (GNU coreutils). */
#include "opt.h"

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  int c;
  while ((c = opt_next(argc, argv, "", NULL)) != -1) {
    usage_error(NULL);
    return 1;
  }
  /* One line, then as many copies as fit in a buffer, written with write(2). */
  size_t len = 0;
  for (int i = opt_ind; i < argc; i++) len += strlen(argv[i]) + 1;
  if (opt_ind >= argc) len = 2;
  size_t cap = len > 8192 ? len : 8192;
  char *buf = xmalloc(cap);
  size_t n = 0;
  if (opt_ind >= argc) {
    memcpy(buf, "y\n", 2);
    n = 2;
  } else {
    for (int i = opt_ind; i < argc; i++) {
      size_t l = strlen(argv[i]);
      memcpy(buf + n, argv[i], l);
      n += l;
      buf[n++] = i + 1 < argc ? ' ' : '\n';
    }
  }
  size_t line = n;
  while (n + line <= cap) {
    memcpy(buf + n, buf, line);
    n += line;
  }
  for (;;) {
    if (write_all(1, buf, n) != 0) {
      warne(errno, "standard output");
      return 1;
    }
  }
}
