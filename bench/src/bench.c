/* Kernel-core micro-benchmarks. One source, built natively (gcc -O2) and as a WASI
 * preview1 command (clang-14 --target=wasm32-wasi). Usage:
 *
 *   bench FIGURE[=PATH] ...
 *
 * FIGURE is one of null_call, clock, write_devnull, open_close_tmpfs, open_close_hostfs.
 * For the open_close figures PATH names the file to open (created if missing); the
 * defaults are the WASI layout: /tmp/bench-file.txt (tmpfs) and /data/bench-file.txt
 * (a host directory). Prints one line per figure: `FIGURE NS_PER_OP`. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#ifdef __wasi__
#include <wasi/api.h>
#endif
#include "measure.h"

static volatile long sink;
static int devnull = -1;
static const char *open_path;

/* The cheapest call into the kernel that does something: WASI args_sizes_get (answered
 * from the process's own state), native getppid(2) (a real system call). */
static void op_null_call(long n) {
  for (long i = 0; i < n; i++) {
#ifdef __wasi__
    __wasi_size_t argc, size;
    (void)__wasi_args_sizes_get(&argc, &size);
    sink += (long)argc;
#else
    sink += getppid();
#endif
  }
}

static void op_clock(long n) {
  struct timespec ts;
  for (long i = 0; i < n; i++) {
    clock_gettime(CLOCK_MONOTONIC, &ts);
    sink += ts.tv_nsec;
  }
}

static void op_write_devnull(long n) {
  const char c = 'x';
  for (long i = 0; i < n; i++)
    if (write(devnull, &c, 1) != 1) { perror("write /dev/null"); exit(1); }
}

static void op_open_close(long n) {
  for (long i = 0; i < n; i++) {
    int fd = open(open_path, O_RDONLY);
    if (fd < 0) { perror(open_path); exit(1); }
    close(fd);
  }
}

static int prepare_file(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT, 0644);
  if (fd < 0) { perror(path); return -1; }
  if (write(fd, "bench\n", 6) != 6) { perror(path); close(fd); return -1; }
  return close(fd);
}

int main(int argc, char **argv) {
  devnull = open("/dev/null", O_WRONLY);
  if (devnull < 0) { perror("/dev/null"); return 1; }
  for (int i = 1; i < argc; i++) {
    char name[64];
    const char *eq = strchr(argv[i], '=');
    size_t len = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
    if (len >= sizeof name) len = sizeof name - 1;
    memcpy(name, argv[i], len);
    name[len] = 0;
    if (!strcmp(name, "null_call")) measure(name, op_null_call);
    else if (!strcmp(name, "clock")) measure(name, op_clock);
    else if (!strcmp(name, "write_devnull")) measure(name, op_write_devnull);
    else if (!strcmp(name, "open_close_tmpfs") || !strcmp(name, "open_close_hostfs")) {
      open_path = eq ? eq + 1 : name[11] == 't' ? "/tmp/bench-file.txt" : "/data/bench-file.txt";
      if (prepare_file(open_path)) return 1;
      measure(name, op_open_close);
    } else {
      fprintf(stderr, "bench: unknown figure %s\n", name);
      return 2;
    }
  }
  return 0;
}
