// Per-process accounting: what ps, top, iotop and /proc/PID/* show.
//
// Cost is the design constraint: a null syscall costs ~20 ns and a clock read ~55-65 ns, so
// no clock is read on an ordinary call, and nothing per process is touched either (a typed
// array's element costs a few ns here): each import wrapper counts its calls in a field of
// its own (CallSlot), and Cpu.leave adds them to the process that ran (flushCalls) — the
// calls of one slice on the CPU are all one process's. A wrapper's slow path, at a slice's
// first call of that name and at random points within a slice (so a loop of calls cannot
// alias with it), decides which calls to time (sliceCall): two performance.now() reads
// around the handler. The points are about one every SAMPLE_NS of the name's time
// (sampleEvery: every ~2,000 null calls, every call of a slow one): a timed call costs
// ~0.25 µs, which at one in 256 null calls made a nanosecond a call.
// So counts are exact and time by name is an estimate: the first EXACT_CALLS calls of each
// name are timed (a name called that few times is measured exactly), the first kept apart
// (cold code: it must not stand for the others), and the rest of the calls are estimated by
// the mean of the timed ones after the first (a ratio estimator), each sample capped at
// OUTLIER times the name's typical time, since a wall-clock sample the host descheduled
// would otherwise stand, scaled up, for many calls. Calls from threads and JS processes run
// on the kernel thread between Cpu.enter and leave: their handler time is measured exactly.
//
// CPU time: Cpu.enter/leave give the total (cpuNs: the wall time between them, by
// performance.now; a worker's own CPU clock for threads and JS processes). Wall time is CPU
// time while the host runs the kernel thread; a host that takes the CPU away (other load)
// makes it more: there is no thread CPU clock cheap and fine enough to read at each switch
// (process.threadCpuUsage costs ~1.5 µs here and moves in scheduler ticks). System time is the estimate above,
// capped at the total; user time is the rest. This is Linux's own approach when it samples
// (cputime_adjust: a sampled user/system ratio scaled to the exact sum_exec_runtime).
//
// I/O: every byte read or written through fd_read/fd_write/fd_pread/fd_pwrite (and the
// socket calls that go through them) is counted by kind of description (file, pipe, socket,
// tty, dev) and, for files opened by path, by mount, per process and kernel-wide per mount
// (iostat's devices). The kind and mount of a description are found at its first I/O and
// kept on it (OpenFile.acctTarget), so a later call pays two array additions.
import { FILETYPE } from '../../abi/wasi.ts';
import type { OpenFile } from '../fd/open-file.ts';
import type { Mount } from '../vfs/namespace.ts';

// ---- syscall numbers ----

const names: string[] = [];
const numbers = new Map<string, number>();

/** The number of syscall `name` (the same for every kernel in this host process). */
export function syscallNumber(name: string): number {
  let n = numbers.get(name);
  if (n === undefined) {
    n = names.length;
    names.push(name);
    numbers.set(name, n);
  }
  return n;
}

/** The name of syscall `nr`. */
export function syscallName(nr: number): string {
  return names[nr] ?? `#${nr}`;
}

/** Calls are counted in arrays this long at least (and SPARE_SLOTS beyond the names known); a number beyond is not counted by name. */
const MIN_SLOTS = 64;
const SPARE_SLOTS = 16;

// ---- I/O kinds ----

export const IO_KINDS = ['file', 'pipe', 'socket', 'tty', 'dev'] as const;
export type IoKind = (typeof IO_KINDS)[number];
export const KIND_FILE = 0, KIND_PIPE = 1, KIND_SOCKET = 2, KIND_TTY = 3, KIND_DEV = 4;

/** Kernel-wide I/O through one mount (iostat's "device"). */
export interface MountIo {
  readonly index: number;
  readonly path: string;
  readonly type: string;
  reads: number;
  writes: number;
  readBytes: number;
  writeBytes: number;
}

/**
 * Where a description's I/O is counted: found at its first read or write, kept on it. The
 * bytes and calls of the running slice gather here (plain fields: cheaper on the I/O path
 * than an array element) and go to the process at the next switch (flushCalls).
 */
export interface IoTarget {
  kind: number;
  mount: MountIo | null;
  r: number;
  w: number;
  rops: number;
  wops: number;
  pending: boolean;
}

/** Targets with I/O of the running slice, not yet added to the running process (one host thread: one list). */
const ioPending: IoTarget[] = [];

