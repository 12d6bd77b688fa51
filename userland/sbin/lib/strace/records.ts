// The trace stream's records, parsed (the format: src/kernel/trace/tracer.ts, "RECORD
// FORMAT"; docs/abi.md, "Tracing"). The stream is read in pieces of any size: a Parser
// keeps what is left of a record until the rest comes. feed() decodes every record into an
// object (a CALL into the ENTER and EXIT it stands for); feedTo() gives the common records
// to a Sink as bytes (format.ts prints them without decoding) and decodes only the rest.

export interface CallInfo {
  module: string;
  name: string;
  kinds: string[];
  returnsValue: boolean;
}

export interface Schema {
  version: number;
  strsize: number;
  /** The wall time (ms since the epoch) at which the records' clock read 0. */
  timeOrigin?: number;
  calls: CallInfo[];
}

export interface Capture {
  /** 1: unreadable (a bad pointer), 2: cut (more than was copied). */
  flags: number;
  /** The length there was: the buffer's, or the bytes the call moved. */
  full: number;
  data: Uint8Array;
}

interface Head {
  pid: number;
  tid: number;
  /** ms, the kernel's clock. */
  time: number;
}

export type TraceRecord =
  | ({ type: 'schema'; schema: Schema } & Head)
  | ({ type: 'enter'; call: number; args: bigint[]; caps: Map<number, Capture> } & Head)
  | ({ type: 'exit'; call: number; t0: number; result: number; resumed: boolean; args: bigint[]; caps: Map<number, Capture> } & Head)
  | ({ type: 'signal'; sig: number; sender: { pid: number; uid: number } | null; code: number; status: number } & Head)
  | ({ type: 'stopped'; sig: number } & Head)
  | ({ type: 'exited'; code: number | null; signal: number; core: boolean } & Head)
  | ({ type: 'attached'; ppid: number; how: 'attach' | 'follow' | 'spawned'; wchan: number } & Head)
  | ({ type: 'detached' } & Head)
  | ({ type: 'lost'; count: number } & Head)
  /** strace -c: the kernel's counts (calls ended since the last COUNTS), by call id. */
  | ({ type: 'counts'; rows: { call: number; calls: number; errors: number; ms: number }[] } & Head);

const TYPES = ['', 'schema', 'enter', 'exit', 'signal', 'stopped', 'exited', 'attached', 'detached', 'lost', 'counts'] as const;
const HOW = ['attach', 'follow', 'spawned'] as const;
export const HEADER_BYTES = 24;
/** Records without captures share this (never written to). */
const NO_CAPS: Map<number, Capture> = new Map();

const EMPTY: Uint8Array = new Uint8Array(0);

/** Where records go (the Formatter). */
export interface Sink {
  push(r: TraceRecord): void;
  /**
   * A call's ENTER record at `e` and its EXIT at `x`, one right after the other (same pid,
   * thread and call; not resumed): the common case, printed straight from the bytes without
   * decoding into objects. False: not handled, the records are decoded and pushed.
   */
  pair(dv: DataView, b: Uint8Array, e: number, x: number): boolean;
  /** A CALL record at `c` (ENTER and EXIT in one): false, not handled (split and pushed). */
  call(dv: DataView, b: Uint8Array, c: number): boolean;
}

/** CALL: a call's entry and exit in one record (the kernel writes it when nothing came between). */
const CALL = 11;

/**
 * Nothing a Parser returns or keeps refers to the bytes fed (captures are copies; what is
 * left of a record, too): a caller may read into the same buffer again once a feed has
 * returned (the strace program reads into two buffers by turns).
 */
export class Parser {
  private buf: Uint8Array = new Uint8Array(0);

  /** Adds bytes; returns the records now complete. Throws on a malformed stream. */
  feed(chunk: Uint8Array): TraceRecord[] {
    if (this.buf.length === 0) this.buf = chunk;
    else {
      const b = new Uint8Array(this.buf.length + chunk.length);
      b.set(this.buf);
      b.set(chunk, this.buf.length);
      this.buf = b;
    }
    const out: TraceRecord[] = [];
    let off = 0;
    const dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    while (this.buf.length - off >= HEADER_BYTES) {
      const size = dv.getUint32(off, true);
      if (size < HEADER_BYTES) throw new Error(`trace stream: bad record size ${size}`);
      if (this.buf.length - off < size) break;
      if (this.buf[off + 4] === CALL) out.push(...splitCall(dv, off, size));
      else out.push(decode(dv, off, size));
      off += size;
    }
    this.buf = off === this.buf.length ? EMPTY : this.buf.slice(off);
    return out;
  }

