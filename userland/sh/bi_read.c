/*
 * read and getopts.
 *
 * read takes one byte at a time, so it never consumes input beyond its line (a script
 * reading its own stdin, `while read` loops sharing a file with other commands). Without
 * -r a backslash escapes the next character (protecting it from splitting) and a
 * backslash-newline continues the line. The fields are split by IFS; the last variable
 * gets the rest of the line, or its one field if the rest is a single field (which drops
 * a lone trailing delimiter, as dash does).
 */
#include "sh.h"

static bool is_ifs_ws(char c) { return c == ' ' || c == '\t' || c == '\n'; }

/* Splits line[from..to) and counts the fields (at most 2 needed). */
static int count_fields(const char *s, const unsigned char *prot, size_t from, size_t to,
                        const char *ifs, size_t *f_start, size_t *f_end) {
  size_t i = from;
  while (i < to && !prot[i] && strchr(ifs, s[i]) && is_ifs_ws(s[i])) i++;
  if (i >= to) return 0;
  *f_start = i;
  while (i < to && (prot[i] || !strchr(ifs, s[i]))) i++;
  *f_end = i;
  if (i >= to) return 1;
  /* a delimiter: white space, and at most one non-white character with its white space */
  bool nonws = false;
  while (i < to && !prot[i] && strchr(ifs, s[i])) {
    if (!is_ifs_ws(s[i])) {
      if (nonws) return 2; /* an empty field follows */
      nonws = true;
    }
    i++;
  }
  return i >= to ? 1 : 2;
}

int bi_read(int argc, char **argv) {
  bool raw = false;
  const char *prompt = NULL;
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    for (const char *o = argv[i] + 1; *o; o++) {
      if (*o == 'r') raw = true;
      else if (*o == 'p') {
        if (o[1]) prompt = o + 1;
        else if (i + 1 < argc) prompt = argv[++i];
        break;
      } else {
        bi_error("read", "Illegal option -%c", *o);
        return 2;
      }
    }
  }
  if (i >= argc) {
    bi_error("read", "arg count");
    return 2;
  }
  if (prompt && isatty(0)) {
    out_str(2, prompt);
    out_flush(2);
  }
  /* Read the line. */
  sbuf line = {0};
  sbuf prot = {0}; /* 1 for an escaped character */
  int status = 0;
  for (;;) {
    char c;
    ssize_t n = read(0, &c, 1);
    if (n < 0) {
      if (errno == EINTR) {
        if (trap_pending) traps_run();
        continue;
      }
      status = 1;
      break;
    }
    if (n == 0) {
      status = 1;
      break;
    }
    if (c == '\n') break;
    if (c == '\\' && !raw) {
      char d;
      ssize_t m;
      do m = read(0, &d, 1);
      while (m < 0 && errno == EINTR);
      if (m <= 0) {
        status = 1;
        break;
      }
      if (d == '\n') continue;
      sb_addc(&line, d);
      sb_addc(&prot, 1);
      continue;
    }
    if (c == 0) continue;
    sb_addc(&line, c);
    sb_addc(&prot, 0);
  }
  const char *s = sb_str(&line);
  const unsigned char *pr = (const unsigned char *)sb_str(&prot);
  size_t len = line.n;
  const char *ifs = var_get("IFS");
  if (!ifs) ifs = " \t\n";
  size_t at = 0;
  /* leading IFS white space */
  while (at < len && !pr[at] && strchr(ifs, s[at]) && is_ifs_ws(s[at])) at++;
  int rc = status;
  for (; i < argc; i++) {
    const char *name = argv[i];
    sbuf val = {0};
    if (i == argc - 1) {
      size_t end = len;
      while (end > at && !pr[end - 1] && strchr(ifs, s[end - 1]) && is_ifs_ws(s[end - 1])) end--;
      size_t fs = at, fe = at;
      int nf = count_fields(s, pr, at, end, ifs, &fs, &fe);
      if (nf == 1) sb_addn(&val, s + fs, fe - fs);
      else if (nf > 1) sb_addn(&val, s + at, end - at);
      at = len;
    } else {
      size_t st = at;
      while (at < len && (pr[at] || !strchr(ifs, s[at]))) at++;
      sb_addn(&val, s + st, at - st);
      /* skip the delimiter */
      bool nonws = false;
      while (at < len && !pr[at] && strchr(ifs, s[at])) {
        if (!is_ifs_ws(s[at])) {
          if (nonws) break;
          nonws = true;
        }
        at++;
      }
    }
    if (!valid_name(name)) {
      bi_error("read", "%s: bad variable name", name);
      sb_free(&val);
      rc = 2;
      break;
    }
    if (!var_set(name, sb_str(&val), 0)) rc = 2;
    sb_free(&val);
  }
  sb_free(&line);
  sb_free(&prot);
  return rc;
}

