// Descriptions for a process's standard streams when they come from outside the kernel:
// the host's own fds (isokernel run), a capture buffer (tests, embedding), bytes given as
// input. They are streams: not seekable, pread/pwrite ESPIPE.
//
// HostInput reads the host fd asynchronously, so a guest waiting for the operator's keyboard
// sleeps and the kernel goes on: a pipe, socket or terminal through a libuv stream (polled,
// never a blocked thread, so the host process can always exit; referenced only while a
// guest waits on it), anything else (a file, /dev/null) with fs.read. HostOutput writes synchronously; a
// non-blocking host pipe that is full (EAGAIN) makes the writer sleep and retry.
import fs from 'node:fs';
import net from 'node:net';
import tty from 'node:tty';
import { E, FILETYPE } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import type { Stat } from '../vfs/vnode.ts';
import { OpenFile, WOULD_BLOCK } from './open-file.ts';

const BOOT_NS = BigInt(Date.now()) * 1_000_000n;

export function streamStat(filetype: number, size = 0): Stat {
  return {
    dev: 0n, ino: 0n, filetype, nlink: 1, size, atim: BOOT_NS, mtim: BOOT_NS, ctim: BOOT_NS,
    mode: 0o620, uid: 0, gid: 0,
  };
}

/** CHARACTER_DEVICE for a terminal (isatty() is true), UNKNOWN for pipes and files, as wasmtime reports. */
function hostFiletype(fd: number): number {
  return tty.isatty(fd) ? FILETYPE.CHARACTER_DEVICE : FILETYPE.UNKNOWN;
}

export class HostOutput extends OpenFile {
  readonly fd: number;
  readonly filetype: number;
  private retryMs = 1;

  constructor(fd: number) {
    super(false, true);
    this.fd = fd;
    this.filetype = hostFiletype(fd);
  }
  override write(src: Uint8Array): number {
    if (src.length === 0) return 0;
    try {
      const n = fs.writeSync(this.fd, src);
      this.retryMs = 1;
      return n;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') return WOULD_BLOCK;
      if (code === 'EPIPE') fail(E.PIPE);
      return fail(E.IO);
    }
  }
  override waitWritable(): Promise<void> {
    const ms = this.retryMs;
    this.retryMs = Math.min(ms * 2, 50);
    return new Promise((r) => setTimeout(r, ms));
  }
  override stat(): Stat {
    return streamStat(this.filetype);
  }
  override sync(): void {}
}

/** Puts the host terminal back in cooked mode (set by the first HostInput.setRaw). */
let rawRestore: (() => void) | null = null;

export class HostInput extends OpenFile {
  readonly fd: number;
  readonly filetype: number;
  private buf: Uint8Array = new Uint8Array(0);
  private eof = false;
  private error = 0;
  private pending: Promise<void> | null = null;
  /** For pipes, sockets and terminals: the stream reading the fd (made at first read). */
  private stream: net.Socket | null = null;
  private streamEnded = false;
  private readonly polled: boolean;

