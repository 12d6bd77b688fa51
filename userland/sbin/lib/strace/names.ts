// strace's decoding tables: the names of errnos, signals and flags, and the classes of
// calls for -e trace=%CLASS. The one place that names numbers; the calls and the shapes of
// their arguments come from the kernel in the trace stream (src/kernel/trace/calls.ts).
// Numbers are WASI preview1's (witx) where WASI defines them, Linux's for signals, and the
// isokernel module's (docs/abi.md) for the rest.

/** WASI errnos: [name, Linux's strerror text], by number. */
export const ERRNOS: readonly (readonly [string, string])[] = [
  ['ESUCCESS', 'Success'], ['E2BIG', 'Argument list too long'], ['EACCES', 'Permission denied'],
  ['EADDRINUSE', 'Address already in use'], ['EADDRNOTAVAIL', 'Cannot assign requested address'],
  ['EAFNOSUPPORT', 'Address family not supported by protocol'], ['EAGAIN', 'Resource temporarily unavailable'],
  ['EALREADY', 'Operation already in progress'], ['EBADF', 'Bad file descriptor'], ['EBADMSG', 'Bad message'],
  ['EBUSY', 'Device or resource busy'], ['ECANCELED', 'Operation canceled'], ['ECHILD', 'No child processes'],
  ['ECONNABORTED', 'Software caused connection abort'], ['ECONNREFUSED', 'Connection refused'],
  ['ECONNRESET', 'Connection reset by peer'], ['EDEADLK', 'Resource deadlock avoided'],
  ['EDESTADDRREQ', 'Destination address required'], ['EDOM', 'Numerical argument out of domain'],
  ['EDQUOT', 'Disk quota exceeded'], ['EEXIST', 'File exists'], ['EFAULT', 'Bad address'], ['EFBIG', 'File too large'],
  ['EHOSTUNREACH', 'No route to host'], ['EIDRM', 'Identifier removed'],
  ['EILSEQ', 'Invalid or incomplete multibyte or wide character'], ['EINPROGRESS', 'Operation now in progress'],
  ['EINTR', 'Interrupted system call'], ['EINVAL', 'Invalid argument'], ['EIO', 'Input/output error'],
  ['EISCONN', 'Transport endpoint is already connected'], ['EISDIR', 'Is a directory'],
  ['ELOOP', 'Too many levels of symbolic links'], ['EMFILE', 'Too many open files'], ['EMLINK', 'Too many links'],
  ['EMSGSIZE', 'Message too long'], ['EMULTIHOP', 'Multihop attempted'], ['ENAMETOOLONG', 'File name too long'],
  ['ENETDOWN', 'Network is down'], ['ENETRESET', 'Network dropped connection on reset'],
  ['ENETUNREACH', 'Network is unreachable'], ['ENFILE', 'Too many open files in system'],
  ['ENOBUFS', 'No buffer space available'], ['ENODEV', 'No such device'], ['ENOENT', 'No such file or directory'],
  ['ENOEXEC', 'Exec format error'], ['ENOLCK', 'No locks available'], ['ENOLINK', 'Link has been severed'],
  ['ENOMEM', 'Cannot allocate memory'], ['ENOMSG', 'No message of desired type'],
  ['ENOPROTOOPT', 'Protocol not available'], ['ENOSPC', 'No space left on device'],
  ['ENOSYS', 'Function not implemented'], ['ENOTCONN', 'Transport endpoint is not connected'],
  ['ENOTDIR', 'Not a directory'], ['ENOTEMPTY', 'Directory not empty'], ['ENOTRECOVERABLE', 'State not recoverable'],
  ['ENOTSOCK', 'Socket operation on non-socket'], ['ENOTSUP', 'Operation not supported'],
  ['ENOTTY', 'Inappropriate ioctl for device'], ['ENXIO', 'No such device or address'],
  ['EOVERFLOW', 'Value too large for defined data type'], ['EOWNERDEAD', 'Owner died'],
  ['EPERM', 'Operation not permitted'], ['EPIPE', 'Broken pipe'], ['EPROTO', 'Protocol error'],
  ['EPROTONOSUPPORT', 'Protocol not supported'], ['EPROTOTYPE', 'Protocol wrong type for socket'],
  ['ERANGE', 'Numerical result out of range'], ['EROFS', 'Read-only file system'], ['ESPIPE', 'Illegal seek'],
  ['ESRCH', 'No such process'], ['ESTALE', 'Stale file handle'], ['ETIMEDOUT', 'Connection timed out'],
  ['ETXTBSY', 'Text file busy'], ['EXDEV', 'Invalid cross-device link'], ['ENOTCAPABLE', 'Capabilities insufficient'],
];

