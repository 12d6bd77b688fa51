/*
 * hostname [-s|-d|-f]: prints the host name the kernel reports (gethostname). -s the part
 * before the first dot, -d the part after it, -f the whole name. Setting it is refused:
 * the kernel's name is the operator's (no sethostname call).
 */
#include "opt.h"

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {
      {"short", 0, 's'}, {"domain", 0, 'd'}, {"fqdn", 0, 'f'}, {"long", 0, 'f'}, {NULL, 0, 0}};
  int mode = 0, c;
  while ((c = opt_next(argc, argv, "sdf", longs)) != -1) {
    if (c == '?') {
      usage_error(NULL);
      return 1;
    }
    mode = c;
  }
  if (opt_ind < argc) {
    warne(EPERM, "cannot set the host name to %s", quote_loc(argv[opt_ind]));
    return 1;
  }
  char name[256];
  if (gethostname(name, sizeof name) != 0) {
    warne(errno, "cannot get the host name");
    return 1;
  }
  char *dot = strchr(name, '.');
  if (mode == 's' && dot) *dot = 0;
  if (mode == 'd') {
    puts(dot ? dot + 1 : "");
    return close_stdout();
  }
  puts(name);
  return close_stdout();
}
