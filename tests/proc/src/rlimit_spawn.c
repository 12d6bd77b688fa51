// isokernel's limits on spawning: posix_spawn_file_actions_addsetrlimit_np sets a limit of
// the child before it runs; ISK_RLIMIT_NCHILD bounds live children and RLIMIT_NPROC the
// processes of the caller's uid (uid 0 included, unlike Linux), both with EAGAIN.
// test: stdout=action: 16 16\naction, bad resource: EINVAL\naction, soft above hard: EINVAL\nnchild 2: EAGAIN at the third\nnchild: room again after a wait\nnproc 3: EAGAIN at the third child\n
// proc: native=skip the spawn action, NCHILD and NPROC for uid 0 are isokernel's
#include "proc_test.h"

#ifndef __wasi__
int main(void) { return 0; } // never run natively (see the header)
#else

static int spawn_child(pid_t *pid, const posix_spawn_file_actions_t *fa, const char *what) {
  char *argv[] = {(char *)proc_argv0, (char *)what, NULL};
  return posix_spawn(pid, proc_argv0, fa, NULL, argv, environ);
}

int main(int argc, char **argv) {
  proc_init(argc, argv);
  if (argc == 2 && strcmp(argv[1], "show") == 0) {
    struct rlimit r;
    CHECK_OK(getrlimit(RLIMIT_NOFILE, &r));
    printf("action: %llu %llu\n", (unsigned long long)r.rlim_cur, (unsigned long long)r.rlim_max);
    return 0;
  }
  if (argc == 2 && strcmp(argv[1], "pause") == 0) {
    pause();
    return 0;
  }

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  struct rlimit r = {16, 16};
  CHECK_RET(posix_spawn_file_actions_addsetrlimit_np(&fa, RLIMIT_NOFILE, &r), 0);
  pid_t pid;
  CHECK_RET(spawn_child(&pid, &fa, "show"), 0);
  CHECK_EXITED(wait_for(pid), 0);
  posix_spawn_file_actions_destroy(&fa);

  posix_spawn_file_actions_init(&fa);
  CHECK_RET(posix_spawn_file_actions_addsetrlimit_np(&fa, 99, &r), 0);
  CHECK_RET(spawn_child(&pid, &fa, "show"), EINVAL);
  posix_spawn_file_actions_destroy(&fa);
  printf("action, bad resource: EINVAL\n");
  posix_spawn_file_actions_init(&fa);
  struct rlimit bad = {20, 10};
  CHECK_RET(posix_spawn_file_actions_addsetrlimit_np(&fa, RLIMIT_NOFILE, &bad), 0);
  CHECK_RET(spawn_child(&pid, &fa, "show"), EINVAL);
  posix_spawn_file_actions_destroy(&fa);
  printf("action, soft above hard: EINVAL\n");

  // Two live children at most.
  r.rlim_cur = r.rlim_max = 2;
  CHECK_OK(setrlimit(ISK_RLIMIT_NCHILD, &r));
  pid_t a, b, c;
  CHECK_RET(spawn_child(&a, NULL, "pause"), 0);
  CHECK_RET(spawn_child(&b, NULL, "pause"), 0);
  CHECK_RET(spawn_child(&c, NULL, "pause"), EAGAIN);
  printf("nchild 2: EAGAIN at the third\n");
  CHECK_OK(kill(a, SIGKILL));
  CHECK_KILLED(wait_for(a), SIGKILL);
  CHECK_RET(spawn_child(&c, NULL, "pause"), 0);
  printf("nchild: room again after a wait\n");
  kill(b, SIGKILL);
  kill(c, SIGKILL);
  wait_for(b);
  wait_for(c);
  r.rlim_cur = r.rlim_max = RLIM_INFINITY;
  CHECK_OK(setrlimit(ISK_RLIMIT_NCHILD, &r));

  // Three processes of this uid at most: this one and two children.
  r.rlim_cur = r.rlim_max = 3;
  CHECK_OK(setrlimit(RLIMIT_NPROC, &r));
  CHECK_RET(spawn_child(&a, NULL, "pause"), 0);
  CHECK_RET(spawn_child(&b, NULL, "pause"), 0);
  CHECK_RET(spawn_child(&c, NULL, "pause"), EAGAIN);
  printf("nproc 3: EAGAIN at the third child\n");
  kill(a, SIGKILL);
  kill(b, SIGKILL);
  wait_for(a);
  wait_for(b);
  return 0;
}
#endif
