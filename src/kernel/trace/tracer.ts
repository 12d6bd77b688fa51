// The system-call tracer: what strace reads (docs/tools.md, "strace"; docs/abi.md,
// "Tracing").
//
// Design note.
//
// - Cost when nobody traces: `Process.trace` is null, and the import wrappers
//   (syscall/dispatch.ts) and the channel (jsproc/jsproc.ts) look at it once per call —
//   one field load and compare. Everything else here runs only for a traced process.
// - A trace session is one descriptor (trace_attach, syscall/isk-trace.ts): the records of
//   every process it traces, in the order they happened, as a byte stream read with
//   fd_read. A process has at most one session (as ptrace: a second attach is EPERM).
// - Records are binary, little-endian, self-delimiting (RECORD FORMAT below); the first is
//   the schema: the call table with each param's kind (trace/calls.ts), so a reader needs
//   no table of its own but the names of flags.
// - Memory the arguments point at is copied into the records: inputs at entry, outputs at
//   exit and only on success; buffers cut at the session's string size (-s), paths whole
//   up to 4 KiB. A bad pointer is marked (the call will fail with EFAULT), never followed.
// - A call whose exit comes before any other record (nearly every call) is one CALL record:
//   its entry is written in the CALL layout and held uncommitted (hold), and its exit
//   completes it in place; if anything else must be written first (another process's
//   record, a signal, the call sleeps), the entry is committed as an ENTER record then (its
//   13 bytes of exit fields taken out). A third fewer bytes, and one record to parse.
// - Records are written straight into the queue's last chunk (begin/commit): no scratch
//   buffer, no copy, no allocation per call. A record that outgrows the chunk's room moves,
//   what is written of it, to a new chunk (grow). Chunks read out go back to a kernel-wide
//   free list. The reader sees only committed bytes (a chunk's [start, end)).
// - A call that sleeps is recorded at entry and again at exit (the exit record repeats the
//   args, so a reader that missed the entry — attached while the call slept — still has
//   them); what other processes did meanwhile comes between, as strace's <unfinished ...>.
// - Back-pressure: records wait in the session's queue until read. Past SOFT_BYTES queued,
//   a traced call that may block (a gated one, the preemption check included; any call of a
//   JS process or a thread, served over a channel: backlog()) waits for the reader before it
//   runs; calls that cannot wait go on recording up to HARD_BYTES, beyond
//   which records are dropped and counted (a LOST record says how many). So a reader that
//   keeps up sees everything, and one that stops slows only the processes it traces.
// - The reader is served by the event loop (a JS process's read is a channel request), and
//   a WASI process holds the loop for up to a tick: each time PULSE_BYTES more are queued,
//   its fuel is spent (askPulse), and its preemption check, called at once, lets the loop
//   turn once (a pulse), so the reader takes a batch while the process goes on.
// - Calls of arity 0-4 that capture nothing but a small result (getppid...) are written by a
//   short path (call0..call4): the same bytes, without an args array or the capture code.
// - Count-only sessions (SUMMARY, strace -c): a call's end adds to the session's per-call
//   counts, errors and time (three typed arrays indexed by call id) and writes no record;
//   the counts go to the reader as a COUNTS record before each EXITED or DETACHED record.
//   A counted call costs about what accounting does: no copy, no reader to wait for.
// - Detach: the process's `trace` goes back to null and it is as if never traced; a call
//   asleep on the reader is woken and goes on. Closing the descriptor detaches all.
// - Following (FOLLOW): a child of a traced process is traced from its start (Kernel.register
//   calls traceRegister before the child runs), whoever spawned it (a WASI or JS process).
//   NEXT_CHILD arms the session for the caller's next child: how strace runs a program.
//
// RECORD FORMAT. Header, 24 bytes: u32 size (the whole record), u8 type, u8 0, u16 call id,
// u32 pid, i32 tid (0: the main thread; a JS process's lane), f64 time (ms, the kernel's
// performance.now(); 0 in calls' records unless the session asked for TIMES: the clock
// costs more than the rest of a record). Then by type:
//   SCHEMA    UTF-8 JSON { version, strsize, timeOrigin (the wall time, ms since the epoch,
//             of the clock's 0), calls: [[module, name, [kinds], returnsValue]] }
//   ENTER     u8 nargs, nargs × i64, captures
//   (SUMMARY sessions, for strace -c: no ENTER or EXIT records at all — the kernel counts;
//   see COUNTS.)
//   EXIT      f64 entry time (NaN: resumed, the entry was not seen), i32 result (an errno,
//             or the value of a `value` call; -2 RESTART), u8 flags (1 resumed),
//             u8 nargs, nargs × i64, captures
//   SIGNAL    u8 signal (Linux), u8 sender known, u32 sender pid, u32 sender uid, u8 SIGCHLD's
//             si_code (Linux's CLD_*; 0 for other signals), i32 its si_status
//   STOPPED   u8 signal
//   EXITED    i32 exit code (-1: killed), u8 signal, u8 core
//   ATTACHED  u32 ppid, u8 how (0 attach, 1 followed child, 2 spawned), u16 call id it
//             sleeps in (0xffff none)
//   DETACHED  nothing
//   LOST      u32 records dropped
//   CALL      a call's ENTER and EXIT in one, when nothing came between them (the common
//             case): EXIT's fields and args, then the entry's captures (u8 count, ...), then
//             the exit's (u8 count, ...); the header's time is the exit's. A reader can split
//             it into the two records it stands for.
//   COUNTS    (SUMMARY sessions) u32 rows, then each: u16 call id, f64 calls, f64 errors,
//             f64 ms in the call (0 without TIMES): the calls that ended since the last
//             COUNTS, written before each EXITED and DETACHED record (a reader adds them up)
// captures: u8 count, then each: u8 param, u8 flags (1 unreadable, 2 cut), u32 full length,
// u32 n, n bytes. An iovec capture's bytes are u32 count, then per iovec u32 len, u32 n,
// n bytes; a spawn capture's are the 64-byte request, u32 n + path, u32 n + argv block.
import { E, FILETYPE } from '../../abi/wasi.ts';
import { SysError } from '../errors.ts';
import { OpenFile, WOULD_BLOCK } from '../fd/open-file.ts';
import { streamStat } from '../fd/stdio.ts';
import { BLOCK, type ExitStatus, type Process } from '../proc/process.ts';
import type { Stat } from '../vfs/vnode.ts';
import { WaitQueue } from '../wait-queue.ts';
import type { TraceCall } from './calls.ts';
import { FUEL_EXPORT } from '../proc/instrument.ts';

