// Streams over descriptors: process.stdout/stderr/stdin, tty's classes, and the pipes of
// child_process. Writes are synchronous (as Node's are for files and pipes on Linux: the
// write system call returns when the bytes are written, which for a full pipe means when the
// reader has made room); reads are async system calls, so the event loop runs meanwhile.
import { Readable, Writable } from 'node:stream';
import { FILETYPE } from '../../abi/wasi.ts';
import { SysErr, rethrow } from '../errors.ts';
import * as sys from '../sys.ts';

const FD_SEEK = 1n << 2n;
const FD_TELL = 1n << 5n;

/** isatty(3) as wasi-libc answers it: a character device without seek/tell rights. */
export function isatty(fd: number): boolean {
  try {
    const st = sys.fdFdstat(fd);
    return st.filetype === FILETYPE.CHARACTER_DEVICE && (st.rightsBase & (FD_SEEK | FD_TELL)) === 0n;
  } catch {
    return false;
  }
}

function toError(e: unknown, syscall: string): Error {
  try {
    rethrow(e, syscall);
  } catch (err) {
    return err as Error;
  }
}

export interface FdWritableOptions {
  /** Close the descriptor when the stream ends (child pipes); stdio never is. */
  autoClose?: boolean;
  /** Write through an async lane (a pipe to a child, which may block). */
  async?: boolean;
}

export class FdWritable extends Writable {
  fd: number;
  isTTY?: boolean;
  columns?: number;
  rows?: number;
  private readonly autoClose: boolean;
  private readonly viaLane: boolean;
  _type: string;
  _isStdio: boolean;

  constructor(fd: number, o: FdWritableOptions = {}) {
    super({ decodeStrings: true, emitClose: true, autoDestroy: true });
    this.fd = fd;
    this.autoClose = o.autoClose ?? false;
    this.viaLane = o.async ?? false;
    this._isStdio = fd <= 2 && !this.autoClose;
    if (!this.autoClose && isatty(fd)) {
      this.isTTY = true;
      this.columns = 80;
      this.rows = 24;
      this._type = 'tty';
      this.refreshSize();
      // As Node's tty.WriteStream: SIGWINCH updates columns/rows and emits 'resize' (caught
      // only once someone listens for 'resize', so a program that does not is not interrupted).
      const onWinch = (): void => {
        if (this.refreshSize()) this.emit('resize');
      };
      this.on('newListener', (ev: string | symbol) => {
        if (ev === 'resize' && this.listenerCount('resize') === 0) process.on('SIGWINCH', onWinch);
      });
      this.on('removeListener', (ev: string | symbol) => {
        if (ev === 'resize' && this.listenerCount('resize') === 0) process.off('SIGWINCH', onWinch);
      });
    } else this._type = 'pipe';
  }

  /** columns/rows from a kernel terminal (a host terminal without one keeps 80x24); true when they changed. */
  private refreshSize(): boolean {
    let ws: { rows: number; cols: number } | null = null;
    try {
      ws = sys.ttyWinsize(this.fd);
    } catch { /* not a kernel terminal */ }
    if (ws === null || ws.rows === 0 || ws.cols === 0 || (ws.rows === this.rows && ws.cols === this.columns)) return false;
    this.rows = ws.rows;
    this.columns = ws.cols;
    return true;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (this.viaLane) {
      this.writeAsync(chunk).then(() => cb(), (e: unknown) => cb(toError(e, 'write')));
      return;
    }
    try {
      sys.fdWriteAll(this.fd, chunk);
      cb();
    } catch (e) {
      cb(toError(e, 'write'));
    }
  }

  private async writeAsync(chunk: Buffer): Promise<void> {
    let off = 0;
    while (off < chunk.length) off += await sys.fdWriteAsync(this.fd, chunk.subarray(off));
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    if (this.autoClose && this.fd >= 0) {
      try {
        sys.fdClose(this.fd);
      } catch { /* already closed */ }
      this.fd = -1;
    }
    cb(err);
  }

