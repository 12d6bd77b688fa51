// Errors as Node makes them: a system call's errno becomes an Error whose message, code,
// errno (Linux's number, negated, as libuv gives it), syscall, path and dest are Node's, so
// code that tests `e.code === 'ENOENT'` or prints e.message runs unchanged.
import { ERRNO_NAMES } from '../abi/wasi.ts';

/** A system call failed: `errno` is WASI's number. Turned into a Node error by uvError(). */
export class SysErr extends Error {
  readonly errno: number;
  constructor(errno: number) {
    super(`errno ${errno}`);
    this.errno = errno;
  }
}

/** Linux's errno numbers, by WASI name. */
const LINUX: Record<string, number> = {
  PERM: 1, NOENT: 2, SRCH: 3, INTR: 4, IO: 5, NXIO: 6, '2BIG': 7, NOEXEC: 8, BADF: 9, CHILD: 10,
  AGAIN: 11, NOMEM: 12, ACCES: 13, FAULT: 14, BUSY: 16, EXIST: 17, XDEV: 18, NODEV: 19,
  NOTDIR: 20, ISDIR: 21, INVAL: 22, NFILE: 23, MFILE: 24, NOTTY: 25, TXTBSY: 26, FBIG: 27,
  NOSPC: 28, SPIPE: 29, ROFS: 30, MLINK: 31, PIPE: 32, DOM: 33, RANGE: 34, DEADLK: 35,
  NAMETOOLONG: 36, NOLCK: 37, NOSYS: 38, NOTEMPTY: 39, LOOP: 40, NOMSG: 42, IDRM: 43,
  NOLINK: 67, PROTO: 71, MULTIHOP: 72, BADMSG: 74, OVERFLOW: 75, ILSEQ: 84, NOTSOCK: 88,
  DESTADDRREQ: 89, MSGSIZE: 90, PROTOTYPE: 91, NOPROTOOPT: 92, PROTONOSUPPORT: 93, NOTSUP: 95,
  AFNOSUPPORT: 97, ADDRINUSE: 98, ADDRNOTAVAIL: 99, NETDOWN: 100, NETUNREACH: 101,
  NETRESET: 102, CONNABORTED: 103, CONNRESET: 104, NOBUFS: 105, ISCONN: 106, NOTCONN: 107,
  TIMEDOUT: 110, CONNREFUSED: 111, HOSTUNREACH: 113, ALREADY: 114, INPROGRESS: 115, STALE: 116,
  DQUOT: 122, CANCELED: 125, OWNERDEAD: 130, NOTRECOVERABLE: 131,
  // WASI's own: no Linux number; reported as EPERM's would be, under its own code.
  NOTCAPABLE: 1,
};

/** libuv's messages (uv_strerror), by code. */
const MESSAGES: Record<string, string> = {
  E2BIG: 'argument list too long', EACCES: 'permission denied', EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'address not available', EAFNOSUPPORT: 'address family not supported',
  EAGAIN: 'resource temporarily unavailable', EALREADY: 'connection already in progress',
  EBADF: 'bad file descriptor', EBUSY: 'resource busy or locked', ECANCELED: 'operation canceled',
  ECHILD: 'no child processes', ECONNABORTED: 'software caused connection abort',
  ECONNREFUSED: 'connection refused', ECONNRESET: 'connection reset by peer',
  EEXIST: 'file already exists', EFAULT: 'bad address in system call argument', EFBIG: 'file too large',
  EHOSTUNREACH: 'host is unreachable', EILSEQ: 'illegal byte sequence', EINTR: 'interrupted system call',
  EINVAL: 'invalid argument', EIO: 'i/o error', EISCONN: 'socket is already connected',
  EISDIR: 'illegal operation on a directory', ELOOP: 'too many symbolic links encountered',
  EMFILE: 'too many open files', EMLINK: 'too many links', EMSGSIZE: 'message too long',
  ENAMETOOLONG: 'name too long', ENETDOWN: 'network is down', ENETUNREACH: 'network is unreachable',
  ENFILE: 'file table overflow', ENOBUFS: 'no buffer space available', ENODEV: 'no such device',
  ENOENT: 'no such file or directory', ENOEXEC: 'exec format error', ENOMEM: 'not enough memory',
  ENOSPC: 'no space left on device', ENOSYS: 'function not implemented',
  ENOTCONN: 'socket is not connected', ENOTDIR: 'not a directory', ENOTEMPTY: 'directory not empty',
  ENOTSOCK: 'socket operation on non-socket', ENOTSUP: 'operation not supported on socket',
  ENOTTY: 'inappropriate ioctl for device', ENXIO: 'no such device or address',
  EOVERFLOW: 'value too large for defined data type', EPERM: 'operation not permitted',
  EPIPE: 'broken pipe', EPROTO: 'protocol error', EPROTONOSUPPORT: 'protocol not supported',
  EPROTOTYPE: 'protocol wrong type for socket', ERANGE: 'result too large', EROFS: 'read-only file system',
  ESPIPE: 'invalid seek', ESRCH: 'no such process', ETIMEDOUT: 'connection timed out',
  ETXTBSY: 'text file is busy', EXDEV: 'cross-device link not permitted',
  ENOTCAPABLE: 'capabilities insufficient', EDEADLK: 'resource deadlock avoided',
};

export function errnoCode(errno: number): string {
  const n = ERRNO_NAMES[errno];
  return n ? 'E' + n : 'EIO';
}

export interface UvError extends Error {
  errno: number;
  code: string;
  syscall: string;
  path?: string;
  dest?: string;
}

/** Node's error for a failed system call (fs's format: "ENOENT: no such file or directory, open 'x'"). */
export function uvError(errno: number, syscall: string, path?: string, dest?: string): UvError {
  const code = errnoCode(errno);
  let msg = `${code}: ${MESSAGES[code] ?? 'unknown error'}, ${syscall}`;
  if (path !== undefined) msg += ` '${path}'`;
  if (dest !== undefined) msg += ` -> '${dest}'`;
  const e = new Error(msg) as UvError;
  e.errno = -(LINUX[code.slice(1)] ?? 5);
  e.code = code;
  e.syscall = syscall;
  if (path !== undefined) e.path = path;
  if (dest !== undefined) e.dest = dest;
  Error.captureStackTrace(e, uvError);
  return e;
}

/** Rethrows `e` as Node's error for `syscall` if it is a SysErr; anything else as it is. */
export function rethrow(e: unknown, syscall: string, path?: string, dest?: string): never {
  if (e instanceof SysErr) {
    const u = uvError(e.errno, syscall, path, dest);
    throw u;
  }
  throw e;
}

/** Linux's errno for a WASI one (positive). */
export function linuxErrno(errno: number): number {
  return LINUX[(ERRNO_NAMES[errno] ?? 'IO')] ?? 5;
}

/** An error with one of Node's ERR_* codes. */
export function nodeError<T extends new (m: string) => Error>(Ctor: T, code: string, message: string): InstanceType<T> {
  const e = new Ctor(message) as InstanceType<T> & { code: string };
  e.code = code;
  return e;
}

/** What a program gets when it reaches for the host: a module, process.binding, an addon. */
export function hostAccessError(what: string, why = 'it would reach the host'): Error {
  const e = nodeError(Error, 'ERR_ISOKERNEL_HOST_ACCESS',
    `${what} is not available in an isokernel process (${why}); see docs/jsproc.md`);
  return e;
}
