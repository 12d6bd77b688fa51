// A socket as an open-file description (fd/open-file.ts): what socket(2) gives, what the
// descriptor table holds, what read/write/poll and the socket calls (syscall/isk-net.ts,
// syscall/wasi-sock.ts) act on. The kinds are TcpSocket (tcp.ts: host TCP through node:net),
// UdpSocket (udp.ts: node:dgram) and the Unix-domain sockets (unix.ts: entirely in the
// kernel). docs/architecture.md, "Sockets", has the design.
//
// Like every description, a socket never waits: an operation that would returns WOULD_BLOCK
// and waitReadable()/waitWritable() give the promise to sleep on; the syscall layer then
// blocks (BLOCK, the gate or a JS lane retries) or answers EAGAIN for a non-blocking socket.
// Operations that need the host's event loop (bind and connect of host sockets) are started
// once and their state kept on the socket; the call sleeps on `opDone()` and, retried, reads
// the outcome.
import { E, FDFLAGS, RIGHTS, RIGHTS_STREAM } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import { OpenFile, WOULD_BLOCK } from '../fd/open-file.ts';
import { streamStat } from '../fd/stdio.ts';
import type { Process } from '../proc/process.ts';
import type { Stat } from '../vfs/vnode.ts';
import { WaitQueue } from '../wait-queue.ts';
import type { SockAddr } from './addr.ts';
import type { NetStack } from './stack.ts';

export { WOULD_BLOCK };

/** A descriptor on a socket holds these rights (stream rights and the two socket ones). */
export const RIGHTS_SOCKET = RIGHTS_STREAM | RIGHTS.SOCK_SHUTDOWN | RIGHTS.SOCK_ACCEPT;

/** send/recv flags (docs/abi.md): WASI's riflags below, Linux's above. */
export const MSG = { PEEK: 1, WAITALL: 2, DONTWAIT: 0x40, NOSIGNAL: 0x4000 } as const;
/** shutdown's how, as wasi-libc numbers it (WASI's sdflags). */
export const SHUT = { RD: 1, WR: 2 } as const;

/** Defaults: generous buffers, so a busy connection is a few large copies, not many small ones. */
export const DEFAULT_RCVBUF = 1024 * 1024;
export const DEFAULT_SNDBUF = 1024 * 1024;
export const MIN_BUF = 2048;
export const MAX_BUF = 16 * 1024 * 1024;
export const SOMAXCONN = 4096;

export interface SockOptions {
  reuseaddr: boolean;
  reuseport: boolean;
  keepalive: boolean;
  nodelay: boolean;
  broadcast: boolean;
  v6only: boolean;
  rcvbuf: number;
  sndbuf: number;
  /** SO_RCVTIMEO / SO_SNDTIMEO in ns; 0 waits for ever. */
  rcvtimeo: bigint;
  sndtimeo: bigint;
  /** SO_LINGER: [on, seconds]. */
  linger: [boolean, number];
}

/** What recvfrom gives: the count, the sender (datagrams, and streams' peer), whether it was cut. */
export interface Received {
  n: number;
  from: SockAddr | null;
  truncated: boolean;
}

/**
 * 64 KiB buffers for data copied between sockets of the kernel, reused once read: a fresh
 * buffer per send costs more than the copy (allocation, zeroing, page faults) — as pipes keep
 * their rings in a pool (fd/pipe.ts).
 */
const CHUNK = 65536;
const POOL_MAX = 256;
const pool: Uint8Array[] = [];
const pooled = new WeakSet<ArrayBuffer>();

/** A pooled chunk is given back (anything else is left to the GC). */
export function releaseChunk(c: Uint8Array): void {
  const buf = c.buffer as ArrayBuffer;
  if (pool.length < POOL_MAX && pooled.has(buf)) pool.push(new Uint8Array(buf));
}
const release = releaseChunk;

/** A copy of src (at most 64 KiB) in a pooled chunk; give it back with releaseChunk once done. */
export function chunkCopy(src: Uint8Array): Uint8Array {
  let b = pool.pop();
  if (!b) {
    b = new Uint8Array(CHUNK);
    pooled.add(b.buffer as ArrayBuffer);
  }
  b.set(src);
  return src.length === CHUNK ? b : b.subarray(0, src.length);
}
export const CHUNK_BYTES = CHUNK;

/** A chunked byte queue: what a stream socket has received and not yet read. */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private head = 0;
  size = 0;

  /** Keeps `b` as it is (the caller gives up the buffer). */
  push(b: Uint8Array): void {
    if (b.length === 0) return;
    this.chunks.push(b);
    this.size += b.length;
  }

  /** Copies src in (into pooled 64 KiB chunks, given back as they are read). */
  pushCopy(src: Uint8Array): void {
    for (let off = 0; off < src.length; off += CHUNK) {
      const n = Math.min(CHUNK, src.length - off);
      this.push(chunkCopy(off === 0 && n === src.length ? src : src.subarray(off, off + n)));
    }
  }

  /** Copies up to dst.length bytes into dst; consumes them unless `peek`. */
  take(dst: Uint8Array, peek = false): number {
    let n = 0;
    let i = 0;
    let off = this.head;
    while (n < dst.length && i < this.chunks.length) {
      const c = this.chunks[i]!;
      const k = Math.min(c.length - off, dst.length - n);
      dst.set(k === c.length - off && off === 0 ? c : c.subarray(off, off + k), n);
      n += k;
      off += k;
      if (off === c.length) {
        i++;
        off = 0;
      }
    }
    if (!peek) {
      if (i > 0) {
        for (let j = 0; j < i; j++) release(this.chunks[j]!);
        this.chunks.splice(0, i);
      }
      this.head = off;
      this.size -= n;
    }
    return n;
  }

  clear(): void {
    for (const c of this.chunks) release(c);
    this.chunks = [];
    this.head = 0;
    this.size = 0;
  }
}

