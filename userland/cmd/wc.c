/*
 * wc [-clmwL] [FILE]...: counts lines, words, characters (-m, UTF-8) and bytes of each file,
 * with a total for several (POSIX; GNU's -L longest line, and GNU's column widths: one
 * count of one input is printed bare, else all columns take the width of the total size
 * of the regular files, at least 7 if an input is not a regular file).
 */
#include "input.h"
#include "opt.h"

#include <sys/stat.h>

#define BUFSIZE (128 * 1024)

struct counts {
  unsigned long long lines, words, chars, bytes, longest;
};

static int do_lines, do_words, do_chars, do_bytes, do_longest;
static char buf[BUFSIZE];

static int count_fd(int fd, struct counts *c) {
  int in_word = 0;
  unsigned long long col = 0;
  int simple = !do_words && !do_chars && !do_longest;
  for (;;) {
    ssize_t n = read_some(fd, buf, BUFSIZE);
    if (n < 0) return -1;
    if (n == 0) break;
    c->bytes += (unsigned long long)n;
    if (simple) {
      /* lines and bytes only: count newlines with memchr */
      const char *p = buf, *end = buf + n;
      while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        c->lines++;
        p++;
      }
      continue;
    }
    for (ssize_t i = 0; i < n; i++) {
      unsigned char ch = (unsigned char)buf[i];
      int cont = (ch & 0xc0) == 0x80; /* a UTF-8 continuation byte */
      if (!cont) c->chars++;
      switch (ch) {
      case '\n':
        c->lines++;
        /* fall through */
      case '\r':
      case '\f':
        if (col > c->longest) c->longest = col;
        col = 0;
        in_word = 0;
        break;
      case '\t':
        col = (col + 8) & ~7ULL;
        in_word = 0;
        break;
      case ' ':
        col++;
        in_word = 0;
        break;
      case '\v':
        in_word = 0;
        break;
      default:
        if (!in_word) c->words++;
        in_word = 1;
        if (!cont && (ch >= 0x20 && ch != 0x7f)) col++;
      }
    }
  }
  if (col > c->longest) c->longest = col;
  return 0;
}

static void print_counts(const struct counts *c, int width, const char *name) {
  const char *sep = "";
  if (do_lines) printf("%s%*llu", sep, width, c->lines), sep = " ";
  if (do_words) printf("%s%*llu", sep, width, c->words), sep = " ";
  if (do_chars) printf("%s%*llu", sep, width, c->chars), sep = " ";
  if (do_bytes) printf("%s%*llu", sep, width, c->bytes), sep = " ";
  if (do_longest) printf("%s%*llu", sep, width, c->longest), sep = " ";
  if (name) printf(" %s", name);
  putchar('\n');
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {{"bytes", 0, 'c'}, {"chars", 0, 'm'}, {"lines", 0, 'l'},
                                         {"words", 0, 'w'}, {"max-line-length", 0, 'L'}, {NULL, 0, 0}};
  int c;
  while ((c = opt_next(argc, argv, "clmwL", longs)) != -1) {
    switch (c) {
    case 'c': do_bytes = 1; break;
    case 'l': do_lines = 1; break;
    case 'm': do_chars = 1; break;
    case 'w': do_words = 1; break;
    case 'L': do_longest = 1; break;
    default: usage_error(NULL); return 1;
    }
  }
  if (!do_bytes && !do_lines && !do_chars && !do_words && !do_longest) do_lines = do_words = do_bytes = 1;
  int named = opt_ind < argc;
  static char *dash[] = {"-", NULL};
  char **files = named ? argv + opt_ind : dash;
  int nfiles = named ? argc - opt_ind : 1;

  /* Open everything first: the width depends on all the inputs. */
  int *fds = xmalloc(sizeof(int) * (size_t)nfiles);
  unsigned long long regular_total = 0;
  int min_width = 1, status = 0;
  for (int i = 0; i < nfiles; i++) {
    fds[i] = strcmp(files[i], "-") == 0 ? 0 : open(files[i], O_RDONLY);
    if (fds[i] < 0) {
      fds[i] = -errno;
      continue;
    }
    struct stat st;
    if (fstat(fds[i], &st) == 0) {
      if (S_ISREG(st.st_mode)) regular_total += (unsigned long long)st.st_size;
      else min_width = 7;
    }
  }
  int ncounts = do_lines + do_words + do_chars + do_bytes + do_longest;
  int width = 1;
  if (!(ncounts == 1 && nfiles == 1)) {
    for (unsigned long long t = regular_total; t >= 10; t /= 10) width++;
    if (width < min_width) width = min_width;
  }

  struct counts total = {0, 0, 0, 0, 0};
  for (int i = 0; i < nfiles; i++) {
    const char *shown = named ? files[i] : NULL;
    if (fds[i] < 0) {
      warne(-fds[i], "%s", quotef(files[i]));
      status = 1;
      continue;
    }
    struct counts cnt = {0, 0, 0, 0, 0};
    if (count_fd(fds[i], &cnt) < 0) {
      warne(errno, "%s", quotef(files[i]));
      status = 1;
    }
    close_input(fds[i]);
    print_counts(&cnt, width, shown);
    total.lines += cnt.lines;
    total.words += cnt.words;
    total.chars += cnt.chars;
    total.bytes += cnt.bytes;
    if (cnt.longest > total.longest) total.longest = cnt.longest;
  }
  if (nfiles > 1) print_counts(&total, width, "total");
  if (close_stdout()) return 1;
  return status;
}
