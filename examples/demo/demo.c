// The demo program `npm start` runs until images exist: a short tour of what a WASI
// process sees inside isokernel — its arguments, its preopened directories, the
// filesystem (a tmpfs root with /dev and /tmp, and this directory mounted read-write at
// /demo), clocks, and a sleep that blocks only itself.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

static void list(const char *path) {
  DIR *d = opendir(path);
  if (!d) {
    printf("  %s: %s\n", path, strerror(errno));
    return;
  }
  printf("  %s:", path);
  struct dirent *e;
  while ((e = readdir(d)) != NULL) printf(" %s", e->d_name);
  printf("\n");
  closedir(d);
}

int main(int argc, char **argv) {
  printf("isokernel demo: a WASI process in a single-address-space kernel\n\n");
  printf("argv:");
  for (int i = 0; i < argc; i++) printf(" %s", argv[i]);
  printf("\n\npreopened directories:\n");
  for (__wasi_fd_t fd = 3;; fd++) {
    __wasi_prestat_t ps;
    if (__wasi_fd_prestat_get(fd, &ps) != 0) break;
    char name[256] = {0};
    if (ps.u.dir.pr_name_len > 255 || __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, ps.u.dir.pr_name_len) != 0) break;
    printf("  fd %u: %s\n", fd, name);
  }

  printf("\nthe filesystem:\n");
  list("/");
  list("/dev");
  list("/demo");

  const char *msg = "written by the demo\n";
  int fd = open("/tmp/note.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  if (fd < 0 || write(fd, msg, strlen(msg)) < 0) perror("/tmp/note.txt");
  close(fd);
  struct stat st;
  if (stat("/tmp/note.txt", &st) == 0) printf("\n/tmp/note.txt (tmpfs): %lld bytes, inode %llu\n",
                                              (long long)st.st_size, (unsigned long long)st.st_ino);
  FILE *f = fopen("/demo/demo.c", "r");
  if (f) {
    char line[128];
    if (fgets(line, sizeof line, f)) printf("/demo/demo.c (hostfs) begins: %s", line);
    fclose(f);
  }
  int null = open("/dev/null", O_WRONLY);
  printf("/dev/null accepts %zd bytes\n", write(null, "xyz", 3));
  close(null);

  struct timespec t0, t1, cpu;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  printf("\nsleeping 100 ms in poll_oneoff (only this process waits)...\n");
  struct timespec nap = {0, 100 * 1000 * 1000};
  nanosleep(&nap, NULL);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
  printf("slept %.1f ms; CPU time used so far %.3f ms\n",
         (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6,
         cpu.tv_sec * 1e3 + cpu.tv_nsec / 1e6);

  printf("\nNow try a crash: isokernel run tests/guest/bin/trap.wasm segv\n");
  return 0;
}