const mountIndex = new WeakMap<Mount, MountIo>();
/** Every mount that has seen I/O, by index (kernel-wide; mounts of several kernels in one host mix). */
export const mountIo: MountIo[] = [];

function mountOf(m: Mount): MountIo {
  let s = mountIndex.get(m);
  if (!s) {
    s = { index: mountIo.length, path: m.path, type: m.fs.type, reads: 0, writes: 0, readBytes: 0, writeBytes: 0 };
    mountIo.push(s);
    mountIndex.set(m, s);
  }
  return s;
}

/** What kind of I/O a description does. */
export function classify(file: OpenFile): IoTarget {
  const t = file.filetype;
  const loc = file.loc;
  if (t === FILETYPE.SOCKET_STREAM || t === FILETYPE.SOCKET_DGRAM) return target(KIND_SOCKET, null);
  if (loc !== null) {
    // Devices and the kernel's pseudo-files (/proc) are not storage: no mount ("device") I/O.
    const fsType = loc.mount.fs.type;
    if (t === FILETYPE.CHARACTER_DEVICE || t === FILETYPE.BLOCK_DEVICE || fsType === 'proc' || fsType === 'devfs') {
      return target(KIND_DEV, null);
    }
    return target(KIND_FILE, mountOf(loc.mount));
  }
  // Streams with no path: the host's stdio (a terminal reports CHARACTER_DEVICE), pipes,
  // captures and byte inputs.
  if (t === FILETYPE.CHARACTER_DEVICE) return target(KIND_TTY, null);
  if ((file as { isTty?: boolean }).isTty === true) return target(KIND_TTY, null);
  return target(KIND_PIPE, null);
}

function target(kind: number, mount: MountIo | null): IoTarget {
  return { kind, mount, r: 0, w: 0, rops: 0, wops: 0, pending: false };
}

// ---- per-process ----

/**
 * Mean calls between two timed ones, before a name's typical time is known (its first
 * EXACT_CALLS calls are all timed); then about one every SAMPLE_NS of the name's time
 * (sampleEvery): a timed call costs two clock reads and the bookkeeping, ~0.25 µs here, which
 * one in 256 null calls (~22 ns each) made a nanosecond a call — 5 % of the null call.
 */
export const SAMPLE_EVERY = 256;
/** A timed call about every this much time spent in calls of a name (ns). */
export const SAMPLE_NS = 250_000;
/** Mean calls between two timed ones, at most (the cheapest calls). */
export const SAMPLE_EVERY_MAX = 4096;
/** A name's first calls, all timed: a process that makes few calls has them measured, not estimated. */
export const EXACT_CALLS = 4;
const OUTLIER = 16;
const OUTLIER_MIN_NS = 50_000;
const STRIDE = 6;
const S_SAMPLES = 0, S_FIRST = 1, S_SUM = 2, S_MIN = 3, S_MAX = 4, S_BASE = 5;

/** A random interval with mean `every`, so that no periodic pattern of calls aliases with it. */
export function nextSample(every = SAMPLE_EVERY): number {
  return 1 + Math.floor(Math.random() * (2 * every - 1));
}

/**
 * Mean calls between two timed ones for a name whose typical call takes `ns` (the mean of
 * its timed calls; 0: not known yet): one about every SAMPLE_NS of its time — a cheap call is
 * sampled seldom (its samples would cost more than the rest of its accounting), a slow one
 * each time (two clock reads are nothing beside it, and it is asked sooner whether the
 * process has held the event loop too long: isk-guard.ts, preemptSoon).
 */
export function sampleEvery(ns: number): number {
  if (!(ns > 0)) return SAMPLE_EVERY;
  return Math.max(1, Math.min(SAMPLE_EVERY_MAX, Math.round(SAMPLE_NS / ns)));
}

/**
 * A syscall's calls in the running slice, kept by its import wrapper in variables of its
 * own (`if (n++ === next)`: an increment and a compare, syscall/dispatch.ts). The wrapper's
 * slow path puts this function on the CPU's list at the slice's first call; Cpu.leave calls
 * it (flushCalls) to add the slice's calls to the leaving process and start again at 0:
 * the calls of a slice are all the running process's.
 */
export type CallSlot = (a: Accounting) => void;

