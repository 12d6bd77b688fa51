/* A CGI that starts its headers and then dereferences a null pointer: the kernel's null-page
 * guard turns it into SIGSEGV with a fault record; httpd must answer 502. */
#include <stdio.h>

int main(void) {
  fputs("Content-Ty", stdout);
  fflush(stdout);
  volatile int *p = (volatile int *)0;
  *p = 42;
  return 0;
}