  /**
   * Adds bytes and gives the records now complete to `sink`, a call's ENTER and EXIT side
   * by side as one pair when the sink takes them so (Sink.pair). Throws on a malformed
   * stream. What `feed` would give, without a record object for the common case.
   */
  feedTo(chunk: Uint8Array, sink: Sink): void {
    let buf = chunk;
    const left = this.buf;
    if (left.length > 0) {
      // a record begun in the last piece: completed from this one's first bytes alone (joining
      // the whole piece to it cost a copy of the piece at every read)
      let need = HEADER_BYTES - left.length;
      if (left.length >= 4) need = new DataView(left.buffer, left.byteOffset, 4).getUint32(0, true) - left.length;
      else if (chunk.length >= need) need = new DataView(join(left, chunk.subarray(0, 4 - left.length)).buffer).getUint32(0, true) - left.length;
      need = Math.max(need, HEADER_BYTES - left.length);
      if (chunk.length <= need) {
        this.buf = EMPTY;
        this.feedFrom(join(left, chunk), sink);
        return;
      }
      this.buf = EMPTY;
      this.feedFrom(join(left, chunk.subarray(0, need)), sink);
      if (this.buf.length > 0) throw new Error('trace stream: bad record size');
      buf = chunk.subarray(need);
    }
    this.feedFrom(buf, sink);
  }

  private feedFrom(buf: Uint8Array, sink: Sink): void {
    const len = buf.length;
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    // The loop is all the common case needs (CALL records printed by the sink), so that V8
    // optimizes it once: the rest is out of line, in other()
    let off = 0;
    for (;;) {
      if (len - off < HEADER_BYTES) break;
      const size = dv.getUint32(off, true);
      if (size > len - off) break;
      if (buf[off + 4] === CALL && size > HEADER_BYTES && sink.call(dv, buf, off)) off += size;
      else off = other(dv, buf, off, size, sink);
    }
    // a copy of what is left (a record's first bytes: the caller may reuse its buffer). No
    // compare here: V8 compiles this loop on stack, and code after it that never ran before
    // would throw the compiled loop away at every call
    this.buf = buf.slice(off);
  }

  /** Bytes of an unfinished record (at EOF: a cut stream). */
  get pending(): number {
    return this.buf.length;
  }
}

function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Parser.feedTo's records other than a CALL the sink printed: an ENTER with its EXIT next
 * (Sink.pair), or any record decoded and pushed. Returns the offset after what it took.
 */
function other(dv: DataView, buf: Uint8Array, off: number, size: number, sink: Sink): number {
  if (size < HEADER_BYTES) throw new Error(`trace stream: bad record size ${size}`);
  const len = buf.length;
  const type = buf[off + 4];
  if (type === 2) { // ENTER: is its EXIT next?
    const x = off + size;
    if (len - x >= HEADER_BYTES + 14) {
      const xs = dv.getUint32(x, true);
      if (xs >= HEADER_BYTES + 14 && len - x >= xs && buf[x + 4] === 3 && buf[x + HEADER_BYTES + 12] === 0 &&
        dv.getUint16(x + 6, true) === dv.getUint16(off + 6, true) && dv.getUint32(x + 8, true) === dv.getUint32(off + 8, true) &&
        dv.getInt32(x + 12, true) === dv.getInt32(off + 12, true) && sink.pair(dv, buf, off, x)) {
        return x + xs;
      }
    }
  }
  if (type === CALL) for (const r of splitCall(dv, off, size)) sink.push(r);
  else sink.push(decode(dv, off, size));
  return off + size;
}

/** A CALL record as the ENTER and EXIT records it stands for. */
function splitCall(dv: DataView, at: number, size: number): [TraceRecord, TraceRecord] {
  const call = dv.getUint16(at + 6, true);
  const pid = dv.getUint32(at + 8, true);
  const tid = dv.getInt32(at + 12, true);
  const time = dv.getFloat64(at + 16, true);
  let o = at + HEADER_BYTES;
  const end = at + size;
  const t0 = dv.getFloat64(o, true);
  const result = dv.getInt32(o + 8, true);
  const n = dv.getUint8(o + 13);
  o += 14;
  if (o + 8 * n + 2 > end) throw new Error('trace stream: bad call record');
  const args: bigint[] = new Array(n);
  for (let i = 0; i < n; i++, o += 8) args[i] = dv.getBigInt64(o, true);
  const caps = (): Map<number, Capture> => {
    if (o >= end) throw new Error('trace stream: bad call record');
    const k = dv.getUint8(o++);
    const m = k === 0 ? NO_CAPS : new Map<number, Capture>();
    for (let i = 0; i < k; i++) {
      const len = dv.getUint32(o + 6, true);
      if (o + 10 + len > end) throw new Error('trace stream: bad call record');
      m.set(dv.getUint8(o), { flags: dv.getUint8(o + 1), full: dv.getUint32(o + 2, true), data: new Uint8Array(dv.buffer, dv.byteOffset + o + 10, len).slice() });
      o += 10 + len;
    }
    return m;
  };
  const inCaps = caps();
  const outCaps = caps();
  return [
    { type: 'enter', pid, tid, time: t0, call, args, caps: inCaps },
    { type: 'exit', pid, tid, time, call, t0, result, resumed: false, args, caps: outCaps },
  ];
}

