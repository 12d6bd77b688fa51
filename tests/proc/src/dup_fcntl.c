// dup, dup2, dup3 and fcntl's descriptor commands: the lowest free number, a shared open
// file (offset), replacing an open target, and their errors.
// test: stdout=dup: lowest free, shared offset\ndup2: onto itself, onto an open fd\nF_DUPFD: lowest at or above 50\nerrors: EBADF, EINVAL\n
#include "proc_test.h"

static int lowest_free(void) {
  for (int fd = 0;; fd++)
    if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) return fd;
}

int main(int argc, char **argv) {
  proc_init(argc, argv);
  int fd = CHECK_OK(open(proc_argv0, O_RDONLY));
  int expect = lowest_free();
  int d = CHECK_OK(dup(fd));
  CHECK_EQ(d, expect);
  CHECK_EQ(lseek(fd, 10, SEEK_SET), 10);
  CHECK_EQ(lseek(d, 0, SEEK_CUR), 10);
  CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
  printf("dup: lowest free, shared offset\n");

  CHECK_EQ(dup2(fd, fd), fd);
  int other = CHECK_OK(open(proc_argv0, O_RDONLY));
  CHECK_EQ(dup2(fd, other), other); // replaces the open file at `other`
  CHECK_EQ(lseek(other, 0, SEEK_CUR), 10);
  CHECK_EQ(fcntl(other, F_GETFD), 0);
  printf("dup2: onto itself, onto an open fd\n");

  CHECK_EQ(fcntl(fd, F_DUPFD, 50), 50);
  CHECK_EQ(fcntl(fd, F_DUPFD, 50), 51);
  CHECK_EQ(fcntl(fd, F_DUPFD_CLOEXEC, 50), 52);
  CHECK_EQ(fcntl(52, F_GETFD), FD_CLOEXEC);
  CHECK_OK(close(51));
  CHECK_EQ(fcntl(fd, F_DUPFD, 50), 51);
  printf("F_DUPFD: lowest at or above 50\n");

  CHECK_ERR(dup(900), EBADF);
  CHECK_ERR(dup2(900, 70), EBADF);
  CHECK_ERR(dup2(fd, -1), EBADF);
  CHECK_ERR(dup3(fd, fd, 0), EINVAL);
  CHECK_ERR(dup3(fd, 71, 0x1234), EINVAL);
  CHECK_ERR(fcntl(900, F_GETFD), EBADF);
  CHECK_ERR(fcntl(900, F_SETFD, FD_CLOEXEC), EBADF);
  CHECK_ERR(fcntl(fd, F_DUPFD, -1), EINVAL);
  CHECK_OK(close(50));
  CHECK_ERR(fcntl(50, F_GETFD), EBADF);
  printf("errors: EBADF, EINVAL\n");
  return 0;
}
