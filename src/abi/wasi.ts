// WASI preview1 (wasi_snapshot_preview1) numbers, flags and struct layouts, as
// specified by the witx in WebAssembly/WASI (legacy/preview1). Imports nothing.
// Struct offsets are in bytes; every integer is little-endian.

export const ERRNO_NAMES = [
  'SUCCESS', '2BIG', 'ACCES', 'ADDRINUSE', 'ADDRNOTAVAIL', 'AFNOSUPPORT', 'AGAIN', 'ALREADY',
  'BADF', 'BADMSG', 'BUSY', 'CANCELED', 'CHILD', 'CONNABORTED', 'CONNREFUSED', 'CONNRESET',
  'DEADLK', 'DESTADDRREQ', 'DOM', 'DQUOT', 'EXIST', 'FAULT', 'FBIG', 'HOSTUNREACH', 'IDRM',
  'ILSEQ', 'INPROGRESS', 'INTR', 'INVAL', 'IO', 'ISCONN', 'ISDIR', 'LOOP', 'MFILE', 'MLINK',
  'MSGSIZE', 'MULTIHOP', 'NAMETOOLONG', 'NETDOWN', 'NETRESET', 'NETUNREACH', 'NFILE', 'NOBUFS',
  'NODEV', 'NOENT', 'NOEXEC', 'NOLCK', 'NOLINK', 'NOMEM', 'NOMSG', 'NOPROTOOPT', 'NOSPC',
  'NOSYS', 'NOTCONN', 'NOTDIR', 'NOTEMPTY', 'NOTRECOVERABLE', 'NOTSOCK', 'NOTSUP', 'NOTTY',
  'NXIO', 'OVERFLOW', 'OWNERDEAD', 'PERM', 'PIPE', 'PROTO', 'PROTONOSUPPORT', 'PROTOTYPE',
  'RANGE', 'ROFS', 'SPIPE', 'SRCH', 'STALE', 'TIMEDOUT', 'TXTBSY', 'XDEV', 'NOTCAPABLE',
] as const;

export type ErrnoName = (typeof ERRNO_NAMES)[number];

/** errno values by name: E.NOENT === 44. */
export const E = Object.freeze(
  Object.fromEntries(ERRNO_NAMES.map((n, i) => [n, i])) as { readonly [K in ErrnoName]: number },
);

export function errnoName(errno: number): string {
  return errno >= 0 && errno < ERRNO_NAMES.length ? 'E' + ERRNO_NAMES[errno] : `E?${errno}`;
}

export const FILETYPE = {
  UNKNOWN: 0, BLOCK_DEVICE: 1, CHARACTER_DEVICE: 2, DIRECTORY: 3, REGULAR_FILE: 4,
  SOCKET_DGRAM: 5, SOCKET_STREAM: 6, SYMBOLIC_LINK: 7,
} as const;

/** Rights are u64 in the ABI; every defined bit fits below 2^30, so they are kept as numbers. */
export const RIGHTS = {
  FD_DATASYNC: 1 << 0, FD_READ: 1 << 1, FD_SEEK: 1 << 2, FD_FDSTAT_SET_FLAGS: 1 << 3,
  FD_SYNC: 1 << 4, FD_TELL: 1 << 5, FD_WRITE: 1 << 6, FD_ADVISE: 1 << 7, FD_ALLOCATE: 1 << 8,
  PATH_CREATE_DIRECTORY: 1 << 9, PATH_CREATE_FILE: 1 << 10, PATH_LINK_SOURCE: 1 << 11,
  PATH_LINK_TARGET: 1 << 12, PATH_OPEN: 1 << 13, FD_READDIR: 1 << 14, PATH_READLINK: 1 << 15,
  PATH_RENAME_SOURCE: 1 << 16, PATH_RENAME_TARGET: 1 << 17, PATH_FILESTAT_GET: 1 << 18,
  PATH_FILESTAT_SET_SIZE: 1 << 19, PATH_FILESTAT_SET_TIMES: 1 << 20, FD_FILESTAT_GET: 1 << 21,
  FD_FILESTAT_SET_SIZE: 1 << 22, FD_FILESTAT_SET_TIMES: 1 << 23, PATH_SYMLINK: 1 << 24,
  PATH_REMOVE_DIRECTORY: 1 << 25, PATH_UNLINK_FILE: 1 << 26, POLL_FD_READWRITE: 1 << 27,
  SOCK_SHUTDOWN: 1 << 28, SOCK_ACCEPT: 1 << 29,
} as const;
export const RIGHTS_ALL = (1 << 30) - 1;