  constructor(fd: number) {
    super(true, false);
    this.fd = fd;
    this.filetype = hostFiletype(fd);
    let polled = tty.isatty(fd);
    try {
      const st = fs.fstatSync(fd);
      polled ||= st.isFIFO() || st.isSocket();
    } catch { /* a closed fd: fs.read reports it */ }
    this.polled = polled;
  }
  override read(dst: Uint8Array): number {
    if (this.buf.length > 0) {
      const n = Math.min(dst.length, this.buf.length);
      dst.set(this.buf.subarray(0, n));
      this.buf = this.buf.subarray(n);
      return n;
    }
    if (this.error) fail(this.error);
    if (this.eof || dst.length === 0) return 0;
    this.fill();
    if (this.buf.length > 0 || this.eof || this.error) return this.read(dst);
    return WOULD_BLOCK;
  }
  private fill(): Promise<void> {
    if (this.polled) return this.fillStream();
    if (!this.pending) {
      this.pending = new Promise((resolve) => {
        const chunk = Buffer.allocUnsafe(65536);
        fs.read(this.fd, chunk, 0, chunk.length, null, (err, n) => {
          this.pending = null;
          if (err) {
            if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
              setTimeout(resolve, 5); // a non-blocking host fd with nothing yet: poll again
              return;
            }
            this.error = E.IO;
          } else if (n === 0) this.eof = true;
          else this.buf = chunk.subarray(0, n);
          resolve();
        });
      });
    }
    return this.pending;
  }
  /** Takes what the stream holds now, or waits (referenced) until it has more or ends. */
  private fillStream(): Promise<void> {
    const s = this.stream ??= this.openStream();
    const chunk = s.read() as Buffer | null;
    if (chunk) {
      this.buf = chunk;
      return Promise.resolve();
    }
    if (this.streamEnded) {
      this.eof = true;
      return Promise.resolve();
    }
    if (!this.pending) {
      s.ref();
      this.pending = new Promise((resolve) => {
        const done = (): void => {
          s.off('readable', done);
          s.off('end', done);
          s.off('error', done);
          s.unref();
          this.pending = null;
          resolve();
        };
        s.on('readable', done);
        s.on('end', done);
        s.on('error', done);
      });
    }
    return this.pending;
  }
  private openStream(): net.Socket {
    const s = this.fd === 0 ? process.stdin as unknown as net.Socket
      : tty.isatty(this.fd) ? new tty.ReadStream(this.fd) : new net.Socket({ fd: this.fd, readable: true, writable: false });
    s.on('end', () => (this.streamEnded = true));
    s.on('error', () => (this.error = E.IO));
    s.unref();
    return s;
  }
  override waitReadable(): Promise<void> {
    return this.fill();
  }
  /**
   * Raw mode on the host's terminal (syscall/isk-tty.ts). Errors: ENOTTY when the host fd is
   * not a terminal. Cooked mode comes back when the host process exits.
   */
  setRaw(on: boolean): void {
    if (!tty.isatty(this.fd)) fail(E.NOTTY);
    const s = (this.stream ??= this.openStream()) as unknown as tty.ReadStream;
    s.setRawMode(on);
    if (on && !rawRestore) {
      rawRestore = () => s.setRawMode(false);
      process.once('exit', () => rawRestore?.());
    }
  }
  override readReady(): number {
    if (this.buf.length > 0) return this.buf.length;
    if (this.eof || this.error) return 0;
    this.fill();
    return -1;
  }
  override hangup(): boolean {
    return this.eof && this.buf.length === 0;
  }
  override stat(): Stat {
    return streamStat(this.filetype);
  }
}

/** Collects what a process writes (tests and embedders read it back with Process.output()). */
export class CaptureOutput extends OpenFile {
  readonly filetype = FILETYPE.UNKNOWN;
  private readonly chunks: Uint8Array[] = [];
  private length = 0;
  /** Optional callback for every chunk written (after it is stored). */
  onData: ((chunk: Uint8Array) => void) | null = null;

  constructor() {
    super(false, true);
  }
  override write(src: Uint8Array): number {
    const copy = src.slice();
    this.chunks.push(copy);
    this.length += copy.length;
    this.onData?.(copy);
    return src.length;
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
  override stat(): Stat {
    return streamStat(this.filetype, this.length);
  }
}

/** Input given as bytes; EOF at the end. */
export class BytesInput extends OpenFile {
  readonly filetype = FILETYPE.UNKNOWN;
  private data: Uint8Array;

  constructor(data: Uint8Array) {
    super(true, false);
    this.data = data;
  }
  override read(dst: Uint8Array): number {
    const n = Math.min(dst.length, this.data.length);
    dst.set(this.data.subarray(0, n));
    this.data = this.data.subarray(n);
    return n;
  }
  override readReady(): number {
    return this.data.length;
  }
  override hangup(): boolean {
    return this.data.length === 0;
  }
  override stat(): Stat {
    return streamStat(this.filetype, this.data.length);
  }
}
