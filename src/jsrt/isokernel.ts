// The `isokernel` module: the kernel's system calls for JavaScript, one function each, in
// POSIX's terms (docs/jsproc.md, "The isokernel module"). Synchronous where POSIX is (the
// isolate waits in Atomics.wait while the kernel works), with promise forms in
// `isokernel.promises` for the calls that can wait (read, write, wait, sleep, poll, spawn):
// those go through an async lane and the event loop runs meanwhile. Errors are Node's
// system errors: `code` ('ENOENT'), `errno` (negative, Linux's), `syscall`, `path`.
import { DISPOSITION, SIG } from '../abi/signals.ts';
import { FILETYPE } from '../abi/wasi.ts';
import { rethrow } from './errors.ts';
import { kernelArgv, signalName, signalNumber } from './node/process.ts';
import { forgetUmask } from './node/fs.ts';
import * as sys from './sys.ts';
import { sockets, socketPromises } from './isk-sockets.ts';
import { FACILITIES, logApi, logPromises, SEVERITIES } from './log.ts';
import { traceApi } from './trace.ts';

function uv<T>(syscall: string, path: string | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    return rethrow(e, syscall, path);
  }
}
async function uvAsync<T>(syscall: string, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    return rethrow(e, syscall);
  }
}

const TYPES: Record<number, string> = {
  [FILETYPE.REGULAR_FILE]: 'file', [FILETYPE.DIRECTORY]: 'directory', [FILETYPE.SYMBOLIC_LINK]: 'symlink',
  [FILETYPE.CHARACTER_DEVICE]: 'chardev', [FILETYPE.BLOCK_DEVICE]: 'blockdev', [FILETYPE.SOCKET_STREAM]: 'socket',
  [FILETYPE.SOCKET_DGRAM]: 'socket', [FILETYPE.UNKNOWN]: 'unknown',
};

export interface IskStat {
  dev: bigint;
  ino: bigint;
  type: string;
  mode: number;
  nlink: number;
  size: number;
  /** ns since the epoch. */
  atime: bigint;
  mtime: bigint;
  ctime: bigint;
  uid: number;
  gid: number;
}

function toStat(s: sys.Stat): IskStat {
  const fifo = (s.mode & 0o170000) === 0o010000;
  return {
    dev: s.dev, ino: s.ino, type: fifo ? 'fifo' : TYPES[s.filetype] ?? 'unknown', mode: s.mode, nlink: Number(s.nlink),
    size: Number(s.size), atime: s.atim, mtime: s.mtim, ctime: s.ctim, uid: s.uid, gid: s.gid,
  };
}

const OPEN_FLAGS: Record<string, [boolean, boolean, number, number]> = {
  // read, write, oflags (CREAT 1, DIRECTORY 2, EXCL 4, TRUNC 8), fdflags (APPEND 1)
  r: [true, false, 0, 0], 'r+': [true, true, 0, 0], w: [false, true, 1 | 8, 0], 'w+': [true, true, 1 | 8, 0],
  wx: [false, true, 1 | 4 | 8, 0], a: [false, true, 1, 1], 'a+': [true, true, 1, 1], ax: [false, true, 1 | 4, 1],
};

function bytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data) : data;
}

function position(p: number | bigint | null | undefined): bigint | null {
  return p === undefined || p === null ? null : BigInt(p);
}

/** A wait status as its parts. */
export interface WaitStatus {
  pid: number;
  /** Linux's encoding, as waitpid(2) gives it. */
  status: number;
  code: number | null;
  signal: string | null;
  stopped: boolean;
  continued: boolean;
}

function decode(w: sys.WaitResult): WaitStatus {
  const s = w.status;
  if (s === 0xffff) return { pid: w.pid, status: s, code: null, signal: null, stopped: false, continued: true };
  if ((s & 0xff) === 0x7f) return { pid: w.pid, status: s, code: null, signal: signalName((s >> 8) & 0xff), stopped: true, continued: false };
  if ((s & 0x7f) !== 0) return { pid: w.pid, status: s, code: null, signal: signalName(s & 0x7f), stopped: false, continued: false };
  return { pid: w.pid, status: s, code: (s >> 8) & 0xff, signal: null, stopped: false, continued: false };
}