export const REC = {
  SCHEMA: 1, ENTER: 2, EXIT: 3, SIGNAL: 4, STOPPED: 5, EXITED: 6, ATTACHED: 7, DETACHED: 8, LOST: 9, COUNTS: 10, CALL: 11,
} as const;
export const HEADER_BYTES = 24;
export const EXIT_RESUMED = 1;
export const CAP_FAULT = 1;
export const CAP_CUT = 2;
export const ATTACH_HOW = { ATTACH: 0, FOLLOW: 1, SPAWNED: 2 } as const;
/** SIGCHLD's si_code, Linux's numbers. */
const CLD = { EXITED: 1, KILLED: 2, DUMPED: 3, STOPPED: 5, CONTINUED: 6 } as const;
/** trace_attach's flags. */
export const TRACE_FLAGS = { FOLLOW: 1, NEXT_CHILD: 2, CLOEXEC: 4, TIMES: 8, SUMMARY: 16 } as const;
export const TRACE_FLAGS_ALL = 31;
export const DEFAULT_STRSIZE = 32;
export const MAX_STRSIZE = 65536;
/** Paths are captured whole up to this. */
const PATH_CAP = 4096;
/** iovecs and array elements captured per call, at most. */
const MAX_ELEMS = 64;
export const SOFT_BYTES = 2 << 20;
export const HARD_BYTES = 16 << 20;
const CHUNK = 256 << 10;
/**
 * Each time this much more is queued, the traced process is made to call its preemption
 * check at once (askPulse), which lets the event loop turn once: the reader's next read (a
 * JS process: a request on its channel, served by the event loop) is answered then, not at
 * the end of the tick (nor at the check's own pace, about every 0.5 ms of the process's CPU).
 */
const PULSE_BYTES = 128 << 10;
/** Chunks read out, kept for the next records (kernel-wide, at most FREE_CHUNKS). */
const freeChunks: Uint8Array[] = [];
const FREE_CHUNKS = 16;

type Args = readonly unknown[];
const NO_ARGS: Args = [];
type AnyHandler = (p: Process, ...args: unknown[]) => number;

/**
 * A piece of the session's queue: records in buf[start, end) are written and wait for the
 * reader; the last chunk (the tail) also holds, from `end` on, the record being written.
 */
interface Chunk {
  buf: Uint8Array;
  dv: DataView;
  start: number;
  end: number;
}

function newChunk(size: number): Chunk {
  const buf = size === CHUNK ? freeChunks.pop() ?? new Uint8Array(CHUNK) : new Uint8Array(size);
  return { buf, dv: new DataView(buf.buffer, buf.byteOffset, buf.byteLength), start: 0, end: 0 };
}

/** A call asleep (or waiting for the reader) between its entry and its exit. */
interface OpenCall {
  pid: number;
  /** Entry time; NaN when its entry was not recorded (attached while it slept). */
  t0: number;
  /** Whether its entry record was written (false: it waits for the reader first). */
  entered: boolean;
}

const armedBy = new Map<Process, TraceSession>();

/** A trace session: the processes it traces and the records waiting for its reader. */
/** A trace session: the processes it traces and the records waiting for its reader. */
export class TraceSession {
  readonly owner: Process;
  readonly follow: boolean;
  readonly strsize: number;
  /** Whether records carry times (TIMES: strace -T, -c); else 0, and no clock is read. */
  readonly timed: boolean;
  /** SUMMARY (strace -c): count only — no call records; COUNTS before each EXITED or DETACHED. */
  readonly summary: boolean;
  readonly procs = new Set<Process>();
  /** The process whose next child this session traces from its start (NEXT_CHILD). */
  armed: Process | null = null;
  closed = false;
  private readonly calls: readonly TraceCall[];
  /** trace_filter: 1 for each call recorded; null: all. */
  private mask: Uint8Array | null = null;
  private readonly open = new Map<object, OpenCall>();
  /** The queue, oldest first; never empty (the last is the tail, written at `pos`). */
  private readonly chunks: Chunk[] = [];
  /** The tail chunk's bytes and view (cached from it: the write path's fields). */
  private buf: Uint8Array;
  private dv: DataView;
  /** Where the record being written starts in buf, and the write cursor (≥ the tail's end). */
  private rec = 0;
  private pos = 0;
  /** Bytes written and not read yet. */
  queued = 0;
  private lost = 0;
  /** SUMMARY: per call id, the calls ended, their errors and ms, since the last COUNTS. */
  private readonly nCalls: Float64Array;
  private readonly nErrors: Float64Array;
  private readonly nMs: Float64Array;
  private counted = false;
  /**
   * The entry of the call in progress (hold()): written at `rec` in the CALL record's layout
   * and not queued yet; its exit completes it, or flushHeld() turns it into an ENTER record.
   */
  private held = false;
  private heldPid = 0;
  private heldTid = 0;
  private heldCall = 0;
  /**
   * When the queue reaches this, the traced process is asked to check in (askPulse):
   * PULSE_BYTES more than there were at the last pulse or read; Infinity once asked.
   */
  private pulseMark = PULSE_BYTES;
  readonly readable = new WaitQueue();
  private readonly drained = new WaitQueue();

