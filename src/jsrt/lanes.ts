// The isolate's end of its system calls: lanes (request slots, syscall/channel.ts's layout)
// and the process's memory, a shared WebAssembly.Memory the kernel reads through the same
// GuestMemory checks as any WASI process's (docs/jsproc.md, "System calls").
//
// Lane 0 is synchronous: the caller writes the arguments, bumps REQ and sleeps in
// Atomics.wait until the kernel answers. The other lanes carry the promise forms: the same
// request, then Atomics.waitAsync, so the event loop runs meanwhile. A lane carries one call
// at a time; more lanes are asked for (a message, then the kernel's 'lane-ok') when all
// are busy. Pending async calls keep the worker's event loop alive (Atomics.waitAsync alone
// does not), as a pending libuv request would.
//
// Memory: [0, 16) is never handed out (a 0 pointer means "none" to several calls); the
// synchronous arena follows (reset by each synchronous system call: they never overlap);
// the rest is a first-fit heap for async calls and for buffers too big for the arena.
import { ARG0, CALL, CPU_NS, REQ, RESP, RESULT, SLOT_BYTES } from '../kernel/syscall/channel.ts';
import type { FromWorker, JsJob } from '../kernel/jsproc/protocol.ts';
import { primordials as P } from './primordials.ts';

type Param = 'i32' | 'i64';
export type Arg = number | bigint;

interface Port {
  postMessage(m: FromWorker): void;
  ref(): void;
  unref(): void;
}

const ARENA_START = 16;
const ARENA_BYTES = 256 * 1024;
const HEAP_START = ARENA_START + ARENA_BYTES;
const ALIGN = 16;
const PAGE = 65536;

class Slot {
  readonly sab: SharedArrayBuffer;
  readonly i32: Int32Array;
  readonly i64: BigInt64Array;
  readonly f64: Float64Array;
  seq: number;
  constructor(sab: SharedArrayBuffer) {
    this.sab = sab;
    this.i32 = new Int32Array(sab);
    this.i64 = new BigInt64Array(sab);
    this.f64 = new Float64Array(sab);
    this.seq = Atomics.load(this.i32, REQ);
  }
}

let memory: WebAssembly.Memory;
/** Views of the memory; refreshed after it grows. */
export let u8: Uint8Array;
export let dv: DataView;
let arenaTop = ARENA_START;
/** The heap's free blocks, sorted by address: [start, size] pairs. */
const freeStart: number[] = [];
const freeSize: number[] = [];
let heapEnd = 0;

let sync: Slot;
const idle: Slot[] = [];
const laneWaiters: ((s: Slot) => void)[] = [];
const offered = new Map<number, { slot: Slot; ok: (ok: boolean) => void }>();
let lanesOpen = 0;
let nextLaneId = 1;
let pending = 0;
let port: Port;
let params: Param[][] = [];
const numbers = new Map<string, number>();
let cpuAt = 0;

function cpuNs(): number {
  const u = P.threadCpuUsage();
  return (u.user + u.system) * 1000;
}

export function initLanes(job: JsJob, p: Port): void {
  port = p;
  memory = job.memory;
  refreshViews();
  heapEnd = u8.byteLength;
  freeStart.length = 0;
  freeSize.length = 0;
  if (heapEnd > HEAP_START) {
    freeStart.push(HEAP_START);
    freeSize.push(heapEnd - HEAP_START);
  }
  sync = new Slot(job.lanes[0]!);
  for (let i = 1; i < job.lanes.length; i++) idle.push(new Slot(job.lanes[i]!));
  lanesOpen = job.lanes.length - 1;
  params = job.calls.map((c) => c[1]);
  job.calls.forEach((c, i) => numbers.set(c[0], i));
}

/** The call number of `module.name`; -1 if the kernel has no such call. */
export function callNumber(module: string, name: string): number {
  return numbers.get(`${module}\0${name}`) ?? -1;
}

function refreshViews(): void {
  const buf = memory.buffer;
  if (u8 === undefined || u8.byteLength !== buf.byteLength) {
    u8 = new Uint8Array(buf);
    dv = new DataView(buf);
  }
}

// ---- memory ----

