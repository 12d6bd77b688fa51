// The system calls of a JS process: one function per kernel call (WASI's and the isokernel
// module's, docs/abi.md), taking and returning JS values. Arguments are laid out in the
// process's memory exactly as a C program's would be, so the kernel checks them the same
// way. Every function throws SysErr (a WASI errno) on failure; the Node layers turn it into
// Node's error (errors.ts).
//
// Paths: WASI path calls take a directory descriptor and a path beneath it. As wasi-libc
// does, an absolute path goes to the preopened directory with the longest matching name
// (normally `/`, under which every mount is), and a relative one is first made absolute
// from the cwd, which the runtime keeps beside the kernel's (chdir sets both).
import { E, FILETYPE, SIZEOF_DIRENT, SIZEOF_EVENT, SIZEOF_FDSTAT, SIZEOF_FILESTAT, SIZEOF_SUBSCRIPTION } from '../abi/wasi.ts';
import { CALL_JS_STRIP } from '../kernel/jsproc/protocol.ts';
import { SysErr } from './errors.ts';
import {
  arenaAlloc, arenaReset, call, callAsync, callAsyncWeak, callDetached, callNumber, dv, heapAlloc, heapFree, u8, views, type Arg,
} from './lanes.ts';

const WASI = 'wasi_snapshot_preview1';
const ISK = 'isokernel';
/** The most bytes one read or write moves (a short count, as POSIX allows). */
export const IO_CHUNK = 1 << 20;

const enc = new TextEncoder();

/** Memory for one call's arguments: the arena for synchronous calls, the heap otherwise. */
class Frame {
  private readonly sync: boolean;
  private held: number[] = [];
  constructor(sync: boolean) {
    this.sync = sync;
    if (sync) arenaReset();
  }
  alloc(n: number): number {
    if (this.sync) {
      const p = arenaAlloc(n);
      if (p !== 0) return p;
    }
    const p = heapAlloc(n);
    this.held.push(p, n);
    return p;
  }
  /** A string as UTF-8 (not NUL-terminated): [ptr, len]. */
  str(s: string): [number, number] {
    const b = enc.encode(s);
    const p = this.alloc(b.length);
    views();
    u8.set(b, p);
    return [p, b.length];
  }
  bytes(b: Uint8Array): number {
    const p = this.alloc(b.length);
    views();
    u8.set(b, p);
    return p;
  }
  done(): void {
    for (let i = 0; i < this.held.length; i += 2) heapFree(this.held[i]!, this.held[i + 1]!);
    this.held = [];
  }
}

const numbers = new Map<string, number>();
function num(module: string, name: string): number {
  let n = numbers.get(name);
  if (n === undefined) {
    n = callNumber(module, name);
    if (n < 0) throw new SysErr(E.NOSYS);
    numbers.set(name, n);
  }
  return n;
}
const w = (name: string): number => num(WASI, name);
const k = (name: string): number => num(ISK, name);

function ok(r: number): void {
  if (r !== 0) throw new SysErr(r);
}

function syncFrame<T>(fn: (f: Frame) => T): T {
  const f = new Frame(true);
  try {
    return fn(f);
  } finally {
    f.done();
  }
}

async function asyncFrame<T>(fn: (f: Frame) => Promise<T>): Promise<T> {
  const f = new Frame(false);
  try {
    return await fn(f);
  } finally {
    f.done();
  }
}

function utf8(p: number, n: number): string {
  views();
  return Buffer.from(u8.buffer, u8.byteOffset + p, n).toString('utf8');
}

function copyOut(p: number, n: number): Uint8Array {
  views();
  // not u8.slice(): V8 slices a view of shared memory byte by byte (~1 ms for 256 KiB,
  // against ~0.1 ms for a new array and set())
  const out = new Uint8Array(n);
  out.set(u8.subarray(p, p + n));
  return out;
}

// ---- paths ----

interface Preopen {
  fd: number;
  name: string;
}
let preopens: Preopen[] | null = null;
let cwd = '/';

export function setCwd(path: string): void {
  cwd = path;
}

/** The preopens the kernel reported at start (scanned again if one is closed). */
export function setPreopens(list: readonly [number, string][]): void {
  preopens = list.map(([fd, name]) => ({ fd, name }));
}
export function currentCwd(): string {
  return cwd;
}

function scanPreopens(): Preopen[] {
  const out: Preopen[] = [];
  for (let fd = 3; fd < 64; fd++) {
    const r = syncFrame((f) => {
      const b = f.alloc(8);
      const e = call(w('fd_prestat_get'), fd, b);
      if (e !== 0) return e;
      const len = dv.getUint32(b + 4, true);
      const np = f.alloc(len);
      const e2 = call(w('fd_prestat_dir_name'), fd, np, len);
      if (e2 !== 0) return e2;
      out.push({ fd, name: utf8(np, len) });
      return 0;
    });
    if (r === E.BADF) break; // as wasi-libc: the preopens are numbered from 3 without gaps
  }
  return out;
}

/** The absolute form of `path` (from the cwd), not normalised (the kernel walks `..` itself). */
export function absolute(path: string): string {
  if (path.startsWith('/')) return path;
  return cwd === '/' ? '/' + path : cwd + '/' + path;
}

