// Containment of JS processes beyond what V8's heap limit does (docs/jsproc.md, "Containment").
//
// Design note.
//
// - Memory outside the V8 heap. A worker's resourceLimits bound its old generation only;
//   ArrayBuffers, Buffers and typed arrays live in the isolate's ArrayBuffer allocator and
//   are counted by V8 as the isolate's *external memory*. The runtime inside the isolate
//   checks the allocation sites a program normally uses (src/jsrt/memguard.ts), but it is
//   not a trust boundary: Node's own internals allocate through classes the program can
//   reach (`new (Buffer.alloc(0).constructor)(n)`), and so on. The bound that holds is this
//   watchdog: it asks each running JS process's isolate for its heap statistics
//   (worker.getHeapStatistics(): an isolate interrupt, answered wherever the isolate is —
//   computing, or asleep in Atomics.wait — ~8 µs of its CPU and ~14 µs of the kernel's, more
//   under load: bench/jsguard.ts) and kills it (SIGKILL, a fault record) once its heap in
//   use plus its external memory is over its memory limit (the heap limit,
//   limits.memoryPages / 16 MiB) by more than GARBAGE_SLACK (dead buffers V8 has not
//   collected yet count in its external memory). An isolate asleep in a synchronous call
//   (lane 0) cannot allocate and is not asked, nor one whose event loop sat idle since the
//   last look (its loop metrics, read without disturbing it).
// - When to look. The timer ticks every NEAR_MS and reads the host's resident memory (4 µs:
//   /proc/self/statm read in place). When it grew by SURGE_BYTES since the last sweep,
//   every isolate that ran is asked at once: whatever a program touches shows there,
//   whichever path it took. Besides, each isolate is asked on a schedule set by its last
//   answer: every NEAR_MS once heap + external is past half of limit + GARBAGE_SLACK or
//   would reach it within two WATCH_MS at the rate since the look before, every WATCH_MS if
//   within two CALM_MS, else every CALM_MS (an idle one's loop metrics are read as often).
//   So a modest process is asked twice a second (ten times before this schedule: the sweep
//   is what sees sudden growth), and one that grows is seen within a tick or two. While
//   every isolate sat idle at its last look the timer ticks every WATCH_MS instead (a tick
//   costs the kernel's thread a wakeup: 10–80 µs of CPU on the loaded 2-core machine).
// - An isolate that does not answer. The statistics come back only when the isolate reaches
//   an interrupt check: a long native call (pbkdf2Sync, scryptSync, generatePrimeSync; not
//   zlib's sync calls, which answer between chunks) delays it, and a loop V8 compiled
//   without interrupt checks never answers — nor terminates (see pool.ts: the flag that
//   removes the one such case known). Once a question has waited
//   SLOW_MS, the evidence is taken: the host's RSS, what the kernel can explain (every
//   process's wasm memory — WASI processes' linear memories and JS processes' call memory —
//   each isolate's last measured heap + external, the kernel's own heap + external), the
//   host process's page-fault count, and the silent isolate's thread's CPU time and page
//   faults (/proc/self/task/TID/stat; the thread found by the worker's name). Once the
//   question has waited UNRESPONSIVE_MS (and every WATCH_MS after), the growth since then
//   is attributed: the isolate is killed only if its thread ran (CPU time, at least
//   RAN_SHARE of the time) and the growth that is its own to the best evidence — the least
//   of what its thread touched (its new page faults × the page size), what the kernel
//   cannot explain (the host's growth less the explained growth), and what no other thread
//   can have touched (the host's growth less every other thread's new page faults) — passes
//   what it may still grow (limit + GARBAGE_SLACK − its last measured heap + external, and
//   at least MIN_GROWTH). A neighbour's growth, explained or faulted on its own thread, is
//   never blamed on it; nor is anything on one that did not run. Where /proc is missing
//   (no thread to read) it is never killed for silence. With transparent huge pages set to
//   `always` one fault may map 2 MiB: then others' faults are counted at 2 MiB (so the
//   doubt goes to the silent one) and its own at 4 KiB.
// - An isolate that does not die. A kill, a limit or an exit terminates the worker
//   (jsproc.ts); V8 ends it at its next interrupt check. If it is not gone after GRACE_MS
//   the kernel does the strongest thing left to it — a thread of the host process cannot be
//   killed or stopped alone: the process is ended for the kernel anyway (its parent reaps
//   it, its pid is free), the isolate's thread gets the lowest CPU priority (nice 19, found
//   by its name in /proc/self/task), it is published on `isokernel:jsproc:lost` and counted
//   by lostJsIsolates(). It keeps its memory until it ends by itself, and a host process
//   that holds one cannot exit normally (Node joins workers at exit).
import dc from 'node:diagnostics_channel';
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { setPriority } from 'node:os';
import type { Worker } from 'node:worker_threads';

