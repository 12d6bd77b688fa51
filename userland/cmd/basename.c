/*
 * basename NAME [SUFFIX] | basename -a [-s SUFFIX] [-z] NAME...: the last component of each
 * NAME, without trailing slashes, and without SUFFIX if it ends with it (and is not all of
 * it). GNU coreutils' options: -a (many names), -s SUFFIX (implies -a), -z (NUL ends lines).
 */
#include "opt.h"

static void print_base(const char *name, const char *suffix, char end) {
  char *base = xstrdup(last_component(name));
  size_t n = strlen(base);
  if (suffix) {
    size_t s = strlen(suffix);
    if (s < n && strcmp(base + n - s, suffix) == 0) base[n - s] = 0;
  }
  fputs(base, stdout);
  putchar(end);
  free(base);
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {
      {"multiple", 0, 'a'}, {"suffix", 1, 's'}, {"zero", 0, 'z'}, {NULL, 0, 0}};
  int multiple = 0, c;
  char end = '\n';
  const char *suffix = NULL;
  while ((c = opt_next(argc, argv, "+as:z", longs)) != -1) {
    switch (c) {
    case 'a': multiple = 1; break;
    case 's': suffix = opt_arg; multiple = 1; break;
    case 'z': end = 0; break;
    default: usage_error(NULL); return 1;
    }
  }
  int n = argc - opt_ind;
  if (n < 1) {
    usage_error("missing operand");
    return 1;
  }
  if (multiple) {
    for (int i = opt_ind; i < argc; i++) print_base(argv[i], suffix, end);
  } else {
    if (n > 2) {
      usage_error("extra operand %s", quote_loc(argv[opt_ind + 2]));
      return 1;
    }
    print_base(argv[opt_ind], n == 2 ? argv[opt_ind + 1] : NULL, end);
  }
  return close_stdout();
}
