// node:fs over the kernel's system calls: the synchronous functions, their callback forms,
// fs.promises (with FileHandle), streams, Stats, Dirent, Dir. Errors are Node's (code,
// errno, syscall, path). Descriptors are the kernel's numbers; those a program keeps are
// close-on-exec, as Node opens them.
//
// What is synchronous and what is not: calls on paths and on regular files never wait in
// this kernel (tmpfs and hostfs answer at once), so the callback and promise forms make the
// same synchronous call and settle on a later tick. Reads and writes of a descriptor that
// may wait (a pipe, a terminal, /dev/stdin) go through an async lane, so the event loop
// runs while the kernel waits.
//
// Not provided: watch, watchFile (no notifications in the kernel), chown (no owners to
// change), glob; statfs gives the kernel's statvfs.
import { Buffer } from 'node:buffer';
import { EventEmitter } from 'node:events';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { E, FILETYPE } from '../../abi/wasi.ts';
import { SysErr, nodeError, rethrow, uvError } from '../errors.ts';
import * as sys from '../sys.ts';

// ---- constants (Linux's numbers) ----

export const constants = Object.freeze({
  UV_FS_SYMLINK_DIR: 1, UV_FS_SYMLINK_JUNCTION: 2, O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2,
  UV_DIRENT_UNKNOWN: 0, UV_DIRENT_FILE: 1, UV_DIRENT_DIR: 2, UV_DIRENT_LINK: 3, UV_DIRENT_FIFO: 4,
  UV_DIRENT_SOCKET: 5, UV_DIRENT_CHAR: 6, UV_DIRENT_BLOCK: 7, EXTENSIONLESS_FORMAT_JAVASCRIPT: 0,
  EXTENSIONLESS_FORMAT_WASM: 1, S_IFMT: 0o170000, S_IFREG: 0o100000, S_IFDIR: 0o40000, S_IFCHR: 0o20000,
  S_IFBLK: 0o60000, S_IFIFO: 0o10000, S_IFLNK: 0o120000, S_IFSOCK: 0o140000, O_CREAT: 0o100, O_EXCL: 0o200,
  UV_FS_O_FILEMAP: 0, O_NOCTTY: 0o400, O_TRUNC: 0o1000, O_APPEND: 0o2000, O_DIRECTORY: 0o200000,
  O_NOATIME: 0o1000000, O_NOFOLLOW: 0o400000, O_SYNC: 0o4010000, O_DSYNC: 0o10000, O_DIRECT: 0o40000,
  O_NONBLOCK: 0o4000, S_IRWXU: 0o700, S_IRUSR: 0o400, S_IWUSR: 0o200, S_IXUSR: 0o100, S_IRWXG: 0o70,
  S_IRGRP: 0o40, S_IWGRP: 0o20, S_IXGRP: 0o10, S_IRWXO: 0o7, S_IROTH: 0o4, S_IWOTH: 0o2, S_IXOTH: 0o1,
  F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1, UV_FS_SYMLINK_JUNCTION_: 2, UV_FS_COPYFILE_EXCL: 1,
  COPYFILE_EXCL: 1, UV_FS_COPYFILE_FICLONE: 2, COPYFILE_FICLONE: 2, UV_FS_COPYFILE_FICLONE_FORCE: 4,
  COPYFILE_FICLONE_FORCE: 4,
});
const C = constants;
export const { F_OK, R_OK, W_OK, X_OK } = constants;

const FLAG_STRINGS: Record<string, number> = {
  r: C.O_RDONLY, rs: C.O_RDONLY | C.O_SYNC, sr: C.O_RDONLY | C.O_SYNC, 'r+': C.O_RDWR,
  'rs+': C.O_RDWR | C.O_SYNC, 'sr+': C.O_RDWR | C.O_SYNC, w: C.O_TRUNC | C.O_CREAT | C.O_WRONLY,
  wx: C.O_TRUNC | C.O_CREAT | C.O_WRONLY | C.O_EXCL, xw: C.O_TRUNC | C.O_CREAT | C.O_WRONLY | C.O_EXCL,
  'w+': C.O_TRUNC | C.O_CREAT | C.O_RDWR, 'wx+': C.O_TRUNC | C.O_CREAT | C.O_RDWR | C.O_EXCL,
  'xw+': C.O_TRUNC | C.O_CREAT | C.O_RDWR | C.O_EXCL, a: C.O_APPEND | C.O_CREAT | C.O_WRONLY,
  ax: C.O_APPEND | C.O_CREAT | C.O_WRONLY | C.O_EXCL, xa: C.O_APPEND | C.O_CREAT | C.O_WRONLY | C.O_EXCL,
  as: C.O_APPEND | C.O_CREAT | C.O_WRONLY | C.O_SYNC, sa: C.O_APPEND | C.O_CREAT | C.O_WRONLY | C.O_SYNC,
  'a+': C.O_APPEND | C.O_CREAT | C.O_RDWR, 'ax+': C.O_APPEND | C.O_CREAT | C.O_RDWR | C.O_EXCL,
  'xa+': C.O_APPEND | C.O_CREAT | C.O_RDWR | C.O_EXCL, 'as+': C.O_APPEND | C.O_CREAT | C.O_RDWR | C.O_SYNC,
  'sa+': C.O_APPEND | C.O_CREAT | C.O_RDWR | C.O_SYNC,
};

type PathLike = string | Buffer | URL;
type Callback<T> = (err: Error | null, value?: T) => void;

function toPath(p: unknown, name = 'path'): string {
  if (typeof p === 'string') {
    if (p.includes('\0')) throw nodeError(TypeError, 'ERR_INVALID_ARG_VALUE', `The argument '${name}' must be a string, Uint8Array, or URL without null bytes. Received ${JSON.stringify(p)}`);
    return p;
  }
  if (p instanceof URL) return fileURLToPath(p);
  if (p instanceof Uint8Array) return Buffer.from(p).toString('utf8');
  throw nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', `The "${name}" argument must be of type string or an instance of Buffer or URL. Received ${p === null ? 'null' : typeof p}`);
}

function toFlags(flags: unknown, dflt: string): number {
  if (flags === undefined || flags === null) return FLAG_STRINGS[dflt]!;
  if (typeof flags === 'number') return flags;
  const n = FLAG_STRINGS[String(flags)];
  if (n === undefined) throw nodeError(TypeError, 'ERR_INVALID_ARG_VALUE', `The argument 'flags' is invalid. Received '${String(flags)}'`);
  return n;
}

function toMode(mode: unknown, dflt: number): number {
  if (mode === undefined || mode === null) return dflt;
  if (typeof mode === 'string') return parseInt(mode, 8);
  return Number(mode);
}

function checkFd(fd: unknown): number {
  if (typeof fd !== 'number' || !Number.isInteger(fd) || fd < 0 || fd > 0x7fffffff) {
    throw nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', `The "fd" argument must be of type number. Received ${typeof fd}`);
  }
  return fd;
}

/** Runs `fn`, turning a system call's errno into Node's error for `syscall`. */
function uv<T>(syscall: string, path: string | undefined, fn: () => T, dest?: string): T {
  try {
    return fn();
  } catch (e) {
    return rethrow(e, syscall, path, dest);
  }
}

// ---- open, close, read, write ----

