// strace's output: trace records → lines as strace prints them (docs/tools.md, "strace").
//
//   path_open(3, "etc/passwd", O_RDONLY, ...) = 4
//   fd_read(4, [{iov_base="root:x:0:0:root:/root:/bin/sh\n"..., iov_len=4096}], 1) = 512
//   path_open(3, "nope", O_RDONLY, ...) = -1 ENOENT (No such file or directory)
//   [pid 7] fd_read(0,  <unfinished ...>
//   [pid 6] wait(7,  <unfinished ...>
//   [pid 7] <... fd_read resumed>[{iov_base="x\n", iov_len=16}], 1) = 2
//   --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=1, si_uid=0} ---
//   +++ exited with 0 +++
//
// A call is printed once it returns; when records of another process or thread come
// between its entry and its exit, its entry is printed first and ends `<unfinished ...>`,
// and the exit shows as `<... NAME resumed>` with the rest, as strace does. Arguments up to
// the first output are printed from the entry, the others from the exit. A result written
// through a pointer (a descriptor, a byte count, a pid) is printed as the return value.
//
// Two ways in, the same lines out (tests/trace/fast.test.ts): push() takes decoded records
// (records.ts, Parser.feed) and handles everything; call() and pair() take a CALL record, or
// an ENTER with its EXIT right after it, as bytes (Parser.feedTo) and print the line from
// them — no record objects, maps, or bigints for the common scalars, each call's printing
// plan (Shape) worked out once. They decline (false) whenever push() would do anything but
// print one whole line (an entry held, a custom printer, sockaddr), and the records are
// decoded and pushed instead. strace's hot path is theirs: every traced call goes through it.
import type { Capture, CallInfo, Schema, Sink, TraceRecord } from './records.ts';
import * as N from './names.ts';
import type { LineBytes } from './out.ts';

export interface FormatOptions {
  /** -T: time spent in each call. */
  timing?: boolean;
  /** -v: rights and whole structs. */
  verbose?: boolean;
  /** -e trace=: whether to show a call by name (default all). */
  filter?: ((name: string) => boolean) | null;
  /** -c: count, do not print calls. */
  summary?: boolean;
  /** Always prefix lines with [pid N] (-f with several processes does it by itself). */
  alwaysPid?: boolean;
  /** -t (1: HH:MM:SS), -tt (2: with µs), -ttt (3: seconds since the epoch): wall time of each line. */
  stamps?: number;
  /** -r: time since the previous line. */
  relative?: boolean;
}

type Enter = Extract<TraceRecord, { type: 'enter' }>;
interface Shape {
  info: CallInfo;
  before: number[];
  after: number[];
  custom: Custom | null;
  /** before and after, in printing order (fullText's). */
  all: number[];
  /** Printed straight from the bytes (Formatter.pair): no custom printer, no param that needs the args as bigints. */
  fast: boolean;
  /** The ret_* param, or -1. */
  retParam: number;
  /** -e trace=: shown (worked out once: the filter does not change). */
  shown: boolean;
  /** Its -c row (made at its first call; NO_STAT before: a field that is never null keeps one map). */
  stat: Stat;
  /**
   * Printed by printSimple: every param shown a number (signed, unsigned, hex), nothing
   * captured but the result (a u32 or u64, or none) — getppid, fd_close, umask's kin.
   */
  simple: boolean;
  /** Per param in `all`: how the pair path prints it (see Formatter.pair). */
  quick: (((n: number) => string) | null)[];
  scalar: (Scalar | null)[];
  struct: (StructFmt | null)[];
  /** Printed as a pointer (hex) when not captured; else as a number. */
  pointer: boolean[];
  /** An iovec array (iovText, from the bytes). */
  iov: boolean[];
  /** Per param in `all`: its capture printed from the bytes (BYTES), or null (STRUCTS, from a Capture). */
  bytes: (BytesFmt | null)[];
  /** The name and `(`, as bytes (printCallBytes). */
  nameOpen: Uint8Array;
  /** Per param in `all`, a QUICK scalar's kind for printCallBytes: 0 none, 1 signed, 2 unsigned, 3 hex. */
  quickKind: number[];
  /** Per param in `all`, a quoted capture for printCallBytes: 0 no, 1 a path (cut: its flag), 2 a buffer (cut: full > its length). */
  quoted: number[];
  /** Per param in `all`, for printCallBytes: 1 a stat struct (ostat), 2 a filestat (ofilestat), else 0. */
  stat2: number[];
}
type Exit = Extract<TraceRecord, { type: 'exit' }>;

interface Stat {
  calls: number;
  errors: number;
  ms: number;
}

/**
 * The part of a call's line from its closing parenthesis: `) = ` and the result when the
 * result says it all (a value, a restart, an errno); false when it is 0 and the caller
 * prints what the call wrote back (its ret param) instead.
 */
function resultHead(o: LineBytes, returnsValue: boolean, result: number): boolean {
  o.byte(0x29);
  o.byte(0x20);
  o.byte(0x3d);
  o.byte(0x20);
  if (returnsValue) o.int(result);
  else if (result === -2) o.str('? ERESTARTSYS (To be restarted if SA_RESTART is set)');
  else if (result !== 0) {
    o.str('-1 ');
    o.str(N.errnoName(result));
    o.str(' (');
    o.str(N.errnoText(result));
    o.byte(0x29);
  } else return false;
  return true;
}

/** Turns records into lines (`out` gets each with its newline) and keeps the -c counts. */
export class Formatter implements Sink {
  private schema: Schema | null = null;
  private readonly o: FormatOptions;
  private readonly out: (line: string) => void;
  /** Message lines strace prints on stderr whatever -o says (attached, detached). */
  private readonly note: (line: string) => void;
  /** The entry printed last and not finished on its line, by key pid:tid. */
  private pending: { key: string; rec: Enter } | null = null;
  /** Calls whose entry was printed <unfinished ...>, by key. */
  private readonly unfinished = new Map<string, Enter>();
  /** Entries not yet printed (held until their exit or another record), by key. */
  private readonly entries = new Map<string, Enter>();
  private readonly live = new Set<number>();
  private seenPids = 0;
  /** Records of threads (or JS lanes) came: every line says whose it is. */
  private threads = false;
  readonly stats = new Map<string, Stat>();
  private classes: Map<string, Set<string>> | null = null;
  /** By call id; filled with null when the schema comes (a packed array: no holes). */
  private shapes: (Shape | null)[] = [];

  constructor(o: FormatOptions, out: (line: string) => void, note: (line: string) => void = out) {
    this.o = o;
    this.out = out;
    this.note = note;
  }

  /** The calls of a class (-e trace=%file) from the schema and the tables; null before the schema. */
  classMembers(cls: string): Set<string> | null {
    if (!this.schema) return null;
    if (!this.classes) {
      const m = new Map<string, Set<string>>();
      for (const [k, v] of Object.entries(N.CLASSES)) m.set(k, new Set(v));
      const file = m.get('file')!;
      const desc = m.get('desc')!;
      for (const c of this.schema.calls) {
        if (c.kinds.includes('path')) file.add(c.name);
        if (c.kinds[0] === 'fd') desc.add(c.name);
      }
      this.classes = m;
    }
    return this.classes.get(cls) ?? null;
  }

  /** The stream's schema (its first record); null before it came. */
  get streamSchema(): Schema | null {
    return this.schema;
  }

  get callNames(): string[] {
    return this.schema ? this.schema.calls.map((c) => c.name) : [];
  }

  private info(call: number): CallInfo {
    const c = this.schema?.calls[call];
    return c ?? { module: '?', name: `syscall_${call}`, kinds: [], returnsValue: false };
  }

  private shown(name: string): boolean {
    return this.o.filter ? this.o.filter(name) : true;
  }

  private prefix(pid: number, tid: number): string {
    if (tid !== 0) this.threads = true;
    if (!this.o.alwaysPid && this.live.size <= 1 && this.seenPids <= 1 && !this.threads) return '';
    return tid !== 0 ? `[pid ${pid}:${tid}] ` : `[pid ${pid}] `;
  }

  private emit(pid: number, tid: number, text: string, time: number): void {
    if (this.o.summary) return;
    const b = this.bytesOut;
    if (b !== null) {
      b.str(this.prefix(pid, tid));
      b.str(this.stamp(time));
      b.str(text);
      b.byte(10);
      return;
    }
    this.out(this.prefix(pid, tid) + this.stamp(time) + text + '\n');
  }

