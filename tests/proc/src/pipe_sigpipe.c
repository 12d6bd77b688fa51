// Writing to a pipe nobody can read: EPIPE, and SIGPIPE, whose default action kills.
// test: stdout=ignored: EPIPE\ncaught: EPIPE after the handler\nchild killed by SIGPIPE\n
#include "proc_test.h"

static volatile sig_atomic_t caught;
static void on_pipe(int sig) { caught = sig; }

int main(int argc, char **argv) {
  proc_init(argc, argv);
  int p[2];

  // Ignored: the write fails with EPIPE.
  CHECK(signal(SIGPIPE, SIG_IGN) != SIG_ERR);
  CHECK_OK(pipe(p));
  close(p[0]);
  CHECK_ERR(write(p[1], "x", 1), EPIPE);
  printf("ignored: EPIPE\n");
  close(p[1]);

  // Caught: the handler runs, then the write fails with EPIPE.
  on_signal(SIGPIPE, on_pipe, 0);
  CHECK_OK(pipe(p));
  close(p[0]);
  CHECK_ERR(write(p[1], "x", 1), EPIPE);
  CHECK_EQ(caught, SIGPIPE);
  printf("caught: EPIPE after the handler\n");
  close(p[1]);

  // Default: a child writing into a pipe whose reader goes away dies by SIGPIPE (caught
  // signals are reset to default in a spawned child).
  CHECK_OK(pipe(p));
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[1], 1);
  posix_spawn_file_actions_addclose(&fa, p[0]);
  posix_spawn_file_actions_addclose(&fa, p[1]);
  pid_t pid = start_helper(&fa, NULL, "write-forever", NULL);
  posix_spawn_file_actions_destroy(&fa);
  close(p[1]);
  char buf[100];
  CHECK_OK(read(p[0], buf, sizeof buf));
  close(p[0]);
  CHECK_KILLED(wait_for(pid), SIGPIPE);
  printf("child killed by SIGPIPE\n");
  return 0;
}
