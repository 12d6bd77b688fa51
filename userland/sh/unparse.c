/*
 * Unparsing: a tree back to shell text, for a child shell to run (a subshell, a compound
 * command in a pipeline or in the background, a function in the prelude).
 *
 * Words are written as they were read (their raw text), so they expand the same way in the
 * child. Commands are separated by newlines rather than `;`, which also gives here-document
 * bodies a place to go: they follow the next newline, as in the source. Before a command
 * whose line differs from the line the child will count, a `#@line N` comment resets the
 * child's count, so its error messages and $LINENO name the original lines (a child shell
 * honours these comments only in text it got from its parent).
 */
#include "sh.h"

typedef struct {
  sbuf *b;
  const redir *pending[64];
  int npending;
  size_t dir_pos; /* buffer offset after the last directive */
  int dir_line;   /* the line number the text after it starts at; 0 = unknown */
  bool inline_next; /* the next command continues the current line (after !) */
} up;

static void put(up *u, const char *s) { sb_adds(u->b, s); }

static bool at_line_start(up *u) { return u->b->n == 0 || u->b->s[u->b->n - 1] == '\n'; }

static void newline(up *u) {
  sb_addc(u->b, '\n');
  for (int i = 0; i < u->npending; i++) {
    const redir *r = u->pending[i];
    put(u, r->body);
    if (r->body[0] && r->body[strlen(r->body) - 1] != '\n') sb_addc(u->b, '\n');
    put(u, r->delim);
    sb_addc(u->b, '\n');
  }
  u->npending = 0;
}

static int current_line(up *u) {
  if (!u->dir_line) return 0;
  int line = u->dir_line;
  for (size_t i = u->dir_pos; i < u->b->n; i++)
    if (u->b->s[i] == '\n') line++;
  return line;
}

/* Starts a command on a new line, with a directive if the child would miscount. */
static void start_cmd(up *u, int line) {
  if (u->inline_next) {
    u->inline_next = false;
    return;
  }
  if (!at_line_start(u)) newline(u);
  if (line <= 0 || current_line(u) == line) return;
  sb_printf(u->b, "#@line %d\n", line);
  u->dir_pos = u->b->n;
  u->dir_line = line;
}

static void put_redirs(up *u, const redir *r, bool lead) {
  for (; r; r = r->next, lead = true) {
    static const char *const ops[] = {"<", ">", ">|", ">>", "<>", "<&", ">&", "<<"};
    sb_printf(u->b, "%s%d%s", lead ? " " : "", r->fd, ops[r->op]);
    put(u, r->target->raw);
    if (r->op == R_HEREDOC && u->npending < 64) u->pending[u->npending++] = r;
  }
}

static void put_words(up *u, const word *w, bool leading_space) {
  for (; w; w = w->next) {
    if (leading_space) sb_addc(u->b, ' ');
    put(u, w->raw);
    leading_space = true;
  }
}

static void cmd(up *u, const node *n);

static void list(up *u, const node *n) {
  for (; n; n = n->next) {
    cmd(u, n);
    if (n->async) put(u, " &");
    newline(u);
  }
}

static void cmd(up *u, const node *n) {
  /* A pipeline or an and-or list starts where its first command does. */
  if (n->kind != N_PIPE && n->kind != N_AND && n->kind != N_OR) start_cmd(u, n->line);
  switch (n->kind) {
  case N_SIMPLE:
    put_words(u, n->assigns, false);
    put_words(u, n->args, n->assigns != NULL);
    put_redirs(u, n->redirs, n->assigns || n->args);
    return;
  case N_PIPE:
    for (int i = 0; i < n->ncmds; i++) {
      if (i) {
        put(u, " |");
        newline(u);
      }
      cmd(u, n->cmds[i]);
    }
    return;
  case N_AND:
  case N_OR:
    cmd(u, n->a);
    put(u, n->kind == N_AND ? " &&" : " ||");
    newline(u);
    cmd(u, n->b);
    return;
  case N_NOT:
    put(u, "! ");
    u->inline_next = true; /* no newline may follow ! */
    cmd(u, n->a);
    return;
  case N_SUBSHELL:
    put(u, "(");
    newline(u);
    list(u, n->a);
    put(u, ")");
    break;
  case N_GROUP:
    put(u, "{");
    newline(u);
    list(u, n->a);
    put(u, "}");
    break;
  case N_IF:
    put(u, "if");
    newline(u);
    list(u, n->a);
    put(u, "then");
    newline(u);
    list(u, n->b);
    if (n->c) {
      put(u, "else");
      newline(u);
      list(u, n->c);
    }
    put(u, "fi");
    break;
  case N_WHILE:
  case N_UNTIL:
    put(u, n->kind == N_WHILE ? "while" : "until");
    newline(u);
    list(u, n->a);
    put(u, "do");
    newline(u);
    list(u, n->b);
    put(u, "done");
    break;
  case N_FOR:
    sb_printf(u->b, "for %s", n->name);
    if (n->has_in) {
      put(u, " in");
      put_words(u, n->args, true);
    }
    newline(u);
    put(u, "do");
    newline(u);
    list(u, n->a);
    put(u, "done");
    break;
  case N_CASE:
    put(u, "case ");
    put(u, n->subject->raw);
    put(u, " in");
    newline(u);
    for (const caseitem *ci = n->items; ci; ci = ci->next) {
      put(u, "(");
      for (const word *w = ci->patterns; w; w = w->next) {
        if (w != ci->patterns) put(u, "|");
        put(u, w->raw);
      }
      put(u, ")");
      newline(u);
      list(u, ci->body);
      put(u, ";;");
      newline(u);
    }
    put(u, "esac");
    break;
  case N_FUNCDEF:
    sb_printf(u->b, "%s()", n->name);
    newline(u);
    cmd(u, n->a);
    return;
  }
  put_redirs(u, n->redirs, true);
}

void unparse_list(sbuf *b, const node *n) {
  up u = {.b = b};
  list(&u, n);
  if (u.npending) newline(&u);
}

void unparse_cmd(sbuf *b, const node *n) {
  up u = {.b = b};
  cmd(&u, n);
  newline(&u);
}

char *unparse_short(const node *n) {
  sbuf b = {0};
  up u = {.b = &b};
  cmd(&u, n);
  sbuf out = {0};
  const char *s = sb_str(&b);
  bool space = false;
  for (; *s; s++) {
    if (*s == '#' && (s == b.s || s[-1] == '\n') && strncmp(s, "#@line ", 7) == 0) {
      while (*s && *s != '\n') s++;
      if (!*s) break;
      continue;
    }
    if (*s == '\n') {
      space = true;
      continue;
    }
    if (space && out.n) sb_addc(&out, ' ');
    space = false;
    sb_addc(&out, *s);
  }
  sb_free(&b);
  return sb_take(&out);
}
