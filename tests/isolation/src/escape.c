// Confinement attempts for tests/confinement.test.ts: runs each attempt given on the command
// line and prints one line per attempt, "ok" (with what it saw) or "errno N" (WASI's number).
// Attempts are separated by ";" arguments; in paths, "\0" stands for a NUL byte and "\\" for
// a backslash. FD is a descriptor number (the test preopens the mount under attack).
//
//   open FD PATH            path_open, following symlinks; "ok: CONTENT" (its first bytes)
//   open-nofollow FD PATH   path_open without following a final symlink
//   stat FD PATH            path_filestat_get, following symlinks
//   rename FD PATH FD PATH  path_rename
//   link FD PATH FD PATH    path_link (the source not followed)
//   symlink TARGET FD PATH  path_symlink
//   mkdir FD PATH           path_create_directory
//   chdir PATH              the kernel's chdir (POSIX rules); "ok: CWD"
//   cwd-open PATH           open(2) through wasi-libc, relative to the cwd; "ok: CONTENT"
//   spawn PATH              posix_spawn; "ok" if the program ran (it is waited for)
#include <isokernel.h>

#include "../../hostile/src/raw.h"

#define RIGHTS_READ ((L)(1 << 1) | (L)(1 << 2) | (L)(1 << 21)) /* FD_READ, FD_SEEK, FD_FILESTAT_GET */

static char *decode(const char *s, I *len) {
  char *out = malloc(strlen(s) + 1);
  I n = 0;
  for (; *s; s++) {
    if (s[0] == '\\' && s[1] == '0') out[n++] = '\0', s++;
    else if (s[0] == '\\' && s[1] == '\\') out[n++] = '\\', s++;
    else out[n++] = *s;
  }
  out[n] = '\0';
  *len = n;
  return out;
}

static void result(I err) {
  if (err == 0) printf("ok\n");
  else printf("errno %d\n", err);
}

static void show_content(I fd) {
  char buf[64];
  __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf - 1};
  I n = 0;
  I err = raw_fd_read(fd, P(&iov), 1, P(&n));
  if (err) {
    printf("ok, read: errno %d\n", err);
    return;
  }
  buf[n] = '\0';
  char *nl = strchr(buf, '\n');
  if (nl) *nl = '\0';
  printf("ok: %s\n", buf);
}

static I open_at(I fd, const char *arg, I follow) {
  I len;
  char *p = decode(arg, &len);
  I out = -1;
  I err = raw_path_open(fd, follow, P(p), len, 0, RIGHTS_READ, 0, 0, P(&out));
  free(p);
  if (err) return err;
  __wasi_filestat_t st;
  if (raw_fd_filestat_get(out, P(&st)) == 0 && st.filetype == __WASI_FILETYPE_REGULAR_FILE) show_content(out);
  else printf("ok\n");
  raw_fd_close(out);
  return -1;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  for (int i = 1; i < argc;) {
    char **a = &argv[i];
    int n = 0;
    while (i + n < argc && strcmp(argv[i + n], ";") != 0) n++;
    i += n + 1;
    if (n == 0) continue;
    const char *op = a[0];
    I l1, l2, err = -1;
    if ((strcmp(op, "open") == 0 || strcmp(op, "open-nofollow") == 0) && n == 3) {
      err = open_at(atoi(a[1]), a[2], strcmp(op, "open") == 0 ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0);
      if (err == -1) continue;
    } else if (strcmp(op, "stat") == 0 && n == 3) {
      char *p = decode(a[2], &l1);
      __wasi_filestat_t st;
      err = raw_path_filestat_get(atoi(a[1]), __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, P(p), l1, P(&st));
    } else if ((strcmp(op, "rename") == 0 || strcmp(op, "link") == 0) && n == 5) {
      char *p1 = decode(a[2], &l1), *p2 = decode(a[4], &l2);
      err = op[0] == 'r' ? raw_path_rename(atoi(a[1]), P(p1), l1, atoi(a[3]), P(p2), l2)
                         : raw_path_link(atoi(a[1]), 0, P(p1), l1, atoi(a[3]), P(p2), l2);
    } else if (strcmp(op, "symlink") == 0 && n == 4) {
      char *t = decode(a[1], &l1), *p = decode(a[3], &l2);
      err = raw_path_symlink(P(t), l1, atoi(a[2]), P(p), l2);
    } else if (strcmp(op, "mkdir") == 0 && n == 3) {
      char *p = decode(a[2], &l1);
      err = raw_path_create_directory(atoi(a[1]), P(p), l1);
    } else if (strcmp(op, "chdir") == 0 && n == 2) {
      if (chdir(a[1]) == 0) {
        char cwd[256];
        printf("ok: %s\n", getcwd(cwd, sizeof cwd) ? cwd : "?");
        continue;
      }
      err = errno;
    } else if (strcmp(op, "cwd-open") == 0 && n == 2) {
      int fd = open(a[1], O_RDONLY);
      if (fd >= 0) {
        show_content(fd);
        close(fd);
        continue;
      }
      err = errno;
    } else if (strcmp(op, "spawn") == 0 && n == 2) {
      char *args[] = {a[1], NULL};
      pid_t pid;
      err = posix_spawn(&pid, a[1], NULL, NULL, args, environ);
      if (err == 0) waitpid(pid, NULL, 0);
    } else {
      printf("bad attempt %s (%d arguments)\n", op, n);
      return 2;
    }
    result(err);
  }
  return 0;
}