/** The time between two looks at a running JS process whose memory grows towards its bound (ms). */
export const WATCH_MS = 100;
/** The tick, and the time between two looks at one near its bound or growing fast (ms). */
export const NEAR_MS = 20;
/** The time between two looks at one far from its bound and not growing towards it (ms). */
export const CALM_MS = 500;
/** Host RSS growth since the last sweep that has every running isolate looked at on the next tick. */
export const SURGE_BYTES = 32 << 20;
/** A question unanswered this long makes the isolate unresponsive (ms). */
export const UNRESPONSIVE_MS = 2000;
/** A question unanswered this long: the evidence for an attribution is taken (ms). */
const SLOW_MS = 400;
/** A silent isolate's thread must have run this share of the time to be blamed for growth. */
const RAN_SHARE = 0.1;
/** How long a terminated isolate has to end before it is given up (ms). */
export const GRACE_MS = 3000;
/** Less of the isolate's time than this (ms) outside its event loop's wait since the last look: not asked. */
const IDLE_MS = 0.3;
/** External memory below this is never the reason for a kill (Node's own buffers are ~2 MiB). */
export const EXTERNAL_FLOOR = 8 << 20;
/**
 * Garbage allowed above the limit: V8 collects dead ArrayBuffers when external memory has
 * grown ~64 MiB since its last GC (a program that makes and drops 16 MiB buffers under a
 * 32 MiB limit peaks near 50 MiB of external memory), and the kernel cannot make it collect.
 */
export const GARBAGE_SLACK = 64 << 20;
/** A silent isolate is killed for growth of its own of at least this. */
const MIN_GROWTH = 64 << 20;

/**
 * `{ pid, program, thread, tid, reniced, ms }` when a terminated isolate was given up:
 * `tid` is its host thread (null if not found), `reniced` whether it got nice 19.
 */
export const jsLost = dc.channel('isokernel:jsproc:lost');
/** A given-up isolate that ended after all: { pid, program }. */
export const jsFound = dc.channel('isokernel:jsproc:found');

/** What of a kernel the watchdog reads to explain the host's growth: its processes' wasm memories. */
export interface GuardHost {
  readonly procs: ReadonlyMap<number, { readonly mem: { current(): { readonly byteLength: number } } | null }>;
}

/** Why a silent isolate was killed: the figures of the attribution (bytes, ms). */
export interface SilentGrowth {
  silentMs: number;
  /** The host's resident memory grew by this since the evidence was taken. */
  grewBytes: number;
  /** Of which the kernel could explain (wasm memories, measured isolates, its own heap). */
  explainedBytes: number;
  /** The growth that is the isolate's own to the best evidence (see the design note). */
  ownBytes: number;
  /** Its thread's CPU time in that time. */
  ranMs: number;
}

/** What the watchdog needs of a running JS process (jsproc.ts). */
export interface Guarded {
  readonly pid: number;
  /** Heap in use plus external memory may not pass this (bytes). */
  readonly limitBytes: number;
  /** The kernel it runs in (its processes' memories explain growth); absent in tests. */
  readonly host?: GuardHost;
  worker(): Worker | null;
  /** The isolate sleeps in a synchronous call (it cannot allocate). */
  blocked(): boolean;
  /** The figures came: for /proc (acct). */
  measured(used: number, total: number, external: number): void;
  /** Over its limit, or silent while growing: the process is to be killed. */
  overLimit(why: { used: number; external: number } | SilentGrowth): void;
}

/** A thread's CPU time (ms) and page faults. */
interface ThreadStat {
  cpuMs: number;
  faults: number;
}