/** Linux signal names by number (1–31). */
export const SIGNALS: readonly string[] = [
  '0', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1',
  'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP',
  'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
];

/** WASI's own signal numbering (proc_raise) → the Linux name. */
export const WASI_SIGNALS: readonly string[] = [
  '0', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1',
  'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN',
  'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGPOLL', 'SIGPWR', 'SIGSYS',
];

export type FlagTable = readonly (readonly [number, string])[];

export const RIGHTS: FlagTable = [
  'FD_DATASYNC', 'FD_READ', 'FD_SEEK', 'FD_FDSTAT_SET_FLAGS', 'FD_SYNC', 'FD_TELL', 'FD_WRITE', 'FD_ADVISE',
  'FD_ALLOCATE', 'PATH_CREATE_DIRECTORY', 'PATH_CREATE_FILE', 'PATH_LINK_SOURCE', 'PATH_LINK_TARGET', 'PATH_OPEN',
  'FD_READDIR', 'PATH_READLINK', 'PATH_RENAME_SOURCE', 'PATH_RENAME_TARGET', 'PATH_FILESTAT_GET',
  'PATH_FILESTAT_SET_SIZE', 'PATH_FILESTAT_SET_TIMES', 'FD_FILESTAT_GET', 'FD_FILESTAT_SET_SIZE',
  'FD_FILESTAT_SET_TIMES', 'PATH_SYMLINK', 'PATH_REMOVE_DIRECTORY', 'PATH_UNLINK_FILE', 'POLL_FD_READWRITE',
  'SOCK_SHUTDOWN', 'SOCK_ACCEPT',
].map((n, i) => [2 ** i, n] as const);
export const RIGHT_READ = 2;
export const RIGHT_WRITE = 64;

export const OFLAGS: FlagTable = [[1, 'O_CREAT'], [2, 'O_DIRECTORY'], [4, 'O_EXCL'], [8, 'O_TRUNC']];
/** fdflags as open(2) names them (in path_open) and as WASI does (elsewhere). */
export const FDFLAGS_O: FlagTable = [[1, 'O_APPEND'], [2, 'O_DSYNC'], [4, 'O_NONBLOCK'], [8, 'O_RSYNC'], [16, 'O_SYNC']];
export const FDFLAGS: FlagTable = [[1, 'FDFLAGS_APPEND'], [2, 'FDFLAGS_DSYNC'], [4, 'FDFLAGS_NONBLOCK'], [8, 'FDFLAGS_RSYNC'], [16, 'FDFLAGS_SYNC']];
export const LOOKUPFLAGS: FlagTable = [[1, 'LOOKUP_SYMLINK_FOLLOW']];
export const FSTFLAGS: FlagTable = [[1, 'FSTFLAGS_ATIM'], [2, 'FSTFLAGS_ATIM_NOW'], [4, 'FSTFLAGS_MTIM'], [8, 'FSTFLAGS_MTIM_NOW']];
export const WAITOPTS: FlagTable = [[1, 'WNOHANG'], [2, 'WUNTRACED'], [8, 'WCONTINUED']];
export const PIPEFLAGS: FlagTable = [[1, 'O_CLOEXEC'], [4, 'O_NONBLOCK']];
export const DUPFLAGS: FlagTable = [[1, 'O_CLOEXEC']];
export const ATFLAGS: FlagTable = [[1, 'AT_SYMLINK_NOFOLLOW']];
export const FDCLOEXEC: FlagTable = [[1, 'FD_CLOEXEC']];
export const SDFLAGS: FlagTable = [[1, 'SHUT_RD'], [2, 'SHUT_WR']];
export const RIFLAGS: FlagTable = [[1, 'RECV_PEEK'], [2, 'RECV_WAITALL']];
export const ROFLAGS: FlagTable = [[1, 'RECV_DATA_TRUNCATED']];
export const SA_FLAGS: FlagTable = [
  [1, 'SA_NOCLDSTOP'], [2, 'SA_NOCLDWAIT'], [4, 'SA_SIGINFO'], [0x10000000, 'SA_RESTART'], [0x40000000, 'SA_NODEFER'],
  [0x80000000, 'SA_RESETHAND'],
];
export const SPAWN_FLAGS: FlagTable = [
  [1, 'POSIX_SPAWN_SETPGROUP'], [2, 'POSIX_SPAWN_SETSID'], [4, 'POSIX_SPAWN_SETSIGMASK'], [8, 'POSIX_SPAWN_SETSIGDEF'],
  [16, 'POSIX_SPAWN_SEARCH'], [32, 'POSIX_SPAWN_RESETIDS'],
];
export const TRACE_FLAGS: FlagTable = [[1, 'TRACE_FOLLOW'], [2, 'TRACE_NEXT_CHILD'], [4, 'TRACE_CLOEXEC'], [8, 'TRACE_TIMES'], [16, 'TRACE_SUMMARY']];
export const EVENTRWFLAGS: FlagTable = [[1, 'FD_READWRITE_HANGUP']];
export const SUBCLOCKFLAGS: FlagTable = [[1, 'SUBSCRIPTION_CLOCK_ABSTIME']];

