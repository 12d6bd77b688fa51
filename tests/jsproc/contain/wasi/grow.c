// A WASI process that grows its linear memory legitimately: `grow MIB SECONDS` takes MIB MiB
// (malloc, every page touched), says so on stdout, holds it SECONDS, and exits 0. The
// neighbour in tests/jsproc/contain/attribution.test.ts: the kernel knows its memory's size.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: grow MIB SECONDS\n");
    return 2;
  }
  size_t mib = (size_t)strtoul(argv[1], NULL, 10);
  unsigned seconds = (unsigned)strtoul(argv[2], NULL, 10);
  char *p = malloc(mib << 20);
  if (p == NULL) {
    perror("grow: malloc");
    return 1;
  }
  memset(p, 1, mib << 20);
  printf("grown %zu\n", mib);
  fflush(stdout);
  sleep(seconds);
  return p[(mib << 20) - 1] == 1 ? 0 : 1;
}
