/*
 * uname [-asnrvmpio]: prints system information from uname(2) (POSIX; -p -i -o from GNU).
 * The kernel answers: isokernel, its host name, its release and version, wasm32. -o is the
 * system name, -p and -i are "unknown" (and -a leaves them out, as GNU does).
 */
#include "opt.h"

#include <sys/utsname.h>

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {
      {"all", 0, 'a'}, {"kernel-name", 0, 's'}, {"nodename", 0, 'n'}, {"kernel-release", 0, 'r'},
      {"kernel-version", 0, 'v'}, {"machine", 0, 'm'}, {"processor", 0, 'p'},
      {"hardware-platform", 0, 'i'}, {"operating-system", 0, 'o'}, {NULL, 0, 0}};
  enum { S = 1, N = 2, R = 4, V = 8, M = 16, P = 32, I = 64, O = 128 };
  int want = 0, all = 0, c;
  while ((c = opt_next(argc, argv, "asnrvmpio", longs)) != -1) {
    switch (c) {
    case 'a': all = 1; want |= S | N | R | V | M | O; break;
    case 's': want |= S; break;
    case 'n': want |= N; break;
    case 'r': want |= R; break;
    case 'v': want |= V; break;
    case 'm': want |= M; break;
    case 'p': want |= P; break;
    case 'i': want |= I; break;
    case 'o': want |= O; break;
    default: usage_error(NULL); return 1;
    }
  }
  if (opt_ind < argc) {
    usage_error("extra operand %s", quote_loc(argv[opt_ind]));
    return 1;
  }
  if (!want) want = S;
  struct utsname u;
  if (uname(&u) != 0) {
    warne(errno, "cannot get system name");
    return 1;
  }
  const char *fields[8] = {u.sysname, u.nodename, u.release, u.version, u.machine, "unknown", "unknown", u.sysname};
  int first = 1;
  for (int i = 0; i < 8; i++) {
    if (!(want & (1 << i))) continue;
    if (all && (i == 5 || i == 6)) continue;
    printf("%s%s", first ? "" : " ", fields[i]);
    first = 0;
  }
  putchar('\n');
  return close_stdout();
}
