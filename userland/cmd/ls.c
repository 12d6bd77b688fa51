/*
 * ls [-1aACdFghilLnopRrsStuUcx] [FILE]...: lists files and directory contents (POSIX, as GNU
 * coreutils' ls). One name a line when standard output is not a terminal (as GNU), columns
 * (-C, or a terminal; COLUMNS or 80 wide) otherwise. -l long format with GNU's alignment
 * and dates ("%b %e %H:%M" within six months, else "%b %e  %Y"), -h sizes as 4.0K, -t/-S
 * sort by time/size, -r reverse, -U unsorted, -u/-c access/change time, -R recursive, -d
 * directories themselves, -a/-A dot files, -i inodes, -s blocks, -F/-p indicators, -n
 * numeric ids, -g/-o without owner/group, -L follow links. Names are sorted by their
 * bytes (the C and C.UTF-8 collation); on a terminal, names that need it are quoted as
 * GNU does. Times are local (TZ). Exit 2 if an operand cannot be
 * accessed, 1 for lesser trouble.
 */
#include "fs.h"
#include "opt.h"

#include <sys/stat.h>
#include <time.h>

struct entry {
  char *name; /* as shown */
  char *path; /* to stat */
  struct stat st;
  char *link; /* symlink target with -l */
  int stat_ok;
};

static int all, almost_all, one_per_line, columns, long_fmt, directory, classify, slash_dirs, human,
           inode, numeric, no_owner, no_group, recursive, reverse, blocks, follow, unsorted;
static char sort_by = 'n';  /* n name, t time, S size */
static char time_kind = 'm'; /* m modify, a access, c change */
static int tty;
static int status;
static time_t now;

static const struct timespec *entry_time(const struct entry *e) {
  if (time_kind == 'a') return &e->st.st_atim;
  if (time_kind == 'c') return &e->st.st_ctim;
  return &e->st.st_mtim;
}

static int cmp_entries(const void *a, const void *b) {
  const struct entry *x = a, *y = b;
  int r = 0;
  if (sort_by == 't') {
    const struct timespec *tx = entry_time(x), *ty = entry_time(y);
    if (tx->tv_sec != ty->tv_sec) r = tx->tv_sec > ty->tv_sec ? -1 : 1;
    else if (tx->tv_nsec != ty->tv_nsec) r = tx->tv_nsec > ty->tv_nsec ? -1 : 1;
  } else if (sort_by == 'S') {
    if (x->st.st_size != y->st.st_size) r = x->st.st_size > y->st.st_size ? -1 : 1;
  }
  if (r == 0) r = strcmp(x->name, y->name);
  return reverse ? -r : r;
}

static void sort_entries(struct entry *v, size_t n) {
  if (unsorted) return;
  qsort(v, n, sizeof *v, cmp_entries);
}

/* The name as printed: quoted on a terminal when needed, literal otherwise. */
static const char *shown_name(const char *name) { return tty ? quotef(name) : name; }

static char indicator(const struct stat *st) {
  if (S_ISDIR(st->st_mode)) return '/';
  if (!classify) return 0;
  if (S_ISLNK(st->st_mode)) return '@';
  if (S_ISSOCK(st->st_mode)) return '=';
#ifdef S_ISFIFO
  if (S_ISFIFO(st->st_mode)) return '|';
#endif
  if (S_ISREG(st->st_mode) && (st->st_mode & 0111)) return '*';
  return 0;
}

static int fill_entry(struct entry *e, int command_line) {
  int r = (follow || (command_line && !long_fmt && !directory && !classify)) ? xstat(e->path, &e->st)
                                                                              : xlstat(e->path, &e->st);
  if (r != 0 && (follow || command_line)) r = xlstat(e->path, &e->st); /* a dangling link */
  e->stat_ok = r == 0;
  e->link = NULL;
  if (e->stat_ok && S_ISLNK(e->st.st_mode) && long_fmt) {
    char buf[PATH_MAX];
    ssize_t n = readlink(e->path, buf, sizeof buf - 1);
    if (n >= 0) {
      buf[n] = 0;
      e->link = xstrdup(buf);
    }
  }
  return r;
}

static int digits(unsigned long long v) {
  int n = 1;
  while (v >= 10) v /= 10, n++;
  return n;
}

static unsigned long long kblocks(const struct stat *st) { return ((unsigned long long)st->st_blocks + 1) / 2; }

static void print_time(const struct entry *e) {
  const struct timespec *t = entry_time(e);
  struct tm tm;
  time_t s = t->tv_sec;
  localtime_r(&s, &tm);
  char buf[64];
  const long six_months = 31556952 / 2;
  int recent = s <= now && s > now - six_months;
  strftime(buf, sizeof buf, recent ? "%b %e %H:%M" : "%b %e  %Y", &tm);
  fputs(buf, stdout);
}

