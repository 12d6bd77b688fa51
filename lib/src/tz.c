/*
 * Local time for WASI programs. wasi-libc has no time zone support: its localtime is gmtime
 * and it has no tzset. These replace localtime, localtime_r, mktime and tzset (and define
 * tzname, timezone and daylight), reading the zone from TZ as POSIX and glibc do:
 *
 *   TZ unset or empty        /etc/localtime if the image has one, else UTC
 *   TZ=Europe/Paris          /usr/share/zoneinfo/Europe/Paris (a TZif file; ":" prefix allowed)
 *   TZ=/path/to/file         that TZif file
 *   TZ=EST5EDT,M3.2.0,M11.1.0  a POSIX TZ string (also the footer of a TZif v2+ file, for
 *                            times after its last transition)
 *
 * isokernel's default root mounts the host's /usr/share/zoneinfo read-only. A zone that
 * cannot be read or parsed is UTC (as glibc does), with the name "UTC".
 *
 * TZif (RFC 8536): a v1 block with 32-bit times, then (version 2+) a v2 block with 64-bit
 * times and a footer "\nPOSIX-TZ\n". Only the v2 block is read when there is one.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_TYPES 256
#define MAX_ABBR 256
#define MAX_TRANS 4096
#define MAX_FILE (256 * 1024)

struct ttinfo {
  int32_t off;
  uint8_t isdst;
  uint8_t abbr; /* index into abbrs */
};

/* A POSIX rule: Jn (1-365, no Feb 29), n (0-365), or Mm.w.d; time in seconds after 00:00 local. */
struct rule {
  char kind; /* 'J', 'N', 'M' */
  int m, w, d, n;
  int32_t time;
};

struct posix_tz {
  int valid;
  char std[16], dst[16];
  int32_t std_off, dst_off; /* seconds east of UTC */
  int has_dst;
  struct rule start, end;
};

static struct {
  int loaded;
  char key[256]; /* the TZ value it was loaded for */
  int ntrans, ntypes;
  int64_t trans[MAX_TRANS];
  uint8_t idx[MAX_TRANS];
  struct ttinfo types[MAX_TYPES];
  char abbrs[MAX_ABBR + 1];
  struct posix_tz footer;
} z;

char *tzname[2] = {"UTC", "UTC"};
long timezone = 0;
int daylight = 0;

/* ------------------------------------------------------------------ POSIX TZ strings */

