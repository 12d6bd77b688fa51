// What the tracer knows of each system call: how to read its arguments (which are paths,
// buffers, iovecs, structs; which are read at entry and which at exit) and how a tracer
// should print them. This table is the one place that knows the calls' argument shapes; it
// is sent to every tracer as the first record of its stream (the schema), so a tracer
// (userland/sbin/lib/strace/) needs only the names of flags and errnos, not the calls.
//
// A call's params are listed with one kind each (KINDS below). A kind is either a scalar
// the tracer prints by name (flags, whence, a signal...), or a pointer whose memory the
// kernel copies into the record: at entry for inputs (a path, the bytes written), at exit
// for outputs (the bytes read, a filestat), and only for outputs when the call succeeded.
// A `ret_*` kind is the pointer where the call writes its result: the tracer prints it as
// the call's return value (`path_open(...) = 4`), as strace prints a Linux call's.
// Calls not in the table (added later by other subsystems) are traced with plain numbers.

/** How a param's memory is captured. */
export type Capture =
  /** Nothing: a scalar. */
  | null
  /** A string whose length is the next param (printed in full up to PATH_CAP: a path). */
  | { at: 'in' | 'out'; how: 'path' }
  /** Bytes whose length is the next param, cut at the tracer's string size. */
  | { at: 'in' | 'out'; how: 'buf' }
  /** An iovec array whose count is the next param: at exit, the bytes the call moved (its ret). */
  | { at: 'in' | 'out'; how: 'iov' }
  /** A fixed-size struct. */
  | { at: 'in' | 'out'; how: 'fixed'; size: number }
  /**
   * An array of `size`-byte elements, its count the param `countAt` after it (in; default
   * the next) or the call's ret (out).
   */
  | { at: 'in' | 'out'; how: 'array'; size: number; countAt?: number }
  /** Bytes whose length is the call's ret value (readlink, readdir), cut at `cap` (0: the string size). */
  | { at: 'out'; how: 'retbuf'; cap: number }
  /** The spawn request (64 bytes) and the program path and argv it points at. */
  | { at: 'in'; how: 'spawn' };

export interface KindDef {
  capture: Capture;
  /** The call's result is written here: printed as its return value. */
  ret?: boolean;
  /** Not printed (a length that goes with the param before it). */
  hidden?: boolean;
}

const fixedIn = (size: number): KindDef => ({ capture: { at: 'in', how: 'fixed', size } });
const fixedOut = (size: number): KindDef => ({ capture: { at: 'out', how: 'fixed', size } });
const ret = (size: number): KindDef => ({ capture: { at: 'out', how: 'fixed', size }, ret: true });
const scalar: KindDef = { capture: null };

/** Every kind: what the kernel captures for it. The tracer knows how to print each by name. */
export const KINDS: Readonly<Record<string, KindDef>> = {
  // scalars
  int: scalar, uint: scalar, hex: scalar, fd: scalar, len: scalar, pid: scalar, i64: scalar, u64: scalar,
  oflags: scalar, fdflags: scalar, rights: scalar, lookupflags: scalar, whence: scalar, clockid: scalar,
  signal: scalar, wasi_signal: scalar, advice: scalar, fstflags: scalar, timestamp: scalar, exitcode: scalar,
  waitopts: scalar, sighow: scalar, mode: scalar, resource: scalar, itimer: scalar, pipeflags: scalar,
  dupflags: scalar, atflags: scalar, sdflags: scalar, riflags: scalar, siflags: scalar, fdcloexec: scalar,
  cookie: scalar, ns: scalar, pages: scalar, seconds: scalar, traceflags: scalar, ptr: scalar,
  sockdomain: scalar, socktype: scalar, sockflags: scalar, msgflags: scalar, onoff: scalar, socklevel: scalar,
  hidden: { capture: null, hidden: true },
  // inputs
  path: { capture: { at: 'in', how: 'path' } },
  str: { capture: { at: 'in', how: 'buf' } },
  buf: { capture: { at: 'in', how: 'buf' } },
  iov: { capture: { at: 'in', how: 'iov' } },
  subs: { capture: { at: 'in', how: 'array', size: 48, countAt: 2 } }, // poll_oneoff(in, out, nsubscriptions, ...)
  sigact: fixedIn(12),
  sigset: fixedIn(4),
  rlimit: fixedIn(16),
  spawnreq: { capture: { at: 'in', how: 'spawn' } },
  /** A struct sockaddr, its length the next param (net/addr.ts has the layout). */
  sockaddr: { capture: { at: 'in', how: 'buf' } },
  // outputs
  obuf: { capture: { at: 'out', how: 'buf' } },
  oiov: { capture: { at: 'out', how: 'iov' } },
  ofdstat: fixedOut(24),
  ofilestat: fixedOut(64),
  oprestat: fixedOut(8),
  ostat: fixedOut(72),
  osigact: fixedOut(12),
  osigset: fixedOut(4),
  orlimit: fixedOut(16),
  oitimer: fixedOut(16),
  ofds: fixedOut(8),
  owstatus: fixedOut(4),
  ouname: fixedOut(390),
  ostatvfs: fixedOut(88),
  oids: fixedOut(16),
  ou32: fixedOut(4),
  ou64: fixedOut(8),
  oevents: { capture: { at: 'out', how: 'array', size: 32 } },
  olink: { capture: { at: 'out', how: 'retbuf', cap: 4096 } },
  odirents: { capture: { at: 'out', how: 'retbuf', cap: 16384 } },
  /** Bytes received: as many as the call's result, cut at the string size. */
  orecv: { capture: { at: 'out', how: 'retbuf', cap: 0 } },
  ocwd: { capture: { at: 'out', how: 'path' } },
  // results written through a pointer: printed as the return value
  ret_fd: ret(4), ret_size: ret(4), ret_u32: ret(4), ret_pid: ret(4), ret_u64: ret(8), ret_ts: ret(8), ret_mode: ret(4),
};