interface WaitOptions {
  nohang?: boolean;
  untraced?: boolean;
  continued?: boolean;
}
const waitFlags = (o?: WaitOptions): number => (o?.nohang ? 1 : 0) | (o?.untraced ? 2 : 0) | (o?.continued ? 8 : 0);

/**
 * A spawned child's descriptor: one of the parent's, 'null', a path opened for it, or (with
 * spawnPiped) 'pipe': a new pipe that the child reads (fd 0) or writes (any other fd), the
 * caller's end returned, close-on-exec — no pipe() and close() of the child's end around it.
 */
type FdSpec = number | 'null' | 'pipe' | { path: string; write?: boolean; append?: boolean };

/** What spawnPiped gives: the child's pid and, by the child's fd, the caller's end of each 'pipe'. */
export interface Piped {
  pid: number;
  pipes: Record<number, number>;
}

export interface SpawnOptions {
  env?: Record<string, string> | string[];
  cwd?: string;
  /** The child's descriptors by number; others are the caller's (but close-on-exec ones). */
  fds?: Record<number, FdSpec>;
  /** Search PATH (the given one, or env PATH, or /bin:/usr/bin) when `path` has no `/`. */
  search?: boolean | string;
  setsid?: boolean;
  /** Join process group `pgroup` (0: a new group led by the child). */
  pgroup?: number;
  /** Reset every signal to its default in the child (posix_spawn's SETSIGDEF); default true. */
  resetSignals?: boolean;
  /** The child's user and group (spawn action SETIDS: uid 0 only, for ids other than the caller's). */
  uid?: number;
  gid?: number;
  /**
   * The child's resource limits, by the kernel's names (docs/abi.md, "Resource limits"): each
   * value sets the soft and the hard limit, as `ulimit` does; Infinity is unlimited.
   */
  limits?: Partial<Record<SpawnLimit, number>>;
}

/** A limit's RLIMIT number and its value in the guest's unit (RLIM_INFINITY for Infinity). */
const SPAWN_LIMITS = {
  cpuMs: [0, (v: number) => BigInt(Math.ceil(v / 1000))], fileBytes: [1, BigInt], coreBytes: [4, BigInt],
  userProcesses: [6, BigInt], openFiles: [7, BigInt], memoryPages: [9, (v: number) => BigInt(v) * 65536n],
  children: [16, BigInt], threads: [17, BigInt],
} as const satisfies Record<string, readonly [number, (v: number) => bigint]>;
export type SpawnLimit = keyof typeof SPAWN_LIMITS;

function limitActions(limits: Partial<Record<SpawnLimit, number>>): sys.FileAction[] {
  const out: sys.FileAction[] = [];
  for (const [name, v] of Object.entries(limits)) {
    const l = Object.hasOwn(SPAWN_LIMITS, name) ? SPAWN_LIMITS[name as SpawnLimit] : undefined;
    if (!l || typeof v !== 'number' || Number.isNaN(v) || v < 0) {
      throw Object.assign(new TypeError(`isokernel.spawn: bad limit ${name}=${String(v)} (limits: ${Object.keys(SPAWN_LIMITS).join(' ')})`), { code: 'ERR_INVALID_ARG_VALUE' });
    }
    const g = v === Infinity ? 0xffff_ffff_ffff_ffffn : l[1](Math.floor(v));
    out.push({ kind: 'setrlimit', resource: l[0], soft: g, hard: g });
  }
  return out;
}