/** [dirfd, path beneath it] for a path, as wasi-libc finds it. ENOENT if no preopen covers it. */
export function at(path: string): [number, string] {
  if (path === '') throw new SysErr(E.NOENT);
  const abs = absolute(path);
  preopens ??= scanPreopens();
  let best: Preopen | null = null;
  let bestLen = -1;
  let bestRest = '';
  for (const p of preopens) {
    const name = p.name.replace(/\/+$/, '');
    const base = name === '' || name === '.' ? '' : name.startsWith('/') ? name : '/' + name;
    if (base !== '' && abs !== base && !abs.startsWith(base + '/')) continue;
    if (base.length <= bestLen) continue;
    best = p;
    bestLen = base.length;
    bestRest = abs.slice(base.length).replace(/^\/+/, '');
  }
  if (!best) throw new SysErr(E.NOENT);
  return [best.fd, bestRest === '' ? '.' : bestRest];
}

/** Forgets the preopens (a descriptor they used may have been closed or reused). */
export function rescanPreopens(): void {
  preopens = null;
}

// ---- WASI: descriptors ----

export function fdRead(fd: number, dst: Uint8Array, pos: bigint | null = null): number {
  const n = Math.min(dst.length, IO_CHUNK);
  return syncFrame((f) => {
    const iov = f.alloc(8 + 4);
    const buf = n > 0 ? f.alloc(n) : 0;
    views();
    dv.setUint32(iov, buf, true);
    dv.setUint32(iov + 4, n, true);
    const r = pos === null ? call(w('fd_read'), fd, iov, 1, iov + 8) : call(w('fd_pread'), fd, iov, 1, pos, iov + 8);
    ok(r);
    views();
    const got = dv.getUint32(iov + 8, true);
    dst.set(u8.subarray(buf, buf + got));
    return got;
  });
}

export function fdReadAsync(fd: number, len: number, pos: bigint | null = null): Promise<Uint8Array> {
  const n = Math.min(len, IO_CHUNK);
  return asyncFrame(async (f) => {
    const iov = f.alloc(8 + 4);
    const buf = n > 0 ? f.alloc(n) : 0;
    views();
    dv.setUint32(iov, buf, true);
    dv.setUint32(iov + 4, n, true);
    const r = pos === null ? await callAsync(w('fd_read'), fd, iov, 1, iov + 8) : await callAsync(w('fd_pread'), fd, iov, 1, pos, iov + 8);
    ok(r);
    views();
    return copyOut(buf, dv.getUint32(iov + 8, true));
  });
}

/** fdReadAsync into `dst` (up to its length): the bytes read, 0 at end of file. No array is made. */
export function fdReadIntoAsync(fd: number, dst: Uint8Array): Promise<number> {
  const n = Math.min(dst.length, IO_CHUNK);
  return asyncFrame(async (f) => {
    const iov = f.alloc(8 + 4);
    const buf = n > 0 ? f.alloc(n) : 0;
    views();
    dv.setUint32(iov, buf, true);
    dv.setUint32(iov + 4, n, true);
    ok(await callAsync(w('fd_read'), fd, iov, 1, iov + 8));
    views();
    const got = dv.getUint32(iov + 8, true);
    dst.set(u8.subarray(buf, buf + got));
    return got;
  });
}

/**
 * fdReadAsync with the kernel's read_eof: `eof` tells that the descriptor is at its end now
 * (a pipe, empty, with no writer left), so that the next read would give nothing.
 */
export function fdReadEofAsync(fd: number, len: number): Promise<{ data: Uint8Array; eof: boolean }> {
  const n = Math.min(len, IO_CHUNK);
  return asyncFrame(async (f) => {
    const iov = f.alloc(8 + 8);
    const buf = n > 0 ? f.alloc(n) : 0;
    views();
    dv.setUint32(iov, buf, true);
    dv.setUint32(iov + 4, n, true);
    dv.setUint32(iov + 12, 0, true);
    ok(await callAsync(k('read_eof'), fd, iov, 1, iov + 8, iov + 12));
    views();
    return { data: copyOut(buf, dv.getUint32(iov + 8, true)), eof: dv.getUint32(iov + 12, true) !== 0 };
  });
}

export function fdWrite(fd: number, src: Uint8Array, pos: bigint | null = null): number {
  const n = Math.min(src.length, IO_CHUNK);
  return syncFrame((f) => {
    const iov = f.alloc(8 + 4);
    const buf = n > 0 ? f.bytes(n === src.length ? src : src.subarray(0, n)) : 0;
    views();
    dv.setUint32(iov, buf, true);
    dv.setUint32(iov + 4, n, true);
    const r = pos === null ? call(w('fd_write'), fd, iov, 1, iov + 8) : call(w('fd_pwrite'), fd, iov, 1, pos, iov + 8);
    ok(r);
    views();
    return dv.getUint32(iov + 8, true);
  });
}

