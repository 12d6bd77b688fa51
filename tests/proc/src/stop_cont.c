// SIGSTOP and SIGTSTP stop a child (waitpid with WUNTRACED reports it, once), SIGCONT
// continues it (WCONTINUED). While stopped it takes no signal but SIGKILL: a SIGTERM waits
// until SIGCONT, then kills it.
// test: stdout=stopped by signal 19\nnot reported without WUNTRACED\ncontinued\nstopped by signal 20\nSIGTERM while stopped: still stopped\nthen SIGCONT: killed by signal 15\nSIGKILL while stopped: killed by signal 9\n
#include "proc_test.h"

int main(int argc, char **argv) {
  proc_init(argc, argv);
  // In a process group of its own: SIGTSTP is discarded in an orphaned group (POSIX), and
  // the group a test runner starts this program in may be one.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  pid_t pid = start_helper(NULL, &attr, "pause", NULL);
  int st;

  CHECK_OK(kill(pid, SIGSTOP));
  CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid);
  CHECK(WIFSTOPPED(st));
  printf("%s\n", describe_status(st));

  // Reported once; and never to a wait without WUNTRACED.
  CHECK_EQ(waitpid(pid, &st, WNOHANG), 0);
  CHECK_EQ(waitpid(pid, &st, WNOHANG | WUNTRACED), 0);
  printf("not reported without WUNTRACED\n");

  CHECK_OK(kill(pid, SIGCONT));
  CHECK_EQ(waitpid(pid, &st, WCONTINUED), pid);
  CHECK(WIFCONTINUED(st));
  printf("%s\n", describe_status(st));

  CHECK_OK(kill(pid, SIGTSTP));
  CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid);
  printf("%s\n", describe_status(st));

  // A stopped process gets no signal but SIGKILL until it is continued: SIGTERM waits.
  CHECK_OK(kill(pid, SIGTERM));
  msleep(100);
  CHECK_EQ(waitpid(pid, &st, WNOHANG), 0);
  CHECK_OK(kill(pid, 0));
  printf("SIGTERM while stopped: still stopped\n");
  CHECK_OK(kill(pid, SIGCONT));
  CHECK_EQ(waitpid(pid, &st, 0), pid);
  printf("then SIGCONT: %s\n", describe_status(st));

  pid = start_helper(NULL, &attr, "pause", NULL);
  posix_spawnattr_destroy(&attr);
  CHECK_OK(kill(pid, SIGSTOP));
  CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid);
  CHECK(WIFSTOPPED(st));
  CHECK_OK(kill(pid, SIGKILL));
  CHECK_EQ(waitpid(pid, &st, 0), pid);
  printf("SIGKILL while stopped: %s\n", describe_status(st));
  return 0;
}
