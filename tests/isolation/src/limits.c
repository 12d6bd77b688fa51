// A resource-limit tool for the tests: runs its arguments as commands, one line of output each.
//   get RES                   "get RES: SOFT HARD"
//   set RES SOFT HARD         "set RES SOFT HARD: ok" or ": ERRNO"
//   prlimit PID RES           "prlimit PID RES: SOFT HARD" or ": ERRNO"
//   prlimit PID RES SOFT HARD "prlimit PID RES SOFT HARD: ok" or ": ERRNO"
//   spawn RES SOFT HARD CMD...  spawns itself running CMD... with that limit set by a spawn
//                             file action; "spawn: ERRNO" if refused, else the child's lines
// Values are numbers or "inf" (RLIM_INFINITY). Exits 0.
#include <isokernel.h>

#include <ctype.h>

static const char *ename(int e) {
  switch (e) {
  case EPERM: return "EPERM";
  case EINVAL: return "EINVAL";
  case ESRCH: return "ESRCH";
  case EFAULT: return "EFAULT";
  case EAGAIN: return "EAGAIN";
  default: return strerror(e);
  }
}

static rlim_t val(const char *s) { return strcmp(s, "inf") == 0 ? RLIM_INFINITY : strtoull(s, NULL, 10); }

static void show(rlim_t v) {
  if (v == RLIM_INFINITY) printf(" inf");
  else printf(" %llu", v);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  for (int i = 1; i < argc;) {
    const char *cmd = argv[i];
    struct rlimit r;
    if (strcmp(cmd, "get") == 0 && i + 1 < argc) {
      int res = atoi(argv[i + 1]);
      printf("get %d:", res);
      if (getrlimit(res, &r) != 0) printf(" %s\n", ename(errno));
      else show(r.rlim_cur), show(r.rlim_max), printf("\n");
      i += 2;
    } else if (strcmp(cmd, "set") == 0 && i + 3 < argc) {
      int res = atoi(argv[i + 1]);
      r.rlim_cur = val(argv[i + 2]);
      r.rlim_max = val(argv[i + 3]);
      printf("set %d %s %s: %s\n", res, argv[i + 2], argv[i + 3], setrlimit(res, &r) == 0 ? "ok" : ename(errno));
      i += 4;
    } else if (strcmp(cmd, "prlimit") == 0 && i + 2 < argc) {
      pid_t pid = atoi(argv[i + 1]);
      int res = atoi(argv[i + 2]);
      int setting = i + 4 < argc && (isdigit((unsigned char)argv[i + 3][0]) || strcmp(argv[i + 3], "inf") == 0);
      if (setting) {
        r.rlim_cur = val(argv[i + 3]);
        r.rlim_max = val(argv[i + 4]);
        printf("prlimit %d %d %s %s: %s\n", pid, res, argv[i + 3], argv[i + 4],
               prlimit(pid, res, &r, NULL) == 0 ? "ok" : ename(errno));
        i += 5;
      } else {
        printf("prlimit %d %d:", pid, res);
        if (prlimit(pid, res, NULL, &r) != 0) printf(" %s\n", ename(errno));
        else show(r.rlim_cur), show(r.rlim_max), printf("\n");
        i += 3;
      }
    } else if (strcmp(cmd, "spawn") == 0 && i + 4 < argc) {
      posix_spawn_file_actions_t fa;
      posix_spawn_file_actions_init(&fa);
      r.rlim_cur = val(argv[i + 2]);
      r.rlim_max = val(argv[i + 3]);
      posix_spawn_file_actions_addsetrlimit_np(&fa, atoi(argv[i + 1]), &r);
      char **child = &argv[i + 3];
      char *saved = child[0];
      child[0] = argv[0];
      pid_t pid;
      int err = posix_spawn(&pid, argv[0], &fa, NULL, child, environ);
      child[0] = saved;
      posix_spawn_file_actions_destroy(&fa);
      if (err) printf("spawn: %s\n", ename(err));
      else waitpid(pid, NULL, 0);
      break;
    } else {
      printf("bad command %s\n", cmd);
      return 2;
    }
  }
  return 0;
}