static const char *parse_name(const char *s, char *out) {
  size_t n = 0;
  if (*s == '<') {
    s++;
    while (*s && *s != '>' && n < 15) out[n++] = *s++;
    if (*s != '>') return NULL;
    s++;
  } else {
    while (((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) && n < 15) out[n++] = *s++;
  }
  out[n] = 0;
  return n >= 3 ? s : NULL;
}

/* [+-]hh[:mm[:ss]] -> seconds */
static const char *parse_hms(const char *s, int32_t *out) {
  int sign = 1;
  if (*s == '+') s++;
  else if (*s == '-') {
    sign = -1;
    s++;
  }
  if (*s < '0' || *s > '9') return NULL;
  long h = 0, m = 0, sec = 0;
  while (*s >= '0' && *s <= '9') h = h * 10 + (*s++ - '0');
  if (*s == ':') {
    s++;
    while (*s >= '0' && *s <= '9') m = m * 10 + (*s++ - '0');
    if (*s == ':') {
      s++;
      while (*s >= '0' && *s <= '9') sec = sec * 10 + (*s++ - '0');
    }
  }
  if (h > 167 || m > 59 || sec > 59) return NULL;
  *out = (int32_t)(sign * (h * 3600 + m * 60 + sec));
  return s;
}

static const char *parse_rule(const char *s, struct rule *r) {
  r->time = 7200;
  if (*s == 'M') {
    r->kind = 'M';
    s++;
    char *e;
    r->m = (int)strtol(s, &e, 10);
    if (*e != '.') return NULL;
    r->w = (int)strtol(e + 1, &e, 10);
    if (*e != '.') return NULL;
    r->d = (int)strtol(e + 1, &e, 10);
    s = e;
    if (r->m < 1 || r->m > 12 || r->w < 1 || r->w > 5 || r->d < 0 || r->d > 6) return NULL;
  } else {
    r->kind = 'N';
    if (*s == 'J') {
      r->kind = 'J';
      s++;
    }
    if (*s < '0' || *s > '9') return NULL;
    char *e;
    r->n = (int)strtol(s, &e, 10);
    s = e;
  }
  if (*s == '/') {
    s = parse_hms(s + 1, &r->time);
    if (!s) return NULL;
  }
  return s;
}

static int parse_posix(const char *s, struct posix_tz *p) {
  memset(p, 0, sizeof *p);
  int32_t off;
  if (!(s = parse_name(s, p->std)) || !(s = parse_hms(s, &off))) return 0;
  p->std_off = -off; /* POSIX offsets are west of UTC */
  if (*s) {
    if (!(s = parse_name(s, p->dst))) return 0;
    p->has_dst = 1;
    p->dst_off = p->std_off + 3600;
    if (*s && *s != ',') {
      if (!(s = parse_hms(s, &off))) return 0;
      p->dst_off = -off;
    }
    if (*s == ',') {
      if (!(s = parse_rule(s + 1, &p->start)) || *s != ',' || !(s = parse_rule(s + 1, &p->end))) return 0;
    } else {
      /* no rules: the US rules since 2007, as glibc assumes */
      p->start = (struct rule){'M', 3, 2, 0, 0, 7200};
      p->end = (struct rule){'M', 11, 1, 0, 0, 7200};
    }
  }
  if (*s) return 0;
  p->valid = 1;
  return 1;
}

static int is_leap(long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Days from 1970-01-01 to YEAR-01-01. */
static int64_t days_to_year(long year) {
  int64_t y = year - 1;
  return 365 * (int64_t)(year - 1970) + (y / 4 - y / 100 + y / 400) - (1969 / 4 - 1969 / 100 + 1969 / 400);
}

/* Seconds from YEAR-01-01 00:00 (local) to when the rule strikes. */
static int64_t rule_time(const struct rule *r, long year) {
  static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int64_t day;
  if (r->kind == 'J') {
    day = r->n - 1;
    if (is_leap(year) && r->n >= 60) day++;
  } else if (r->kind == 'N') {
    day = r->n;
  } else {
    int64_t first = 0; /* day of year of the 1st of month m */
    for (int i = 0; i < r->m - 1; i++) first += mdays[i] + (i == 1 && is_leap(year));
    /* weekday of that day: 1970-01-01 was a Thursday (4) */
    int64_t wd = ((days_to_year(year) + first) % 7 + 4 + 7) % 7;
    int64_t d = first + ((r->d - wd) + 7) % 7 + 7 * (r->w - 1);
    int mlen = mdays[r->m - 1] + (r->m == 2 && is_leap(year));
    while (d >= first + mlen) d -= 7;
    day = d;
  }
  return day * 86400 + r->time;
}

/* The offset, dst flag and name in effect at T under a POSIX rule. */
static void posix_at(const struct posix_tz *p, int64_t t, int32_t *off, int *isdst, const char **name) {
  *off = p->std_off;
  *isdst = 0;
  *name = p->std;
  if (!p->has_dst) return;
  /* the year T falls in, by UTC (rules near New Year are fine within a day either way) */
  int64_t days = t / 86400 - (t % 86400 < 0);
  long year = 1970 + (long)(days / 365);
  while (days_to_year(year) > days) year--;
  while (days_to_year(year + 1) <= days) year++;
  int64_t y0 = days_to_year(year) * 86400;
  int64_t start = y0 + rule_time(&p->start, year) - p->std_off; /* start: local standard time */
  int64_t end = y0 + rule_time(&p->end, year) - p->dst_off;     /* end: local daylight time */
  int in = start < end ? (t >= start && t < end) : !(t >= end && t < start);
  if (in) {
    *off = p->dst_off;
    *isdst = 1;
    *name = p->dst;
  }
}

/* ------------------------------------------------------------------------ TZif files */

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p) { return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4)); }