/** Adds each syscall's calls and each description's I/O of the slice to `a` and empties the lists (Cpu.leave). */
export function flushCalls(a: Accounting, dirty: CallSlot[]): void {
  for (let i = 0; i < dirty.length; i++) dirty[i]!(a);
  dirty.length = 0;
  for (let i = 0; i < ioPending.length; i++) {
    const t = ioPending[i]!;
    a.io[t.kind * 2]! += t.r;
    a.io[t.kind * 2 + 1]! += t.w;
    const m = t.mount;
    if (m !== null) {
      const j = m.index * 2;
      a.mountBytes[j] = (a.mountBytes[j] ?? 0) + t.r;
      a.mountBytes[j + 1] = (a.mountBytes[j + 1] ?? 0) + t.w;
      m.reads += t.rops;
      m.writes += t.wops;
      m.readBytes += t.r;
      m.writeBytes += t.w;
    }
    t.r = t.w = t.rops = t.wops = 0;
    t.pending = false;
  }
  ioPending.length = 0;
}

/** Whether a slice has anything to add at the switch. */
export function slicePending(dirty: CallSlot[]): boolean {
  return dirty.length !== 0 || ioPending.length !== 0;
}

let syscallPath = true;

/**
 * Whether import wrappers built from now on count and sample calls (true but in benches):
 * bench/acct.ts and bench/trace.ts boot a kernel with it off beside one with it on, in the
 * same process, and the difference between them is what accounting costs the syscall path.
 * With it off, calls are not counted by name nor timed, and syscall loops are not preempted
 * from the syscall path (isk-guard.ts, preemptSoon): never for real use.
 */
export function setSyscallAccounting(on: boolean): void {
  syscallPath = on;
}

export function syscallAccounting(): boolean {
  return syscallPath;
}

/**
 * For a call of `nr` on the wrapper's slow path, the `n`th of the running slice: whether it
 * is to be timed, and the value of n at which the next call takes the slow path. Timed: a
 * name's first EXACT_CALLS calls by the process, then about one per SAMPLE_NS of the name's
 * typical time (sampleEvery; a slice's first call with that chance, and at random intervals
 * within a slice).
 */
export function sliceCall(a: Accounting, nr: number, n: number): { time: boolean; next: number } {
  const made = a.calls(nr) + n;
  const every = made <= EXACT_CALLS ? SAMPLE_EVERY : sampleEvery(a.typicalNs(nr));
  return {
    time: made <= EXACT_CALLS || n > 1 || Math.random() * every < 1,
    next: made < EXACT_CALLS ? n : n - 1 + nextSample(every),
  };
}

/**
 * A process's accounting. Calls by name live in `counts` (by syscall number), added at each
 * switch from the wrappers' slice counters (CallSlot); the total is their sum.
 */
export class Accounting {
  /** CPU time, ns: guest code and the kernel work for its calls (Cpu.enter/leave; workers' clocks). */
  cpuNs = 0;
  /** When it was created: monotonic ns since the kernel booted. */
  readonly startNs: number;
  /** Times it slept in a blocking syscall (preempt() included: see involuntarySwitches). */
  voluntarySwitches = 0;
  /** Of those, sleeps on the run queue (preempt()): Linux's nonvoluntary_ctxt_switches. */
  involuntarySwitches = 0;
  bytesRead = 0;
  bytesWritten = 0;
  readonly counts: Float64Array;
  /**
   * Timing by number, STRIDE slots each: [S_SAMPLES] calls timed, [S_FIRST] the first one's
   * ns (cold code: kept apart, it must not stand for the others), [S_SUM] the others' ns,
   * [S_MIN]/[S_MAX] of the first exact ones, [S_BASE] their median (see timed()).
   */
  readonly timing: Float32Array;
  /** Handler time measured exactly (threads and JS processes), ns. */
  sysNs = 0;
  /** Calls made over a channel, all of them timed exactly (chargeChannelCall), by number: ns. */
  private channelNs: Float64Array | null = null;
  /** Bytes by kind: [kind * 2] read, [kind * 2 + 1] written. */
  readonly io = new Float64Array(IO_KINDS.length * 2);
  /** Bytes by mount index (MountIo.index): [i * 2] read, [i * 2 + 1] written. */
  readonly mountBytes: number[] = [];
  /** Largest resident size seen (a /proc read computes it), bytes. */
  hwmBytes = 0;
  /**
   * A JS process's isolate heap, as its worker last reported it (jsproc/jsproc.ts sets
   * `heapProbe`, which asks again, at most every HEAP_PROBE_MS): used and committed bytes.
   */
  heapUsed = 0;
  heapTotal = 0;
  /** User and system time of the children it waited for, and of theirs (Linux's cutime, cstime), ns. */
  childUserNs = 0;
  childSysNs = 0;
  heapProbe: (() => void) | null = null;
  /**
   * A JS process: whether its isolate is running JavaScript now, rather than idle in its
   * event loop (jsproc/jsproc.ts sets it; loopProbe below). Asked when no call of the
   * process sleeps, so that an idle daemon is S in ps and does not count in the load.
   */
  loopBusy: (() => boolean) | null = null;
  /** Calls not counted by name (a number beyond the arrays, or added to `syscalls` directly). */
  private uncounted = 0;