  /** Lines go into `b` as bytes from now on, not to the output function (null: to it again). */
  writeBytesTo(b: LineBytes | null): void {
    this.bytesOut = b;
  }

  private lastTime = NaN;

  /** -t/-tt/-ttt and -r: the record's time (the kernel's ms clock, from the schema's origin). */
  private stamp(time: number): string {
    let out = '';
    if (this.o.relative) {
      const d = Number.isNaN(this.lastTime) ? 0 : Math.max(0, time - this.lastTime);
      this.lastTime = time;
      out += `${(d / 1000).toFixed(6).padStart(13)} `;
    }
    const t = this.o.stamps ?? 0;
    if (t > 0) {
      const ms = (this.schema?.timeOrigin ?? 0) + time;
      const us = Math.floor((ms * 1000) % 1e6);
      if (t >= 3) out += `${Math.floor(ms / 1000)}.${String(us).padStart(6, '0')} `;
      else {
        const d = new Date(ms);
        const hms = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
        out += t === 2 ? `${hms}.${String(us).padStart(6, '0')} ` : `${hms} `;
      }
    }
    return out;
  }

  /** Prints the held entry as `<unfinished ...>` (another record comes first). */
  private flushPending(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    this.entries.delete(p.key);
    this.unfinished.set(p.key, p.rec);
    this.emit(p.rec.pid, p.rec.tid, this.enterText(p.rec) + ' <unfinished ...>', p.rec.time);
  }

  push(r: TraceRecord): void {
    switch (r.type) {
      case 'schema':
        this.schema = r.schema;
        this.classes = null;
        this.shapes = new Array<Shape | null>(r.schema.calls.length).fill(null);
        return;
      case 'enter': {
        const name = this.info(r.call).name;
        if (!this.shown(name)) return;
        this.flushPending();
        const key = `${r.pid}:${r.tid}`;
        this.entries.set(key, r);
        this.pending = { key, rec: r };
        return;
      }
      case 'exit':
        return this.exit(r);
      case 'signal': {
        this.flushPending();
        const name = N.signalName(r.sig);
        const cld = N.CLD_CODES[r.code];
        const who = cld && r.sender
          ? `si_code=${cld}, si_pid=${r.sender.pid}, si_uid=${r.sender.uid}, si_status=${r.code === 1 ? r.status : N.signalName(r.status)}`
          : r.sender ? `si_code=SI_USER, si_pid=${r.sender.pid}, si_uid=${r.sender.uid}` : 'si_code=SI_KERNEL';
        this.emit(r.pid, 0, `--- ${name} {si_signo=${name}, ${who}} ---`, r.time);
        return;
      }
      case 'stopped':
        this.flushPending();
        this.emit(r.pid, 0, `--- stopped by ${N.signalName(r.sig)} ---`, r.time);
        return;
      case 'exited': {
        this.endCalls(r.pid, ' = ?', r.time);
        const what = r.code !== null ? `exited with ${r.code}` : `killed by ${N.signalName(r.signal)}${r.core ? ' (core dumped)' : ''}`;
        this.emit(r.pid, 0, `+++ ${what} +++`, r.time);
        this.live.delete(r.pid);
        return;
      }
      case 'attached':
        this.live.add(r.pid);
        this.seenPids++;
        if (r.how !== 'spawned') this.note(`strace: Process ${r.pid} attached\n`);
        return;
      case 'detached':
        this.endCalls(r.pid, ' <detached ...>', r.time);
        this.live.delete(r.pid);
        this.note(`strace: Process ${r.pid} detached\n`);
        return;
      case 'counts':
        // strace -c: the kernel counted (no call records came)
        for (const row of r.rows) {
          const name = this.info(row.call).name;
          if (!this.shown(name)) continue;
          let s = this.stats.get(name);
          if (!s) this.stats.set(name, (s = { calls: 0, errors: 0, ms: 0 }));
          s.calls += row.calls;
          s.errors += row.errors;
          s.ms += row.ms;
        }
        return;
      case 'lost':
        this.flushPending();
        this.note(`strace: ${r.count} trace records lost (the kernel's queue was full)\n`);
        return;
    }
  }

  /** A process ended or was detached: its calls in progress end with `suffix`. */
  private endCalls(pid: number, suffix: string, time: number): void {
    if (this.pending && this.pending.rec.pid === pid) {
      const p = this.pending;
      this.pending = null;
      this.entries.delete(p.key);
      const text = this.enterText(p.rec);
      const open = text.endsWith(', ') || this.hasOutputs(p.rec.call);
      // strace: `exit_group(0) = ?`, `read(0,  <unfinished ...>) = ?`, `read(0,  <detached ...>`
      if (suffix === ' = ?') this.emit(pid, p.rec.tid, open ? `${text} <unfinished ...>) = ?` : `${text}) = ?`, p.rec.time);
      else this.emit(pid, p.rec.tid, `${text}${suffix}`, p.rec.time);
    } else this.flushPending();
    for (const [key, rec] of [...this.unfinished]) {
      if (rec.pid !== pid) continue;
      this.unfinished.delete(key);
      this.emit(pid, rec.tid, `<... ${this.info(rec.call).name} resumed>) =${suffix === ' = ?' ? ' ?' : suffix}`, time);
    }
    for (const key of [...this.entries.keys()]) if (key.startsWith(`${pid}:`)) this.entries.delete(key);
  }

  private exit(r: Exit): void {
    const info = this.info(r.call);
    if (!this.shown(info.name)) return;
    const ms = Number.isNaN(r.t0) ? NaN : r.time - r.t0;
    this.count(info, r.result, ms);
    if (this.o.summary) return;
    const key = `${r.pid}:${r.tid}`;
    const ret = this.retText(info, r) + (this.o.timing ? ` <${Number.isNaN(ms) ? '?' : (ms / 1000).toFixed(6)}>` : '');
    if (this.pending && this.pending.key === key) {
      const e = this.pending.rec;
      this.pending = null;
      this.entries.delete(key);
      this.emit(r.pid, r.tid, `${this.fullText(e, r)} = ${ret}`, e.time);
      return;
    }
    this.flushPending();
    const e = this.unfinished.get(key) ?? this.entries.get(key);
    this.unfinished.delete(key);
    this.entries.delete(key);
    this.emit(r.pid, r.tid, `<... ${info.name} resumed>${this.exitText(e ?? null, r)} = ${ret}`, r.time);
  }

  private count(info: CallInfo, result: number, ms: number): void {
    const s = this.statOf(info.name);
    s.calls++;
    if (info.returnsValue ? result < 0 : result !== 0) s.errors++;
    if (!Number.isNaN(ms)) s.ms += ms;
  }

  private statOf(name: string): Stat {
    let s = this.stats.get(name);
    if (!s) this.stats.set(name, (s = { calls: 0, errors: 0, ms: 0 }));
    return s;
  }

  // ---- the common case, from the bytes (records.ts, Parser.feedTo) ----

  /** Per param, the capture seen in this pair (capGen === gen) and where its bytes are. */
  private gen = 0;
  private bytesOut: LineBytes | null = null;
  private readonly capGen = new Uint32Array(256);
  private readonly capOff = new Int32Array(256);
  private readonly capLen = new Int32Array(256);
  private readonly capFlags = new Uint8Array(256);
  private readonly capFull = new Float64Array(256);

  /** Notes the captures at `o` (u8 count, then each); returns the offset after them. */
  private scanCaps(dv: DataView, b: Uint8Array, o: number, end: number): number {
    const n = b[o++]!;
    for (let k = 0; k < n; k++) {
      if (o + 10 > end) return -1;
      const p = b[o]!;
      const len = dv.getUint32(o + 6, true);
      if (o + 10 + len > end) return -1;
      this.capGen[p] = this.gen;
      this.capFlags[p] = b[o + 1]!;
      this.capFull[p] = dv.getUint32(o + 2, true);
      this.capOff[p] = o + 10;
      this.capLen[p] = len;
      o += 10 + len;
    }
    return o;
  }

