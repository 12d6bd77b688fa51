/*
 * datetime.h: the date strings of date -d and touch -d, a useful part of GNU's: "@SECONDS",
 * "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS[.NNN]]" (or with a T), a zone suffix Z, UTC or +HH:MM,
 * "HH:MM[:SS]" (today), "now", "today", "yesterday", "tomorrow", and relative items
 * "[+-]N unit [ago]" (second, minute, hour, day, week, fortnight, month, year) after any of
 * them. Times without a zone are local, as TZ says (libisokernel's localtime and mktime).
 */
#ifndef USERLAND_DATETIME_H
#define USERLAND_DATETIME_H

#include "cmd.h"

#include <time.h>

static inline const char *dt_skip(const char *p) {
  while (isspace((unsigned char)*p)) p++;
  return p;
}

static inline int dt_digits(const char **pp, int n, int *out) {
  const char *p = *pp;
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (!isdigit((unsigned char)p[i])) return 0;
    v = v * 10 + (p[i] - '0');
  }
  *pp = p + n;
  *out = v;
  return 1;
}

/* Adds N months to T (local time), keeping the day as GNU does (it may overflow into the next month). */
static inline time_t dt_add_months(time_t t, long n) {
  struct tm tm;
  localtime_r(&t, &tm);
  long m = tm.tm_mon + n;
  tm.tm_year += (int)(m >= 0 ? m / 12 : -((11 - m) / 12));
  tm.tm_mon = (int)(((m % 12) + 12) % 12);
  tm.tm_isdst = -1;
  return mktime(&tm);
}

/* Parses S; NOW is the current time. Returns 1 and sets *secs and *nsec, or 0. */
static inline int parse_datetime(const char *s, time_t now_s, long now_ns, time_t *secs, long *nsec) {
  const char *p = dt_skip(s);
  time_t t = now_s;
  long ns = now_ns;
  int have_base = 0;
  if (*p == '@') {
    p++;
    char *end;
    errno = 0;
    long long v = strtoll(p, &end, 10);
    if (end == p || errno) return 0;
    t = (time_t)v;
    ns = 0;
    p = end;
    if (*p == '.' || *p == ',') {
      p++;
      long f = 0, scale = 100000000;
      while (isdigit((unsigned char)*p)) {
        f += (*p++ - '0') * scale;
        scale /= 10;
      }
      ns = v < 0 ? -f : f;
      if (ns < 0) {
        ns += 1000000000;
        t--;
      }
    }
    p = dt_skip(p);
    if (*p) return 0;
    *secs = t;
    *nsec = ns;
    return 1;
  }
  struct tm tm;
  localtime_r(&t, &tm);
  int y, mo, d, h = 0, mi = 0, sec = 0;
  const char *q = p;
  if (dt_digits(&q, 4, &y) && *q == '-' && (q++, dt_digits(&q, 2, &mo)) && *q == '-' && (q++, dt_digits(&q, 2, &d))) {
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    ns = 0;
    have_base = 1;
    p = q;
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return 0;
    if (*p == 'T' || *p == ' ') {
      const char *r = dt_skip(p + 1);
      if (isdigit((unsigned char)r[0]) && isdigit((unsigned char)r[1]) && r[2] == ':') p = r;
    }
  }
  q = p;
  if (dt_digits(&q, 2, &h) && *q == ':' && (q++, dt_digits(&q, 2, &mi))) {
    if (*q == ':') {
      q++;
      if (!dt_digits(&q, 2, &sec)) return 0;
    }
    if (h > 23 || mi > 59 || sec > 60) return 0;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    ns = 0;
    if (*q == '.' || *q == ',') {
      q++;
      long scale = 100000000;
      while (isdigit((unsigned char)*q)) {
        ns += (*q++ - '0') * scale;
        scale /= 10;
      }
    }
    p = q;
    have_base = 1;
  }
  p = dt_skip(p);
  /* a zone: the fields are in UTC, or at that offset; without one, local time (TZ) */
  int zoned = 0;
  if (*p == 'Z' && !isalpha((unsigned char)p[1])) p = dt_skip(p + 1), zoned = 1;
  else if (strncmp(p, "UTC", 3) == 0 || strncmp(p, "GMT", 3) == 0) p = dt_skip(p + 3), zoned = 1;
  long zone_off = 0;
  if ((*p == '+' || *p == '-') && have_base && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) &&
      (p[3] == ':' || isdigit((unsigned char)p[3]))) {
    int sign = *p == '-' ? -1 : 1, zh, zm;
    q = p + 1;
    dt_digits(&q, 2, &zh);
    if (*q == ':') q++;
    if (!dt_digits(&q, 2, &zm)) return 0;
    zone_off = sign * (zh * 3600 + zm * 60);
    zoned = 1;
    p = dt_skip(q);
  }
  if (zoned) {
    t = timegm(&tm) - zone_off;
  } else {
    tm.tm_isdst = -1;
    t = mktime(&tm);
  }
  /* words and relative items */
  while (*p) {
    if (strncmp(p, "now", 3) == 0) {
      p = dt_skip(p + 3);
      continue;
    }
    if (strncmp(p, "today", 5) == 0) {
      p = dt_skip(p + 5);
      continue;
    }
    if (strncmp(p, "yesterday", 9) == 0) {
      t -= 86400;
      p = dt_skip(p + 9);
      continue;
    }
    if (strncmp(p, "tomorrow", 8) == 0) {
      t += 86400;
      p = dt_skip(p + 8);
      continue;
    }
    long n = 1;
    if (*p == '+' || *p == '-' || isdigit((unsigned char)*p)) {
      char *end;
      n = strtol(p, &end, 10);
      if (end == p) return 0;
      p = dt_skip(end);
    }
    static const struct {
      const char *name;
      long secs; /* 0: months */
      long months;
    } units[] = {{"second", 1, 0}, {"sec", 1, 0}, {"minute", 60, 0}, {"min", 60, 0}, {"hour", 3600, 0},
                 {"day", 86400, 0}, {"week", 604800, 0}, {"fortnight", 1209600, 0}, {"month", 0, 1},
                 {"year", 0, 12}};
    size_t k, len = 0;
    for (k = 0; k < sizeof units / sizeof *units; k++) {
      len = strlen(units[k].name);
      if (strncmp(p, units[k].name, len) == 0) break;
    }
    if (k == sizeof units / sizeof *units) return 0;
    p += len;
    if (*p == 's') p++;
    p = dt_skip(p);
    if (strncmp(p, "ago", 3) == 0) {
      n = -n;
      p = dt_skip(p + 3);
    }
    if (units[k].secs) t += (time_t)(n * units[k].secs);
    else t = dt_add_months(t, n * units[k].months);
  }
  *secs = t;
  *nsec = ns;
  return 1;
}

#endif /* USERLAND_DATETIME_H */
