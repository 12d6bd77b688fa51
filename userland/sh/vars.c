/*
 * Variables: a hash table of name -> value and flags (export, readonly).
 *
 * Locals (`local` in a function) save the variable's previous state on the function's
 * frame; returning restores it, so scoping is dynamic as in dash. Assignments before a
 * builtin or function (`x=1 cmd`) are temporary: saved on a temp frame, exported while the
 * command runs, restored after. The environment given to spawned programs is built from
 * the exported variables and cached until one changes.
 */
#include "sh.h"

#define NBUCKETS 256

static var *table[NBUCKETS];
static char **env_cache;
static bool env_dirty = true;
params posparams;

static unsigned hash(const char *s) {
  unsigned h = 5381;
  while (*s) h = h * 33 + (unsigned char)*s++;
  return h % NBUCKETS;
}

bool valid_name_n(const char *s, size_t n) {
  if (n == 0 || !(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
    return false;
  for (size_t i = 1; i < n; i++) {
    char c = s[i];
    if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
      return false;
  }
  return true;
}

bool valid_name(const char *s) { return valid_name_n(s, strlen(s)); }

var *var_lookup(const char *name) {
  for (var *v = table[hash(name)]; v; v = v->next)
    if (strcmp(v->name, name) == 0) return v;
  return NULL;
}

const char *var_get(const char *name) {
  var *v = var_lookup(name);
  return v ? v->value : NULL;
}

static var *var_make(const char *name) {
  var *v = var_lookup(name);
  if (v) return v;
  unsigned h = hash(name);
  v = xzalloc(sizeof *v);
  v->name = xstrdup(name);
  v->flags = 0;
  v->next = table[h];
  table[h] = v;
  return v;
}

static void var_remove(var *v) {
  var **pp = &table[hash(v->name)];
  while (*pp && *pp != v) pp = &(*pp)->next;
  if (*pp) *pp = v->next;
  free(v->name);
  free(v->value);
  free(v);
}

static void changed(const char *name, int flags) {
  if (flags & V_EXPORT) env_dirty = true;
  if (strcmp(name, "PATH") == 0) vars_changed_path();
}

bool var_set(const char *name, const char *value, int flags) {
  var *v = var_lookup(name);
  if (v && (v->flags & V_READONLY)) {
    sh_warn("%s: is read only", name);
    return false;
  }
  if (!v) v = var_make(name);
  char *nv = value ? xstrdup(value) : NULL;
  free(v->value);
  v->value = nv;
  v->flags |= flags;
  if (sh.o.allexport && value) v->flags |= V_EXPORT;
  changed(name, v->flags | flags);
  return true;
}

bool var_unset(const char *name) {
  var *v = var_lookup(name);
  if (!v) return true;
  if (v->flags & V_READONLY) return false;
  int f = v->flags;
  var_remove(v); /* a local's earlier state, if any, is restored on return */
  changed(name, f);
  return true;
}

void var_export(const char *name) {
  var *v = var_make(name);
  v->flags |= V_EXPORT;
  env_dirty = true;
  if (strcmp(name, "PATH") == 0) vars_changed_path();
}

void vars_changed_path(void) { hash_clear(); }

char **env_build(void) {
  if (!env_dirty && env_cache) return env_cache;
  if (env_cache) {
    for (char **e = env_cache; *e; e++) free(*e);
    free(env_cache);
  }
  size_t n = 0;
  for (int i = 0; i < NBUCKETS; i++)
    for (var *v = table[i]; v; v = v->next)
      if ((v->flags & V_EXPORT) && v->value) n++;
  env_cache = xmalloc((n + 1) * sizeof(char *));
  size_t k = 0;
  for (int i = 0; i < NBUCKETS; i++)
    for (var *v = table[i]; v; v = v->next)
      if ((v->flags & V_EXPORT) && v->value) {
        size_t ln = strlen(v->name), lv = strlen(v->value);
        char *s = xmalloc(ln + lv + 2);
        memcpy(s, v->name, ln);
        s[ln] = '=';
        memcpy(s + ln + 1, v->value, lv + 1);
        env_cache[k++] = s;
      }
  env_cache[k] = NULL;
  env_dirty = false;
  return env_cache;
}

static int cmp_var(const void *a, const void *b) {
  return strcmp((*(var *const *)a)->name, (*(var *const *)b)->name);
}

var **vars_sorted(size_t *count) {
  size_t n = 0;
  for (int i = 0; i < NBUCKETS; i++)
    for (var *v = table[i]; v; v = v->next) n++;
  var **list = xmalloc((n + 1) * sizeof(var *));
  size_t k = 0;
  for (int i = 0; i < NBUCKETS; i++)
    for (var *v = table[i]; v; v = v->next) list[k++] = v;
  qsort(list, k, sizeof(var *), cmp_var);
  list[k] = NULL;
  *count = k;
  return list;
}

/* ------------------------------------------------------------ saved states */

/* A variable's state before a local or temporary assignment changed it. */
typedef struct saved {
  struct saved *next;
  char *name;
  char *value;
  int flags;
  bool existed;
} saved;

typedef struct frame {
  struct frame *up;
  saved *list;
  bool is_local; /* a function's frame (else a temp-assignment frame) */
  char *options; /* `local -`: the option letters to restore on return */
} frame;

static frame *frames;

static saved *find_saved(frame *f, const char *name) {
  for (saved *s = f->list; s; s = s->next)
    if (strcmp(s->name, name) == 0) return s;
  return NULL;
}

static void save_var(frame *f, const char *name) {
  if (find_saved(f, name)) return;
  saved *s = xzalloc(sizeof *s);
  s->name = xstrdup(name);
  var *v = var_lookup(name);
  if (v) {
    s->existed = true;
    s->value = v->value ? xstrdup(v->value) : NULL;
    s->flags = v->flags;
  }
  s->next = f->list;
  f->list = s;
}

static void restore(frame *f) {
  for (saved *s = f->list; s;) {
    saved *next = s->next;
    var *v = var_lookup(s->name);
    int fl = v ? v->flags : 0;
    if (s->existed) {
      if (!v) v = var_make(s->name);
      free(v->value);
      v->value = s->value;
      v->flags = s->flags;
    } else {
      if (v) var_remove(v);
      free(s->value);
    }
    changed(s->name, fl | s->flags);
    free(s->name);
    free(s);
    s = next;
  }
}

static void push_frame(bool is_local) {
  frame *f = xzalloc(sizeof *f);
  f->is_local = is_local;
  f->up = frames;
  frames = f;
}

static void pop_frame(void) {
  frame *f = frames;
  frames = f->up;
  restore(f);
  if (f->options) {
    options_restore(f->options);
    free(f->options);
  }
  free(f);
}

void var_push_temp(void) { push_frame(false); }
void var_pop_temp(void) { pop_frame(); }

bool var_set_temp(const char *name, const char *value) {
  var *v = var_lookup(name);
  if (v && (v->flags & V_READONLY)) {
    sh_warn("%s: is read only", name);
    return false;
  }
  save_var(frames, name);
  v = var_make(name);
  free(v->value);
  v->value = xstrdup(value);
  v->flags |= V_EXPORT;
  changed(name, V_EXPORT);
  return true;
}

void locals_push(void) { push_frame(true); }
void locals_pop(void) { pop_frame(); }

bool local_declare(const char *arg) {
  frame *f = frames;
  while (f && !f->is_local) f = f->up;
  if (!f) return false;
  const char *eq = strchr(arg, '=');
  char *name = eq ? xstrndup(arg, (size_t)(eq - arg)) : xstrdup(arg);
  bool ok = true;
  if (strcmp(name, "-") == 0) {
    /* `local -`: the options are restored when the function returns */
    if (!f->options) f->options = option_letters();
  } else if (!valid_name(name)) {
    bi_error("local", "%s: bad variable name", name);
    ok = false;
  } else {
    save_var(f, name);
    if (eq) ok = var_set(name, eq + 1, 0);
  }
  free(name);
  return ok;
}

/* ----------------------------------------------------------- positional params */

void params_set(params *p, char **argv, int n) {
  char **v = xmalloc(((size_t)n + 1) * sizeof(char *));
  for (int i = 0; i < n; i++) v[i] = xstrdup(argv[i]);
  v[n] = NULL;
  params_free(p);
  p->v = v;
  p->n = n;
}

void params_free(params *p) {
  if (p->v) {
    for (int i = 0; i < p->n; i++) free(p->v[i]);
    free(p->v);
  }
  p->v = NULL;
  p->n = 0;
}

/* ------------------------------------------------------------------- startup */

void vars_init(char **envp) {
  for (char **e = envp; e && *e; e++) {
    const char *eq = strchr(*e, '=');
    if (!eq || !valid_name_n(*e, (size_t)(eq - *e))) continue;
    char *name = xstrndup(*e, (size_t)(eq - *e));
    if (strcmp(name, "IFS") != 0) {
      var *v = var_make(name);
      free(v->value);
      v->value = xstrdup(eq + 1);
      v->flags = V_EXPORT;
    }
    free(name);
  }
  var_set("IFS", " \t\n", 0);
  if (!var_get("PS1")) var_set("PS1", geteuid() == 0 ? "# " : "$ ", 0);
  if (!var_get("PS2")) var_set("PS2", "> ", 0);
  if (!var_get("PS4")) var_set("PS4", "+ ", 0);
  var_set("OPTIND", "1", 0);
  env_dirty = true;
}
