// Signalling a process group: two children put in a new group (POSIX_SPAWN_SETPGROUP)
// die together by killpg; a third group by kill(-pgid); waitpid(-pgid) waits for members.
// test: stdout=group of 2 led by the first child\nkillpg: both killed by SIGTERM\nkill(-pgid): killed by SIGKILL\nkill(0, 0): 0\n
#include "proc_test.h"

int main(int argc, char **argv) {
  proc_init(argc, argv);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  CHECK_RET(posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP), 0);
  CHECK_RET(posix_spawnattr_setpgroup(&attr, 0), 0);
  pid_t a = start_helper(NULL, &attr, "pause", NULL);
  CHECK_RET(posix_spawnattr_setpgroup(&attr, a), 0);
  pid_t b = start_helper(NULL, &attr, "pause", NULL);
  CHECK_EQ(getpgid(a), a);
  CHECK_EQ(getpgid(b), a);
  CHECK(getpgrp() != a);
  printf("group of 2 led by the first child\n");

  CHECK_OK(killpg(a, SIGTERM));
  int st;
  for (int i = 0; i < 2; i++) {
    pid_t r = waitpid(-a, &st, 0);
    CHECK(r == a || r == b);
    CHECK_KILLED(st, SIGTERM);
  }
  CHECK_ERR(waitpid(-a, &st, 0), ECHILD);
  printf("killpg: both killed by SIGTERM\n");

  CHECK_RET(posix_spawnattr_setpgroup(&attr, 0), 0);
  pid_t c = start_helper(NULL, &attr, "pause", NULL);
  CHECK_OK(kill(-c, SIGKILL));
  CHECK_EQ(waitpid(-c, &st, 0), c);
  CHECK_KILLED(st, SIGKILL);
  printf("kill(-pgid): killed by SIGKILL\n");
  posix_spawnattr_destroy(&attr);

  printf("kill(0, 0): %d\n", kill(0, 0));
  return 0;
}
