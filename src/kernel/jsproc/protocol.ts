// What the kernel and a JavaScript process's isolate say to each other, besides system calls
// (docs/jsproc.md). Both sides load this file (the runtime in the isolate through its own
// module set, src/jsrt/), so it imports nothing.
//
// System calls go over lanes: request slots in SharedArrayBuffers laid out as
// syscall/channel.ts says, served on the kernel thread by the very handlers WASI processes
// call. Lane 0 is the synchronous lane (the isolate waits with Atomics.wait); the others
// carry the promise forms (the isolate waits with Atomics.waitAsync), one call in flight
// each. Messages (postMessage on the worker's port) carry only what cannot go through a
// slot: the job, new lanes, caught signals. The kernel trusts nothing the isolate sends:
// every message is checked, every call is a system call checked as for any process.

/**
 * Channel-level call numbers of JS processes (below 0, as CALL_THREAD_SPAWN): not system
 * calls but kernel services for the runtime.
 *
 * CALL_JS_STRIP(ptr, len, cap, out): TypeScript type stripping of the UTF-8 source at
 * [ptr, ptr+len) (Node's module.stripTypeScriptTypes, mode "strip", on the kernel thread,
 * cached by content). The result is written at ptr (up to `cap` bytes) and its length at
 * `out` (u32). Errors: ERANGE (cap too small: `out` says how much is needed), E2BIG (source
 * over JS_STRIP_MAX bytes), ENOEXEC (not erasable TypeScript: the message is written instead
 * of the source), EFAULT, EILSEQ.
 */
export const CALL_JS_STRIP = -16;
export const JS_STRIP_MAX = 16 * 1024 * 1024;

/** Async lanes a process may open, besides lane 0. */
export const JS_MAX_LANES = 1024;

/** The program a JS process runs: `main` null means argv[1], found from the cwd (`node FILE`). */
export interface JsMain {
  /** Its absolute guest path (module identity, __filename); relative imports resolve from it. */
  path: string;
  /** JavaScript (TypeScript already stripped). */
  source: string;
}

/** Sent once to a booted worker: who it is now. */
export interface JsJob {
  type: 'job';
  /** The process's memory: every pointer of a system call points into it. */
  memory: WebAssembly.Memory;
  /** Lane 0 (synchronous) and the first async lanes. */
  lanes: SharedArrayBuffer[];
  /** System calls by number: "module\0name" and their parameter types. */
  calls: [string, ('i32' | 'i64')[]][];
  pid: number;
  ppid: number;
  /** argv as the kernel holds it (ps shows it); process.argv is built from it. */
  argv: string[];
  env: string[];
  cwd: string;
  /** Its preopened directories at start, [fd, name] (the runtime finds paths through them). */
  preopens: [number, string][];
  main: JsMain | null;
  /** The heap limit (MiB) the isolate was started with. */
  heapMb: number;
  hostname: string;
  /** uname's release, version. */
  release: string;
  version: string;
  /** The host's monotonic clock (process.hrtime.bigint()) when the process was created: process.uptime(). */
  startHr: bigint;
}

export type ToWorker =
  | JsJob
  /** A caught signal (Linux number) to emit on `process`. */
  | { type: 'signal'; sig: number }
  /** The lane the worker offered is served from now on. */
  | { type: 'lane-ok'; id: number }
  | { type: 'lane-refused'; id: number };

export type FromWorker =
  | { type: 'ready' }
  /** Before 'ready', when asked (JsBootData.wantCache): the runtime's V8 code cache (runtime-pack.ts). */
  | { type: 'code-cache'; data: Record<string, Uint8Array> | null }
  /** An async lane: a fresh slot of SLOT_BYTES, not used until 'lane-ok'. */
  | { type: 'lane'; id: number; slot: SharedArrayBuffer };

/** What a booting worker is given (workerData): the runtime's own modules, types stripped. */
export interface JsBootData {
  /**
   * The runtime pack (runtime-pack.ts): the modules' sources by path relative to src/
   * ("jsrt/main.ts", "abi/wasi.ts", ...) and the entry.
   */
  pack: Uint8Array;
  /** V8's code cache of the modules (runtime-pack.ts), when there is one. */
  cache?: Uint8Array;
  /** Make the code cache and send it before 'ready' (none yet, or it was rejected). */
  wantCache?: boolean;
}
