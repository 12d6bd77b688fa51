/*
 * form: a CGI/1.1 program (RFC 3875) that handles an HTML form.
 *   GET  -> the form (text/html)
 *   POST -> reads CONTENT_LENGTH bytes of application/x-www-form-urlencoded from stdin,
 *           decodes the fields (+ is a space, %XX a byte) and shows them back, escaped.
 * Errors are CGI answers: 405 for other methods, 411 without a length, 413 above 64 KiB,
 * 415 for another content type, 400 for a short body or a bad escape.
 * Builds for wasm32-wasi (clang-14) and natively (gcc): build.sh does both.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BODY 65536
#define MAX_FIELDS 64

static void fail(int status, const char *reason, const char *detail) {
  printf("Status: %d %s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\n", status, reason, detail);
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = tolower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* Decodes s in place (application/x-www-form-urlencoded); -1 on a bad %-escape. */
static int urldecode(char *s) {
  char *o = s;
  for (char *p = s; *p; p++) {
    if (*p == '+') {
      *o++ = ' ';
    } else if (*p == '%') {
      int h = hexval((unsigned char)p[1]), l = h < 0 ? -1 : hexval((unsigned char)p[2]);
      if (h < 0 || l < 0) return -1;
      *o++ = (char)(h * 16 + l);
      p += 2;
    } else {
      *o++ = *p;
    }
  }
  *o = '\0';
  return (int)(o - s);
}

static void html(const char *s, int n) {
  for (int i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
      case '<': fputs("&lt;", stdout); break;
      case '>': fputs("&gt;", stdout); break;
      case '&': fputs("&amp;", stdout); break;
      case '"': fputs("&quot;", stdout); break;
      case '\'': fputs("&#39;", stdout); break;
      case '\0': fputs("\\0", stdout); break;
      default: putchar(c);
    }
  }
}

static void form_page(void) {
  const char *script = getenv("SCRIPT_NAME");
  fputs("Content-Type: text/html; charset=utf-8\r\n\r\n"
        "<!DOCTYPE html>\n<html><head><title>Form</title></head><body>\n<h1>A form handled by C</h1>\n<form method=\"post\" action=\"", stdout);
  html(script ? script : "", script ? (int)strlen(script) : 0);
  fputs("\">\n<p><label>Name <input name=\"name\"></label></p>\n<p><label>Message <textarea name=\"message\"></textarea></label></p>\n"
        "<p><button>Send</button></p>\n</form>\n</body></html>\n", stdout);
}

int main(void) {
  const char *method = getenv("REQUEST_METHOD");
  if (!method) {
    fprintf(stderr, "form: not run as a CGI program (no REQUEST_METHOD)\n");
    return 2;
  }
  if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) {
    form_page();
    return 0;
  }
  if (strcmp(method, "POST") != 0) {
    printf("Status: 405 Method Not Allowed\r\nAllow: GET, HEAD, POST\r\nContent-Type: text/plain\r\n\r\nGET or POST\n");
    return 0;
  }
  const char *type = getenv("CONTENT_TYPE");
  if (!type || strncmp(type, "application/x-www-form-urlencoded", 33) != 0 || (type[33] != '\0' && type[33] != ';')) {
    fail(415, "Unsupported Media Type", "expected application/x-www-form-urlencoded");
    return 0;
  }
  const char *cl = getenv("CONTENT_LENGTH");
  char *end;
  long len = cl && *cl ? strtol(cl, &end, 10) : -1;
  if (!cl || !*cl || *end || len < 0) {
    fail(411, "Length Required", "no CONTENT_LENGTH");
    return 0;
  }
  if (len > MAX_BODY) {
    fail(413, "Content Too Large", "the form is limited to 64 KiB");
    return 0;
  }
  char *body = malloc((size_t)len + 1);
  if (!body) {
    fail(500, "Internal Server Error", "out of memory");
    return 0;
  }
  size_t got = 0;
  while (got < (size_t)len) {
    size_t n = fread(body + got, 1, (size_t)len - got, stdin);
    if (n == 0) break;
    got += n;
  }
  body[got] = '\0';
  if (got != (size_t)len) {
    fail(400, "Bad Request", "the body is shorter than CONTENT_LENGTH");
    return 0;
  }
  char *names[MAX_FIELDS], *values[MAX_FIELDS];
  int nlen[MAX_FIELDS], vlen[MAX_FIELDS], n = 0;
  char *save = NULL;
  for (char *pair = strtok_r(body, "&", &save); pair && n < MAX_FIELDS; pair = strtok_r(NULL, "&", &save)) {
    char *eq = strchr(pair, '=');
    char *value = eq ? eq + 1 : pair + strlen(pair);
    if (eq) *eq = '\0';
    nlen[n] = urldecode(pair);
    vlen[n] = urldecode(value);
    if (nlen[n] < 0 || vlen[n] < 0) {
      fail(400, "Bad Request", "bad %-escape in the form");
      return 0;
    }
    names[n] = pair;
    values[n] = value;
    n++;
  }
  fputs("Content-Type: text/html; charset=utf-8\r\n\r\n<!DOCTYPE html>\n<html><head><title>Received</title></head><body>\n<h1>Received</h1>\n<dl>\n", stdout);
  for (int i = 0; i < n; i++) {
    fputs("<dt>", stdout);
    html(names[i], nlen[i]);
    fputs("</dt><dd>", stdout);
    html(values[i], vlen[i]);
    fputs("</dd>\n", stdout);
  }
  printf("</dl>\n<p>%d field%s, %ld bytes</p>\n</body></html>\n", n, n == 1 ? "" : "s", len);
  free(body);
  return 0;
}