  constructor(startNs: number) {
    this.startNs = startNs;
    const slots = Math.max(MIN_SLOTS, names.length + SPARE_SLOTS);
    this.counts = new Float64Array(slots);
    this.timing = new Float32Array(slots * STRIDE);
  }

  /** System calls made, in all. */
  get syscalls(): number {
    let n = this.uncounted;
    const c = this.counts;
    for (let i = 0; i < c.length; i++) n += c[i]!;
    return n;
  }
  set syscalls(v: number) {
    this.uncounted += v - this.syscalls;
  }

  /** Calls of syscall `nr`. */
  calls(nr: number): number {
    return this.counts[nr] ?? 0;
  }

  /** Counts a call of `nr` (not on the hot path: the wrappers do it inline). */
  count(nr: number): void {
    if (nr < this.counts.length) this.counts[nr]!++;
    else this.uncounted++;
  }

  /** How many names fit the arrays. */
  get slots(): number {
    return this.counts.length;
  }

  /**
   * A timed call of `nr` took `ns` (wall time; which calls are timed: sliceCall). Wall time includes any
   * time the host took the thread away, which one sample scaled up by the calls it stands
   * for would turn into much: so once the exact calls have given a typical time (the median
   * of those after the first), a later sample counts at most OUTLIER times that (and at
   * least OUTLIER_MIN_NS may always count), and the exact ones count as their median.
   */
  /**
   * A name's typical call, ns: the mean of its timed calls after the first (0 before any):
   * the estimator's own figure, so that slow first calls (cold code) fade as samples come.
   */
  typicalNs(nr: number): number {
    if (nr >= this.counts.length) return 0;
    const o = nr * STRIDE;
    const t = this.timing;
    const s = t[o + S_SAMPLES]!;
    return s > 1 ? t[o + S_SUM]! / (s - 1) : 0;
  }

  timed(nr: number, ns: number): void {
    const t = this.timing;
    const o = nr * STRIDE;
    const s = t[o + S_SAMPLES]!++;
    if (s === 0) t[o + S_FIRST] = ns;
    else if (s < EXACT_CALLS) {
      t[o + S_SUM]! += ns;
      t[o + S_MIN] = s === 1 ? ns : Math.min(t[o + S_MIN]!, ns);
      t[o + S_MAX] = s === 1 ? ns : Math.max(t[o + S_MAX]!, ns);
      if (s === EXACT_CALLS - 1) {
        // The median of three: their sum less the smallest and the largest.
        const median = t[o + S_SUM]! - t[o + S_MIN]! - t[o + S_MAX]!;
        t[o + S_BASE] = median;
        t[o + S_SUM] = median * (EXACT_CALLS - 1);
      }
    } else {
      const cap = Math.max(OUTLIER_MIN_NS, OUTLIER * t[o + S_BASE]!);
      t[o + S_SUM]! += ns > cap ? cap : ns;
    }
  }

  /** A channel call's handler ran `ns` on the kernel thread (every attempt measured). */
  channel(nr: number, ns: number): void {
    this.sysNs += ns;
    if (nr >= this.slots) return;
    (this.channelNs ??= new Float64Array(this.slots))[nr]! += ns;
  }

  /**
   * Estimated kernel time of syscall `nr`, ns: measured for channel calls and for a name
   * timed at every call; else the first call as measured and the others by the mean of the
   * timed ones after it.
   */
  nameNs(nr: number): number {
    if (this.channelNs !== null && this.channelNs[nr]! > 0) return this.channelNs[nr]!;
    const t = this.timing;
    const o = nr * STRIDE;
    const s = t[o + S_SAMPLES]!;
    if (s === 0) return 0;
    const calls = this.calls(nr);
    if (s >= calls || s === 1) return t[o + S_FIRST]! + t[o + S_SUM]!;
    return t[o + S_FIRST]! + (t[o + S_SUM]! / (s - 1)) * (calls - 1);
  }
}

export function newAccounting(startNs: number): Accounting {
  return new Accounting(startNs);
}

