// RLIMIT_FSIZE: a write that would pass the limit is cut short at it (a partial write); a
// write or a truncate beyond it sends SIGXFSZ, and fails with EFBIG if the process lives
// (SIGXFSZ ignored or caught); with the default action SIGXFSZ kills. The limit is inherited.
// test: args=$SCRATCH; stdout=partial: 600 400\nat the limit: EFBIG\ntruncate: EFBIG, shrink ok\npwrite: 1 then EFBIG\ncaught: EFBIG after the handler\nchild: wrote 100\nchild: killed by SIGXFSZ\n
#include "proc_test.h"

static volatile sig_atomic_t caught;
static void on_xfsz(int sig) {
  (void)sig;
  caught++;
}

static void set_fsize(rlim_t soft) {
  struct rlimit r = {soft, RLIM_INFINITY};
  CHECK_OK(setrlimit(RLIMIT_FSIZE, &r));
}

static int child(const char *path) {
  // Inherited limit (100), default SIGXFSZ: a partial write, then death.
  int fd = CHECK_OK(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
  char buf[200];
  memset(buf, 'c', sizeof buf);
  printf("child: wrote %ld\n", (long)write(fd, buf, sizeof buf));
  write(fd, buf, 1);
  printf("child: still alive\n");
  return 1;
}

int main(int argc, char **argv) {
  proc_init(argc, argv);
  CHECK(argc >= 2);
  if (argc == 3 && strcmp(argv[1], "child") == 0) return child(argv[2]);
  char *path = join_path(argv[1], "fsize.dat");
  char buf[600];
  memset(buf, 'x', sizeof buf);

  signal(SIGXFSZ, SIG_IGN);
  set_fsize(1000);
  int fd = CHECK_OK(open(path, O_RDWR | O_CREAT | O_TRUNC, 0644));
  long a = (long)write(fd, buf, sizeof buf);
  long b = (long)write(fd, buf, sizeof buf);
  printf("partial: %ld %ld\n", a, b);
  CHECK_ERR(write(fd, buf, 1), EFBIG);
  CHECK_EQ(write(fd, buf, 0), 0); // nothing to write: no check, no signal
  printf("at the limit: EFBIG\n");

  CHECK_ERR(ftruncate(fd, 2000), EFBIG);
  CHECK_OK(ftruncate(fd, 500));
  printf("truncate: EFBIG, shrink ok\n");
  CHECK_EQ(pwrite(fd, buf, 10, 999), 1);
  CHECK_ERR(pwrite(fd, buf, 10, 1000), EFBIG);
  printf("pwrite: 1 then EFBIG\n");

  on_signal(SIGXFSZ, on_xfsz, 0);
  CHECK_OK(lseek(fd, 0, SEEK_END));
  CHECK_ERR(write(fd, buf, 1), EFBIG);
  CHECK_EQ(caught, 1);
  printf("caught: EFBIG after the handler\n");
  close(fd);

  // The child inherits the limit; SIGXFSZ goes back to its default for it.
  set_fsize(100);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t def = set_of(SIGXFSZ);
  posix_spawnattr_setsigdefault(&attr, &def);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
  char *child_path = join_path(argv[1], "fsize-child.dat");
  char *child_argv[] = {(char *)proc_argv0, "child", child_path, NULL};
  pid_t pid;
  CHECK_RET(posix_spawn(&pid, proc_argv0, NULL, &attr, child_argv, environ), 0);
  posix_spawnattr_destroy(&attr);
  int st = wait_for(pid);
  CHECK_KILLED(st, SIGXFSZ);
  printf("child: killed by SIGXFSZ\n");
  return 0;
}