  /**
   * A call's entry and exit, next to each other in the stream (Sink.pair): its line, as
   * push(enter) then push(exit) would print it — fullText, retText, count — but read from
   * the bytes: no record objects, no Map, no bigint for the scalars most calls have.
   */
  pair(dv: DataView, b: Uint8Array, e: number, x: number): boolean {
    if (this.pending !== null || this.schema === null) return false;
    const call = dv.getUint16(e + 6, true);
    if (call >= this.schema.calls.length) return false;
    const sh = this.shape(call);
    if (!sh.shown) return true; // neither record is printed nor counted
    if (!sh.fast) return false;
    const eEnd = e + dv.getUint32(e, true);
    const xEnd = x + dv.getUint32(x, true);
    // the entry's args, then its captures; the exit's args (what fullText prints) and captures
    let o = e + HEADER;
    const en = b[o]!;
    o += 1 + 8 * en;
    if (o >= eEnd) return false;
    if (++this.gen === 0xffffffff) {
      this.capGen.fill(0);
      this.gen = 1;
    }
    if (this.scanCaps(dv, b, o, eEnd) < 0) return false;
    o = x + HEADER;
    const t0 = dv.getFloat64(o, true);
    const result = dv.getInt32(o + 8, true);
    const xn = b[o + 13]!;
    const argsAt = o + 14;
    o = argsAt + 8 * xn;
    if (o >= xEnd || xn !== en) return false;
    if (this.scanCaps(dv, b, o, xEnd) < 0) return false;
    if (this.bytesOut !== null) this.printCallBytes(dv, b, sh, x, dv.getFloat64(e + 16, true), t0, result, argsAt, xn);
    else this.printCall(dv, b, sh, x, dv.getFloat64(e + 16, true), t0, result, argsAt, xn);
    return true;
  }

  /**
   * A CALL record at `c` (a call's entry and exit in one: records.ts): its line, as pair()
   * prints an ENTER and EXIT side by side. False: not handled (the record is split and pushed).
   */
  call(dv: DataView, b: Uint8Array, c: number): boolean {
    if (this.pending !== null || this.schema === null) return false;
    const call = dv.getUint16(c + 6, true);
    if (call >= this.schema.calls.length) return false;
    const sh = this.shape(call);
    if (!sh.shown) return true;
    if (!sh.fast) return false;
    const end = c + dv.getUint32(c, true);
    if (sh.simple && this.bytesOut !== null && this.plainLines && this.printSimple(dv, b, sh, c, end)) return true;
    let o = c + HEADER;
    const t0 = dv.getFloat64(o, true);
    const result = dv.getInt32(o + 8, true);
    const n = b[o + 13]!;
    const argsAt = o + 14;
    o = argsAt + 8 * n;
    if (o >= end) return false;
    if (++this.gen === 0xffffffff) {
      this.capGen.fill(0);
      this.gen = 1;
    }
    o = this.scanCaps(dv, b, o, end); // the entry's
    if (o < 0 || o >= end || this.scanCaps(dv, b, o, end) < 0) return false; // the exit's
    // the entry's time is its t0 (the ENTER record's header time)
    if (this.bytesOut !== null) this.printCallBytes(dv, b, sh, c, t0, t0, result, argsAt, n);
    else this.printCall(dv, b, sh, c, t0, t0, result, argsAt, n);
    return true;
  }

  /** No -T, -t, -r: a line is its prefix, the call and its result. */
  private get plainLines(): boolean {
    return this.o.timing !== true && (this.o.stamps ?? 0) === 0 && this.o.relative !== true;
  }

  /**
   * A CALL record of a `simple` shape (numbers only, the result its one capture), printed
   * as printCallBytes prints it, by a function small enough for V8 to compile early and
   * keep compiled: the commonest line of a trace (a null call, a close) in a few dozen
   * instructions. False: the record is not as expected (captures other than the result):
   * printed the general way.
   */
  private printSimple(dv: DataView, b: Uint8Array, sh: Shape, c: number, end: number): boolean {
    const n = b[c + HEADER + 13]!;
    const argsAt = c + HEADER + 14;
    let q = argsAt + 8 * n;
    if (q + 2 > end || b[q] !== 0) return false; // captures at entry
    const k = b[q + 1]!;
    q += 2;
    const rp = sh.retParam;
    let lenR = -1; // the result's capture: its length, -1 none or unreadable
    if (k === 1) {
      if (q + 10 > end || b[q] !== rp) return false;
      const len = dv.getUint32(q + 6, true);
      if (q + 10 + len !== end) return false;
      if ((b[q + 1]! & 1) === 0) lenR = len;
      q += 10;
    } else if (k !== 0 || q !== end) return false;
    const result = dv.getInt32(c + HEADER + 8, true);
    const info = sh.info;
    const st = sh.stat !== NO_STAT ? sh.stat : (sh.stat = this.statOf(info.name));
    st.calls++;
    if (info.returnsValue ? result < 0 : result !== 0) st.errors++;
    const ms = dv.getFloat64(c + 16, true) - dv.getFloat64(c + HEADER, true);
    if (!Number.isNaN(ms)) st.ms += ms;
    if (this.o.summary) return true;
    const o = this.bytesOut!;
    const pfx = this.prefix(dv.getUint32(c + 8, true), dv.getInt32(c + 12, true));
    if (pfx !== '') o.str(pfx);
    o.bytes(sh.nameOpen);
    const all = sh.all;
    const qk = sh.quickKind;
    for (let j = 0; j < all.length; j++) {
      if (j > 0) {
        o.byte(0x2c);
        o.byte(0x20);
      }
      const i = all[j]!;
      const lo = i < n ? dv.getInt32(argsAt + 8 * i, true) : 0;
      const kind = qk[j]!;
      if (kind === 1) o.int(lo);
      else if (kind === 2) o.int(lo >>> 0);
      else o.str(hexLo(lo));
    }
    if (!resultHead(o, info.returnsValue, result)) {
      if (rp < 0 || lenR < 4) o.byte(0x30);
      else {
        const v = dv.getUint32(q, true);
        if (lenR >= 8 && dv.getUint32(q + 4, true) !== 0) o.str(dv.getBigUint64(q, true).toString());
        else o.int(v);
      }
    }
    o.byte(10);
    return true;
  }

  /** The line of a call whose captures scanCaps noted; `x`: the record with its exit's header. */
  private printCall(dv: DataView, b: Uint8Array, sh: Shape, x: number, eTime: number, t0: number, result: number, argsAt: number, xn: number): void {
    const info = sh.info;
    const kinds = info.kinds;
    const verbose = this.o.verbose === true;
    let t = info.name + '(';
    const all = sh.all;
    for (let k = 0; k < all.length; k++) {
      const i = all[k]!;
      if (k > 0) t += ', ';
      const lo = i < xn ? dv.getInt32(argsAt + 8 * i, true) : 0;
      const hasCap = this.capGen[i] === this.gen;
      if (hasCap && (this.capFlags[i]! & 1) !== 0) {
        t += hexLo(lo);
        continue;
      }
      const q = sh.quick[k]!;
      if (q !== null) {
        t += q(lo);
        continue;
      }
      const f = sh.scalar[k]!;
      if (f !== null) {
        t += f(i < xn ? dv.getBigInt64(argsAt + 8 * i, true) : 0n, lo, verbose);
        continue;
      }
      if (!hasCap) {
        t += sh.pointer[k] ? hexLo(lo) : String(lo);
        continue;
      }
      const p = sh.struct[k]!;
      if (p === null) {
        t += hexLo(lo);
        continue;
      }
      const at = this.capOff[i]!;
      if (sh.iov[k]) {
        t += iovText(dv, b, at, this.capLen[i]!, this.strsize());
        continue;
      }
      const bf = sh.bytes[k]!;
      if (bf !== null) {
        const s = bf(dv, b, at, this.capLen[i]!, this.capFlags[i]!, this.capFull[i]!, verbose);
        if (s !== null) {
          t += s;
          continue;
        }
      }
      t += p({ flags: this.capFlags[i]!, full: this.capFull[i]!, data: b.subarray(at, at + this.capLen[i]!) }, this, NO_ARGS, i);
    }
    const time = dv.getFloat64(x + 16, true);
    const ms = Number.isNaN(t0) ? NaN : time - t0;
    const st = sh.stat !== NO_STAT ? sh.stat : (sh.stat = this.statOf(info.name));
    st.calls++;
    if (info.returnsValue ? result < 0 : result !== 0) st.errors++;
    if (!Number.isNaN(ms)) st.ms += ms;
    if (this.o.summary) return;
    t += ') = ';
    if (info.returnsValue) t += String(result);
    else if (result === -2) t += '? ERESTARTSYS (To be restarted if SA_RESTART is set)';
    else if (result !== 0) t += '-1 ' + N.errnoName(result) + ' (' + N.errnoText(result) + ')';
    else {
      const rp = sh.retParam;
      if (rp < 0 || this.capGen[rp] !== this.gen || (this.capFlags[rp]! & 1) !== 0 || this.capLen[rp]! < 4) t += '0';
      else {
        const at = this.capOff[rp]!;
        const v = dv.getUint32(at, true);
        if (kinds[rp] === 'ret_mode') t += octal(v);
        else if (this.capLen[rp]! >= 8) {
          const hi = dv.getUint32(at + 4, true);
          t += hi === 0 ? String(v) : dv.getBigUint64(at, true).toString();
        } else t += String(v);
      }
    }
    if (this.o.timing) t += ` <${Number.isNaN(ms) ? '?' : (ms / 1000).toFixed(6)}>`;
    this.emit(dv.getUint32(x + 8, true), dv.getInt32(x + 12, true), t, eTime);
  }