/** Resets the synchronous arena: called by every synchronous system call before it allocates. */
export function arenaReset(): void {
  arenaTop = ARENA_START;
}

/** `n` bytes from the synchronous arena, or 0 if it is full (use heapAlloc then). */
export function arenaAlloc(n: number): number {
  const size = (n + ALIGN - 1) & ~(ALIGN - 1);
  if (arenaTop + size > ARENA_START + ARENA_BYTES) return 0;
  const p = arenaTop;
  arenaTop += size;
  return p;
}

/** `n` bytes (n > 0) from the heap, growing the memory if needed. Throws RangeError when it cannot. */
export function heapAlloc(n: number): number {
  const size = (Math.max(n, 1) + ALIGN - 1) & ~(ALIGN - 1);
  for (let i = 0; i < freeStart.length; i++) {
    const s = freeSize[i]!;
    if (s < size) continue;
    const p = freeStart[i]!;
    if (s === size) {
      freeStart.splice(i, 1);
      freeSize.splice(i, 1);
    } else {
      freeStart[i] = p + size;
      freeSize[i] = s - size;
    }
    return p;
  }
  // Grow: at least what is missing beyond the last free block if it touches the end.
  const last = freeStart.length - 1;
  const tail = last >= 0 && freeStart[last]! + freeSize[last]! === heapEnd ? freeSize[last]! : 0;
  const pages = Math.ceil((size - tail) / PAGE);
  memory.grow(pages); // RangeError past the maximum
  refreshViews();
  const added = u8.byteLength - heapEnd;
  if (tail > 0) freeSize[last] = freeSize[last]! + added;
  else {
    freeStart.push(heapEnd);
    freeSize.push(added);
  }
  heapEnd = u8.byteLength;
  return heapAlloc(n);
}

export function heapFree(p: number, n: number): void {
  const size = (Math.max(n, 1) + ALIGN - 1) & ~(ALIGN - 1);
  let i = 0;
  while (i < freeStart.length && freeStart[i]! < p) i++;
  freeStart.splice(i, 0, p);
  freeSize.splice(i, 0, size);
  // Coalesce with the next, then with the previous.
  if (i + 1 < freeStart.length && p + freeSize[i]! === freeStart[i + 1]) {
    freeSize[i] = freeSize[i]! + freeSize[i + 1]!;
    freeStart.splice(i + 1, 1);
    freeSize.splice(i + 1, 1);
  }
  if (i > 0 && freeStart[i - 1]! + freeSize[i - 1]! === p) {
    freeSize[i - 1] = freeSize[i - 1]! + freeSize[i]!;
    freeStart.splice(i, 1);
    freeSize.splice(i, 1);
  }
}

/** The current views (after an allocation may have grown the memory). */
export function views(): void {
  refreshViews();
}

// ---- calls ----

function writeArgs(s: Slot, n: number, args: readonly Arg[]): void {
  const types = params[n];
  if (types === undefined) throw new RangeError(`no system call ${n}`);
  for (let k = 0; k < args.length; k++) {
    if (types[k] === 'i64') s.i64[ARG0 + k] = BigInt(args[k]!);
    else s.i32[2 * (ARG0 + k)] = Number(args[k]!);
  }
}

function reportCpu(s: Slot): void {
  const now = P.performanceNow();
  if (now - cpuAt >= 1) {
    cpuAt = now;
    s.f64[CPU_NS] = cpuNs();
  }
}

function send(s: Slot, n: number): number {
  const i32 = s.i32;
  i32[CALL] = n;
  reportCpu(s);
  const seq = (s.seq + 1) | 0;
  s.seq = seq;
  Atomics.store(i32, REQ, seq);
  Atomics.notify(i32, REQ);
  return (seq - 1) | 0;
}

/**
 * A synchronous call on lane 0: the isolate sleeps until the kernel answers (an errno, or
 * for channel-level calls their result). `n` is a call number; args as the kernel's handler
 * takes them. A kernel-service call (n < 0) passes i32 arguments.
 */
