// umask: returns the previous mask (022 to start with), a spawned child inherits it, and
// natively the modes of new files and directories show it (WASI has no modes to read).
// test: args=$SCRATCH; stdout=initial umask: 022\numask(027) then umask(): 027\nchild's umask: 027\n
#include "proc_test.h"

int main(int argc, char **argv) {
  proc_init(argc, argv);
  CHECK(argc == 2);
  printf("initial umask: %03o\n", (unsigned)umask(027));
  mode_t m = umask(027);
  printf("umask(027) then umask(): %03o\n", (unsigned)m);
  printf("child's umask: ");
  pid_t pid = start_helper(NULL, NULL, "umask", NULL);
  CHECK_EXITED(wait_for(pid), 0);
#ifndef __wasi__
  char *file = join_path(argv[1], "umask-file");
  char *dir = join_path(argv[1], "umask-dir");
  unlink(file);
  rmdir(dir);
  int fd = CHECK_OK(open(file, O_WRONLY | O_CREAT | O_TRUNC, 0666));
  close(fd);
  CHECK_OK(mkdir(dir, 0777));
  struct stat st;
  CHECK_OK(stat(file, &st));
  CHECK_EQ(st.st_mode & 0777, 0640);
  CHECK_OK(stat(dir, &st));
  CHECK_EQ(st.st_mode & 0777, 0750);
#endif
  return 0;
}
