/*
 * The library's private header: the `isokernel` imports (docs/abi.md, "The `isokernel`
 * module"), with the signatures the kernel gives them. Each returns an errno; in wasi-libc
 * errno values are the WASI errno numbers, so a result goes to `errno` as it is.
 */
#ifndef ISK_INTERNAL_H
#define ISK_INTERNAL_H

#include <isokernel.h>
#include <stdint.h>

/* The library calls libc's own fcntl/open/openat where it means them. */
#undef fcntl
#undef open
#undef openat

#define ISK_IMPORT(name) __attribute__((import_module("isokernel"), import_name(#name)))

/* 64 bytes: the spawn request. */
struct isk_spawn_req {
  uint32_t path, path_len;
  uint32_t argv, argv_len;
  uint32_t env, env_len;
  uint32_t actions, actions_count;
  uint32_t flags;
  int32_t pgroup;
  uint32_t sigmask;
  uint32_t sigdefault;
  uint32_t search, search_len;
  uint32_t cwd, cwd_len;
};
_Static_assert(sizeof(struct isk_spawn_req) == 64, "spawn request is 64 bytes");

/* 32 bytes: one file action as the kernel reads it. */
struct isk_file_action {
  uint32_t kind;
  int32_t fd;
  int32_t arg;
  uint32_t path, path_len;
  uint32_t mode;
  uint64_t reserved;
};
_Static_assert(sizeof(struct isk_file_action) == 32, "file action is 32 bytes");

enum {
  ISK_FA_OPEN = 1,
  ISK_FA_CLOSE = 2,
  ISK_FA_DUP2 = 3,
  ISK_FA_CHDIR = 4,
  ISK_FA_FCHDIR = 5,
  ISK_FA_SETRLIMIT = 6, /* fd: the resource; path, path_len: a struct rlimit, 16 */
};

enum {
  ISK_SPAWN_SETPGROUP = 1,
  ISK_SPAWN_SETSID = 2,
  ISK_SPAWN_SETSIGMASK = 4,
  ISK_SPAWN_SETSIGDEF = 8,
  ISK_SPAWN_SEARCH = 16,
  ISK_SPAWN_RESETIDS = 32,
};

/* 12 bytes: a disposition as the kernel keeps it. */
struct isk_sigaction {
  uint32_t disposition; /* 0 default, 1 ignore, 2 catch */
  uint32_t mask;
  uint32_t flags;
};
enum { ISK_SIG_DEFAULT = 0, ISK_SIG_IGNORE = 1, ISK_SIG_CATCH = 2 };

struct isk_itimer {
  uint64_t value_ns;
  uint64_t interval_ns;
};

/* Descriptor flags (fd_getfd / fd_setfd, pipe, dup2). */
#define ISK_FD_CLOEXEC 1
#define ISK_PIPE_NONBLOCK 4

int __isk_sys_spawn(const struct isk_spawn_req *req, int32_t *pid_out) ISK_IMPORT(spawn);
/* The lowest open descriptor >= fd (EBADF: none). */
int __isk_sys_fd_next(int32_t fd, uint32_t *out) ISK_IMPORT(fd_next);
/* The process's umask as the library last saw it (umask.c), read from the kernel once. */
mode_t __isk_current_umask(void);
/* exec: returns only on failure (an errno). */
int __isk_sys_exec(const struct isk_spawn_req *req) ISK_IMPORT(exec);
/* NUL-terminated strings back to back, as spawn and exec take argv and envp; NULL on ENOMEM. */
char *__isk_pack(char *const list[], uint32_t *len_out);
int __isk_sys_wait(int32_t pid, int32_t options, int32_t *status_out, int32_t *pid_out)
    ISK_IMPORT(wait);
int __isk_sys_kill(int32_t pid, int32_t sig) ISK_IMPORT(kill);
int __isk_sys_sigaction(int32_t sig, const struct isk_sigaction *act, struct isk_sigaction *oldact)
    ISK_IMPORT(sigaction);
int __isk_sys_sigprocmask(int32_t how, const uint32_t *set, uint32_t *oldset)
    ISK_IMPORT(sigprocmask);
int __isk_sys_sigpending(uint32_t *set_out) ISK_IMPORT(sigpending);
int __isk_sys_sigsuspend(uint32_t mask) ISK_IMPORT(sigsuspend);
int __isk_sys_pipe(int32_t *fds_out, int32_t flags) ISK_IMPORT(pipe);
int __isk_sys_dup(int32_t fd, int32_t *fd_out) ISK_IMPORT(dup);
int __isk_sys_dup2(int32_t fd, int32_t newfd, int32_t flags) ISK_IMPORT(dup2);
int __isk_sys_fd_getfd(int32_t fd, uint32_t *flags_out) ISK_IMPORT(fd_getfd);
int __isk_sys_fd_setfd(int32_t fd, int32_t flags) ISK_IMPORT(fd_setfd);
int __isk_sys_getpid(int32_t *out) ISK_IMPORT(getpid);
int __isk_sys_getppid(int32_t *out) ISK_IMPORT(getppid);
int __isk_sys_getpgid(int32_t pid, int32_t *out) ISK_IMPORT(getpgid);
int __isk_sys_getsid(int32_t pid, int32_t *out) ISK_IMPORT(getsid);
int __isk_sys_setpgid(int32_t pid, int32_t pgid) ISK_IMPORT(setpgid);
int __isk_sys_setsid(int32_t *sid_out) ISK_IMPORT(setsid);
int __isk_sys_chdir(const char *path, uint32_t len) ISK_IMPORT(chdir);
int __isk_sys_fchdir(int32_t fd) ISK_IMPORT(fchdir);
int __isk_sys_getcwd(char *buf, uint32_t len, uint32_t *len_out) ISK_IMPORT(getcwd);
int __isk_sys_alarm(uint32_t seconds, uint32_t *prev_out) ISK_IMPORT(alarm);
int __isk_sys_setitimer(int32_t which, int64_t value_ns, int64_t interval_ns,
                        struct isk_itimer *old_out) ISK_IMPORT(setitimer);
