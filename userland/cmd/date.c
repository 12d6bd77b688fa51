/*
 * date [-u] [-d STRING | -r FILE] [-I[SPEC] | -R | --rfc-3339=SPEC] [+FORMAT]: prints the
 * date and time (POSIX; GNU's -d, -r, -I, -R, --rfc-3339). FORMAT takes strftime's
 * conversions and GNU's: %N (nanoseconds), %:z %::z, %P, %k, %l, %q, %s, and the flags
 * - _ 0 ^ # with a width (%-d, %_m, %^a, %10Y). Date strings: see common/datetime.h.
 * Times are local, as TZ says (libisokernel's localtime; -u is UTC). Setting the clock is
 * not possible for a guest ("cannot set date").
 */
#include "datetime.h"
#include "opt.h"

#include <sys/stat.h>
#include <time.h>

static struct tm tm;
static long nsec;
static time_t secs;

/* Appends the conversion C (with FLAG, WIDTH; COLONS for %z) to OUT. */
static void convert(char c, char flag, int width, int colons, char **out, size_t *len, size_t *cap) {
  char raw[128];
  int numeric = 1;
  char pad = '0';
  switch (c) {
  case 'N': snprintf(raw, sizeof raw, "%09ld", nsec); break;
  case 's': snprintf(raw, sizeof raw, "%lld", (long long)secs); break;
  case 'k': snprintf(raw, sizeof raw, "%2d", tm.tm_hour); pad = ' '; break;
  case 'l': snprintf(raw, sizeof raw, "%2d", tm.tm_hour % 12 ? tm.tm_hour % 12 : 12); pad = ' '; break;
  case 'e': snprintf(raw, sizeof raw, "%2d", tm.tm_mday); pad = ' '; break;
  case 'q': snprintf(raw, sizeof raw, "%d", tm.tm_mon / 3 + 1); break;
  case 'P': strcpy(raw, tm.tm_hour < 12 ? "am" : "pm"); numeric = 0; break;
  case 'Z': snprintf(raw, sizeof raw, "%s", tm.tm_zone ? tm.tm_zone : "UTC"); numeric = 0; break;
  case 'z': {
    long off = tm.tm_gmtoff;
    char sign = off < 0 ? '-' : '+';
    if (off < 0) off = -off;
    long h = off / 3600, m = off / 60 % 60, s = off % 60;
    if (colons == 1) snprintf(raw, sizeof raw, "%c%02ld:%02ld", sign, h, m);
    else if (colons == 2) snprintf(raw, sizeof raw, "%c%02ld:%02ld:%02ld", sign, h, m, s);
    else if (colons == 3) {
      /* as few fields as the offset needs */
      if (s) snprintf(raw, sizeof raw, "%c%02ld:%02ld:%02ld", sign, h, m, s);
      else if (m) snprintf(raw, sizeof raw, "%c%02ld:%02ld", sign, h, m);
      else snprintf(raw, sizeof raw, "%c%02ld", sign, h);
    } else snprintf(raw, sizeof raw, "%c%02ld%02ld", sign, h, m);
    numeric = 0;
    break;
  }
  case 'j': strftime(raw, sizeof raw, "%j", &tm); break;
  case 'Y':
  case 'G': {
    char f[3] = {'%', c, 0};
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat-nonliteral"
    strftime(raw, sizeof raw, f, &tm);
#pragma clang diagnostic pop
    break;
  }
  case 'd': case 'H': case 'I': case 'm': case 'M': case 'S': case 'U': case 'V': case 'W':
  case 'y': case 'C': case 'g': case 'u': case 'w': {
    char f[3] = {'%', c, 0};
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat-nonliteral"
    strftime(raw, sizeof raw, f, &tm);
#pragma clang diagnostic pop
    break;
  }
  default: {
    char f[3] = {'%', c, 0};
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat-nonliteral"
    if (strftime(raw, sizeof raw, f, &tm) == 0 && c != 'p') raw[0] = 0;
#pragma clang diagnostic pop
    numeric = 0;
  }
  }
  char val[256];
  snprintf(val, sizeof val, "%s", raw);
  if (numeric) {
    /* the digits without their padding, then padded as asked */
    char *p = val;
    int neg = *p == '-';
    if (neg) p++;
    while ((*p == '0' || *p == ' ') && p[1]) p++;
    char digits[128];
    snprintf(digits, sizeof digits, "%s", p);
    int w = (int)strlen(raw);
    char use = pad;
    if (flag == '-') w = 0;
    else if (flag == '_') use = ' ';
    else if (flag == '0') use = '0';
    if (width > 0) w = width;
    int n = (int)strlen(digits) + neg;
    size_t k = 0;
    if (use == ' ')
      for (; n < w; n++) val[k++] = ' ';
    if (neg) val[k++] = '-';
    if (use == '0')
      for (; n < w; n++) val[k++] = '0';
    snprintf(val + k, sizeof val - k, "%s", digits);
  } else {
    if (flag == '^' || (flag == '#' && strchr("aAbBh", c)))
      for (char *p = val; *p; p++) *p = (char)toupper((unsigned char)*p);
    if (flag == '#' && (c == 'p' || c == 'Z'))
      for (char *p = val; *p; p++) *p = (char)tolower((unsigned char)*p);
    if (width > (int)strlen(val)) {
      char tmp[256];
      int padn = width - (int)strlen(val);
      snprintf(tmp, sizeof tmp, "%*s%s", padn, "", val);
      if (flag == '0')
        for (int i = 0; i < padn; i++) tmp[i] = '0';
      strcpy(val, tmp);
    }
  }
  size_t vl = strlen(val);
  if (*len + vl + 1 > *cap) *out = xrealloc(*out, *cap = (*len + vl + 1) * 2);
  memcpy(*out + *len, val, vl);
  *len += vl;
  (*out)[*len] = 0;
}

