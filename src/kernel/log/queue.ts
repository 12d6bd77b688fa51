// The kernel's log queue: records from log streams (log/stream.ts) and log_write, waiting for
// syslogd (docs/logging.md).
//
// A record is one line: { seq, timeNs, host, tag, pid, facility, severity, msg }. `seq` is
// the global enqueue order; a writer's records are enqueued in the order it wrote them, so
// reading the queue in seq order keeps each writer's order and the global one.
//
// The queue is bounded (records and bytes). A full queue makes writers wait (WOULD_BLOCK →
// the syscall layer sleeps on `writable`): nothing is dropped. Two cases may overflow by a
// bounded amount rather than lose data: the last partial line of a stream being closed, and
// a log_write whose lines arrive at an empty queue.
//
// Delivery modes:
// - held (`hold = true`, set by image boot): records wait in the queue until a reader (one
//   log-reader description, root only: syslogd) takes them. Once a reader has attached the
//   queue always holds, even while it is gone (syslogd restarting): writers wait on a full
//   queue until one comes back — for at most spillAfterMs (30 s) without a reader. Past that,
//   a writer that finds the queue full spills the oldest records to the sink (the host's
//   stderr), down to half the bound, and goes on: a dead syslogd never wedges the system
//   (init included), and still nothing is dropped.
// - direct (the default, plain `isokernel run`): while no reader has ever attached, each
//   record goes at once to the fallback sink — the host's stderr, `TAG[PID]: MSG` — and
//   writers never wait. Attaching a reader switches the queue to held for good.
//
// Reader framing (what a read of the reader descriptor returns): whole records, each
//   u32 size (the record's bytes, header included)  u32 pid  u64 timeNs (realtime)
//   u64 seq  u8 facility  u8 severity  u8 hostLen  u8 tagLen  u32 msgLen
//   host bytes, tag bytes, msg bytes
// little-endian, unpadded. A read returns as many whole records as fit; a buffer too small
// for the first is EINVAL (RECORD_MAX bytes always suffice). The framing is log/format.ts.
import { writeSync } from 'node:fs';
import { logSpill } from '../trace/channels.ts';
import { WaitQueue } from '../wait-queue.ts';
import { frameRecord, framedSize, type LogRecord } from './format.ts';

export { HEADER_BYTES, LINE_MAX, LOG_FACILITY_MAX, LOG_SEVERITY_MAX, parseRecords, RECORD_MAX, TAG_MAX, type LogRecord } from './format.ts';

/** What a record costs against the byte bound besides its message. */
const RECORD_OVERHEAD = 64;

export interface LogQueueOptions {
  maxRecords?: number;
  maxBytes?: number;
  hold?: boolean;
  /** How long writers wait on a full queue with no reader before records spill to the sink. */
  spillAfterMs?: number;
  /** Where records go in direct mode; default: the host's stderr, `TAG[PID]: MSG`. */
  sink?: (r: LogRecord) => void;
  now?: () => bigint;
  host?: () => string;
}

const enc = new TextEncoder();

/** The default direct-mode sink: one line on the host's stderr. */
export function stderrSink(r: LogRecord): void {
  const head = enc.encode(`${r.tag}[${r.pid}]: `);
  const line = new Uint8Array(head.length + r.msg.length + 1);
  line.set(head);
  line.set(r.msg, head.length);
  line[line.length - 1] = 10;
  let off = 0;
  for (let tries = 0; off < line.length && tries < 100; tries++) {
    try {
      off += writeSync(2, line, off);
    } catch {
      // EAGAIN on a non-blocking host stderr, or it is gone: best effort.
    }
  }
}

export class LogQueue {
  maxRecords: number;
  maxBytes: number;
  /** Records wait for a reader (see the file's note). */
  hold: boolean;
  sink: (r: LogRecord) => void;
  /** Woken when records arrive (readers). */
  readonly readable = new WaitQueue();
  /** Woken when room is made (blocked writers). */
  readonly writable = new WaitQueue();
  spillAfterMs: number;
  /** Records that went to the sink because no reader came (see spill()). */
  spilled = 0;
  /** When the queue last had no reader (ms, performance.now()). */
  private readerGoneMs = performance.now();
  private spillTimer: ReturnType<typeof setTimeout> | null = null;
  /** The attached reader's token, or null. */
  reader: object | null = null;
  /** Counters, for /proc and tests. */
  enqueued = 0;
  delivered = 0;
  private readonly records: LogRecord[] = [];
  /** Index of the first unread record in `records` (the array is compacted now and then). */
  private head = 0;
  private bytes = 0;
  private nextSeq = 1;
  private readonly now: () => bigint;
  private readonly host: () => string;