int __isk_sys_umask(uint32_t mask, uint32_t *old_out) ISK_IMPORT(umask);
int __isk_sys_chmod(int32_t dirfd, const char *path, uint32_t path_len, uint32_t mode, int32_t flags)
    ISK_IMPORT(chmod);
int __isk_sys_fchmod(int32_t fd, uint32_t mode) ISK_IMPORT(fchmod);
int __isk_sys_uname(void *buf) ISK_IMPORT(uname);
int __isk_sys_statvfs(int32_t fd, uint64_t *buf) ISK_IMPORT(statvfs);
int __isk_sys_getids(uint32_t *out) ISK_IMPORT(getids);
int __isk_sys_getrlimit(int32_t resource, struct rlimit *out) ISK_IMPORT(getrlimit);
int __isk_sys_setrlimit(int32_t resource, const struct rlimit *rlim) ISK_IMPORT(setrlimit);
int __isk_sys_prlimit(int32_t pid, int32_t resource, const struct rlimit *new_limit,
                      struct rlimit *old_limit) ISK_IMPORT(prlimit);

/* 72 bytes: a stat with the mode WASI's filestat lacks. */
struct isk_stat {
  uint64_t dev, ino;
  uint32_t filetype, mode;
  uint64_t nlink, size, atim, mtim, ctim;
  uint32_t uid, gid;
};
_Static_assert(sizeof(struct isk_stat) == 72, "stat is 72 bytes");
int __isk_sys_fstat(int32_t fd, struct isk_stat *buf) ISK_IMPORT(fstat);
int __isk_sys_fstatat(int32_t dirfd, const char *path, uint32_t path_len, int32_t flags, struct isk_stat *buf)
    ISK_IMPORT(fstatat);

/* Sockets (docs/abi.md, "Sockets"); lib/src/socket.c. */
int __isk_sys_socket(int32_t domain, int32_t type, int32_t protocol, int32_t *fd_out) ISK_IMPORT(socket);
int __isk_sys_socketpair(int32_t domain, int32_t type, int32_t protocol, int32_t *fds_out) ISK_IMPORT(socketpair);
int __isk_sys_bind(int32_t fd, const void *addr, uint32_t len) ISK_IMPORT(bind);
int __isk_sys_listen(int32_t fd, int32_t backlog) ISK_IMPORT(listen);
int __isk_sys_accept(int32_t fd, void *addr, uint32_t *len, int32_t flags, int32_t *fd_out) ISK_IMPORT(accept);
int __isk_sys_connect(int32_t fd, const void *addr, uint32_t len) ISK_IMPORT(connect);
int __isk_sys_sendto(int32_t fd, const void *buf, uint32_t len, int32_t flags, const void *addr, uint32_t alen,
                     uint32_t *n_out) ISK_IMPORT(sendto);
int __isk_sys_recvfrom(int32_t fd, void *buf, uint32_t len, int32_t flags, void *addr, uint32_t *alen,
                       uint32_t *n_out) ISK_IMPORT(recvfrom);
int __isk_sys_shutdown(int32_t fd, int32_t how) ISK_IMPORT(shutdown);
int __isk_sys_getsockname(int32_t fd, void *addr, uint32_t *len) ISK_IMPORT(getsockname);
int __isk_sys_getpeername(int32_t fd, void *addr, uint32_t *len) ISK_IMPORT(getpeername);
int __isk_sys_setsockopt(int32_t fd, int32_t level, int32_t name, const void *val, uint32_t len) ISK_IMPORT(setsockopt);
int __isk_sys_getsockopt(int32_t fd, int32_t level, int32_t name, void *val, uint32_t *len) ISK_IMPORT(getsockopt);

/* A call's result as POSIX functions return it: 0, or -1 with errno set. */
static inline int __isk_ret(int err) {
  if (err == 0) return 0;
  errno = err;
  return -1;
}

/* A signal number the kernel knows (1..31). */
static inline int __isk_valid_sig(int sig) { return sig >= 1 && sig < __ISK_NSIG; }

/* Every valid signal. */
#define ISK_ALL_SIGNALS 0x7fffffffu

/* The library's internal helpers, shared between objects. */
/* cwd.c: re-read the kernel's cwd into wasi-libc's __wasilibc_cwd. */
int __isk_refresh_cwd(void);
/* spawn.c: the spawn every public entry point (posix_spawn, posix_spawnp, popen, system)
 * goes through. Returns an errno. */
int __isk_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
                const posix_spawnattr_t *attr, char *const argv[], char *const envp[],
                int search);

#endif