export function call(n: number, ...args: Arg[]): number {
  const s = sync;
  if (n >= 0) writeArgs(s, n, args);
  else for (let k = 0; k < args.length; k++) s.i32[2 * (ARG0 + k)] = Number(args[k]!);
  const before = send(s, n);
  const i32 = s.i32;
  while (Atomics.load(i32, RESP) === before) Atomics.wait(i32, RESP, before);
  return i32[RESULT]!;
}

/** Keeps the event loop alive (a pending request, or a ref'd child) until releaseRef(). */
export function holdRef(): void {
  if (pending++ === 0) port.ref();
}
export function releaseRef(): void {
  if (--pending === 0) port.unref();
}

/**
 * The same call on an async lane: the event loop runs while the kernel works on it, and is
 * kept alive meanwhile unless `weak` (a wait for a child that was unref'd).
 */
export async function callAsync(n: number, ...args: Arg[]): Promise<number> {
  return callOn(false, n, args);
}
export async function callAsyncWeak(n: number, ...args: Arg[]): Promise<number> {
  return callOn(true, n, args);
}

/**
 * Lanes carrying a detached call (callDetached): busy until the kernel has answered, which is
 * looked at only when a lane is wanted — nobody waits for the answer, so it wakes nobody.
 */
const detached: Slot[] = [];
const DETACHED_MAX = 64;

/** An idle lane: a free one, or one whose detached call has been answered. */
function idleLane(): Slot | undefined {
  const s = idle.pop();
  if (s !== undefined) return s;
  for (let i = 0; i < detached.length; i++) {
    const d = detached[i]!;
    if (Atomics.load(d.i32, RESP) === d.seq) {
      detached.splice(i, 1);
      return d;
    }
  }
  return undefined;
}

/**
 * Sends a call on an async lane and does not wait for it: its result is dropped, and its
 * answer wakes nobody (no Atomics.waitAsync, no promise). For calls whose outcome does not
 * matter and whose arguments are all in the lane (no pointers into the memory, which would
 * have to outlive the call): a close of a descriptor the caller is done with. The kernel
 * serves it as any call (traced, accounted); it is ordered after the caller's earlier calls
 * only as calls on different lanes are — not at all. Without a lane free, it waits for one.
 */
export function callDetached(n: number, ...args: Arg[]): void {
  // A bounded number at a time: lanes answered are found only by idleLane(), not by a
  // caller waiting for a lane at the cap (anotherLane()), which only calls that wait free.
  const s = detached.length < DETACHED_MAX ? idleLane() : undefined;
  if (s === undefined) {
    void callOn(true, n, args).catch(() => {});
    return;
  }
  writeArgs(s, n, args);
  send(s, n);
  detached.push(s);
}

async function callOn(weak: boolean, n: number, args: Arg[]): Promise<number> {
  const s = idleLane() ?? (await anotherLane());
  if (!weak) holdRef();
  try {
    writeArgs(s, n, args);
    const before = send(s, n);
    const i32 = s.i32;
    while (Atomics.load(i32, RESP) === before) {
      const w = Atomics.waitAsync(i32, RESP, before);
      if (w.async) await w.value;
    }
    return i32[RESULT]!;
  } finally {
    if (!weak) releaseRef();
    const next = laneWaiters.shift();
    if (next) next(s);
    else idle.push(s);
  }
}

/** A lane for an async call when all are busy: a new one, or the next to be freed. */
function anotherLane(): Promise<Slot> {
  return new Promise((resolve) => {
    if (lanesOpen >= 1024) {
      laneWaiters.push(resolve);
      return;
    }
    lanesOpen++;
    const id = nextLaneId++;
    const slot = new Slot(new SharedArrayBuffer(SLOT_BYTES));
    holdRef(); // until the kernel answers
    offered.set(id, {
      slot,
      ok: (ok) => {
        releaseRef();
        if (ok) resolve(slot);
        else {
          lanesOpen--;
          laneWaiters.push(resolve);
        }
      },
    });
    port.postMessage({ type: 'lane', id, slot: slot.sab });
  });
}

/** The kernel's answer to a lane offered. */
export function laneAnswer(id: number, ok: boolean): void {
  const o = offered.get(id);
  if (!o) return;
  offered.delete(id);
  o.ok(ok);
}
