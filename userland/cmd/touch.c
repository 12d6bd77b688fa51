/*
 * touch [-acm] [-h] [-d DATE | -t STAMP | -r FILE] FILE...: sets the access and modification
 * times of files to now or to a given time, creating files that do not exist (POSIX; -h
 * and -d's GNU date strings, see common/datetime.h). -t is [[CC]YY]MMDDhhmm[.ss], local time.
 */
#include "datetime.h"
#include "fs.h"
#include "opt.h"

#include <fcntl.h>
#include <sys/stat.h>

/* -t: [[CC]YY]MMDDhhmm[.ss] */
static int parse_stamp(const char *s, time_t *out) {
  size_t n = strcspn(s, ".");
  if (n != 8 && n != 10 && n != 12) return 0;
  for (size_t i = 0; i < n; i++)
    if (!isdigit((unsigned char)s[i])) return 0;
  struct tm tm;
  time_t now = time(NULL);
  localtime_r(&now, &tm);
  const char *p = s;
  int v;
  if (n == 12) {
    dt_digits(&p, 4, &v);
    tm.tm_year = v - 1900;
  } else if (n == 10) {
    dt_digits(&p, 2, &v);
    tm.tm_year = v < 69 ? v + 100 : v;
  }
  dt_digits(&p, 2, &v);
  tm.tm_mon = v - 1;
  dt_digits(&p, 2, &tm.tm_mday);
  dt_digits(&p, 2, &tm.tm_hour);
  dt_digits(&p, 2, &tm.tm_min);
  tm.tm_sec = 0;
  if (*p == '.') {
    p++;
    if (!dt_digits(&p, 2, &tm.tm_sec) || *p) return 0;
  }
  if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60)
    return 0;
  tm.tm_isdst = -1;
  *out = mktime(&tm);
  return 1;
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {
      {"no-create", 0, 'c'}, {"date", 1, 'd'}, {"reference", 1, 'r'}, {"no-dereference", 0, 'h'},
      {"time", 1, 'T'}, {NULL, 0, 0}};
  int only_a = 0, only_m = 0, no_create = 0, no_deref = 0, c;
  const char *date = NULL, *stamp = NULL, *ref = NULL;
  while ((c = opt_next(argc, argv, "acmd:t:r:hf", longs)) != -1) {
    switch (c) {
    case 'a': only_a = 1; break;
    case 'm': only_m = 1; break;
    case 'c': no_create = 1; break;
    case 'd': date = opt_arg; break;
    case 't': stamp = opt_arg; break;
    case 'r': ref = opt_arg; break;
    case 'h': no_deref = 1; no_create = 1; break;
    case 'f': break;
    case 'T':
      if (strcmp(opt_arg, "access") == 0 || strcmp(opt_arg, "atime") == 0 || strcmp(opt_arg, "use") == 0) only_a = 1;
      else if (strcmp(opt_arg, "modify") == 0 || strcmp(opt_arg, "mtime") == 0) only_m = 1;
      else {
        warnx("invalid argument %s for %s", quote_loc(opt_arg), quote_loc("--time"));
        usage_error(NULL);
        return 1;
      }
      break;
    default: usage_error(NULL); return 1;
    }
  }
  if ((date != NULL) + (stamp != NULL) + (ref != NULL) > 1 && !(date && ref)) {
    warnx("cannot specify times from more than one source");
    usage_error(NULL);
    return 1;
  }
  struct timespec ts[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
  if (ref) {
    struct stat st;
    if ((no_deref ? lstat(ref, &st) : stat(ref, &st)) != 0) {
      warne(errno, "failed to get attributes of %s", quote(ref));
      return 1;
    }
    ts[0] = st.st_atim;
    ts[1] = st.st_mtim;
  }
  if (date) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    time_t s;
    long ns;
    if (!parse_datetime(date, now.tv_sec, now.tv_nsec, &s, &ns)) {
      warnx("invalid date format %s", quote_loc(date));
      return 1;
    }
    ts[0].tv_sec = ts[1].tv_sec = s;
    ts[0].tv_nsec = ts[1].tv_nsec = ns;
  }
  if (stamp) {
    time_t s;
    if (!parse_stamp(stamp, &s)) {
      warnx("invalid date format %s", quote_loc(stamp));
      return 1;
    }
    ts[0].tv_sec = ts[1].tv_sec = s;
    ts[0].tv_nsec = ts[1].tv_nsec = 0;
  }
  if (only_a && !only_m) ts[1].tv_nsec = UTIME_OMIT;
  if (only_m && !only_a) ts[0].tv_nsec = UTIME_OMIT;
  if (opt_ind >= argc) {
    usage_error("missing file operand");
    return 1;
  }
  int status = 0;
  for (int i = opt_ind; i < argc; i++) {
    const char *path = argv[i];
    if (strcmp(path, "-") == 0) continue; /* GNU: touch - is standard output */
    if (!no_create) {
      int fd = open(path, O_WRONLY | O_CREAT | O_NONBLOCK, 0666);
      if (fd < 0) {
        int e = errno;
        struct stat st;
        if (!(e == EISDIR || (stat(path, &st) == 0 && S_ISDIR(st.st_mode)))) {
          warne(e, "cannot touch %s", quote(path));
          status = 1;
          continue;
        }
      } else {
        close(fd);
      }
    }
    if (set_times(path, ts, no_deref) != 0) {
      if (no_create && errno == ENOENT) continue;
      warne(errno, "setting times of %s", quote(path));
      status = 1;
    }
  }
  return status;
}
