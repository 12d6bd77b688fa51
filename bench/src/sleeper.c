/* A hello that then sits idle, for the memory benchmark. Usage: sleeper [MS] [-]
 * Prints "hello", then sleeps in poll (WASI: poll_oneoff) for MS milliseconds, or,
 * with "-", until stdin is readable or closed (it is "told"); with both, whichever
 * comes first; with neither, forever. */
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  int timeout_ms = -1;
  struct pollfd in = {.fd = 0, .events = POLLIN};
  nfds_t nfds = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-")) nfds = 1;
    else timeout_ms = atoi(argv[i]);
  }
  printf("hello\n");
  fflush(stdout);
  int forever = nfds == 0 && timeout_ms < 0;
  do {
    if (poll(nfds ? &in : NULL, nfds, forever ? INT_MAX : timeout_ms) < 0) {
      perror("poll");
      return 1;
    }
  } while (forever);
  return 0;
}
