/*
 * The parser: recursive descent over XCU 2.10's grammar, one token of lookahead.
 *
 * Reserved words are words recognised by the parser where a command may start (and `in`,
 * `do` where the grammar expects them); a quoted `if` has a different raw text and so is
 * never one. A complete command at top level ends at a newline, so a script runs command
 * by command as it is read (a later syntax error does not stop earlier commands, as in
 * dash). Each top-level command gets its own arena (a `unit`), kept alive by the functions
 * it defines.
 */
#include "sh.h"

struct parser {
  input *in;
  lexer *lx;
  arena *a;
  bool trusted;
  token tok;
  bool have;
  bool err;
};

static const char *const keywords[] = {
  "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for",
  "{", "}", "!", "in", NULL,
};

bool is_keyword(const char *s) {
  for (int i = 0; keywords[i]; i++)
    if (strcmp(s, keywords[i]) == 0) return true;
  return false;
}

parser *parse_new(input *in, bool trusted) {
  parser *p = xzalloc(sizeof *p);
  p->in = in;
  p->trusted = trusted;
  p->lx = lex_new(in, NULL, trusted);
  return p;
}

void parse_free(parser *p) {
  if (!p) return;
  lex_free(p->lx);
  free(p);
}

static token *peek(parser *p) {
  if (!p->have) {
    p->tok = lex_next(p->lx);
    p->have = true;
    if (p->tok.kind == T_ERROR) p->err = true;
  }
  return &p->tok;
}

static void consume(parser *p) { p->have = false; }

static bool is_kw(parser *p, const char *kw) {
  token *t = peek(p);
  return t->kind == T_WORD && word_is(t->w, kw);
}

static void unexpected(parser *p, const char *expecting) {
  if (p->err) return;
  p->err = true;
  token *t = peek(p);
  if (p->err && t->kind == T_ERROR) return;
  /* dash names a plain word "word", and quotes keywords and operators */
  char what[256];
  if (t->kind == T_EOF || t->kind == T_NEWLINE) snprintf(what, sizeof what, "%s", token_text(t));
  else if (t->kind == T_WORD && !is_keyword(t->w->raw)) snprintf(what, sizeof what, "word");
  else snprintf(what, sizeof what, "\"%s\"", token_text(t));
  int save = sh.line;
  sh.line = t->line;
  if (expecting && strcmp(expecting, "word") == 0) sh_warn("Syntax error: %s unexpected (expecting word)", what);
  else if (expecting) sh_warn("Syntax error: %s unexpected (expecting \"%s\")", what, expecting);
  else sh_warn("Syntax error: %s unexpected", what);
  sh.line = save;
}

static bool expect_kw(parser *p, const char *kw) {
  if (p->err) return false;
  if (!is_kw(p, kw)) {
    unexpected(p, kw);
    return false;
  }
  consume(p);
  return true;
}

static void skip_newlines(parser *p) {
  while (!p->err && peek(p)->kind == T_NEWLINE) consume(p);
}

static node *newnode(parser *p, int kind, int line) {
  node *n = arena_alloc(p->a, sizeof *n);
  n->kind = kind;
  n->line = line;
  return n;
}

/* Words that end a list: the caller decides what it expected. */
static bool ends_list(parser *p) {
  token *t = peek(p);
  switch (t->kind) {
  case T_EOF: case T_RPAREN: case T_DSEMI: case T_ERROR: return true;
  case T_WORD: {
    const char *r = t->w->raw;
    return !strcmp(r, "then") || !strcmp(r, "else") || !strcmp(r, "elif") || !strcmp(r, "fi") ||
           !strcmp(r, "do") || !strcmp(r, "done") || !strcmp(r, "esac") || !strcmp(r, "}");
  }
  default: return false;
  }
}

static node *parse_and_or(parser *p);
static node *parse_command(parser *p);

/* A compound list: and-or lists separated by ; & and newlines. At top level, stops at a
 * newline (not consumed). */
static node *parse_list(parser *p, bool top) {
  node *head = NULL, *tail = NULL;
  if (!top) skip_newlines(p);
  while (!p->err) {
    if (ends_list(p)) break;
    token *t = peek(p);
    if (t->kind == T_NEWLINE) {
      if (top) break;
      consume(p);
      continue;
    }
    node *n = parse_and_or(p);
    if (p->err || !n) break;
    if (tail) tail->next = n;
    else head = n;
    tail = n;
    t = peek(p);
    if (t->kind == T_AMP) {
      n->async = true;
      consume(p);
    } else if (t->kind == T_SEMI) {
      consume(p);
    } else if (t->kind == T_NEWLINE) {
      if (top) break;
      consume(p);
    } else {
      break;
    }
    if (!top) skip_newlines(p);
  }
  return head;
}