function spawnRequest(path: string, argv: readonly string[] | undefined, o: SpawnOptions = {}, piped = false): sys.SpawnRequest {
  const env = Array.isArray(o.env) ? o.env : Object.entries(o.env ?? process.env).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`);
  const actions: sys.FileAction[] = [];
  for (const [k, spec] of Object.entries(o.fds ?? {})) {
    const fd = Number(k);
    if (typeof spec === 'number') actions.push({ kind: 'dup2', fd: spec, to: fd });
    else if (spec === 'pipe') {
      if (!piped) throw Object.assign(new TypeError(`isokernel.spawn: fds[${fd}] 'pipe' needs spawnPiped (which returns the pipe's end)`), { code: 'ERR_INVALID_ARG_VALUE' });
      actions.push({ kind: 'pipe', fd, childReads: fd === 0 });
    } else if (spec === 'null') actions.push({ kind: 'open', fd, path: '/dev/null', flags: fd === 0 ? 0x04000000 : 0x10000000 });
    else {
      const w = spec.write === true || spec.append === true;
      // wasi-libc's open flags: O_WRONLY | O_CREAT | O_TRUNC (or O_APPEND) for writing.
      const flags = w ? 0x10000000 | (1 << 12) | (spec.append ? 1 : 8 << 12) : 0x04000000;
      actions.push({ kind: 'open', fd, path: spec.path, flags });
    }
  }
  // Limits before the ids: raising a hard value needs uid 0, and SETIDS may drop it.
  if (o.limits) actions.push(...limitActions(o.limits));
  if (o.uid !== undefined || o.gid !== undefined) {
    actions.push({ kind: 'setids', uid: o.uid ?? sys.getids()[0], gid: o.gid ?? sys.getids()[2] });
  }
  const search = o.search === undefined || o.search === false ? null
    : typeof o.search === 'string' ? o.search : process.env.PATH ?? '/bin:/usr/bin';
  return {
    path, argv: argv ?? [path], env, actions, search, cwd: o.cwd ?? null,
    ...(o.setsid ? { setsid: true } : {}), ...(o.pgroup !== undefined ? { pgroup: o.pgroup } : {}),
    ...(o.resetSignals === false ? {} : { sigdefault: 0x7fffffff }),
  };
}

