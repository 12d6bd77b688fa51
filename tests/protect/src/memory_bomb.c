// Allocates 1 MiB blocks (and touches them) until malloc fails, then prints how many it
// got and exits 0: under a memory page limit, memory.grow fails and malloc returns NULL.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *volatile last; /* the blocks escape: the compiler may not drop the allocations */

int main(void) {
  int blocks = 0;
  for (;;) {
    char *p = malloc(1 << 20);
    if (!p) break;
    memset(p, 0xa5, 1 << 20);
    last = p;
    blocks++;
  }
  printf("blocks %d\n", blocks);
  return 0;
}