export abstract class Socket extends OpenFile {
  readonly domain: number;
  readonly type: number;
  readonly filetype: number;
  readonly stack: NetStack;
  readonly opt: SockOptions;
  /** A pending error for SO_ERROR (a failed non-blocking connect, a reset): taken by the read. */
  error = 0;
  readonly readers = new WaitQueue();
  readonly writers = new WaitQueue();
  /** Set once the last descriptor closed. */
  closed = false;
  /** A listener the host gave the program (net/listen.ts): fd_prestat_get reports it. */
  preopened = false;

  constructor(stack: NetStack, domain: number, type: number, flags: number) {
    super(true, true, flags & FDFLAGS.NONBLOCK);
    this.stack = stack;
    this.domain = domain;
    this.type = type;
    this.filetype = type;
    this.opt = {
      reuseaddr: false, reuseport: false, keepalive: false, nodelay: false, broadcast: false, v6only: false,
      rcvbuf: DEFAULT_RCVBUF, sndbuf: DEFAULT_SNDBUF, rcvtimeo: 0n, sndtimeo: 0n, linger: [false, 0],
    };
  }

  get nonblocking(): boolean {
    return (this.flags & FDFLAGS.NONBLOCK) !== 0;
  }

  /** Whether it is listening (SO_ACCEPTCONN). */
  get listening(): boolean {
    return false;
  }

  // ---- the socket calls; each kind overrides what it supports ----

  /**
   * Starts binding to `a`; returns a promise when the host must be waited for (then
   * `opDone()`/`opResult()` give the outcome), or null when done.
   */
  abstract bind(p: Process, a: SockAddr): Promise<void> | null;
  listen(_backlog: number): void {
    fail(E.NOTSUP); // datagram sockets: EOPNOTSUPP, as Linux
  }
  /** A connected socket from the queue, or WOULD_BLOCK (sleep on waitReadable()). */
  accept(): Socket | typeof WOULD_BLOCK {
    return fail(E.NOTSUP);
  }
  /**
   * Starts connecting to `a` (null: AF_UNSPEC, which dissolves a datagram association).
   * Returns what to wait for, or null if already done; errors it can tell at once are thrown.
   */
  abstract connect(p: Process, a: SockAddr | null): Promise<void> | null;
  /** The outcome of the last bind/connect started: 0, an errno, or WOULD_BLOCK while it runs. */
  opResult(): number {
    return 0;
  }
  /** A connect in progress (a second connect() gets EALREADY). */
  get connecting(): boolean {
    return false;
  }
  /** Receives into dst: the count (0 at end of stream), or WOULD_BLOCK. */
  abstract recvfrom(dst: Uint8Array, flags: number): Received | typeof WOULD_BLOCK;
  /** Sends from src (to `to` for an unconnected datagram socket): the count moved, or WOULD_BLOCK. */
  abstract sendto(p: Process, src: Uint8Array, flags: number, to: SockAddr | null): number | typeof WOULD_BLOCK;
  abstract shutdown(how: number): void;
  abstract localAddr(): SockAddr;
  /** ENOTCONN when not connected. */
  abstract peerAddr(): SockAddr;
  /** An option changed (the kind passes it to the host). */
  optionChanged(_name: keyof SockOptions): void {}

  // ---- descriptor I/O ----

  override read(dst: Uint8Array): number {
    if (dst.length === 0) return 0;
    const r = this.recvfrom(dst, 0);
    return r === WOULD_BLOCK ? WOULD_BLOCK : r.n;
  }
  /** write(2) on a socket: send(2) without flags. Datagram sockets need a peer (EDESTADDRREQ). */
  override write(src: Uint8Array, writer?: Process): number {
    if (!writer) return fail(E.BADF);
    return this.sendto(writer, src, 0, null);
  }
  override get completesWrites(): boolean {
    return this.type === 6;
  }
  override waitReadable(): Promise<void> {
    return this.readers.wait();
  }
  override waitWritable(): Promise<void> {
    return this.writers.wait();
  }
  override stat(): Stat {
    return streamStat(this.filetype, 0);
  }

  override close(): void {
    this.closed = true;
    this.readers.wake();
    this.writers.wake();
  }
}

/**
 * A copy of src's first n bytes. (Not `slice`: on a view of a guest's memory V8's slice takes a
 * slow path — ~100 µs for 64 KiB where this takes a few.)
 */
export function copyBytes(src: Uint8Array, n: number): Uint8Array {
  const b = new Uint8Array(n);
  b.set(n === src.length ? src : src.subarray(0, n));
  return b;
}

/** A socket buffer size as setsockopt takes it (Linux doubles it; we keep it, within bounds). */
export function clampBuf(n: number): number {
  return Math.min(MAX_BUF, Math.max(MIN_BUF, n));
}
