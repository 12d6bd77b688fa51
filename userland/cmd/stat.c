/*
 * stat [-L] [-f] [-t] [-c FORMAT | --printf FORMAT] FILE...: file (or, with -f, filesystem)
 * status, in GNU coreutils' layout and with its format directives: %a %A %b %B %d %D %f %F
 * %g %G %h %i %m %n %N %o %s %t %T %u %U %w %W %x %X %y %Y %z %Z %% (files); %a %b %c %d %f
 * %i %l %n %s %S %t %T (-f). Times are local (TZ). WASI has no birth time: %w is "-", %W 0.
 */
#include "fs.h"
#include "mounts.h"
#include "opt.h"

#include <time.h>

static int follow, fs_mode;

static unsigned dev_major(unsigned long long d) { return (unsigned)(((d >> 8) & 0xfff) | ((d >> 32) & ~0xfffULL)); }
static unsigned dev_minor(unsigned long long d) { return (unsigned)((d & 0xff) | ((d >> 12) & ~0xffULL)); }

static void put_time(const struct timespec *t) {
  struct tm tm;
  time_t s = t->tv_sec;
  localtime_r(&s, &tm);
  char buf[64], zone[8];
  strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  strftime(zone, sizeof zone, "%z", &tm);
  printf("%s.%09ld %s", buf, (long)t->tv_nsec, zone);
}

static char *link_target(const char *path) {
  char buf[PATH_MAX];
  ssize_t n = readlink(path, buf, sizeof buf - 1);
  if (n < 0) return NULL;
  buf[n] = 0;
  return xstrdup(buf);
}

/* One directive of a file format; SPEC holds flags and width ("%-10" ...). */
static void file_directive(char d, const char *spec, const char *path, const struct stat *st) {
  char out[PATH_MAX * 2 + 64], fmt[80];
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat-nonliteral"
  switch (d) {
  case 'a': snprintf(out, sizeof out, "%o", (unsigned)(st->st_mode & 07777)); break;
  case 'A': mode_string(st->st_mode, out); break;
  case 'b': snprintf(out, sizeof out, "%llu", (unsigned long long)st->st_blocks); break;
  case 'B': strcpy(out, "512"); break;
  case 'd': snprintf(out, sizeof out, "%llu", (unsigned long long)st->st_dev); break;
  case 'D': snprintf(out, sizeof out, "%llx", (unsigned long long)st->st_dev); break;
  case 'f': snprintf(out, sizeof out, "%x", (unsigned)st->st_mode); break;
  case 'F': strcpy(out, file_type_name(st)); break;
  case 'g': snprintf(out, sizeof out, "%u", (unsigned)st->st_gid); break;
  case 'G': strcpy(out, group_name(st->st_gid)); break;
  case 'h': snprintf(out, sizeof out, "%llu", (unsigned long long)st->st_nlink); break;
  case 'i': snprintf(out, sizeof out, "%llu", (unsigned long long)st->st_ino); break;
  case 'm': {
    char *m = mount_point(path);
    snprintf(out, sizeof out, "%s", m ? m : "?");
    free(m);
    break;
  }
  case 'n': snprintf(out, sizeof out, "%s", path); break;
  case 'N': {
    char *t = S_ISLNK(st->st_mode) ? link_target(path) : NULL;
    if (t) snprintf(out, sizeof out, "%s -> %s", quote(path), quote(t));
    else snprintf(out, sizeof out, "%s", quote(path));
    free(t);
    break;
  }
  case 'o': snprintf(out, sizeof out, "%ld", (long)st->st_blksize); break;
  case 's': snprintf(out, sizeof out, "%lld", (long long)st->st_size); break;
  case 't': snprintf(out, sizeof out, "%x", dev_major((unsigned long long)st->st_rdev)); break;
  case 'T': snprintf(out, sizeof out, "%x", dev_minor((unsigned long long)st->st_rdev)); break;
  case 'u': snprintf(out, sizeof out, "%u", (unsigned)st->st_uid); break;
  case 'U': strcpy(out, user_name(st->st_uid)); break;
  case 'w': strcpy(out, "-"); break;
  case 'W': strcpy(out, "0"); break;
  case 'x':
  case 'y':
  case 'z': {
    const struct timespec *t = d == 'x' ? &st->st_atim : d == 'y' ? &st->st_mtim : &st->st_ctim;
    struct tm tm;
    time_t s = t->tv_sec;
    localtime_r(&s, &tm);
    char b[64], zone[8];
    strftime(b, sizeof b, "%Y-%m-%d %H:%M:%S", &tm);
    strftime(zone, sizeof zone, "%z", &tm);
    snprintf(out, sizeof out, "%s.%09ld %s", b, (long)t->tv_nsec, zone);
    break;
  }
  case 'X': snprintf(out, sizeof out, "%lld", (long long)st->st_atim.tv_sec); break;
  case 'Y': snprintf(out, sizeof out, "%lld", (long long)st->st_mtim.tv_sec); break;
  case 'Z': snprintf(out, sizeof out, "%lld", (long long)st->st_ctim.tv_sec); break;
  case 'C': strcpy(out, "?"); break;
  default: snprintf(out, sizeof out, "?%c", d); break;
  }
  snprintf(fmt, sizeof fmt, "%ss", spec);
  printf(fmt, out);
#pragma clang diagnostic pop
}