export function fdWriteAsync(fd: number, src: Uint8Array, pos: bigint | null = null): Promise<number> {
  const n = Math.min(src.length, IO_CHUNK);
  return asyncFrame(async (f) => {
    const iov = f.alloc(8 + 4);
    const buf = n > 0 ? f.bytes(n === src.length ? src : src.subarray(0, n)) : 0;
    views();
    dv.setUint32(iov, buf, true);
    dv.setUint32(iov + 4, n, true);
    const r = pos === null ? await callAsync(w('fd_write'), fd, iov, 1, iov + 8) : await callAsync(w('fd_pwrite'), fd, iov, 1, pos, iov + 8);
    ok(r);
    views();
    return dv.getUint32(iov + 8, true);
  });
}

/** Writes all of `src` (looping over short writes). */
export function fdWriteAll(fd: number, src: Uint8Array): void {
  let off = 0;
  while (off < src.length) off += fdWrite(fd, src.subarray(off));
}

/** fd_close without waiting for the kernel (lanes.ts, callDetached): its errno is dropped. */
export function fdCloseDetached(fd: number): void {
  callDetached(w('fd_close'), fd);
}

export function fdClose(fd: number): void {
  ok(call(w('fd_close'), fd));
  if (preopens?.some((p) => p.fd === fd)) preopens = null;
}

export function fdSeek(fd: number, offset: bigint, whence: number): bigint {
  return syncFrame((f) => {
    const out = f.alloc(8);
    ok(call(w('fd_seek'), fd, offset, whence, out));
    views();
    return dv.getBigUint64(out, true);
  });
}

export interface Fdstat {
  filetype: number;
  flags: number;
  rightsBase: bigint;
  rightsInheriting: bigint;
}

export function fdFdstat(fd: number): Fdstat {
  return syncFrame((f) => {
    const b = f.alloc(SIZEOF_FDSTAT);
    ok(call(w('fd_fdstat_get'), fd, b));
    views();
    return {
      filetype: dv.getUint8(b), flags: dv.getUint16(b + 2, true),
      rightsBase: dv.getBigUint64(b + 8, true), rightsInheriting: dv.getBigUint64(b + 16, true),
    };
  });
}

export function fdSetFlags(fd: number, flags: number): void {
  ok(call(w('fd_fdstat_set_flags'), fd, flags));
}

export interface Filestat {
  dev: bigint;
  ino: bigint;
  filetype: number;
  nlink: bigint;
  size: bigint;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
}

function readFilestat(b: number): Filestat {
  views();
  return {
    dev: dv.getBigUint64(b, true), ino: dv.getBigUint64(b + 8, true), filetype: dv.getUint8(b + 16),
    nlink: dv.getBigUint64(b + 24, true), size: dv.getBigUint64(b + 32, true), atim: dv.getBigUint64(b + 40, true),
    mtim: dv.getBigUint64(b + 48, true), ctim: dv.getBigUint64(b + 56, true),
  };
}

export function fdFilestat(fd: number): Filestat {
  return syncFrame((f) => {
    const b = f.alloc(SIZEOF_FILESTAT);
    ok(call(w('fd_filestat_get'), fd, b));
    return readFilestat(b);
  });
}

export function fdSetSize(fd: number, size: bigint): void {
  ok(call(w('fd_filestat_set_size'), fd, size));
}

/** fstflags: ATIM 1, ATIM_NOW 2, MTIM 4, MTIM_NOW 8. */
export function fdSetTimes(fd: number, atim: bigint, mtim: bigint, flags: number): void {
  ok(call(w('fd_filestat_set_times'), fd, atim, mtim, flags));
}

export function fdSync(fd: number): void {
  ok(call(w('fd_sync'), fd));
}
export function fdDatasync(fd: number): void {
  ok(call(w('fd_datasync'), fd));
}

export interface DirEntry {
  name: string;
  ino: bigint;
  type: number;
}

/** Every entry of an open directory but `.` and `..`. */
export function fdReaddir(fd: number): DirEntry[] {
  const out: DirEntry[] = [];
  const BUF = 64 * 1024;
  let cookie = 0n;
  for (;;) {
    const more = syncFrame((f) => {
      const used = f.alloc(4);
      const buf = f.alloc(BUF);
      ok(call(w('fd_readdir'), fd, buf, BUF, cookie, used));
      views();
      const n = dv.getUint32(used, true);
      let at = 0;
      let whole = 0;
      while (at + SIZEOF_DIRENT <= n) {
        const next = dv.getBigUint64(buf + at, true);
        const ino = dv.getBigUint64(buf + at + 8, true);
        const nlen = dv.getUint32(buf + at + 16, true);
        const type = dv.getUint8(buf + at + 20);
        if (at + SIZEOF_DIRENT + nlen > n) break; // cut: ask again from this cookie
        const name = utf8(buf + at + SIZEOF_DIRENT, nlen);
        if (name !== '.' && name !== '..') out.push({ name, ino, type });
        cookie = next;
        at += SIZEOF_DIRENT + nlen;
        whole++;
      }
      if (whole === 0 && n >= SIZEOF_DIRENT) throw new SysErr(E.NAMETOOLONG);
      return n === BUF;
    });
    if (!more) return out;
  }
}

// ---- WASI: paths ----

export interface OpenRequest {
  follow: boolean;
  /** OFLAGS: CREAT 1, DIRECTORY 2, EXCL 4, TRUNC 8. */
  oflags: number;
  read: boolean;
  write: boolean;
  /** FDFLAGS: APPEND 1, DSYNC 2, NONBLOCK 4, RSYNC 8, SYNC 16. */
  fdflags: number;
}