  constructor(o: LogQueueOptions = {}) {
    this.maxRecords = o.maxRecords ?? 8192;
    this.maxBytes = o.maxBytes ?? 4 << 20;
    this.hold = o.hold ?? false;
    this.spillAfterMs = o.spillAfterMs ?? 30_000;
    this.sink = o.sink ?? stderrSink;
    this.now = o.now ?? (() => BigInt(Date.now()) * 1_000_000n);
    this.host = o.host ?? (() => 'isokernel');
  }

  /** Records waiting. */
  get length(): number {
    return this.records.length - this.head;
  }
  get byteSize(): number {
    return this.bytes;
  }
  /** Whether records go straight to the sink (direct mode, no reader ever). */
  get direct(): boolean {
    return !this.hold;
  }
  /** Whether a writer must wait for room. */
  get full(): boolean {
    return !this.direct && (this.length >= this.maxRecords || this.bytes >= this.maxBytes);
  }

  /** Enqueues one line (the caller checked there is room, or chose to overflow). `msg` is kept: pass a copy. */
  push(tag: string, pid: number, facility: number, severity: number, msg: Uint8Array): void {
    const r: LogRecord = {
      seq: this.nextSeq++, timeNs: this.now(), host: this.host(), tag, pid, facility, severity, msg,
    };
    this.enqueued++;
    if (this.direct) {
      this.delivered++;
      try {
        this.sink(r);
      } catch {
        // a sink must not break the writer
      }
      return;
    }
    this.records.push(r);
    this.bytes += msg.length + RECORD_OVERHEAD;
    this.readable.wake();
  }

  /** Attaches the one reader (EBUSY is the caller's business); the queue holds from now on. */
  attach(token: object): boolean {
    if (this.reader !== null) return false;
    this.reader = token;
    this.hold = true;
    return true;
  }
  detach(token: object): void {
    if (this.reader !== token) return;
    this.reader = null;
    this.readerGoneMs = performance.now();
  }

  /** Whether spill() would make room now (for poll). */
  spillDue(): boolean {
    return this.reader === null && this.full && performance.now() - this.readerGoneMs >= this.spillAfterMs;
  }

  /**
   * For a writer that found the queue full: with no reader for spillAfterMs, moves the
   * oldest records to the sink until the queue is half full, and returns true (there is
   * room). Else false: the writer waits (waitRoom()).
   */
  spill(): boolean {
    if (!this.spillDue()) return false;
    const before = this.spilled;
    while (this.length > 0 && (this.length > this.maxRecords / 2 || this.bytes > this.maxBytes / 2)) {
      const [r] = this.take(1);
      this.delivered--; // take() counted it as delivered to a reader
      this.spilled++;
      try {
        this.sink(r!);
      } catch {
        // a sink must not break the writer
      }
    }
    if (logSpill.hasSubscribers) logSpill.publish({ count: this.spilled - before, total: this.spilled });
    return true;
  }

  /**
   * What a writer waiting for room sleeps on: room made by the reader, or, with no reader,
   * the moment spill() will make room.
   */
  waitRoom(): Promise<void> {
    const ms = Math.max(0, this.readerGoneMs + this.spillAfterMs - performance.now()) + 1;
    if (this.reader === null && this.spillTimer === null && ms <= 0x7fffffff) { // (Infinity: never)
      this.spillTimer = setTimeout(() => {
        this.spillTimer = null;
        this.writable.wake();
      }, ms);
      this.spillTimer.unref?.();
    }
    return this.writable.wait();
  }

  /** The next record without taking it, or undefined. */
  peek(): LogRecord | undefined {
    return this.records[this.head];
  }

  /** Takes up to `max` records (fewer if none wait). */
  take(max = Infinity): LogRecord[] {
    const n = Math.min(max, this.length);
    const out = this.records.slice(this.head, this.head + n);
    this.head += n;
    for (const r of out) this.bytes -= r.msg.length + RECORD_OVERHEAD;
    this.delivered += n;
    this.compact();
    if (n > 0) this.writable.wake();
    return out;
  }

  /**
   * Frames whole records into dst, taking them off the queue. Returns the bytes written,
   * 0 if none wait, -1 if the first record does not fit.
   */
  readInto(dst: Uint8Array): number {
    const dv = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
    let off = 0;
    let taken = 0;
    while (this.head + taken < this.records.length) {
      const r = this.records[this.head + taken]!;
      const n = frameRecord(r, dst, dv, off);
      if (n < 0) break;
      off += n;
      taken++;
    }
    if (taken === 0) return this.length === 0 ? 0 : -1;
    this.take(taken);
    return off;
  }

  /** Bytes the next record takes framed (for poll's nbytes), 0 if none. */
  nextFramedSize(): number {
    const r = this.peek();
    return r ? framedSize(r) : 0;
  }

  private compact(): void {
    if (this.head === this.records.length) {
      this.records.length = 0;
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.records.length) {
      this.records.splice(0, this.head);
      this.head = 0;
    }
  }
}

