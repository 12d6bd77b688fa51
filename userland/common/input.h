/*
 * input.h: opening the operands of a filter ("-" is standard input) with GNU's messages,
 * reading a stream line by line or block by block, and keeping the end of a stream (head
 * -n -N, tail).
 */
#ifndef USERLAND_INPUT_H
#define USERLAND_INPUT_H

#include "cmd.h"

#include <fcntl.h>
#include <sys/stat.h>

/* Opens NAME for reading ("-": standard input). Returns the fd, or -1 with errno set; a
 * directory gives EISDIR (wasi-libc opens directories read-only without complaint). */
static inline int open_input(const char *name) {
  if (strcmp(name, "-") == 0) return 0;
  int fd = open(name, O_RDONLY);
  if (fd < 0) return -1;
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    close(fd);
    errno = EISDIR;
    return -1;
  }
  return fd;
}

static inline void close_input(int fd) {
  if (fd > 0) close(fd);
}

/* Opens NAME as a stdio stream ("-": stdin), as open_input. */
static inline FILE *fopen_input(const char *name) {
  if (strcmp(name, "-") == 0) return stdin;
  int fd = open_input(name);
  if (fd < 0) return NULL;
  FILE *f = fdopen(fd, "r");
  if (!f) close(fd);
  return f;
}

static inline void fclose_input(FILE *f) {
  if (f == stdin) clearerr(f);
  else fclose(f);
}

/* read(2), retried after EINTR. */
static inline ssize_t read_some(int fd, void *buf, size_t n) {
  ssize_t r;
  do r = read(fd, buf, n);
  while (r < 0 && errno == EINTR);
  if (r < 0 && errno == EBADF) {
    /* a directory read through WASI: report it as Linux does */
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) errno = EISDIR;
  }
  return r;
}

/* Where the last N lines of B[0, LEN) start (an unterminated last line counts); 0 if it has fewer. */
static inline size_t last_lines_start(const char *b, size_t len, unsigned long long n) {
  if (n == 0) return len;
  size_t i = len;
  if (i > 0 && b[i - 1] == '\n') i--;
  for (; i > 0; i--)
    if (b[i - 1] == '\n' && --n == 0) return i;
  return 0;
}

/* Where the last N units of B[0, LEN) start: lines if LINES, else bytes; 0 if it has fewer. */
static inline size_t last_units_start(const char *b, size_t len, unsigned long long n, int lines) {
  return lines ? last_lines_start(b, len, n) : (len > n ? len - (size_t)n : 0);
}

/* Appends B[0, N) to the buffer *KEEP of *LEN bytes, growing it (and *CAP) as needed. */
static inline void keep_append(char **keep, size_t *len, size_t *cap, const char *b, size_t n) {
  if (*len + n > *cap) {
    while (*len + n > *cap) *cap *= 2;
    *keep = xrealloc(*keep, *cap);
  }
  memcpy(*keep + *len, b, n);
  *len += n;
}

#endif /* USERLAND_INPUT_H */