/**
 * The calls: module → name → [kind per param, how the call returns]. `errno` calls return
 * an errno (0 success); `value` calls return a value (memory_grow: the old size, or -1).
 */
const W: Record<string, string[]> = {
  args_sizes_get: ['ou32', 'ou32'],
  args_get: ['ptr', 'ptr'],
  environ_sizes_get: ['ou32', 'ou32'],
  environ_get: ['ptr', 'ptr'],
  clock_res_get: ['clockid', 'ret_ts'],
  clock_time_get: ['clockid', 'ns', 'ret_ts'],
  random_get: ['obuf', 'len'],
  proc_exit: ['exitcode'],
  proc_raise: ['wasi_signal'],
  sched_yield: [],
  fd_read: ['fd', 'oiov', 'len', 'ret_size'],
  fd_write: ['fd', 'iov', 'len', 'ret_size'],
  fd_pread: ['fd', 'oiov', 'len', 'u64', 'ret_size'],
  fd_pwrite: ['fd', 'iov', 'len', 'u64', 'ret_size'],
  fd_close: ['fd'],
  fd_renumber: ['fd', 'fd'],
  fd_seek: ['fd', 'i64', 'whence', 'ret_u64'],
  fd_tell: ['fd', 'ret_u64'],
  fd_fdstat_get: ['fd', 'ofdstat'],
  fd_fdstat_set_flags: ['fd', 'fdflags'],
  fd_fdstat_set_rights: ['fd', 'rights', 'rights'],
  fd_filestat_get: ['fd', 'ofilestat'],
  fd_filestat_set_size: ['fd', 'u64'],
  fd_filestat_set_times: ['fd', 'timestamp', 'timestamp', 'fstflags'],
  fd_advise: ['fd', 'u64', 'u64', 'advice'],
  fd_allocate: ['fd', 'u64', 'u64'],
  fd_sync: ['fd'],
  fd_datasync: ['fd'],
  fd_prestat_get: ['fd', 'oprestat'],
  fd_prestat_dir_name: ['fd', 'ocwd', 'len'],
  fd_readdir: ['fd', 'odirents', 'len', 'cookie', 'ret_size'],
  path_open: ['fd', 'lookupflags', 'path', 'hidden', 'oflags', 'rights', 'rights', 'fdflags', 'ret_fd'],
  path_create_directory: ['fd', 'path', 'hidden'],
  path_filestat_get: ['fd', 'lookupflags', 'path', 'hidden', 'ofilestat'],
  path_filestat_set_times: ['fd', 'lookupflags', 'path', 'hidden', 'timestamp', 'timestamp', 'fstflags'],
  path_link: ['fd', 'lookupflags', 'path', 'hidden', 'fd', 'path', 'hidden'],
  path_readlink: ['fd', 'path', 'hidden', 'olink', 'len', 'ret_size'],
  path_remove_directory: ['fd', 'path', 'hidden'],
  path_rename: ['fd', 'path', 'hidden', 'fd', 'path', 'hidden'],
  path_symlink: ['path', 'hidden', 'fd', 'path', 'hidden'],
  path_unlink_file: ['fd', 'path', 'hidden'],
  poll_oneoff: ['subs', 'oevents', 'len', 'ret_size'],
  sock_accept: ['fd', 'fdflags', 'ret_fd'],
  sock_recv: ['fd', 'oiov', 'len', 'riflags', 'ret_size', 'ou32'],
  sock_send: ['fd', 'iov', 'len', 'siflags', 'ret_size'],
  sock_shutdown: ['fd', 'sdflags'],
};

