// getrlimit, setrlimit, prlimit: soft and hard values, RLIM_INFINITY, EINVAL (unknown
// resource, soft above hard), EPERM (raising the hard value without privilege), EMFILE below
// a lowered RLIMIT_NOFILE, and a child inheriting its parent's limits.
// test: stdout=invalid: EINVAL\nsoft above hard: EINVAL\nround trip: 1000 unlimited\nnofile 8: EMFILE at 8\nraise hard: as privilege allows\nprlimit: same as getrlimit\nchild: 40 50\n
#include "proc_test.h"

static void child_show(void) {
  struct rlimit r;
  CHECK_OK(getrlimit(RLIMIT_NOFILE, &r));
  printf("child: %llu %llu\n", (unsigned long long)r.rlim_cur, (unsigned long long)r.rlim_max);
}

int main(int argc, char **argv) {
  proc_init(argc, argv);
  if (argc > 1 && strcmp(argv[1], "show") == 0) {
    child_show();
    return 0;
  }
  struct rlimit r, old;
  CHECK_ERR(getrlimit(99, &r), EINVAL);
  CHECK_ERR(setrlimit(99, &r), EINVAL);
  printf("invalid: EINVAL\n");

  CHECK_OK(getrlimit(RLIMIT_NOFILE, &old));
  CHECK(old.rlim_cur <= old.rlim_max);
  r.rlim_cur = old.rlim_max == RLIM_INFINITY ? 100 : old.rlim_max;
  r.rlim_max = r.rlim_cur - 1;
  CHECK_ERR(setrlimit(RLIMIT_NOFILE, &r), EINVAL);
  printf("soft above hard: EINVAL\n");

  CHECK_OK(getrlimit(RLIMIT_FSIZE, &old));
  CHECK(old.rlim_max == RLIM_INFINITY);
  r.rlim_cur = 1000;
  r.rlim_max = RLIM_INFINITY;
  CHECK_OK(setrlimit(RLIMIT_FSIZE, &r));
  CHECK_OK(getrlimit(RLIMIT_FSIZE, &r));
  printf("round trip: %llu %s\n", (unsigned long long)r.rlim_cur, r.rlim_max == RLIM_INFINITY ? "unlimited" : "?");
  CHECK_OK(setrlimit(RLIMIT_FSIZE, &old));

  // Lower RLIMIT_NOFILE: descriptors are numbered below it.
  struct rlimit nofile;
  CHECK_OK(getrlimit(RLIMIT_NOFILE, &nofile));
  r.rlim_cur = 8;
  r.rlim_max = nofile.rlim_max;
  CHECK_OK(setrlimit(RLIMIT_NOFILE, &r));
  int last = -1;
  for (;;) {
    int fd = open("/dev/null", O_RDONLY);
    if (fd < 0) {
      CHECK_EQ(errno, EMFILE);
      break;
    }
    CHECK(fd < 8);
    last = fd;
  }
  CHECK_EQ(last, 7);
  printf("nofile 8: EMFILE at 8\n");
  for (int fd = 3; fd <= last; fd++) close(fd);
  CHECK_OK(setrlimit(RLIMIT_NOFILE, &nofile));

  // Lowering the hard value is always allowed; raising it again needs privilege.
  r.rlim_cur = 50;
  r.rlim_max = 60;
  CHECK_OK(setrlimit(RLIMIT_NOFILE, &r));
  r.rlim_max = 70;
#ifdef __wasi__
  CHECK_EQ(geteuid(), 0); // isokernel: uid 0 is the privilege
  CHECK_OK(setrlimit(RLIMIT_NOFILE, &r));
#else
  // Linux: CAP_SYS_RESOURCE, which root in a container may lack.
  if (geteuid() != 0) CHECK_ERR(setrlimit(RLIMIT_NOFILE, &r), EPERM);
  else CHECK(setrlimit(RLIMIT_NOFILE, &r) == 0 || errno == EPERM);
#endif
  printf("raise hard: as privilege allows\n");

  struct rlimit viaprl, viaget;
  CHECK_OK(prlimit(0, RLIMIT_NOFILE, NULL, &viaprl));
  CHECK_OK(getrlimit(RLIMIT_NOFILE, &viaget));
  CHECK(viaprl.rlim_cur == viaget.rlim_cur && viaprl.rlim_max == viaget.rlim_max);
  printf("prlimit: same as getrlimit\n");

  // A spawned child starts with its parent's limits.
  r.rlim_cur = 40;
  r.rlim_max = 50;
  CHECK_OK(setrlimit(RLIMIT_NOFILE, &r));
  char *child_argv[] = {(char *)proc_argv0, "show", NULL};
  pid_t pid;
  CHECK_RET(posix_spawn(&pid, proc_argv0, NULL, NULL, child_argv, environ), 0);
  CHECK_EXITED(wait_for(pid), 0);
  return 0;
}
