/*
 * operands.h: how cp and mv read SOURCE... DEST, as GNU coreutils does.
 *
 *   cp SRC DEST           DEST not a directory (or -T): the single form, SRC onto DEST
 *   cp SRC... DIR         DIR the last operand, an existing directory
 *   cp -t DIR SRC...      DIR named by -t
 *
 * target_operands() reports the usage errors itself ("missing file operand", "missing
 * destination file operand after 'X'", "extra operand 'X'", "target 'X' is not a
 * directory", "target directory 'X': No such file or directory").
 */
#ifndef USERLAND_OPERANDS_H
#define USERLAND_OPERANDS_H

#include "cmd.h"

#include <errno.h>
#include <sys/stat.h>

enum { OPERANDS_ERROR = -1, OPERANDS_SINGLE = 0, OPERANDS_INTO_DIR = 1 };

/*
 * N operands in OPS; *TARGET_DIR is -t's argument or NULL. Returns OPERANDS_SINGLE (act on
 * OPS[0] and OPS[1]), OPERANDS_INTO_DIR (*TARGET_DIR set, *N the number of sources), or
 * OPERANDS_ERROR (reported; exit 1).
 */
static inline int target_operands(int *n, char **ops, const char **target_dir, int no_target_dir) {
  struct stat st;
  if (*n < 1) {
    usage_error("missing file operand");
    return OPERANDS_ERROR;
  }
  if (*target_dir) {
    if (stat(*target_dir, &st) != 0) {
      warne(errno, "target directory %s", quote(*target_dir));
      return OPERANDS_ERROR;
    }
    if (!S_ISDIR(st.st_mode)) {
      warne(ENOTDIR, "target directory %s", quote(*target_dir));
      return OPERANDS_ERROR;
    }
    return OPERANDS_INTO_DIR;
  }
  if (*n < 2) {
    usage_error("missing destination file operand after %s", quote(ops[0]));
    return OPERANDS_ERROR;
  }
  int dir = stat(ops[*n - 1], &st) == 0 && S_ISDIR(st.st_mode);
  if (no_target_dir) {
    if (*n > 2) {
      usage_error("extra operand %s", quote(ops[2]));
      return OPERANDS_ERROR;
    }
    dir = 0;
  }
  if (!dir) {
    if (*n > 2) {
      if (stat(ops[*n - 1], &st) != 0) warne(errno, "target %s", quote(ops[*n - 1]));
      else warnx("target %s is not a directory", quote(ops[*n - 1]));
      return OPERANDS_ERROR;
    }
    return OPERANDS_SINGLE;
  }
  *target_dir = ops[--*n];
  return OPERANDS_INTO_DIR;
}

#endif
