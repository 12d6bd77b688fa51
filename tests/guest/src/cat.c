// test: stdin=one\ntwo\n; stdout=one\ntwo\n
// cat [FILE...]: copies files (or stdin) to stdout; tests/kernel-processes.test.ts reads a --dir with it.
#include <stdio.h>

static void copy(FILE *f) {
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, stdout);
}

int main(int argc, char **argv) {
  if (argc < 2) copy(stdin);
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "r");
    if (!f) {
      perror(argv[i]);
      return 1;
    }
    copy(f);
    fclose(f);
  }
  return 0;
}