/** What is known when an isolate's question became slow (see the design note). */
interface Evidence {
  t: number;
  rss: number;
  /** Bytes the kernel can explain, by owner. */
  parts: Map<object, number>;
  /** The host process's page faults (all threads, ended ones included). */
  faults: number;
  /** The silent isolate's thread then, or null if it has none to read. */
  mine: ThreadStat | null;
}

interface State {
  g: Guarded;
  /** When the outstanding question was asked (performance.now()), or -1. */
  askedAt: number;
  /** The worker's event loop's active time at the last look (ms, cumulative). */
  active: number;
  /** Heap in use + external memory at the last answer, and when (performance.now(); 0: none yet). */
  bytes: number;
  at: number;
  /** When to look next. */
  nextAt: number;
  /** It ran at the last look (its event loop was not idle). */
  ran: boolean;
  /** Taken when the outstanding question became slow. */
  ev: Evidence | null;
  /** The last attribution (performance.now()). */
  triedAt: number;
  /** Its host thread (undefined: not looked up yet). */
  tid: number | null | undefined;
  done: boolean;
}

const MIB = 1 << 20;
const watched = new Map<Guarded, State>();
let timer: NodeJS.Timeout | null = null;
/** The host's RSS at the last sweep (or lower since). */
let sweepRss = -1;
/** Questions asked (for the bench). */
let asked = 0;

/** Counters for benchmarks: questions asked so far. */
export function guardStats(): { asked: number } {
  return { asked };
}

/**
 * For benchmarks only (bench/jsguard.ts): 'adaptive' is the watchdog; 'fixed' looks every
 * WATCH_MS only (as before NEAR_MS and SURGE_BYTES); 'off' does not look.
 */
export const guardTuning: { mode: 'adaptive' | 'fixed' | 'off' } = { mode: 'adaptive' };

/** Watches `g` until unwatch(g). */
export function watch(g: Guarded): void {
  watched.set(g, {
    g, askedAt: -1, active: -Infinity, ran: true, bytes: 0, at: 0, nextAt: 0, ev: null, triedAt: 0, tid: undefined, done: false,
  });
  if (timer === null) arm();
}

export function unwatch(g: Guarded): void {
  const s = watched.get(g);
  if (s) s.done = true;
  watched.delete(g);
  if (watched.size === 0 && timer !== null) {
    clearTimeout(timer);
    timer = null;
    sweepRss = -1;
  }
}

function arm(fast = true): void {
  timer = setTimeout(tick, fast && guardTuning.mode === 'adaptive' ? NEAR_MS : WATCH_MS);
  timer.unref();
}

function tick(): void {
  timer = null;
  if (watched.size === 0) return;
  const mode = guardTuning.mode;
  if (mode === 'off') return arm();
  const now = performance.now();
  const rss = residentBytes();
  if (sweepRss < 0 || rss < sweepRss) sweepRss = rss;
  const surge = mode === 'adaptive' && rss - sweepRss >= SURGE_BYTES;
  if (surge) sweepRss = rss;
  let shared: { parts: Map<object, number>; faults: number } | null = null;
  let fast = false;
  for (const s of watched.values()) {
    if (s.done) continue; // decided: its process is ending
    if (s.ran) fast = true;
    if (s.askedAt >= 0) {
      const silent = now - s.askedAt;
      if (s.ev === null && silent >= SLOW_MS) {
        shared ??= { parts: explainable(), faults: hostFaults() };
        s.ev = { t: now, rss, parts: shared.parts, faults: shared.faults, mine: threadOf(s) };
      }
      if (s.ev !== null && silent >= UNRESPONSIVE_MS && now - s.triedAt >= WATCH_MS) {
        s.triedAt = now;
        attribute(s, s.ev, now, rss, silent);
      }
      continue;
    }
    if (!surge && now < s.nextAt) continue;
    const w = s.g.worker();
    if (w === null || s.g.blocked()) continue;
    // An isolate whose event loop was idle since the last look ran no JavaScript: it cannot
    // have allocated (read from the worker's loop metrics without disturbing it, a few µs).
    const active = w.performance.eventLoopUtilization().active;
    const ran = active - s.active;
    s.active = active;
    s.ran = ran >= IDLE_MS;
    if (!s.ran) {
      s.nextAt = mode === 'fixed' ? 0 : now + CALM_MS - NEAR_MS / 2;
      continue;
    }
    fast = true;
    ask(s, w, now);
  }
  if (watched.size > 0 && timer === null) arm(fast);
}

