/*
 * opt.h: command-line options the way GNU's getopt_long reads them, header-only.
 *
 * - Options may follow operands (`rm file -f`): they are permuted, unless SHORTS starts
 *   with '+' (stop at the first operand, as POSIX says and env/xargs need).
 * - `--` ends the options; a lone `-` is an operand.
 * - Short options cluster (`-la`); an argument may be attached (`-n5`) or separate.
 * - Long options `--name`, `--name=value`, `--name value`, and unambiguous prefixes.
 * - Errors are reported in GNU's words ("invalid option -- 'z'") and returned as '?'.
 *
 * Usage:
 *   int c;
 *   while ((c = opt_next(argc, argv, "an:", longs)) != -1) switch (c) { ... }
 *   then argv[opt_ind .. argc-1] are the operands.
 */
#ifndef USERLAND_OPT_H
#define USERLAND_OPT_H

#include "cmd.h"

struct longopt {
  const char *name;
  int has_arg; /* 0 no, 1 required, 2 optional (only as --name=value) */
  int val;
};

static int opt_ind __attribute__((unused)) = 1;
static char *opt_arg __attribute__((unused));

/* Parsed once, then handed out one by one. */
struct opt_item_ {
  int val;
  char *arg;
};
static struct opt_item_ *opt_items_ __attribute__((unused));
static int opt_nitems_ __attribute__((unused)), opt_pos_ __attribute__((unused)) = -1;

static inline void opt_add_(int val, char *arg) {
  opt_items_ = xrealloc(opt_items_, sizeof *opt_items_ * (size_t)(opt_nitems_ + 1));
  opt_items_[opt_nitems_].val = val;
  opt_items_[opt_nitems_].arg = arg;
  opt_nitems_++;
}

/* Finds --NAME (exact, else a unique prefix). Returns the entry, or NULL after a message. */
static inline const struct longopt *opt_long_(const struct longopt *longs, const char *name, size_t len,
                                             const char *whole) {
  const struct longopt *found = NULL;
  int count = 0;
  for (const struct longopt *l = longs; l && l->name; l++) {
    if (strncmp(l->name, name, len) != 0) continue;
    if (strlen(l->name) == len) return l;
    if (!found || found->val != l->val) count++;
    found = l;
  }
  if (count == 1) return found;
  fflush(stdout);
  if (count > 1) {
    fprintf(stderr, "%s: option '%s' is ambiguous; possibilities:", progname, whole);
    for (const struct longopt *l = longs; l->name; l++)
      if (strncmp(l->name, name, len) == 0) fprintf(stderr, " '--%s'", l->name);
    fputc('\n', stderr);
  } else {
    fprintf(stderr, "%s: unrecognized option '%s'\n", progname, whole);
  }
  return NULL;
}

static inline void opt_parse_(int argc, char **argv, const char *shorts, const struct longopt *longs) {
  int posix = shorts[0] == '+';
  if (posix) shorts++;
  char **operands = xmalloc(sizeof(char *) * (size_t)(argc + 1));
  int nops = 0, i = 1;
  for (; i < argc; i++) {
    char *a = argv[i];
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    }
    if (a[0] != '-' || a[1] == 0) {
      if (posix) break;
      operands[nops++] = a;
      continue;
    }
    if (a[1] == '-') {
      char *name = a + 2, *eq = strchr(name, '=');
      size_t len = eq ? (size_t)(eq - name) : strlen(name);
      const struct longopt *l = opt_long_(longs, name, len, a);
      if (!l) {
        opt_add_('?', NULL);
        continue;
      }
      if (l->has_arg == 0 && eq) {
        fflush(stdout);
        fprintf(stderr, "%s: option '--%s' doesn't allow an argument\n", progname, l->name);
        opt_add_('?', NULL);
      } else if (l->has_arg == 1 && !eq) {
        if (i + 1 < argc) {
          opt_add_(l->val, argv[++i]);
        } else {
          fflush(stdout);
          fprintf(stderr, "%s: option '--%s' requires an argument\n", progname, l->name);
          opt_add_('?', NULL);
        }
      } else {
        opt_add_(l->val, eq ? eq + 1 : NULL);
      }
      continue;
    }
    for (char *p = a + 1; *p; p++) {
      const char *s = *p == ':' ? NULL : strchr(shorts, *p);
      if (!s) {
        fflush(stdout);
        fprintf(stderr, "%s: invalid option -- '%c'\n", progname, *p);
        opt_add_('?', NULL);
        continue;
      }
      if (s[1] == ':') {
        if (p[1]) {
          opt_add_(*p, p + 1);
        } else if (s[2] == ':') {
          opt_add_(*p, NULL); /* optional argument: attached only */
        } else if (i + 1 < argc) {
          opt_add_(*p, argv[++i]);
        } else {
          fflush(stdout);
          fprintf(stderr, "%s: option requires an argument -- '%c'\n", progname, *p);
          opt_add_('?', NULL);
        }
        break;
      }
      opt_add_(*p, NULL);
    }
  }
  /* Operands after the options: the ones met on the way, then the rest. */
  int k = argc - nops - (argc - i);
  opt_ind = k;
  for (int j = 0; j < nops; j++) argv[k++] = operands[j];
  for (; i < argc; i++) argv[k++] = argv[i];
  free(operands);
}

static inline int opt_next(int argc, char **argv, const char *shorts, const struct longopt *longs) {
  if (opt_pos_ < 0) {
    opt_parse_(argc, argv, shorts, longs);
    opt_pos_ = 0;
  }
  if (opt_pos_ >= opt_nitems_) return -1;
  opt_arg = opt_items_[opt_pos_].arg;
  return opt_items_[opt_pos_++].val;
}

#endif /* USERLAND_OPT_H */