const R_READ = (1n << 1n) | (1n << 14n); // FD_READ, FD_READDIR
const R_WRITE = (1n << 6n) | (1n << 22n) | (1n << 8n); // FD_WRITE, FD_FILESTAT_SET_SIZE, FD_ALLOCATE
const R_ALL = (1n << 30n) - 1n;

export function pathOpen(path: string, o: OpenRequest): number {
  const [dir, rel] = at(path);
  let base = R_ALL;
  if (!o.read) base &= ~R_READ;
  if (!o.write) base &= ~R_WRITE;
  return syncFrame((f) => {
    const [p, n] = f.str(rel);
    const out = f.alloc(4);
    ok(call(w('path_open'), dir, o.follow ? 1 : 0, p, n, o.oflags, base, R_ALL, o.fdflags, out));
    views();
    return dv.getUint32(out, true);
  });
}

function pathCall(name: string, path: string): void {
  const [dir, rel] = at(path);
  syncFrame((f) => {
    const [p, n] = f.str(rel);
    ok(call(w(name), dir, p, n));
  });
}

export const pathMkdir = (path: string): void => pathCall('path_create_directory', path);
export const pathRmdir = (path: string): void => pathCall('path_remove_directory', path);
export const pathUnlink = (path: string): void => pathCall('path_unlink_file', path);

export function pathRename(from: string, to: string): void {
  const [d1, r1] = at(from);
  const [d2, r2] = at(to);
  syncFrame((f) => {
    const [p1, n1] = f.str(r1);
    const [p2, n2] = f.str(r2);
    ok(call(w('path_rename'), d1, p1, n1, d2, p2, n2));
  });
}

export function pathLink(from: string, to: string): void {
  const [d1, r1] = at(from);
  const [d2, r2] = at(to);
  syncFrame((f) => {
    const [p1, n1] = f.str(r1);
    const [p2, n2] = f.str(r2);
    ok(call(w('path_link'), d1, 0, p1, n1, d2, p2, n2));
  });
}

export function pathSymlink(target: string, path: string): void {
  const [dir, rel] = at(path);
  syncFrame((f) => {
    const [pt, nt] = f.str(target);
    const [p, n] = f.str(rel);
    ok(call(w('path_symlink'), pt, nt, dir, p, n));
  });
}

export function pathReadlink(path: string): string {
  const [dir, rel] = at(path);
  for (let cap = 256; ; cap *= 4) {
    const r = syncFrame((f) => {
      const [p, n] = f.str(rel);
      const buf = f.alloc(cap);
      const out = f.alloc(4);
      ok(call(w('path_readlink'), dir, p, n, buf, cap, out));
      views();
      const got = dv.getUint32(out, true);
      return got < cap ? utf8(buf, got) : null;
    });
    if (r !== null) return r;
  }
}

export function pathFilestat(path: string, follow: boolean): Filestat {
  const [dir, rel] = at(path);
  return syncFrame((f) => {
    const [p, n] = f.str(rel);
    const b = f.alloc(SIZEOF_FILESTAT);
    ok(call(w('path_filestat_get'), dir, follow ? 1 : 0, p, n, b));
    return readFilestat(b);
  });
}

export function pathSetTimes(path: string, follow: boolean, atim: bigint, mtim: bigint, flags: number): void {
  const [dir, rel] = at(path);
  syncFrame((f) => {
    const [p, n] = f.str(rel);
    ok(call(w('path_filestat_set_times'), dir, follow ? 1 : 0, p, n, atim, mtim, flags));
  });
}

// ---- WASI: the rest ----

export interface Subscription {
  /** 0 clock (timeout in ns, relative, MONOTONIC), 1 fd read, 2 fd write. */
  type: 0 | 1 | 2;
  fd?: number;
  timeoutNs?: bigint;
}
export interface PollEvent {
  /** The subscription's index. */
  index: number;
  type: number;
  error: number;
  nbytes: bigint;
  hangup: boolean;
}

function writeSubs(f: Frame, subs: readonly Subscription[]): [number, number, number] {
  const inp = f.alloc(subs.length * SIZEOF_SUBSCRIPTION);
  const out = f.alloc(subs.length * SIZEOF_EVENT);
  const cnt = f.alloc(4);
  views();
  u8.fill(0, inp, inp + subs.length * SIZEOF_SUBSCRIPTION);
  subs.forEach((s, i) => {
    const b = inp + i * SIZEOF_SUBSCRIPTION;
    dv.setBigUint64(b, BigInt(i), true);
    dv.setUint8(b + 8, s.type);
    if (s.type === 0) {
      dv.setUint32(b + 16, 1, true); // MONOTONIC
      dv.setBigUint64(b + 24, s.timeoutNs ?? 0n, true);
    } else dv.setUint32(b + 16, s.fd!, true);
  });
  return [inp, out, cnt];
}

