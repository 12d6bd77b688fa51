/*
 * sysinfo: a CGI/1.1 program that runs a shell script through popen(3) and returns its
 * output as text/plain -- the shape of a PHP page calling out to a command. The script is
 * SYSINFO_SCRIPT from the environment, else /app/scripts/sysinfo.sh; a query string
 * ?section=NAME is passed to it as $1 only if NAME is [a-z]+ (nothing from the request
 * reaches the shell unchecked). A script that cannot run, or exits non-zero, is a 500 with
 * its status. In isokernel, popen is libisokernel's (a pipe and /bin/sh -c, no fork).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __wasi__
#include <isokernel.h> /* popen, pclose, WIFEXITED: libisokernel */
#else
#include <sys/wait.h>
#endif

static int safe_word(const char *s) {
  if (!*s || strlen(s) > 32) return 0;
  for (; *s; s++)
    if (*s < 'a' || *s > 'z') return 0;
  return 1;
}

int main(void) {
  const char *script = getenv("SYSINFO_SCRIPT");
  if (!script || !*script) script = "/app/scripts/sysinfo.sh";
  char section[40] = "";
  const char *q = getenv("QUERY_STRING");
  if (q && strncmp(q, "section=", 8) == 0) {
    if (!safe_word(q + 8)) {
      printf("Status: 400 Bad Request\r\nContent-Type: text/plain\r\n\r\nsection must be a lower-case word\n");
      return 0;
    }
    snprintf(section, sizeof section, " %s", q + 8);
  }
  char cmd[512];
  if (snprintf(cmd, sizeof cmd, "/bin/sh %s%s", script, section) >= (int)sizeof cmd) {
    printf("Status: 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\nscript path too long\n");
    return 0;
  }
  FILE *p = popen(cmd, "r");
  if (!p) {
    perror("sysinfo: popen");
    printf("Status: 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\ncannot run %s\n", script);
    return 0;
  }
  /* Buffer the output: the status line depends on how the script ends. */
  size_t cap = 4096, len = 0;
  char *out = malloc(cap);
  size_t n;
  while (out && (n = fread(out + len, 1, cap - len, p)) > 0) {
    len += n;
    if (len == cap && cap < (1u << 20)) {
      char *bigger = realloc(out, cap *= 2);
      if (!bigger) break;
      out = bigger;
    } else if (len == cap) {
      break;
    }
  }
  int st = pclose(p);
  if (!out) {
    printf("Status: 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\nout of memory\n");
    return 0;
  }
  if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    char why[48];
    if (st == -1) snprintf(why, sizeof why, "could not be waited for");
    else if (WIFEXITED(st)) snprintf(why, sizeof why, "exit %d", WEXITSTATUS(st));
    else snprintf(why, sizeof why, "killed by signal %d", WTERMSIG(st));
    fprintf(stderr, "sysinfo: %s: %s\n", cmd, why);
    printf("Status: 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\n%s failed (%s)\n", script, why);
    return 0;
  }
  printf("Content-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n\r\n", len);
  fwrite(out, 1, len, stdout);
  free(out);
  return 0;
}