  /**
   * printCall, its line written as bytes into bytesOut (strace's own output: main.ts): the
   * same line, its pieces copied in as they are made, numbers as digits — no string per
   * line, no string of the lines to encode.
   */
  private printCallBytes(dv: DataView, b: Uint8Array, sh: Shape, x: number, eTime: number, t0: number, result: number, argsAt: number, xn: number): void {
    const info = sh.info;
    const time = dv.getFloat64(x + 16, true);
    const ms = Number.isNaN(t0) ? NaN : time - t0;
    const st = sh.stat !== NO_STAT ? sh.stat : (sh.stat = this.statOf(info.name));
    st.calls++;
    if (info.returnsValue ? result < 0 : result !== 0) st.errors++;
    if (!Number.isNaN(ms)) st.ms += ms;
    if (this.o.summary) return;
    const o = this.bytesOut!;
    const verbose = this.o.verbose === true;
    o.str(this.prefix(dv.getUint32(x + 8, true), dv.getInt32(x + 12, true)));
    o.str(this.stamp(eTime));
    o.bytes(sh.nameOpen);
    const all = sh.all;
    for (let k = 0; k < all.length; k++) {
      const i = all[k]!;
      if (k > 0) {
        o.byte(0x2c);
        o.byte(0x20);
      }
      const lo = i < xn ? dv.getInt32(argsAt + 8 * i, true) : 0;
      const hasCap = this.capGen[i] === this.gen;
      if (hasCap && (this.capFlags[i]! & 1) !== 0) {
        o.str(hexLo(lo));
        continue;
      }
      const qk = sh.quickKind[k]!;
      if (qk !== 0) {
        if (qk === 1) o.int(lo);
        else if (qk === 2) o.int(lo >>> 0);
        else o.str(hexLo(lo));
        continue;
      }
      const f = sh.scalar[k]!;
      if (f !== null) {
        o.str(f(i < xn ? dv.getBigInt64(argsAt + 8 * i, true) : 0n, lo, verbose));
        continue;
      }
      if (!hasCap) {
        if (sh.pointer[k]) o.str(hexLo(lo));
        else o.int(lo);
        continue;
      }
      const p = sh.struct[k]!;
      if (p === null) {
        o.str(hexLo(lo));
        continue;
      }
      const at = this.capOff[i]!;
      if (sh.iov[k]) {
        iovBytes(o, dv, b, at, this.capLen[i]!, this.strsize());
        continue;
      }
      const sk = sh.stat2[k]!;
      if (sk !== 0 && !verbose) {
        // stat (1) and filestat (2), not verbose: as BYTES prints them, straight into o
        const len = this.capLen[i]!;
        if (len < (sk === 1 ? 72 : 64)) o.str('{...}');
        else {
          if (sk === 1) {
            o.str('{st_mode=');
            o.str(modeText(dv.getUint32(at + 20, true)));
            o.str(', st_size=');
          } else {
            o.str('{filetype=');
            o.str(N.named(N.FILETYPES, dv.getUint8(at + 16)));
            o.str(', size=');
          }
          const hi = dv.getUint32(at + 36, true);
          if (hi === 0) o.int(dv.getUint32(at + 32, true));
          else o.str(dv.getBigUint64(at + 32, true).toString());
          o.str(', ...}');
        }
        continue;
      }
      const qb = sh.quoted[k]!;
      if (qb !== 0) {
        const len = this.capLen[i]!;
        quoteBytes(o, b, at, at + len, qb === 1 ? (this.capFlags[i]! & 2) !== 0 : this.capFull[i]! > len);
        continue;
      }
      const bf = sh.bytes[k]!;
      if (bf !== null) {
        const s = bf(dv, b, at, this.capLen[i]!, this.capFlags[i]!, this.capFull[i]!, verbose);
        if (s !== null) {
          o.str(s);
          continue;
        }
      }
      o.str(p({ flags: this.capFlags[i]!, full: this.capFull[i]!, data: b.subarray(at, at + this.capLen[i]!) }, this, NO_ARGS, i));
    }
    if (!resultHead(o, info.returnsValue, result)) {
      const rp = sh.retParam;
      if (rp < 0 || this.capGen[rp] !== this.gen || (this.capFlags[rp]! & 1) !== 0 || this.capLen[rp]! < 4) o.byte(0x30);
      else {
        const at = this.capOff[rp]!;
        const v = dv.getUint32(at, true);
        if (info.kinds[rp] === 'ret_mode') o.str(octal(v));
        else if (this.capLen[rp]! >= 8) {
          const hi = dv.getUint32(at + 4, true);
          if (hi === 0) o.int(v);
          else o.str(dv.getBigUint64(at, true).toString());
        } else o.int(v);
      }
    }
    if (this.o.timing) o.str(` <${Number.isNaN(ms) ? '?' : (ms / 1000).toFixed(6)}>`);
    o.byte(10);
  }

  // ---- one call ----

  private hasOutputs(call: number): boolean {
    return this.shape(call).after.length > 0;
  }

  /**
   * A call's printing plan, worked out once: the params printed from its entry (up to the
   * first output) and from its exit, hidden lengths and ret_* results left out.
   */
  private shape(call: number): Shape {
    const sh = this.shapes[call];
    return sh !== undefined && sh !== null ? sh : this.makeShape(call);
  }

  private makeShape(call: number): Shape {
    let sh: Shape;
    const info = this.info(call);
    const first = info.kinds.findIndex((k) => OUT_KINDS.has(k));
    const split = first < 0 ? info.kinds.length : first;
    const shown = (i: number): boolean => info.kinds[i] !== 'hidden' && !info.kinds[i]!.startsWith('ret_');
    const idx = info.kinds.map((_, i) => i).filter(shown);
    const before = idx.filter((i) => i < split);
    const after = idx.filter((i) => i >= split);
    const custom = CUSTOM[info.name] ?? null;
    sh = {
      info, before, after, custom, all: [...before, ...after],
      fast: custom === null && !info.kinds.includes('sockaddr') && info.kinds.length <= MAX_FAST_PARAMS,
      retParam: info.kinds.findIndex((k) => k.startsWith('ret_')), shown: this.shown(info.name), stat: NO_STAT, simple: false,
      quick: [], scalar: [], struct: [], pointer: [], iov: [], bytes: [],
      nameOpen: ASCII.encode(info.name + '('), quickKind: [], quoted: [], stat2: [],
    };
    for (const i of sh.all) {
      const kind = info.kinds[i]!;
      const sc = SCALARS[kind];
      sh.scalar.push(sc ?? null);
      sh.quick.push(sc !== undefined ? QUICK[kind] ?? null : null);
      sh.struct.push(STRUCTS[kind] ?? null);
      sh.pointer.push(OUT_KINDS.has(kind) || Object.hasOwn(STRUCTS, kind));
      sh.iov.push(kind === 'iov' || kind === 'oiov');
      sh.bytes.push(BYTES[kind] ?? null);
      sh.quickKind.push(sc !== undefined ? QUICK_KIND[kind] ?? 0 : 0);
      sh.quoted.push(kind === 'path' ? 1 : BYTES[kind] === quoteCut ? 2 : 0);
      sh.stat2.push(kind === 'ostat' ? 1 : kind === 'ofilestat' ? 2 : 0);
    }
    const rk = sh.retParam >= 0 ? info.kinds[sh.retParam]! : '';
    sh.simple = sh.fast && sh.quickKind.every((q) => q !== 0) && (rk === '' || rk === 'ret_fd' || rk === 'ret_size' || rk === 'ret_u32' ||
      rk === 'ret_pid' || rk === 'ret_u64') && info.kinds.every((k, i) => i === sh!.retParam || SCALARS[k] !== undefined);
    if (call < this.shapes.length) this.shapes[call] = sh;
    return sh;
  }