static char *format_date(const char *fmt) {
  size_t cap = 256, len = 0;
  char *out = xmalloc(cap);
  out[0] = 0;
  for (const char *p = fmt; *p; p++) {
    if (*p != '%' || !p[1]) {
      if (len + 2 > cap) out = xrealloc(out, cap *= 2);
      out[len++] = *p;
      out[len] = 0;
      continue;
    }
    p++;
    char flag = 0;
    while (*p && strchr("-_0^#", *p)) flag = *p++;
    int width = 0;
    while (isdigit((unsigned char)*p)) width = width * 10 + (*p++ - '0');
    if (*p == 'E' || *p == 'O') p++; /* alternative forms: the same in the C locale */
    int colons = 0;
    while (*p == ':') colons++, p++;
    if (!*p) break;
    if (colons && *p != 'z') {
      /* not a conversion after all: print it as written */
      continue;
    }
    switch (*p) {
    case '%':
    case 'n':
    case 't': {
      char ch = *p == '%' ? '%' : *p == 'n' ? '\n' : '\t';
      if (len + 2 > cap) out = xrealloc(out, cap *= 2);
      out[len++] = ch;
      out[len] = 0;
      break;
    }
    case 'c': {
      char *sub = format_date("%a %b %e %H:%M:%S %Y");
      size_t sl = strlen(sub);
      if (len + sl + 1 > cap) out = xrealloc(out, cap = (len + sl + 1) * 2);
      memcpy(out + len, sub, sl + 1);
      len += sl;
      free(sub);
      break;
    }
    case 'D': case 'F': case 'T': case 'R': case 'r': case 'x': case 'X': case 'h': {
      const char *sub_fmt = *p == 'D' ? "%m/%d/%y" : *p == 'F' ? "%Y-%m-%d" : *p == 'T' ? "%H:%M:%S"
                          : *p == 'R' ? "%H:%M" : *p == 'r' ? "%I:%M:%S %p" : *p == 'x' ? "%m/%d/%y"
                          : *p == 'X' ? "%H:%M:%S" : "%b";
      char *sub = format_date(sub_fmt);
      if (flag == '^')
        for (char *q = sub; *q; q++) *q = (char)toupper((unsigned char)*q);
      size_t sl = strlen(sub);
      int padn = width > (int)sl ? width - (int)sl : 0;
      if (len + sl + (size_t)padn + 1 > cap) out = xrealloc(out, cap = (len + sl + (size_t)padn + 1) * 2);
      for (int i = 0; i < padn; i++) out[len++] = (*p == 'F' && flag != '_') ? '0' : ' ';
      memcpy(out + len, sub, sl + 1);
      len += sl;
      free(sub);
      break;
    }
    default:
      convert(*p, flag, width, colons, &out, &len, &cap);
    }
  }
  return out;
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  enum { RFC3339 = 256 };
  static const struct longopt longs[] = {
      {"date", 1, 'd'}, {"reference", 1, 'r'}, {"utc", 0, 'u'}, {"universal", 0, 'u'},
      {"iso-8601", 2, 'I'}, {"rfc-email", 0, 'R'}, {"rfc-3339", 1, RFC3339}, {"set", 1, 's'},
      {NULL, 0, 0}};
  const char *date_str = NULL, *ref = NULL, *fmt = NULL, *iso = NULL, *rfc3339 = NULL, *set = NULL;
  int iso_given = 0, rfc_email = 0, c;
  while ((c = opt_next(argc, argv, "d:r:uI::Rs:", longs)) != -1) {
    switch (c) {
    case 'd': date_str = opt_arg; break;
    case 'r': ref = opt_arg; break;
    case 'u': setenv("TZ", "UTC0", 1); break;
    case 'I': iso_given = 1; iso = opt_arg ? opt_arg : "date"; break;
    case 'R': rfc_email = 1; break;
    case RFC3339: rfc3339 = opt_arg; break;
    case 's': set = opt_arg; break;
    default: usage_error(NULL); return 1;
    }
  }
  if (date_str && ref) {
    warnx("the options to specify dates for printing are mutually exclusive");
    usage_error(NULL);
    return 1;
  }
  if (argc - opt_ind > 1) {
    usage_error("extra operand %s", quote_loc(argv[opt_ind + 1]));
    return 1;
  }
  for (int i = opt_ind; i < argc; i++) {
    if (argv[i][0] == '+' && !fmt) {
      fmt = argv[i] + 1;
    } else if (i > opt_ind) {
      usage_error("extra operand %s", quote_loc(argv[i]));
      return 1;
    } else {
      /* MMDDhhmm[[CC]YY][.ss]: setting the clock */
      size_t n = strcspn(argv[i], ".");
      if (!(n == 8 || n == 10 || n == 12) || strspn(argv[i], "0123456789") != n) {
        warnx("invalid date %s", quote_loc(argv[i]));
        return 1;
      }
      set = argv[i];
    }
  }
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  secs = now.tv_sec;
  nsec = now.tv_nsec;
  if (set) {
    warne(EPERM, "cannot set date");
    return 1;
  }
  if (date_str && !parse_datetime(date_str, now.tv_sec, now.tv_nsec, &secs, &nsec)) {
    warnx("invalid date %s", quote_loc(date_str));
    return 1;
  }
  if (ref) {
    struct stat st;
    if (stat(ref, &st) != 0) {
      warne(errno, "%s", ref);
      return 1;
    }
    secs = st.st_mtim.tv_sec;
    nsec = st.st_mtim.tv_nsec;
  }
  if (!fmt) {
    if (iso_given) {
      if (strncmp("hours", iso, strlen(iso)) == 0) fmt = "%Y-%m-%dT%H%:z";
      else if (strncmp("minutes", iso, strlen(iso)) == 0) fmt = "%Y-%m-%dT%H:%M%:z";
      else if (strncmp("seconds", iso, strlen(iso)) == 0) fmt = "%Y-%m-%dT%H:%M:%S%:z";
      else if (strncmp("ns", iso, strlen(iso)) == 0) fmt = "%Y-%m-%dT%H:%M:%S,%N%:z";
      else if (strncmp("date", iso, strlen(iso)) == 0) fmt = "%Y-%m-%d";
      else {
        warnx("invalid argument %s for %s", quote_loc(iso), quote_loc("--iso-8601"));
        usage_error(NULL);
        return 1;
      }
    } else if (rfc_email) {
      fmt = "%a, %d %b %Y %H:%M:%S %z";
    } else if (rfc3339) {
      if (strcmp(rfc3339, "date") == 0) fmt = "%Y-%m-%d";
      else if (strcmp(rfc3339, "seconds") == 0) fmt = "%Y-%m-%d %H:%M:%S%:z";
      else if (strcmp(rfc3339, "ns") == 0) fmt = "%Y-%m-%d %H:%M:%S.%N%:z";
      else {
        warnx("invalid argument %s for %s", quote_loc(rfc3339), quote_loc("--rfc-3339"));
        fprintf(stderr, "Valid arguments are:\n  - %s\n  - %s\n  - %s\n", quote_loc("date"), quote_loc("seconds"),
                quote_loc("ns"));
        usage_error(NULL);
        return 1;
      }
    } else {
      fmt = "%a %b %e %H:%M:%S %Z %Y";
    }
  }
  localtime_r(&secs, &tm);
  char *out = format_date(fmt);
  puts(out);
  free(out);
  return close_stdout();
}
