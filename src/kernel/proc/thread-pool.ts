// The worker threads that threads run on (proc/threads.ts), and the pool that keeps them.
//
// Booting a Node worker costs ~45 ms of a core and ~8 MiB; instantiating a module in a
// worker that is already up costs well under a millisecond. So a worker whose thread
// returned goes back to a pool (at most POOL_MAX, each for POOL_IDLE_MS), and the next
// thread of any process takes it. A thread is given only a worker that has booted: a
// request waits for the first that is free, whether a booting one or one whose thread
// returns meanwhile (in a create/join loop the joiner is woken, and creates the next
// thread, before the joined thread's worker is back). Whenever the pool runs dry a spare
// starts booting, so that the next thread seldom waits for a whole boot.
//
// Idle workers are unref'd: they never keep the host alive. Booting and busy ones are ref'd.
// An idle worker keeps its last process's memory alive (dropIdle() ends such workers).
import { Worker } from 'node:worker_threads';
import { CPU_NS, SLOT_BYTES } from '../syscall/channel.ts';
import type { ThreadJob, WorkerInit, WorkerMessage } from './thread-worker.ts';

const POOL_MAX = 4;
const POOL_IDLE_MS = 10_000;

/** Where a busy worker's events go (the thread running on it). */
export interface WorkerEvents {
  message(m: WorkerMessage): void;
  error(e: Error): void;
  exit(code: number): void;
}

type Waiter = (w: ThreadWorker | null) => void;

const idle: ThreadWorker[] = [];
const waiters: Waiter[] = [];
let booting = 0;

/** A worker and its request slot (syscall/channel.ts); it runs one thread at a time. */
export class ThreadWorker {
  readonly slot = new SharedArrayBuffer(SLOT_BYTES);
  readonly worker: Worker;
  events: WorkerEvents | null = null;
  /**
   * Whom its last thread belonged to. An idle worker keeps that thread's instance, and so
   * the process's memory, alive until it runs another (its isolate, idle, does not collect).
   */
  owner: object | null = null;
  dead = false;
  private ready = false;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor() {
    this.worker = new Worker(new URL('./thread-worker.ts', import.meta.url), {
      workerData: { slot: this.slot } satisfies WorkerInit,
      // Its stdio is nobody's: a worker never prints, and must not reach the host's.
      stdout: true, stderr: true,
    });
    this.worker.on('message', (m: WorkerMessage) => {
      if (m.type !== 'ready') return this.events?.message(m);
      this.ready = true;
      booting--;
      available(this);
    });
    this.worker.on('error', (e: Error) => this.events?.error(e));
    this.worker.on('exit', (code: number) => {
      this.dead = true;
      const i = idle.indexOf(this);
      if (i >= 0) idle.splice(i, 1);
      if (this.idleTimer) clearTimeout(this.idleTimer);
      if (!this.ready) {
        // It died booting: if nothing else can serve the waiters, they get no worker.
        booting--;
        if (booting === 0 && idle.length === 0) for (const cb of waiters.splice(0)) cb(null);
      }
      this.events?.exit(code);
    });
  }

  /**
   * Runs a thread. Whoever serves the slot must have read its sequence number before: from
   * here on the worker may make requests at any moment.
   */
  run(job: ThreadJob): void {
    this.worker.postMessage(job);
  }

  /** Ends it (a thread of an ending process may be running on it). */
  terminate(): Promise<number> {
    this.events = null;
    return this.worker.terminate();
  }

  park(): void {
    this.worker.unref();
    this.idleTimer = setTimeout(() => {
      const i = idle.indexOf(this);
      if (i >= 0) idle.splice(i, 1);
      void this.worker.terminate();
    }, POOL_IDLE_MS);
    this.idleTimer.unref();
    idle.push(this);
  }

  claim(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    new Float64Array(this.slot)[CPU_NS] = 0; // the last thread's CPU time is not the next one's
    this.worker.ref();
  }
}

function boot(): void {
  try {
    new ThreadWorker();
    booting++;
  } catch {
    if (booting === 0 && idle.length === 0) for (const cb of waiters.splice(0)) cb(null);
  }
}

/** A worker is free: it booted, or its thread returned. */
function available(w: ThreadWorker): void {
  const cb = waiters.shift();
  if (cb) {
    w.claim();
    return cb(w);
  }
  if (idle.length >= POOL_MAX) return void w.worker.terminate();
  w.park();
}

/**
 * Calls `cb` with a booted worker for a new thread: at once if one is idle, else as soon as
 * one is free; with null if no worker can be started (the host's limits). The worker is
 * the caller's until it gives it back with releaseWorker() or terminates it.
 */
export function getWorker(cb: Waiter): void {
  const w = idle.pop();
  if (w) {
    w.claim();
    cb(w);
  } else {
    waiters.push(cb);
    if (booting < waiters.length) boot();
  }
  if (idle.length === 0 && booting === 0) boot(); // a spare
}

/** Ends the idle workers whose last thread was `owner`'s, and so the memory they keep. */
export function dropIdle(owner: object): void {
  for (const w of idle.filter((x) => x.owner === owner)) {
    idle.splice(idle.indexOf(w), 1);
    void w.terminate();
  }
}

/** Gives back a worker whose thread returned: it is idle and may run another. */
export function releaseWorker(w: ThreadWorker): void {
  w.events = null;
  if (!w.dead) available(w);
}