function decode(dv: DataView, at: number, size: number): TraceRecord {
  const type = TYPES[dv.getUint8(at + 4)];
  const call = dv.getUint16(at + 6, true);
  const pid = dv.getUint32(at + 8, true);
  const tid = dv.getInt32(at + 12, true);
  const time = dv.getFloat64(at + 16, true);
  let o = at + HEADER_BYTES;
  const args = (): bigint[] => {
    const n = dv.getUint8(o++);
    const a: bigint[] = new Array(n);
    for (let i = 0; i < n; i++, o += 8) a[i] = dv.getBigInt64(o, true);
    return a;
  };
  const caps = (): Map<number, Capture> => {
    const n = dv.getUint8(o++);
    const m = n === 0 ? NO_CAPS : new Map<number, Capture>();
    for (let i = 0; i < n; i++) {
      const param = dv.getUint8(o);
      const flags = dv.getUint8(o + 1);
      const full = dv.getUint32(o + 2, true);
      const len = dv.getUint32(o + 6, true);
      o += 10;
      m.set(param, { flags, full, data: new Uint8Array(dv.buffer, dv.byteOffset + o, len).slice() });
      o += len;
    }
    return m;
  };
  switch (type) {
    case 'schema': {
      const json = new TextDecoder().decode(new Uint8Array(dv.buffer, dv.byteOffset + o, at + size - o));
      const s = JSON.parse(json) as { version: number; strsize: number; timeOrigin?: number; calls: [string, string, string[], boolean][] };
      return {
        type, pid, tid, time,
        schema: { version: s.version, strsize: s.strsize, ...(s.timeOrigin !== undefined ? { timeOrigin: s.timeOrigin } : {}), calls: s.calls.map(([module, name, kinds, returnsValue]) => ({ module, name, kinds, returnsValue })) },
      };
    }
    case 'enter': {
      const a = args();
      return { type, pid, tid, time, call, args: a, caps: caps() };
    }
    case 'exit': {
      const t0 = dv.getFloat64(o, true);
      const result = dv.getInt32(o + 8, true);
      const resumed = (dv.getUint8(o + 12) & 1) !== 0;
      o += 13;
      const a = args();
      return { type, pid, tid, time, call, t0, result, resumed, args: a, caps: caps() };
    }
    case 'signal': {
      const known = dv.getUint8(o + 1) !== 0;
      const withCode = at + size >= o + 15;
      return {
        type, pid, tid, time, sig: dv.getUint8(o), sender: known ? { pid: dv.getUint32(o + 2, true), uid: dv.getUint32(o + 6, true) } : null,
        code: withCode ? dv.getUint8(o + 10) : 0, status: withCode ? dv.getInt32(o + 11, true) : 0,
      };
    }
    case 'stopped':
      return { type, pid, tid, time, sig: dv.getUint8(o) };
    case 'exited': {
      const code = dv.getInt32(o, true);
      return { type, pid, tid, time, code: code < 0 ? null : code, signal: dv.getUint8(o + 4), core: dv.getUint8(o + 5) !== 0 };
    }
    case 'attached':
      return { type, pid, tid, time, ppid: dv.getUint32(o, true), how: HOW[dv.getUint8(o + 4)] ?? 'attach', wchan: dv.getUint16(o + 5, true) };
    case 'detached':
      return { type, pid, tid, time };
    case 'lost':
      return { type, pid, tid, time, count: dv.getUint32(o, true) };
    case 'counts': {
      const n = dv.getUint32(o, true);
      o += 4;
      if (o + n * 26 > at + size) throw new Error('trace stream: bad counts record');
      const rows: { call: number; calls: number; errors: number; ms: number }[] = [];
      for (let i = 0; i < n; i++, o += 26) {
        rows.push({ call: dv.getUint16(o, true), calls: dv.getFloat64(o + 2, true), errors: dv.getFloat64(o + 10, true), ms: dv.getFloat64(o + 18, true) });
      }
      return { type, pid, tid, time, rows };
    }
    default:
      throw new Error(`trace stream: unknown record type ${dv.getUint8(at + 4)}`);
  }
}