static int load_tzif(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return 0;
  unsigned char *buf = malloc(MAX_FILE);
  if (!buf) {
    close(fd);
    return 0;
  }
  size_t len = 0;
  ssize_t r;
  while (len < MAX_FILE && (r = read(fd, buf + len, MAX_FILE - len)) > 0) len += (size_t)r;
  close(fd);
  int ok = 0;
  const unsigned char *p = buf, *end = buf + len;
  if (len < 44 || memcmp(p, "TZif", 4) != 0) goto out;
  int version = p[4];
  int wide = 0;
  for (int pass = 0; pass < 2; pass++) {
    if (end - p < 44 || memcmp(p, "TZif", 4) != 0) goto out;
    uint32_t isutc = be32(p + 20), isstd = be32(p + 24), leap = be32(p + 28);
    uint32_t timecnt = be32(p + 32), typecnt = be32(p + 36), charcnt = be32(p + 40);
    int tsize = wide ? 8 : 4;
    size_t body = (size_t)timecnt * (size_t)tsize + timecnt + typecnt * 6u + charcnt + leap * (size_t)(tsize + 4) + isstd + isutc;
    p += 44;
    if ((size_t)(end - p) < body) goto out;
    if (version >= '2' && !wide) { /* skip the v1 block */
      p += body;
      wide = 1;
      continue;
    }
    if (timecnt > MAX_TRANS || typecnt == 0 || typecnt > MAX_TYPES || charcnt > MAX_ABBR) goto out;
    z.ntrans = (int)timecnt;
    z.ntypes = (int)typecnt;
    for (uint32_t i = 0; i < timecnt; i++) z.trans[i] = wide ? be64(p + i * 8) : (int32_t)be32(p + i * 4);
    p += timecnt * (size_t)tsize;
    for (uint32_t i = 0; i < timecnt; i++) {
      z.idx[i] = p[i];
      if (p[i] >= typecnt) goto out;
    }
    p += timecnt;
    for (uint32_t i = 0; i < typecnt; i++, p += 6) {
      z.types[i].off = (int32_t)be32(p);
      z.types[i].isdst = p[4];
      z.types[i].abbr = p[5] < charcnt ? p[5] : 0;
    }
    memcpy(z.abbrs, p, charcnt);
    z.abbrs[charcnt] = 0;
    p += body - (timecnt * (size_t)tsize + timecnt + typecnt * 6u);
    /* footer (v2+): "\nTZ\n" */
    z.footer.valid = 0;
    if (wide && p < end && *p == '\n') {
      const unsigned char *nl = memchr(p + 1, '\n', (size_t)(end - p - 1));
      if (nl && nl - p - 1 < 64) {
        char tz[64];
        memcpy(tz, p + 1, (size_t)(nl - p - 1));
        tz[nl - p - 1] = 0;
        if (tz[0]) parse_posix(tz, &z.footer);
      }
    }
    ok = 1;
    break;
  }
out:
  free(buf);
  return ok;
}

/* ----------------------------------------------------------------------------- tzset */

static void set_utc(void) {
  z.ntrans = 0;
  z.ntypes = 1;
  z.types[0] = (struct ttinfo){0, 0, 0};
  strcpy(z.abbrs, "UTC");
  z.footer.valid = 0;
}

static void publish(void) {
  /* tzname/timezone/daylight: from the rule for the future when there is one, else from the
   * latest standard and daylight types in use */
  static char std[16], dst[16];
  const char *sn = NULL, *dn = NULL;
  int32_t soff = 0;
  if (z.footer.valid) {
    sn = z.footer.std;
    soff = z.footer.std_off;
    dn = z.footer.has_dst ? z.footer.dst : NULL;
  } else {
    for (int i = z.ntrans - 1; i >= 0 && (!sn || !dn); i--) {
      const struct ttinfo *t = &z.types[z.idx[i]];
      if (!t->isdst && !sn) {
        sn = z.abbrs + t->abbr;
        soff = t->off;
      } else if (t->isdst && !dn) {
        dn = z.abbrs + t->abbr;
      }
    }
    if (!sn) {
      sn = z.abbrs + z.types[0].abbr;
      soff = z.types[0].off;
    }
  }
  strncpy(std, sn, sizeof std - 1);
  strncpy(dst, dn ? dn : sn, sizeof dst - 1);
  tzname[0] = std;
  tzname[1] = dst;
  timezone = -soff;
  daylight = dn != NULL;
}

