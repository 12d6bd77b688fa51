/*
 * regex_msg.h: regcomp's errors in the words of GNU's regex (what grep and sed print);
 * wasi-libc's regex (TRE) has its own.
 */
#ifndef USERLAND_REGEX_MSG_H
#define USERLAND_REGEX_MSG_H

#include <regex.h>

static inline const char *regex_message(int code) {
  switch (code) {
  case REG_NOMATCH: return "No match";
  case REG_BADPAT: return "Invalid regular expression";
  case REG_ECOLLATE: return "Invalid collation character";
  case REG_ECTYPE: return "Invalid character class name";
  case REG_EESCAPE: return "Trailing backslash";
  case REG_ESUBREG: return "Invalid back reference";
  case REG_EBRACK: return "Unmatched [, [^, [:, [., or [=";
  case REG_EPAREN: return "Unmatched ( or \\(";
  case REG_EBRACE: return "Unmatched \\{";
  case REG_BADBR: return "Invalid content of \\{\\}";
  case REG_ERANGE: return "Invalid range end";
  case REG_ESPACE: return "Memory exhausted";
  case REG_BADRPT: return "Invalid preceding regular expression";
  default: return "Invalid regular expression";
  }
}

#endif /* USERLAND_REGEX_MSG_H */