function openRaw(path: string, flags: number, mode: number | null, cloexec: boolean): number {
  const acc = flags & 3;
  const creat = (flags & C.O_CREAT) !== 0;
  let created = false;
  if (creat && mode !== null && (mode & 0o7777) !== 0o666) {
    try {
      sys.stat(path, true);
    } catch (e) {
      if (e instanceof SysErr && e.errno === E.NOENT) created = true;
    }
  }
  const fd = sys.pathOpen(path, {
    follow: (flags & C.O_NOFOLLOW) === 0,
    oflags: (creat ? 1 : 0) | ((flags & C.O_DIRECTORY) !== 0 ? 2 : 0) | ((flags & C.O_EXCL) !== 0 ? 4 : 0) |
      ((flags & C.O_TRUNC) !== 0 ? 8 : 0),
    read: acc === C.O_RDONLY || acc === C.O_RDWR,
    write: acc === C.O_WRONLY || acc === C.O_RDWR,
    fdflags: ((flags & C.O_APPEND) !== 0 ? 1 : 0) | ((flags & C.O_DSYNC) !== 0 ? 2 : 0) |
      ((flags & C.O_NONBLOCK) !== 0 ? 4 : 0) | ((flags & 0o4000000) !== 0 ? 16 : 0),
  });
  try {
    if (created) sys.fchmod(fd, mode! & ~currentUmask());
    if (cloexec) sys.setCloexec(fd, true);
  } catch (e) {
    sys.fdClose(fd);
    throw e;
  }
  return fd;
}

let umaskCache: number | null = null;
function currentUmask(): number {
  if (umaskCache === null) {
    const old = sys.umask(0o022);
    sys.umask(old);
    umaskCache = old;
  }
  return umaskCache;
}
/** process.umask(m) changes it: forget what was read. */
export function forgetUmask(): void {
  umaskCache = null;
}

export function openSync(path: PathLike, flags?: string | number, mode?: string | number): number {
  const p = toPath(path);
  return uv('open', p, () => openRaw(p, toFlags(flags, 'r'), toMode(mode, 0o666), true));
}

export function closeSync(fd: number): void {
  uv('close', undefined, () => sys.fdClose(checkFd(fd)));
}

function toPosition(pos: unknown): bigint | null {
  if (pos === null || pos === undefined) return null;
  if (typeof pos === 'bigint') return pos < 0n ? null : pos;
  const n = Number(pos);
  return n < 0 || !Number.isFinite(n) ? null : BigInt(Math.trunc(n));
}

interface ReadArgs {
  buffer: Uint8Array;
  offset: number;
  length: number;
  position: bigint | null;
}

/** The offset, length and position of a read or write of `view`: positional, or an options object. */
function span(view: Uint8Array, a: unknown[]): { offset: number; length: number; position: unknown } {
  if (a.length > 0 && typeof a[0] === 'object' && a[0] !== null) {
    const o = a[0] as { offset?: number; length?: number; position?: unknown };
    const offset = o.offset ?? 0;
    return { offset, length: o.length ?? view.length - offset, position: o.position ?? null };
  }
  const offset = (a[0] as number | undefined) ?? 0;
  return { offset, length: (a[1] as number | undefined) ?? view.length - offset, position: a[2] ?? null };
}

function readArgs(buffer: unknown, a: unknown[]): ReadArgs {
  if (!(buffer instanceof Uint8Array) && !ArrayBuffer.isView(buffer)) {
    throw nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "buffer" argument must be an instance of Buffer, TypedArray, or DataView.');
  }
  const view = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const { offset, length, position } = span(view, a);
  if (offset < 0 || offset > view.length) throw nodeError(RangeError, 'ERR_OUT_OF_RANGE', `The value of "offset" is out of range. It must be >= 0 && <= ${view.length}. Received ${offset}`);
  if (length < 0 || offset + length > view.length) throw nodeError(RangeError, 'ERR_OUT_OF_RANGE', `The value of "length" is out of range. It must be >= 0 && <= ${view.length - offset}. Received ${length}`);
  return { buffer: view, offset, length, position: toPosition(position) };
}

/**
 * A read from a directory descriptor: the kernel answers EBADF (WASI's word, as wasmtime's);
 * Node, on Linux, says EISDIR. Other errors pass as they are.
 */
function dirReadErr(fd: number, e: unknown): unknown {
  if (!(e instanceof SysErr) || e.errno !== E.BADF) return e;
  try {
    return sys.fdFdstat(fd).filetype === FILETYPE.DIRECTORY ? new SysErr(E.ISDIR) : e;
  } catch {
    return e;
  }
}

export function readSync(fd: number, buffer: Uint8Array, ...a: unknown[]): number {
  const r = readArgs(buffer, a);
  if (r.length === 0) return 0;
  return uv('read', undefined, () => {
    try {
      return sys.fdRead(checkFd(fd), r.buffer.subarray(r.offset, r.offset + r.length), r.position);
    } catch (e) {
      throw dirReadErr(fd, e);
    }
  });
}

interface WriteArgs {
  data: Uint8Array;
  position: bigint | null;
}

function writeArgs(data: unknown, a: unknown[]): WriteArgs {
  if (typeof data === 'string') {
    // writeSync(fd, string[, position[, encoding]])
    return { data: Buffer.from(data, (a[1] as BufferEncoding | undefined) ?? 'utf8'), position: toPosition(a[0]) };
  }
  if (!ArrayBuffer.isView(data)) {
    throw nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "buffer" argument must be of type string or an instance of Buffer, TypedArray, or DataView.');
  }
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const { offset, length, position } = span(view, a);
  return { data: view.subarray(offset, offset + length), position: toPosition(position) };
}

export function writeSync(fd: number, data: Uint8Array | string, ...a: unknown[]): number {
  const w = writeArgs(data, a);
  return uv('write', undefined, () => sys.fdWrite(checkFd(fd), w.data, w.position));
}

export function readvSync(fd: number, buffers: readonly Uint8Array[], position?: number | null): number {
  let total = 0;
  let pos = toPosition(position);
  for (const b of buffers) {
    const n = readSync(fd, b, 0, b.length, pos);
    total += n;
    if (pos !== null) pos += BigInt(n);
    if (n < b.length) break;
  }
  return total;
}

export function writevSync(fd: number, buffers: readonly Uint8Array[], position?: number | null): number {
  let total = 0;
  let pos = toPosition(position);
  for (const b of buffers) {
    let off = 0;
    while (off < b.length) {
      const n = writeSync(fd, b, off, b.length - off, pos);
      off += n;
      if (pos !== null) pos += BigInt(n);
    }
    total += b.length;
  }
  return total;
}

// ---- whole files ----

interface FileOptions {
  encoding?: BufferEncoding | null;
  flag?: string | number;
  mode?: number | string;
  flush?: boolean;
  signal?: AbortSignal;
}

function fileOptions(o: unknown, dflt: FileOptions): FileOptions {
  if (o === undefined || o === null) return dflt;
  if (typeof o === 'string') return { ...dflt, encoding: o as BufferEncoding };
  return { ...dflt, ...(o as FileOptions) };
}

function isFd(p: unknown): p is number {
  return typeof p === 'number';
}

export function readFileSync(path: PathLike | number, options?: unknown): string | Buffer {
  const o = fileOptions(options, { flag: 'r' });
  let buf: Buffer;
  if (isFd(path)) {
    buf = uv('read', undefined, () => {
      try {
        return sys.readAll(path);
      } catch (e) {
        throw dirReadErr(path, e);
      }
    });
  } else {
    const p = toPath(path);
    const fd = uv('open', p, () => openRaw(p, toFlags(o.flag, 'r'), null, false));
    try {
      // As Node: a directory opens, and its read fails (EISDIR, syscall 'read', no path).
      buf = uv('read', undefined, () => {
        const st = sys.fdFilestat(fd);
        if (st.filetype === FILETYPE.DIRECTORY) throw new SysErr(E.ISDIR);
        return sys.readAll(fd, Number(st.size));
      });
    } finally {
      sys.fdClose(fd);
    }
  }
  return o.encoding ? buf.toString(o.encoding) : buf;
}

