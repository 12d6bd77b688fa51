// The isolates JS processes run in: Node worker threads booted ahead of need.
//
// Booting a worker and loading the runtime into it costs ~60 ms of a core; a process can
// never reuse an isolate another process ran in (its globals, prototypes and timers would
// leak across), so every JS process gets a fresh one. The pool keeps `target` workers
// booted (default 2) with the default heap limit, ready to be claimed; each claim starts
// the boot of a replacement. A process with another heap limit (resourceLimits are fixed
// when a worker starts) gets a worker booted for it. Spare workers are unref'd: they never
// keep the host alive.
//
// Every isolate is started with: resourceLimits from the process's limits; an empty
// process.env and argv; --experimental-vm-modules (the runtime's loader); and, process-wide,
// V8's --disallow-code-generation-from-strings, set before the first JS worker starts: V8
// reads it when it creates a context, so every later context (these isolates, thread
// workers, an embedder's vm contexts) refuses eval and new Function, while the kernel's
// own context, created before, is unaffected. (Worker execArgv refuses that V8 flag.)
import { channel } from 'node:diagnostics_channel';
import { availableParallelism } from 'node:os';
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { FromWorker } from './protocol.ts';
import { codeCacheAnswered, runtimeBootData, takeCodeCache } from './strip.ts';

const BOOTSTRAP = new URL('../../jsrt/bootstrap.mjs', import.meta.url);
const EXEC_ARGV = [
  '--experimental-vm-modules', '--disable-warning=ExperimentalWarning',
  // Not created at all: the globals they would add reach the network or the host's disk.
  '--no-experimental-websocket', '--no-experimental-global-navigator', '--no-experimental-webstorage',
];
/** The heap limit of a process with the default memory limit (MiB of V8 old generation). */
export const DEFAULT_HEAP_MB = 4096;
const MIN_HEAP_MB = 16;

/** Where a claimed worker's events go (its process). */
export interface JsWorkerEvents {
  message(m: unknown): void;
  error(e: Error): void;
  exit(code: number): void;
}

/**
 * `{ event: 'boot' | 'ready' | 'failed', heapMb, ms }` as a worker starts booting and is
 * booted (ms: performance.now()); `ready` also has `cpuMs`, the worker's own CPU time to
 * boot. For boot timelines (ISOKERNEL_DEBUG_BOOT, bench/boot.ts).
 */
export const jsWorkerEvent = channel('isokernel:jsproc:worker');

let flagged = false;
/** Numbers the workers' threads (their names: the host's /proc/self/task/TID/comm; guard.ts). */
let workerSerial = 0;
let target = 2;
const spares: JsWorker[] = [];
const waiters: ((w: JsWorker | null) => void)[] = [];
let booting = 0;

export class JsWorker {
  readonly worker: Worker;
  readonly heapMb: number;
  events: JsWorkerEvents | null = null;
  ready = false;
  dead = false;
  private onReady: ((ok: boolean) => void) | null;

