/*
 * hello: the smallest CGI/1.1 program -- the one the benchmark runs under Apache (built
 * natively with gcc) and under isokernel (built for wasm32-wasi): a fixed text/plain body.
 */
#include <stdio.h>

int main(void) {
  fputs("Content-Type: text/plain\r\n\r\nhello\n", stdout);
  return 0;
}