function dataBytes(data: unknown, encoding: BufferEncoding | null | undefined): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, encoding ?? 'utf8');
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', `The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ${data === null ? 'null' : typeof data}`);
}

function writeWhole(path: PathLike | number, data: unknown, o: FileOptions, dfltFlag: string): void {
  const bytes = dataBytes(data, o.encoding);
  if (isFd(path)) {
    uv('write', undefined, () => sys.fdWriteAll(path, bytes));
    return;
  }
  const p = toPath(path);
  const fd = uv('open', p, () => openRaw(p, toFlags(o.flag, dfltFlag), toMode(o.mode, 0o666), false));
  try {
    uv('write', undefined, () => sys.fdWriteAll(fd, bytes));
    if (o.flush) uv('fsync', undefined, () => sys.fdSync(fd));
  } finally {
    sys.fdClose(fd);
  }
}

export function writeFileSync(path: PathLike | number, data: unknown, options?: unknown): void {
  writeWhole(path, data, fileOptions(options, { encoding: 'utf8', flag: 'w', mode: 0o666 }), 'w');
}

export function appendFileSync(path: PathLike | number, data: unknown, options?: unknown): void {
  writeWhole(path, data, fileOptions(options, { encoding: 'utf8', flag: 'a', mode: 0o666 }), 'a');
}

// ---- Stats ----

const S_IFMT = C.S_IFMT;

class StatsBase<T extends number | bigint> {
  declare dev: T;
  declare mode: T;
  declare nlink: T;
  declare uid: T;
  declare gid: T;
  declare rdev: T;
  declare blksize: T;
  declare ino: T;
  declare size: T;
  declare blocks: T;
  private type(): number {
    return Number(this.mode) & S_IFMT;
  }
  isFile(): boolean {
    return this.type() === C.S_IFREG;
  }
  isDirectory(): boolean {
    return this.type() === C.S_IFDIR;
  }
  isSymbolicLink(): boolean {
    return this.type() === C.S_IFLNK;
  }
  isFIFO(): boolean {
    return this.type() === C.S_IFIFO;
  }
  isSocket(): boolean {
    return this.type() === C.S_IFSOCK;
  }
  isCharacterDevice(): boolean {
    return this.type() === C.S_IFCHR;
  }
  isBlockDevice(): boolean {
    return this.type() === C.S_IFBLK;
  }
}

export class Stats extends StatsBase<number> {
  declare atimeMs: number;
  declare mtimeMs: number;
  declare ctimeMs: number;
  declare birthtimeMs: number;
  declare atime: Date;
  declare mtime: Date;
  declare ctime: Date;
  declare birthtime: Date;
}

export class BigIntStats extends StatsBase<bigint> {
  declare atimeMs: bigint;
  declare mtimeMs: bigint;
  declare ctimeMs: bigint;
  declare birthtimeMs: bigint;
  declare atimeNs: bigint;
  declare mtimeNs: bigint;
  declare ctimeNs: bigint;
  declare birthtimeNs: bigint;
  declare atime: Date;
  declare mtime: Date;
  declare ctime: Date;
  declare birthtime: Date;
}

/** A kernel stat as fs.Stats (or BigIntStats). */
export function makeStats(s: sys.Stat, bigint: boolean): Stats | BigIntStats {
  const blocks = (s.size + 511n) / 512n;
  const dateOf = (ns: bigint): Date => new Date(Number(ns / 1000n) / 1000);
  if (bigint) {
    const st = new BigIntStats();
    Object.assign(st, {
      dev: s.dev, mode: BigInt(s.mode), nlink: s.nlink, uid: BigInt(s.uid), gid: BigInt(s.gid), rdev: 0n, blksize: 4096n,
      ino: s.ino, size: s.size, blocks, atimeMs: s.atim / 1000000n, mtimeMs: s.mtim / 1000000n, ctimeMs: s.ctim / 1000000n,
      birthtimeMs: s.ctim / 1000000n, atimeNs: s.atim, mtimeNs: s.mtim, ctimeNs: s.ctim, birthtimeNs: s.ctim,
      atime: dateOf(s.atim), mtime: dateOf(s.mtim), ctime: dateOf(s.ctim), birthtime: dateOf(s.ctim),
    });
    return st;
  }
  const ms = (ns: bigint): number => Number(ns / 1000n) / 1000;
  const st = new Stats();
  Object.assign(st, {
    dev: Number(s.dev), mode: s.mode, nlink: Number(s.nlink), uid: s.uid, gid: s.gid, rdev: 0, blksize: 4096,
    ino: Number(s.ino), size: Number(s.size), blocks: Number(blocks), atimeMs: ms(s.atim), mtimeMs: ms(s.mtim),
    ctimeMs: ms(s.ctim), birthtimeMs: ms(s.ctim), atime: dateOf(s.atim), mtime: dateOf(s.mtim), ctime: dateOf(s.ctim),
    birthtime: dateOf(s.ctim),
  });
  return st;
}

interface StatOptions {
  bigint?: boolean;
  throwIfNoEntry?: boolean;
}

function statImpl(syscall: string, path: PathLike, follow: boolean, o?: StatOptions): Stats | BigIntStats | undefined {
  const p = toPath(path);
  try {
    return makeStats(sys.stat(p, follow), o?.bigint === true);
  } catch (e) {
    if (o?.throwIfNoEntry === false && e instanceof SysErr && (e.errno === E.NOENT || e.errno === E.NOTDIR)) return undefined;
    return rethrow(e, syscall, p);
  }
}

export function statSync(path: PathLike, o?: StatOptions): Stats | BigIntStats | undefined {
  return statImpl('stat', path, true, o);
}
export function lstatSync(path: PathLike, o?: StatOptions): Stats | BigIntStats | undefined {
  return statImpl('lstat', path, false, o);
}
export function fstatSync(fd: number, o?: StatOptions): Stats | BigIntStats {
  return uv('fstat', undefined, () => makeStats(sys.fstat(checkFd(fd)), o?.bigint === true));
}

export function existsSync(path: unknown): boolean {
  try {
    sys.stat(toPath(path), true);
    return true;
  } catch {
    return false;
  }
}

export function accessSync(path: PathLike, mode: number = F_OK): void {
  const p = toPath(path);
  const st = uv('access', p, () => sys.stat(p, true));
  if (mode === F_OK) return;
  const uid = process.getuid?.() ?? 0;
  const perm = st.mode & 0o777;
  let ok = true;
  if (uid === 0) ok = (mode & X_OK) === 0 || (perm & 0o111) !== 0 || (st.mode & S_IFMT) === C.S_IFDIR;
  else {
    const bits = st.uid === uid ? perm >> 6 : perm & 7;
    ok = (bits & mode) === mode;
  }
  if (!ok) throw uvError(E.ACCES, 'access', p);
}

// ---- directories ----

const DIRENT_TYPE: Record<number, number> = {
  [FILETYPE.REGULAR_FILE]: C.UV_DIRENT_FILE, [FILETYPE.DIRECTORY]: C.UV_DIRENT_DIR,
  [FILETYPE.SYMBOLIC_LINK]: C.UV_DIRENT_LINK, [FILETYPE.CHARACTER_DEVICE]: C.UV_DIRENT_CHAR,
  [FILETYPE.BLOCK_DEVICE]: C.UV_DIRENT_BLOCK, [FILETYPE.SOCKET_STREAM]: C.UV_DIRENT_SOCKET,
  [FILETYPE.SOCKET_DGRAM]: C.UV_DIRENT_SOCKET,
};

