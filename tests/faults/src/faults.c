// Traps of every kind, one per argv[1], for tests/faults.test.ts. Built WITH -g (build.sh)
// so that fault records carry source file:line from DWARF .debug_line. Each faulting line
// is marked `FAULT(kind)`: the test finds the line number from the marker.
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef int (*unary)(int);
typedef void (*nullary)(void);

static volatile uintptr_t far = 0xfffffff0u;   /* far beyond any memory this program has */
static volatile uintptr_t nul = 0;
static volatile int zero = 0, minus1 = -1, min = INT_MIN;
static volatile double huge = 1e300;

__attribute__((noinline)) static int oob_read(void) {
  return *(volatile int *)far; // FAULT(oob-read)
}

__attribute__((noinline)) static void oob_write(void) {
  *(volatile int *)far = 1; // FAULT(oob-write)
}

__attribute__((noinline)) static int null_read(void) {
  return ((volatile int *)nul)[6]; // FAULT(null-read)
}

__attribute__((noinline)) static void null_write(void) {
  ((volatile int *)nul)[3] = 7; // FAULT(null-write)
}

__attribute__((noinline)) static void unreachable(void) {
  __builtin_trap(); // FAULT(unreachable)
}

static int twice(int x) { return 2 * x; }

__attribute__((noinline)) static int call_null(void) {
  unary volatile f = (unary)nul;
  return f(1); // FAULT(call-null)
}

__attribute__((noinline)) static int call_oob(void) {
  unary volatile f = (unary)(uintptr_t)123456;
  return f(1); // FAULT(call-oob)
}

__attribute__((noinline)) static void call_sig(void) {
  nullary volatile f = (nullary)twice;
  f(); // FAULT(call-sig)
}

__attribute__((noinline)) static int div0(void) {
  return 10 / zero; // FAULT(div0)
}

__attribute__((noinline)) static int rem0(void) {
  return 10 % zero; // FAULT(rem0)
}

__attribute__((noinline)) static int overflow(void) {
  return min / minus1; // FAULT(overflow)
}

__attribute__((noinline)) static int convert(void) {
  return __builtin_wasm_trunc_s_i32_f64(huge); // FAULT(convert)
}

__attribute__((noinline)) static int recurse(volatile int depth) {
  volatile char pad[64];
  pad[0] = (char)depth;
  if (depth < 0) return 0;
  return recurse(depth + 1) + pad[0]; // FAULT(stack)
}

// For the core-file tests: known bytes at addresses printed on stdout, then a fault.
static char message[64];
static int numbers[4];

__attribute__((noinline)) static void core_pattern(void) {
  strcpy(message, "hello from the core\n\tend");
  numbers[0] = 1;
  numbers[1] = -2;
  numbers[2] = 300000;
  numbers[3] = INT_MAX;
  printf("message %p numbers %p\n", (void *)message, (void *)numbers);
  fflush(stdout);
  null_write();
}

// Dirties `mib` MiB of memory (a core of that size), then faults.
__attribute__((noinline)) static void big(int mib) {
  size_t n = (size_t)mib << 20;
  unsigned char *p = malloc(n);
  if (!p) {
    printf("no memory\n");
    return;
  }
  for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(i * 131 + 7) | 1;
  printf("big %p %zu\n", (void *)p, n);
  fflush(stdout);
  oob_write();
}

int main(int argc, char **argv) {
  const char *k = argc > 1 ? argv[1] : "";
  int r = 0;
  if (!strcmp(k, "oob-read")) r = oob_read();
  else if (!strcmp(k, "oob-write")) oob_write();
  else if (!strcmp(k, "null-read")) r = null_read();
  else if (!strcmp(k, "null-write")) null_write();
  else if (!strcmp(k, "unreachable")) unreachable();
  else if (!strcmp(k, "call-null")) r = call_null();
  else if (!strcmp(k, "call-oob")) r = call_oob();
  else if (!strcmp(k, "call-sig")) call_sig();
  else if (!strcmp(k, "div0")) r = div0();
  else if (!strcmp(k, "rem0")) r = rem0();
  else if (!strcmp(k, "overflow")) r = overflow();
  else if (!strcmp(k, "convert")) r = convert();
  else if (!strcmp(k, "stack")) r = recurse(0);
  else if (!strcmp(k, "core")) core_pattern();
  else if (!strcmp(k, "big")) big(argc > 2 ? atoi(argv[2]) : 16);
  else if (!strcmp(k, "sleep")) {
    printf("sleeping\n");
    fflush(stdout);
    sleep(30);
  }
  else {
    printf("usage: faults KIND\n");
    return 2;
  }
  printf("no fault: %d\n", r);
  return 0;
}
