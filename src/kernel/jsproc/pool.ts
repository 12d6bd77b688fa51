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
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { FromWorker } from './protocol.ts';
import { runtimeSources } from './strip.ts';

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

let flagged = false;
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
      flagged = true;
    }
    this.heapMb = heapMb;
    this.onReady = (ok) => onReady(this, ok);
    this.worker = new Worker(BOOTSTRAP, {
      workerData: runtimeSources(), env: {}, argv: [], execArgv: EXEC_ARGV, name: 'isokernel-js',
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
      // Its own stdio is nobody's: the runtime writes through system calls and replaces
      // process.stdout/stderr before any program code runs. These streams are never read:
      // reading would make Node's worker call back into the process.stdout it no longer has.
      stdout: true, stderr: true, stdin: false,
    });
    const debug = process.env.ISOKERNEL_DEBUG_JS === '1';
    this.worker.on('message', (m: FromWorker) => {
      if (!this.ready && m && typeof m === 'object' && m.type === 'ready') {
        this.ready = true;
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

function bootSpare(): void {
  booting++;
  new JsWorker(DEFAULT_HEAP_MB, (w, ok) => {
    booting--;
    if (!ok) {
      if (booting === 0 && spares.length === 0) for (const cb of waiters.splice(0)) cb(null);
      return;
    }
    const cb = waiters.shift();
    if (cb) return cb(w);
    w.worker.unref();
    spares.push(w);
  });
}

function refill(): void {
  while (spares.length + booting < target + waiters.length) bootSpare();
}

/**
 * Calls `cb` with a booted worker for a process with a `heapMb` heap limit, or with null if
 * none could be started. The worker is the caller's: it must terminate it in the end.
 */
export function claimWorker(heapMb: number, cb: (w: JsWorker | null) => void): void {
  if (heapMb !== DEFAULT_HEAP_MB) {
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
  while (spares.length > target) void spares.pop()!.terminate();
  refill();
}

/**
 * Boots spare workers until `n` are booted or booting, without raising the target: the
 * claims that take them are not followed by replacements beyond the target. For a burst
 * of JS spawns known in advance (an image's boot: init, syslogd, crond, JS services).
 */
export function prewarmJs(n: number): void {
  while (spares.length + booting < n) bootSpare();
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
}
