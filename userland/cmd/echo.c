/*
 * echo [-neE] [STRING]...: writes the strings separated by spaces, then a newline, as GNU
 * coreutils' echo does: -n no newline; -e interpret backslash escapes (\\ \a \b \c \e \f \n
 * \r \t \v \0NNN \xHH); -E do not (the default). An argument counts as options only if it
 * is '-' followed by letters from "neE" alone.
 */
#include "cmd.h"

static int is_options(const char *a) {
  if (a[0] != '-' || a[1] == 0) return 0;
  for (const char *p = a + 1; *p; p++)
    if (!strchr("neE", *p)) return 0;
  return 1;
}

static int hexval(int c) {
  if (isdigit(c)) return c - '0';
  return tolower(c) - 'a' + 10;
}

/* Writes S with escapes interpreted; returns 0 if \c said to stop all output. */
static int put_escaped(const char *s) {
  for (const char *p = s; *p; p++) {
    if (*p != '\\' || p[1] == 0) {
      putchar(*p);
      continue;
    }
    int c = *++p;
    switch (c) {
    case 'a': putchar('\a'); break;
    case 'b': putchar('\b'); break;
    case 'c': return 0;
    case 'e': putchar(033); break;
    case 'f': putchar('\f'); break;
    case 'n': putchar('\n'); break;
    case 'r': putchar('\r'); break;
    case 't': putchar('\t'); break;
    case 'v': putchar('\v'); break;
    case '\\': putchar('\\'); break;
    case 'x':
      if (isxdigit((unsigned char)p[1])) {
        int v = hexval((unsigned char)*++p);
        if (isxdigit((unsigned char)p[1])) v = v * 16 + hexval((unsigned char)*++p);
        putchar(v);
      } else {
        putchar('\\');
        putchar('x');
      }
      break;
    case '0': {
      int v = 0;
      for (int i = 0; i < 3 && p[1] >= '0' && p[1] <= '7'; i++) v = v * 8 + (*++p - '0');
      putchar(v);
      break;
    }
    default:
      putchar('\\');
      putchar(c);
    }
  }
  return 1;
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  int newline = 1, escapes = 0, i = 1;
  for (; i < argc && is_options(argv[i]); i++) {
    for (const char *p = argv[i] + 1; *p; p++) {
      if (*p == 'n') newline = 0;
      else if (*p == 'e') escapes = 1;
      else escapes = 0;
    }
  }
  for (int first = 1; i < argc; i++, first = 0) {
    if (!first) putchar(' ');
    if (escapes) {
      if (!put_escaped(argv[i])) return close_stdout();
    } else {
      fputs(argv[i], stdout);
    }
  }
  if (newline) putchar('\n');
  return close_stdout();
}
