/*
 * isokernel.h: processes, signals and pipes for C programs running on isokernel.
 *
 * Built for wasm32-wasi (clang-14 --target=wasm32-wasi --sysroot=/usr), this header declares
 * what wasi-libc leaves out -- <spawn.h>, <sys/wait.h>, sigaction and the signal sets, pipe,
 * dup, process groups, alarm/setitimer, umask, popen, system -- and lib/libisokernel.a
 * implements them with the `isokernel` import module (docs/abi.md, "The `isokernel`
 * module"). Link with `-L lib -lisokernel`; libwasi-emulated-signal.a is neither needed nor
 * compatible (both define signal() and raise()).
 *
 * Compiled natively (no __wasi__), it only includes the host's POSIX headers, so the same
 * source builds with gcc on Linux.
 *
 * Include it before any other header where possible:
 *  - it defines _WASI_EMULATED_SIGNAL and _WASI_EMULATED_GETPID before <signal.h> and
 *    <unistd.h>, so <signal.h> does not refuse to compile and getpid() is not deprecated
 *    (included after <unistd.h>, it makes getpid a macro for __isk_getpid instead);
 *  - wasi-libc's sigset_t is a placeholder (`unsigned char`). This header defines the real
 *    one (`__isk_sigset_t`, 32 bits: bit n-1 for signal n, as the kernel has it) and makes
 *    `sigset_t` a macro for it. Included first, it also claims wasi-libc's typedef guard,
 *    so pselect()/ppoll() are declared with the real type; included after <sys/select.h>,
 *    <sys/time.h> or <poll.h>, code that follows still sees the real type (those two
 *    prototypes keep the placeholder).
 *
 * Including this header links the cwd object of the library (see lib/README.md): every
 * program starts in the kernel's cwd for it, and relative paths resolve from there.
 */
#ifndef ISOKERNEL_H
#define ISOKERNEL_H

#ifndef __wasi__
/* ---------------------------------------------------------------- native: the host's own. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#else /* __wasi__ */
/* ---------------------------------------------------------------- wasm32-wasi: isokernel. */
#ifndef _WASI_EMULATED_SIGNAL
#define _WASI_EMULATED_SIGNAL 1
#endif
#if defined(_UNISTD_H) && !defined(_WASI_EMULATED_GETPID)
/* <unistd.h> came first and declared getpid() deprecated: calls go to another name. */
#define __ISK_RENAME_GETPID 1
#endif
#ifndef _WASI_EMULATED_GETPID
#define _WASI_EMULATED_GETPID 1
#endif

/* The real signal set; see the comment at the top. */
typedef struct __isk_sigset {
  unsigned int __bits;
} __isk_sigset_t;
#ifndef __wasilibc___typedef_sigset_t_h
#define __wasilibc___typedef_sigset_t_h
#endif
#undef sigset_t
#define sigset_t __isk_sigset_t

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

extern char **environ;

/* ------------------------------------------------------------------------------ signals */

/* The numbers (SIGHUP ... SIGSYS, Linux's) come from wasi-libc's <bits/signal.h>;
 * SIG_DFL, SIG_IGN, SIG_ERR, signal(), raise(), psignal() from its <signal.h>. */
#define __ISK_NSIG 32 /* signals are 1..31 */

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO 0x00000004
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000
#define SA_NOMASK SA_NODEFER
#define SA_ONESHOT SA_RESETHAND

#define SI_USER 0
#define SI_KERNEL 128

#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_TRAPPED 4
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

union sigval {
  int sival_int;
  void *sival_ptr;
};

/* Minimal: handlers installed with SA_SIGINFO get si_signo and si_code (SI_USER); the
 * kernel does not say who sent the signal, so si_pid and si_uid are 0. */
typedef struct {
  int si_signo;
  int si_errno;
  int si_code;
  pid_t si_pid;
  uid_t si_uid;
  int si_status;
  void *si_addr;
  union sigval si_value;
} siginfo_t;