static void fs_directive(char d, const char *spec, const char *path, const struct statvfs *v) {
  char out[PATH_MAX + 64], fmt[80];
  switch (d) {
  case 'a': snprintf(out, sizeof out, "%llu", (unsigned long long)v->f_bavail); break;
  case 'b': snprintf(out, sizeof out, "%llu", (unsigned long long)v->f_blocks); break;
  case 'c': snprintf(out, sizeof out, "%llu", (unsigned long long)v->f_files); break;
  case 'd': snprintf(out, sizeof out, "%llu", (unsigned long long)v->f_ffree); break;
  case 'f': snprintf(out, sizeof out, "%llu", (unsigned long long)v->f_bfree); break;
  case 'i': snprintf(out, sizeof out, "%lx", (unsigned long)v->f_fsid); break;
  case 'l': snprintf(out, sizeof out, "%lu", (unsigned long)v->f_namemax); break;
  case 'n': snprintf(out, sizeof out, "%s", path); break;
  case 's': snprintf(out, sizeof out, "%lu", (unsigned long)v->f_bsize); break;
  case 'S': snprintf(out, sizeof out, "%lu", (unsigned long)v->f_frsize); break;
  case 't': strcpy(out, "0"); break;
  case 'T': strcpy(out, "isokernel"); break;
  default: snprintf(out, sizeof out, "?%c", d); break;
  }
  snprintf(fmt, sizeof fmt, "%ss", spec);
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat-nonliteral"
  printf(fmt, out);
#pragma clang diagnostic pop
}

/* Runs FORMAT; ESCAPES: --printf's backslash escapes. */
static void run_format(const char *format, int escapes, const char *path, const struct stat *st,
                       const struct statvfs *v) {
  for (const char *p = format; *p; p++) {
    if (escapes && *p == '\\' && p[1]) {
      p++;
      switch (*p) {
      case 'n': putchar('\n'); break;
      case 't': putchar('\t'); break;
      case '\\': putchar('\\'); break;
      case 'a': putchar('\a'); break;
      case 'b': putchar('\b'); break;
      case 'f': putchar('\f'); break;
      case 'r': putchar('\r'); break;
      case 'v': putchar('\v'); break;
      case '"': putchar('"'); break;
      default:
        if (*p >= '0' && *p <= '7') {
          int val = 0;
          for (int i = 0; i < 3 && *p >= '0' && *p <= '7'; i++) val = val * 8 + (*p++ - '0');
          p--;
          putchar(val);
        } else {
          putchar('\\');
          putchar(*p);
        }
      }
      continue;
    }
    if (*p != '%') {
      putchar(*p);
      continue;
    }
    if (p[1] == '%') {
      putchar('%');
      p++;
      continue;
    }
    if (!p[1]) {
      putchar('%');
      break;
    }
    char spec[32];
    size_t n = 0;
    spec[n++] = '%';
    p++;
    while (*p && strchr("-#+ 0'", *p) && n < 10) spec[n++] = *p++;
    while (isdigit((unsigned char)*p) && n < 20) spec[n++] = *p++;
    if (*p == '.') {
      spec[n++] = *p++;
      while (isdigit((unsigned char)*p) && n < 30) spec[n++] = *p++;
    }
    spec[n] = 0;
    if (!*p) break;
    if (v) fs_directive(*p, spec, path, v);
    else file_directive(*p, spec, path, st);
  }
}

