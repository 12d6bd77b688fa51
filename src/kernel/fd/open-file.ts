// Open-file descriptions: what a descriptor refers to (POSIX "open file description"). Several
// descriptors (and, with spawn, several processes) may share one; the description holds the
// offset and the status flags (append, nonblock, sync), the descriptor holds the rights.
//
// Each kind overrides what it supports; the defaults answer as Linux does for a kind that
// cannot do the operation (EBADF for I/O the description was not opened for, ESPIPE for
// seeking a stream, EISDIR for data I/O on a directory, EINVAL otherwise).
//
// I/O never waits: a read or write that would wait returns WOULD_BLOCK and the caller asks
// waitReadable()/waitWritable() for a promise to sleep on, then tries again (see
// syscall/blocking.ts). Offsets and counts are JS numbers.
import { E, FDFLAGS, FILETYPE } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import type { Process } from '../proc/process.ts';
import type { Loc } from '../vfs/namespace.ts';
import type { FileHandle, Stat, TimeSpec } from '../vfs/vnode.ts';

export const WOULD_BLOCK = -1;

/** Largest offset/size the kernel accepts (2^53 - 1 would lose precision in places; 2^62 is not a number here). */
export const MAX_OFFSET = Number.MAX_SAFE_INTEGER;

export abstract class OpenFile {
  /** Descriptors referring to this description; close() runs when it drops to 0. */
  refs = 0;
  /** FDFLAGS: APPEND, NONBLOCK, DSYNC, RSYNC, SYNC. */
  flags: number;
  readonly readable: boolean;
  readonly writable: boolean;
  abstract readonly filetype: number;
  /** Where its I/O is counted (acct/acct.ts, an IoTarget): found at the first read or write. */
  acctTarget: object | null = null;
  /** For /proc/PID/fd: the directory it was opened from and the path given (path_open sets them). */
  openedFrom: Loc | null = null;
  openedName = '';

  constructor(readable: boolean, writable: boolean, flags = 0) {
    this.readable = readable;
    this.writable = writable;
    this.flags = flags;
  }

  /** The file as the namespace knows it (directories and files opened by path). */
  get loc(): Loc | null {
    return null;
  }

  /** Whether seek/tell/pread/pwrite make sense (regular files and block devices). */
  get seekable(): boolean {
    return false;
  }

  /**
   * A blocking write() must move every byte before it returns (pipes, POSIX): the syscall
   * layer keeps waiting after a partial write instead of returning the short count.
   */
  get completesWrites(): boolean {
    return false;
  }

  /** A terminal's slave end (tty/tty.ts): isatty() is true, termios calls apply. */
  get isTerminal(): boolean {
    return false;
  }

  /** Reads into dst at the current offset; WOULD_BLOCK if it would wait; 0 at EOF. */
  read(_dst: Uint8Array): number {
    return fail(E.BADF);
  }
  /** `writer` is the calling process, for descriptions that record who wrote (log streams). */
  write(_src: Uint8Array, _writer?: Process): number {
    return fail(E.BADF);
  }
  pread(_dst: Uint8Array, _pos: number): number {
    return fail(E.SPIPE);
  }
  pwrite(_src: Uint8Array, _pos: number): number {
    return fail(E.SPIPE);
  }
  seek(_offset: number, _whence: number): number {
    return fail(E.SPIPE);
  }
  tell(): number {
    return fail(E.SPIPE);
  }
  /** A promise that settles when read() may make progress. */
  waitReadable(): Promise<void> {
    return NEVER;
  }
  waitWritable(): Promise<void> {
    return NEVER;
  }
  /** For poll: bytes available to read now, or -1 if a read would wait. */
  readReady(): number {
    return 0;
  }
  /** For poll: whether a write would make progress now. */
  writeReady(): boolean {
    return true;
  }
  /** For poll: the other end has gone (a reader sees EOF / a writer gets EPIPE). */
  hangup(): boolean {
    return false;
  }

  abstract stat(): Stat;
  setSize(_size: number): void {
    fail(E.INVAL);
  }
  setTimes(_atim: TimeSpec, _mtim: TimeSpec): void {
    fail(E.INVAL);
  }
  allocate(_offset: number, _len: number): void {
    fail(E.INVAL);
  }
  sync(): void {}
  datasync(): void {}
  advise(_offset: number, _len: number, _advice: number): void {}

  /** Called once, when the last descriptor closes. */
  close(): void {}
}

const NEVER: Promise<void> = new Promise(() => {});

/** A regular file or a device, through a filesystem's FileHandle. */
export class VnodeFile extends OpenFile {
  readonly location: Loc;
  private readonly handle: FileHandle;
  private offset = 0;
  readonly filetype: number;