function readEvents(out: number, cnt: number): PollEvent[] {
  views();
  const n = dv.getUint32(cnt, true);
  const evs: PollEvent[] = [];
  for (let i = 0; i < n; i++) {
    const b = out + i * SIZEOF_EVENT;
    evs.push({
      index: Number(dv.getBigUint64(b, true)), error: dv.getUint16(b + 8, true), type: dv.getUint8(b + 10),
      nbytes: dv.getBigUint64(b + 16, true), hangup: (dv.getUint16(b + 24, true) & 1) !== 0,
    });
  }
  return evs;
}

export function poll(subs: readonly Subscription[]): PollEvent[] {
  return syncFrame((f) => {
    const [inp, out, cnt] = writeSubs(f, subs);
    ok(call(w('poll_oneoff'), inp, out, subs.length, cnt));
    return readEvents(out, cnt);
  });
}

export function pollAsync(subs: readonly Subscription[]): Promise<PollEvent[]> {
  return asyncFrame(async (f) => {
    const [inp, out, cnt] = writeSubs(f, subs);
    ok(await callAsync(w('poll_oneoff'), inp, out, subs.length, cnt));
    return readEvents(out, cnt);
  });
}

/** CLOCK: REALTIME 0, MONOTONIC 1, PROCESS_CPUTIME 2, THREAD_CPUTIME 3; ns. */
export function clockTime(id: number): bigint {
  return syncFrame((f) => {
    const out = f.alloc(8);
    ok(call(w('clock_time_get'), id, 1n, out));
    views();
    return dv.getBigUint64(out, true);
  });
}

export function randomFill(dst: Uint8Array): void {
  for (let off = 0; off < dst.length; off += IO_CHUNK) {
    const part = dst.subarray(off, off + IO_CHUNK);
    syncFrame((f) => {
      const p = f.alloc(part.length);
      ok(call(w('random_get'), p, part.length));
      views();
      part.set(u8.subarray(p, p + part.length));
    });
  }
}

export function schedYield(): Promise<void> {
  return callAsync(w('sched_yield')).then(ok);
}

/** Ends the process: the kernel never answers (it ends the isolate). */
export function procExit(code: number): never {
  call(w('proc_exit'), code >>> 0);
  throw new Error('proc_exit returned');
}

// ---- isokernel: files ----

export interface Stat {
  dev: bigint;
  ino: bigint;
  filetype: number;
  mode: number;
  nlink: bigint;
  size: bigint;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
  uid: number;
  gid: number;
}

function readStat(b: number): Stat {
  views();
  return {
    dev: dv.getBigUint64(b, true), ino: dv.getBigUint64(b + 8, true), filetype: dv.getUint32(b + 16, true),
    mode: dv.getUint32(b + 20, true), nlink: dv.getBigUint64(b + 24, true), size: dv.getBigUint64(b + 32, true),
    atim: dv.getBigUint64(b + 40, true), mtim: dv.getBigUint64(b + 48, true), ctim: dv.getBigUint64(b + 56, true),
    uid: dv.getUint32(b + 64, true), gid: dv.getUint32(b + 68, true),
  };
}

/** wasi-libc's file type bits in `mode` for a pipe equal its S_IFSOCK; Node wants S_IFIFO. */
function fixMode(s: Stat, pipe: boolean): Stat {
  if (pipe) s.mode = (s.mode & 0o7777) | 0o010000;
  return s;
}

export function fstat(fd: number): Stat {
  return syncFrame((f) => {
    const b = f.alloc(72);
    ok(call(k('fstat'), fd, b));
    const s = readStat(b);
    return fixMode(s, (s.mode & 0o170000) === 0o140000 && s.filetype !== FILETYPE.SOCKET_STREAM && s.filetype !== FILETYPE.SOCKET_DGRAM);
  });
}

export function stat(path: string, follow = true): Stat {
  const [dir, rel] = at(path);
  return syncFrame((f) => {
    const [p, n] = f.str(rel);
    const b = f.alloc(72);
    ok(call(k('fstatat'), dir, p, n, follow ? 0 : 1, b));
    return readStat(b);
  });
}

export function chmod(path: string, mode: number): void {
  const [dir, rel] = at(path);
  syncFrame((f) => {
    const [p, n] = f.str(rel);
    ok(call(k('chmod'), dir, p, n, mode, 0));
  });
}

export function fchmod(fd: number, mode: number): void {
  ok(call(k('fchmod'), fd, mode));
}

export function pipe(flags: number): [number, number] {
  return syncFrame((f) => {
    const out = f.alloc(8);
    ok(call(k('pipe'), out, flags));
    views();
    return [dv.getUint32(out, true), dv.getUint32(out + 4, true)];
  });
}

export function dup(fd: number): number {
  return syncFrame((f) => {
    const out = f.alloc(4);
    ok(call(k('dup'), fd, out));
    views();
    return dv.getUint32(out, true);
  });
}

export function dup2(fd: number, newfd: number, cloexec = false): void {
  ok(call(k('dup2'), fd, newfd, cloexec ? 1 : 0));
}

export function setCloexec(fd: number, on: boolean): void {
  ok(call(k('fd_setfd'), fd, on ? 1 : 0));
}

export function umask(mask: number): number {
  return syncFrame((f) => {
    const out = f.alloc(4);
    ok(call(k('umask'), mask, out));
    views();
    return dv.getUint32(out, true);
  });
}

