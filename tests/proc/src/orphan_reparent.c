// Orphans pass to PID 1. This program runs as PID 1 of its kernel: it spawns a child that
// spawns a grandchild and exits; the grandchild's getppid() becomes 1, and PID 1 can wait
// for it. Natively the program makes itself a child subreaper (prctl), Linux's way of
// taking orphans, so the same expectations hold.
// test: stdout=child exited 0\ngrandchild reparented to me\nreaped the grandchild: exited 0\n
#include "proc_test.h"

#ifndef __wasi__
#include <sys/prctl.h>
#endif

int main(int argc, char **argv) {
  proc_init(argc, argv);
#ifdef __wasi__
  CHECK_EQ(getpid(), 1);
#else
  CHECK_OK(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
#endif
  pid_t me = getpid();

  int p[2];
  posix_spawn_file_actions_t fa;
  stdout_to_pipe(&fa, p);
  pid_t child = start_helper(&fa, NULL, "spawn-orphan", NULL);
  posix_spawn_file_actions_destroy(&fa);
  close(p[1]);
  printf("child %s\n", describe_status(wait_for(child)));

  // The grandchild holds the pipe's write end until it has seen its new parent.
  char *all = read_all(p[0]);
  int gc = 0, ppid = 0;
  const char *at = strstr(all, "gc=");
  CHECK(at && sscanf(at, "gc=%d", &gc) == 1);
  at = strstr(all, "ppid=");
  CHECK(at && sscanf(at, "ppid=%d", &ppid) == 1);
  CHECK(gc != child && gc > 0);
  if (ppid != me) FAIL("the grandchild's parent is %d, not %d", ppid, (int)me);
  printf("grandchild reparented to me\n");
  printf("reaped the grandchild: %s\n", describe_status(wait_for(gc)));
  return 0;
}