export class Dirent {
  name: string;
  parentPath: string;
  private readonly t: number;
  constructor(name: string, type: number, parentPath: string) {
    this.name = name;
    this.parentPath = parentPath;
    this.t = type;
  }
  get path(): string {
    return this.parentPath;
  }
  isFile(): boolean {
    return this.t === C.UV_DIRENT_FILE;
  }
  isDirectory(): boolean {
    return this.t === C.UV_DIRENT_DIR;
  }
  isSymbolicLink(): boolean {
    return this.t === C.UV_DIRENT_LINK;
  }
  isFIFO(): boolean {
    return this.t === C.UV_DIRENT_FIFO;
  }
  isSocket(): boolean {
    return this.t === C.UV_DIRENT_SOCKET;
  }
  isCharacterDevice(): boolean {
    return this.t === C.UV_DIRENT_CHAR;
  }
  isBlockDevice(): boolean {
    return this.t === C.UV_DIRENT_BLOCK;
  }
}

function listDir(p: string): sys.DirEntry[] {
  const fd = sys.pathOpen(p, { follow: true, oflags: 2, read: true, write: false, fdflags: 0 });
  try {
    return sys.fdReaddir(fd);
  } finally {
    sys.fdClose(fd);
  }
}

interface ReaddirOptions {
  encoding?: BufferEncoding | 'buffer' | null;
  withFileTypes?: boolean;
  recursive?: boolean;
}

export function readdirSync(path: PathLike, options?: unknown): (string | Buffer | Dirent)[] {
  const o: ReaddirOptions = typeof options === 'string' ? { encoding: options as BufferEncoding } : (options as ReaddirOptions | undefined) ?? {};
  const root = toPath(path);
  const out: (string | Buffer | Dirent)[] = [];
  const walk = (dir: string, rel: string): void => {
    const entries = uv('scandir', dir, () => listDir(dir));
    for (const e of entries) {
      const name = rel === '' ? e.name : `${rel}/${e.name}`;
      if (o.withFileTypes) out.push(new Dirent(e.name, DIRENT_TYPE[e.type] ?? C.UV_DIRENT_UNKNOWN, dir));
      else out.push(o.encoding === 'buffer' ? Buffer.from(name) : name);
      if (o.recursive && e.type === FILETYPE.DIRECTORY) walk(`${dir}/${e.name}`, name);
    }
  };
  walk(root, '');
  return out;
}

interface MkdirOptions {
  recursive?: boolean;
  mode?: number | string;
}

export function mkdirSync(path: PathLike, options?: unknown): string | undefined {
  const o: MkdirOptions = typeof options === 'number' || typeof options === 'string' ? { mode: options } : (options as MkdirOptions | undefined) ?? {};
  const p = toPath(path);
  const mode = toMode(o.mode, 0o777);
  const make = (dir: string): void => {
    sys.pathMkdir(dir);
    if ((mode & 0o7777) !== 0o777) sys.chmod(dir, mode & ~currentUmask());
  };
  if (!o.recursive) {
    uv('mkdir', p, () => make(p));
    return undefined;
  }
  const abs = sys.absolute(p).replace(/\/+$/, '') || '/';
  const parts = abs.split('/').filter(Boolean);
  let first: string | undefined;
  let cur = '';
  for (const part of parts) {
    cur += '/' + part;
    try {
      const st = sys.stat(cur, true);
      if (st.filetype !== FILETYPE.DIRECTORY) throw uvError(E.NOTDIR, 'mkdir', p);
      continue;
    } catch (e) {
      if (!(e instanceof SysErr) || e.errno !== E.NOENT) {
        if (e instanceof SysErr) rethrow(e, 'mkdir', p);
        throw e;
      }
    }
    try {
      make(cur);
    } catch (e) {
      if (e instanceof SysErr && e.errno === E.EXIST) continue;
      rethrow(e, 'mkdir', p);
    }
    first ??= cur;
  }
  return first;
}

export function rmdirSync(path: PathLike, options?: { recursive?: boolean }): void {
  const p = toPath(path);
  if (options?.recursive) return rmSync(p, { recursive: true, force: false });
  uv('rmdir', p, () => sys.pathRmdir(p));
}

export function unlinkSync(path: PathLike): void {
  const p = toPath(path);
  uv('unlink', p, () => sys.pathUnlink(p));
}

export function rmSync(path: PathLike, options?: { recursive?: boolean; force?: boolean }): void {
  const p = toPath(path);
  let st: sys.Stat;
  try {
    st = sys.stat(p, false);
  } catch (e) {
    if (options?.force && e instanceof SysErr && e.errno === E.NOENT) return;
    return rethrow(e, 'rm', p);
  }
  if (st.filetype === FILETYPE.DIRECTORY) {
    if (!options?.recursive) {
      const err = nodeError(Error, 'ERR_FS_EISDIR', `Path is a directory: rm returned EISDIR (is a directory) ${p}`) as Error & Record<string, unknown>;
      Object.assign(err, { errno: 21, syscall: 'rm', path: p });
      throw err;
    }
    for (const e of uv('scandir', p, () => listDir(p))) rmSync(`${p.replace(/\/+$/, '')}/${e.name}`, options);
    uv('rmdir', p, () => sys.pathRmdir(p));
    return;
  }
  uv('rm', p, () => sys.pathUnlink(p));
}

export function renameSync(from: PathLike, to: PathLike): void {
  const a = toPath(from, 'oldPath');
  const b = toPath(to, 'newPath');
  uv('rename', a, () => sys.pathRename(a, b), b);
}

export function linkSync(existing: PathLike, newPath: PathLike): void {
  const a = toPath(existing, 'existingPath');
  const b = toPath(newPath, 'newPath');
  uv('link', a, () => sys.pathLink(a, b), b);
}

export function symlinkSync(target: PathLike, path: PathLike, _type?: string): void {
  const t = toPath(target, 'target');
  const p = toPath(path);
  uv('symlink', t, () => sys.pathSymlink(t, p), p);
}

export function readlinkSync(path: PathLike, options?: unknown): string | Buffer {
  const p = toPath(path);
  const s = uv('readlink', p, () => sys.pathReadlink(p));
  const enc = typeof options === 'string' ? options : (options as { encoding?: string } | undefined)?.encoding;
  return enc === 'buffer' ? Buffer.from(s) : s;
}

export function realpathSync(path: PathLike, options?: unknown): string | Buffer {
  const p = toPath(path);
  const abs = sys.absolute(p);
  let todo = abs.split('/').filter(Boolean);
  let out = '';
  let links = 0;
  while (todo.length > 0) {
    const c = todo.shift()!;
    if (c === '.') continue;
    if (c === '..') {
      out = out.slice(0, out.lastIndexOf('/'));
      continue;
    }
    const next = `${out}/${c}`;
    const st = uv('lstat', next, () => sys.stat(next, false));
    if (st.filetype === FILETYPE.SYMBOLIC_LINK) {
      if (++links > 40) throw uvError(E.LOOP, 'realpath', p);
      const target = uv('readlink', next, () => sys.pathReadlink(next));
      if (target.startsWith('/')) out = '';
      todo = [...target.split('/').filter(Boolean), ...todo];
      continue;
    }
    out = next;
  }
  const r = out === '' ? '/' : out;
  const enc = typeof options === 'string' ? options : (options as { encoding?: string } | undefined)?.encoding;
  return enc === 'buffer' ? Buffer.from(r) : r;
}
realpathSync.native = realpathSync;