static void size_string(const struct entry *e, char *buf, size_t len) {
  if (S_ISCHR(e->st.st_mode) || S_ISBLK(e->st.st_mode)) {
    snprintf(buf, len, "%u, %u", (unsigned)((e->st.st_rdev >> 8) & 0xfff), (unsigned)(e->st.st_rdev & 0xff));
  } else if (human) {
    human_size((unsigned long long)e->st.st_size, buf, len);
  } else {
    snprintf(buf, len, "%lld", (long long)e->st.st_size);
  }
}

static void print_long(struct entry *v, size_t n) {
  int w_links = 1, w_user = 1, w_group = 1, w_size = 1, w_ino = 1, w_blocks = 1;
  char buf[64];
  for (size_t i = 0; i < n; i++) {
    if (!v[i].stat_ok) continue;
    int d = digits((unsigned long long)v[i].st.st_nlink);
    if (d > w_links) w_links = d;
    const char *u = numeric ? (snprintf(buf, sizeof buf, "%u", (unsigned)v[i].st.st_uid), buf) : user_name(v[i].st.st_uid);
    if ((int)strlen(u) > w_user) w_user = (int)strlen(u);
    const char *g = numeric ? (snprintf(buf, sizeof buf, "%u", (unsigned)v[i].st.st_gid), buf) : group_name(v[i].st.st_gid);
    if ((int)strlen(g) > w_group) w_group = (int)strlen(g);
    size_string(&v[i], buf, sizeof buf);
    if ((int)strlen(buf) > w_size) w_size = (int)strlen(buf);
    d = digits((unsigned long long)v[i].st.st_ino);
    if (d > w_ino) w_ino = d;
    if (human) human_size(kblocks(&v[i].st) * 1024, buf, sizeof buf);
    else snprintf(buf, sizeof buf, "%llu", kblocks(&v[i].st));
    if ((int)strlen(buf) > w_blocks) w_blocks = (int)strlen(buf);
  }
  for (size_t i = 0; i < n; i++) {
    struct entry *e = &v[i];
    if (!e->stat_ok) continue;
    if (inode) printf("%*llu ", w_ino, (unsigned long long)e->st.st_ino);
    if (blocks) {
      if (human) human_size(kblocks(&e->st) * 1024, buf, sizeof buf);
      else snprintf(buf, sizeof buf, "%llu", kblocks(&e->st));
      printf("%*s ", w_blocks, buf);
    }
    char mode[11];
    mode_string(e->st.st_mode, mode);
    printf("%s %*lu ", mode, w_links, (unsigned long)e->st.st_nlink);
    if (!no_owner) {
      if (numeric) printf("%-*u ", w_user, (unsigned)e->st.st_uid);
      else printf("%-*s ", w_user, user_name(e->st.st_uid));
    }
    if (!no_group) {
      if (numeric) printf("%-*u ", w_group, (unsigned)e->st.st_gid);
      else printf("%-*s ", w_group, group_name(e->st.st_gid));
    }
    size_string(e, buf, sizeof buf);
    printf("%*s ", w_size, buf);
    print_time(e);
    printf(" %s", shown_name(e->name));
    if (e->link) {
      printf(" -> %s", shown_name(e->link));
      if (classify) {
        struct stat t;
        if (xstat(e->path, &t) == 0) {
          char c = indicator(&t);
          if (c) putchar(c);
        }
      }
    } else if (classify || slash_dirs) {
      char c = indicator(&e->st);
      if (c && (classify || c == '/')) putchar(c);
    }
    putchar('\n');
  }
}

/* A name with its prefix (inode, blocks) and indicator, for the short formats. */
/* On a terminal, when some name is quoted, the others get a space in front so that they
 * line up with the quoted ones' text (GNU). */
static int align_quoted;

static char *short_item(const struct entry *e, int w_ino, int w_blocks) {
  char buf[PATH_MAX * 4 + 64];
  size_t k = 0;
  if (inode) k += (size_t)snprintf(buf + k, sizeof buf - k, "%*llu ", w_ino, (unsigned long long)e->st.st_ino);
  if (blocks) {
    char b[32];
    if (human) human_size(kblocks(&e->st) * 1024, b, sizeof b);
    else snprintf(b, sizeof b, "%llu", kblocks(&e->st));
    k += (size_t)snprintf(buf + k, sizeof buf - k, "%*s ", w_blocks, b);
  }
  const char *shown = shown_name(e->name);
  k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%s", align_quoted && shown[0] != '\'' && shown[0] != '"' ? " " : "",
                        shown);
  if ((classify || slash_dirs) && e->stat_ok) {
    char c = indicator(&e->st);
    if (c && (classify || c == '/')) buf[k++] = c, buf[k] = 0;
  }
  return xstrdup(buf);
}