export function chdir(path: string): void {
  syncFrame((f) => {
    const [p, n] = f.str(path);
    ok(call(k('chdir'), p, n));
  });
  cwd = getcwd();
}

export function getcwd(): string {
  for (let cap = 256; ; cap *= 4) {
    const r = syncFrame((f) => {
      const buf = f.alloc(cap);
      const out = f.alloc(4);
      const e = call(k('getcwd'), buf, cap, out);
      if (e === E.RANGE) return null;
      ok(e);
      views();
      return utf8(buf, dv.getUint32(out, true) - 1);
    });
    if (r !== null) return r;
  }
}

// ---- isokernel: processes ----

/** A spawn file action (docs/abi.md, "spawn"). */
export type FileAction =
  | { kind: 'open'; fd: number; path: string; flags: number }
  | { kind: 'close'; fd: number }
  | { kind: 'dup2'; fd: number; to: number }
  | { kind: 'chdir'; path: string }
  /** SETRLIMIT: the child's limit `resource` (an RLIMIT number), RLIM_INFINITY = all ones. */
  | { kind: 'setrlimit'; resource: number; soft: bigint; hard: bigint }
  /** SETIDS: the child's uid and gid (a caller of uid 0 only, for other ids than its own). */
  | { kind: 'setids'; uid: number; gid: number }
  /** PIPE: a new pipe, the child's end at `fd` (it reads from it if `childReads`); the caller's end is returned. */
  | { kind: 'pipe'; fd: number; childReads: boolean };

export interface SpawnRequest {
  path: string;
  argv: readonly string[];
  env: readonly string[];
  actions?: readonly FileAction[];
  /** SETPGROUP (with the group, 0 for a new one), SETSID. */
  pgroup?: number;
  setsid?: boolean;
  /** Signals the child starts with at their default action (SETSIGDEF). */
  sigdefault?: number;
  /** PATH to search when `path` has no `/`. */
  search?: string | null;
  cwd?: string | null;
}

const SPAWN_FLAG = { SETPGROUP: 1, SETSID: 2, SETSIGMASK: 4, SETSIGDEF: 8, SEARCH: 16 } as const;
const ACTION_KIND = { open: 1, close: 2, dup2: 3, chdir: 4, setrlimit: 6, setids: 7, pipe: 8 } as const;
/** PIPE: where the kernel writes the caller's end, in the action. */
const PIPE_OUT = 24;

function nulJoined(list: readonly string[]): Uint8Array {
  return enc.encode(list.map((s) => s + '\0').join(''));
}

function writeSpawn(f: Frame, r: SpawnRequest): [number, number, number] {
  const req = f.alloc(64);
  const pidOut = f.alloc(4);
  const [pp, pl] = f.str(r.path);
  const argv = nulJoined(r.argv);
  const env = nulJoined(r.env);
  const ap = argv.length > 0 ? f.bytes(argv) : 0;
  const ep = env.length > 0 ? f.bytes(env) : 0;
  const actions = r.actions ?? [];
  const acts = actions.length > 0 ? f.alloc(actions.length * 32) : 0;
  const strs = actions.map((a) => ('path' in a ? f.str(a.path) : a.kind === 'setrlimit' ? [f.alloc(16), 16] as [number, number] : [0, 0] as [number, number]));
  const [sp, sl] = r.search ? f.str(r.search) : [0, 0];
  const [cp, cl] = r.cwd ? f.str(r.cwd) : [0, 0];
  views();
  u8.fill(0, req, req + 64);
  const set = (o: number, v: number): void => dv.setUint32(req + o, v >>> 0, true);
  set(0, pp); set(4, pl); set(8, ap); set(12, argv.length); set(16, ep); set(20, env.length);
  set(24, acts); set(28, actions.length);
  let flags = 0;
  if (r.pgroup !== undefined) {
    flags |= SPAWN_FLAG.SETPGROUP;
    set(36, r.pgroup);
  }
  if (r.setsid) flags |= SPAWN_FLAG.SETSID;
  if (r.sigdefault) {
    flags |= SPAWN_FLAG.SETSIGDEF;
    set(44, r.sigdefault);
  }
  if (r.search && !r.path.includes('/')) {
    flags |= SPAWN_FLAG.SEARCH;
    set(48, sp); set(52, sl);
  }
  set(32, flags);
  set(56, cp); set(60, cl);
  actions.forEach((a, i) => {
    const b = acts + i * 32;
    u8.fill(0, b, b + 32);
    dv.setUint32(b, ACTION_KIND[a.kind], true);
    if (a.kind === 'open' || a.kind === 'close' || a.kind === 'dup2' || a.kind === 'pipe') dv.setInt32(b + 4, a.fd, true);
    if (a.kind === 'pipe') dv.setInt32(b + 8, a.childReads ? 1 : 0, true);
    if (a.kind === 'dup2') dv.setInt32(b + 8, a.to, true);
    if (a.kind === 'open') dv.setInt32(b + 8, a.flags, true);
    const [p, l] = strs[i]!;
    if (a.kind === 'setrlimit') {
      dv.setInt32(b + 4, a.resource, true);
      dv.setBigUint64(p, a.soft, true);
      dv.setBigUint64(p + 8, a.hard, true);
    }
    if (a.kind === 'setids') {
      dv.setInt32(b + 4, a.uid, true);
      dv.setInt32(b + 8, a.gid, true);
    }
    dv.setUint32(b + 12, p, true);
    dv.setUint32(b + 16, l, true);
  });
  return [req, pidOut, acts];
}

