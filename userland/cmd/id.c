/*
 * id [-u|-g|-G] [-n] [-r] [USER]: prints user and group ids (POSIX). There is no user
 * database here: 0 is root, other ids print as numbers, and USER may only be root or a
 * number. The ids come from the kernel (getuid/getgid from libisokernel).
 */
#include "fs.h"
#include "opt.h"

static const char *name_of(unsigned id, int group) { return group ? group_name(id) : user_name(id); }

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {{"user", 0, 'u'}, {"group", 0, 'g'}, {"groups", 0, 'G'},
                                         {"name", 0, 'n'}, {"real", 0, 'r'}, {"zero", 0, 'z'},
                                         {NULL, 0, 0}};
  int which = 0, name = 0, real = 0, zero = 0, c;
  while ((c = opt_next(argc, argv, "ugGnrz", longs)) != -1) {
    switch (c) {
    case 'u':
    case 'g':
    case 'G':
      if (which && which != c) {
        warnx("cannot print \"only\" of more than one choice");
        return 1;
      }
      which = c;
      break;
    case 'n': name = 1; break;
    case 'r': real = 1; break;
    case 'z': zero = 1; break;
    default: usage_error(NULL); return 1;
    }
  }
  if (argc - opt_ind > 1) {
    usage_error("extra operand %s", quote_loc(argv[opt_ind + 1]));
    return 1;
  }
  unsigned uid = real ? getuid() : geteuid(), gid = real ? getgid() : getegid();
  if (opt_ind < argc) {
    const char *u = argv[opt_ind];
    long long v;
    if (strcmp(u, "root") == 0) uid = gid = 0;
    else if (parse_ll(u, &v) && v >= 0) uid = gid = (unsigned)v;
    else {
      warnx("%s: no such user", quote_loc(u));
      return 1;
    }
  }
  if ((name || real) && !which) {
    warnx("cannot print only names or real IDs in default format");
    return 1;
  }
  char end = zero ? 0 : '\n';
  if (which == 'u') {
    if (name) printf("%s%c", user_name(uid), end);
    else printf("%u%c", uid, end);
  } else if (which == 'g' || which == 'G') {
    if (name) printf("%s%c", name_of(gid, 1), end);
    else printf("%u%c", gid, end);
  } else {
    printf("uid=%u(%s) gid=%u(%s) groups=%u(%s)\n", uid, user_name(uid), gid, group_name(gid), gid, group_name(gid));
  }
  return close_stdout();
}