/** Sockets, as wasi-libc numbers them (src/kernel/net/addr.ts). */
export const AF = ['AF_UNSPEC', 'AF_INET', 'AF_INET6', 'AF_UNIX'];
export const SOCK_TYPES = ['0', '1', '2', '3', '4', 'SOCK_DGRAM', 'SOCK_STREAM'];
export const SOCK_FLAGS: FlagTable = [[0x4000, 'SOCK_NONBLOCK'], [0x2000, 'SOCK_CLOEXEC']];
export const MSG_FLAGS: FlagTable = [[1, 'MSG_PEEK'], [2, 'MSG_WAITALL'], [0x40, 'MSG_DONTWAIT'], [0x4000, 'MSG_NOSIGNAL']];

/** SIGCHLD's si_code by number (Linux's CLD_*). */
export const CLD_CODES: readonly (string | undefined)[] = [undefined, 'CLD_EXITED', 'CLD_KILLED', 'CLD_DUMPED', 'CLD_TRAPPED', 'CLD_STOPPED', 'CLD_CONTINUED'];

export const WHENCE = ['SEEK_SET', 'SEEK_CUR', 'SEEK_END'];
export const CLOCKS = ['CLOCK_REALTIME', 'CLOCK_MONOTONIC', 'CLOCK_PROCESS_CPUTIME_ID', 'CLOCK_THREAD_CPUTIME_ID'];
export const ADVICE = ['POSIX_FADV_NORMAL', 'POSIX_FADV_SEQUENTIAL', 'POSIX_FADV_RANDOM', 'POSIX_FADV_WILLNEED', 'POSIX_FADV_DONTNEED', 'POSIX_FADV_NOREUSE'];
export const FILETYPES = ['UNKNOWN', 'BLOCK_DEVICE', 'CHARACTER_DEVICE', 'DIRECTORY', 'REGULAR_FILE', 'SOCKET_DGRAM', 'SOCKET_STREAM', 'SYMBOLIC_LINK'];
export const EVENTTYPES = ['EVENTTYPE_CLOCK', 'EVENTTYPE_FD_READ', 'EVENTTYPE_FD_WRITE'];
export const SIGHOW = ['SIG_BLOCK', 'SIG_UNBLOCK', 'SIG_SETMASK'];
export const ITIMERS = ['ITIMER_REAL', 'ITIMER_VIRTUAL', 'ITIMER_PROF'];
export const DISPOSITIONS = ['SIG_DFL', 'SIG_IGN', 'handler'];
export const RLIMITS: readonly string[] = [
  'RLIMIT_CPU', 'RLIMIT_FSIZE', 'RLIMIT_DATA', 'RLIMIT_STACK', 'RLIMIT_CORE', 'RLIMIT_RSS', 'RLIMIT_NPROC',
  'RLIMIT_NOFILE', 'RLIMIT_MEMLOCK', 'RLIMIT_AS', 'RLIMIT_LOCKS', 'RLIMIT_SIGPENDING', 'RLIMIT_MSGQUEUE',
  'RLIMIT_NICE', 'RLIMIT_RTPRIO', 'RLIMIT_RTTIME', 'ISK_RLIMIT_NCHILD', 'ISK_RLIMIT_NTHREAD',
];
export const SPAWN_ACTIONS = ['0', 'OPEN', 'CLOSE', 'DUP2', 'CHDIR', 'FCHDIR', 'SETRLIMIT', 'SETIDS'];
/** wasi-libc's <sys/stat.h> file type bits (its S_IFIFO equals S_IFSOCK). */
export const S_IF: readonly (readonly [number, string])[] = [
  [0xc000, 'S_IFSOCK'], [0xa000, 'S_IFLNK'], [0x8000, 'S_IFREG'], [0x6000, 'S_IFBLK'], [0x4000, 'S_IFDIR'],
  [0x2000, 'S_IFCHR'], [0x1000, 'S_IFIFO'],
];