  constructor(owner: Process, calls: readonly TraceCall[], flags: number, strsize: number) {
    this.owner = owner;
    this.calls = calls;
    this.follow = (flags & TRACE_FLAGS.FOLLOW) !== 0;
    this.timed = (flags & TRACE_FLAGS.TIMES) !== 0;
    this.summary = (flags & TRACE_FLAGS.SUMMARY) !== 0;
    this.strsize = strsize;
    const rows = this.summary ? calls.length : 0;
    this.nCalls = new Float64Array(rows);
    this.nErrors = new Float64Array(rows);
    this.nMs = new Float64Array(rows);
    const first = newChunk(CHUNK);
    this.chunks.push(first);
    this.buf = first.buf;
    this.dv = first.dv;
    const schema = {
      version: 1, strsize, timeOrigin: performance.timeOrigin,
      calls: calls.map((c) => [c.module, c.name, c.kinds, c.returnsValue]),
    };
    const json = new TextEncoder().encode(JSON.stringify(schema));
    if (this.begin(REC.SCHEMA, 0, owner.pid, 0, performance.now(), json.length)) {
      this.buf.set(json, this.pos);
      this.pos += json.length;
      this.commit();
    }
  }

  /** No process left and none to come: the reader gets EOF once the queue is read. */
  get finished(): boolean {
    return this.closed || (this.procs.size === 0 && this.armed === null);
  }

  // ---- writing records: straight into the tail chunk ----