  constructor(location: Loc, handle: FileHandle, readable: boolean, writable: boolean, flags: number) {
    super(readable, writable, flags);
    this.location = location;
    this.handle = handle;
    this.filetype = location.vnode.filetype;
  }

  override get loc(): Loc {
    return this.location;
  }
  override get seekable(): boolean {
    return this.filetype === FILETYPE.REGULAR_FILE || this.filetype === FILETYPE.BLOCK_DEVICE;
  }

  override read(dst: Uint8Array): number {
    if (!this.readable) fail(E.BADF);
    const n = this.handle.read(dst, this.offset);
    this.offset += n;
    return n;
  }
  override write(src: Uint8Array): number {
    if (!this.writable) fail(E.BADF);
    if (this.flags & FDFLAGS.APPEND && this.seekable) this.offset = this.location.vnode.stat().size;
    if (this.offset + src.length > MAX_OFFSET) fail(E.FBIG);
    const n = this.handle.write(src, this.offset);
    this.offset += n;
    return n;
  }
  override pread(dst: Uint8Array, pos: number): number {
    if (!this.seekable) fail(E.SPIPE);
    if (!this.readable) fail(E.BADF);
    return this.handle.read(dst, pos);
  }
  override pwrite(src: Uint8Array, pos: number): number {
    if (!this.seekable) fail(E.SPIPE);
    if (!this.writable) fail(E.BADF);
    // Linux (and so wasmtime) appends on an O_APPEND file whatever pos says; POSIX would not.
    if (this.flags & FDFLAGS.APPEND) pos = this.location.vnode.stat().size;
    if (pos + src.length > MAX_OFFSET) fail(E.FBIG);
    return this.handle.write(src, pos);
  }
  override seek(offset: number, whence: number): number {
    if (!this.seekable) {
      // Character devices accept seeks and stay at 0, as Linux's /dev/null does.
      return 0;
    }
    let base: number;
    if (whence === 0) base = 0;
    else if (whence === 1) base = this.offset;
    else if (whence === 2) base = this.location.vnode.stat().size;
    else return fail(E.INVAL);
    const next = base + offset;
    if (next < 0) fail(E.INVAL);
    if (next > MAX_OFFSET) fail(E.OVERFLOW);
    this.offset = next;
    return next;
  }
  override tell(): number {
    return this.seekable ? this.offset : 0;
  }
  override readReady(): number {
    if (!this.seekable) return 0;
    return Math.max(0, this.location.vnode.stat().size - this.offset);
  }

  override stat(): Stat {
    return this.location.vnode.stat();
  }
  override setSize(size: number): void {
    if (!this.writable || !this.seekable) fail(E.INVAL); // ftruncate(2)
    this.handle.truncate(size);
  }
  override setTimes(atim: TimeSpec, mtim: TimeSpec): void {
    this.location.vnode.setTimes(atim, mtim);
  }
  override allocate(offset: number, len: number): void {
    if (!this.writable) fail(E.BADF);
    if (!this.seekable) fail(E.NODEV);
    this.handle.allocate(offset, len);
  }
  override sync(): void {
    this.handle.sync();
  }
  override datasync(): void {
    this.handle.datasync();
  }
  override close(): void {
    this.handle.close();
  }
}

/** A directory opened by path: the base of path_* calls and the source of fd_readdir. */
export class DirectoryFile extends OpenFile {
  readonly location: Loc;
  readonly filetype = FILETYPE.DIRECTORY;

  constructor(location: Loc, flags: number) {
    super(false, false, flags);
    this.location = location;
  }
  override get loc(): Loc {
    return this.location;
  }
  override read(_dst: Uint8Array): number {
    return fail(E.ISDIR);
  }
  override write(_src: Uint8Array): number {
    return fail(E.ISDIR);
  }
  override pread(_dst: Uint8Array, _pos: number): number {
    return fail(E.ISDIR);
  }
  override pwrite(_src: Uint8Array, _pos: number): number {
    return fail(E.ISDIR);
  }
  override seek(_offset: number, _whence: number): number {
    return fail(E.ISDIR);
  }
  override tell(): number {
    return fail(E.ISDIR);
  }
  override stat(): Stat {
    return this.location.vnode.stat();
  }
  override setSize(_size: number): void {
    fail(E.ISDIR);
  }
  override setTimes(atim: TimeSpec, mtim: TimeSpec): void {
    this.location.vnode.setTimes(atim, mtim);
  }
  override allocate(_offset: number, _len: number): void {
    fail(E.ISDIR);
  }
}