/** A spawn's child and, for each PIPE action in order, the caller's end of that pipe. */
export interface Spawned {
  pid: number;
  ends: number[];
}

function spawned(r: SpawnRequest, pidOut: number, acts: number): Spawned {
  views();
  const ends: number[] = [];
  (r.actions ?? []).forEach((a, i) => {
    if (a.kind === 'pipe') ends.push(dv.getInt32(acts + i * 32 + PIPE_OUT, true));
  });
  return { pid: dv.getUint32(pidOut, true), ends };
}

export function spawn(r: SpawnRequest): number {
  return spawnEx(r).pid;
}

export function spawnAsync(r: SpawnRequest): Promise<number> {
  return spawnExAsync(r).then((s) => s.pid);
}

/** spawn, with the caller's ends of the PIPE actions' pipes. */
export function spawnEx(r: SpawnRequest): Spawned {
  return syncFrame((f) => {
    const [req, out, acts] = writeSpawn(f, r);
    ok(call(k('spawn'), req, out));
    return spawned(r, out, acts);
  });
}

export function spawnExAsync(r: SpawnRequest): Promise<Spawned> {
  return asyncFrame(async (f) => {
    const [req, out, acts] = writeSpawn(f, r);
    ok(await callAsync(k('spawn'), req, out));
    return spawned(r, out, acts);
  });
}

/** A child's change of state; `status` is Linux's wait status. pid 0: WNOHANG and none ready. */
export interface WaitResult {
  pid: number;
  status: number;
}

export function wait(pid: number, options: number): WaitResult {
  return syncFrame((f) => {
    const st = f.alloc(4);
    const out = f.alloc(4);
    ok(call(k('wait'), pid, options, st, out));
    views();
    return { pid: dv.getUint32(out, true), status: dv.getUint32(st, true) };
  });
}

/** wait on an async lane; `weak`: it does not keep the event loop alive (an unref'd child). */
export function waitAsync(pid: number, options: number, weak = false): Promise<WaitResult> {
  return asyncFrame(async (f) => {
    const st = f.alloc(4);
    const out = f.alloc(4);
    ok(await (weak ? callAsyncWeak : callAsync)(k('wait'), pid, options, st, out));
    views();
    return { pid: dv.getUint32(out, true), status: dv.getUint32(st, true) };
  });
}

export function kill(pid: number, sig: number): void {
  ok(call(k('kill'), pid, sig));
}

/** A terminal's window size (the kernel's tty_getwinsize), or null for a descriptor that is not one. */
export function ttyWinsize(fd: number): { rows: number; cols: number } | null {
  return syncFrame((f) => {
    const b = f.alloc(8);
    if (call(k('tty_getwinsize'), fd, b) !== 0) return null;
    views();
    return { rows: dv.getUint16(b, true), cols: dv.getUint16(b + 2, true) };
  });
}

/** Raw mode on a terminal descriptor (the kernel's tty_set_raw): ENOTTY otherwise. */
export function ttySetRaw(fd: number, on: boolean): void {
  ok(call(k('tty_set_raw'), fd, on ? 1 : 0));
}

/** disposition: 0 default, 1 ignore, 2 catch. */
export function sigaction(sig: number, disposition: number, mask = 0, flags = 0): void {
  syncFrame((f) => {
    const act = f.alloc(12);
    views();
    dv.setUint32(act, disposition, true);
    dv.setUint32(act + 4, mask, true);
    dv.setUint32(act + 8, flags >>> 0, true);
    ok(call(k('sigaction'), sig, act, 0));
  });
}

function getU32(name: string, ...args: Arg[]): number {
  return syncFrame((f) => {
    const out = f.alloc(4);
    ok(call(k(name), ...args, out));
    views();
    return dv.getUint32(out, true);
  });
}

export const getpid = (): number => getU32('getpid');
export const getppid = (): number => getU32('getppid');
export const getpgid = (pid: number): number => getU32('getpgid', pid);
export const getsid = (pid: number): number => getU32('getsid', pid);
export const setsid = (): number => getU32('setsid');
export function setpgid(pid: number, pgid: number): void {
  ok(call(k('setpgid'), pid, pgid));
}

export interface Uname {
  sysname: string;
  nodename: string;
  release: string;
  version: string;
  machine: string;
  domainname: string;
}

export function uname(): Uname {
  return syncFrame((f) => {
    const b = f.alloc(65 * 6);
    ok(call(k('uname'), b));
    views();
    const field = (i: number): string => {
      const s = b + i * 65;
      let e = s;
      while (e < s + 64 && u8[e] !== 0) e++;
      return utf8(s, e - s);
    };
    return {
      sysname: field(0), nodename: field(1), release: field(2), version: field(3), machine: field(4), domainname: field(5),
    };
  });
}