/* ------------------------------------------------------------------ getopts */

static int optoff;     /* position within the current argument; 0 = at its start */
static int last_optind; /* OPTIND as getopts last set it */

int bi_getopts(int argc, char **argv) {
  if (argc < 3) {
    bi_error("getopts", "Usage: getopts optstring var [arg...]");
    return 2;
  }
  const char *opts = argv[1];
  const char *name = argv[2];
  char **args;
  int nargs;
  if (argc > 3) {
    args = argv + 3;
    nargs = argc - 3;
  } else {
    args = posparams.v;
    nargs = posparams.n;
  }
  const char *oi = var_get("OPTIND");
  int optind = oi ? atoi(oi) : 1;
  if (optind < 1) optind = 1;
  if (optind != last_optind) optoff = 0;
  bool silent = opts[0] == ':';
  char optvar[2] = {'?', 0};
  int rc = 0;
  char buf[16];
  if (optoff == 0) {
    if (optind > nargs) goto end;
    const char *a = args[optind - 1];
    if (a[0] != '-' || a[1] == 0) goto end;
    if (strcmp(a, "--") == 0) {
      optind++;
      goto end;
    }
    optoff = 1;
  }
  {
    const char *a = args[optind - 1];
    char c = a[optoff++];
    const char *spec = c != ':' ? strchr(opts, c) : NULL;
    if (!spec) {
      if (silent) {
        char o[2] = {c, 0};
        var_set("OPTARG", o, 0);
      } else {
        out_flush_all();
        char msg[64];
        int n = snprintf(msg, sizeof msg, "Illegal option -%c\n", c);
        write(2, msg, (size_t)n);
        var_unset("OPTARG");
      }
      optvar[0] = '?';
      if (!a[optoff]) {
        optind++;
        optoff = 0;
      }
    } else if (spec[1] == ':') {
      if (a[optoff]) {
        var_set("OPTARG", a + optoff, 0);
        optind++;
        optoff = 0;
        optvar[0] = c;
      } else if (optind < nargs) {
        var_set("OPTARG", args[optind], 0);
        optind += 2;
        optoff = 0;
        optvar[0] = c;
      } else {
        if (silent) {
          char o[2] = {c, 0};
          var_set("OPTARG", o, 0);
          optvar[0] = ':';
        } else {
          out_flush_all();
          char msg[64];
          int n = snprintf(msg, sizeof msg, "No arg for -%c option\n", c);
          write(2, msg, (size_t)n);
          var_unset("OPTARG");
          optvar[0] = '?';
        }
        optind++;
        optoff = 0;
      }
    } else {
      var_set("OPTARG", "", 0); /* dash sets it empty */
      optvar[0] = c;
      if (!a[optoff]) {
        optind++;
        optoff = 0;
      }
    }
    goto set;
  }
end:
  optoff = 0;
  optvar[0] = '?';
  rc = 1;
set:
  snprintf(buf, sizeof buf, "%d", optind);
  var_set("OPTIND", buf, 0);
  last_optind = optind;
  if (!var_set(name, optvar, 0)) return 2;
  return rc;
}