/** Counts `n` bytes of I/O on `file` (n > 0 moved; 0 counts nothing): at once in the totals, by kind and mount at the switch. */
export function countIo(a: Accounting, file: OpenFile, n: number, write: boolean): void {
  if (n <= 0) return;
  let t = file.acctTarget as IoTarget | null;
  if (t === null) t = file.acctTarget = classify(file);
  if (write) {
    a.bytesWritten += n;
    t.w += n;
    t.wops++;
  } else {
    a.bytesRead += n;
    t.r += n;
    t.rops++;
  }
  if (!t.pending) {
    t.pending = true;
    ioPending.push(t);
  }
}

/** How often a JS process's heap figures may be asked for again, ms. */
const HEAP_PROBE_MS = 500;

/**
 * The heap probe of a JS process on `w`'s worker: asks the worker for its heap statistics
 * (asynchronously: a /proc read shows what the last answer said) at most every HEAP_PROBE_MS.
 */
export function heapProbe(p: { acct: Accounting }, w: { worker: { getHeapStatistics(): Promise<{ used_heap_size: number; total_heap_size: number }> } }): () => void {
  let at = -Infinity;
  let asking = false;
  return () => {
    const now = performance.now();
    if (asking || now - at < HEAP_PROBE_MS) return;
    asking = true;
    at = now;
    w.worker.getHeapStatistics().then((h) => {
      p.acct.heapUsed = h.used_heap_size;
      p.acct.heapTotal = h.total_heap_size;
    }, () => { /* the worker is gone */ }).finally(() => (asking = false));
  };
}

/**
 * Whether the isolate on `w`'s worker is running JavaScript at this moment. Node's event loop
 * metrics, read from this thread, count the current span too: between two reads a few µs
 * apart, an isolate idle in its loop adds idle time and one running adds active time
 * (measured on Node 26: 1–80 µs of the one, 0 of the other). Reads that see neither (the
 * same instant) say busy, as before the probe.
 */
export function loopProbe(w: { worker: { performance: { eventLoopUtilization(): { active: number; idle: number } } } }): () => boolean {
  return () => {
    let a: { active: number; idle: number };
    let b: { active: number; idle: number };
    try {
      a = w.worker.performance.eventLoopUtilization();
      b = w.worker.performance.eventLoopUtilization();
    } catch {
      return true; // the worker is going: its exit will say
    }
    return b.active - a.active >= b.idle - a.idle;
  };
}

/** Counts a call made over a channel (a thread's or a JS process's). */
export function countChannelCall(a: Accounting, name: string): void {
  a.count(syscallNumber(name));
}

/** An attempt of a channel call's handler ran for `ns` on the kernel thread. */
export function chargeChannelCall(a: Accounting, name: string, ns: number): void {
  a.channel(syscallNumber(name), ns);
}

/** The estimated kernel time of each syscall name, ns, and its count, for names called at least once. */
export function callTable(a: Accounting): { name: string; calls: number; ns: number }[] {
  const out: { name: string; calls: number; ns: number }[] = [];
  for (let nr = 0; nr < a.slots; nr++) {
    const c = a.calls(nr);
    if (c === 0) continue;
    out.push({ name: syscallName(nr), calls: c, ns: a.nameNs(nr) });
  }
  return out;
}

/** A child `c` was waited for by its parent `a`: its times, and its own children's, become a's cutime and cstime. */
export function addChildTimes(a: Accounting, c: Accounting): void {
  const { userNs, sysNs } = cpuSplit(c, c.cpuNs);
  a.childUserNs += userNs + c.childUserNs;
  a.childSysNs += sysNs + c.childSysNs;
}

/** User and system CPU time, ns, from the exact total and the estimated system part. */
export function cpuSplit(a: Accounting, totalNs: number): { userNs: number; sysNs: number } {
  let est = 0;
  for (let nr = 0; nr < a.slots; nr++) est += a.nameNs(nr);
  const sysNs = Math.min(Math.max(est, a.sysNs), totalNs);
  return { userNs: totalNs - sysNs, sysNs };
}

/** Calls by name, summed over names in `set`. */
export function callsOf(a: Accounting, set: readonly string[]): number {
  let n = 0;
  for (const name of set) {
    const nr = numbers.get(name);
    if (nr !== undefined) n += a.calls(nr);
  }
  return n;
}

export const READ_CALLS = ['fd_read', 'fd_pread', 'sock_recv', 'recv', 'recvfrom'] as const;
export const WRITE_CALLS = ['fd_write', 'fd_pwrite', 'sock_send', 'send', 'sendto'] as const;
