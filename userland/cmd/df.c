/*
 * df [-h|-k|-P] [-T] [-i] [FILE]...: free space on the filesystems holding the FILEs (POSIX
 * -k -P; GNU's -h -T -i and column layout). The numbers come from statvfs (libisokernel);
 * with no FILE, the filesystems of /, /dev, /bin and the working directory are shown.
 * There is no mount table to read, so the mount point is found by climbing the path while
 * the device stays the same, and the "Filesystem" and "Type" columns, which the kernel does
 * not report, say "none" and "-".
 */
#include "fs.h"
#include "mounts.h"
#include "opt.h"

struct row {
  char *cols[8];
};

static int human, posix, show_type, inodes;

static char *num(unsigned long long v, int is_human) {
  char buf[32];
  if (is_human) human_size(v, buf, sizeof buf);
  else snprintf(buf, sizeof buf, "%llu", v);
  return xstrdup(buf);
}

static char *percent(unsigned long long used, unsigned long long avail) {
  if (used + avail == 0) return xstrdup("-");
  unsigned long long p = (used * 100 + (used + avail) - 1) / (used + avail);
  char buf[16];
  snprintf(buf, sizeof buf, "%llu%%", p);
  return xstrdup(buf);
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  static const struct longopt longs[] = {
      {"human-readable", 0, 'h'}, {"portability", 0, 'P'}, {"print-type", 0, 'T'},
      {"inodes", 0, 'i'}, {"all", 0, 'a'}, {NULL, 0, 0}};
  int c;
  while ((c = opt_next(argc, argv, "hkPTia", longs)) != -1) {
    switch (c) {
    case 'h': human = 1; break;
    case 'k': human = 0; break;
    case 'P': posix = 1; break;
    case 'T': show_type = 1; break;
    case 'i': inodes = 1; break;
    case 'a': break;
    default: usage_error(NULL); return 1;
    }
  }
  char cwd[PATH_MAX];
  static char *defaults[5] = {"/", "/dev", "/bin", NULL, NULL};
  char **files = argv + opt_ind;
  int nfiles = argc - opt_ind;
  if (nfiles == 0) {
    defaults[3] = getcwd(cwd, sizeof cwd) ? cwd : NULL;
    files = defaults;
    nfiles = defaults[3] ? 4 : 3;
  }
  /* header */
  struct row *rows = xmalloc(sizeof *rows * (size_t)(nfiles + 1));
  int ncols = show_type ? 7 : 6, nrows = 0;
  const char *h[7];
  int k = 0;
  h[k++] = "Filesystem";
  if (show_type) h[k++] = "Type";
  if (inodes) {
    h[k++] = "Inodes";
    h[k++] = "IUsed";
    h[k++] = "IFree";
    h[k++] = "IUse%";
  } else {
    h[k++] = human ? "Size" : posix ? "1024-blocks" : "1K-blocks";
    h[k++] = "Used";
    h[k++] = human ? "Avail" : "Available";
    h[k++] = posix ? "Capacity" : "Use%";
  }
  h[k++] = "Mounted on";
  for (int i = 0; i < ncols; i++) rows[0].cols[i] = xstrdup(h[i]);
  nrows = 1;
  int status = 0;
  char **seen = xmalloc(sizeof(char *) * (size_t)nfiles);
  int nseen = 0;
  for (int i = 0; i < nfiles; i++) {
    struct statvfs v;
    struct stat st;
    if (stat(files[i], &st) != 0 || statvfs(files[i], &v) != 0) {
      warne(errno, "%s", quotef(files[i]));
      status = 1;
      continue;
    }
    char *mp = mount_point(files[i]);
    if (!mp) mp = xstrdup("?");
    if (opt_ind >= argc) {
      int dup = 0;
      for (int j = 0; j < nseen; j++) dup |= strcmp(seen[j], mp) == 0;
      if (dup) {
        free(mp);
        continue;
      }
      seen[nseen++] = mp;
    }
    struct row *r = &rows[nrows++];
    k = 0;
    r->cols[k++] = xstrdup("none");
    if (show_type) r->cols[k++] = xstrdup("-");
    if (inodes) {
      unsigned long long used = v.f_files - v.f_ffree;
      r->cols[k++] = num(v.f_files, human);
      r->cols[k++] = num(used, human);
      r->cols[k++] = num(v.f_favail, human);
      r->cols[k++] = v.f_files ? percent(used, v.f_favail) : xstrdup("-");
    } else {
      unsigned long long unit = v.f_frsize ? v.f_frsize : v.f_bsize;
      unsigned long long size = v.f_blocks * unit, used = (v.f_blocks - v.f_bfree) * unit, avail = v.f_bavail * unit;
      if (human) {
        r->cols[k++] = num(size, 1);
        r->cols[k++] = num(used, 1);
        r->cols[k++] = num(avail, 1);
      } else {
        r->cols[k++] = num((size + 1023) / 1024, 0);
        r->cols[k++] = num((used + 1023) / 1024, 0);
        r->cols[k++] = num(avail / 1024, 0);
      }
      r->cols[k++] = percent(used, avail);
    }
    r->cols[k++] = xstrdup(mp);
  }
  if (nrows == 1) return status; /* nothing to show */
  /* GNU's widths: the longest in each column, at least 14 for the first, 4 for Type and
   * Use%, 5 for the others; text columns left-aligned, numbers right-aligned. */
  int width[8] = {0};
  for (int col = 0; col < ncols; col++) {
    int min = col == 0 ? 14 : 5;
    if (show_type && col == 1) min = 4;
    if (col == ncols - 2) min = posix ? 8 : 4;
    if (col == ncols - 1) min = 0;
    if (posix && col == 0) min = 14;
    width[col] = min;
    for (int r = 0; r < nrows; r++) {
      int l = (int)strlen(rows[r].cols[col]);
      if (l > width[col]) width[col] = l;
    }
  }
  for (int r = 0; r < nrows; r++) {
    for (int col = 0; col < ncols; col++) {
      int left = col == 0 || col == ncols - 1 || (show_type && col == 1);
      if (col == ncols - 1) printf("%s", rows[r].cols[col]);
      else if (left) printf("%-*s ", width[col], rows[r].cols[col]);
      else printf("%*s ", width[col], rows[r].cols[col]);
    }
    putchar('\n');
  }
  if (close_stdout()) return 1;
  return status;
}