/** `A|B|0x40` for a flag set; "0" for none. */
export function flags(table: FlagTable, v: number | bigint): string {
  let n = BigInt.asUintN(64, BigInt(v));
  if (n === 0n) return '0';
  const out: string[] = [];
  for (const [bit, name] of table) {
    const b = BigInt(bit);
    if ((n & b) === b) {
      out.push(name);
      n &= ~b;
    }
  }
  if (n !== 0n) out.push('0x' + n.toString(16));
  return out.join('|');
}

/** A name from a list by number, or the number. */
export function named(list: readonly string[], v: number): string {
  return v >= 0 && v < list.length ? list[v]! : String(v);
}

export function errnoName(e: number): string {
  return e >= 0 && e < ERRNOS.length ? ERRNOS[e]![0] : `E?${e}`;
}
export function errnoText(e: number): string {
  return e >= 0 && e < ERRNOS.length ? ERRNOS[e]![1] : 'Unknown error';
}
export function signalName(s: number): string {
  return s > 0 && s < SIGNALS.length ? SIGNALS[s]! : String(s);
}
/** A signal by name (TERM, SIGTERM) or number; null if neither. */
export function signalNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s) < SIGNALS.length ? Number(s) : null;
  const up = s.toUpperCase();
  const i = SIGNALS.indexOf(up.startsWith('SIG') ? up : 'SIG' + up);
  return i > 0 ? i : null;
}

/** A signal set (bit n-1 for signal n) as strace prints it: [INT TERM]. */
export function sigset(v: number): string {
  const out: string[] = [];
  for (let s = 1; s < 32; s++) if ((v >>> (s - 1)) & 1) out.push(SIGNALS[s]!.slice(3));
  return `[${out.join(' ')}]`;
}

/**
 * The classes of -e trace=%CLASS, by call name: what strace's classes mean for these
 * calls. `file` (takes a path) and `desc` (takes a descriptor) are also found from the
 * kinds the kernel gives (a `path` param; an `fd` first param).
 */
export const CLASSES: Readonly<Record<string, readonly string[]>> = {
  process: ['spawn', 'wait', 'proc_exit', 'proc_raise', 'kill', 'trace_attach', 'trace_detach'],
  signal: ['kill', 'proc_raise', 'sigaction', 'sigprocmask', 'sigpending', 'sigsuspend', 'alarm', 'setitimer'],
  network: [
    'sock_accept', 'sock_recv', 'sock_send', 'sock_shutdown', 'socket', 'bind', 'listen', 'accept', 'connect',
    'send', 'recv', 'sendto', 'recvfrom', 'shutdown', 'getsockopt', 'setsockopt', 'getsockname', 'getpeername',
  ],
  memory: ['memory_grow'],
  clock: ['clock_res_get', 'clock_time_get'],
  creds: ['getids', 'umask'],
  ipc: ['pipe'],
  desc: ['pipe', 'poll_oneoff', 'dup', 'dup2', 'dupfd', 'fd_next'],
  file: ['spawn', 'path_symlink'],
};