  constructor(heapMb: number, onReady: (w: JsWorker, ok: boolean) => void) {
    if (!flagged) {
      v8.setFlagsFromString('--disallow-code-generation-from-strings');
      // Turboshaft's partial loop unrolling drops the interrupt check of some optimized loops
      // (`for (;;) a = new Array(1000)`): terminate() and the heap limit never land in them.
      // Off for the whole host process (docs/jsproc.md, "Containment"; bench/js-unroll.ts).
      v8.setFlagsFromString('--no-turboshaft-loop-unrolling');
      // `gc` in every later context: the runtime takes it from the program and runs it before
      // it refuses an allocation over the memory limit (src/jsrt/memguard.ts).
      v8.setFlagsFromString('--expose-gc');
      flagged = true;
    }
    this.heapMb = heapMb;
    this.onReady = (ok) => onReady(this, ok);
    const boot = runtimeBootData();
    const asked = boot.wantCache === true;
    let started = false;
    if (asked) setImmediate(() => started || codeCacheAnswered()); // no thread could start: ask the next
    this.worker = new Worker(BOOTSTRAP, {
      workerData: boot, env: {}, argv: [], execArgv: EXEC_ARGV, name: `isk-js-${++workerSerial}`,
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
      // Its own stdio is nobody's: the runtime writes through system calls and replaces
      // process.stdout/stderr before any program code runs. These streams are never read:
      // reading would make Node's worker call back into the process.stdout it no longer has.
      stdout: true, stderr: true, stdin: false,
    });
    started = true;
    const debug = process.env.ISOKERNEL_DEBUG_JS === '1';
    if (jsWorkerEvent.hasSubscribers) jsWorkerEvent.publish({ event: 'boot', heapMb, ms: performance.now() });
    this.worker.on('message', (m: FromWorker) => {
      if (!this.ready && m && typeof m === 'object' && m.type === 'code-cache') {
        // Only before 'ready', which comes before any job: made by the runtime's bootstrap
        // before it ran any code (runtime-pack.ts). A process's isolate cannot send it.
        return takeCodeCache(m.data);
      }
      if (!this.ready && m && typeof m === 'object' && m.type === 'ready') {
        this.ready = true;
        if (asked) codeCacheAnswered();
        if (jsWorkerEvent.hasSubscribers) {
          const ms = performance.now();
          this.worker.cpuUsage().then((u) => jsWorkerEvent.publish({ event: 'ready', heapMb, ms, cpuMs: (u.user + u.system) / 1000 }), () => {});
        }
        const r = this.onReady;
        this.onReady = null;
        r?.(true);
        return;
      }
      this.events?.message(m);
    });
    this.worker.on('error', (e: Error) => {
      if (!this.ready) {
        if (debug) process.stderr.write(`isokernel: a JS worker failed to boot: ${e.stack}\n`);
        return;
      }
      this.events?.error(e);
    });
    this.worker.on('exit', (code: number) => {
      this.dead = true;
      if (asked && !this.ready) codeCacheAnswered();
      const i = spares.indexOf(this);
      if (i >= 0) spares.splice(i, 1);
      const r = this.onReady;
      this.onReady = null;
      r?.(false);
      this.events?.exit(code);
    });
  }

  terminate(): Promise<number> {
    this.events = null;
    return this.worker.terminate();
  }
}

/** The heap limit (MiB) for a process whose memory limit is `pages` 64 KiB pages. */
export function heapMbFor(pages: number): number {
  if (!Number.isFinite(pages)) return DEFAULT_HEAP_MB;
  return Math.max(MIN_HEAP_MB, Math.min(DEFAULT_HEAP_MB, Math.floor(pages / 16)));
}

function bootSpare(queued = false): void {
  booting++;
  try {
    startSpare(queued);
  } catch (e) {
    booting--; // no thread could start
    throw e;
  }
}

function startSpare(queued: boolean): void {
  new JsWorker(DEFAULT_HEAP_MB, (w, ok) => {
    booting--;
    if (queued) aheadDone();
    if (!ok) {
      if (booting === 0 && pendingDefault === 0 && spares.length === 0) for (const cb of waiters.splice(0)) cb(null);
      return;
    }
    const cb = waiters.shift();
    if (cb) return cb(w);
    w.worker.unref();
    spares.push(w);
  });
}

function refill(): void {
  while (spares.length + booting + pendingDefault < target + waiters.length) bootSpare();
}

/**
 * Boots asked for ahead (prewarmJs) run at most this many at once, one less than the cores:
 * the kernel thread keeps one. Booted all at once on two cores, three isolates and the kernel
 * thread share them and each goes at half speed or less — the first one (init's, needed
 * first) included — while the kernel thread, loading the kernel, is slowed as much. One after
 * another, in the order asked for, each is booted when the one before is.
 */
const AHEAD_AT_ONCE = Math.max(1, availableParallelism() - 1);
/** Boots asked for ahead, not started yet, in order. */
const queue: (() => void)[] = [];
let aheadBooting = 0;
/** Default-heap boots in the queue. */
let pendingDefault = 0;

function pump(): void {
  while (aheadBooting < AHEAD_AT_ONCE && queue.length > 0) {
    aheadBooting++;
    try {
      queue.shift()!();
    } catch {
      aheadBooting--; // no thread could start: the next one may
      if (booting === 0 && pendingDefault === 0 && spares.length === 0) for (const cb of waiters.splice(0)) cb(null);
    }
  }
}

function aheadDone(): void {
  aheadBooting--;
  pump();
}

/** Forgets the boots asked for ahead that have not started (a spawn waiting for one gets a boot of its own). */
function dropQueue(): void {
  queue.length = 0;
  pendingDefault = 0;
  for (const a of ahead.filter((x) => !x.started)) {
    ahead.splice(ahead.indexOf(a), 1);
    if (a.claim) claimWorker(a.heapMb, a.claim);
  }
}

/**
 * Calls `cb` with a booted worker for a process with a `heapMb` heap limit, or with null if
 * none could be started. The worker is the caller's: it must terminate it in the end.
 */
