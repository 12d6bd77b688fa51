// A fork bomb: spawns copies of itself as fast as it can, and every copy does the same. A
// copy that is refused retries a few times, then holds its place (pause) until it is killed.
// The first prints "forkbomb: spawned N, then E" (E the errno that refused it) on stdout.
#include <isokernel.h>

int main(int argc, char **argv) {
  (void)argc;
  char *child_argv[] = {argv[0], "copy", NULL};
  int spawned = 0, refused = 0, err = 0;
  while (refused < 10) {
    pid_t pid;
    err = posix_spawn(&pid, argv[0], NULL, NULL, child_argv, environ);
    if (err == 0) {
      spawned++;
      continue;
    }
    refused++;
    usleep(1000);
  }
  if (argc == 1) {
    printf("forkbomb: spawned %d, then %s\n", spawned, err == EAGAIN ? "EAGAIN" : strerror(err));
    fflush(stdout);
  }
  for (;;) pause();
}
