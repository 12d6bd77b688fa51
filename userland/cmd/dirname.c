/*
 * dirname [-z] NAME...: each NAME without its last component and the slashes before it;
 * "." if NAME has no slash, "/" for the root (POSIX; -z from GNU: NUL ends lines).
 */
#include "opt.h"

static void print_dir(const char *name, char end) {
  size_t n = strlen(name);
  while (n > 1 && name[n - 1] == '/') n--;     /* trailing slashes */
  while (n > 0 && name[n - 1] != '/') n--;     /* the last component */
  if (n == 0) {
    fputs(".", stdout);
  } else {
    while (n > 1 && name[n - 1] == '/') n--;   /* the slashes before it */
    fwrite(name, 1, n, stdout);
  }
  putchar(end);
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {{"zero", 0, 'z'}, {NULL, 0, 0}};
  char end = '\n';
  int c;
  while ((c = opt_next(argc, argv, "z", longs)) != -1) {
    if (c == 'z') end = 0;
    else {
      usage_error(NULL);
      return 1;
    }
  }
  if (opt_ind >= argc) {
    usage_error("missing operand");
    return 1;
  }
  for (int i = opt_ind; i < argc; i++) print_dir(argv[i], end);
  return close_stdout();
}