  /** Makes room for n more bytes of the record being written (moved to a new chunk if need be). */
  private ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    const part = this.pos - this.rec;
    const c = newChunk(Math.max(CHUNK, part + n));
    c.buf.set(this.buf.subarray(this.rec, this.pos));
    const tail = this.chunks[this.chunks.length - 1]!;
    if (tail.start === tail.end) this.chunks.pop(); // nothing in it to read: dropped
    this.chunks.push(c);
    this.buf = c.buf;
    this.dv = c.dv;
    this.rec = 0;
    this.pos = part;
  }

  /**
   * Starts a record of `body` bytes at most after its header (the held entry goes first, as
   * an ENTER record). False: not written (the session is closed, or the queue is past
   * HARD_BYTES: the record is counted as lost).
   */
  private begin(type: number, call: number, pid: number, tid: number, time: number, body: number): boolean {
    if (this.held) this.flushHeld();
    if (this.closed) return false;
    if (this.queued >= HARD_BYTES) {
      this.lost++;
      return false;
    }
    if (this.lost > 0) {
      const n = this.lost;
      this.lost = 0;
      this.begin(REC.LOST, 0, 0, 0, performance.now(), 4);
      this.dv.setUint32(this.pos, n, true);
      this.pos += 4;
      this.commit();
    }
    this.rec = this.pos;
    this.ensure(HEADER_BYTES + body);
    const b = this.buf;
    const dv = this.dv;
    const at = this.rec;
    b[at + 4] = type;
    b[at + 5] = 0;
    dv.setUint16(at + 6, call, true);
    dv.setUint32(at + 8, pid, true);
    dv.setInt32(at + 12, tid, true);
    dv.setFloat64(at + 16, time, true);
    this.pos = at + HEADER_BYTES;
    return true;
  }

  /** The record at `rec` is done: its size written, queued for the reader. */
  private commit(): void {
    const n = this.pos - this.rec;
    this.dv.setUint32(this.rec, n, true);
    this.chunks[this.chunks.length - 1]!.end = this.pos;
    this.rec = this.pos;
    this.queued += n;
    this.readable.wake();
  }

  /**
   * The held entry (see hold()) goes to the queue as an ENTER record: something came between
   * its entry and its exit. Its bytes are in the CALL layout (the exit's fields, 14 bytes,
   * then nargs and the args and captures): the 13 bytes before nargs go.
   */
  private flushHeld(): void {
    this.held = false;
    const at = this.rec;
    const b = this.buf;
    b.copyWithin(at + HEADER_BYTES, at + HEADER_BYTES + 13, this.pos);
    this.pos -= 13;
    b[at + 4] = REC.ENTER;
    this.commit();
  }

  private u8(v: number): void {
    this.buf[this.pos++] = v;
  }
  private u16(v: number): void {
    this.dv.setUint16(this.pos, v, true);
    this.pos += 2;
  }
  private u32(v: number): void {
    this.dv.setUint32(this.pos, v >>> 0, true);
    this.pos += 4;
  }
  private i32(v: number): void {
    this.dv.setInt32(this.pos, v | 0, true);
    this.pos += 4;
  }

  /** Writes the args (room made by the caller): i32s as numbers, i64s as bigints. */
  private args(args: Args, n: number): void {
    const dv = this.dv;
    let o = this.pos;
    for (let i = 0; i < n; i++, o += 8) {
      const v = args[i];
      if (typeof v === 'number') {
        dv.setInt32(o, v, true);
        dv.setInt32(o + 4, v < 0 ? -1 : 0, true);
      } else if (typeof v === 'bigint') dv.setBigInt64(o, BigInt.asIntN(64, v), true);
      else {
        const x = Number(v) | 0;
        dv.setInt32(o, x, true);
        dv.setInt32(o + 4, x < 0 ? -1 : 0, true);
      }
    }
    this.pos = o;
  }

  /** Copies src[from, from+n) to the record (room made by the caller). */
  private copy(src: Uint8Array, from: number, n: number): void {
    const b = this.buf;
    const o = this.pos;
    if (n <= 16) for (let k = 0; k < n; k++) b[o + k] = src[from + k]!;
    else b.set(src.subarray(from, from + n), o);
    this.pos = o + n;
  }

  // ---- the queue ----

  /** Copies queued bytes into dst; WOULD_BLOCK when none and more may come; 0 at the end. */
  read(dst: Uint8Array): number {
    if (dst.length === 0) return 0;
    if (this.queued === 0) return this.finished ? 0 : WOULD_BLOCK;
    let n = 0;
    const chunks = this.chunks;
    while (n < dst.length) {
      const c = chunks[0]!;
      const k = Math.min(dst.length - n, c.end - c.start);
      if (k > 0) {
        dst.set(c.buf.subarray(c.start, c.start + k), n);
        c.start += k;
        n += k;
      }
      if (c.start < c.end) break; // dst is full
      if (chunks.length === 1) {
        // the tail, read out: written from its start again unless a record is being written in it
        if (this.pos === c.end && !this.held) {
          c.start = c.end = this.rec = this.pos = 0;
        }
        break;
      }
      const done = chunks.shift()!;
      if (done.buf.length === CHUNK && freeChunks.length < FREE_CHUNKS) freeChunks.push(done.buf);
    }
    this.queued -= n;
    this.pulseMark = Math.min(this.pulseMark, this.queued + PULSE_BYTES);
    if (this.queued < SOFT_BYTES) this.drained.wake();
    return n;
  }

  /**
   * For calls served over a channel (JS processes, threads): a promise to wait on before
   * serving the next call when the reader is behind, else null.
   */
  backlog(): Promise<void> | null {
    return this.queued >= SOFT_BYTES && !this.closed ? this.drained.wait() : null;
  }

  private waitForReader(p: Process): number {
    return p.block(this.drained.wait());
  }

  /** Whether a call that may wait should first wait for the reader. */
  private full(p: Process): boolean {
    return this.queued >= SOFT_BYTES && !this.closed && p.intr === 0;
  }

  // ---- calls ----

  /**
   * A traced process's call, its first attempt (the import wrapper's; `gated`: it may
   * wait). Runs the handler as the wrapper would, recording entry and exit.
   */
  call(p: Process, ctx: object, tid: number, tc: TraceCall, h: AnyHandler, args: Args, gated: boolean): number {
    if (tc.hidden || (this.mask !== null && this.mask[tc.id] === 0)) {
      if (gated && this.full(p)) return this.waitForReader(p);
      if (gated && tc.hidden && this.queued >= PULSE_BYTES && p.intr === 0) {
        this.pulseMark = this.queued + PULSE_BYTES;
        return p.block(turn());
      }
      return invoke(h, p, args);
    }
    if (gated && this.full(p)) {
      this.open.set(ctx, { pid: p.pid, t0: NaN, entered: false });
      return this.waitForReader(p);
    }
    return this.attempt(p, ctx, tid, tc, h, args, this.enter(p, tid, tc, args), false);
  }

  // The import wrappers' traced calls of arity 0-4 (syscall/dispatch.ts) come here. Those
  // that go the general way get their args in an array of the session's (v1..v4), not a new
  // one per call: call() uses them only until it returns (a call that sleeps is retried with
  // the gate's own array), and no traced call runs inside another.
  private readonly v1: unknown[] = [0];
  private readonly v2: unknown[] = [0, 0];
  private readonly v3: unknown[] = [0, 0, 0];
  private readonly v4: unknown[] = [0, 0, 0, 0];

  // The short path: the import wrappers' traced calls of arity 0-4 (syscall/dispatch.ts).
  // A `plain` call (trace/calls.ts: i32 params, nothing captured but a 4- or 8-byte result)
  // in a session that records it without times is written here in one go — no args array,
  // no per-param capture code — the bytes exactly as call() writes them. Anything else, or
  // anything unusual (the queue full, records lost, something written between the entry and
  // the exit), goes the general way.

  call0(p: Process, tc: TraceCall, h: AnyHandler, gated: boolean): number {
    if (!this.short(tc)) return this.call(p, p, 0, tc, h, NO_ARGS, gated);
    this.shortEnter(p.pid, tc.id, 0);
    const r = invoke0(h, p);
    if (r === BLOCK || !this.shortExit(p, tc, r, 0)) return this.shortOther(p, tc, r, []);
    return r;
  }

  call1(p: Process, tc: TraceCall, h: AnyHandler, gated: boolean, a: unknown): number {
    if (!this.short(tc)) {
      const v = this.v1;
      v[0] = a;
      return this.call(p, p, 0, tc, h, v, gated);
    }
    const o = this.shortEnter(p.pid, tc.id, 1);
    this.argAt(o, a);
    const r = invoke1(h, p, a);
    if (r === BLOCK || !this.shortExit(p, tc, r, a)) return this.shortOther(p, tc, r, [a]);
    return r;
  }

  call2(p: Process, tc: TraceCall, h: AnyHandler, gated: boolean, a: unknown, b: unknown): number {
    if (!this.short(tc)) {
      const v = this.v2;
      v[0] = a;
      v[1] = b;
      return this.call(p, p, 0, tc, h, v, gated);
    }
    const o = this.shortEnter(p.pid, tc.id, 2);
    this.argAt(o, a);
    this.argAt(o + 8, b);
    const r = invoke2(h, p, a, b);
    if (r === BLOCK || !this.shortExit(p, tc, r, tc.retParam === 0 ? a : b)) return this.shortOther(p, tc, r, [a, b]);
    return r;
  }

  call3(p: Process, tc: TraceCall, h: AnyHandler, gated: boolean, a: unknown, b: unknown, c: unknown): number {
    if (!this.short(tc)) {
      const v = this.v3;
      v[0] = a;
      v[1] = b;
      v[2] = c;
      return this.call(p, p, 0, tc, h, v, gated);
    }
    const o = this.shortEnter(p.pid, tc.id, 3);
    this.argAt(o, a);
    this.argAt(o + 8, b);
    this.argAt(o + 16, c);
    const r = invoke3(h, p, a, b, c);
    const rp = tc.retParam;
    if (r === BLOCK || !this.shortExit(p, tc, r, rp === 0 ? a : rp === 1 ? b : c)) return this.shortOther(p, tc, r, [a, b, c]);
    return r;
  }

  call4(p: Process, tc: TraceCall, h: AnyHandler, gated: boolean, a: unknown, b: unknown, c: unknown, d: unknown): number {
    if (!this.short(tc)) {
      const v = this.v4;
      v[0] = a;
      v[1] = b;
      v[2] = c;
      v[3] = d;
      return this.call(p, p, 0, tc, h, v, gated);
    }
    const o = this.shortEnter(p.pid, tc.id, 4);
    this.argAt(o, a);
    this.argAt(o + 8, b);
    this.argAt(o + 16, c);
    this.argAt(o + 24, d);
    const r = invoke4(h, p, a, b, c, d);
    const rp = tc.retParam;
    if (r === BLOCK || !this.shortExit(p, tc, r, rp === 0 ? a : rp === 1 ? b : rp === 2 ? c : d)) return this.shortOther(p, tc, r, [a, b, c, d]);
    return r;
  }

  /** Whether this call of `p` goes the short way (see call0). */
  private short(tc: TraceCall): boolean {
    // (below SOFT_BYTES, no call waits for the reader first: `gated` changes nothing)
    return tc.plain && !this.timed && !this.summary && !this.closed && this.lost === 0 && this.queued < SOFT_BYTES &&
      (this.mask === null || this.mask[tc.id] !== 0);
  }

  /**
   * The short path's entry: a CALL record begun with room for its exit (the result's
   * capture), held as enter() holds it; returns where its n args go (the caller writes them).
   */
  private shortEnter(pid: number, call: number, n: number): number {
    if (this.held) this.flushHeld();
    this.rec = this.pos;
    this.ensure(HEADER_BYTES + 14 + 8 * n + 2 + 10 + 8);
    const b = this.buf;
    const dv = this.dv;
    const at = this.rec;
    dv.setUint32(at, 0, true);
    b[at + 4] = REC.CALL;
    b[at + 5] = 0;
    dv.setUint16(at + 6, call, true);
    dv.setUint32(at + 8, pid, true);
    dv.setInt32(at + 12, 0, true);
    dv.setFloat64(at + 16, 0, true);
    const o = at + HEADER_BYTES;
    dv.setFloat64(o, 0, true);
    dv.setInt32(o + 8, 0, true);
    b[o + 12] = 0;
    b[o + 13] = n;
    b[o + 14 + 8 * n] = 0; // no captures at entry
    this.pos = o + 15 + 8 * n;
    this.held = true;
    this.heldPid = pid;
    this.heldTid = 0;
    this.heldCall = call;
    return o + 14;
  }

  /** An arg at `o` (room made), as args() writes it. */
  private argAt(o: number, v: unknown): void {
    const dv = this.dv;
    if (typeof v === 'number') {
      dv.setInt32(o, v, true);
      dv.setInt32(o + 4, v < 0 ? -1 : 0, true);
    } else if (typeof v === 'bigint') dv.setBigInt64(o, BigInt.asIntN(64, v), true);
    else {
      const x = Number(v) | 0;
      dv.setInt32(o, x, true);
      dv.setInt32(o + 4, x < 0 ? -1 : 0, true);
    }
  }

  /**
   * The short path's exit: completes the held entry in place (the result, and on success the
   * result's capture from `ptr`) and queues it. False: something came between (the entry
   * went out as an ENTER record, or the session was closed): the caller goes the general way.
   */
  private shortExit(p: Process, tc: TraceCall, r: number, ptr: unknown): boolean {
    if (!this.held || this.heldPid !== p.pid || this.heldTid !== 0 || this.heldCall !== tc.id) return false;
    this.held = false;
    const at = this.rec;
    const b = this.buf;
    const dv = this.dv;
    dv.setInt32(at + HEADER_BYTES + 8, r, true);
    let o = this.pos;
    const size = tc.retSize;
    if (size === 0 || tc.returnsValue || r !== 0) b[o++] = 0;
    else {
      b[o] = 1;
      b[o + 1] = tc.retParam;
      const m = p.mem;
      const from = Number(ptr) >>> 0;
      if (m !== null && (from + size <= m.u8.length || readable(m, from, size))) {
        const src = m.u8;
        b[o + 2] = 0;
        dv.setUint32(o + 3, size, true);
        dv.setUint32(o + 7, size, true);
        o += 11;
        for (let k = 0; k < size; k++) b[o + k] = src[from + k]!;
        o += size;
      } else {
        // as capture() marks a pointer it cannot read
        b[o + 2] = CAP_FAULT;
        dv.setUint32(o + 3, m === null ? 0 : size, true);
        dv.setUint32(o + 7, 0, true);
        o += 11;
      }
    }
    this.pos = o;
    this.commit();
    if (this.queued >= this.pulseMark) this.askPulse(p);
    return true;
  }

  /**
   * PULSE_BYTES are queued: the traced process's fuel is spent (as isk-guard.ts's
   * preemptSoon does), so that it calls preempt() at its next loop header or call, where
   * the pulse lets the event loop turn and the reader's read be answered — a batch every
   * PULSE_BYTES rather than every 0.5 ms of the process's CPU (the check's own pace): the
   * reader, on a core of its own, is kept busy. A process without fuel (a JS process, a
   * thread) is left alone.
   */
  private askPulse(p: Process): void {
    this.pulseMark = Infinity;
    const g = p.instance?.exports[FUEL_EXPORT];
    if (g instanceof WebAssembly.Global) g.value = 0;
  }

  /** The short path's call slept (BLOCK) or its exit could not be completed in place. */
  private shortOther(p: Process, tc: TraceCall, r: number, args: Args): number {
    if (r === BLOCK) {
      if (this.held) this.flushHeld(); // it sleeps: its entry is there for the reader
      this.open.set(p, { pid: p.pid, t0: 0, entered: true });
      return r;
    }
    this.exit(p, 0, tc, args, r, 0, false);
    return r;
  }

  /** A later attempt of a call that slept (the gate's slow import). */
  retry(p: Process, ctx: object, tid: number, tc: TraceCall, h: AnyHandler, args: Args): number {
    if (tc.hidden || (this.mask !== null && this.mask[tc.id] === 0)) {
      this.open.delete(ctx); // entered before a filter left it out
      if (this.full(p)) return this.waitForReader(p);
      return invoke(h, p, args);
    }
    const o = this.open.get(ctx);
    if (o === undefined) return this.attempt(p, ctx, tid, tc, h, args, NaN, true); // attached while it slept
    if (!o.entered) {
      if (this.full(p)) return this.waitForReader(p);
      this.open.delete(ctx);
      return this.attempt(p, ctx, tid, tc, h, args, this.enter(p, tid, tc, args), false);
    }
    this.open.delete(ctx);
    return this.attempt(p, ctx, tid, tc, h, args, o.t0, Number.isNaN(o.t0));
  }

  private attempt(p: Process, ctx: object, tid: number, tc: TraceCall, h: AnyHandler, args: Args, t0: number, resumed: boolean): number {
    let r: number;
    try {
      // the common arities without a spread
      switch (args.length) {
        case 0: r = h(p); break;
        case 1: r = h(p, args[0]); break;
        case 2: r = h(p, args[0], args[1]); break;
        case 3: r = h(p, args[0], args[1], args[2]); break;
        case 4: r = h(p, args[0], args[1], args[2], args[3]); break;
        default: r = h(p, ...args);
      }
    } catch (e) {
      if (!(e instanceof SysError)) throw e; // the process ends (proc_exit, a kill) or a kernel bug
      r = e.errno;
    }
    if (r === BLOCK) {
      if (this.held) this.flushHeld(); // it sleeps: its entry is there for the reader
      this.open.set(ctx, { pid: p.pid, t0, entered: true });
      return r;
    }
    this.exit(p, tid, tc, args, r, t0, resumed);
    return r;
  }

  /** A JS process's call, before its first attempt (jsproc.ts). */
  channelEnter(p: Process, ctx: object, tid: number, tc: TraceCall, args: Args): void {
    if (tc.hidden || (this.mask !== null && this.mask[tc.id] === 0)) return;
    this.open.set(ctx, { pid: p.pid, t0: this.enter(p, tid, tc, args), entered: true });
  }

  /** A JS process's call, answered with `r`. */
  channelExit(p: Process, ctx: object, tid: number, tc: TraceCall, args: Args, r: number): void {
    const o = this.open.get(ctx);
    this.open.delete(ctx);
    if (tc.hidden || (this.mask !== null && this.mask[tc.id] === 0)) return;
    this.exit(p, tid, tc, args, r, o ? o.t0 : NaN, o === undefined);
  }

  private enter(p: Process, tid: number, tc: TraceCall, args: Args): number {
    const t0 = this.timed ? performance.now() : 0;
    if (this.summary) return t0;
    const n = args.length;
    // in the CALL record's layout (its exit's fields left for exit()), to be completed by the exit
    if (!this.begin(REC.CALL, tc.id, p.pid, tid, t0, 16 + 8 * n)) return t0;
    const dv = this.dv;
    let o = this.pos;
    dv.setFloat64(o, t0, true);
    dv.setInt32(o + 8, 0, true);
    this.buf[o + 12] = 0;
    this.buf[o + 13] = n;
    this.pos = o + 14;
    this.args(args, n);
    const caps = tc.inCaps;
    this.buf[this.pos++] = caps.length;
    for (let k = 0; k < caps.length; k++) this.capture(p, tc, caps[k]!, args, 0);
    this.hold(p.pid, tid, tc.id);
    return t0;
  }

  /**
   * Keeps the entry just written uncommitted: if the call's exit comes next, it completes it
   * as one CALL record (exit()); if anything else comes first (another record, or the call
   * sleeps), it goes to the queue as an ENTER record (flushHeld).
   */
  private hold(pid: number, tid: number, call: number): void {
    this.held = true;
    this.heldPid = pid;
    this.heldTid = tid;
    this.heldCall = call;
  }

  private exit(p: Process, tid: number, tc: TraceCall, args: Args, r: number, t0: number, resumed: boolean): void {
    if (this.summary) {
      const id = tc.id;
      this.nCalls[id]!++;
      if (tc.returnsValue ? r < 0 : r !== 0) this.nErrors[id]!++;
      if (this.timed && !Number.isNaN(t0)) this.nMs[id]! += performance.now() - t0;
      this.counted = true;
      return;
    }
    const time = this.timed ? performance.now() : 0;
    if (this.held && !resumed && this.heldPid === p.pid && this.heldTid === tid && this.heldCall === tc.id) {
      // its entry is the record being written, nothing in between: complete it as a CALL
      this.held = false;
      const at = this.rec;
      this.dv.setFloat64(at + 16, time, true);
      this.dv.setInt32(at + HEADER_BYTES + 8, r, true);
    } else {
      const n = args.length;
      if (!this.begin(REC.EXIT, tc.id, p.pid, tid, time, 16 + 8 * n)) return;
      const dv = this.dv;
      const o = this.pos;
      dv.setFloat64(o, t0, true);
      dv.setInt32(o + 8, r, true);
      this.buf[o + 12] = resumed ? EXIT_RESUMED : 0;
      this.buf[o + 13] = n;
      this.pos = o + 14;
      this.args(args, n);
    }
    this.ensure(1);
    if (tc.returnsValue || r !== 0) {
      this.buf[this.pos++] = 0;
    } else {
      const rp = tc.retParam;
      const caps = tc.outCaps;
      this.buf[this.pos++] = caps.length + (rp >= 0 ? 1 : 0);
      let retVal = 0;
      if (rp >= 0) retVal = this.capture(p, tc, rp, args, 0);
      for (let k = 0; k < caps.length; k++) this.capture(p, tc, caps[k]!, args, retVal);
    }
    this.commit();
    if (this.queued >= this.pulseMark) this.askPulse(p);
  }

  /**
   * Writes param i's capture; returns the value read for a ret_* param (what dependent
   * captures use as their length: bytes moved, events, link length).
   */
  private capture(p: Process, tc: TraceCall, i: number, args: Args, retVal: number): number {
    const kind = tc.kindDefs[i]!;
    const c = kind.capture!;
    const m = p.mem;
    if (c.how === 'fixed' && c.size <= 16 && m !== null) {
      // the common case (a result, a small struct) in bounds: no try, no check() call
      const size = c.size;
      const src = m.u8;
      const from = Number(args[i]) >>> 0;
      if (from + size <= src.length) {
        this.ensure(10 + size);
        const b = this.buf;
        const dv = this.dv;
        const o = this.pos + 10;
        b[o - 10] = i;
        b[o - 9] = 0;
        dv.setUint32(o - 8, size, true);
        dv.setUint32(o - 4, size, true);
        for (let k = 0; k < size; k++) b[o + k] = src[from + k]!;
        this.pos = o + size;
        if (!kind.ret) return 0;
        return size === 8 ? dv.getUint32(o, true) + dv.getUint32(o + 4, true) * 0x100000000 : dv.getUint32(o, true);
      }
    }
    const ptr = Number(args[i]) >>> 0;
    const next = i + 1 < args.length ? Number(args[i + 1]) >>> 0 : 0;
    this.ensure(10);
    this.buf[this.pos] = i;
    // its header's offset from the record's start (the record may move to a new chunk)
    const head = this.pos - this.rec;
    this.pos += 10;
    const start = this.pos - this.rec;
    let full = 0;
    let flags = 0;
    let value = 0;
    try {
      if (m === null) throw new SysError(E.FAULT);
      switch (c.how) {
        case 'path':
        case 'buf':
        case 'array':
        case 'retbuf': {
          let n: number;
          if (c.how === 'path') {
            full = next;
            n = Math.min(next, PATH_CAP);
          } else if (c.how === 'buf') {
            full = next;
            n = Math.min(next, this.strsize);
          } else if (c.how === 'array') {
            const count = c.at === 'in' ? Number(args[i + (c.countAt ?? 1)]) >>> 0 : retVal;
            full = count * c.size;
            n = Math.min(count, MAX_ELEMS) * c.size;
          } else {
            full = retVal;
            n = Math.min(retVal, c.cap === 0 ? this.strsize : c.cap);
          }
          const o = m.check(ptr, n);
          this.ensure(n);
          this.copy(m.u8, o, n);
          if (n < full) flags |= CAP_CUT;
          break;
        }
        case 'fixed': {
          const size = c.size;
          full = size;
          const o = m.check(ptr, size);
          this.ensure(size);
          const at = this.pos;
          this.copy(m.u8, o, size);
          if (kind.ret) value = size === 8 ? this.dv.getUint32(at, true) + this.dv.getUint32(at + 4, true) * 0x100000000 : this.dv.getUint32(at, true);
          break;
        }
        case 'iov': {
          const count = next;
          const base = m.check(ptr, count * 8);
          const shown = Math.min(count, MAX_ELEMS);
          // the bytes to copy first (the room to make), then the copies
          let left = c.at === 'out' ? retVal : Infinity;
          let size = 4;
          for (let k = 0; k < shown; k++) {
            const moved = Math.min(m.dv.getUint32(base + k * 8 + 4, true), left);
            left -= moved;
            size += 8 + Math.min(moved, this.strsize);
          }
          this.ensure(size);
          this.u32(count);
          left = c.at === 'out' ? retVal : Infinity;
          for (let k = 0; k < shown; k++) {
            const bp = m.dv.getUint32(base + k * 8, true);
            const bl = m.dv.getUint32(base + k * 8 + 4, true);
            const moved = Math.min(bl, left);
            left -= moved;
            const n = Math.min(moved, this.strsize);
            const o = m.check(bp, n);
            this.u32(bl);
            this.u32(n);
            this.copy(m.u8, o, n);
            full += moved;
          }
          break;
        }
        case 'spawn': {
          full = 64;
          const base = m.check(ptr, 64);
          const req = m.u8.slice(base, base + 64);
          const dv = new DataView(req.buffer);
          const parts: Uint8Array[] = [];
          for (const off of [0, 8]) {
            const sp = dv.getUint32(off, true);
            const sl = dv.getUint32(off + 4, true);
            let b: Uint8Array;
            try {
              b = m.bytes(sp, Math.min(sl, PATH_CAP));
            } catch {
              b = new Uint8Array(0);
            }
            parts.push(b);
          }
          this.ensure(64 + 8 + parts[0]!.length + parts[1]!.length);
          this.copy(req, 0, 64);
          for (const b of parts) {
            this.u32(b.length);
            this.copy(b, 0, b.length);
          }
          break;
        }
      }
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      this.pos = this.rec + start;
      flags = CAP_FAULT;
    }
    const at = this.rec + head;
    this.buf[at + 1] = flags;
    this.dv.setUint32(at + 2, Math.min(full, 0xffffffff), true);
    this.dv.setUint32(at + 6, this.pos - this.rec - start, true);
    return value;
  }

  setFilter(names: readonly string[] | null): string[] {
    if (names === null) {
      this.mask = null;
      return [];
    }
    const mask = new Uint8Array(this.calls.length);
    const want = new Set(names);
    for (const c of this.calls) if (want.has(c.name)) mask[c.id] = 1;
    const unknown = names.filter((n) => !this.calls.some((c) => c.name === n));
    if (unknown.length === 0) this.mask = mask;
    return unknown;
  }


  // ---- processes ----

  attach(p: Process, how: number): void {
    p.trace = this;
    this.procs.add(p);
    if (!this.begin(REC.ATTACHED, 0, p.pid, 0, performance.now(), 7)) return;
    this.u32(p.ppid);
    this.u8(how);
    const wchan = p.wchan === null ? -1 : this.calls.findIndex((c) => c.name === p.wchan);
    this.u16(wchan < 0 ? 0xffff : wchan);
    this.commit();
  }

  /** SUMMARY: the counts since the last COUNTS record, as one (none: nothing written). */
  private flushCounts(): void {
    if (!this.counted) return;
    this.counted = false;
    const c = this.nCalls;
    let rows = 0;
    for (let i = 0; i < c.length; i++) if (c[i]! > 0) rows++;
    const write = this.begin(REC.COUNTS, 0, 0, 0, 0, 4 + rows * 26);
    if (write) this.u32(rows);
    const dv = this.dv;
    for (let i = 0; i < c.length; i++) {
      if (c[i] === 0) continue;
      if (write) {
        const o = this.pos;
        dv.setUint16(o, i, true);
        dv.setFloat64(o + 2, c[i]!, true);
        dv.setFloat64(o + 10, this.nErrors[i]!, true);
        dv.setFloat64(o + 18, this.nMs[i]!, true);
        this.pos = o + 26;
      }
      c[i] = 0;
      this.nErrors[i] = 0;
      this.nMs[i] = 0;
    }
    if (write) this.commit();
  }

  /** Ends tracing of `p` (trace_detach): it runs on as if never traced. */
  detach(p: Process): void {
    if (p.trace !== this) return;
    this.flushCounts();
    if (this.begin(REC.DETACHED, 0, p.pid, 0, performance.now(), 0)) this.commit();
    this.forget(p);
  }

  private forget(p: Process): void {
    p.trace = null;
    this.procs.delete(p);
    for (const [ctx, o] of this.open) if (o.pid === p.pid) this.open.delete(ctx);
    this.drained.wake();
    if (this.finished) this.readable.wake();
  }

  /** A signal sent to `p`; `child`: the child whose change of state sent SIGCHLD. */
  signal(p: Process, sig: number, sender: Process | null, child: Process | null = null): void {
    if (!this.begin(REC.SIGNAL, 0, p.pid, 0, performance.now(), 15)) return;
    this.u8(sig);
    this.u8(sender !== null ? 1 : 0);
    this.u32(sender !== null ? sender.pid : 0);
    this.u32(sender !== null ? sender.uid : 0);
    // SIGCHLD's si_code (Linux's CLD_*) and si_status
    let code = 0;
    let status = 0;
    if (child !== null) {
      const x = child.exitStatus;
      if (x !== null) {
        code = x.signal === null ? CLD.EXITED : x.core ? CLD.DUMPED : CLD.KILLED;
        status = x.signal ?? x.code ?? 0;
      } else if (child.stopped) {
        code = CLD.STOPPED;
        status = child.reportStop;
      } else {
        code = CLD.CONTINUED;
        status = 18; // SIGCONT
      }
    }
    this.u8(code);
    this.i32(status);
    this.commit();
  }

  stopped(p: Process, sig: number): void {
    if (!this.begin(REC.STOPPED, 0, p.pid, 0, performance.now(), 1)) return;
    this.u8(sig);
    this.commit();
  }

  exited(p: Process, s: ExitStatus): void {
    this.flushCounts();
    if (this.begin(REC.EXITED, 0, p.pid, 0, performance.now(), 6)) {
      this.i32(s.code === null ? -1 : s.code);
      this.u8(s.signal ?? 0);
      this.u8(s.core ? 1 : 0);
      this.commit();
    }
    this.forget(p);
  }

  arm(p: Process): void {
    this.armed = p;
    armedBy.set(p, this);
  }

  private disarm(): void {
    if (this.armed !== null && armedBy.get(this.armed) === this) armedBy.delete(this.armed);
    this.armed = null;
  }

  /** The descriptor closed: detach everything; the records nobody will read go. */
  close(): void {
    if (this.closed) return;
    this.disarm();
    for (const p of [...this.procs]) this.forget(p);
    this.closed = true;
    this.held = false;
    const tail = this.chunks[this.chunks.length - 1]!;
    this.chunks.length = 0;
    tail.start = tail.end = 0;
    this.chunks.push(tail);
    this.rec = this.pos = 0;
    this.queued = 0;
    this.drained.wake();
    this.readable.wake();
  }

  static register(child: Process, parent: Process): void {
    const armed = armedBy.get(parent);
    if (armed !== undefined && !armed.closed) {
      armed.disarm();
      armed.attach(child, ATTACH_HOW.SPAWNED);
      return;
    }
    const s = parent.trace;
    if (s !== null && s.follow && !s.closed) s.attach(child, ATTACH_HOW.FOLLOW);
  }

  /** Whether `p` has a session waiting for its next child. */
  static armedFor(p: Process): boolean {
    const s = armedBy.get(p);
    return s !== undefined && !s.closed;
  }

  /** `p` ended: a session it armed waits for no child any more. */
  static processEnded(p: Process): void {
    const armed = armedBy.get(p);
    if (armed !== undefined) {
      armed.disarm();
      if (armed.finished) armed.readable.wake();
    }
  }
}