export function chmodSync(path: PathLike, mode: number | string): void {
  const p = toPath(path);
  uv('chmod', p, () => sys.chmod(p, toMode(mode, 0)));
}
export function fchmodSync(fd: number, mode: number | string): void {
  uv('fchmod', undefined, () => sys.fchmod(checkFd(fd), toMode(mode, 0)));
}
export function lchmodSync(_path: PathLike, _mode: number): void {
  throw uvError(E.NOTSUP, 'lchmod');
}

function chownRefused(syscall: string, path?: string): never {
  throw uvError(E.NOSYS, syscall, path);
}
export function chownSync(path: PathLike, _uid: number, _gid: number): void {
  chownRefused('chown', toPath(path));
}
export function fchownSync(_fd: number, _uid: number, _gid: number): void {
  chownRefused('fchown');
}
export function lchownSync(path: PathLike, _uid: number, _gid: number): void {
  chownRefused('lchown', toPath(path));
}

export function truncateSync(path: PathLike | number, len = 0): void {
  if (isFd(path)) return ftruncateSync(path, len);
  const p = toPath(path);
  const fd = uv('open', p, () => openRaw(p, C.O_WRONLY, null, false));
  try {
    uv('ftruncate', undefined, () => sys.fdSetSize(fd, BigInt(len)));
  } finally {
    sys.fdClose(fd);
  }
}
export function ftruncateSync(fd: number, len = 0): void {
  uv('ftruncate', undefined, () => sys.fdSetSize(checkFd(fd), BigInt(Math.max(0, len))));
}

function timeNs(t: unknown): bigint {
  if (t instanceof Date) return BigInt(t.getTime()) * 1000000n;
  if (typeof t === 'string') t = Number(t);
  return BigInt(Math.round((t as number) * 1e9));
}

export function utimesSync(path: PathLike, atime: unknown, mtime: unknown): void {
  const p = toPath(path);
  uv('utime', p, () => sys.pathSetTimes(p, true, timeNs(atime), timeNs(mtime), 1 | 4));
}
export function lutimesSync(path: PathLike, atime: unknown, mtime: unknown): void {
  const p = toPath(path);
  uv('lutime', p, () => sys.pathSetTimes(p, false, timeNs(atime), timeNs(mtime), 1 | 4));
}
export function futimesSync(fd: number, atime: unknown, mtime: unknown): void {
  uv('futime', undefined, () => sys.fdSetTimes(checkFd(fd), timeNs(atime), timeNs(mtime), 1 | 4));
}

export function fsyncSync(fd: number): void {
  uv('fsync', undefined, () => sys.fdSync(checkFd(fd)));
}
export function fdatasyncSync(fd: number): void {
  uv('fdatasync', undefined, () => sys.fdDatasync(checkFd(fd)));
}

export function copyFileSync(src: PathLike, dest: PathLike, mode = 0): void {
  const a = toPath(src, 'src');
  const b = toPath(dest, 'dest');
  uv('copyfile', a, () => {
    const from = openRaw(a, C.O_RDONLY, null, false);
    try {
      const st = sys.fstat(from);
      if ((st.mode & S_IFMT) === C.S_IFDIR) throw new SysErr(E.ISDIR);
      const data = sys.readAll(from, Number(st.size));
      const to = openRaw(b, C.O_WRONLY | C.O_CREAT | C.O_TRUNC | ((mode & C.COPYFILE_EXCL) !== 0 ? C.O_EXCL : 0), null, false);
      try {
        sys.fdWriteAll(to, data);
        sys.fchmod(to, st.mode & 0o7777);
      } finally {
        sys.fdClose(to);
      }
    } finally {
      sys.fdClose(from);
    }
  }, b);
}

