/*
 * tee [-ai] [FILE]...: copies standard input to standard output and to each FILE (POSIX;
 * -p from GNU: keep going when a pipe reader goes away). -a appends, -i ignores SIGINT.
 */
#include "input.h"
#include "opt.h"

#define BUFSIZE 65536

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {{"append", 0, 'a'}, {"ignore-interrupts", 0, 'i'},
                                         {"output-error", 2, 'p'}, {NULL, 0, 0}};
  int append = 0, c, diagnose_pipes = 0;
  while ((c = opt_next(argc, argv, "aip", longs)) != -1) {
    switch (c) {
    case 'a': append = 1; break;
    case 'i': signal(SIGINT, SIG_IGN); break;
    case 'p': diagnose_pipes = 1; break;
    default: usage_error(NULL); return 1;
    }
  }
  if (diagnose_pipes) signal(SIGPIPE, SIG_IGN);
  int n = argc - opt_ind + 1;
  int *fds = xmalloc(sizeof(int) * (size_t)n);
  const char **names = xmalloc(sizeof(char *) * (size_t)n);
  int status = 0;
  fds[0] = 1;
  names[0] = "standard output";
  for (int i = 1; i < n; i++) {
    names[i] = argv[opt_ind + i - 1];
    fds[i] = open(names[i], O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0666);
    if (fds[i] < 0) {
      warne(errno, "%s", quotef(names[i]));
      status = 1;
    }
  }
  static char buf[BUFSIZE];
  int open_outputs = n;
  for (;;) {
    ssize_t r = read_some(0, buf, BUFSIZE);
    if (r < 0) {
      warne(errno, "read error");
      status = 1;
      break;
    }
    if (r == 0) break;
    for (int i = 0; i < n; i++) {
      if (fds[i] < 0) continue;
      if (write_all(fds[i], buf, (size_t)r) != 0) {
        int e = errno;
        if (!(e == EPIPE && diagnose_pipes && i == 0)) warne(e, "%s", quotef(names[i]));
        if (!(e == EPIPE && diagnose_pipes)) status = 1;
        if (i > 0) close(fds[i]);
        fds[i] = -1;
        open_outputs--;
      }
    }
    if (open_outputs == 0 && diagnose_pipes) break;
  }
  for (int i = 1; i < n; i++)
    if (fds[i] >= 0 && close(fds[i]) != 0) {
      warne(errno, "%s", quotef(names[i]));
      status = 1;
    }
  return status;
}