struct sigaction {
  union {
    void (*sa_handler)(int);
    void (*sa_sigaction)(int, siginfo_t *, void *);
  } __sa_handler;
  sigset_t sa_mask;
  int sa_flags;
};
#define sa_handler __sa_handler.sa_handler
#define sa_sigaction __sa_handler.sa_sigaction

typedef void (*sighandler_t)(int);

int kill(pid_t pid, int sig);
int killpg(pid_t pgrp, int sig);
int sigaction(int sig, const struct sigaction *__restrict act, struct sigaction *__restrict oldact);
int sigprocmask(int how, const sigset_t *__restrict set, sigset_t *__restrict oldset);
int sigpending(sigset_t *set);
int sigsuspend(const sigset_t *mask);
int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);
int pause(void);
char *strsignal(int sig);

/* ------------------------------------------------------------------------- <sys/wait.h> */

#define WNOHANG 1
#define WUNTRACED 2
#define WSTOPPED WUNTRACED
#define WCONTINUED 8

/* Linux's encoding: exited code << 8; killed sig | 0x80 with a core; stopped sig << 8 | 0x7f;
 * continued 0xffff. */
#define WEXITSTATUS(s) (((s) & 0xff00) >> 8)
#define WTERMSIG(s) ((s) & 0x7f)
#define WSTOPSIG(s) WEXITSTATUS(s)
#define WCOREDUMP(s) ((s) & 0x80)
#define WIFEXITED(s) (WTERMSIG(s) == 0)
#define WIFSTOPPED(s) (((s) & 0xff) == 0x7f)
#define WIFSIGNALED(s) (WTERMSIG(s) != 0 && WTERMSIG(s) != 0x7f)
#define WIFCONTINUED(s) (((s) & 0xffff) == 0xffff)

pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait(int *status);

/* ---------------------------------------------------------------------------- <spawn.h> */

/* Linux's values. */
#define POSIX_SPAWN_RESETIDS 0x01
#define POSIX_SPAWN_SETPGROUP 0x02
#define POSIX_SPAWN_SETSIGDEF 0x04
#define POSIX_SPAWN_SETSIGMASK 0x08
#define POSIX_SPAWN_SETSCHEDPARAM 0x10
#define POSIX_SPAWN_SETSCHEDULER 0x20
#define POSIX_SPAWN_USEVFORK 0x40
#define POSIX_SPAWN_SETSID 0x80

typedef struct {
  short __flags;
  pid_t __pgrp;
  sigset_t __sigdefault;
  sigset_t __sigmask;
} posix_spawnattr_t;

struct __isk_spawn_action;
typedef struct {
  int __used;
  int __allocated;
  struct __isk_spawn_action *__actions;
} posix_spawn_file_actions_t;

int posix_spawn(pid_t *__restrict pid, const char *__restrict path,
                const posix_spawn_file_actions_t *file_actions,
                const posix_spawnattr_t *__restrict attrp, char *const argv[],
                char *const envp[]);
int posix_spawnp(pid_t *__restrict pid, const char *__restrict file,
                 const posix_spawn_file_actions_t *file_actions,
                 const posix_spawnattr_t *__restrict attrp, char *const argv[],
                 char *const envp[]);

int posix_spawnattr_init(posix_spawnattr_t *attr);
int posix_spawnattr_destroy(posix_spawnattr_t *attr);
int posix_spawnattr_getflags(const posix_spawnattr_t *__restrict attr, short *__restrict flags);
int posix_spawnattr_setflags(posix_spawnattr_t *attr, short flags);
int posix_spawnattr_getpgroup(const posix_spawnattr_t *__restrict attr, pid_t *__restrict pgroup);
int posix_spawnattr_setpgroup(posix_spawnattr_t *attr, pid_t pgroup);
int posix_spawnattr_getsigmask(const posix_spawnattr_t *__restrict attr, sigset_t *__restrict mask);
int posix_spawnattr_setsigmask(posix_spawnattr_t *__restrict attr, const sigset_t *__restrict mask);
int posix_spawnattr_getsigdefault(const posix_spawnattr_t *__restrict attr,
                                  sigset_t *__restrict sigdefault);
