// What WASI preview1 lacks and libisokernel adds: stat reports permission bits (umask
// applied at creation), chmod and fchmod change them, a pipe is a FIFO, uname and statvfs
// answer, and the ids are those of the process.
// test: args=$SCRATCH; stdout=file 0640\ndir 0750\nchmod 0604\nfchmod 0600\npipe is a FIFO\nuname ok\nstatvfs ok\n
#include "proc_test.h"
#include <sys/utsname.h>
#ifndef __wasi__
#include <sys/statvfs.h>
#endif

int main(int argc, char **argv) {
  proc_init(argc, argv);
  CHECK(argc == 2);
  umask(027);
  char *file = join_path(argv[1], "modes-file");
  char *dir = join_path(argv[1], "modes-dir");
  unlink(file);
  rmdir(dir);
  int fd = CHECK_OK(open(file, O_WRONLY | O_CREAT | O_TRUNC, 0666));
  CHECK_OK(mkdir(dir, 0777));
  struct stat st;
  CHECK_OK(stat(file, &st));
  printf("file %04o\n", (unsigned)(st.st_mode & 07777));
  CHECK_OK(stat(dir, &st));
  CHECK(S_ISDIR(st.st_mode));
  printf("dir %04o\n", (unsigned)(st.st_mode & 07777));
  CHECK_OK(chmod(file, 0604));
  CHECK_OK(lstat(file, &st));
  CHECK(S_ISREG(st.st_mode));
  printf("chmod %04o\n", (unsigned)(st.st_mode & 07777));
  CHECK_OK(fchmod(fd, 0600));
  CHECK_OK(fstat(fd, &st));
  printf("fchmod %04o\n", (unsigned)(st.st_mode & 07777));
  close(fd);
  CHECK(chmod(join_path(argv[1], "no-such-file"), 0600) == -1 && errno == ENOENT);

  int p[2];
  CHECK_OK(pipe(p));
  CHECK_OK(fstat(p[0], &st));
  CHECK(S_ISFIFO(st.st_mode));
  printf("pipe is a FIFO\n");

  struct utsname u;
  CHECK_OK(uname(&u));
  CHECK(u.sysname[0] != '\0' && u.nodename[0] != '\0' && u.machine[0] != '\0');
  char host[256];
  CHECK_OK(gethostname(host, sizeof host));
  CHECK(strcmp(host, u.nodename) == 0);
  printf("uname ok\n");

  struct statvfs v;
  CHECK_OK(statvfs(argv[1], &v));
  CHECK(v.f_bsize > 0 && v.f_blocks >= v.f_bfree);
  printf("statvfs ok\n");
  CHECK(getuid() == geteuid() && getgid() == getegid());
  return 0;
}
