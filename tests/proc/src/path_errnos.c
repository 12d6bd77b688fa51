// Path and descriptor errors as Linux gives them (native-check.sh runs this natively too):
// a trailing "/" or "/." on a file is ENOTDIR, the empty path ENOENT, a symlink loop ELOOP,
// a name over NAME_MAX ENAMETOOLONG; rename/rmdir/unlink/link/mkdir on the wrong kind of
// file; and utimensat/futimens with NULL, UTIME_NOW and UTIME_OMIT (wasi-libc's read
// through NULL; libisokernel's utime.c replaces them).
// test: args=$SCRATCH; stdout=paths ok\nkinds ok\ndescriptors ok\ntimes ok\n
#include "proc_test.h"
#include <sys/stat.h>
#include <time.h>

static struct stat st_of(const char *path) {
  struct stat st;
  CHECK_OK(stat(path, &st));
  return st;
}

int main(int argc, char **argv) {
  proc_init(argc, argv);
  CHECK(argc == 2);
  CHECK_OK(chdir(argv[1]));
  CHECK_OK(mkdir("pe", 0755));
  CHECK_OK(chdir("pe"));
  CHECK_OK(close(CHECK_OK(open("f", O_CREAT | O_WRONLY | O_TRUNC, 0644))));
  CHECK_OK(mkdir("dd", 0755));
  CHECK_OK(mkdir("ne", 0755));
  CHECK_OK(close(CHECK_OK(open("ne/x", O_CREAT | O_WRONLY, 0644))));

  CHECK_ERR(open("", O_RDONLY), ENOENT);
  CHECK_ERR(open("f/", O_RDONLY), ENOTDIR);
  CHECK_ERR(open("f/.", O_RDONLY), ENOTDIR);
  CHECK_ERR(open("f/..", O_RDONLY), ENOTDIR);
  CHECK_ERR(open("f/x", O_RDONLY), ENOTDIR);
  CHECK_ERR(open("f", O_RDONLY | O_DIRECTORY), ENOTDIR);
  CHECK_ERR(open("dd", O_WRONLY), EISDIR);
  CHECK_ERR(open("f", O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
  CHECK_ERR(open("missing/x", O_RDONLY), ENOENT);
  char longname[300];
  memset(longname, 'a', sizeof longname - 1);
  longname[sizeof longname - 1] = '\0';
  CHECK_ERR(open(longname, O_RDONLY), ENAMETOOLONG);
  CHECK_OK(symlink("loop1", "loop2"));
  CHECK_OK(symlink("loop2", "loop1"));
  CHECK_ERR(open("loop1", O_RDONLY), ELOOP);
  CHECK_OK(symlink("f", "tofile"));
  CHECK_ERR(open("tofile/", O_RDONLY), ENOTDIR);
  CHECK_OK(symlink("dd/.", "todir"));
  CHECK_OK(close(CHECK_OK(open("todir", O_RDONLY))));
  CHECK_ERR(chdir("f"), ENOTDIR);
  struct stat st;
  CHECK_ERR(stat("", &st), ENOENT);
  CHECK_ERR(access("nope", F_OK), ENOENT);
  printf("paths ok\n");

  CHECK_ERR(mkdir("dd", 0755), EEXIST);
  CHECK_ERR(mkdir("f/x", 0755), ENOTDIR);
  CHECK_ERR(rmdir("ne"), ENOTEMPTY);
  CHECK_ERR(rmdir("f"), ENOTDIR);
  CHECK_ERR(rmdir("."), EINVAL);
  CHECK_ERR(unlink("dd"), EISDIR);
  CHECK_ERR(unlink("nope"), ENOENT);
  CHECK_ERR(rename("dd", "dd/sub"), EINVAL);
  CHECK_ERR(rename("dd", "ne"), ENOTEMPTY);
  CHECK_ERR(rename("f", "dd"), EISDIR);
  CHECK_ERR(rename("dd", "f"), ENOTDIR);
  CHECK_ERR(rename("nope", "x"), ENOENT);
  CHECK_OK(rename("f", "f"));
  CHECK_ERR(link("dd", "dd2"), EPERM);
  CHECK_ERR(link("f", "ne/x"), EEXIST);
  CHECK_ERR(symlink("x", "f"), EEXIST);
  char buf[64];
  CHECK_ERR(readlink("f", buf, sizeof buf), EINVAL);
  CHECK_ERR(truncate("dd", 0), EISDIR);
  printf("kinds ok\n");

  int fd = CHECK_OK(open("f", O_RDONLY));
  CHECK_ERR(write(fd, "x", 1), EBADF);
  CHECK_ERR(ftruncate(fd, 0), EINVAL);
  CHECK_ERR(lseek(fd, -5, SEEK_SET), EINVAL);
  CHECK_ERR(lseek(fd, 0, 77), EINVAL);
  CHECK_OK(close(fd));
  int p[2];
  CHECK_OK(pipe(p));
  CHECK_ERR(lseek(p[0], 0, SEEK_CUR), ESPIPE);
  CHECK_ERR(read(999, buf, 1), EBADF);
  CHECK_ERR(close(999), EBADF);
  CHECK_ERR(dup2(999, 5), EBADF);
  CHECK(getcwd(buf, 1) == NULL && errno == ERANGE);
  printf("descriptors ok\n");

  // Times: an explicit pair, then NULL (now), then UTIME_OMIT for one and UTIME_NOW for the other.
  struct timespec set[2] = {{1000000000, 5}, {1200000000, 7}};
  CHECK_OK(utimensat(AT_FDCWD, "f", set, 0));
  st = st_of("f");
  CHECK_EQ(st.st_atim.tv_sec, 1000000000);
  CHECK_EQ(st.st_mtim.tv_sec, 1200000000);
  time_t before = time(NULL);
  CHECK_OK(utimensat(AT_FDCWD, "f", NULL, 0));
  st = st_of("f");
  CHECK(st.st_atim.tv_sec >= before - 1 && st.st_mtim.tv_sec >= before - 1);
  CHECK_OK(utimensat(AT_FDCWD, "f", set, 0));
  struct timespec omit_now[2] = {{0, UTIME_OMIT}, {0, UTIME_NOW}};
  CHECK_OK(utimensat(AT_FDCWD, "f", omit_now, 0));
  st = st_of("f");
  CHECK_EQ(st.st_atim.tv_sec, 1000000000);
  CHECK(st.st_mtim.tv_sec >= before - 1);
  struct timespec omit[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
  CHECK_OK(utimensat(AT_FDCWD, "f", omit, 0));
  struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
  CHECK_ERR(utimensat(AT_FDCWD, "f", bad, 0), EINVAL);
  CHECK_ERR(utimensat(AT_FDCWD, "f", NULL, 0x4000000), EINVAL);
  CHECK_ERR(utimensat(AT_FDCWD, "nope", NULL, 0), ENOENT);
  fd = CHECK_OK(open("f", O_RDWR));
  CHECK_OK(futimens(fd, set));
  struct timespec now_omit[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
  CHECK_OK(futimens(fd, now_omit));
  CHECK_OK(fstat(fd, &st));
  CHECK(st.st_atim.tv_sec >= before - 1);
  CHECK_EQ(st.st_mtim.tv_sec, 1200000000);
  CHECK_OK(futimens(fd, NULL));
  CHECK_OK(fstat(fd, &st));
  CHECK(st.st_mtim.tv_sec >= before - 1);
  CHECK_ERR(futimens(fd, bad), EINVAL);
  CHECK_OK(close(fd));
  CHECK_ERR(futimens(999, NULL), EBADF);
  printf("times ok\n");
  return 0;
}