  private enterText(e: Enter): string {
    const { info, before, after, custom } = this.shape(e.call);
    if (custom) return `${info.name}(${custom(this, info, e.args, e.caps).join(', ')}`;
    let t = `${info.name}(`;
    for (let k = 0; k < before.length; k++) t += (k > 0 ? ', ' : '') + this.arg(info, before[k]!, e.args, e.caps);
    return t + (after.length > 0 && before.length > 0 ? ', ' : '');
  }

  private exitText(e: Enter | null, x: Exit): string {
    const { info, after, custom } = this.shape(x.call);
    if (custom) return ')';
    const caps = merged(e, x);
    let t = '';
    for (let k = 0; k < after.length; k++) t += (k > 0 ? ', ' : '') + this.arg(info, after[k]!, x.args, caps);
    return t + ')';
  }

  private fullText(e: Enter, x: Exit): string {
    const { info, before, after, custom } = this.shape(e.call);
    if (custom) return `${info.name}(${custom(this, info, e.args, e.caps).join(', ')})`;
    const caps = merged(e, x);
    let t = `${info.name}(`;
    let n = 0;
    for (const i of before) t += (n++ > 0 ? ', ' : '') + this.arg(info, i, x.args, caps);
    for (const i of after) t += (n++ > 0 ? ', ' : '') + this.arg(info, i, x.args, caps);
    return t + ')';
  }

  private retText(info: CallInfo, x: Exit): string {
    if (info.returnsValue) return String(x.result);
    if (x.result === -2) return '? ERESTARTSYS (To be restarted if SA_RESTART is set)';
    if (x.result !== 0) return `-1 ${N.errnoName(x.result)} (${N.errnoText(x.result)})`;
    const rp = info.kinds.findIndex((k) => k.startsWith('ret_'));
    if (rp < 0) return '0';
    const c = x.caps.get(rp);
    if (!c || c.flags & 1 || c.data.length < 4) return '0';
    const dv = view(c.data);
    if (info.kinds[rp] === 'ret_mode') return octal(dv.getUint32(0, true));
    return c.data.length >= 8 ? dv.getBigUint64(0, true).toString() : String(dv.getUint32(0, true));
  }

  // ---- arguments ----

  get verbose(): boolean {
    return this.o.verbose === true;
  }

  strsize(): number {
    return this.schema?.strsize ?? 32;
  }

  arg(info: CallInfo, i: number, args: bigint[], caps: Map<number, Capture>): string {
    const kind = info.kinds[i]!;
    const v = args[i] ?? 0n;
    const n = Number(BigInt.asIntN(32, v));
    const c = caps.get(i);
    if (c && c.flags & 1) return hex(v); // a bad pointer: the call fails with EFAULT
    const f = SCALARS[kind];
    if (f) return f(v, n, this.o.verbose === true);
    if (!c) return OUT_KINDS.has(kind) || Object.hasOwn(STRUCTS, kind) ? hex(v) : String(n); // a pointer not read
    const p = STRUCTS[kind];
    return p ? p(c, this, args, i) : hex(v);
  }
}

function merged(e: Enter | null, x: Exit | null): Map<number, Capture> {
  if (e === null || e.caps.size === 0) return x ? x.caps : new Map();
  if (x === null || x.caps.size === 0) return e.caps;
  const m = new Map<number, Capture>();
  if (e) for (const [k, v] of e.caps) m.set(k, v);
  if (x) for (const [k, v] of x.caps) m.set(k, v);
  return m;
}

/** Params written by the call: printed from its exit. */
const OUT_KINDS = new Set([
  'obuf', 'oiov', 'ofdstat', 'ofilestat', 'oprestat', 'ostat', 'osigact', 'osigset', 'orlimit', 'oitimer', 'ofds',
  'owstatus', 'ouname', 'ostatvfs', 'oids', 'ou32', 'ou64', 'oevents', 'olink', 'odirents', 'ocwd',
]);

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * A capture printed from the bytes (len bytes at `at` in b; dv views b), as STRUCTS prints
 * it from a Capture but with no object, view or bigint made: the kinds of the calls made
 * most. Null: not this time (-v), STRUCTS prints it.
 */
type BytesFmt = (dv: DataView, b: Uint8Array, at: number, len: number, flags: number, full: number, verbose: boolean) => string | null;
const quoteCut: BytesFmt = (_dv, b, at, len, _flags, full) => quoteRange(b, at, at + len, full > len);
const BYTES: Readonly<Record<string, BytesFmt>> = {
  path: (_dv, b, at, len, flags) => quoteRange(b, at, at + len, (flags & 2) !== 0),
  str: quoteCut, buf: quoteCut, obuf: quoteCut, olink: quoteCut, orecv: quoteCut,
  ostat: (dv, _b, at, len, _flags, _full, verbose) => {
    if (len < 72) return '{...}';
    if (verbose) return null;
    return '{st_mode=' + modeText(dv.getUint32(at + 20, true)) + ', st_size=' + u64Text(dv, at + 32) + ', ...}';
  },
  ofilestat: (dv, _b, at, len, _flags, _full, verbose) => {
    if (len < 64) return '{...}';
    if (verbose) return null;
    return '{filetype=' + N.named(N.FILETYPES, dv.getUint8(at + 16)) + ', size=' + u64Text(dv, at + 32) + ', ...}';
  },
};

/** A mode as strace prints it: 022, 0644. */
function octal(n: number): string {
  return '0' + (n >>> 0).toString(8).padStart(2, '0');
}

/** The record header's size (records.ts). */
const HEADER = 24;
/** Params per call the pair path keeps captures for (u8 param numbers: all). */
const MAX_FAST_PARAMS = 256;
const NO_ARGS: bigint[] = [];
/** A Shape's -c row before its first call (never counted into: replaced by the real one). */
const NO_STAT: Stat = { calls: 0, errors: 0, ms: 0 };

const ASCII = new TextEncoder();
/** QUICK's kinds for printCallBytes: 1 signed decimal, 2 unsigned, 3 hex (hexLo). */
const QUICK_KIND: Readonly<Record<string, number>> = {
  int: 1, fd: 1, pid: 1, exitcode: 1, len: 2, uint: 2, seconds: 2, pages: 2, hex: 3, ptr: 3,
};

/** hex() of an argument's low 32 bits (all hex() looks at). */
function hexLo(lo: number): string {
  return lo === 0 ? 'NULL' : '0x' + (lo >>> 0).toString(16);
}

export function hex(v: bigint | number): string {
  const n = BigInt.asUintN(32, BigInt(v));
  return n === 0n ? 'NULL' : '0x' + n.toString(16);
}

/**
 * Per byte, how strace writes it in a string: itself, a C escape, or octal — short (`\1`),
 * or with three digits (`\001`) when an octal digit follows (OCT3).
 */
const BYTE_TEXT: string[] = [];
const OCT3: string[] = [];
const C_ESCAPES: Readonly<Record<number, string>> = { 0x22: '\\"', 0x5c: '\\\\', 0x0a: '\\n', 0x09: '\\t', 0x0d: '\\r', 0x0b: '\\v', 0x0c: '\\f' };
for (let c = 0; c < 256; c++) {
  const special = C_ESCAPES;
  const t = special[c] ?? (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '\\' + c.toString(8));
  BYTE_TEXT.push(t);
  OCT3.push(t.length > 1 && special[c] === undefined ? '\\' + c.toString(8).padStart(3, '0') : t);
}

/** Bytes as a C string literal, as strace quotes them (octal escapes). */
export function quote(b: Uint8Array, cut: boolean): string {
  return quoteRange(b, 0, b.length, cut);
}

