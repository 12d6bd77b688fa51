// Local time follows TZ: a zone file (America/New_York, from /usr/share/zoneinfo), a POSIX
// TZ string with rules, a fixed offset in <...> form, and the zone file's footer rule for
// times past its last transition; mktime is localtime's inverse and honours tm_isdst for
// the hour that occurs twice; tzname, timezone and daylight after tzset.
// test: stdout=America/New_York: 2023-11-14 17:13:20 EST -0500 | 2023-07-22 00:26:40 EDT -0400 | 2099-12-31 19:00:00 EST -0500 | 2100-07-01 00:00:00 EDT -0400 | mktime ok | tzname EST EDT timezone 18000 daylight 1\nEST5EDT,M3.2.0,M11.1.0: 2023-11-14 17:13:20 EST -0500 | 2023-07-22 00:26:40 EDT -0400 | 2099-12-31 19:00:00 EST -0500 | 2100-07-01 00:00:00 EDT -0400 | mktime ok | tzname EST EDT timezone 18000 daylight 1\n<+0530>-5:30: 2023-11-15 03:43:20 +0530 +0530 | 2023-07-22 09:56:40 +0530 +0530 | 2100-01-01 05:30:00 +0530 +0530 | 2100-07-01 09:30:00 +0530 +0530 | mktime ok | tzname +0530 +0530 timezone -19800 daylight 0\nUTC: 2023-11-14 22:13:20 UTC +0000 | 2023-07-22 04:26:40 UTC +0000 | 2100-01-01 00:00:00 UTC +0000 | 2100-07-01 04:00:00 UTC +0000 | mktime ok | tzname UTC UTC timezone 0 daylight 0\nfall back 01:30 EDT -> 1699162200, EST -> 1699165800\n
#include "proc_test.h"
#include <time.h>

static void show(const char *tz) {
  static const time_t ts[] = {1700000000, 1690000000, 4102444800, 4118097600};
  setenv("TZ", tz, 1);
  tzset();
  printf("%s:", tz);
  int ok = 1;
  for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
    struct tm tm;
    CHECK(localtime_r(&ts[i], &tm) != NULL);
    char buf[64];
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %Z %z", &tm);
    printf("%s %s", i ? " |" : "", buf);
    struct tm back = tm;
    if (mktime(&back) != ts[i]) ok = 0;
  }
  printf(" | mktime %s | tzname %s %s timezone %ld daylight %d\n", ok ? "ok" : "WRONG", tzname[0], tzname[1], timezone, daylight);
}

int main(int argc, char **argv) {
  proc_init(argc, argv);
  show("America/New_York");
  show("EST5EDT,M3.2.0,M11.1.0");
  show("<+0530>-5:30");
  show("UTC");
  // 2023-11-05 01:30 happens twice in New York.
  setenv("TZ", "America/New_York", 1);
  tzset();
  struct tm a = {.tm_year = 123, .tm_mon = 10, .tm_mday = 5, .tm_hour = 1, .tm_min = 30, .tm_isdst = 1};
  struct tm b = a;
  b.tm_isdst = 0;
  printf("fall back 01:30 EDT -> %lld, EST -> %lld\n", (long long)mktime(&a), (long long)mktime(&b));
  return 0;
}