export function getids(): [number, number, number, number] {
  return syncFrame((f) => {
    const b = f.alloc(16);
    ok(call(k('getids'), b));
    views();
    return [dv.getUint32(b, true), dv.getUint32(b + 4, true), dv.getUint32(b + 8, true), dv.getUint32(b + 12, true)];
  });
}

export interface Statvfs {
  bsize: number;
  frsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
  favail: number;
  fsid: number;
  flag: number;
  namemax: number;
}

export function statvfs(fd: number): Statvfs {
  return syncFrame((f) => {
    const b = f.alloc(88);
    ok(call(k('statvfs'), fd, b));
    views();
    const v = (i: number): number => Number(dv.getBigUint64(b + i * 8, true));
    return {
      bsize: v(0), frsize: v(1), blocks: v(2), bfree: v(3), bavail: v(4), files: v(5), ffree: v(6), favail: v(7),
      fsid: v(8), flag: v(9), namemax: v(10),
    };
  });
}

// ---- kernel services ----

/** TypeScript → JavaScript, by the kernel (CALL_JS_STRIP). Throws SyntaxError for what it cannot strip. */
export function stripTypes(source: string): string {
  const bytes = enc.encode(source);
  let cap = bytes.length + 64;
  for (;;) {
    const r = syncFrame((f) => {
      const buf = f.alloc(Math.max(cap, bytes.length));
      const out = f.alloc(4);
      views();
      u8.set(bytes, buf);
      const e = call(CALL_JS_STRIP, buf, bytes.length, cap, out);
      views();
      const n = dv.getUint32(out, true);
      if (e === E.RANGE) {
        cap = n;
        return null;
      }
      if (e === E.NOEXEC) throw new SyntaxError(utf8(buf, Math.min(n, cap)));
      ok(e);
      return utf8(buf, n);
    });
    if (r !== null) return r;
  }
}

// ---- whole files ----

/** Reads all of an open descriptor from its offset. */
export function readAll(fd: number, sizeHint = 0): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  let want = Math.min(Math.max(sizeHint + 1, 64 * 1024), IO_CHUNK);
  for (;;) {
    const b = Buffer.allocUnsafe(want);
    const n = fdRead(fd, b);
    if (n === 0) break;
    chunks.push(n === b.length ? b : b.subarray(0, n));
    total += n;
    want = IO_CHUNK;
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

/** The contents of a file (following symlinks). */
export function readFile(path: string): Buffer {
  const fd = pathOpen(path, { follow: true, oflags: 0, read: true, write: false, fdflags: 0 });
  try {
    return readAll(fd, Number(fdFilestat(fd).size));
  } finally {
    fdClose(fd);
  }
}

// ---- logging (isk-log.ts) ----

/** log_open: a log stream descriptor (flags: 1 close-on-exec, 4 non-blocking). */
export function logOpen(tag: string, facility: number, severity: number, flags: number): number {
  return syncFrame((f) => {
    const [tp, tl] = f.str(tag);
    const out = f.alloc(4);
    ok(call(k('log_open'), tp, tl, facility, severity, flags, out));
    views();
    return dv.getUint32(out, true);
  });
}

/** log_write: one message (one record per line); waits while the kernel's queue is full. */
export function logWrite(tag: string, facility: number, severity: number, msg: Uint8Array): void {
  syncFrame((f) => {
    const [tp, tl] = f.str(tag);
    const mp = msg.length > 0 ? f.bytes(msg) : 0;
    ok(call(k('log_write'), tp, tl, facility, severity, mp, msg.length));
  });
}

export function logWriteAsync(tag: string, facility: number, severity: number, msg: Uint8Array): Promise<void> {
  return asyncFrame(async (f) => {
    const [tp, tl] = f.str(tag);
    const mp = msg.length > 0 ? f.bytes(msg) : 0;
    ok(await callAsync(k('log_write'), tp, tl, facility, severity, mp, msg.length));
  });
}

/** log_reader: the kernel log queue's read end (root only). */
export function logReader(flags: number): number {
  return syncFrame((f) => {
    const out = f.alloc(4);
    ok(call(k('log_reader'), flags, out));
    views();
    return dv.getUint32(out, true);
  });
}

// ---- tracing (isk-trace.ts) ----

/** trace_attach: a descriptor of trace records (flags: 1 follow, 2 next child, 4 close-on-exec). */
export function traceAttach(pid: number, flags: number, strsize: number): number {
  return syncFrame((f) => {
    const out = f.alloc(4);
    ok(call(k('trace_attach'), pid, flags, strsize, out));
    views();
    return dv.getUint32(out, true);
  });
}

export function traceDetach(fd: number, pid: number): void {
  ok(call(k('trace_detach'), fd, pid));
}

// ---- for the socket calls (net-sys.ts) ----
export { Frame, syncFrame, asyncFrame, ok, k as iskCallNumber };

/** trace_filter: only these calls (by name) from now on; null: all. */
export function traceFilter(fd: number, names: readonly string[] | null): void {
  syncFrame((f) => {
    const [p, l] = names === null ? [0, 0] : f.str(names.length === 0 ? '\0' : names.map((n) => n + '\0').join(''));
    ok(call(k('trace_filter'), fd, p, l));
  });
}
