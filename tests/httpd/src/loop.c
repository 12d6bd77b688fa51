/* A CGI that never answers: it spins. httpd must kill it at --cgi-timeout (504). */
int main(void) {
  volatile unsigned long n = 0;
  for (;;) n++;
}
