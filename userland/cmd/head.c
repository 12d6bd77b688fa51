/*
 * head [-n [-]N] [-c [-]N] [-qv] [FILE]...: the first N lines (default 10) or bytes of each
 * file (POSIX -n; GNU's -c, a negative N for "all but the last N", -q/-v for the headers,
 * the multiplier suffixes of N, and the old form -N).
 */
#include "input.h"
#include "opt.h"

#define BUFSIZE 65536

static char buf[BUFSIZE];

/* Writes everything but the last N units (lines if LINES) of FD. What is certainly before
 * them is written as it comes; the rest is held back until the end. */
static int head_all_but(int fd, unsigned long long n, int lines) {
  size_t cap = BUFSIZE, len = 0;
  char *keep = xmalloc(cap);
  for (;;) {
    ssize_t r = read_some(fd, buf, BUFSIZE);
    if (r < 0) return -1;
    if (r == 0) break;
    keep_append(&keep, &len, &cap, buf, (size_t)r);
    size_t cut = last_units_start(keep, len, n, lines);
    if (cut > BUFSIZE) {
      fwrite(keep, 1, cut, stdout);
      memmove(keep, keep + cut, len - cut);
      len -= cut;
    }
  }
  size_t cut = last_units_start(keep, len, n, lines);
  fwrite(keep, 1, cut, stdout);
  free(keep);
  return 0;
}

static int head_first(int fd, unsigned long long n, int lines) {
  while (n > 0) {
    ssize_t r = read_some(fd, buf, BUFSIZE);
    if (r < 0) return -1;
    if (r == 0) break;
    size_t take = (size_t)r;
    if (lines) {
      for (size_t i = 0; i < (size_t)r; i++) {
        if (buf[i] == '\n' && --n == 0) {
          take = i + 1;
          break;
        }
      }
    } else if ((unsigned long long)r > n) {
      take = (size_t)n;
      n = 0;
    } else {
      n -= (unsigned long long)r;
    }
    fwrite(buf, 1, take, stdout);
    if (take < (size_t)r) lseek(fd, (off_t)take - r, SEEK_CUR); /* leave the rest unread */
  }
  return 0;
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {{"lines", 1, 'n'}, {"bytes", 1, 'c'}, {"quiet", 0, 'q'},
                                         {"silent", 0, 'q'}, {"verbose", 0, 'v'}, {NULL, 0, 0}};
  const char *count = "10";
  int lines = 1, headers = -1, c;
  /* The old form: head -N (with an optional unit letter), first argument only. */
  char old[32];
  if (argc > 1 && argv[1][0] == '-' && isdigit((unsigned char)argv[1][1])) {
    size_t l = strspn(argv[1] + 1, "0123456789");
    snprintf(old, sizeof old, "%.*s", (int)l, argv[1] + 1);
    const char *rest = argv[1] + 1 + l;
    count = old;
    for (; *rest; rest++) {
      if (*rest == 'c') lines = 0;
      else if (*rest == 'l') lines = 1;
      else if (*rest == 'q') headers = 0;
      else if (*rest == 'v') headers = 1;
      else {
        warnx("invalid trailing option -- %c", *rest);
        usage_error(NULL);
        return 1;
      }
    }
    argv[1] = argv[0];
    argv++;
    argc--;
  }
  while ((c = opt_next(argc, argv, "n:c:qv", longs)) != -1) {
    switch (c) {
    case 'n': count = opt_arg; lines = 1; break;
    case 'c': count = opt_arg; lines = 0; break;
    case 'q': headers = 0; break;
    case 'v': headers = 1; break;
    default: usage_error(NULL); return 1;
    }
  }
  int all_but = count[0] == '-';
  unsigned long long n;
  const char *digits = count + (count[0] == '-' || count[0] == '+');
  if (!parse_size(digits, &n)) {
    warnx("invalid number of %s: %s", lines ? "lines" : "bytes", quote_loc(count));
    return 1;
  }
  static char *dash[] = {"-", NULL};
  char **files = opt_ind < argc ? argv + opt_ind : dash;
  int nfiles = opt_ind < argc ? argc - opt_ind : 1;
  if (headers < 0) headers = nfiles > 1;
  int status = 0, printed = 0;
  for (int i = 0; i < nfiles; i++) {
    const char *name = files[i];
    int fd = strcmp(name, "-") == 0 ? 0 : open(name, O_RDONLY); /* a directory fails at read */
    if (fd < 0) {
      warne(errno, "cannot open %s for reading", quote(name));
      status = 1;
      continue;
    }
    if (headers) printf("%s==> %s <==\n", printed++ ? "\n" : "", strcmp(name, "-") == 0 ? "standard input" : name);
    int r = all_but ? head_all_but(fd, n, lines) : head_first(fd, n, lines);
    if (r < 0) {
      warne(errno, "error reading %s", quote(name));
      status = 1;
    }
    close_input(fd);
  }
  if (close_stdout()) return 1;
  return status;
}