const K: Record<string, string[]> = {
  spawn: ['spawnreq', 'ret_pid'],
  exec: ['spawnreq'],
  wait: ['pid', 'waitopts', 'owstatus', 'ret_pid'],
  kill: ['pid', 'signal'],
  getpid: ['ret_pid'],
  getppid: ['ret_pid'],
  getpgid: ['pid', 'ret_pid'],
  getsid: ['pid', 'ret_pid'],
  setpgid: ['pid', 'pid'],
  setsid: ['ret_pid'],
  chdir: ['path', 'hidden'],
  fchdir: ['fd'],
  getcwd: ['ocwd', 'len', 'ou32'],
  sigaction: ['signal', 'sigact', 'osigact'],
  sigprocmask: ['sighow', 'sigset', 'osigset'],
  sigpending: ['osigset'],
  sigsuspend: ['sigset'],
  alarm: ['seconds', 'ret_u32'],
  setitimer: ['itimer', 'ns', 'ns', 'oitimer'],
  pipe: ['ofds', 'pipeflags'],
  dup: ['fd', 'ret_fd'],
  dup2: ['fd', 'fd', 'dupflags'],
  dupfd: ['fd', 'int', 'dupflags', 'ret_fd'],
  fd_getfd: ['fd', 'ret_u32'],
  fd_next: ['int', 'ret_fd'],
  fd_setfd: ['fd', 'fdcloexec'],
  umask: ['mode', 'ret_mode'],
  memory_grow: ['pages'],
  fstat: ['fd', 'ostat'],
  fstatat: ['fd', 'path', 'hidden', 'atflags', 'ostat'],
  chmod: ['fd', 'path', 'hidden', 'mode', 'atflags'],
  fchmod: ['fd', 'mode'],
  uname: ['ouname'],
  statvfs: ['fd', 'ostatvfs'],
  getids: ['oids'],
  getrlimit: ['resource', 'orlimit'],
  setrlimit: ['resource', 'rlimit'],
  prlimit: ['pid', 'resource', 'rlimit', 'orlimit'],
  trace_attach: ['pid', 'traceflags', 'int', 'ret_fd'],
  trace_detach: ['fd', 'pid'],
  trace_filter: ['fd', 'buf', 'len'],
  // sockets (isk-net.ts; docs/abi.md, "Sockets")
  socket: ['sockdomain', 'socktype', 'int', 'ret_fd'],
  socketpair: ['sockdomain', 'socktype', 'int', 'ofds'],
  bind: ['fd', 'sockaddr', 'len'],
  listen: ['fd', 'int'],
  accept: ['fd', 'ptr', 'ptr', 'sockflags', 'ret_fd'],
  connect: ['fd', 'sockaddr', 'len'],
  sendto: ['fd', 'buf', 'len', 'msgflags', 'sockaddr', 'hidden', 'ret_size'],
  recvfrom: ['fd', 'orecv', 'len', 'msgflags', 'ptr', 'ptr', 'ret_size'],
  shutdown: ['fd', 'sdflags'],
  getsockname: ['fd', 'ptr', 'ptr'],
  getpeername: ['fd', 'ptr', 'ptr'],
  setsockopt: ['fd', 'socklevel', 'int', 'buf', 'len'],
  getsockopt: ['fd', 'socklevel', 'int', 'ptr', 'ptr'],
  // the log device (isk-log.ts)
  log_open: ['path', 'hidden', 'int', 'int', 'int', 'ret_fd'],
  log_write: ['path', 'hidden', 'int', 'int', 'buf', 'len'],
  log_reader: ['int', 'ret_fd'],
  tty_set_raw: ['fd', 'onoff'],
  tty_isatty: ['fd'],
  tty_getattr: ['fd', 'ptr'],
  tty_setattr: ['fd', 'int', 'ptr'],
  tty_getwinsize: ['fd', 'ptr'],
  tty_setwinsize: ['fd', 'ptr'],
  tty_getpgrp: ['fd', 'ptr'],
  tty_setpgrp: ['fd', 'int'],
  tty_getsid: ['fd', 'ptr'],
  tty_flush: ['fd', 'int'],
  tty_name: ['fd', 'ptr', 'len', 'ptr'],
};