static void default_file(const char *path, const struct stat *st) {
  char *t = S_ISLNK(st->st_mode) ? link_target(path) : NULL;
  if (t) printf("  File: %s -> %s\n", quotef(path), quotef(t));
  else printf("  File: %s\n", quotef(path));
  free(t);
  char ioblock[32];
  snprintf(ioblock, sizeof ioblock, "%ld", (long)st->st_blksize);
  printf("  Size: %-10lld\tBlocks: %-10llu IO Block: %-6s %s\n", (long long)st->st_size,
         (unsigned long long)st->st_blocks, ioblock, file_type_name(st));
  char dev[32];
  snprintf(dev, sizeof dev, "%u,%u", dev_major((unsigned long long)st->st_dev), dev_minor((unsigned long long)st->st_dev));
  printf("Device: %s\tInode: %-11llu ", dev, (unsigned long long)st->st_ino);
  if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
    printf("Links: %-5llu Device type: %u,%u\n", (unsigned long long)st->st_nlink,
           dev_major((unsigned long long)st->st_rdev), dev_minor((unsigned long long)st->st_rdev));
  else
    printf("Links: %llu\n", (unsigned long long)st->st_nlink);
  char mode[11];
  mode_string(st->st_mode, mode);
  printf("Access: (%04o/%s)  Uid: (%5u/%8s)   Gid: (%5u/%8s)\n", (unsigned)(st->st_mode & 07777), mode,
         (unsigned)st->st_uid, user_name(st->st_uid), (unsigned)st->st_gid, group_name(st->st_gid));
  printf("Access: ");
  put_time(&st->st_atim);
  printf("\nModify: ");
  put_time(&st->st_mtim);
  printf("\nChange: ");
  put_time(&st->st_ctim);
  printf("\n Birth: -\n");
}

static void default_fs(const char *path, const struct statvfs *v) {
  printf("  File: \"%s\"\n", path);
  printf("    ID: %-16lx Namelen: %-7lu Type: isokernel\n", (unsigned long)v->f_fsid, (unsigned long)v->f_namemax);
  printf("Block size: %-10lu Fundamental block size: %lu\n", (unsigned long)v->f_bsize, (unsigned long)v->f_frsize);
  printf("Blocks: Total: %-10llu Free: %-10llu Available: %llu\n", (unsigned long long)v->f_blocks,
         (unsigned long long)v->f_bfree, (unsigned long long)v->f_bavail);
  printf("Inodes: Total: %-10llu Free: %llu\n", (unsigned long long)v->f_files, (unsigned long long)v->f_ffree);
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  enum { PRINTF = 256 };
  static const struct longopt longs[] = {
      {"dereference", 0, 'L'}, {"file-system", 0, 'f'}, {"format", 1, 'c'}, {"printf", 1, PRINTF},
      {"terse", 0, 't'}, {NULL, 0, 0}};
  const char *format = NULL;
  int escapes = 0, terse = 0, c;
  while ((c = opt_next(argc, argv, "Lfc:t", longs)) != -1) {
    switch (c) {
    case 'L': follow = 1; break;
    case 'f': fs_mode = 1; break;
    case 'c': format = opt_arg; escapes = 0; break;
    case PRINTF: format = opt_arg; escapes = 1; break;
    case 't': terse = 1; break;
    default: usage_error(NULL); return 1;
    }
  }
  if (opt_ind >= argc) {
    usage_error("missing operand");
    return 1;
  }
  if (terse && !format)
    format = fs_mode ? "%n %i %l %t %s %S %b %f %a %c %d" : "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o";
  int status = 0;
  for (int i = opt_ind; i < argc; i++) {
    const char *path = argv[i];
    if (fs_mode) {
      struct statvfs v;
      if (statvfs(path, &v) != 0) {
        warne(errno, "cannot read file system information for %s", quote(path));
        status = 1;
        continue;
      }
      if (format) {
        run_format(format, escapes, path, NULL, &v);
        if (!escapes) putchar('\n');
      } else {
        default_fs(path, &v);
      }
      continue;
    }
    struct stat st;
    if ((follow ? xstat(path, &st) : xlstat(path, &st)) != 0) {
      warne(errno, "cannot statx %s", quote(path));
      status = 1;
      continue;
    }
    if (format) {
      run_format(format, escapes, path, &st, NULL);
      if (!escapes) putchar('\n');
    } else {
      default_file(path, &st);
    }
  }
  if (close_stdout()) return 1;
  return status;
}
