/*
 * pwd [-L|-P]: prints the working directory. -P (the default, as GNU's /bin/pwd) the
 * physical path from getcwd; -L $PWD if it is absolute, names the working directory and
 * has no . or .. components.
 */
#include "opt.h"

#include <sys/stat.h>

static int pwd_env_ok(const char *pwd) {
  if (!pwd || pwd[0] != '/') return 0;
  for (const char *p = pwd; *p; p++) {
    if (p[0] == '/' && p[1] == '.' && (p[2] == '/' || p[2] == 0 || (p[2] == '.' && (p[3] == '/' || p[3] == 0))))
      return 0;
  }
  struct stat a, b;
  return stat(pwd, &a) == 0 && stat(".", &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  int logical = 0, c;
  while ((c = opt_next(argc, argv, "LP", NULL)) != -1) {
    if (c == 'L') logical = 1;
    else if (c == 'P') logical = 0;
    else {
      usage_error(NULL);
      return 1;
    }
  }
  if (opt_ind < argc) fprintf(stderr, "%s: ignoring non-option arguments\n", progname);
  const char *pwd = getenv("PWD");
  if (logical && pwd_env_ok(pwd)) {
    puts(pwd);
    return close_stdout();
  }
  char buf[PATH_MAX];
  if (!getcwd(buf, sizeof buf)) {
    warne(errno, "cannot get current directory");
    return 1;
  }
  puts(buf);
  return close_stdout();
}
