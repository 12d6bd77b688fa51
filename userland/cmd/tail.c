/*
 * tail [-f] [-n [+-]N] [-c [+-]N] [-qv] [-s SECONDS] [--pid=PID] [FILE]...: the last N lines
 * (default 10) or bytes of each file, or from line/byte N on with +N (POSIX; GNU's
 * headers for several files, -q/-v, the multiplier suffixes, the old forms -N and +N).
 * -f follows the files: every SECONDS (default 1) it prints what was appended to each
 * regular file, and says "file truncated" and starts over when one shrinks; it runs until
 * killed, or until process PID has ended. Pipes and terminals are not followed.
 */
#include "input.h"
#include "opt.h"

#include <math.h>
#include <sys/stat.h>
#include <time.h>

#define BUFSIZE 65536

static char buf[BUFSIZE];
static int lines = 1, from_start, headers = -1;
static unsigned long long count = 10;
static const char *last_header; /* the file whose data was printed last */
static int printed_any;

static void header(const char *name) {
  if (!headers || last_header == name) return;
  printf("%s==> %s <==\n", printed_any ? "\n" : "", strcmp(name, "-") == 0 ? "standard input" : name);
  printed_any = 1;
  last_header = name;
}

static int copy_rest(int fd) {
  ssize_t r;
  while ((r = read_some(fd, buf, BUFSIZE)) > 0) fwrite(buf, 1, (size_t)r, stdout);
  return r < 0 ? -1 : 0;
}

/* +N: skip N-1 units, print the rest. */
static int tail_from(int fd) {
  unsigned long long skip = count ? count - 1 : 0;
  while (skip > 0) {
    ssize_t r = read_some(fd, buf, BUFSIZE);
    if (r <= 0) return (int)r;
    size_t i = 0;
    if (lines) {
      for (; i < (size_t)r && skip > 0; i++)
        if (buf[i] == '\n') skip--;
    } else {
      i = (unsigned long long)r < skip ? (size_t)r : (size_t)skip;
      skip -= i;
    }
    if (skip == 0) fwrite(buf + i, 1, (size_t)r - i, stdout);
  }
  return copy_rest(fd);
}

/* The last N units of a seekable file of SIZE bytes: read backwards from the end. */
static int tail_seekable(int fd, off_t size) {
  off_t start = lseek(fd, 0, SEEK_CUR);
  if (start < 0) start = 0;
  if (!lines) {
    off_t from = size - start > (off_t)count ? size - (off_t)count : start;
    if (lseek(fd, from, SEEK_SET) < 0) return -1;
    return copy_rest(fd);
  }
  off_t pos = size;
  unsigned long long need = count;
  int first_block = 1;
  off_t from = start;
  while (pos > start && need > 0) {
    size_t n = pos - start > BUFSIZE ? BUFSIZE : (size_t)(pos - start);
    pos -= (off_t)n;
    if (pread(fd, buf, n, pos) != (ssize_t)n) return -1;
    size_t i = n;
    if (first_block && i > 0 && buf[i - 1] == '\n') i--; /* the last line's own newline */
    first_block = 0;
    for (; i > 0; i--) {
      if (buf[i - 1] == '\n' && --need == 0) {
        from = pos + (off_t)i;
        break;
      }
    }
  }
  if (count == 0) from = size;
  if (lseek(fd, from, SEEK_SET) < 0) return -1;
  return copy_rest(fd);
}

/* The last N units of a stream: keep what may still be among them. */
static int tail_stream(int fd) {
  size_t cap = 2 * BUFSIZE, len = 0;
  char *keep = xmalloc(cap);
  ssize_t r;
  while ((r = read_some(fd, buf, BUFSIZE)) > 0) {
    keep_append(&keep, &len, &cap, buf, (size_t)r);
    if (len > 4 * BUFSIZE) {
      size_t cut = last_units_start(keep, len, count, lines);
      memmove(keep, keep + cut, len - cut);
      len -= cut;
    }
  }
  if (r < 0) {
    free(keep);
    return -1;
  }
  size_t cut = last_units_start(keep, len, count, lines);
  fwrite(keep + cut, 1, len - cut, stdout);
  free(keep);
  return 0;
}

struct followed {
  const char *name;
  int fd;
  off_t pos;
};