/** Rights that make sense on a regular file, a directory, a stream (tty, pipe, device). */
export const RIGHTS_REGULAR_FILE =
  RIGHTS.FD_DATASYNC | RIGHTS.FD_READ | RIGHTS.FD_SEEK | RIGHTS.FD_FDSTAT_SET_FLAGS |
  RIGHTS.FD_SYNC | RIGHTS.FD_TELL | RIGHTS.FD_WRITE | RIGHTS.FD_ADVISE | RIGHTS.FD_ALLOCATE |
  RIGHTS.FD_FILESTAT_GET | RIGHTS.FD_FILESTAT_SET_SIZE | RIGHTS.FD_FILESTAT_SET_TIMES |
  RIGHTS.POLL_FD_READWRITE;
export const RIGHTS_DIRECTORY =
  RIGHTS.PATH_CREATE_DIRECTORY |
  RIGHTS.PATH_CREATE_FILE | RIGHTS.PATH_LINK_SOURCE | RIGHTS.PATH_LINK_TARGET | RIGHTS.PATH_OPEN |
  RIGHTS.FD_READDIR | RIGHTS.PATH_READLINK | RIGHTS.PATH_RENAME_SOURCE |
  RIGHTS.PATH_RENAME_TARGET | RIGHTS.PATH_FILESTAT_GET | RIGHTS.PATH_FILESTAT_SET_SIZE |
  RIGHTS.PATH_FILESTAT_SET_TIMES | RIGHTS.FD_FILESTAT_GET | RIGHTS.FD_FILESTAT_SET_TIMES |
  RIGHTS.PATH_SYMLINK | RIGHTS.PATH_REMOVE_DIRECTORY | RIGHTS.PATH_UNLINK_FILE;
// (No FD_SYNC, FD_DATASYNC or FD_FDSTAT_SET_FLAGS on directories: wasmtime answers EBADF.)
// (No FD_SYNC/FD_DATASYNC on streams: wasmtime answers fd_sync on stdout with EBADF.)
export const RIGHTS_STREAM =
  RIGHTS.FD_READ | RIGHTS.FD_WRITE | RIGHTS.FD_FDSTAT_SET_FLAGS | RIGHTS.FD_FILESTAT_GET |
  RIGHTS.POLL_FD_READWRITE;

export const OFLAGS = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;
export const FDFLAGS = { APPEND: 1, DSYNC: 2, NONBLOCK: 4, RSYNC: 8, SYNC: 16 } as const;
export const FDFLAGS_ALL = 31;
export const LOOKUPFLAGS = { SYMLINK_FOLLOW: 1 } as const;
export const FSTFLAGS = { ATIM: 1, ATIM_NOW: 2, MTIM: 4, MTIM_NOW: 8 } as const;
export const WHENCE = { SET: 0, CUR: 1, END: 2 } as const;
export const CLOCK = { REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME_ID: 2, THREAD_CPUTIME_ID: 3 } as const;
export const EVENTTYPE = { CLOCK: 0, FD_READ: 1, FD_WRITE: 2 } as const;
export const SUBCLOCKFLAGS = { ABSTIME: 1 } as const;
export const EVENTRWFLAGS = { HANGUP: 1 } as const;
export const ADVICE_MAX = 5; // NORMAL SEQUENTIAL RANDOM WILLNEED DONTNEED NOREUSE
export const RIFLAGS = { RECV_PEEK: 1, RECV_WAITALL: 2 } as const;
export const SDFLAGS = { RD: 1, WR: 2 } as const;
export const PREOPENTYPE_DIR = 0;

/** WASI signal numbers (proc_raise). They differ from Linux's above 15: see SIGNAL_FROM_WASI. */
export const WASI_SIGNAL = {
  NONE: 0, HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10,
  SEGV: 11, USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, CHLD: 16, CONT: 17, STOP: 18, TSTP: 19,
  TTIN: 20, TTOU: 21, URG: 22, XCPU: 23, XFSZ: 24, VTALRM: 25, PROF: 26, WINCH: 27, POLL: 28,
  PWR: 29, SYS: 30,
} as const;

// Struct layouts.
export const SIZEOF_IOVEC = 8; // { buf: u32 @0, len: u32 @4 }
export const SIZEOF_FDSTAT = 24; // filetype u8 @0, flags u16 @2, rights_base u64 @8, rights_inheriting u64 @16
export const SIZEOF_FILESTAT = 64; // dev @0 ino @8 filetype u8 @16 nlink @24 size @32 atim @40 mtim @48 ctim @56
export const SIZEOF_DIRENT = 24; // d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8 @20
export const SIZEOF_PRESTAT = 8; // tag u8 @0, pr_name_len u32 @4
export const SIZEOF_SUBSCRIPTION = 48; // userdata u64 @0, tag u8 @8, union @16
export const SIZEOF_EVENT = 32; // userdata u64 @0, error u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24