export function cpSync(src: PathLike, dest: PathLike, options?: { recursive?: boolean; force?: boolean; errorOnExist?: boolean }): void {
  const a = toPath(src, 'src');
  const b = toPath(dest, 'dest');
  const st = uv('lstat', a, () => sys.stat(a, false));
  if (st.filetype === FILETYPE.DIRECTORY) {
    if (!options?.recursive) {
      const err = nodeError(Error, 'ERR_FS_EISDIR', `Recursive option is required to copy a directory: cp returned EISDIR (${a} is a directory (not copied)) ${a}`);
      throw err;
    }
    mkdirSync(b, { recursive: true });
    for (const e of uv('scandir', a, () => listDir(a))) cpSync(`${a}/${e.name}`, `${b}/${e.name}`, options);
    return;
  }
  if (st.filetype === FILETYPE.SYMBOLIC_LINK) {
    symlinkSync(uv('readlink', a, () => sys.pathReadlink(a)), b);
    return;
  }
  if (existsSync(b) && options?.force === false) {
    if (options.errorOnExist) throw nodeError(Error, 'ERR_FS_CP_EEXIST', `Target already exists: cp returned EEXIST (${b} already exists)`);
    return;
  }
  copyFileSync(a, b);
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function mkdtempSync(prefix: string, _options?: unknown): string {
  const p = toPath(prefix, 'prefix');
  for (let tries = 0; ; tries++) {
    const bytes = new Uint8Array(6);
    sys.randomFill(bytes);
    const name = p + [...bytes].map((b) => ALNUM[b % ALNUM.length]).join('');
    try {
      sys.pathMkdir(name);
      sys.chmod(name, 0o700);
      return name;
    } catch (e) {
      if (e instanceof SysErr && e.errno === E.EXIST && tries < 100) continue;
      return rethrow(e, 'mkdtemp', p + 'XXXXXX');
    }
  }
}

export function statfsSync(path: PathLike, options?: { bigint?: boolean }): Record<string, number | bigint> {
  const p = toPath(path);
  const v = uv('statfs', p, () => {
    const fd = sys.pathOpen(p, { follow: true, oflags: 0, read: true, write: false, fdflags: 0 });
    try {
      return sys.statvfs(fd);
    } finally {
      sys.fdClose(fd);
    }
  });
  const r = { type: 0x01021994, bsize: v.bsize, blocks: v.blocks, bfree: v.bfree, bavail: v.bavail, files: v.files, ffree: v.ffree };
  if (!options?.bigint) return r;
  return Object.fromEntries(Object.entries(r).map(([k, x]) => [k, BigInt(x)]));
}

export class Dir {
  readonly path: string;
  private entries: sys.DirEntry[] | null;
  private closed = false;
  constructor(path: string, entries: sys.DirEntry[]) {
    this.path = path;
    this.entries = entries;
  }
  readSync(): Dirent | null {
    if (this.closed || !this.entries) throw nodeError(Error, 'ERR_DIR_CLOSED', 'Directory handle was closed');
    const e = this.entries.shift();
    return e ? new Dirent(e.name, DIRENT_TYPE[e.type] ?? C.UV_DIRENT_UNKNOWN, this.path) : null;
  }
  read(cb?: Callback<Dirent | null>): Promise<Dirent | null> | undefined {
    if (cb) {
      later(() => this.readSync(), cb);
      return undefined;
    }
    return promised(() => this.readSync());
  }
  closeSync(): void {
    if (this.closed) throw nodeError(Error, 'ERR_DIR_CLOSED', 'Directory handle was closed');
    this.closed = true;
    this.entries = null;
  }
  close(cb?: (e: Error | null) => void): Promise<void> | undefined {
    if (cb) {
      later(() => this.closeSync(), cb);
      return undefined;
    }
    return promised(() => this.closeSync());
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<Dirent> {
    try {
      for (let d = this.readSync(); d; d = this.readSync()) yield d;
    } finally {
      if (!this.closed) this.closeSync();
    }
  }
  *[Symbol.iterator](): Generator<Dirent> {
    try {
      for (let d = this.readSync(); d; d = this.readSync()) yield d;
    } finally {
      if (!this.closed) this.closeSync();
    }
  }
}

export function opendirSync(path: PathLike, _options?: unknown): Dir {
  const p = toPath(path);
  return new Dir(p, uv('opendir', p, () => listDir(p)));
}

function unavailable(name: string): never {
  throw nodeError(Error, 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM', `fs.${name} is not available in an isokernel process (the kernel has no file notifications yet)`);
}
export const watch = (): never => unavailable('watch');
export const watchFile = (): never => unavailable('watchFile');
export const unwatchFile = (): void => {};

// ---- callback and promise forms ----

/** Settles `cb` on a later tick with what `fn` returns or throws (Node's callbacks never run synchronously). */
function later<T>(fn: () => T, cb: Callback<T>): void {
  let v: T;
  try {
    v = fn();
  } catch (e) {
    process.nextTick(cb, e as Error);
    return;
  }
  process.nextTick(cb, null, v);
}

function promised<T>(fn: () => T): Promise<T> {
  return new Promise((resolve, reject) => {
    try {
      resolve(fn());
    } catch (e) {
      reject(e);
    }
  });
}

function callbackForm<A extends unknown[], T>(sync: (...a: A) => T): (...a: [...A, Callback<T>]) => void {
  return (...args: unknown[]) => {
    const cb = args.pop();
    if (typeof cb !== 'function') throw nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', `The "cb" argument must be of type function. Received ${typeof cb}`);
    later(() => sync(...(args as A)), cb as Callback<T>);
  };
}

/** Whether reads and writes of `fd` may wait (a pipe, a terminal, a device): those go through an async lane. */
function mayBlock(fd: number): boolean {
  try {
    const t = sys.fdFdstat(fd).filetype;
    return t !== FILETYPE.REGULAR_FILE && t !== FILETYPE.DIRECTORY;
  } catch {
    return false;
  }
}

async function readAsync(fd: number, r: ReadArgs): Promise<number> {
  if (r.length === 0) return 0;
  if (!mayBlock(fd)) return sys.fdRead(fd, r.buffer.subarray(r.offset, r.offset + r.length), r.position);
  const got = await sys.fdReadAsync(fd, r.length, r.position);
  r.buffer.set(got, r.offset);
  return got.length;
}

async function writeAsync(fd: number, w: WriteArgs): Promise<number> {
  if (!mayBlock(fd)) return sys.fdWrite(fd, w.data, w.position);
  return sys.fdWriteAsync(fd, w.data, w.position);
}

async function readAllAsync(fd: number, sizeHint: number): Promise<Buffer> {
  if (!mayBlock(fd)) return sys.readAll(fd, sizeHint);
  const chunks: Uint8Array[] = [];
  for (;;) {
    const b = await sys.fdReadAsync(fd, sys.IO_CHUNK);
    if (b.length === 0) break;
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

async function writeAllAsync(fd: number, data: Uint8Array): Promise<void> {
  if (!mayBlock(fd)) return sys.fdWriteAll(fd, data);
  let off = 0;
  while (off < data.length) off += await sys.fdWriteAsync(fd, data.subarray(off));
}

function asyncUv<T>(syscall: string, path: string | undefined, p: Promise<T>): Promise<T> {
  return p.catch((e: unknown) => rethrow(e, syscall, path));
}

export function read(fd: number, buffer: Uint8Array | Callback<number>, ...rest: unknown[]): void {
  const cb = rest.pop() as (e: Error | null, n?: number, b?: Uint8Array) => void;
  let r: ReadArgs;
  try {
    if (typeof buffer === 'function' || buffer === undefined) {
      const opts = (typeof buffer === 'object' ? buffer : rest[0] ?? {}) as { buffer?: Uint8Array };
      r = readArgs(opts.buffer ?? Buffer.alloc(16384), [opts]);
    } else r = readArgs(buffer, rest);
    checkFd(fd);
  } catch (e) {
    process.nextTick(cb, e as Error);
    return;
  }
  asyncUv('read', undefined, readAsync(fd, r).catch((e: unknown) => { throw dirReadErr(fd, e); }))
    .then((n) => cb(null, n, r.buffer), (e: Error) => cb(e));
}

export function write(fd: number, data: Uint8Array | string, ...rest: unknown[]): void {
  const cb = rest.pop() as (e: Error | null, n?: number, d?: unknown) => void;
  let w: WriteArgs;
  try {
    w = writeArgs(data, rest);
    checkFd(fd);
  } catch (e) {
    process.nextTick(cb, e as Error);
    return;
  }
  asyncUv('write', undefined, writeAsync(fd, w)).then((n) => cb(null, n, data), (e: Error) => cb(e));
}

/** Options that may be left out, the callback taking their place: [options, callback]. */
function optionsThenCb<F>(options: unknown, cb: F | undefined): [unknown, F] {
  return typeof options === 'function' ? [undefined, options as F] : [options, cb!];
}

export function readFile(path: PathLike | number, options: unknown, cb?: Callback<string | Buffer>): void {
  const [o, done] = optionsThenCb(options, cb);
  promises.readFile(path, o).then((v) => done(null, v), (e: Error) => done(e));
}

export function writeFile(path: PathLike | number, data: unknown, options: unknown, cb?: (e: Error | null) => void): void {
  const [o, done] = optionsThenCb(options, cb);
  promises.writeFile(path, data, o).then(() => done(null), (e: Error) => done(e));
}

export function appendFile(path: PathLike | number, data: unknown, options: unknown, cb?: (e: Error | null) => void): void {
  const [o, done] = optionsThenCb(options, cb);
  promises.appendFile(path, data, o).then(() => done(null), (e: Error) => done(e));
}

export function exists(path: PathLike, cb: (exists: boolean) => void): void {
  const r = existsSync(path);
  process.nextTick(cb, r);
}

function optionalArgs<A extends unknown[], T>(sync: (...a: A) => T, n: number): (...a: unknown[]) => void {
  const f = callbackForm(sync);
  return (...args: unknown[]) => {
    const cb = args[args.length - 1];
    while (args.length < n + 1) args.splice(args.length - 1, 0, undefined);
    if (args.length > n + 1) args.splice(n, args.length - n - 1);
    args[args.length - 1] = cb;
    (f as (...a: unknown[]) => void)(...args);
  };
}

export const open = optionalArgs(openSync, 3);
export const close = optionalArgs(closeSync, 1);
export const stat = optionalArgs(statSync, 2);
export const lstat = optionalArgs(lstatSync, 2);
export const fstat = optionalArgs(fstatSync, 2);
export const access = optionalArgs(accessSync, 2);
export const readdir = optionalArgs(readdirSync, 2);
export const mkdir = optionalArgs(mkdirSync, 2);
export const rmdir = optionalArgs(rmdirSync, 2);
export const rm = optionalArgs(rmSync, 2);
export const unlink = optionalArgs(unlinkSync, 1);
export const rename = optionalArgs(renameSync, 2);
export const link = optionalArgs(linkSync, 2);
export const symlink = optionalArgs(symlinkSync, 3);
export const readlink = optionalArgs(readlinkSync, 2);
export const realpath = Object.assign(optionalArgs(realpathSync, 2), { native: optionalArgs(realpathSync, 2) });
export const chmod = optionalArgs(chmodSync, 2);
export const fchmod = optionalArgs(fchmodSync, 2);
export const lchmod = optionalArgs(lchmodSync, 2);
export const chown = optionalArgs(chownSync, 3);
export const fchown = optionalArgs(fchownSync, 3);
export const lchown = optionalArgs(lchownSync, 3);
export const truncate = optionalArgs(truncateSync, 2);
export const ftruncate = optionalArgs(ftruncateSync, 2);
export const utimes = optionalArgs(utimesSync, 3);
export const lutimes = optionalArgs(lutimesSync, 3);
export const futimes = optionalArgs(futimesSync, 3);
export const fsync = optionalArgs(fsyncSync, 1);
export const fdatasync = optionalArgs(fdatasyncSync, 1);
export const copyFile = optionalArgs(copyFileSync, 3);
export const cp = optionalArgs(cpSync, 3);
export const mkdtemp = optionalArgs(mkdtempSync, 2);
export const opendir = optionalArgs(opendirSync, 2);
export const statfs = optionalArgs(statfsSync, 2);
export const readv = optionalArgs(readvSync, 3);
export const writev = optionalArgs(writevSync, 3);

// ---- fs.promises ----

export class FileHandle extends EventEmitter {
  fd: number;
  constructor(fd: number) {
    super();
    this.fd = fd;
  }
  private live(): number {
    if (this.fd < 0) throw nodeError(Error, 'EBADF', 'file closed');
    return this.fd;
  }
  async read(buffer?: Uint8Array | { buffer?: Uint8Array; offset?: number; length?: number; position?: number | null }, ...rest: unknown[]): Promise<{ bytesRead: number; buffer: Uint8Array }> {
    const r = buffer instanceof Uint8Array ? readArgs(buffer, rest) : readArgs(buffer?.buffer ?? Buffer.alloc(16384), [buffer ?? {}]);
    const n = await asyncUv('read', undefined, readAsync(this.live(), r));
    return { bytesRead: n, buffer: r.buffer };
  }
  async write(data: Uint8Array | string, ...rest: unknown[]): Promise<{ bytesWritten: number; buffer: unknown }> {
    const w = writeArgs(data, rest);
    const n = await asyncUv('write', undefined, writeAsync(this.live(), w));
    return { bytesWritten: n, buffer: data };
  }
  async readv(buffers: Uint8Array[], position?: number | null): Promise<{ bytesRead: number; buffers: Uint8Array[] }> {
    return { bytesRead: readvSync(this.live(), buffers, position), buffers };
  }
  async writev(buffers: Uint8Array[], position?: number | null): Promise<{ bytesWritten: number; buffers: Uint8Array[] }> {
    return { bytesWritten: writevSync(this.live(), buffers, position), buffers };
  }
  async readFile(options?: unknown): Promise<string | Buffer> {
    const o = fileOptions(options, {});
    const b = await asyncUv('read', undefined, readAllAsync(this.live(), 0));
    return o.encoding ? b.toString(o.encoding) : b;
  }
  async writeFile(data: unknown, options?: unknown): Promise<void> {
    const o = fileOptions(options, { encoding: 'utf8' });
    await asyncUv('write', undefined, writeAllAsync(this.live(), dataBytes(data, o.encoding)));
  }
  appendFile(data: unknown, options?: unknown): Promise<void> {
    return this.writeFile(data, options);
  }
  async stat(o?: StatOptions): Promise<Stats | BigIntStats> {
    return fstatSync(this.live(), o);
  }
  async truncate(len = 0): Promise<void> {
    ftruncateSync(this.live(), len);
  }
  async sync(): Promise<void> {
    fsyncSync(this.live());
  }
  async datasync(): Promise<void> {
    fdatasyncSync(this.live());
  }
  async chmod(mode: number | string): Promise<void> {
    fchmodSync(this.live(), mode);
  }
  async chown(uid: number, gid: number): Promise<void> {
    fchownSync(this.live(), uid, gid);
  }
  async utimes(atime: unknown, mtime: unknown): Promise<void> {
    futimesSync(this.live(), atime, mtime);
  }
  async close(): Promise<void> {
    if (this.fd < 0) return;
    const fd = this.fd;
    this.fd = -1;
    closeSync(fd);
    this.emit('close');
  }
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
  createReadStream(options?: Record<string, unknown>): ReadStream {
    return new ReadStream(null, { ...options, fd: this });
  }
  createWriteStream(options?: Record<string, unknown>): WriteStream {
    return new WriteStream(null, { ...options, fd: this });
  }
  readLines(options?: Record<string, unknown>): AsyncIterable<string> {
    const stream = this.createReadStream(options);
    return (async function* lines(): AsyncGenerator<string> {
      let rest = '';
      for await (const chunk of stream) {
        rest += String(chunk);
        let i;
        while ((i = rest.indexOf('\n')) >= 0) {
          yield rest.slice(0, i).replace(/\r$/, '');
          rest = rest.slice(i + 1);
        }
      }
      if (rest !== '') yield rest;
    })();
  }
}

function handleFd(p: PathLike | number | FileHandle): number | null {
  return p instanceof FileHandle ? p.fd : isFd(p) ? p : null;
}

const asPromise = <A extends unknown[], T>(sync: (...a: A) => T) => (...a: A): Promise<T> => promised(() => sync(...a));

export const promises = {
  constants,
  async open(path: PathLike, flags?: string | number, mode?: string | number): Promise<FileHandle> {
    return new FileHandle(openSync(path, flags, mode));
  },
  async readFile(path: PathLike | number | FileHandle, options?: unknown): Promise<string | Buffer> {
    const o = fileOptions(options, { flag: 'r' });
    const fdGiven = handleFd(path as PathLike | number | FileHandle);
    let buf: Buffer;
    if (fdGiven !== null) buf = await asyncUv('read', undefined, readAllAsync(fdGiven, 0));
    else {
      const p = toPath(path);
      const fd = uv('open', p, () => openRaw(p, toFlags(o.flag, 'r'), null, false));
      try {
        const st = uv('fstat', p, () => sys.fdFilestat(fd));
        if (st.filetype === FILETYPE.DIRECTORY) throw uvError(E.ISDIR, 'read', p); // as Node's message
        buf = await asyncUv('read', undefined, readAllAsync(fd, Number(st.size)));
      } finally {
        sys.fdClose(fd);
      }
    }
    return o.encoding ? buf.toString(o.encoding) : buf;
  },
  async writeFile(path: PathLike | number | FileHandle, data: unknown, options?: unknown): Promise<void> {
    const o = fileOptions(options, { encoding: 'utf8', flag: 'w', mode: 0o666 });
    const fdGiven = handleFd(path as PathLike | number | FileHandle);
    if (typeof data === 'object' && data !== null && !ArrayBuffer.isView(data) && (Symbol.asyncIterator in data || Symbol.iterator in data)) {
      const parts: Uint8Array[] = [];
      for await (const c of data as AsyncIterable<unknown>) parts.push(dataBytes(c, o.encoding));
      data = Buffer.concat(parts);
    }
    if (fdGiven !== null) return asyncUv('write', undefined, writeAllAsync(fdGiven, dataBytes(data, o.encoding)));
    const p = toPath(path);
    const fd = uv('open', p, () => openRaw(p, toFlags(o.flag, 'w'), toMode(o.mode, 0o666), false));
    try {
      await asyncUv('write', undefined, writeAllAsync(fd, dataBytes(data, o.encoding)));
      if (o.flush) uv('fsync', undefined, () => sys.fdSync(fd)); // as writeFileSync
    } finally {
      sys.fdClose(fd);
    }
  },
  appendFile(path: PathLike | number | FileHandle, data: unknown, options?: unknown): Promise<void> {
    const o = fileOptions(options, { encoding: 'utf8', flag: 'a', mode: 0o666 });
    return promises.writeFile(path, data, { ...o, flag: o.flag ?? 'a' });
  },
  stat: asPromise(statSync),
  lstat: asPromise(lstatSync),
  access: asPromise(accessSync),
  readdir: asPromise(readdirSync),
  mkdir: asPromise(mkdirSync),
  rmdir: asPromise(rmdirSync),
  rm: asPromise(rmSync),
  unlink: asPromise(unlinkSync),
  rename: asPromise(renameSync),
  link: asPromise(linkSync),
  symlink: asPromise(symlinkSync),
  readlink: asPromise(readlinkSync),
  realpath: asPromise(realpathSync),
  chmod: asPromise(chmodSync),
  lchmod: asPromise(lchmodSync),
  chown: asPromise(chownSync),
  lchown: asPromise(lchownSync),
  truncate: asPromise(truncateSync),
  utimes: asPromise(utimesSync),
  lutimes: asPromise(lutimesSync),
  copyFile: asPromise(copyFileSync),
  cp: asPromise(cpSync),
  mkdtemp: asPromise(mkdtempSync),
  statfs: asPromise(statfsSync),
  async opendir(path: PathLike, options?: unknown): Promise<Dir> {
    return opendirSync(path, options);
  },
  watch: (): never => unavailable('promises.watch'),
};

// ---- streams ----

interface StreamOptions {
  flags?: string | number;
  encoding?: BufferEncoding;
  fd?: number | FileHandle | null;
  mode?: number;
  autoClose?: boolean;
  emitClose?: boolean;
  start?: number;
  end?: number;
  highWaterMark?: number;
  flush?: boolean;
}

/** What ReadStream and WriteStream share: how they come by their descriptor. */
interface FileStreamFd {
  path: string | Buffer | null;
  flags: string | number;
  mode: number;
  fd: number | null;
  pending: boolean;
  emit(event: string | symbol, ...args: unknown[]): boolean;
}

/** options.fd: a number, a FileHandle (kept: closing the stream closes it), or none. */
function streamFd(fd: StreamOptions['fd']): { fd: number | null; handle: FileHandle | null } {
  return fd instanceof FileHandle ? { fd: fd.fd, handle: fd } : { fd: fd ?? null, handle: null };
}

/** Their _construct: opens the path unless a descriptor was given, then 'open' and 'ready'. */
function constructFileStream(s: FileStreamFd, cb: (e?: Error | null) => void): void {
  if (s.fd !== null) return cb();
  try {
    s.fd = openSync(s.path as string, s.flags, s.mode);
    s.pending = false;
    process.nextTick(() => {
      s.emit('open', s.fd);
      s.emit('ready');
    });
    cb();
  } catch (e) {
    cb(e as Error);
  }
}

/** Their _destroy: with autoClose, closes the descriptor (through its FileHandle when it came with one). */
function destroyFileStream(s: FileStreamFd & { autoClose: boolean }, handle: FileHandle | null, err: Error | null,
  cb: (e?: Error | null) => void): void {
  if (!s.autoClose || s.fd === null || s.fd < 0) return cb(err);
  const fd = s.fd;
  s.fd = null;
  if (handle) void handle.close().then(() => cb(err), () => cb(err));
  else {
    try {
      sys.fdClose(fd);
    } catch { /* already */ }
    cb(err);
  }
}

export class ReadStream extends Readable {
  path: string | Buffer | null;
  fd: number | null;
  flags: string | number;
  mode: number;
  start: number | undefined;
  end: number;
  pos: number | undefined;
  bytesRead = 0;
  pending = true;
  autoClose: boolean;
  private handle: FileHandle | null = null;

  constructor(path: PathLike | null, options?: StreamOptions | string) {
    const o: StreamOptions = typeof options === 'string' ? { encoding: options as BufferEncoding } : options ?? {};
    super({ highWaterMark: o.highWaterMark ?? 64 * 1024, encoding: o.encoding, emitClose: o.emitClose ?? true, autoDestroy: true });
    this.path = path === null ? null : toPath(path);
    this.flags = o.flags ?? 'r';
    this.mode = o.mode ?? 0o666;
    this.start = o.start;
    this.end = o.end ?? Infinity;
    this.pos = o.start;
    this.autoClose = o.autoClose ?? true;
    ({ fd: this.fd, handle: this.handle } = streamFd(o.fd));
    if (this.fd !== null) this.pending = false;
  }

  override _construct(cb: (e?: Error | null) => void): void {
    constructFileStream(this, cb);
  }

  override _read(n: number): void {
    const remaining = this.end === Infinity ? n : Math.min(n, this.end - (this.pos ?? this.bytesRead) + 1);
    if (remaining <= 0) {
      this.push(null);
      return;
    }
    const buf = Buffer.allocUnsafe(remaining);
    const pos = this.pos ?? null;
    readAsync(this.fd!, { buffer: buf, offset: 0, length: remaining, position: pos === null ? null : BigInt(pos) }).then((got) => {
      if (this.pos !== undefined) this.pos += got;
      this.bytesRead += got;
      this.push(got > 0 ? buf.subarray(0, got) : null);
    }, (e: unknown) => {
      try {
        rethrow(e, 'read');
      } catch (err) {
        this.destroy(err as Error);
      }
    });
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    destroyFileStream(this, this.handle, err, cb);
  }

  close(cb?: (e?: Error | null) => void): void {
    if (cb) this.once('close', () => cb());
    this.destroy();
  }
}

export class WriteStream extends Writable {
  path: string | Buffer | null;
  fd: number | null;
  flags: string | number;
  mode: number;
  start: number | undefined;
  pos: number | undefined;
  bytesWritten = 0;
  pending = true;
  autoClose: boolean;
  private handle: FileHandle | null = null;

  constructor(path: PathLike | null, options?: StreamOptions | string) {
    const o: StreamOptions = typeof options === 'string' ? { encoding: options as BufferEncoding } : options ?? {};
    super({ highWaterMark: o.highWaterMark, decodeStrings: true, defaultEncoding: o.encoding, emitClose: o.emitClose ?? true, autoDestroy: true });
    this.path = path === null ? null : toPath(path);
    this.flags = o.flags ?? 'w';
    this.mode = o.mode ?? 0o666;
    this.start = o.start;
    this.pos = o.start;
    this.autoClose = o.autoClose ?? true;
    ({ fd: this.fd, handle: this.handle } = streamFd(o.fd));
    if (this.fd !== null) this.pending = false;
  }

  override _construct(cb: (e?: Error | null) => void): void {
    constructFileStream(this, cb);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    const pos = this.pos;
    const go = async (): Promise<void> => {
      let off = 0;
      while (off < chunk.length) {
        const n = await writeAsync(this.fd!, { data: chunk.subarray(off), position: pos === undefined ? null : BigInt(pos + off) });
        off += n;
      }
    };
    go().then(() => {
      if (this.pos !== undefined) this.pos += chunk.length;
      this.bytesWritten += chunk.length;
      cb();
    }, (e: unknown) => {
      try {
        rethrow(e, 'write');
      } catch (err) {
        cb(err as Error);
      }
    });
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    destroyFileStream(this, this.handle, err, cb);
  }

  close(cb?: (e?: Error | null) => void): void {
    if (cb) this.once('close', () => cb());
    this.end();
  }
  destroySoon(): void {
    this.end();
  }
}

export function createReadStream(path: PathLike | null, options?: StreamOptions | string): ReadStream {
  return new ReadStream(path, options);
}
export function createWriteStream(path: PathLike | null, options?: StreamOptions | string): WriteStream {
  return new WriteStream(path, options);
}
