// strace's warm-up: a synthetic trace formatted once at start, before the real stream.
//
// strace is JavaScript: V8 runs its decoder and formatter slowly (interpreted, then
// baseline code) until it has seen enough records to compile them, and the first ~50,000
// records of a trace cost several times what the rest do — while the traced process waits
// for strace (the kernel's back-pressure). Measured on a recorded stream (2 shared cores,
// loaded): with 24,000 warm-up records the first 85,000 real ones still went at ~400 ns
// each, with 100,000 at ~120 ns, the steady state's figure. So strace formats a made-up stream first, of the
// same records as a real one (CALL records of the calls programs make most, as the kernel
// writes them: src/kernel/trace/tracer.ts, "RECORD FORMAT"), through a Formatter of its
// own with the same options and the same output function (its lines dropped after each
// batch: V8 compiles the call to the output for the one function it saw). The code is the
// same, so the real stream meets it compiled. Nothing of the warm-up's state reaches the real
// Formatter.
import type { Formatter } from './format.ts';
import type { CallInfo } from './records.ts';
import { Parser } from './records.ts';

/** Records formatted at start, in batches of about a read's worth. */
const WARM_RECORDS = 64_000;
const HEADER = 24;
const CALL = 11;
const ATTACHED = 7;
const EXITED = 6;
/** The made-up process's pid. */
const PID = 2;

/** Calls a program makes most, with what the warm-up's records of each show. */
const CALLS: readonly string[] = [
  'fd_write', 'fd_read', 'getppid', 'getpid', 'fstat', 'fd_close', 'clock_time_get', 'fd_seek', 'fd_filestat_get',
  'fd_fdstat_get', 'path_filestat_get', 'fd_prestat_get', 'fstatat', 'path_open', 'sched_yield', 'poll_oneoff',
  // numbers only, unsigned ones among them (Formatter.printSimple's every branch)
  'memory_grow', 'alarm', 'fd_next', 'args_get', 'environ_get',
];

/** Bytes of the fixed-size captures (the kernel's KINDS in trace/calls.ts); ret_* are results. */
const FIXED: Readonly<Record<string, number>> = {
  ofdstat: 24, ofilestat: 64, oprestat: 8, ostat: 72, osigact: 12, osigset: 4, orlimit: 16, oitimer: 16, ofds: 8,
  owstatus: 4, oids: 16, ou32: 4, ou64: 8, sigact: 12, sigset: 4, rlimit: 16,
  ret_fd: 4, ret_size: 4, ret_u32: 4, ret_pid: 4, ret_u64: 8, ret_ts: 8, ret_mode: 4,
};
const IN_BYTES = new Set(['path', 'str', 'buf']);
const POINTERS = new Set(['iov', 'oiov', 'obuf', 'subs', 'oevents', 'ptr']);
const TEXT = new TextEncoder().encode('hello, world\n');
/** Bytes of every kind strace quotes: escapes, octal (short, and long before a digit), high bytes. */
const BINARY = Uint8Array.from([0x78, 0, 0x31, 1, 0x0a, 0x22, 0x5c, 0x7f, 0xff, 0x80, 0x09, 0x37, 0x41]);

/** A little-endian record writer. */
class Out {
  b = new Uint8Array(1 << 16);
  dv = new DataView(this.b.buffer);
  n = 0;
  room(k: number): void {
    if (this.n + k <= this.b.length) return;
    const b = new Uint8Array(Math.max(this.b.length * 2, this.n + k));
    b.set(this.b.subarray(0, this.n));
    this.b = b;
    this.dv = new DataView(b.buffer);
  }
  u8(v: number): void {
    this.room(1);
    this.b[this.n++] = v;
  }
  u32(v: number): void {
    this.room(4);
    this.dv.setUint32(this.n, v >>> 0, true);
    this.n += 4;
  }
  bytes(v: Uint8Array): void {
    this.room(v.length);
    this.b.set(v, this.n);
    this.n += v.length;
  }
}

/** A capture: param, flags, full length, bytes. */
function cap(o: Out, param: number, data: Uint8Array, full = data.length): void {
  o.u8(param);
  o.u8(full > data.length ? 2 : 0);
  o.u32(full);
  o.u32(data.length);
  o.bytes(data);
}

/** An iovec capture of one buffer. */
function iov(data: Uint8Array, len: number): Uint8Array {
  const b = new Uint8Array(12 + data.length);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 1, true);
  dv.setUint32(4, len, true);
  dv.setUint32(8, data.length, true);
  b.set(data, 12);
  return b;
}

/** Counts the records with a 64-bit value: every other one (or fourth) is past 2^32. */
let wide = 0;
/** Counts the records with data: text and binary by turns. */
let alt = 0;