function ask(s: State, w: Worker, now: number): void {
  s.askedAt = now;
  asked++;
  w.getHeapStatistics().then((h) => {
    const t = performance.now();
    s.askedAt = -1;
    s.ev = null;
    if (s.done) return;
    const g = s.g;
    g.measured(h.used_heap_size, h.total_heap_size, h.external_memory);
    const bytes = h.used_heap_size + h.external_memory;
    if (h.external_memory >= EXTERNAL_FLOOR && bytes > g.limitBytes + GARBAGE_SLACK) {
      s.done = true;
      g.overLimit({ used: h.used_heap_size, external: h.external_memory });
      return;
    }
    // The next look: sooner the sooner it would reach its bound at the rate since the last one.
    const bound = g.limitBytes + GARBAGE_SLACK;
    const rate = s.at > 0 ? (bytes - s.bytes) / Math.max(1, t - s.at) : 0; // bytes per ms
    const reach = rate > 0 ? (bound - bytes) / rate : Infinity; // ms
    const every = bytes > bound / 2 || reach < 2 * WATCH_MS ? NEAR_MS : reach < 2 * CALM_MS ? WATCH_MS : CALM_MS;
    s.bytes = bytes;
    s.at = t;
    s.nextAt = guardTuning.mode === 'fixed' ? 0 : t + every - NEAR_MS / 2;
  }, () => {
    s.askedAt = -1; // the worker is gone: its exit ends the process
    s.ev = null;
  });
}

/**
 * A silent isolate's growth since its evidence, attributed (see the design note): kills it
 * if the growth that must be its own passes what it may still grow.
 */
function attribute(s: State, ev: Evidence, now: number, rss: number, silent: number): void {
  const g = s.g;
  const room = Math.max(g.limitBytes + GARBAGE_SLACK - s.bytes, MIN_GROWTH);
  const grew = rss - ev.rss;
  if (grew <= room || ev.mine === null) return;
  const parts = explainable();
  let explained = 0;
  for (const [owner, bytes] of parts) {
    if (owner !== s) explained += Math.max(0, bytes - (ev.parts.get(owner) ?? 0));
  }
  if (grew - explained <= room) return;
  const mine = threadOf(s);
  if (mine === null) return;
  const ranMs = mine.cpuMs - ev.mine.cpuMs;
  if (ranMs < (now - ev.t) * RAN_SHARE) return; // it did not run: whatever grew, not it
  const touched = Math.max(0, mine.faults - ev.mine.faults);
  const others = Math.max(0, hostFaults() - ev.faults - touched);
  const own = Math.min(touched * PAGE, grew - explained, grew - others * OTHERS_PAGE);
  if (own <= room) return;
  s.done = true;
  g.overLimit({ silentMs: Math.round(silent), grewBytes: grew, explainedBytes: explained, ownBytes: own, ranMs: Math.round(ranMs) });
}

/** Bytes the kernel can explain, by owner: processes' wasm memories, isolates' measurements, its own heap. */
function explainable(): Map<object, number> {
  const parts = new Map<object, number>();
  const hosts = new Set<GuardHost>();
  for (const s of watched.values()) {
    parts.set(s, s.bytes);
    if (s.g.host) hosts.add(s.g.host);
  }
  for (const h of hosts) {
    for (const p of h.procs.values()) {
      if (p.mem !== null) parts.set(p, p.mem.current().byteLength);
    }
  }
  const m = process.memoryUsage();
  parts.set(KERNEL, m.heapTotal + m.external);
  return parts;
}
const KERNEL = {};

// ---- the host's figures (Linux /proc; elsewhere no attribution is possible) ----