export const isokernel = {
  // ---- identity, arguments, environment, exit ----
  get pid(): number {
    return process.pid;
  },
  getpid: (): number => sys.getpid(),
  getppid: (): number => sys.getppid(),
  getpgid: (pid = 0): number => uv('getpgid', undefined, () => sys.getpgid(pid)),
  getsid: (pid = 0): number => uv('getsid', undefined, () => sys.getsid(pid)),
  setpgid: (pid = 0, pgid = 0): void => uv('setpgid', undefined, () => sys.setpgid(pid, pgid)),
  setsid: (): number => uv('setsid', undefined, () => sys.setsid()),
  ids(): { uid: number; euid: number; gid: number; egid: number } {
    const [uid, euid, gid, egid] = sys.getids();
    return { uid, euid, gid, egid };
  },
  /** argv as the kernel holds it (what ps shows): `node`, the script, its arguments. */
  get args(): string[] {
    return kernelArgv();
  },
  get env(): NodeJS.ProcessEnv {
    return process.env;
  },
  /** Ends the process now: no 'exit' listeners, no flushing (as _exit(2)). */
  exit(code = 0): never {
    return sys.procExit(code);
  },

  // ---- time ----
  /** ns on a clock: 'monotonic' (default), 'realtime', 'cputime' (the process's CPU time). */
  time(clock: 'monotonic' | 'realtime' | 'cputime' = 'monotonic'): bigint {
    return sys.clockTime(clock === 'realtime' ? 0 : clock === 'cputime' ? 2 : 1);
  },
  /** Sleeps `ms` milliseconds: the whole isolate waits (the promise form lets the event loop run). */
  sleep(ms: number): void {
    sys.poll([{ type: 0, timeoutNs: BigInt(Math.max(0, Math.round(ms * 1e6))) }]);
  },

  // ---- files ----
  open(path: string, flags: string = 'r', mode?: number): number {
    const f = OPEN_FLAGS[flags];
    if (!f) throw Object.assign(new TypeError(`isokernel.open: flags must be one of ${Object.keys(OPEN_FLAGS).join(' ')}`), { code: 'ERR_INVALID_ARG_VALUE' });
    const fd = uv('open', path, () => sys.pathOpen(path, { follow: true, read: f[0], write: f[1], oflags: f[2], fdflags: f[3] }));
    if (mode !== undefined && (f[2] & 1) !== 0) uv('fchmod', path, () => sys.fchmod(fd, mode));
    return fd;
  },
  close: (fd: number): void => uv('close', undefined, () => sys.fdClose(fd)),
  /**
   * Closes `fd` without waiting for the kernel to have done it (nor for an error: EBADF is
   * not reported): for a descriptor the caller is done with, on a path where a round trip
   * matters. The number may stay taken until the kernel has served the close.
   */
  closeLater: (fd: number): void => {
    if (!Number.isInteger(fd) || fd < 0) throw Object.assign(new RangeError(`isokernel.closeLater: bad descriptor ${String(fd)}`), { code: 'ERR_OUT_OF_RANGE' });
    sys.fdCloseDetached(fd);
  },
  /** Reads up to `n` bytes (at `pos` if given): a new Uint8Array, empty at end of file. */
  read(fd: number, n = 65536, pos?: number | bigint | null): Uint8Array {
    const b = new Uint8Array(Math.min(n, sys.IO_CHUNK));
    const got = uv('read', undefined, () => sys.fdRead(fd, b, position(pos)));
    return b.subarray(0, got);
  },
  /** Writes all of `data` (at `pos` if given); returns the count. */
  write(fd: number, data: string | Uint8Array, pos?: number | bigint | null): number {
    const b = bytes(data);
    let off = 0;
    let at = position(pos);
    while (off < b.length) {
      const n = uv('write', undefined, () => sys.fdWrite(fd, b.subarray(off), at));
      off += n;
      if (at !== null) at += BigInt(n);
    }
    return b.length;
  },
  seek(fd: number, offset: number | bigint, whence: 'set' | 'cur' | 'end' = 'set'): number {
    return Number(uv('seek', undefined, () => sys.fdSeek(fd, BigInt(offset), whence === 'set' ? 0 : whence === 'cur' ? 1 : 2)));
  },
  stat: (path: string, o?: { follow?: boolean }): IskStat => uv('stat', path, () => toStat(sys.stat(path, o?.follow !== false))),
  fstat: (fd: number): IskStat => uv('fstat', undefined, () => toStat(sys.fstat(fd))),
  readdir(path: string): { name: string; type: string; ino: bigint }[] {
    return uv('readdir', path, () => {
      const fd = sys.pathOpen(path, { follow: true, oflags: 2, read: true, write: false, fdflags: 0 });
      try {
        return sys.fdReaddir(fd).map((e) => ({ name: e.name, type: TYPES[e.type] ?? 'unknown', ino: e.ino }));
      } finally {
        sys.fdClose(fd);
      }
    });
  },
  mkdir(path: string, mode?: number): void {
    uv('mkdir', path, () => sys.pathMkdir(path));
    if (mode !== undefined) uv('chmod', path, () => sys.chmod(path, mode));
  },
  rmdir: (path: string): void => uv('rmdir', path, () => sys.pathRmdir(path)),
  unlink: (path: string): void => uv('unlink', path, () => sys.pathUnlink(path)),
  rename: (from: string, to: string): void => uv('rename', from, () => sys.pathRename(from, to)),
  link: (from: string, to: string): void => uv('link', from, () => sys.pathLink(from, to)),
  symlink: (target: string, path: string): void => uv('symlink', path, () => sys.pathSymlink(target, path)),
  readlink: (path: string): string => uv('readlink', path, () => sys.pathReadlink(path)),
  chmod: (path: string, mode: number): void => uv('chmod', path, () => sys.chmod(path, mode)),
  truncate(fd: number, size: number): void {
    uv('ftruncate', undefined, () => sys.fdSetSize(fd, BigInt(size)));
  },
  readFile: (path: string): Uint8Array => uv('open', path, () => sys.readFile(path)),
  writeFile(path: string, data: string | Uint8Array): void {
    const fd = isokernel.open(path, 'w');
    try {
      isokernel.write(fd, data);
    } finally {
      sys.fdClose(fd);
    }
  },
  chdir: (path: string): void => uv('chdir', path, () => sys.chdir(path)),
  getcwd: (): string => sys.getcwd(),
  /** Sets the creation mask and returns the old one; without an argument, only reads it. */
  umask(mask?: number): number {
    if (mask !== undefined) {
      forgetUmask();
      return sys.umask(mask);
    }
    const old = sys.umask(0o022);
    sys.umask(old);
    return old;
  },

  // ---- descriptors and pipes ----
  /** [read end, write end]. */
  pipe(o?: { cloexec?: boolean; nonblock?: boolean }): [number, number] {
    return uv('pipe', undefined, () => sys.pipe((o?.cloexec ? 1 : 0) | (o?.nonblock ? 4 : 0)));
  },
  dup: (fd: number): number => uv('dup', undefined, () => sys.dup(fd)),
  dup2: (fd: number, to: number, o?: { cloexec?: boolean }): void => uv('dup2', undefined, () => sys.dup2(fd, to, o?.cloexec)),
  cloexec: (fd: number, on = true): void => uv('fcntl', undefined, () => sys.setCloexec(fd, on)),
  isatty(fd: number): boolean {
    try {
      const st = sys.fdFdstat(fd);
      return st.filetype === FILETYPE.CHARACTER_DEVICE && (st.rightsBase & ((1n << 2n) | (1n << 5n))) === 0n;
    } catch {
      return false;
    }
  },

  // ---- processes and signals ----
  /** Starts `path` (argv[0] included in `argv`); returns its pid. Descriptors: see SpawnOptions. */
  spawn: (path: string, argv?: readonly string[], o?: SpawnOptions): number => uv('spawn', path, () => sys.spawn(spawnRequest(path, argv, o))),
  /** spawn, where fds may say 'pipe': returns the pid and the caller's end of each such pipe. */
  spawnPiped: (path: string, argv?: readonly string[], o?: SpawnOptions): Piped =>
    piped(o, uv('spawn', path, () => sys.spawnEx(spawnRequest(path, argv, o, true)))),
  /** Waits for a child (pid -1: any); null with `nohang` when none has changed. */
  wait(pid = -1, o?: WaitOptions): WaitStatus | null {
    const w = uv('wait', undefined, () => sys.wait(pid, waitFlags(o)));
    return w.pid === 0 ? null : decode(w);
  },
  kill(pid: number, sig: string | number = 'SIGTERM'): void {
    uv('kill', undefined, () => sys.kill(pid, signalNumber(sig)));
  },
  raise(sig: string | number): void {
    uv('kill', undefined, () => sys.kill(sys.getpid(), signalNumber(sig)));
  },
  /**
   * A signal's disposition: 'default', 'ignore', or a handler, run on the event loop (as
   * process.on(name) listeners are; this is the same machinery).
   */
  signal(sig: string | number, action: 'default' | 'ignore' | ((sig: string) => void)): void {
    const n = signalNumber(sig);
    const name = signalName(n) ?? `SIG${n}`;
    if (typeof action === 'function') {
      process.on(name as NodeJS.Signals, action);
      return;
    }
    process.removeAllListeners(name);
    uv('sigaction', undefined, () => sys.sigaction(n, action === 'ignore' ? DISPOSITION.IGNORE : DISPOSITION.DEFAULT));
  },
  signals: Object.freeze({ ...SIG }),

  // ---- the system ----
  // ---- logging (log.ts; docs/logging.md): openlog, syslog, logReader, readLog ----
  ...logApi,
  severities: SEVERITIES,
  facilities: FACILITIES,
  // ---- tracing (trace.ts; docs/tools.md, strace): traceAttach, traceDetach ----
  ...traceApi,

  uname: (): sys.Uname => sys.uname(),
  statvfs(path: string): sys.Statvfs {
    return uv('statvfs', path, () => {
      const fd = sys.pathOpen(path, { follow: true, oflags: 0, read: true, write: false, fdflags: 0 });
      try {
        return sys.statvfs(fd);
      } finally {
        sys.fdClose(fd);
      }
    });
  },
  /**
   * Waits for the first ready descriptor or the timeout: subscriptions { fd, events: 'read' |
   * 'write' }, timeout in ms (none: wait as long as it takes). Returns the ready ones.
   */
  poll(subs: readonly { fd: number; events: 'read' | 'write' }[], timeoutMs?: number): { fd: number; events: string; hangup: boolean; nbytes: number; error: number }[] {
    return pollResult(subs, uv('poll', undefined, () => sys.poll(pollSubs(subs, timeoutMs))));
  },

  // ---- sockets (isk-sockets.ts) ----
  ...sockets,

  promises: {
    ...logPromises,
    ...socketPromises,
    async read(fd: number, n = 65536, pos?: number | bigint | null): Promise<Uint8Array> {
      return uvAsync('read', sys.fdReadAsync(fd, n, position(pos)));
    },
    /**
     * read into `dst` (up to its length, at most 1 MiB): the bytes read, 0 at end of file —
     * no new array per read, for a reader that reads much (strace). `dst` must be left alone
     * until the promise settles.
     */
    async readInto(fd: number, dst: Uint8Array): Promise<number> {
      // (a program's Uint8Array may be another realm's: not instanceof this one's)
      if (!ArrayBuffer.isView(dst) || dst.BYTES_PER_ELEMENT !== 1 || Object.prototype.toString.call(dst) !== '[object Uint8Array]') throw Object.assign(new TypeError('isokernel.promises.readInto: dst must be a Uint8Array'), { code: 'ERR_INVALID_ARG_TYPE' });
      return uvAsync('read', sys.fdReadIntoAsync(fd, dst));
    },
    /**
     * read, and whether `fd` is at its end now (`eof`: a pipe, empty, with no writer left —
     * the next read would give an empty array), so that a reader can skip that read.
     */
    async readEof(fd: number, n = 65536): Promise<{ data: Uint8Array; eof: boolean }> {
      return uvAsync('read', sys.fdReadEofAsync(fd, n));
    },
    async write(fd: number, data: string | Uint8Array, pos?: number | bigint | null): Promise<number> {
      const b = bytes(data);
      let off = 0;
      let at = position(pos);
      while (off < b.length) {
        const n = await uvAsync('write', sys.fdWriteAsync(fd, b.subarray(off), at));
        off += n;
        if (at !== null) at += BigInt(n);
      }
      return b.length;
    },
    async wait(pid = -1, o?: WaitOptions): Promise<WaitStatus | null> {
      const w = await uvAsync('wait', sys.waitAsync(pid, waitFlags(o)));
      return w.pid === 0 ? null : decode(w);
    },
    async spawn(path: string, argv?: readonly string[], o?: SpawnOptions): Promise<number> {
      return uvAsync('spawn', sys.spawnAsync(spawnRequest(path, argv, o)));
    },
    async spawnPiped(path: string, argv?: readonly string[], o?: SpawnOptions): Promise<Piped> {
      return piped(o, await uvAsync('spawn', sys.spawnExAsync(spawnRequest(path, argv, o, true))));
    },
    async sleep(ms: number): Promise<void> {
      await uvAsync('poll', sys.pollAsync([{ type: 0, timeoutNs: BigInt(Math.max(0, Math.round(ms * 1e6))) }]));
    },
    async poll(subs: readonly { fd: number; events: 'read' | 'write' }[], timeoutMs?: number) {
      return pollResult(subs, await uvAsync('poll', sys.pollAsync(pollSubs(subs, timeoutMs))));
    },
    async yield(): Promise<void> {
      await sys.schedYield();
    },
  },
};

function piped(o: SpawnOptions | undefined, s: sys.Spawned): Piped {
  const pipes: Record<number, number> = {};
  let i = 0;
  for (const [k, spec] of Object.entries(o?.fds ?? {})) if (spec === 'pipe') pipes[Number(k)] = s.ends[i++]!;
  return { pid: s.pid, pipes };
}

function pollSubs(subs: readonly { fd: number; events: 'read' | 'write' }[], timeoutMs?: number): sys.Subscription[] {
  const out: sys.Subscription[] = subs.map((s) => ({ type: s.events === 'write' ? 2 : 1, fd: s.fd }));
  if (timeoutMs !== undefined) out.push({ type: 0, timeoutNs: BigInt(Math.max(0, Math.round(timeoutMs * 1e6))) });
  return out;
}

function pollResult(subs: readonly { fd: number; events: 'read' | 'write' }[], evs: sys.PollEvent[]) {
  return evs.filter((e) => e.index < subs.length).map((e) => ({
    fd: subs[e.index]!.fd, events: subs[e.index]!.events, hangup: e.hangup, nbytes: Number(e.nbytes), error: e.error,
  }));
}
