// Pipes (pipe(7)): a bounded byte queue between a read end and a write end.
//
// Each end is an open-file description; the pipe counts the descriptions of each end, so
// the last writer's close is EOF for readers and the last reader's close makes writes fail
// with EPIPE (the syscall layer raises SIGPIPE). A write of at most PIPE_BUF bytes goes in
// whole or waits; a larger one moves what fits (the syscall layer waits for room for the
// rest when the end is blocking). Data sits in a 64 KiB ring, copied once in and once out;
// the ring is taken from a small kernel-wide pool at the first write and given back when
// the pipe drains, so busy pipes allocate nothing and an idle pipe holds no buffer.
import { E, FILETYPE } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import type { Stat } from '../vfs/vnode.ts';
import { WaitQueue } from '../wait-queue.ts';
import { OpenFile, WOULD_BLOCK } from './open-file.ts';
import { streamStat } from './stdio.ts';

export const PIPE_BUF = 4096;
export const PIPE_CAPACITY = 65536;

/** Free rings, kept for the next pipe that has data (at most POOL_MAX of them). */
const pool: Uint8Array[] = [];
const POOL_MAX = 64;

export class Pipe {
  private ring: Uint8Array | null = null;
  /** Where the next byte to read is. */
  private head = 0;
  size = 0;
  readers = 0;
  writers = 0;
  readonly readable = new WaitQueue();
  readonly writable = new WaitQueue();

  get space(): number {
    return PIPE_CAPACITY - this.size;
  }

  /** Appends src (the caller has checked it fits). */
  push(src: Uint8Array): void {
    const ring = (this.ring ??= pool.pop() ?? new Uint8Array(PIPE_CAPACITY));
    const tail = (this.head + this.size) % PIPE_CAPACITY;
    const first = Math.min(src.length, PIPE_CAPACITY - tail);
    ring.set(first === src.length ? src : src.subarray(0, first), tail);
    if (first < src.length) ring.set(src.subarray(first), 0);
    this.size += src.length;
    this.readable.wake();
  }

  take(dst: Uint8Array): number {
    const ring = this.ring!;
    const n = Math.min(dst.length, this.size);
    const first = Math.min(n, PIPE_CAPACITY - this.head);
    dst.set(ring.subarray(this.head, this.head + first));
    if (first < n) dst.set(ring.subarray(0, n - first), first);
    this.head = (this.head + n) % PIPE_CAPACITY;
    this.size -= n;
    if (this.size === 0) this.release();
    this.writable.wake();
    return n;
  }

  /** Gives the ring back (the pipe is empty, or no one can read it any more). */
  release(): void {
    if (this.ring && pool.length < POOL_MAX) pool.push(this.ring);
    this.ring = null;
    this.head = 0;
    this.size = 0;
  }

  /** Both ends: [read end, write end], each with one reference to be taken by a descriptor. */
  static create(flags = 0): [PipeReader, PipeWriter] {
    const pipe = new Pipe();
    return [new PipeReader(pipe, flags), new PipeWriter(pipe, flags)];
  }
}

export class PipeReader extends OpenFile {
  readonly filetype = FILETYPE.UNKNOWN;
  readonly pipe: Pipe;

  constructor(pipe: Pipe, flags: number) {
    super(true, false, flags);
    this.pipe = pipe;
    pipe.readers++;
  }

  override read(dst: Uint8Array): number {
    const p = this.pipe;
    if (dst.length === 0) return 0;
    if (p.size === 0) return p.writers === 0 ? 0 : WOULD_BLOCK;
    return p.take(dst);
  }

  override waitReadable(): Promise<void> {
    return this.pipe.readable.wait();
  }

  override stat(): Stat {
    return streamStat(this.filetype, this.pipe.size);
  }

  override readReady(): number {
    const p = this.pipe;
    return p.size > 0 ? p.size : p.writers === 0 ? 0 : -1;
  }

  override close(): void {
    const p = this.pipe;
    if (--p.readers === 0) {
      p.release(); // nobody will read what is left
      p.writable.wake();
    }
  }
}

export class PipeWriter extends OpenFile {
  readonly filetype = FILETYPE.UNKNOWN;
  readonly pipe: Pipe;

  constructor(pipe: Pipe, flags: number) {
    super(false, true, flags);
    this.pipe = pipe;
    pipe.writers++;
  }

  override get completesWrites(): boolean {
    return true;
  }

  /** EPIPE with no reader; whole or WOULD_BLOCK up to PIPE_BUF; above it, what fits. */
  override write(src: Uint8Array): number {
    const p = this.pipe;
    if (p.readers === 0) fail(E.PIPE);
    if (src.length === 0) return 0;
    const space = p.space;
    if (src.length <= PIPE_BUF) {
      if (space < src.length) return WOULD_BLOCK;
      p.push(src);
      return src.length;
    }
    if (space === 0) return WOULD_BLOCK;
    const n = Math.min(space, src.length);
    p.push(n === src.length ? src : src.subarray(0, n));
    return n;
  }

  override waitWritable(): Promise<void> {
    return this.pipe.writable.wait();
  }

  override stat(): Stat {
    return streamStat(this.filetype, this.pipe.size);
  }

  /** Ready when a PIPE_BUF write would go in whole, or when it would fail (no reader). */
  override writeReady(): boolean {
    const p = this.pipe;
    return p.readers === 0 || p.space >= PIPE_BUF;
  }

  override close(): void {
    const p = this.pipe;
    if (--p.writers === 0) p.readable.wake();
  }
}