static size_t display_width(const char *s) {
  size_t w = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if ((*p & 0xc0) != 0x80) w++;
  return w;
}

static void print_short(struct entry *v, size_t n) {
  int w_ino = 1, w_blocks = 1;
  for (size_t i = 0; i < n; i++) {
    int d = digits((unsigned long long)v[i].st.st_ino);
    if (inode && d > w_ino) w_ino = d;
    char b[32];
    if (human) human_size(kblocks(&v[i].st) * 1024, b, sizeof b);
    else snprintf(b, sizeof b, "%llu", kblocks(&v[i].st));
    if (blocks && (int)strlen(b) > w_blocks) w_blocks = (int)strlen(b);
  }
  align_quoted = 0;
  for (size_t i = 0; tty && i < n; i++) align_quoted |= needs_quoting(v[i].name);
  char **items = xmalloc(sizeof(char *) * (n ? n : 1));
  size_t *widths = xmalloc(sizeof(size_t) * (n ? n : 1));
  for (size_t i = 0; i < n; i++) {
    items[i] = short_item(&v[i], w_ino, w_blocks);
    widths[i] = display_width(items[i]);
  }
  if (!columns || n == 0) {
    for (size_t i = 0; i < n; i++) puts(items[i]);
  } else {
    size_t line = 80;
    const char *cols = getenv("COLUMNS");
    if (cols && atoi(cols) > 0) line = (size_t)atoi(cols);
    /* the most columns that fit, filled top to bottom */
    size_t ncols = 1, rows = n;
    size_t *colw = xmalloc(sizeof(size_t) * n);
    for (size_t c = n; c >= 1; c--) {
      size_t r = (n + c - 1) / c;
      if ((r - 1) * c >= n && c > 1) continue; /* an empty last column */
      size_t total = 0;
      for (size_t k = 0; k < c; k++) {
        size_t w = 0;
        for (size_t j = k * r; j < (k + 1) * r && j < n; j++)
          if (widths[j] > w) w = widths[j];
        colw[k] = w + (k + 1 < c ? 2 : 0);
        total += colw[k];
      }
      if (total <= line || c == 1) {
        ncols = c;
        rows = r;
        break;
      }
    }
    for (size_t k = 0; k < ncols; k++) {
      size_t w = 0;
      for (size_t j = k * rows; j < (k + 1) * rows && j < n; j++)
        if (widths[j] > w) w = widths[j];
      colw[k] = w + 2;
    }
    for (size_t r = 0; r < rows; r++) {
      size_t col = 0; /* where the cursor is */
      for (size_t k = 0; k < ncols; k++) {
        size_t j = k * rows + r;
        if (j >= n) break;
        fputs(items[j], stdout);
        col += widths[j];
        int last = k + 1 == ncols || (k + 1) * rows + r >= n;
        if (last) break;
        /* pad to the next column with tabs where a tab stop (every 8) does not overshoot */
        size_t target = col - widths[j] + colw[k];
        while (col < target) {
          size_t next_tab = (col / 8 + 1) * 8;
          if (next_tab <= target && next_tab - col > 1) {
            putchar('\t');
            col = next_tab;
          } else {
            putchar(' ');
            col++;
          }
        }
      }
      putchar('\n');
    }
    free(colw);
  }
  for (size_t i = 0; i < n; i++) free(items[i]);
  free(items);
  free(widths);
}

static void print_entries(struct entry *v, size_t n) {
  if (long_fmt) print_long(v, n);
  else print_short(v, n);
}

static void free_entries(struct entry *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(v[i].name);
    free(v[i].path);
    free(v[i].link);
  }
  free(v);
}

static int printed_something;

/* Lists directory PATH (shown as SHOWN), with a "SHOWN:" header if HEADER; a command-line
 * operand (TOP) that cannot be read is serious trouble (status 2). */