/** BYTE_TEXT and OCT3 as bytes: byte c's text at [c * 4, c * 4 + its length). */
const BYTE_B = new Uint8Array(256 * 4);
const BYTE_N = new Uint8Array(256);
const OCT3_B = new Uint8Array(256 * 4);
const OCT3_N = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  for (const [text, into, lens] of [[BYTE_TEXT[c]!, BYTE_B, BYTE_N], [OCT3[c]!, OCT3_B, OCT3_N]] as const) {
    lens[c] = text.length;
    for (let k = 0; k < text.length; k++) into[c * 4 + k] = text.charCodeAt(k);
  }
}

/** quoteRange, written into `o` as bytes. */
function quoteBytes(o: LineBytes, b: Uint8Array, start: number, end: number, cut: boolean): void {
  o.room(2 + 4 * (end - start) + 3);
  const out = o.buf;
  let n = o.n;
  out[n++] = 0x22;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    const next = i + 1 < end ? b[i + 1]! : -1;
    if (next >= 0x30 && next <= 0x37) {
      const k = OCT3_N[c]!;
      for (let j = 0; j < k; j++) out[n++] = OCT3_B[c * 4 + j]!;
    } else {
      const k = BYTE_N[c]!;
      for (let j = 0; j < k; j++) out[n++] = BYTE_B[c * 4 + j]!;
    }
  }
  out[n++] = 0x22;
  if (cut) {
    out[n++] = 0x2e;
    out[n++] = 0x2e;
    out[n++] = 0x2e;
  }
  o.n = n;
}

/** quote() of b[start, end). */
function quoteRange(b: Uint8Array, start: number, n: number, cut: boolean): string {
  let s = '"';
  for (let i = start; i < n; i++) {
    const c = b[i]!;
    const next = i + 1 < n ? b[i + 1]! : -1;
    s += next >= 0x30 && next <= 0x37 ? OCT3[c]! : BYTE_TEXT[c]!;
  }
  return s + '"' + (cut ? '...' : '');
}

function cstr(b: Uint8Array): string {
  const z = b.indexOf(0);
  return quote(z >= 0 ? b.subarray(0, z) : b, false);
}

type Scalar = (v: bigint, n: number, verbose: boolean) => string;
const u32 = (n: number): string => String(n >>> 0);
/** Scalars printed from their low 32 bits alone, as SCALARS prints them: no bigint. */
const QUICK: Record<string, (n: number) => string> = {
  int: String, fd: String, pid: String, exitcode: String, len: u32, uint: u32, seconds: u32, pages: u32,
  hex: hexLo, ptr: hexLo,
};
const SCALARS: Record<string, Scalar> = {
  int: (_v, n) => String(n), fd: (_v, n) => String(n), len: (_v, n) => u32(n), pid: (_v, n) => String(n),
  uint: (_v, n) => u32(n), seconds: (_v, n) => u32(n), pages: (_v, n) => u32(n), exitcode: (_v, n) => String(n),
  hex: (v) => hex(v), ptr: (v) => hex(v),
  i64: (v) => BigInt.asIntN(64, v).toString(), u64: (v) => BigInt.asUintN(64, v).toString(),
  cookie: (v) => BigInt.asUintN(64, v).toString(), ns: (v) => BigInt.asUintN(64, v).toString(),
  timestamp: (v) => BigInt.asUintN(64, v).toString(),
  oflags: (v) => N.flags(N.OFLAGS, v), fdflags: (v) => N.flags(N.FDFLAGS, v),
  rights: (v, _n, verbose) => (verbose ? N.flags(N.RIGHTS, v) : '0x' + BigInt.asUintN(64, v).toString(16)),
  lookupflags: (v) => N.flags(N.LOOKUPFLAGS, v), fstflags: (v) => N.flags(N.FSTFLAGS, v),
  whence: (_v, n) => N.named(N.WHENCE, n), clockid: (_v, n) => N.named(N.CLOCKS, n), advice: (_v, n) => N.named(N.ADVICE, n),
  signal: (_v, n) => (n === 0 ? '0' : N.signalName(n)), wasi_signal: (_v, n) => N.named(N.WASI_SIGNALS, n),
  waitopts: (v) => N.flags(N.WAITOPTS, v), sighow: (_v, n) => N.named(N.SIGHOW, n),
  mode: (_v, n) => octal(n), resource: (_v, n) => N.named(N.RLIMITS, n),
  itimer: (_v, n) => N.named(N.ITIMERS, n), pipeflags: (v) => N.flags(N.PIPEFLAGS, v), dupflags: (v) => N.flags(N.DUPFLAGS, v),
  atflags: (v) => N.flags(N.ATFLAGS, v), sdflags: (_v, n) => (n === 3 ? 'SHUT_RDWR' : N.flags(N.SDFLAGS, n)),
  riflags: (v) => N.flags(N.RIFLAGS, v), siflags: (v) => BigInt.asUintN(32, v).toString(), fdcloexec: (v) => N.flags(N.FDCLOEXEC, v),
  traceflags: (v) => N.flags(N.TRACE_FLAGS, v),
  sockdomain: (_v, n) => N.named(N.AF, n),
  socktype: (v) => {
    const n = Number(BigInt.asUintN(32, v));
    const t = N.named(N.SOCK_TYPES, n & 0xff);
    const f = N.flags(N.SOCK_FLAGS, n & ~0xff);
    return f === '0' ? t : `${t}|${f}`;
  },
  sockflags: (v) => N.flags(N.SOCK_FLAGS, v),
  msgflags: (v) => N.flags(N.MSG_FLAGS, v),
  onoff: (_v, n) => String(n),
  socklevel: (_v, n) => (n === 0x7fffffff ? 'SOL_SOCKET' : n === 6 ? 'IPPROTO_TCP' : n === 41 ? 'IPPROTO_IPV6' : String(n)),
};

type StructFmt = (c: Capture, f: Formatter, args: bigint[], i: number) => string;

function u64s(c: Capture, count: number): bigint[] {
  const dv = view(c.data);
  const out: bigint[] = [];
  for (let k = 0; k < count && k * 8 + 8 <= c.data.length; k++) out.push(dv.getBigUint64(k * 8, true));
  return out;
}

const rlim = (v: bigint): string => (v >= 0xffffffffffffffffn ? 'RLIM_INFINITY' : v.toString());

function iovs(c: Capture, f: Formatter): string {
  return iovText(view(c.data), c.data, 0, c.data.length, f.strsize());
}

/** An iovec capture (its `len` bytes at `at` in b; dv views b) as strace prints the array. */
function iovText(dv: DataView, b: Uint8Array, at: number, len: number, strsize: number): string {
  if (len < 4) return '[]';
  const count = dv.getUint32(at, true);
  const end = at + len;
  let o = at + 4;
  let t = '[';
  let parts = 0;
  while (o + 8 <= end) {
    const iovLen = dv.getUint32(o, true);
    const n = dv.getUint32(o + 4, true);
    const data = o + 8;
    o += 8 + n;
    // what was moved into/out of this iovec, if less than its length, was cut at the string size
    const cut = n >= strsize && n < iovLen;
    t += (parts++ > 0 ? ', {iov_base=' : '{iov_base=') + quoteRange(b, data, Math.min(data + n, end), cut) + ', iov_len=' + iovLen + '}';
  }
  if (parts < count) t += parts > 0 ? ', ...' : '...';
  return t + ']';
}

/** iovText, written into `o` as bytes. */
function iovBytes(o: LineBytes, dv: DataView, b: Uint8Array, at: number, len: number, strsize: number): void {
  if (len < 4) {
    o.str('[]');
    return;
  }
  const count = dv.getUint32(at, true);
  const end = at + len;
  let p = at + 4;
  let parts = 0;
  o.byte(0x5b);
  while (p + 8 <= end) {
    const iovLen = dv.getUint32(p, true);
    const n = dv.getUint32(p + 4, true);
    const data = p + 8;
    p += 8 + n;
    o.str(parts++ > 0 ? ', {iov_base=' : '{iov_base=');
    quoteBytes(o, b, data, Math.min(data + n, end), n >= strsize && n < iovLen);
    o.str(', iov_len=');
    o.int(iovLen);
    o.byte(0x7d);
  }
  if (parts < count) o.str(parts > 0 ? ', ...' : '...');
  o.byte(0x5d);
}