/* A list that must not be empty (after if, while, ...). */
static node *parse_body(parser *p, const char *expecting) {
  node *n = parse_list(p, false);
  if (!n && !p->err) unexpected(p, expecting);
  return n;
}

static node *parse_pipeline(parser *p) {
  int line = peek(p)->line;
  bool bang = false;
  if (is_kw(p, "!")) {
    consume(p);
    bang = true;
    if (is_kw(p, "!")) {
      unexpected(p, NULL);
      return NULL;
    }
  }
  node *first = parse_command(p);
  if (p->err) return NULL;
  node *n = first;
  if (peek(p)->kind == T_PIPE) {
    node *pipe = newnode(p, N_PIPE, first->line);
    int cap = 4;
    pipe->cmds = arena_alloc(p->a, (size_t)cap * sizeof(node *));
    pipe->cmds[pipe->ncmds++] = first;
    while (!p->err && peek(p)->kind == T_PIPE) {
      consume(p);
      skip_newlines(p);
      node *c = parse_command(p);
      if (p->err) return NULL;
      if (pipe->ncmds == cap) {
        node **v = arena_alloc(p->a, (size_t)cap * 2 * sizeof(node *));
        memcpy(v, pipe->cmds, (size_t)cap * sizeof(node *));
        pipe->cmds = v;
        cap *= 2;
      }
      pipe->cmds[pipe->ncmds++] = c;
    }
    n = pipe;
  }
  if (bang) {
    node *nn = newnode(p, N_NOT, line);
    nn->a = n;
    n = nn;
  }
  return n;
}

static node *parse_and_or(parser *p) {
  node *left = parse_pipeline(p);
  while (!p->err && left) {
    token *t = peek(p);
    if (t->kind != T_AND && t->kind != T_OR) break;
    int kind = t->kind == T_AND ? N_AND : N_OR;
    consume(p);
    skip_newlines(p);
    node *right = parse_pipeline(p);
    if (p->err) return NULL;
    node *n = newnode(p, kind, left->line);
    n->a = left;
    n->b = right;
    left = n;
  }
  return p->err ? NULL : left;
}

static bool is_redir_op(int k) {
  return k == T_LESS || k == T_GREAT || k == T_DLESS || k == T_DLESSDASH || k == T_DGREAT ||
         k == T_LESSAND || k == T_GREATAND || k == T_LESSGREAT || k == T_CLOBBER;
}

static redir *parse_redir(parser *p) {
  token *t = peek(p);
  int fd = -1;
  if (t->kind == T_IONUM) {
    fd = t->num;
    consume(p);
    t = peek(p);
  }
  redir *r = arena_alloc(p->a, sizeof *r);
  switch (t->kind) {
  case T_LESS: r->op = R_IN; break;
  case T_GREAT: r->op = R_OUT; break;
  case T_CLOBBER: r->op = R_CLOBBER; break;
  case T_DGREAT: r->op = R_APPEND; break;
  case T_LESSGREAT: r->op = R_RDWR; break;
  case T_LESSAND: r->op = R_DUPIN; break;
  case T_GREATAND: r->op = R_DUPOUT; break;
  case T_DLESS: r->op = R_HEREDOC; break;
  case T_DLESSDASH: r->op = R_HEREDOC; r->strip = true; break;
  default: unexpected(p, NULL); return NULL;
  }
  consume(p);
  bool in = r->op == R_IN || r->op == R_RDWR || r->op == R_DUPIN || r->op == R_HEREDOC;
  r->fd = fd >= 0 ? fd : in ? 0 : 1;
  t = peek(p);
  if (t->kind != T_WORD) {
    unexpected(p, NULL);
    return NULL;
  }
  r->target = t->w;
  consume(p);
  if (r->op == R_HEREDOC) lex_add_heredoc(p->lx, r);
  return r;
}

/* Redirections after a compound command. */
static bool parse_redirs_after(parser *p, node *n) {
  redir **tail = &n->redirs;
  while (*tail) tail = &(*tail)->next;
  while (!p->err) {
    token *t = peek(p);
    if (t->kind != T_IONUM && !is_redir_op(t->kind)) break;
    redir *r = parse_redir(p);
    if (!r) return false;
    *tail = r;
    tail = &r->next;
  }
  return !p->err;
}

