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
//   watchdog: every WATCH_MS the kernel asks each running JS process's isolate for its heap
//   statistics (worker.getHeapStatistics(): an isolate interrupt, answered wherever the
//   isolate is — computing, or asleep in Atomics.wait — in ~60–100 µs of CPU, both threads;
//   an isolate whose event loop sat idle since the last look is not asked)
//   and kills it (SIGKILL, a fault record) once its heap in use plus its external memory is
//   over its memory limit (the heap limit, limits.memoryPages / 16 MiB) by more than
//   GARBAGE_SLACK (dead buffers V8 has not collected yet count in its external memory). An isolate asleep
//   in a synchronous call (lane 0) cannot allocate and is not asked. Between two looks a
//   program can allocate what it can touch in WATCH_MS (a few hundred MiB at most on this
//   hardware); memguard.ts stops the ordinary paths before that.
// - An isolate that does not answer. The statistics come back only when the isolate reaches
//   an interrupt check: a long native call (a big zlib or scrypt call) delays it, and a loop
//   V8 compiled without interrupt checks never answers — nor terminates (see pool.ts: the
//   flag that removes the one such case known). When a question has waited UNRESPONSIVE_MS
//   and the host's resident memory has grown by more than the process's limit since it was
//   asked, the process is killed as if it had passed its limit (it cannot be measured; its
//   growth can).
// - An isolate that does not die. A kill, a limit or an exit terminates the worker
//   (jsproc.ts); V8 ends it at its next interrupt check. If it is not gone after GRACE_MS
//   the kernel does the strongest thing left to it — a thread of the host process cannot be
//   killed or stopped alone: the process is ended for the kernel anyway (its parent reaps
//   it, its pid is free), the isolate's thread gets the lowest CPU priority (nice 19, found
//   by its name in /proc/self/task), it is published on `isokernel:jsproc:lost` and counted
//   by lostJsIsolates(). It keeps its memory until it ends by itself, and a host process
//   that holds one cannot exit normally (Node joins workers at exit).
import dc from 'node:diagnostics_channel';
import { readdirSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import type { Worker } from 'node:worker_threads';

/** How often a running JS process's memory is looked at (ms). */
export const WATCH_MS = 100;
/** A question unanswered this long makes the isolate unresponsive (ms). */
export const UNRESPONSIVE_MS = 2000;
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
/** An unresponsive isolate is killed when the host grew by its limit, and at least this. */
const MIN_GROWTH = 64 << 20;

/**
 * `{ pid, program, thread, tid, reniced, ms }` when a terminated isolate was given up:
 * `tid` is its host thread (null if not found), `reniced` whether it got nice 19.
 */
export const jsLost = dc.channel('isokernel:jsproc:lost');
/** A given-up isolate that ended after all: { pid, program }. */
export const jsFound = dc.channel('isokernel:jsproc:found');

/** What the watchdog needs of a running JS process (jsproc.ts). */
export interface Guarded {
  readonly pid: number;
  /** Heap in use plus external memory may not pass this (bytes). */
  readonly limitBytes: number;
  worker(): Worker | null;
  /** The isolate sleeps in a synchronous call (it cannot allocate). */
  blocked(): boolean;
  /** The figures came: for /proc (acct). */
  measured(used: number, total: number, external: number): void;
  /** Over its limit, or unresponsive while the host grew: the process is to be killed. */
  overLimit(why: { used: number; external: number } | { silentMs: number; grewBytes: number }): void;
}

interface State {
  g: Guarded;
  /** When the outstanding question was asked (performance.now()), or -1. */
  askedAt: number;
  /** The host's RSS then. */
  rssAt: number;
  /** The worker's event loop's active time at the last look (ms, cumulative). */
  active: number;
  done: boolean;
}

const watched = new Map<Guarded, State>();
let timer: NodeJS.Timeout | null = null;

/** Watches `g` until unwatch(g). */
export function watch(g: Guarded): void {
  watched.set(g, { g, askedAt: -1, rssAt: 0, active: -Infinity, done: false });
  if (timer === null) {
    timer = setInterval(tick, WATCH_MS);
    timer.unref();
  }
}

export function unwatch(g: Guarded): void {
  const s = watched.get(g);
  if (s) s.done = true;
  watched.delete(g);
  if (watched.size === 0 && timer !== null) {
    clearInterval(timer);
    timer = null;
  }
}

function tick(): void {
  const now = performance.now();
  let rss = -1;
  const hostRss = (): number => (rss >= 0 ? rss : (rss = process.memoryUsage.rss()));
  for (const s of watched.values()) {
    const g = s.g;
    if (s.done) continue; // decided: its process is ending
    if (s.askedAt >= 0) {
      const silent = now - s.askedAt;
      if (silent >= UNRESPONSIVE_MS) {
        const grew = hostRss() - s.rssAt;
        if (grew > Math.max(g.limitBytes, MIN_GROWTH)) {
          s.done = true;
          g.overLimit({ silentMs: Math.round(silent), grewBytes: grew });
        }
      }
      continue;
    }
    const w = g.worker();
    if (w === null || g.blocked()) continue;
    // An isolate whose event loop was idle since the last look ran no JavaScript: it cannot
    // have allocated (read from the worker's loop metrics without disturbing it, a few µs).
    const active = w.performance.eventLoopUtilization().active;
    const ran = active - s.active;
    s.active = active;
    if (ran < IDLE_MS) continue;
    s.askedAt = now;
    s.rssAt = hostRss();
    w.getHeapStatistics().then((h) => {
      s.askedAt = -1;
      if (s.done) return;
      g.measured(h.used_heap_size, h.total_heap_size, h.external_memory);
      if (h.external_memory >= EXTERNAL_FLOOR && h.used_heap_size + h.external_memory > g.limitBytes + GARBAGE_SLACK) {
        s.done = true;
        g.overLimit({ used: h.used_heap_size, external: h.external_memory });
      }
    }, () => {
      s.askedAt = -1; // the worker is gone: its exit ends the process
    });
  }
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
