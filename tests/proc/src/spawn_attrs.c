// posix_spawnattr: the child's mask (inherited, or POSIX_SPAWN_SETSIGMASK), ignored
// signals inherited unless POSIX_SPAWN_SETSIGDEF, caught ones reset to default, a new
// group (POSIX_SPAWN_SETPGROUP) or session (POSIX_SPAWN_SETSID); flags round-trip.
// test: stdout=inherited mask: 12\nSETSIGMASK: 10 15\nignored USR1 inherited: ignore\nSETSIGDEF USR1: default\ncaught USR2 in the child: default\nno attributes: pgid==pid:no sid==pid:no\nSETPGROUP 0: pgid==pid:yes sid==pid:no\nSETSID: pgid==pid:yes sid==pid:yes\nflags: 0x8c, unknown bits: EINVAL\n
#include "proc_test.h"

static void on_usr2(int sig) { (void)sig; }

static void run(const posix_spawnattr_t *attr, const char *label, const char *cmd, const char *arg) {
  printf("%s: ", label);
  pid_t pid = start_helper(NULL, attr, cmd, arg, NULL);
  CHECK_EXITED(wait_for(pid), 0);
}

int main(int argc, char **argv) {
  proc_init(argc, argv);
  char usr1[8], usr2[8];
  snprintf(usr1, sizeof usr1, "%d", SIGUSR1);
  snprintf(usr2, sizeof usr2, "%d", SIGUSR2);

  sigset_t s = set_of(SIGUSR2);
  CHECK_OK(sigprocmask(SIG_BLOCK, &s, NULL));
  run(NULL, "inherited mask", "sigmask", NULL);
  CHECK_OK(sigprocmask(SIG_UNBLOCK, &s, NULL));

  posix_spawnattr_t attr;
  CHECK_RET(posix_spawnattr_init(&attr), 0);
  sigemptyset(&s);
  sigaddset(&s, SIGUSR1);
  sigaddset(&s, SIGTERM);
  CHECK_RET(posix_spawnattr_setsigmask(&attr, &s), 0);
  CHECK_RET(posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK), 0);
  run(&attr, "SETSIGMASK", "sigmask", NULL);
  posix_spawnattr_destroy(&attr);

  CHECK(signal(SIGUSR1, SIG_IGN) != SIG_ERR);
  run(NULL, "ignored USR1 inherited", "sigdisp", usr1);
  posix_spawnattr_init(&attr);
  s = set_of(SIGUSR1);
  CHECK_RET(posix_spawnattr_setsigdefault(&attr, &s), 0);
  CHECK_RET(posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF), 0);
  run(&attr, "SETSIGDEF USR1", "sigdisp", usr1);
  posix_spawnattr_destroy(&attr);

  CHECK(signal(SIGUSR2, on_usr2) != SIG_ERR);
  run(NULL, "caught USR2 in the child", "sigdisp", usr2);

  run(NULL, "no attributes", "ids", NULL);
  posix_spawnattr_init(&attr);
  CHECK_RET(posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP), 0);
  CHECK_RET(posix_spawnattr_setpgroup(&attr, 0), 0);
  run(&attr, "SETPGROUP 0", "ids", NULL);
  posix_spawnattr_destroy(&attr);
  posix_spawnattr_init(&attr);
  CHECK_RET(posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID), 0);
  run(&attr, "SETSID", "ids", NULL);

  short flags = 0;
  CHECK_RET(posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF), 0);
  CHECK_RET(posix_spawnattr_getflags(&attr, &flags), 0);
  CHECK_RET(posix_spawnattr_setflags(&attr, 0x4000), EINVAL);
  pid_t pg = -1;
  CHECK_RET(posix_spawnattr_setpgroup(&attr, 42), 0);
  CHECK_RET(posix_spawnattr_getpgroup(&attr, &pg), 0);
  CHECK_EQ(pg, 42);
  sigset_t got;
  s = set_of(SIGTERM);
  CHECK_RET(posix_spawnattr_setsigmask(&attr, &s), 0);
  CHECK_RET(posix_spawnattr_getsigmask(&attr, &got), 0);
  CHECK_EQ(sigismember(&got, SIGTERM), 1);
  posix_spawnattr_destroy(&attr);
  printf("flags: 0x%x, unknown bits: EINVAL\n", (unsigned)flags);
  return 0;
}