static void list_dir(const char *path, const char *shown, int header, int top) {
  DIR *d = opendir(path);
  if (!d) {
    warne(errno, "cannot open directory %s", quote(shown));
    if (top) status = 2;
    else if (!status) status = 1;
    return;
  }
  if (header) {
    if (printed_something) putchar('\n');
    printf("%s:\n", shown_name(shown));
  }
  printed_something = 1;
  size_t n = 0, cap = 32;
  struct entry *v = xmalloc(sizeof *v * cap);
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    const char *name = de->d_name;
    if (name[0] == '.' && !all && (!almost_all || is_dot_or_dotdot(name))) continue;
    if (n == cap) v = xrealloc(v, sizeof *v * (cap *= 2));
    v[n].name = xstrdup(name);
    v[n].path = path_join(path, name);
    v[n].link = NULL;
    if (fill_entry(&v[n], 0) != 0) {
      warne(errno, "cannot access %s", quote(v[n].path));
      status = 1;
    }
    n++;
  }
  closedir(d);
  sort_entries(v, n);
  if (long_fmt || blocks) {
    unsigned long long total = 0;
    for (size_t i = 0; i < n; i++)
      if (v[i].stat_ok) total += kblocks(&v[i].st);
    char b[32];
    if (human) human_size(total * 1024, b, sizeof b);
    else snprintf(b, sizeof b, "%llu", total);
    printf("total %s\n", b);
  }
  print_entries(v, n);
  if (recursive) {
    for (size_t i = 0; i < n; i++) {
      if (!v[i].stat_ok || !S_ISDIR(v[i].st.st_mode) || is_dot_or_dotdot(v[i].name)) continue;
      char *sub = path_join(shown, v[i].name);
      list_dir(v[i].path, sub, 1, 0);
      free(sub);
    }
  }
  free_entries(v, n);
}

int main(int argc, char **argv) {
  cmd_init(argc, argv);
  enum { COLOR = 256, GROUP_DIRS, FULL_TIME };
  static const struct longopt longs[] = {
      {"all", 0, 'a'}, {"almost-all", 0, 'A'}, {"directory", 0, 'd'}, {"classify", 2, 'F'},
      {"human-readable", 0, 'h'}, {"inode", 0, 'i'}, {"dereference", 0, 'L'},
      {"numeric-uid-gid", 0, 'n'}, {"recursive", 0, 'R'}, {"reverse", 0, 'r'}, {"size", 0, 's'},
      {"color", 2, COLOR}, {"colour", 2, COLOR}, {NULL, 0, 0}};
  int c;
  tty = isatty(1);
  columns = tty;
  while ((c = opt_next(argc, argv, "1aACdFghilLnopRrsStuUcx", longs)) != -1) {
    switch (c) {
    case '1': one_per_line = 1; columns = 0; break;
    case 'a': all = 1; almost_all = 0; break;
    case 'A': almost_all = 1; all = 0; break;
    case 'C':
    case 'x': columns = 1; one_per_line = 0; long_fmt = 0; break;
    case 'd': directory = 1; break;
    case 'F': classify = 1; break;
    case 'g': long_fmt = 1; no_owner = 1; columns = 0; break;
    case 'h': human = 1; break;
    case 'i': inode = 1; break;
    case 'l': long_fmt = 1; columns = 0; break;
    case 'L': follow = 1; break;
    case 'n': long_fmt = 1; numeric = 1; columns = 0; break;
    case 'o': long_fmt = 1; no_group = 1; columns = 0; break;
    case 'p': slash_dirs = 1; break;
    case 'R': recursive = 1; break;
    case 'r': reverse = 1; break;
    case 's': blocks = 1; break;
    case 'S': sort_by = 'S'; break;
    case 't': sort_by = 't'; break;
    case 'u': time_kind = 'a'; break;
    case 'c': time_kind = 'c'; break;
    case 'U': unsorted = 1; break;
    case COLOR: break;
    default: usage_error(NULL); return 2;
    }
  }
  now = time(NULL);

  static char *dot[] = {".", NULL};
  char **ops = opt_ind < argc ? argv + opt_ind : dot;
  int nops = opt_ind < argc ? argc - opt_ind : 1;
  struct entry *files = xmalloc(sizeof *files * (size_t)nops), *dirs = xmalloc(sizeof *dirs * (size_t)nops);
  size_t nfiles = 0, ndirs = 0;
  for (int i = 0; i < nops; i++) {
    struct entry e;
    e.name = xstrdup(ops[i]);
    e.path = xstrdup(ops[i]);
    e.link = NULL;
    if (fill_entry(&e, 1) != 0) {
      warne(errno, "cannot access %s", quote(ops[i]));
      status = 2;
      free(e.name);
      free(e.path);
      continue;
    }
    struct stat target;
    int is_dir = S_ISDIR(e.st.st_mode) ||
                 (S_ISLNK(e.st.st_mode) && !long_fmt && !classify && xstat(e.path, &target) == 0 && S_ISDIR(target.st_mode));
    if (is_dir && !directory) dirs[ndirs++] = e;
    else files[nfiles++] = e;
  }
  sort_entries(files, nfiles);
  sort_entries(dirs, ndirs);
  if (nfiles) {
    print_entries(files, nfiles);
    printed_something = 1;
  }
  int header = recursive || nops > 1 || status;
  for (size_t i = 0; i < ndirs; i++) list_dir(dirs[i].path, dirs[i].name, header, 1);
  free_entries(files, nfiles);
  free_entries(dirs, ndirs);
  if (close_stdout()) return 2;
  return status;
}