const PAGE = 4096;
/** Transparent huge pages `always`: a fault of another thread may map 2 MiB. */
const OTHERS_PAGE = ((): number => {
  try {
    return /\[always\]/.test(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8')) ? 2 * MIB : PAGE;
  } catch {
    return PAGE;
  }
})();

let statm = -2; // -2: not opened yet; -1: not there
const statBuf = Buffer.alloc(256);

/** The host's resident memory (bytes): /proc/self/statm read in place (~4 µs), else Node's (~10 µs). */
function residentBytes(): number {
  if (statm === -2) {
    try {
      statm = openSync('/proc/self/statm', 'r');
    } catch {
      statm = -1;
    }
  }
  if (statm >= 0) {
    try {
      const n = readSync(statm, statBuf, 0, statBuf.length, 0);
      const f = statBuf.toString('latin1', 0, n).split(' ');
      const pages = Number(f[1]);
      if (Number.isFinite(pages)) return pages * PAGE;
    } catch {
      closeSync(statm);
      statm = -1;
    }
  }
  return process.memoryUsage.rss();
}

/** Minor + major faults and CPU time (ms) of a /proc stat line, or null. */
function parseStat(text: string): ThreadStat | null {
  const f = text.slice(text.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
  const minflt = Number(f[7]);
  const majflt = Number(f[9]);
  const ticks = Number(f[11]) + Number(f[12]);
  if (!Number.isFinite(minflt + majflt + ticks)) return null;
  return { cpuMs: ticks * 10, faults: minflt + majflt }; // clock ticks: USER_HZ, 100 on Linux
}

function readStat(path: string): ThreadStat | null {
  try {
    return parseStat(readFileSync(path, 'latin1'));
  } catch {
    return null;
  }
}

/** The host process's page faults, ended threads' included (0 without /proc). */
function hostFaults(): number {
  return readStat('/proc/self/stat')?.faults ?? 0;
}

/** The silent isolate's thread's figures, or null (no worker, no thread name, no /proc). */
function threadOf(s: State): ThreadStat | null {
  if (s.tid === undefined) {
    const name = s.g.worker()?.threadName ?? '';
    s.tid = name ? threadByName(name) : null;
  }
  return s.tid === null ? null : readStat(`/proc/self/task/${s.tid}/stat`);
}

/** Worker → its host thread's id (null: not found), found once by the worker's unique name. */
const tids = new WeakMap<Worker, number | null>();

/**
 * The CPU time (ns, in USER_HZ ticks of 10 ms) of `w`'s host thread from /proc, or null (no
 * /proc, thread not found). For an isolate that does not answer worker.cpuUsage() — that
 * takes an interrupt check, which a long native call (pbkdf2Sync, scryptSync) does not make.
 */
export function threadCpuNs(w: Worker): number | null {
  let tid = tids.get(w);
  if (tid === undefined) {
    const name = w.threadName ?? '';
    tid = name ? threadByName(name) : null;
    tids.set(w, tid);
  }
  if (tid === null) return null;
  const st = readStat(`/proc/self/task/${tid}/stat`);
  return st === null ? null : st.cpuMs * 1e6;
}

// ---- isolates that do not die ----

const lost = new Set<Worker>();

/** Terminated isolates given up on that have not ended (yet). */
export function lostJsIsolates(): number {
  return lost.size;
}

/** The host thread (Linux tid) whose name is `name`, or null. */
function threadByName(name: string): number | null {
  try {
    for (const t of readdirSync('/proc/self/task')) {
      try {
        if (readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim() === name.slice(0, 15)) return Number(t);
      } catch { /* the thread ended */ }
    }
  } catch { /* no /proc */ }
  return null;
}

/**
 * Calls `giveUp` if the worker has not ended GRACE_MS after `gone` was asked for (its
 * terminate() promise): then the isolate is given up (see the design note).
 */
export function graceAfterTerminate(w: Worker, gone: Promise<unknown>, who: { pid: number; program: string }, giveUp: () => void): void {
  let ended = false;
  const t = setTimeout(() => {
    if (ended) return;
    lost.add(w);
    const thread = w.threadName ?? '';
    const tid = thread ? threadByName(thread) : null;
    let reniced = false;
    if (tid !== null) {
      try {
        setPriority(tid, 19);
        reniced = true;
      } catch { /* not allowed: it keeps its priority */ }
    }
    if (jsLost.hasSubscribers) jsLost.publish({ pid: who.pid, program: who.program, thread, tid, reniced, ms: GRACE_MS });
    giveUp();
  }, GRACE_MS);
  t.unref();
  const end = (): void => {
    ended = true;
    clearTimeout(t);
    if (lost.delete(w) && jsFound.hasSubscribers) jsFound.publish({ pid: who.pid, program: who.program });
  };
  gone.then(end, end);
  w.once('exit', end);
}