/** The rewriter's own calls (isk-guard.ts): not system calls the program makes. Never traced. */
const HIDDEN_CALLS = new Set(['isokernel\0preempt', 'isokernel\0fault_null', 'isokernel\0fault_stack']);
/** Calls that return a value, not an errno. */
const VALUE_CALLS = new Set(['isokernel\0memory_grow']);

export interface TraceCall {
  /** Its number in the kernel's call table (the order of Kernel.syscalls), as JS processes call it. */
  readonly id: number;
  readonly module: string;
  readonly name: string;
  readonly params: readonly ('i32' | 'i64')[];
  readonly kinds: readonly string[];
  /** KINDS[kinds[i]] for each param (looked up once, not per call). */
  readonly kindDefs: readonly KindDef[];
  /** Param indices captured at entry, and at exit. */
  readonly inCaps: readonly number[];
  readonly outCaps: readonly number[];
  /** The param whose memory holds the result (ret_*), or -1. */
  readonly retParam: number;
  /** The rewriter's calls: not recorded. */
  readonly hidden: boolean;
  readonly returnsValue: boolean;
  /**
   * Recorded by the tracer's short path (TraceSession.call0..call4): shown, i32 params only,
   * nothing captured but a 4- or 8-byte result (getppid, fd_close, sched_yield...).
   */
  readonly plain: boolean;
  /** The ret_* param's size (4 or 8), or 0. */
  readonly retSize: number;
}

function kindsFor(module: string, name: string, params: readonly ('i32' | 'i64')[]): string[] {
  const table = module === 'wasi_snapshot_preview1' ? W : module === 'isokernel' ? K : null;
  const known = table !== null && Object.hasOwn(table, name) ? table[name]! : null;
  if (known !== null && known.length === params.length) return [...known];
  return params.map((t) => (t === 'i64' ? 'i64' : 'int'));
}

const cache = new WeakMap<object, TraceCall[]>();

/**
 * The calls of a kernel's syscall tables, numbered in their iteration order — the order the
 * import wrappers (dispatch.ts) and JS processes' call table (jsproc.ts) use.
 */
export function traceCalls(modules: Readonly<Record<string, Record<string, { params: ('i32' | 'i64')[] }>>>): TraceCall[] {
  let out = cache.get(modules);
  if (out) return out;
  out = [];
  for (const [module, table] of Object.entries(modules)) {
    for (const [name, def] of Object.entries(table)) {
      const kinds = kindsFor(module, name, def.params);
      const inCaps: number[] = [];
      const outCaps: number[] = [];
      let retParam = -1;
      kinds.forEach((k, i) => {
        const d = KINDS[k]!;
        if (d.ret) retParam = i;
        else if (d.capture?.at === 'in') inCaps.push(i);
        else if (d.capture?.at === 'out') outCaps.push(i);
      });
      const key = `${module}\0${name}`;
      const rc = retParam >= 0 ? KINDS[kinds[retParam]!]!.capture : null;
      const retSize = rc !== null && rc.how === 'fixed' && (rc.size === 4 || rc.size === 8) ? rc.size : 0;
      const hidden = HIDDEN_CALLS.has(key);
      out.push({
        id: out.length, module, name, params: def.params, kinds, kindDefs: kinds.map((k) => KINDS[k]!), inCaps, outCaps, retParam,
        hidden, returnsValue: VALUE_CALLS.has(key),
        plain: !hidden && inCaps.length === 0 && outCaps.length === 0 && (retParam < 0 || retSize > 0) && def.params.every((t) => t === 'i32'),
        retSize,
      });
    }
  }
  cache.set(modules, out);
  return out;
}