/** Resolves at the next turn of the event loop. */
function turn(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/** Whether guest memory [from, from+size) can be read (check() refreshes views that memory.grow detached). */
function readable(m: NonNullable<Process['mem']>, from: number, size: number): boolean {
  try {
    m.check(from, size);
    return true;
  } catch (e) {
    if (e instanceof SysError) return false;
    throw e;
  }
}

// A handler's result, or the errno it threw (anything else it throws goes on: the process
// ends, or a kernel bug), per arity.
function invoke0(h: AnyHandler, p: Process): number {
  try {
    return h(p);
  } catch (e) {
    if (e instanceof SysError) return e.errno;
    throw e;
  }
}
function invoke1(h: AnyHandler, p: Process, a: unknown): number {
  try {
    return h(p, a);
  } catch (e) {
    if (e instanceof SysError) return e.errno;
    throw e;
  }
}
function invoke2(h: AnyHandler, p: Process, a: unknown, b: unknown): number {
  try {
    return h(p, a, b);
  } catch (e) {
    if (e instanceof SysError) return e.errno;
    throw e;
  }
}
function invoke3(h: AnyHandler, p: Process, a: unknown, b: unknown, c: unknown): number {
  try {
    return h(p, a, b, c);
  } catch (e) {
    if (e instanceof SysError) return e.errno;
    throw e;
  }
}
function invoke4(h: AnyHandler, p: Process, a: unknown, b: unknown, c: unknown, d: unknown): number {
  try {
    return h(p, a, b, c, d);
  } catch (e) {
    if (e instanceof SysError) return e.errno;
    throw e;
  }
}

function invoke(h: AnyHandler, p: Process, args: Args): number {
  try {
    return h(p, ...args);
  } catch (e) {
    if (e instanceof SysError) return e.errno;
    throw e;
  }
}

/** The descriptor a tracer reads: the session's records as a byte stream. */
export class TraceFile extends OpenFile {
  readonly filetype = FILETYPE.UNKNOWN;
  readonly session: TraceSession;

  constructor(session: TraceSession) {
    super(true, false, 0);
    this.session = session;
  }

  override read(dst: Uint8Array): number {
    return this.session.read(dst);
  }
  override waitReadable(): Promise<void> {
    return this.session.readable.wait();
  }
  override readReady(): number {
    const s = this.session;
    return s.queued > 0 ? s.queued : s.finished ? 0 : -1;
  }
  override hangup(): boolean {
    return this.session.finished && this.session.queued === 0;
  }
  override stat(): Stat {
    return streamStat(this.filetype, this.session.queued);
  }
  override close(): void {
    this.session.close();
  }
}