/** A CALL record of `info` (call id `id`) that returns `result` (an errno; 0 success). */
function callRecord(o: Out, id: number, info: CallInfo, result: number, pid: number, n: number): void {
  const kinds = info.kinds;
  const at = o.n;
  o.room(HEADER + 14 + 8 * kinds.length);
  const dv = o.dv;
  dv.setUint32(at + 4, 0, true);
  o.b[at + 4] = CALL;
  dv.setUint16(at + 6, id, true);
  dv.setUint32(at + 8, pid, true);
  dv.setInt32(at + 12, 0, true);
  dv.setFloat64(at + 16, n * 0.001 + 0.0005, true);
  dv.setFloat64(at + HEADER, n * 0.001, true);
  dv.setInt32(at + HEADER + 8, result, true);
  o.b[at + HEADER + 12] = 0;
  o.b[at + HEADER + 13] = kinds.length;
  o.n = at + HEADER + 14;
  for (let i = 0; i < kinds.length; i++) {
    const k = kinds[i]!;
    const after = i > 0 ? kinds[i - 1]! : '';
    const v = k === 'fd' ? 3 : k === 'len' || k === 'hidden' ? (after === 'iov' || after === 'oiov' ? 1 : TEXT.length)
      : POINTERS.has(k) || FIXED[k] !== undefined || IN_BYTES.has(k) ? 0x10000 + 64 * i : 0;
    o.dv.setInt32(o.n, v, true);
    o.dv.setInt32(o.n + 4, 0, true);
    o.n += 8;
  }
  // the entry's captures, then the exit's (only on success)
  const ins: [number, Uint8Array][] = [];
  const outs: [number, Uint8Array][] = [];
  for (let i = 0; i < kinds.length; i++) {
    const k = kinds[i]!;
    // text and binary bytes by turns, for each call (n's parity would give a call always the same)
    if (IN_BYTES.has(k)) ins.push([i, k === 'path' ? TEXT.subarray(0, 5) : (alt++ & 1) === 0 ? TEXT : BINARY]);
    else if (k === 'iov') ins.push([i, iov((alt++ & 1) === 0 ? TEXT : BINARY, TEXT.length)]);
    else if (k === 'sigact' || k === 'sigset' || k === 'rlimit') ins.push([i, new Uint8Array(FIXED[k]!)]);
    else if (result === 0 && k === 'oiov') outs.push([i, iov(TEXT, 4096)]);
    else if (result === 0 && k === 'obuf') outs.push([i, TEXT]);
    else if (result === 0 && FIXED[k] !== undefined) {
      const b = new Uint8Array(FIXED[k]!);
      const bdv = new DataView(b.buffer);
      if (k.startsWith('ret_')) bdv.setUint32(0, k === 'ret_size' ? TEXT.length : 3 + (n & 7), true);
      // a 64-bit result past 2^32 now and then (a clock's time): printed from a bigint
      if (k.startsWith('ret_') && b.length >= 8 && (wide++ & 1) === 1) bdv.setUint32(4, 0x17b, true);
      if (k === 'ostat') {
        bdv.setUint32(20, 0o20666, true);
        bdv.setUint32(32, n & 0xff, true);
        if ((wide++ & 3) === 3) bdv.setUint32(36, 1, true); // a size past 4 GiB
      }
      outs.push([i, b]);
    }
  }
  o.u8(ins.length);
  for (const [i, d] of ins) cap(o, i, d);
  o.u8(outs.length);
  for (const [i, d] of outs) cap(o, i, d);
  o.dv.setUint32(at, o.n - at, true);
}

/** A record of another type than CALL: its header, then `body`. */
function plainRecord(o: Out, type: number, pid: number, body: (o: Out) => void): void {
  const at = o.n;
  o.room(HEADER);
  o.dv.setUint32(at, 0, true);
  o.b[at + 4] = type;
  o.b[at + 5] = 0;
  o.dv.setUint16(at + 6, 0, true);
  o.dv.setUint32(at + 8, pid, true);
  o.dv.setInt32(at + 12, 0, true);
  o.dv.setFloat64(at + 16, 0, true);
  o.n = at + HEADER;
  body(o);
  o.dv.setUint32(at, o.n - at, true);
}

/** The last batches of the warm-up go each to a Formatter of its own (warmUp's `fresh`). */
const FRESH_BATCHES = 4;

/**
 * Formats WARM_RECORDS made-up records through `fmt` (a Formatter of the warm-up's own,
 * made like the real one; its output dropped by `batchDone`, called after each batch).
 * `calls`: the schema's calls (ids by place). `fresh`, if given, makes more Formatters like
 * `fmt`: the last batches go each to a new one, so that what a Formatter does at a call's
 * first record (its printing plan, its -c row) also runs once V8 has begun to record how
 * the code is used — else the real stream's first records meet compiled code that never saw
 * that branch, and V8 throws the code away to compile it again.
 */
export function warmUp(fmt: Formatter, calls: readonly CallInfo[], batchDone: () => void, fresh?: () => Formatter): void {
  const o = new Out();
  let n = 0;
  const ids = CALLS.map((name) => calls.findIndex((c) => c.name === name)).filter((id) => id >= 0);
  if (ids.length === 0) return;
  // as a traced program's stream: its ATTACHED record (spawned: no message), its calls, its end
  plainRecord(o, ATTACHED, PID, (r) => {
    r.u32(1);
    r.u8(2);
    r.u8(0xff);
    r.u8(0xff);
  });
  // a batch: mostly successes, some errors (ENOENT 44, EBADF 8), of each call in turn
  for (let r = 0; r < 40; r++) {
    for (const id of ids) {
      const err = r % 10 === 9 ? (calls[id]!.name === 'path_open' ? 44 : 8) : 0;
      callRecord(o, id, calls[id]!, err, PID, n++);
    }
  }
  plainRecord(o, EXITED, PID, (r) => {
    r.u32(0);
    r.u8(0);
    r.u8(0);
  });
  const batch = o.b.slice(0, o.n);
  const parser = new Parser();
  const batches = Math.ceil(WARM_RECORDS / n);
  for (let k = 0; k < batches; k++) {
    const f = fresh !== undefined && k >= batches - FRESH_BATCHES ? fresh() : fmt;
    // a fresh Uint8Array each time, as a read gives
    (f === fmt ? parser : new Parser()).feedTo(batch.slice(), f);
    batchDone();
  }
}
