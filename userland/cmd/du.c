/*
 * du [-a] [-s] [-c] [-h|-k|-m|-b] [-d N] [-x] [-L] [--apparent-size] [FILE]...: disk usage
 * of each file and directory tree, in 1024-byte units by default (POSIX -a -s -k -x -L;
 * GNU's -c -h -m -b -d --apparent-size). Hard links count once. The kernel does not report
 * how much a file occupies: it is estimated in 4 KiB units, as ext4 and tmpfs allocate
 * (see common/fs.h); --apparent-size and -b use the exact sizes. Directories are read in
 * name order.
 */
#include "fs.h"
#include "opt.h"

static int all, summarize, total, apparent, follow, one_fs, human;
static long max_depth = -1;
static unsigned long long block = 1024;
static int status;

struct seen {
  dev_t dev;
  ino_t ino;
};
static struct seen *seen;
static size_t nseen, capseen;

static int already_seen(const struct stat *st) {
  for (size_t i = 0; i < nseen; i++)
    if (seen[i].dev == st->st_dev && seen[i].ino == st->st_ino) return 1;
  if (nseen == capseen) seen = xrealloc(seen, sizeof *seen * (capseen = capseen ? capseen * 2 : 64));
  seen[nseen++] = (struct seen){st->st_dev, st->st_ino};
  return 0;
}

static void report(unsigned long long bytes, const char *path) {
  char buf[32];
  if (human) human_size(bytes, buf, sizeof buf);
  else snprintf(buf, sizeof buf, "%llu", (bytes + block - 1) / block);
  printf("%s\t%s\n", buf, path);
}

/* The bytes under PATH (its blocks, or sizes with --apparent-size). */
static unsigned long long walk(const char *path, int depth, dev_t dev) {
  struct stat st;
  int r = (follow || (depth == 0 && follow >= 0)) ? xstat(path, &st) : xlstat(path, &st);
  if (r != 0 && depth == 0) r = xlstat(path, &st);
  if (r != 0) {
    warne(errno, "cannot access %s", quote(path));
    status = 1;
    return 0;
  }
  if (depth > 0 && st.st_nlink > 1 && !S_ISDIR(st.st_mode) && already_seen(&st)) return 0;
  unsigned long long size = apparent ? (unsigned long long)st.st_size : (unsigned long long)st.st_blocks * 512;
  if (S_ISDIR(st.st_mode) && !(one_fs && depth > 0 && st.st_dev != dev)) {
    size_t n;
    char **names = read_dir_sorted(path, &n);
    if (!names) {
      warne(errno, "cannot read directory %s", quote(path));
      status = 1;
    } else {
      for (size_t i = 0; i < n; i++) {
        char *p = path_join(path, names[i]);
        size += walk(p, depth + 1, depth == 0 ? st.st_dev : dev);
        free(p);
        free(names[i]);
      }
      free(names);
    }
    if (!summarize && (max_depth < 0 || depth <= max_depth)) report(size, path);
    else if (summarize && depth == 0) report(size, path);
  } else if (depth == 0 || (all && !summarize && (max_depth < 0 || depth <= max_depth))) {
    report(size, path);
  }
  return size;
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  enum { APPARENT = 256 };
  static const struct longopt longs[] = {
      {"all", 0, 'a'}, {"summarize", 0, 's'}, {"total", 0, 'c'}, {"human-readable", 0, 'h'},
      {"bytes", 0, 'b'}, {"max-depth", 1, 'd'}, {"one-file-system", 0, 'x'},
      {"dereference", 0, 'L'}, {"apparent-size", 0, APPARENT}, {NULL, 0, 0}};
  int c;
  while ((c = opt_next(argc, argv, "aschkmbd:xLPD", longs)) != -1) {
    switch (c) {
    case 'a': all = 1; break;
    case 's': summarize = 1; break;
    case 'c': total = 1; break;
    case 'h': human = 1; break;
    case 'k': block = 1024; human = 0; break;
    case 'm': block = 1024 * 1024; human = 0; break;
    case 'b': apparent = 1; block = 1; human = 0; break;
    case 'd': {
      long long v;
      if (!parse_ll(opt_arg, &v) || v < 0) {
        warnx("invalid maximum depth %s", quote_loc(opt_arg));
        usage_error(NULL);
        return 1;
      }
      max_depth = (long)v;
      break;
    }
    case 'x': one_fs = 1; break;
    case 'L': follow = 1; break;
    case 'P': follow = 0; break;
    case 'D': follow = 0; break;
    case APPARENT: apparent = 1; break;
    default: usage_error(NULL); return 1;
    }
  }
  if (summarize && max_depth > 0) {
    warnx("cannot both summarize and show all entries");
    usage_error(NULL);
    return 1;
  }
  if (summarize && all) {
    warnx("cannot both summarize and show all entries");
    usage_error(NULL);
    return 1;
  }
  static char *dot[] = {".", NULL};
  char **files = opt_ind < argc ? argv + opt_ind : dot;
  int nfiles = opt_ind < argc ? argc - opt_ind : 1;
  unsigned long long sum = 0;
  for (int i = 0; i < nfiles; i++) {
    struct stat st;
    if (lstat(files[i], &st) == 0 && !S_ISDIR(st.st_mode)) (void)0;
    sum += walk(files[i], 0, 0);
  }
  if (total) report(sum, "total");
  if (close_stdout()) return 1;
  return status;
}