export function claimWorker(heapMb: number, cb: (w: JsWorker | null) => void): void {
  if (heapMb !== DEFAULT_HEAP_MB) {
    for (const x of ahead.filter((y) => y.w?.dead)) ahead.splice(ahead.indexOf(x), 1); // ended while spare
    const a = ahead.find((x) => x.heapMb === heapMb && x.claim === null);
    if (a) {
      if (a.w) {
        ahead.splice(ahead.indexOf(a), 1);
        a.w.worker.ref();
        cb(a.w);
      } else a.claim = cb;
      return;
    }
    try {
      new JsWorker(heapMb, (w, ok) => cb(ok ? w : null));
    } catch {
      cb(null);
    }
    return;
  }
  const w = spares.shift();
  if (w) {
    w.worker.ref();
    cb(w);
  } else waiters.push(cb);
  try {
    refill();
  } catch {
    if (booting === 0) for (const c of waiters.splice(0)) c(null);
  }
}

/** Keeps `n` default workers booted from now on (0: none; JS spawns then wait for a boot). */
export function setJsPoolSize(n: number): void {
  target = Math.max(0, n);
  dropQueue();
  dropAhead();
  while (spares.length > target) void spares.pop()!.terminate();
  refill();
}

/**
 * Boots spare workers until `n` are booted or booting, without raising the target: the
 * claims that take them are not followed by replacements beyond the target. For a burst
 * of JS spawns known in advance (an image's boot: init, syslogd, crond, JS services).
 */
export function prewarmJs(n: number, heapMb = DEFAULT_HEAP_MB): void {
  if (heapMb === DEFAULT_HEAP_MB) {
    while (spares.length + booting + pendingDefault < n) {
      pendingDefault++;
      queue.push(() => {
        pendingDefault--;
        bootSpare(true);
      });
    }
  } else {
    for (let have = ahead.filter((a) => a.heapMb === heapMb && a.claim === null).length; have < n; have++) bootAhead(heapMb);
  }
  pump();
}

/**
 * Workers booted ahead (prewarmJs) for a heap limit other than the default (a JS service
 * whose manifest sets its memory limit): claimed by the first spawn with that limit, booted
 * or still booting. None is booted again when claimed.
 */
interface Ahead {
  heapMb: number;
  /** Its boot has started (it waits in the queue until then). */
  started: boolean;
  /** Booted and not claimed yet. */
  w: JsWorker | null;
  /** Claimed while booting: gets it when booted. */
  claim: ((w: JsWorker | null) => void) | null;
}
const ahead: Ahead[] = [];

function bootAhead(heapMb: number): void {
  const a: Ahead = { heapMb, started: false, w: null, claim: null };
  ahead.push(a);
  // In the order asked for, after the default ones queued before it (init's helpers, syslogd
  // and crond): booting a service's first would report the boot ready while the system's
  // own daemons were still booting their isolates.
  queue.push(() => {
    a.started = true;
    try {
      startAhead(a);
    } catch (e) {
      ahead.splice(ahead.indexOf(a), 1);
      const cb = a.claim;
      if (cb) queueMicrotask(() => claimWorker(heapMb, cb)); // a boot of its own for the claimer
      throw e;
    }
  });
}

function startAhead(a: Ahead): void {
  const heapMb = a.heapMb;
  new JsWorker(heapMb, (w, ok) => {
    aheadDone();
    const cb = a.claim;
    if (cb || !ok) ahead.splice(ahead.indexOf(a), 1);
    if (cb) {
      if (ok) cb(w);
      else claimWorker(heapMb, cb); // a fresh boot for the claimer
      return;
    }
    if (ok) {
      w.worker.unref();
      a.w = w;
    }
  });
}

/** Resolves when the pool holds its target of booted workers. */
export async function jsPoolReady(): Promise<void> {
  refill();
  while (spares.length < target) {
    await new Promise((r) => setTimeout(r, 5));
    refill();
  }
}

/** Ends the spare workers (tests, shutdown of the last kernel). */
export function dropJsSpares(): void {
  for (const w of spares.splice(0)) void w.terminate();
  dropQueue();
  dropAhead();
  if (waiters.length > 0) refill(); // spawns waiting on a boot that was only queued
}

/** Ends the workers booted ahead for other heap limits that nobody claimed. */
function dropAhead(): void {
  for (const a of ahead.filter((x) => x.w !== null)) {
    ahead.splice(ahead.indexOf(a), 1);
    void a.w!.terminate();
  }
}