static node *parse_if(parser *p, int line) {
  node *n = newnode(p, N_IF, line);
  n->a = parse_body(p, "then");
  if (!expect_kw(p, "then")) return NULL;
  n->b = parse_body(p, "fi");
  if (p->err) return NULL;
  if (is_kw(p, "elif")) {
    int l2 = peek(p)->line;
    consume(p);
    n->c = parse_if(p, l2);
    return n->c ? n : NULL;
  }
  if (is_kw(p, "else")) {
    consume(p);
    n->c = parse_body(p, "fi");
    if (p->err) return NULL;
  }
  if (!expect_kw(p, "fi")) return NULL;
  return n;
}

static node *parse_loop(parser *p, int kind, int line) {
  node *n = newnode(p, kind, line);
  n->a = parse_body(p, "do");
  if (!expect_kw(p, "do")) return NULL;
  n->b = parse_body(p, "done");
  if (!expect_kw(p, "done")) return NULL;
  return n;
}

static node *parse_for(parser *p, int line) {
  node *n = newnode(p, N_FOR, line);
  token *t = peek(p);
  if (t->kind != T_WORD || !valid_name(t->w->raw)) {
    if (!p->err) {
      p->err = true;
      int save = sh.line;
      sh.line = t->line;
      sh_warn("Syntax error: Bad for loop variable");
      sh.line = save;
    }
    return NULL;
  }
  n->name = t->w->raw;
  consume(p);
  skip_newlines(p);
  if (is_kw(p, "in")) {
    consume(p);
    n->has_in = true;
    word **tail = &n->args;
    for (;;) {
      t = peek(p);
      if (t->kind != T_WORD) break;
      *tail = t->w;
      tail = &t->w->next;
      consume(p);
    }
    t = peek(p);
    if (t->kind == T_SEMI || t->kind == T_NEWLINE) consume(p);
    else {
      unexpected(p, "do");
      return NULL;
    }
  } else if (peek(p)->kind == T_SEMI) {
    consume(p);
  }
  skip_newlines(p);
  if (!expect_kw(p, "do")) return NULL;
  n->a = parse_body(p, "done");
  if (!expect_kw(p, "done")) return NULL;
  return n;
}

static node *parse_case(parser *p, int line) {
  node *n = newnode(p, N_CASE, line);
  token *t = peek(p);
  if (t->kind != T_WORD) {
    unexpected(p, "word");
    return NULL;
  }
  n->subject = t->w;
  consume(p);
  skip_newlines(p);
  if (!expect_kw(p, "in")) return NULL;
  caseitem **tail = &n->items;
  for (;;) {
    skip_newlines(p);
    if (p->err) return NULL;
    if (is_kw(p, "esac")) {
      consume(p);
      return n;
    }
    caseitem *ci = arena_alloc(p->a, sizeof *ci);
    if (peek(p)->kind == T_LPAREN) consume(p);
    word **wt = &ci->patterns;
    for (;;) {
      t = peek(p);
      if (t->kind != T_WORD) {
        unexpected(p, NULL);
        return NULL;
      }
      *wt = t->w;
      wt = &t->w->next;
      consume(p);
      t = peek(p);
      if (t->kind == T_PIPE) {
        consume(p);
        continue;
      }
      if (t->kind == T_RPAREN) {
        consume(p);
        break;
      }
      unexpected(p, ")");
      return NULL;
    }
    ci->body = parse_list(p, false);
    if (p->err) return NULL;
    *tail = ci;
    tail = &ci->next;
    t = peek(p);
    if (t->kind == T_DSEMI) {
      consume(p);
      continue;
    }
    if (is_kw(p, "esac")) {
      consume(p);
      return n;
    }
    unexpected(p, "esac");
    return NULL;
  }
}

