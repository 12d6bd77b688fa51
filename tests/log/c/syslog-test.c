/*
 * syslog(3) in a guest: prints its pid and the pid of a child it starts with a log stream
 * (isk_log_open) as stdout, then exits 0. The test reads the records from the kernel's queue.
 *   openlog/syslog with a tag, facility and %m; setlogmask filtering; LOG_PERROR; a
 *   message with lines; the default tag (the program's name) after closelog; bad arguments.
 */
#include <isokernel.h>
#include <syslog.h>

int main(void) {
  openlog("ctest", LOG_PERROR, LOG_LOCAL1);
  errno = ENOENT;
  syslog(LOG_ERR, "open failed: %m (100%%)");
  syslog(LOG_DAEMON | LOG_INFO, "two\nlines");
  setlogmask(LOG_UPTO(LOG_NOTICE));
  syslog(LOG_DEBUG, "filtered out");
  syslog(LOG_NOTICE, "kept");
  setlogmask(0xff);
  closelog();
  syslog(LOG_WARNING, "default tag %d", 42);
  char big[3001];
  memset(big, 'b', 3000);
  big[3000] = '\0';
  syslog(LOG_INFO, "%s!", big); /* past the 1 KiB stack buffer */

  if (isk_log_open("bad tag", LOG_USER, LOG_INFO) != -1 || errno != EINVAL) return 10;
  if (isk_log_open("ok", 5, LOG_INFO) != -1 || errno != EINVAL) return 11;
  int fd = isk_log_open("child", LOG_DAEMON, LOG_WARNING);
  if (fd < 0) return 12;
  pid_t pid;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fd, 1);
  char *argv[] = {"echo", "from echo", NULL};
  char *envp[] = {NULL};
  if (posix_spawn(&pid, "/bin/echo", &fa, NULL, argv, envp) != 0) return 13;
  int st;
  if (waitpid(pid, &st, 0) != pid || st != 0) return 14;
  close(fd);
  printf("%d %d\n", getpid(), pid);
  return 0;
}