int posix_spawnattr_setsigdefault(posix_spawnattr_t *__restrict attr,
                                  const sigset_t *__restrict sigdefault);

int posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa);
int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa);
int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *__restrict fa, int fd,
                                     const char *__restrict path, int oflag, mode_t mode);
int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd);
int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int fd, int newfd);
int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *__restrict fa,
                                         const char *__restrict path);
int posix_spawn_file_actions_addfchdir_np(posix_spawn_file_actions_t *fa, int fd);

/* ---------------------------------------------------------------------- <sys/resource.h> */

/* Resource limits (wasi-libc's <sys/resource.h> has none): Linux's numbers and layout. The
 * limits the kernel does not enforce (STACK, RSS, MEMLOCK, LOCKS, SIGPENDING, MSGQUEUE, NICE,
 * RTPRIO, RTTIME) read as unlimited (NICE, RTPRIO: 0) and cannot be set (EINVAL). DATA and AS
 * are one limit: linear memory, in whole 64 KiB pages. */
typedef unsigned long long rlim_t;
struct rlimit {
  rlim_t rlim_cur;
  rlim_t rlim_max;
};
#define RLIM_INFINITY (~0ULL)
#define RLIM_SAVED_CUR RLIM_INFINITY
#define RLIM_SAVED_MAX RLIM_INFINITY
#define RLIMIT_CPU 0
#define RLIMIT_FSIZE 1
#define RLIMIT_DATA 2
#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_RSS 5
#define RLIMIT_NPROC 6
#define RLIMIT_NOFILE 7
#define RLIMIT_MEMLOCK 8
#define RLIMIT_AS 9
#define RLIMIT_LOCKS 10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE 12
#define RLIMIT_NICE 13
#define RLIMIT_RTPRIO 14
#define RLIMIT_RTTIME 15
#define RLIMIT_NLIMITS 16
#define RLIM_NLIMITS RLIMIT_NLIMITS
/* isokernel's own: live children (spawn: EAGAIN), threads of a wasi-threads process. */
#define ISK_RLIMIT_NCHILD 16
#define ISK_RLIMIT_NTHREAD 17

int getrlimit(int resource, struct rlimit *rlim);
int setrlimit(int resource, const struct rlimit *rlim);
int prlimit(pid_t pid, int resource, const struct rlimit *new_limit, struct rlimit *old_limit);
/* Time zones (wasi-libc has none; lib/src/tz.c): localtime, localtime_r and mktime follow TZ
 * (a zone name under /usr/share/zoneinfo, a TZif path, or a POSIX TZ string). */
void tzset(void);
extern char *tzname[2];
extern long timezone;
extern int daylight;

/* The exec family (wasi-libc's unistd.h leaves them out: WASI has no exec). lib/src/exec.c. */
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);
int execvp(const char *file, char *const argv[]);
int execvpe(const char *file, char *const argv[], char *const envp[]);
int execl(const char *path, const char *arg0, ...);
int execle(const char *path, const char *arg0, ...);
int execlp(const char *file, const char *arg0, ...);

/* A file action that sets a limit of the child before it runs (as setrlimit() between fork
 * and exec would); spawn fails with setrlimit's errno if it cannot. */
int posix_spawn_file_actions_addsetrlimit_np(posix_spawn_file_actions_t *__restrict fa, int resource,
                                             const struct rlimit *__restrict rlim);

/* --------------------------------------------------------------- <unistd.h> and friends */