void tzset(void) {
  const char *tz = getenv("TZ");
  const char *key = tz ? tz : "\x01(unset)";
  if (z.loaded && strncmp(z.key, key, sizeof z.key - 1) == 0) return;
  strncpy(z.key, key, sizeof z.key - 1);
  z.loaded = 1;
  set_utc();
  if (!tz || !*tz) {
    load_tzif("/etc/localtime");
  } else {
    const char *name = *tz == ':' ? tz + 1 : tz;
    struct posix_tz p;
    if (*tz != ':' && parse_posix(name, &p)) {
      z.ntrans = 0;
      z.ntypes = 0;
      z.footer = p;
    } else if (*name && strstr(name, "..") == NULL) {
      char path[PATH_MAX];
      if (*name == '/') strncpy(path, name, sizeof path - 1), path[sizeof path - 1] = 0;
      else {
        strcpy(path, "/usr/share/zoneinfo/");
        strncat(path, name, sizeof path - strlen(path) - 1);
      }
      if (!load_tzif(path)) set_utc();
    }
  }
  publish();
}

/* The offset, dst flag and abbreviation in effect at UTC time T. */
static void zone_at(int64_t t, int32_t *off, int *isdst, const char **name) {
  if (z.ntrans > 0 && t >= z.trans[0] && !(t >= z.trans[z.ntrans - 1] && z.footer.valid)) {
    int lo = 0, hi = z.ntrans - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) / 2;
      if (z.trans[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    const struct ttinfo *ti = &z.types[z.idx[lo]];
    *off = ti->off;
    *isdst = ti->isdst;
    *name = z.abbrs + ti->abbr;
    return;
  }
  if (z.footer.valid && (z.ntrans == 0 || t >= z.trans[z.ntrans - 1])) {
    posix_at(&z.footer, t, off, isdst, name);
    return;
  }
  /* before the first transition: the first standard type (RFC 8536: type 0) */
  const struct ttinfo *ti = &z.types[0];
  *off = ti->off;
  *isdst = ti->isdst;
  *name = z.abbrs + ti->abbr;
}

struct tm *localtime_r(const time_t *restrict t, struct tm *restrict tm) {
  tzset();
  int32_t off;
  int isdst;
  const char *name;
  zone_at((int64_t)*t, &off, &isdst, &name);
  time_t local = *t + off;
  if (!gmtime_r(&local, tm)) return NULL;
  tm->tm_isdst = isdst;
  tm->tm_gmtoff = off;
  tm->tm_zone = name;
  return tm;
}

struct tm *localtime(const time_t *t) {
  static struct tm tm;
  return localtime_r(t, &tm);
}

time_t mktime(struct tm *tm) {
  tzset();
  struct tm u = *tm;
  time_t local = timegm(&u); /* normalises the fields; local time read as if UTC */
  if (local == (time_t)-1 && errno == EOVERFLOW) return -1;
  /* Find t with t + offset(t) == local: start from the offset at `local`, settle in a few
   * steps; for a time that occurs twice (end of DST) tm_isdst picks, as POSIX asks. */
  int32_t off;
  int isdst;
  const char *name;
  zone_at((int64_t)local, &off, &isdst, &name);
  time_t t = local - off;
  for (int i = 0; i < 4; i++) {
    zone_at((int64_t)t, &off, &isdst, &name);
    time_t next = local - off;
    if (next == t) break;
    t = next;
  }
  if (tm->tm_isdst >= 0 && isdst != (tm->tm_isdst > 0)) {
    /* the other reading of an ambiguous time, when there is one */
    int32_t off2;
    int isdst2;
    const char *n2;
    time_t alt = t + (isdst ? 3600 : -3600);
    zone_at((int64_t)alt, &off2, &isdst2, &n2);
    if (isdst2 == (tm->tm_isdst > 0) && alt + off2 == local) t = alt;
  }
  localtime_r(&t, tm);
  return t;
}