static void follow(struct followed *f, int n, double interval, pid_t pid) {
  fflush(stdout);
  for (;;) {
    int alive = 0;
    for (int i = 0; i < n; i++) {
      if (f[i].fd < 0) continue;
      alive = 1;
      struct stat st;
      if (fstat(f[i].fd, &st) != 0) continue;
      if (st.st_size < f[i].pos) {
        warnx("%s: file truncated", quotef(f[i].name));
        f[i].pos = 0;
      }
      if (st.st_size == f[i].pos) continue;
      header(f[i].name);
      ssize_t r;
      while ((r = pread(f[i].fd, buf, BUFSIZE, f[i].pos)) > 0) {
        fwrite(buf, 1, (size_t)r, stdout);
        f[i].pos += r;
      }
      fflush(stdout);
    }
    if (!alive) {
      warnx("no files remaining");
      exit(1);
    }
    if (pid > 0 && kill(pid, 0) != 0 && errno == ESRCH) return;
    struct timespec ts = {(time_t)interval, (long)((interval - floor(interval)) * 1e9)};
    nanosleep(&ts, NULL);
  }
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {
      {"lines", 1, 'n'}, {"bytes", 1, 'c'}, {"follow", 0, 'f'}, {"quiet", 0, 'q'},
      {"silent", 0, 'q'}, {"verbose", 0, 'v'}, {"sleep-interval", 1, 's'}, {"pid", 1, 'p'},
      {NULL, 0, 0}};
  const char *spec = NULL;
  int follow_files = 0, c;
  double interval = 1.0;
  pid_t pid = 0;
  /* The old forms: tail -N[lcbf] and tail +N[lcbf], as the first argument. */
  char old[64];
  if (argc > 1 && (argv[1][0] == '-' || argv[1][0] == '+') && isdigit((unsigned char)argv[1][1])) {
    const char *a = argv[1];
    size_t l = strspn(a + 1, "0123456789");
    snprintf(old, sizeof old, "%c%.*s", a[0], (int)l, a + 1);
    spec = old;
    for (const char *p = a + 1 + l; *p; p++) {
      if (*p == 'c') lines = 0;
      else if (*p == 'b') lines = 0, snprintf(old + strlen(old), 8, "b");
      else if (*p == 'l') lines = 1;
      else if (*p == 'f') follow_files = 1;
      else {
        usage_error("invalid option -- '%c'", *p);
        return 1;
      }
    }
    argv[1] = argv[0];
    argv++;
    argc--;
  }
  while ((c = opt_next(argc, argv, "n:c:fFqvs:", longs)) != -1) {
    switch (c) {
    case 'n': spec = opt_arg; lines = 1; break;
    case 'c': spec = opt_arg; lines = 0; break;
    case 'f':
    case 'F': follow_files = 1; break;
    case 'q': headers = 0; break;
    case 'v': headers = 1; break;
    case 's': {
      char *end;
      interval = strtod(opt_arg, &end);
      if (end == opt_arg || *end || interval < 0) {
        warnx("invalid number of seconds: %s", quote_loc(opt_arg));
        return 1;
      }
      break;
    }
    case 'p': {
      long long v;
      if (!parse_ll(opt_arg, &v) || v < 0) {
        warnx("invalid PID: %s", quote_loc(opt_arg));
        return 1;
      }
      pid = (pid_t)v;
      break;
    }
    default: usage_error(NULL); return 1;
    }
  }
  if (spec) {
    from_start = spec[0] == '+';
    const char *digits = spec + (spec[0] == '+' || spec[0] == '-');
    if (!parse_size(digits, &count)) {
      warnx("invalid number of %s: %s", lines ? "lines" : "bytes", quote_loc(spec));
      return 1;
    }
  }
  static char *dash[] = {"-", NULL};
  char **files = opt_ind < argc ? argv + opt_ind : dash;
  int nfiles = opt_ind < argc ? argc - opt_ind : 1;
  if (headers < 0) headers = nfiles > 1;
  struct followed *fl = xmalloc(sizeof *fl * (size_t)nfiles);
  int status = 0;
  for (int i = 0; i < nfiles; i++) {
    const char *name = files[i];
    fl[i].name = name;
    fl[i].fd = -1;
    int fd = strcmp(name, "-") == 0 ? 0 : open(name, O_RDONLY);
    if (fd < 0) {
      warne(errno, "cannot open %s for reading", quote(name));
      status = 1;
      continue;
    }
    header(name);
    struct stat st;
    int regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    int r;
    if (from_start) r = tail_from(fd);
    else if (regular) r = tail_seekable(fd, st.st_size);
    else r = tail_stream(fd);
    if (r < 0) {
      warne(errno, "error reading %s", quote(name));
      status = 1;
      close_input(fd);
      continue;
    }
    if (follow_files && regular) {
      fl[i].fd = fd;
      fl[i].pos = lseek(fd, 0, SEEK_CUR);
    } else {
      close_input(fd);
    }
  }
  if (follow_files) {
    int any = 0;
    for (int i = 0; i < nfiles; i++) any |= fl[i].fd >= 0;
    if (!any && status) {
      warnx("no files remaining");
      return 1;
    }
    if (any) follow(fl, nfiles, interval, pid);
  }
  if (close_stdout()) return 1;
  return status;
}