static node *parse_simple(parser *p) {
  token *t = peek(p);
  node *n = newnode(p, N_SIMPLE, t->line);
  word **at = &n->assigns, **wt = &n->args;
  redir **rt = &n->redirs;
  bool any = false;
  while (!p->err) {
    t = peek(p);
    if (t->kind == T_IONUM || is_redir_op(t->kind)) {
      redir *r = parse_redir(p);
      if (!r) return NULL;
      *rt = r;
      rt = &r->next;
      any = true;
      continue;
    }
    if (t->kind != T_WORD) break;
    word *w = t->w;
    if (!n->args && word_assign_len(w) > 0) {
      *at = w;
      at = &w->next;
      consume(p);
      any = true;
      continue;
    }
    consume(p);
    if (!any && !n->args && peek(p)->kind == T_LPAREN) {
      /* NAME ( ) linebreak function-body */
      consume(p);
      if (peek(p)->kind != T_RPAREN) {
        unexpected(p, ")");
        return NULL;
      }
      consume(p);
      if (!valid_name(w->raw) || is_keyword(w->raw)) {
        p->err = true;
        int save = sh.line;
        sh.line = n->line;
        sh_warn("Syntax error: Bad function name");
        sh.line = save;
        return NULL;
      }
      skip_newlines(p);
      node *f = newnode(p, N_FUNCDEF, n->line);
      f->name = w->raw;
      f->a = parse_command(p);
      if (p->err) return NULL;
      return f;
    }
    *wt = w;
    wt = &w->next;
    any = true;
  }
  if (p->err) return NULL;
  if (!any) {
    unexpected(p, NULL);
    return NULL;
  }
  return n;
}

static node *parse_command(parser *p) {
  if (stack_exhausted()) {
    if (!p->err) sh_warn("Syntax error: nested too deeply");
    p->err = true;
    return NULL;
  }
  token *t = peek(p);
  if (p->err) return NULL;
  int line = t->line;
  node *n = NULL;
  if (t->kind == T_LPAREN) {
    consume(p);
    n = newnode(p, N_SUBSHELL, line);
    n->a = parse_body(p, ")");
    if (p->err) return NULL;
    if (peek(p)->kind != T_RPAREN) {
      unexpected(p, ")");
      return NULL;
    }
    consume(p);
  } else if (t->kind == T_WORD && is_keyword(t->w->raw) && strcmp(t->w->raw, "in") != 0) {
    const char *kw = t->w->raw;
    if (!strcmp(kw, "if")) {
      consume(p);
      n = parse_if(p, line);
    } else if (!strcmp(kw, "while") || !strcmp(kw, "until")) {
      consume(p);
      n = parse_loop(p, kw[0] == 'w' ? N_WHILE : N_UNTIL, line);
    } else if (!strcmp(kw, "for")) {
      consume(p);
      n = parse_for(p, line);
    } else if (!strcmp(kw, "case")) {
      consume(p);
      n = parse_case(p, line);
    } else if (!strcmp(kw, "{")) {
      consume(p);
      n = newnode(p, N_GROUP, line);
      n->a = parse_body(p, "}");
      if (!expect_kw(p, "}")) return NULL;
    } else {
      unexpected(p, NULL);
      return NULL;
    }
  } else {
    return parse_simple(p);
  }
  if (!n || p->err) return NULL;
  if (!parse_redirs_after(p, n)) return NULL;
  return n;
}

/* ------------------------------------------------------------------ entry points */

node *parse_next(parser *p, unit **u, bool *eof, bool *err) {
  *eof = false;
  *err = false;
  *u = NULL;
  unit *un = xzalloc(sizeof *un);
  un->a = arena_new();
  un->refs = 1;
  p->a = un->a;
  /* the lexer allocates words in the same arena */
  lex_set_arena(p->lx, un->a);
  p->err = false;
  token *t = peek(p);
  node *n = NULL;
  if (t->kind == T_EOF) {
    *eof = true;
  } else if (t->kind == T_NEWLINE) {
    consume(p);
  } else {
    n = parse_list(p, true);
    if (!p->err) {
      t = peek(p);
      if (t->kind == T_NEWLINE) consume(p);
      else if (t->kind == T_EOF) {
        /* a command on the last line without a newline */
      } else unexpected(p, NULL);
    }
  }
  if (p->err || lex_failed(p->lx)) {
    *err = true;
    p->have = false;
    unit_unref(un);
    return NULL;
  }
  *u = un;
  return n;
}

node *parse_subst(lexer *lx, bool *err) {
  parser sub = {0};
  sub.in = lex_input(lx);
  sub.a = lex_arena(lx);
  sub.trusted = lex_trusted(lx);
  sub.lx = lex_new(sub.in, sub.a, sub.trusted);
  node *n = parse_list(&sub, false);
  if (!sub.err) {
    token *t = peek(&sub);
    if (t->kind != T_RPAREN) unexpected(&sub, ")");
  }
  *err = sub.err || lex_failed(sub.lx);
  lex_free(sub.lx);
  return n;
}
