/*
 * The lexer: operators, newlines, IO numbers and words (XCU 2.3, Token Recognition).
 *
 * A word is kept twice: its raw text (to write it back out for a child shell, unparse.c)
 * and a list of parts for expansion: literals (quoted or not), parameter expansions (with
 * their operator and the word after it, itself parts), command substitutions (the text;
 * $(...) is also parsed now, which is how its end is found) and arithmetic (the expression,
 * parts). Quoting is recorded per part: `quoted` means inside "..." or '...' or escaped.
 * An empty quoted string is a zero-length quoted literal, so "" still makes a field.
 *
 * Here-documents are read when the newline after their operator is consumed; an unquoted
 * delimiter makes the body into parts as well (backslash escapes only $ ` \ and newline).
 */
#include "sh.h"

#define MAX_HEREDOCS 64

struct lexer {
  input *in;
  arena *a;
  bool trusted;
  bool err;
  redir *heredocs[MAX_HEREDOCS];
  int nheredocs;
};

/* Contexts a sequence of parts is read in. */
enum {
  C_WORD,      /* an ordinary word: ends at a metacharacter */
  C_DQ,        /* inside "...": ends at " */
  C_PARAM,     /* the word of ${x-word}: ends at } */
  C_HEREDOC,   /* a here-document body: ends at end of input */
  C_ARITH,     /* $((...)): ends at )) */
};

static void syntax(lexer *lx, const char *msg) {
  if (!lx->err) {
    int save = sh.line;
    sh.line = in_line(lx->in);
    sh_warn("Syntax error: %s", msg);
    sh.line = save;
  }
  lx->err = true;
}

lexer *lex_new(input *in, arena *a, bool trusted) {
  lexer *lx = xzalloc(sizeof *lx);
  lx->in = in;
  lx->a = a;
  lx->trusted = trusted;
  return lx;
}

void lex_free(lexer *lx) { free(lx); }
bool lex_failed(lexer *lx) { return lx->err; }
void lex_set_arena(lexer *lx, arena *a) {
  lx->a = a;
  lx->err = false;
}
input *lex_input(lexer *lx) { return lx->in; }
arena *lex_arena(lexer *lx) { return lx->a; }
bool lex_trusted(lexer *lx) { return lx->trusted; }

void lex_add_heredoc(lexer *lx, redir *r) {
  if (lx->nheredocs < MAX_HEREDOCS) lx->heredocs[lx->nheredocs++] = r;
}

/* ------------------------------------------------------------------ part building */

typedef struct {
  lexer *lx;
  wpart *head, *tail;
  sbuf lit;
  bool litq;  /* quotedness of lit */
  bool have;  /* lit holds something (maybe empty but quoted: '' ) */
} builder;

static wpart *newpart(lexer *lx, int kind, bool quoted) {
  wpart *p = arena_alloc(lx->a, sizeof *p);
  p->kind = (unsigned char)kind;
  p->quoted = quoted;
  p->line = in_line(lx->in);
  return p;
}

static void b_append(builder *b, wpart *p) {
  if (b->tail) b->tail->next = p;
  else b->head = p;
  b->tail = p;
}

static void b_flush(builder *b) {
  if (!b->have) return;
  wpart *p = newpart(b->lx, WP_LIT, b->litq);
  p->text = arena_strndup(b->lx->a, b->lit.s ? b->lit.s : "", b->lit.n);
  p->len = b->lit.n;
  b_append(b, p);
  b->lit.n = 0;
  b->have = false;
}

static void b_lit(builder *b, const char *s, size_t n, bool quoted) {
  if (b->have && b->litq != quoted) b_flush(b);
  sb_addn(&b->lit, s, n);
  b->litq = quoted;
  b->have = true;
}

static void b_char(builder *b, char c, bool quoted) { b_lit(b, &c, 1, quoted); }

/* A quoted empty literal: marks that a quoted (possibly empty) string was here. */
static void b_empty_quoted(builder *b) { b_lit(b, "", 0, true); }

