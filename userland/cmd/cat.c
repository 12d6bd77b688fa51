/*
 * cat [-AbeEnstTuv] [FILE]...: concatenates files ("-" or none: standard input) to
 * standard output (POSIX -u; GNU's -n number lines, -b number non-blank lines, -s squeeze
 * blank lines, -E $ at line ends, -T tabs as ^I, -v ^X and M- notation, -A = -vET,
 * -e = -vE, -t = -vT). Line numbers continue from file to file, as GNU's.
 */
#include "input.h"
#include "opt.h"

#include <sys/stat.h>

#define BUFSIZE (128 * 1024)

static int number, number_nonblank, squeeze, show_ends, show_tabs, show_nonprinting;
static char *buf;

/* State carried across files, as GNU's cat does. */
static long long line_no;
static int at_line_start = 1, blank_run;

static void put_number(void) {
  printf("%6lld\t", ++line_no);
}

static void cat_fancy(const char *data, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)data[i];
    if (at_line_start) {
      if (c == '\n') {
        blank_run++;
        if (squeeze && blank_run > 1) continue;
        if (number && !number_nonblank) put_number();
      } else {
        blank_run = 0;
        if (number || number_nonblank) put_number();
      }
    }
    at_line_start = c == '\n';
    if (c == '\n') {
      if (show_ends) putchar('$');
      putchar('\n');
    } else if (c == '\t') {
      if (show_tabs) fputs("^I", stdout);
      else putchar('\t');
    } else if (show_nonprinting && (c < 32 || c >= 127)) {
      if (c >= 128) {
        fputs("M-", stdout);
        c -= 128;
      }
      if (c < 32) {
        putchar('^');
        putchar(c + 64);
      } else if (c == 127) {
        fputs("^?", stdout);
      } else {
        putchar(c);
      }
    } else {
      putchar(c);
    }
  }
}

/* Returns 0, or 1 after a message. */
static int cat_fd(int fd, const char *name, int fancy) {
  for (;;) {
    ssize_t n = read_some(fd, buf, BUFSIZE);
    if (n == 0) return 0;
    if (n < 0) {
      warne(errno, "%s", quotef(name));
      return 1;
    }
    if (fancy) {
      cat_fancy(buf, (size_t)n);
    } else if (write_all(1, buf, (size_t)n) != 0) {
      warne(errno, "write error");
      exit(1);
    }
  }
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {
      {"show-all", 0, 'A'}, {"number-nonblank", 0, 'b'}, {"show-ends", 0, 'E'},
      {"number", 0, 'n'}, {"squeeze-blank", 0, 's'}, {"show-tabs", 0, 'T'},
      {"show-nonprinting", 0, 'v'}, {NULL, 0, 0}};
  int c;
  while ((c = opt_next(argc, argv, "AbeEnstTuv", longs)) != -1) {
    switch (c) {
    case 'A': show_nonprinting = show_ends = show_tabs = 1; break;
    case 'b': number = number_nonblank = 1; break;
    case 'e': show_nonprinting = show_ends = 1; break;
    case 'E': show_ends = 1; break;
    case 'n': number = 1; break;
    case 's': squeeze = 1; break;
    case 't': show_nonprinting = show_tabs = 1; break;
    case 'T': show_tabs = 1; break;
    case 'u': break;
    case 'v': show_nonprinting = 1; break;
    default: usage_error(NULL); return 1;
    }
  }
  int fancy = number || squeeze || show_ends || show_tabs || show_nonprinting;
  buf = xmalloc(BUFSIZE);
  static char *dash[] = {"-", NULL};
  char **files = opt_ind < argc ? argv + opt_ind : dash;
  int nfiles = opt_ind < argc ? argc - opt_ind : 1;

  struct stat out;
  int out_regular = fstat(1, &out) == 0 && S_ISREG(out.st_mode);
  int status = 0;
  for (int i = 0; i < nfiles; i++) {
    int fd = open_input(files[i]);
    if (fd < 0) {
      warne(errno, "%s", quotef(files[i]));
      status = 1;
      continue;
    }
    struct stat in;
    if (out_regular && fstat(fd, &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino &&
        lseek(fd, 0, SEEK_CUR) < in.st_size) {
      warnx("%s: input file is output file", quotef(files[i]));
      close_input(fd);
      status = 1;
      continue;
    }
    status |= cat_fd(fd, files[i], fancy);
    close_input(fd);
  }
  if (close_stdout()) return 1;
  return status;
}
