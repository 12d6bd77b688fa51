// Process groups and sessions: getpgid/getsid of the caller and of others, setpgid's
// rules (EINVAL, ESRCH, EACCES for a child that has run its program, EPERM for a session
// leader), setsid's (a new session and group; EPERM for a group leader).
// test: stdout=getpgid(0) == getpgrp(), getsid(0) == getsid(getpid())\ngone: ESRCH\nsetpgid(0, -1): EINVAL\nsetpgid of a spawned child: EACCES\ninherited session: yes\ninherited group: yes\nsetsid: new session and group\nsetsid again: EPERM\nsetpgid as session leader: EPERM\nsetpgid(0, 0): leads a new group\nsetsid as group leader: EPERM\n
#include "proc_test.h"

int main(int argc, char **argv) {
  proc_init(argc, argv);
  pid_t pgrp = CHECK_OK(getpgrp());
  CHECK_EQ(getpgid(0), pgrp);
  CHECK_EQ(getpgid(getpid()), pgrp);
  pid_t sid = CHECK_OK(getsid(0));
  CHECK_EQ(getsid(getpid()), sid);
  printf("getpgid(0) == getpgrp(), getsid(0) == getsid(getpid())\n");

  pid_t gone = start_helper(NULL, NULL, "exit", "0", NULL);
  CHECK_EXITED(wait_for(gone), 0);
  CHECK_ERR(getpgid(gone), ESRCH);
  CHECK_ERR(getsid(gone), ESRCH);
  CHECK_ERR(setpgid(gone, 0), ESRCH);
  printf("gone: ESRCH\n");
  CHECK_ERR(setpgid(0, -1), EINVAL);
  printf("setpgid(0, -1): EINVAL\n");

  pid_t child = start_helper(NULL, NULL, "pause", NULL);
  CHECK_ERR(setpgid(child, child), EACCES);
  printf("setpgid of a spawned child: EACCES\n");
  CHECK_OK(kill(child, SIGKILL));
  wait_for(child);

  char s[16], g[16];
  snprintf(s, sizeof s, "%d", (int)sid);
  snprintf(g, sizeof g, "%d", (int)pgrp);
  child = start_helper(NULL, NULL, "setsid-checks", s, g, NULL);
  CHECK_EXITED(wait_for(child), 0);
  child = start_helper(NULL, NULL, "setpgid-checks", NULL);
  CHECK_EXITED(wait_for(child), 0);
  return 0;
}