  // tty.WriteStream's methods, for programs that draw on a terminal.
  getWindowSize(): [number, number] {
    return [this.columns ?? 80, this.rows ?? 24];
  }
  getColorDepth(env: Record<string, string | undefined> = process.env): number {
    if (env.NO_COLOR !== undefined || env.NODE_DISABLE_COLORS !== undefined || env.TERM === 'dumb') return 1;
    if (env.FORCE_COLOR === '0') return 1;
    if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 24;
    if (env.TERM?.includes('256')) return 8;
    return this.isTTY || env.FORCE_COLOR !== undefined ? 4 : 1;
  }
  hasColors(count = 16, env?: Record<string, string | undefined>): boolean {
    return 2 ** this.getColorDepth(env) >= count;
  }
  cursorTo(x: number, y?: number | (() => void), cb?: () => void): boolean {
    if (typeof y === 'function') return this.write(`\x1b[${x + 1}G`, y);
    return this.write(y === undefined ? `\x1b[${x + 1}G` : `\x1b[${y + 1};${x + 1}H`, cb);
  }
  moveCursor(dx: number, dy: number, cb?: () => void): boolean {
    let s = '';
    if (dx < 0) s += `\x1b[${-dx}D`;
    else if (dx > 0) s += `\x1b[${dx}C`;
    if (dy < 0) s += `\x1b[${-dy}A`;
    else if (dy > 0) s += `\x1b[${dy}B`;
    return this.write(s, cb);
  }
  clearLine(dir: number, cb?: () => void): boolean {
    return this.write(dir < 0 ? '\x1b[1K' : dir > 0 ? '\x1b[0K' : '\x1b[2K', cb);
  }
  clearScreenDown(cb?: () => void): boolean {
    return this.write('\x1b[0J', cb);
  }
  destroySoon(): void {
    this.end();
  }
}

export interface FdReadableOptions {
  autoClose?: boolean;
  highWaterMark?: number;
  /** Called once when the descriptor reaches end of file (consumed or not). */
  onEof?: () => void;
}

export class FdReadable extends Readable {
  fd: number;
  isTTY?: boolean;
  isRaw = false;
  private readonly autoClose: boolean;
  private reading = false;
  private onEof: (() => void) | null;

  constructor(fd: number, o: FdReadableOptions = {}) {
    super({ highWaterMark: o.highWaterMark ?? 64 * 1024, emitClose: true, autoDestroy: true });
    this.fd = fd;
    this.autoClose = o.autoClose ?? false;
    this.onEof = o.onEof ?? null;
    if (!this.autoClose && isatty(fd)) this.isTTY = true;
  }

  override _read(n: number): void {
    if (this.reading) return;
    this.reading = true;
    sys.fdReadAsync(this.fd, Math.max(n, 64 * 1024)).then((b) => {
      this.reading = false;
      if (b.length === 0) this.eof();
      this.push(b.length > 0 ? Buffer.from(b.buffer, b.byteOffset, b.length) : null);
    }, (e: unknown) => {
      this.reading = false;
      this.eof();
      // A descriptor closed under the stream (or never readable) ends it, as EOF would.
      if (e instanceof SysErr && this.destroyed) return;
      this.destroy(toError(e, 'read'));
    });
  }

  private eof(): void {
    const f = this.onEof;
    this.onEof = null;
    f?.();
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    this.eof();
    if (this.autoClose && this.fd >= 0) {
      try {
        sys.fdClose(this.fd);
      } catch { /* already closed */ }
      this.fd = -1;
    }
    cb(err);
  }

  /** Raw mode on the host's terminal (the kernel's tty_set_raw); throws ENOTTY elsewhere, as Node's does on a non-tty. */
  setRawMode(mode: boolean): this {
    sys.ttySetRaw(this.fd, mode);
    this.isRaw = mode;
    return this;
  }
}