static wpart *b_done(builder *b) {
  b_flush(b);
  sb_free(&b->lit);
  return b->head;
}

/* ------------------------------------------------------------------- characters */

static int getc_(lexer *lx) { return in_getc(lx->in); }
static void ungetc_(lexer *lx, int c) { in_ungetc(lx->in, c); }

/* Reads the next character, dropping backslash-newline pairs (line continuations). */
static int getc_cont(lexer *lx) {
  for (;;) {
    int c = getc_(lx);
    if (c != '\\') return c;
    int d = getc_(lx);
    if (d == '\n') continue;
    ungetc_(lx, d);
    return c;
  }
}

static bool is_name_start(int c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_name_char(int c) { return is_name_start(c) || (c >= '0' && c <= '9'); }
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_special_param(int c) { return c && strchr("@*#?-$!0", c) != NULL; }
static bool is_meta(int c) { return c == ' ' || c == '\t' || c == '\n' || (c && strchr(";&|<>()", c)); }

static bool read_parts(lexer *lx, builder *b, int ctx, bool quoted, bool pattern_word);

/* `...`: the text between the backquotes, with \$ \` \\ (and \" in double quotes)
 * unescaped. */
static void read_backquote(lexer *lx, builder *b, bool quoted) {
  sbuf t = {0};
  int line = in_line(lx->in);
  for (;;) {
    int c = getc_(lx);
    if (c < 0) {
      syntax(lx, "EOF in backquote substitution");
      break;
    }
    if (c == '`') break;
    if (c == '\\') {
      int d = getc_(lx);
      if (d == '$' || d == '`' || d == '\\' || (quoted && d == '"')) c = d;
      else if (d == '\n') continue;
      else ungetc_(lx, d);
    }
    sb_addc(&t, (char)c);
  }
  b_flush(b);
  wpart *p = newpart(lx, WP_CMDSUB, quoted);
  p->backq = true;
  p->line = line;
  p->text = arena_strndup(lx->a, t.s ? t.s : "", t.n);
  sb_free(&t);
  b_append(b, p);
}

/* $(...): parsed now, to find its end; the text between is kept. */
static void read_cmdsubst(lexer *lx, builder *b, bool quoted) {
  int line = in_line(lx->in);
  size_t start = in_rec_start(lx->in);
  bool err = false;
  node *tree = parse_subst(lx, &err);
  char *text = in_rec_text(lx->in, start, 1, lx->a);
  in_rec_stop(lx->in, start);
  if (err) lx->err = true;
  b_flush(b);
  wpart *p = newpart(lx, WP_CMDSUB, quoted);
  p->text = text;
  p->tree = tree;
  p->line = line;
  b_append(b, p);
}

/* $((...)) after the two parentheses. */
static void read_arith(lexer *lx, builder *b, bool quoted) {
  builder inner = {.lx = lx};
  if (!read_parts(lx, &inner, C_ARITH, true, false)) lx->err = true;
  b_flush(b);
  wpart *p = newpart(lx, WP_ARITH, quoted);
  p->arg = b_done(&inner);
  b_append(b, p);
}

/* Skips to the } closing a bad ${...}. */
static void skip_brace(lexer *lx) {
  int depth = 1;
  for (;;) {
    int c = getc_(lx);
    if (c < 0 || c == '\n') {
      if (c == '\n') ungetc_(lx, c);
      return;
    }
    if (c == '{') depth++;
    if (c == '}' && --depth == 0) return;
  }
}

/* ${...} after the brace. */
static void read_braced(lexer *lx, builder *b, bool quoted) {
  sbuf name = {0};
  wpart *p = newpart(lx, WP_PARAM, quoted);
  int c = getc_cont(lx);
  bool bad = false;
  if (c == '#') {
    int d = getc_cont(lx);
    if (d == '}') {
      ungetc_(lx, d);
      sb_addc(&name, '#');
    } else if (is_name_start(d) || is_digit(d) || is_special_param(d)) {
      /* ${#name}, ${#1}, ${#@}; but ${#-x} style (the # parameter with an operator)
       * when something other than } follows a special character. */
      if (is_name_start(d)) {
        while (is_name_char(d)) sb_addc(&name, (char)d), d = getc_cont(lx);
      } else if (is_digit(d)) {
        while (is_digit(d)) sb_addc(&name, (char)d), d = getc_cont(lx);
      } else {
        sb_addc(&name, (char)d);
        d = getc_cont(lx);
      }
      if (d == '}') {
        p->op = PO_LENGTH;
        ungetc_(lx, d);
      } else if (name.n == 1 && strchr("-=?+", name.s[0]) && d != '}') {
        /* ${#-word} etc.: the parameter # with an operator. */
        ungetc_(lx, d);
        ungetc_(lx, name.s[0]);
        name.n = 0;
        sb_addc(&name, '#');
      } else {
        bad = true;
        ungetc_(lx, d);
      }
    } else {
      ungetc_(lx, d);
      sb_addc(&name, '#');
    }
  } else if (is_name_start(c)) {
    while (is_name_char(c)) sb_addc(&name, (char)c), c = getc_cont(lx);
    ungetc_(lx, c);
  } else if (is_digit(c)) {
    while (is_digit(c)) sb_addc(&name, (char)c), c = getc_cont(lx);
    ungetc_(lx, c);
  } else if (is_special_param(c)) {
    sb_addc(&name, (char)c);
  } else {
    if (c == '}' || c < 0) ungetc_(lx, c);
    bad = true;
  }
  p->text = arena_strndup(lx->a, name.s ? name.s : "", name.n);
  sb_free(&name);
  if (!bad && p->op != PO_LENGTH) {
    c = getc_cont(lx);
    if (c == ':') {
      p->colon = true;
      c = getc_cont(lx);
      if (c == '-') p->op = PO_DEFAULT;
      else if (c == '=') p->op = PO_ASSIGN;
      else if (c == '?') p->op = PO_ERROR;
      else if (c == '+') p->op = PO_ALT;
      else bad = true;
    } else if (c == '-') p->op = PO_DEFAULT;
    else if (c == '=') p->op = PO_ASSIGN;
    else if (c == '?') p->op = PO_ERROR;
    else if (c == '+') p->op = PO_ALT;
    else if (c == '#' || c == '%') {
      int d = getc_cont(lx);
      if (d == c) p->op = c == '#' ? PO_RM_LPREFIX : PO_RM_LSUFFIX;
      else {
        ungetc_(lx, d);
        p->op = c == '#' ? PO_RM_SPREFIX : PO_RM_SSUFFIX;
      }
    } else if (c == '}') {
      ungetc_(lx, c);
    } else {
      if (c < 0) ungetc_(lx, c);
      else bad = true;
    }
    if (!bad && p->op != PO_NONE) {
      builder inner = {.lx = lx};
      /* A pattern's quoting does not depend on the double quotes around ${...}. */
      bool pattern = p->op >= PO_RM_SPREFIX;
      if (!read_parts(lx, &inner, C_PARAM, pattern ? false : quoted, pattern)) lx->err = true;
      p->arg = b_done(&inner);
      if (!p->arg) {
        /* An empty word still counts as quoted-empty inside quotes. */
        p->arg = NULL;
      }
    }
  }
  if (bad) {
    /* dash reports a bad substitution when it is expanded. */
    skip_brace(lx);
    p->op = 0xff;
  } else {
    c = getc_cont(lx);
    if (c != '}') {
      syntax(lx, "Missing '}'");
      if (c >= 0) ungetc_(lx, c);
    }
  }
  b_flush(b);
  b_append(b, p);
}

/* After a $: what follows decides. */
static void read_dollar(lexer *lx, builder *b, bool quoted) {
  int c = getc_cont(lx);
  if (c == '{') {
    read_braced(lx, b, quoted);
  } else if (c == '(') {
    int d = getc_cont(lx);
    if (d == '(') read_arith(lx, b, quoted);
    else {
      ungetc_(lx, d);
      read_cmdsubst(lx, b, quoted);
    }
  } else if (is_name_start(c) || is_digit(c) || is_special_param(c)) {
    sbuf name = {0};
    if (is_name_start(c)) {
      while (is_name_char(c)) sb_addc(&name, (char)c), c = getc_cont(lx);
      ungetc_(lx, c);
    } else {
      sb_addc(&name, (char)c);
    }
    b_flush(b);
    wpart *p = newpart(lx, WP_PARAM, quoted);
    p->text = arena_strndup(lx->a, name.s, name.n);
    sb_free(&name);
    b_append(b, p);
  } else {
    ungetc_(lx, c);
    b_char(b, '$', quoted);
  }
}

/* Reads parts until the end of the context. Returns false on a syntax error. */
static bool read_parts(lexer *lx, builder *b, int ctx, bool quoted, bool pattern_word) {
  int depth = 0; /* parentheses in $((...)) */
  for (;;) {
    int c = getc_(lx);
    if (lx->err) return false;
    switch (ctx) {
    case C_WORD:
      if (c < 0 || is_meta(c)) {
        ungetc_(lx, c);
        return true;
      }
      break;
    case C_DQ:
      if (c < 0) {
        syntax(lx, "Unterminated quoted string");
        return false;
      }
      if (c == '"') return true;
      break;
    case C_PARAM:
      if (c < 0) {
        syntax(lx, "Missing '}'");
        return false;
      }
      if (c == '}') {
        ungetc_(lx, c);
        return true;
      }
      break;
    case C_HEREDOC:
      if (c < 0) return true;
      break;
    case C_ARITH:
      if (c < 0) {
        syntax(lx, "Missing '))'");
        return false;
      }
      if (c == '(') depth++;
      else if (c == ')') {
        if (depth > 0) depth--;
        else {
          int d = getc_(lx);
          if (d == ')') return true;
          ungetc_(lx, d);
          syntax(lx, "Missing '))'");
          return false;
        }
      }
      break;
    }
    /* Single quotes quote in words and in the word of an unquoted ${...}, and in the
     * pattern of ${x#pattern} even inside double quotes. */
    bool sq_active = ctx == C_WORD || (ctx == C_PARAM && (!quoted || pattern_word));
    bool dq_active = ctx == C_WORD || ctx == C_PARAM;
    if (c == '\\') {
      int d = getc_(lx);
      if (d == '\n') continue; /* line continuation */
      if (d < 0) {
        b_char(b, '\\', quoted);
        continue;
      }
      bool esc;
      if (ctx == C_WORD || (ctx == C_PARAM && (!quoted || pattern_word))) esc = true;
      else if (ctx == C_HEREDOC) esc = d == '$' || d == '`' || d == '\\';
      else esc = d == '$' || d == '`' || d == '\\' || d == '"' || (ctx == C_PARAM && d == '}');
      if (esc) b_char(b, (char)d, true);
      else {
        b_char(b, '\\', quoted);
        b_char(b, (char)d, quoted);
      }
      continue;
    }
    if (c == '\'' && sq_active) {
      b_flush(b);
      bool any = false;
      for (;;) {
        int d = getc_(lx);
        if (d < 0) {
          syntax(lx, "Unterminated quoted string");
          return false;
        }
        if (d == '\'') break;
        b_char(b, (char)d, true);
        any = true;
      }
      if (!any) b_empty_quoted(b);
      continue;
    }
    if (c == '"' && dq_active) {
      b_flush(b);
      wpart *before = b->tail;
      if (!read_parts(lx, b, C_DQ, true, false)) return false;
      if (b->tail == before && !b->have) b_empty_quoted(b); /* "" */
      continue;
    }
    if (c == '$') {
      read_dollar(lx, b, quoted);
      continue;
    }
    if (c == '`') {
      read_backquote(lx, b, quoted);
      continue;
    }
    b_char(b, (char)c, quoted);
  }
}

/* --------------------------------------------------------------------- tokens */

static void read_heredocs(lexer *lx);

static bool digits_only(const char *s) {
  if (!*s) return false;
  for (; *s; s++)
    if (!is_digit(*s)) return false;
  return true;
}

token lex_next(lexer *lx) {
  token t = {0};
  int c;
  for (;;) {
    c = getc_cont(lx);
    if (c == ' ' || c == '\t') continue;
    if (c == '#') {
      sbuf com = {0};
      while ((c = getc_(lx)) >= 0 && c != '\n') sb_addc(&com, (char)c);
      ungetc_(lx, c);
      if (lx->trusted && com.n > 6 && strncmp(com.s, "@line ", 6) == 0 && c == '\n') {
        /* The newline that ends this comment brings the count to n. */
        in_set_line(lx->in, atoi(com.s + 6) - 1);
      }
      sb_free(&com);
      continue;
    }
    break;
  }
  t.line = in_line(lx->in);
  switch (c) {
  case -1: t.kind = T_EOF; return t;
  case '\n':
    t.kind = T_NEWLINE;
    t.line--;
    read_heredocs(lx);
    return t;
  case '&':
    if ((c = getc_cont(lx)) == '&') t.kind = T_AND;
    else ungetc_(lx, c), t.kind = T_AMP;
    return t;
  case '|':
    if ((c = getc_cont(lx)) == '|') t.kind = T_OR;
    else ungetc_(lx, c), t.kind = T_PIPE;
    return t;
  case ';':
    if ((c = getc_cont(lx)) == ';') t.kind = T_DSEMI;
    else ungetc_(lx, c), t.kind = T_SEMI;
    return t;
  case '(': t.kind = T_LPAREN; return t;
  case ')': t.kind = T_RPAREN; return t;
  case '<':
    c = getc_cont(lx);
    if (c == '<') {
      int d = getc_cont(lx);
      if (d == '-') t.kind = T_DLESSDASH;
      else ungetc_(lx, d), t.kind = T_DLESS;
    } else if (c == '&') t.kind = T_LESSAND;
    else if (c == '>') t.kind = T_LESSGREAT;
    else ungetc_(lx, c), t.kind = T_LESS;
    return t;
  case '>':
    c = getc_cont(lx);
    if (c == '>') t.kind = T_DGREAT;
    else if (c == '&') t.kind = T_GREATAND;
    else if (c == '|') t.kind = T_CLOBBER;
    else ungetc_(lx, c), t.kind = T_GREAT;
    return t;
  }
  ungetc_(lx, c);
  size_t start = in_rec_start(lx->in);
  builder b = {.lx = lx};
  bool ok = read_parts(lx, &b, C_WORD, false, false);
  wpart *parts = b_done(&b);
  char *raw = in_rec_text(lx->in, start, 0, lx->a);
  in_rec_stop(lx->in, start);
  if (!ok || lx->err) {
    t.kind = T_ERROR;
    return t;
  }
  c = in_peek(lx->in);
  if ((c == '<' || c == '>') && digits_only(raw) && strlen(raw) < 5) {
    t.kind = T_IONUM;
    t.num = atoi(raw);
    return t;
  }
  word *w = arena_alloc(lx->a, sizeof *w);
  w->raw = raw;
  w->parts = parts;
  w->line = t.line;
  t.kind = T_WORD;
  t.w = w;
  return t;
}

const char *token_text(const token *t) {
  switch (t->kind) {
  case T_EOF: return "end of file";
  case T_NEWLINE: return "newline";
  case T_WORD: return t->w->raw;
  case T_SEMI: return ";";
  case T_AMP: return "&";
  case T_PIPE: return "|";
  case T_AND: return "&&";
  case T_OR: return "||";
  case T_DSEMI: return ";;";
  case T_LPAREN: return "(";
  case T_RPAREN: return ")";
  case T_LESS: return "<";
  case T_GREAT: return ">";
  case T_DLESS: return "<<";
  case T_DLESSDASH: return "<<-";
  case T_DGREAT: return ">>";
  case T_LESSAND: return "<&";
  case T_GREATAND: return ">&";
  case T_LESSGREAT: return "<>";
  case T_CLOBBER: return ">|";
  default: return "?";
  }
}

/* -------------------------------------------------------------- here-documents */

/* Quote removal of a delimiter word; *quoted if it had any quoting. */
static char *delim_text(lexer *lx, const char *raw, bool *quoted) {
  sbuf b = {0};
  *quoted = false;
  for (const char *s = raw; *s; s++) {
    if (*s == '\\' && s[1]) {
      *quoted = true;
      sb_addc(&b, *++s);
    } else if (*s == '\'') {
      *quoted = true;
      for (s++; *s && *s != '\''; s++) sb_addc(&b, *s);
      if (!*s) break;
    } else if (*s == '"') {
      *quoted = true;
      for (s++; *s && *s != '"'; s++) {
        if (*s == '\\' && s[1] && strchr("$`\"\\", s[1])) s++;
        sb_addc(&b, *s);
      }
      if (!*s) break;
    } else sb_addc(&b, *s);
  }
  char *r = arena_strndup(lx->a, b.s ? b.s : "", b.n);
  sb_free(&b);
  return r;
}

static void read_heredoc(lexer *lx, redir *r) {
  r->delim = delim_text(lx, r->target->raw, &r->quoted);
  sbuf body = {0}, line = {0};
  int first_line = in_line(lx->in);
  for (;;) {
    line.n = 0;
    int c;
    bool any = false;
    while ((c = getc_(lx)) >= 0 && c != '\n') {
      any = true;
      if (c == '\\' && !r->quoted) {
        int d = getc_(lx);
        if (d == '\n') continue;
        sb_addc(&line, '\\');
        if (d < 0) break;
        c = d;
      }
      sb_addc(&line, (char)c);
    }
    const char *l = line.s ? line.s : "";
    size_t n = line.n;
    if (r->strip)
      while (n > 0 && *l == '\t') l++, n--;
    if (n == strlen(r->delim) && memcmp(l, r->delim, n) == 0 && (c == '\n' || c < 0)) break;
    sb_addn(&body, l, n);
    if (c == '\n') sb_addc(&body, '\n');
    if (c < 0) {
      (void)any;
      break;
    }
  }
  r->body = arena_strndup(lx->a, body.s ? body.s : "", body.n);
  sb_free(&body);
  sb_free(&line);
  if (!r->quoted) {
    bool err = false;
    r->bodyparts = lex_heredoc_parts(r->body, first_line, lx->a, &err);
    if (err) lx->err = true;
  }
}

static void read_heredocs(lexer *lx) {
  for (int i = 0; i < lx->nheredocs; i++) read_heredoc(lx, lx->heredocs[i]);
  lx->nheredocs = 0;
}

wpart *lex_heredoc_parts(const char *body, int line, arena *a, bool *err) {
  input *in = in_string(body, strlen(body), line);
  lexer *lx = lex_new(in, a, false);
  builder b = {.lx = lx};
  read_parts(lx, &b, C_HEREDOC, true, false);
  wpart *p = b_done(&b);
  *err = lx->err;
  lex_free(lx);
  in_free(in);
  return p;
}

/* ------------------------------------------------------------------- word tests */

bool word_is(const word *w, const char *s) { return w && strcmp(w->raw, s) == 0; }

size_t word_assign_len(const word *w) {
  const wpart *p = w->parts;
  if (!p || p->kind != WP_LIT || p->quoted) return 0;
  const char *eq = memchr(p->text, '=', p->len);
  if (!eq || eq == p->text) return 0;
  size_t n = (size_t)(eq - p->text);
  return valid_name_n(p->text, n) ? n : 0;
}
