/* The program the spawn benchmark starts: print a line and exit 0. */
#include <stdio.h>

int main(void) {
  printf("hello\n");
  return 0;
}
