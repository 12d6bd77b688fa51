// Grows its memory without bound, a page at a time, until memory.grow refuses; touches every
// page it got; then mallocs 1 MiB blocks until malloc fails too (it may first hand out the
// memory grown here, which wasi-libc's allocator takes as free).
//   grow           under the limit its spawner set
//   grow as BYTES  sets RLIMIT_AS itself first (setrlimit)
// Prints "grow: refused at N pages, malloc NULL after K MiB" and exits 0.
#include <isokernel.h>

void *volatile sink; /* the blocks escape: the compiler may not drop the allocations */

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "as") == 0) {
    struct rlimit r = {strtoull(argv[2], NULL, 10), RLIM_INFINITY};
    if (setrlimit(RLIMIT_AS, &r) != 0) {
      printf("grow: setrlimit: %s\n", strerror(errno));
      return 1;
    }
  }
  size_t before = __builtin_wasm_memory_size(0);
  while (__builtin_wasm_memory_grow(0, 1) != (size_t)-1) {
  }
  size_t pages = __builtin_wasm_memory_size(0);
  for (size_t pg = before; pg < pages; pg++) ((volatile char *)(pg * 65536))[65535] = 1;
  size_t mib = 0;
  while ((sink = malloc(1 << 20)) != NULL) mib++;
  if (__builtin_wasm_memory_size(0) != pages) return 1;
  printf("grow: refused at %zu pages, malloc NULL after %zu MiB\n", pages, mib);
  return 0;
}