/** st_mode as strace prints it (S_IFREG|0644), worked out once per mode. */
const MODE_TEXT = new Map<number, string>();
function modeText(mode: number): string {
  let m = MODE_TEXT.get(mode);
  if (m === undefined) {
    const t = N.S_IF.find(([bits]) => (mode & 0xf000) === bits);
    m = `${t ? t[1] + '|' : ''}0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
    if (MODE_TEXT.size < 4096) MODE_TEXT.set(mode, m);
  }
  return m;
}

/** A u64 at `at` in decimal (no bigint below 2^32). */
function u64Text(dv: DataView, at: number): string {
  const hi = dv.getUint32(at + 4, true);
  return hi === 0 ? String(dv.getUint32(at, true)) : dv.getBigUint64(at, true).toString();
}

function stamp(ns: bigint): string {
  return ns.toString();
}

const STRUCTS: Record<string, StructFmt> = {
  path: (c) => quote(c.data, (c.flags & 2) !== 0),
  str: (c) => quote(c.data, c.full > c.data.length),
  buf: (c) => quote(c.data, c.full > c.data.length),
  obuf: (c) => quote(c.data, c.full > c.data.length),
  ocwd: (c) => cstr(c.data),
  olink: (c) => quote(c.data, c.full > c.data.length),
  orecv: (c) => quote(c.data, c.full > c.data.length),
  sockaddr: (c, _f, args, i) => (args[i] === 0n ? 'NULL' : sockaddr(c.data)),
  iov: (c, f) => iovs(c, f),
  oiov: (c, f) => iovs(c, f),
  odirents: (c) => {
    const dv = view(c.data);
    let n = 0;
    for (let o = 0; o + 24 <= c.data.length; o += 24 + dv.getUint32(o + 16, true)) n++;
    return `/* ${n}${c.full > c.data.length ? '+' : ''} entries */`;
  },
  ofdstat: (c, f) => {
    const dv = view(c.data);
    if (c.data.length < 24) return '{...}';
    const v = f.verbose;
    const r = (x: bigint): string => (v ? N.flags(N.RIGHTS, x) : '0x' + x.toString(16));
    return `{fs_filetype=${N.named(N.FILETYPES, dv.getUint8(0))}, fs_flags=${N.flags(N.FDFLAGS, dv.getUint16(2, true))}, ` +
      `fs_rights_base=${r(dv.getBigUint64(8, true))}, fs_rights_inheriting=${r(dv.getBigUint64(16, true))}}`;
  },
  ofilestat: (c, f) => {
    const dv = view(c.data);
    if (c.data.length < 64) return '{...}';
    const type = N.named(N.FILETYPES, dv.getUint8(16));
    const size = dv.getBigUint64(32, true);
    if (!f.verbose) return `{filetype=${type}, size=${size}, ...}`;
    return `{dev=${dv.getBigUint64(0, true)}, ino=${dv.getBigUint64(8, true)}, filetype=${type}, nlink=${dv.getBigUint64(24, true)}, ` +
      `size=${size}, atim=${stamp(dv.getBigUint64(40, true))}, mtim=${stamp(dv.getBigUint64(48, true))}, ctim=${stamp(dv.getBigUint64(56, true))}}`;
  },
  oprestat: (c) => {
    const dv = view(c.data);
    if (c.data.length < 8) return '{...}';
    return `{tag=${dv.getUint8(0) === 0 ? 'PREOPENTYPE_DIR' : dv.getUint8(0)}, u={pr_name_len=${dv.getUint32(4, true)}}}`;
  },
  ostat: (c, f) => {
    if (c.data.length < 72) return '{...}';
    const dv = view(c.data);
    const m = modeText(dv.getUint32(20, true));
    if (!f.verbose) return '{st_mode=' + m + ', st_size=' + u64Text(dv, 32) + ', ...}';
    const size = dv.getBigUint64(32, true);
    return `{st_dev=${dv.getBigUint64(0, true)}, st_ino=${dv.getBigUint64(8, true)}, st_mode=${m}, st_nlink=${dv.getBigUint64(24, true)}, ` +
      `st_uid=${dv.getUint32(64, true)}, st_gid=${dv.getUint32(68, true)}, st_size=${size}, st_atim=${stamp(dv.getBigUint64(40, true))}, ` +
      `st_mtim=${stamp(dv.getBigUint64(48, true))}, st_ctim=${stamp(dv.getBigUint64(56, true))}}`;
  },
  sigact: (c) => sigaction(c),
  osigact: (c) => sigaction(c),
  sigset: (c) => (c.data.length >= 4 ? N.sigset(view(c.data).getUint32(0, true)) : '[]'),
  osigset: (c) => (c.data.length >= 4 ? N.sigset(view(c.data).getUint32(0, true)) : '[]'),
  rlimit: (c) => {
    const [cur, max] = u64s(c, 2);
    return cur === undefined || max === undefined ? '{...}' : `{rlim_cur=${rlim(cur)}, rlim_max=${rlim(max)}}`;
  },
  orlimit: (c) => {
    const [cur, max] = u64s(c, 2);
    return cur === undefined || max === undefined ? '{...}' : `{rlim_cur=${rlim(cur)}, rlim_max=${rlim(max)}}`;
  },
  oitimer: (c) => {
    const [v, i] = u64s(c, 2);
    return v === undefined || i === undefined ? '{...}' : `{it_value=${v}, it_interval=${i}}`;
  },
  ofds: (c) => {
    const dv = view(c.data);
    return c.data.length >= 8 ? `[${dv.getUint32(0, true)}, ${dv.getUint32(4, true)}]` : '[...]';
  },
  owstatus: (c) => (c.data.length >= 4 ? `[${wstatus(view(c.data).getUint32(0, true))}]` : '[...]'),
  ouname: (c) => {
    const names = ['sysname', 'nodename', 'release', 'version', 'machine', 'domainname'];
    return `{${names.map((n, k) => `${n}=${cstr(c.data.subarray(k * 65, k * 65 + 65))}`).join(', ')}}`;
  },
  ostatvfs: (c) => {
    const v = u64s(c, 11);
    if (v.length < 11) return '{...}';
    return `{f_bsize=${v[0]}, f_frsize=${v[1]}, f_blocks=${v[2]}, f_bfree=${v[3]}, f_bavail=${v[4]}, f_files=${v[5]}, ` +
      `f_ffree=${v[6]}, f_favail=${v[7]}, f_fsid=${v[8]}, f_flag=${v[9] === 1n ? 'ST_RDONLY' : v[9]}, f_namemax=${v[10]}}`;
  },
  oids: (c) => {
    const dv = view(c.data);
    return c.data.length >= 16 ? `{uid=${dv.getUint32(0, true)}, euid=${dv.getUint32(4, true)}, gid=${dv.getUint32(8, true)}, egid=${dv.getUint32(12, true)}}` : '{...}';
  },
  ou32: (c) => (c.data.length >= 4 ? `[${view(c.data).getUint32(0, true)}]` : '[...]'),
  ou64: (c) => (c.data.length >= 8 ? `[${view(c.data).getBigUint64(0, true)}]` : '[...]'),
  subs: (c) => {
    const dv = view(c.data);
    const parts: string[] = [];
    for (let o = 0; o + 48 <= c.data.length; o += 48) {
      const ud = dv.getBigUint64(o, true);
      const tag = dv.getUint8(o + 8);
      if (tag === 0) {
        const id = dv.getUint32(o + 16, true);
        const flags = dv.getUint16(o + 40, true);
        parts.push(`{userdata=${ud}, type=${N.EVENTTYPES[0]}, clock_id=${N.named(N.CLOCKS, id)}, timeout=${dv.getBigUint64(o + 24, true)}, ` +
          `precision=${dv.getBigUint64(o + 32, true)}, flags=${N.flags(N.SUBCLOCKFLAGS, flags)}}`);
      } else parts.push(`{userdata=${ud}, type=${N.named(N.EVENTTYPES, tag)}, fd=${dv.getUint32(o + 16, true)}}`);
    }
    if (c.full > c.data.length) parts.push('...');
    return `[${parts.join(', ')}]`;
  },
  oevents: (c) => {
    const dv = view(c.data);
    const parts: string[] = [];
    for (let o = 0; o + 32 <= c.data.length; o += 32) {
      const err = dv.getUint16(o + 8, true);
      const type = dv.getUint8(o + 10);
      let s = `{userdata=${dv.getBigUint64(o, true)}, error=${err === 0 ? 0 : N.errnoName(err)}, type=${N.named(N.EVENTTYPES, type)}`;
      if (type !== 0) s += `, nbytes=${dv.getBigUint64(o + 16, true)}, flags=${N.flags(N.EVENTRWFLAGS, dv.getUint16(o + 24, true))}`;
      parts.push(s + '}');
    }
    if (c.full > c.data.length) parts.push('...');
    return `[${parts.join(', ')}]`;
  },
};

/** A struct sockaddr as strace prints it (wasi-libc's layout: src/kernel/net/addr.ts). */
function sockaddr(b: Uint8Array): string {
  if (b.length < 2) return '{...}';
  const dv = view(b);
  const af = dv.getUint16(0, true);
  const fam = N.named(N.AF, af);
  if (af === 1 && b.length >= 8) {
    return `{sa_family=${fam}, sin_port=htons(${dv.getUint16(2, false)}), sin_addr=inet_addr("${b[4]}.${b[5]}.${b[6]}.${b[7]}")}`;
  }
  if (af === 2 && b.length >= 24) {
    const g: string[] = [];
    for (let k = 8; k < 24; k += 2) g.push(dv.getUint16(k, false).toString(16));
    return `{sa_family=${fam}, sin6_port=htons(${dv.getUint16(2, false)}), sin6_addr=${g.join(':')}}`;
  }
  if (af === 3) {
    const path = b.subarray(2);
    return `{sa_family=${fam}, sun_path=${path[0] === 0 ? '@' + cstr(path.subarray(1)) : cstr(path)}}`;
  }
  return `{sa_family=${fam}, ...}`;
}

function sigaction(c: Capture): string {
  if (c.data.length < 12) return '{...}';
  const dv = view(c.data);
  const d = dv.getUint32(0, true);
  return `{sa_handler=${N.named(N.DISPOSITIONS, d)}, sa_mask=${N.sigset(dv.getUint32(4, true))}, sa_flags=${N.flags(N.SA_FLAGS, dv.getUint32(8, true))}}`;
}

/** A wait status as strace shows wait4's. */
export function wstatus(s: number): string {
  if (s === 0xffff) return '{WIFCONTINUED(s)}';
  if ((s & 0xff) === 0x7f) return `{WIFSTOPPED(s) && WSTOPSIG(s) == ${N.signalName((s >> 8) & 0xff)}}`;
  if ((s & 0x7f) !== 0) return `{WIFSIGNALED(s) && WTERMSIG(s) == ${N.signalName(s & 0x7f)}${s & 0x80 ? ' && WCOREDUMP(s)' : ''}}`;
  return `{WIFEXITED(s) && WEXITSTATUS(s) == ${(s >> 8) & 0xff}}`;
}

type Custom = (f: Formatter, info: CallInfo, args: bigint[], caps: Map<number, Capture>) => string[];

/** Calls printed their own way: all from the entry (their outputs are their return value). */
const CUSTOM: Record<string, Custom> = {
  // path_open(dirfd, "path", O_RDONLY|O_CREAT..., ...): open(2)'s flags from WASI's oflags,
  // fdflags, lookup flags and rights; the rights themselves with -v.
  path_open: (f, info, args, caps) => {
    const rights = BigInt.asUintN(64, args[5]!);
    const read = (rights & BigInt(N.RIGHT_READ)) !== 0n;
    const write = (rights & BigInt(N.RIGHT_WRITE)) !== 0n;
    const acc = read && write ? 'O_RDWR' : write ? 'O_WRONLY' : 'O_RDONLY';
    const fl = [acc];
    const of = N.flags(N.OFLAGS, args[4]!);
    if (of !== '0') fl.push(of);
    const ff = N.flags(N.FDFLAGS_O, args[7]!);
    if (ff !== '0') fl.push(ff);
    if ((Number(args[1]!) & 1) === 0) fl.push('O_NOFOLLOW');
    const out = [f.arg(info, 0, args, caps), f.arg(info, 2, args, caps), fl.join('|')];
    const verbose = f.verbose;
    out.push(verbose ? `${N.flags(N.RIGHTS, args[5]!)}, ${N.flags(N.RIGHTS, args[6]!)}` : '...');
    return out;
  },
  // spawn("path", ["argv"...], {flags, ...}): the request's program and arguments.
  spawn: (_f, _info, args, caps) => {
    const c = caps.get(0);
    if (!c || c.flags & 1 || c.data.length < 64 + 8) return [hex(args[0]!)];
    const dv = view(c.data);
    const pl = dv.getUint32(64, true);
    const path = c.data.subarray(68, 68 + pl);
    const al = dv.getUint32(68 + pl, true);
    const argv = c.data.subarray(72 + pl, 72 + pl + al);
    const words: string[] = [];
    let s = 0;
    for (let k = 0; k < argv.length; k++) {
      if (argv[k] !== 0) continue;
      words.push(quote(argv.subarray(s, k), false));
      s = k + 1;
    }
    if (s < argv.length) words.push(quote(argv.subarray(s), true));
    const flags = dv.getUint32(32, true);
    const nact = dv.getUint32(28, true);
    const envLen = dv.getUint32(20, true);
    const extra = [`flags=${N.flags(N.SPAWN_FLAGS, flags)}`];
    if (nact > 0) extra.push(`actions=${nact}`);
    return [quote(path, false), `[${words.join(', ')}]`, `0x${dv.getUint32(16, true).toString(16)} /* ${envLen} bytes */`, `{${extra.join(', ')}}`];
  },
};

/** strace -c's table. */
export function summaryTable(stats: Map<string, { calls: number; errors: number; ms: number }>): string {
  const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms || b[1].calls - a[1].calls || (a[0] < b[0] ? -1 : 1));
  let totalMs = 0;
  let calls = 0;
  let errors = 0;
  for (const [, s] of rows) {
    totalMs += s.ms;
    calls += s.calls;
    errors += s.errors;
  }
  const dash = '------ ----------- ----------- --------- --------- ----------------';
  const line = (pct: number, ms: number, n: number, err: number, name: string): string =>
    `${pct.toFixed(2).padStart(6)} ${(ms / 1000).toFixed(6).padStart(11)} ${String(n > 0 ? Math.round((ms * 1000) / n) : 0).padStart(11)} ` +
    `${String(n).padStart(9)} ${(err > 0 ? String(err) : '').padStart(9)} ${name}`;
  const out = ['% time     seconds  usecs/call     calls    errors syscall', dash];
  for (const [name, s] of rows) out.push(line(totalMs > 0 ? (100 * s.ms) / totalMs : 0, s.ms, s.calls, s.errors, name));
  out.push(dash, line(100, totalMs, calls, errors, 'total'));
  return out.join('\n') + '\n';
}

/**
 * -e trace=SPEC: a filter by name. SPEC is names and classes (%file or file, desc,
 * process, signal, network, memory, clock, creds, ipc), comma-separated; `all`, `none`;
 * a leading `!` inverts. Unknown names are an error (as strace's), checked against `known`
 * once the schema is there (see Formatter.classMembers).
 */
export function traceFilter(spec: string, members: (cls: string) => Set<string> | null, known: () => string[]): (name: string) => boolean {
  let s = spec.startsWith('trace=') ? spec.slice(6) : spec;
  const negate = s.startsWith('!');
  if (negate) s = s.slice(1);
  const items = s.split(',').filter(Boolean);
  let set: Set<string> | null = null;
  let all = false;
  const build = (): Set<string> => {
    const out = new Set<string>();
    const names = new Set(known());
    for (const it of items) {
      if (it === 'all') {
        all = true;
        continue;
      }
      if (it === 'none') continue;
      const cls = it.startsWith('%') ? it.slice(1) : it;
      const m = members(cls);
      if (m && (it.startsWith('%') || !names.has(it))) {
        for (const n of m) out.add(n);
        continue;
      }
      if (!names.has(it)) throw new Error(`invalid system call '${it}'`);
      out.add(it);
    }
    return out;
  };
  return (name: string) => {
    set ??= build();
    const hit = all || set.has(name);
    return negate ? !hit : hit;
  };
}
