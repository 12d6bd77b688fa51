// Reads a field through a NULL struct pointer: SIGSEGV, "null pointer dereference" at
// address 0x8 (the field's offset), under the null-page guard. With the guard off, the
// read succeeds (address 8 is ordinary memory in WebAssembly) and it exits 0.
#include <stdio.h>

struct node {
  int key;
  int left;
  int value;
};

__attribute__((noinline)) static int lookup(struct node *n) { return n->value; }

int main(void) {
  struct node *volatile n = 0;
  int v = lookup(n);
  printf("read %d\n", v);
  return 0;
}