int pipe(int fds[2]);
int pipe2(int fds[2], int flags);
int dup(int fd);
int dup2(int fd, int newfd);
int dup3(int fd, int newfd, int flags);
pid_t getppid(void);
pid_t getpgrp(void);
pid_t getpgid(pid_t pid);
int setpgid(pid_t pid, pid_t pgid);
pid_t setsid(void);
pid_t getsid(pid_t pid);
/* Terminals (<unistd.h>'s share of them; the rest is in <termios.h>, lib/src/termios.c). */
pid_t tcgetpgrp(int fd);
int tcsetpgrp(int fd, pid_t pgrp);
char *ttyname(int fd);
int ttyname_r(int fd, char *buf, size_t len);
int fchdir(int fd);
#ifdef __ISK_RENAME_GETPID
pid_t __isk_getpid(void);
#define getpid __isk_getpid
#endif
unsigned alarm(unsigned seconds);
mode_t umask(mode_t mask);

#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF 2
struct itimerval {
  struct timeval it_interval;
  struct timeval it_value;
};
int getitimer(int which, struct itimerval *value);
int setitimer(int which, const struct itimerval *__restrict value,
              struct itimerval *__restrict old);

FILE *popen(const char *command, const char *mode);
int pclose(FILE *stream);

/* ------------------------------------------- what WASI lacks: modes, uname, statvfs, ids */

int chmod(const char *path, mode_t mode);
int fchmod(int fd, mode_t mode);
int fchmodat(int dirfd, const char *path, mode_t mode, int flags);
int gethostname(char *name, size_t len);
uid_t getuid(void);
uid_t geteuid(void);
gid_t getgid(void);
gid_t getegid(void);

/* <sys/statvfs.h> is missing from wasi-libc: this is its content. */
#define ST_RDONLY 1
#define ST_NOSUID 2
struct statvfs {
  unsigned long f_bsize, f_frsize;
  unsigned long long f_blocks, f_bfree, f_bavail, f_files, f_ffree, f_favail;
  unsigned long f_fsid, f_flag, f_namemax;
};
int statvfs(const char *__restrict path, struct statvfs *__restrict buf);
int fstatvfs(int fd, struct statvfs *buf);

/* ------------------------------------------------------------------- fcntl and O_CLOEXEC */

/* wasi-libc defines O_CLOEXEC as 0 (WASI has no exec). Here it is a real bit, honoured by
 * pipe2(), dup3(), open() and openat(); wasi-libc's own open() ignores the bit, so open and
 * openat are wrapped (isk_open sets FD_CLOEXEC after opening). fopen("e") and creat() do
 * not know it. */
#undef O_CLOEXEC
#define O_CLOEXEC 0x40000000

#ifndef F_DUPFD
#define F_DUPFD 0
#endif
#ifndef F_DUPFD_CLOEXEC
#define F_DUPFD_CLOEXEC 1030
#endif

/* F_GETFD, F_SETFD, F_DUPFD and F_DUPFD_CLOEXEC go to the kernel; other commands to
 * wasi-libc's fcntl. */
int isk_fcntl(int fd, int cmd, ...);
/* The lowest open descriptor >= fd, or -1 with errno EBADF when there is none (the kernel's
 * fd_next: a program lists its descriptors in one call per open one). */
int isk_fd_next(int fd);
int isk_open(const char *path, int flags, ...);
int isk_openat(int dirfd, const char *path, int flags, ...);
#define fcntl isk_fcntl
#define open isk_open
#define openat isk_openat

/* ------------------------------------------------------------------- the cwd at startup */

/* Defined in the library's cwd object, next to the constructor that reads the kernel's
 * cwd, chdir() and the relative-path resolver wasi-libc calls. The pointer below is a
 * global the linker must keep (`used`; weak, so every file including this header may
 * define it; hidden, so it is not exported), and it refers to that object: so every
 * program including this header links the object, and its constructor runs. (A `static`
 * pointer would not do: wasm-ld keeps only global `used` symbols, and drops the
 * constructors of an archive member none of whose symbols is kept.) */
extern const char __isokernel_cwd_init;
const char *__isokernel_cwd_link __attribute__((weak, used, visibility("hidden"))) =
    &__isokernel_cwd_init;

#ifdef __cplusplus
}
#endif

#endif /* __wasi__ */
#endif /* ISOKERNEL_H */
