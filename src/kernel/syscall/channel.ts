// The syscall channel: how guest code on a worker thread makes a system call that the
// kernel thread runs (DESIGN.md: one syscall implementation, two transports).
//
// Each worker has one request slot, a small SharedArrayBuffer. A call is strictly
// request/response, so the slot needs no lock:
//
//   worker                                      kernel thread
//   write CALL, ARGS, CPU_NS
//   REQ = ++seq; notify(REQ)          ──────▶  Atomics.waitAsync(REQ, last) resolves
//   Atomics.wait(RESP, seq-1)                   run the handler (the worker's args, the
//     ... sleeps as long as the call takes        process's shared memory); if it blocks,
//                                                 await, retry, as the gate does
//   return RESULT                     ◀──────  RESULT = r; RESP = seq; notify(RESP)
//
// Arguments are 8-byte slots: an i32 in the low word (Int32 view), an i64 as a BigInt64.
// Only this file knows the layout. It imports nothing, since every worker loads it.
//
// The server's loop (arrived()) is a trampoline. A worker making calls back to back often
// has its next request in the slot before the kernel thread has re-armed its wait (waking
// the worker in Atomics.notify hands it the CPU): the request is then served at once, with
// no Atomics.waitAsync and no promise, but from the loop, never from inside the previous
// call's reply — serving it there would nest one handler in another, and a tight loop of
// calls reached a depth of hundreds of requests (a stack overflow in the kernel thread).
// Measured and not taken (docs/jsproc.md, "The channel's cost"): a spin in the worker before
// Atomics.wait, a spin here before waiting again, one doorbell per process instead of a wait
// per lane, one reply doorbell for a worker's async lanes. What pays is fewer round trips
// (spawn's PIPE action) and calls nobody waits for (jsrt/lanes.ts, callDetached).

/** Int32 indices. */
export const REQ = 0;
export const RESP = 1;
export const CALL = 2;
export const RESULT = 3;
/**
 * Float64 index: the worker thread's CPU time in ns, written with a request when a
 * millisecond has passed since it was last written (reading it costs ~1.6 µs), and at the end.
 */
export const CPU_NS = 2;
/** BigInt64 index of the first argument slot. */
export const ARG0 = 4;
export const MAX_ARGS = 16;
export const SLOT_BYTES = (ARG0 + MAX_ARGS) * 8;

/** Requests a server takes in one turn of the event loop (ChannelServer.arrived()). */
const TURN_MAX = 64;

/** Call numbers below 0 are the channel's own, not syscalls. */
export const CALL_THREAD_SPAWN = -1;

export type ParamType = 'i32' | 'i64';

export interface SlotViews {
  i32: Int32Array;
  i64: BigInt64Array;
  f64: Float64Array;
}

export function slotViews(sab: SharedArrayBuffer): SlotViews {
  return { i32: new Int32Array(sab), i64: new BigInt64Array(sab), f64: new Float64Array(sab) };
}

/** The worker's end: makes calls and sleeps until each is answered. */
export class ChannelClient {
  private readonly v: SlotViews;
  private seq = 0;
  private readonly cpuNs: () => number;
  private cpuAt = 0;

  constructor(sab: SharedArrayBuffer, cpuNs: () => number) {
    this.v = slotViews(sab);
    this.seq = Atomics.load(this.v.i32, REQ);
    this.cpuNs = cpuNs;
  }

  /** An import function for call `call` taking `params`. */
  stub(call: number, params: readonly ParamType[]): Function {
    const { i32, i64 } = this.v;
    const n = params.length;
    if (n > MAX_ARGS) throw new RangeError(`call ${call} has ${n} parameters; the channel takes ${MAX_ARGS}`);
    const wide = params.map((t) => t === 'i64');
    return (...args: (number | bigint)[]): number => {
      for (let k = 0; k < n; k++) {
        if (wide[k]) i64[ARG0 + k] = args[k] as bigint;
        else i32[2 * (ARG0 + k)] = args[k] as number;
      }
      return this.call(call);
    };
  }

  /** Sends the request in the slot and waits for its answer. */
  call(call: number): number {
    const { i32, f64 } = this.v;
    i32[CALL] = call;
    const now = performance.now();
    if (now - this.cpuAt >= 1) {
      this.cpuAt = now;
      f64[CPU_NS] = this.cpuNs();
    }
    const seq = (this.seq + 1) | 0;
    this.seq = seq;
    Atomics.store(i32, REQ, seq);
    Atomics.notify(i32, REQ);
    const before = (seq - 1) | 0;
    while (Atomics.load(i32, RESP) === before) Atomics.wait(i32, RESP, before);
    return i32[RESULT]!;
  }

  /** Publishes the CPU time without a call (at the end of a thread). */
  reportCpu(): void {
    this.cpuAt = performance.now();
    this.v.f64[CPU_NS] = this.cpuNs();
  }
}

/** The kernel's end of one slot: waits for requests on the event loop and answers them. */
export class ChannelServer {
  readonly v: SlotViews;
  private seq: number;
  private closed = false;
  /** onRequest is running (a reply made inside it must not start the next request). */
  private serving = false;
  /** reply() ran inside onRequest: arrived()'s loop looks for the next request. */
  private again = false;
  private readonly onRequest: (server: ChannelServer) => void;
  private readonly wake = (): void => this.arrived();

  /** `onRequest` runs for each request and must call reply() once, now or later. */
  constructor(sab: SharedArrayBuffer, onRequest: (server: ChannelServer) => void) {
    this.v = slotViews(sab);
    this.seq = Atomics.load(this.v.i32, REQ);
    this.onRequest = onRequest;
  }

  get call(): number {
    return this.v.i32[CALL]!;
  }
  get cpuNs(): number {
    return this.v.f64[CPU_NS]!;
  }

  /** The arguments of the pending request, as the guest passed them. */
  args(params: readonly ParamType[]): (number | bigint)[] {
    const { i32, i64 } = this.v;
    const out: (number | bigint)[] = new Array(params.length);
    for (let k = 0; k < params.length; k++) out[k] = params[k] === 'i64' ? i64[ARG0 + k]! : i32[2 * (ARG0 + k)]!;
    return out;
  }

  /** Serves the next request: at once if it is there, else when it arrives. */
  listen(): void {
    this.arrived();
  }

  private arrived(): void {
    if (this.closed) return;
    if (this.serving) {
      this.again = true;
      return;
    }
    const i32 = this.v.i32;
    for (let turn = 0; ; turn++) {
      const seq = Atomics.load(i32, REQ);
      if (seq === this.seq) {
        const r = Atomics.waitAsync(i32, REQ, seq);
        if (r.async) return void r.value.then(this.wake);
        continue; // it came meanwhile
      }
      // A worker that keeps the slot busy gets TURN_MAX calls a turn: then the event loop
      // runs (other processes, I/O) before its next one.
      if (turn >= TURN_MAX) return void setImmediate(this.wake);
      this.seq = seq;
      this.again = false;
      this.serving = true;
      try {
        this.onRequest(this);
      } finally {
        this.serving = false;
      }
      // Answered later (the call blocked): reply() calls listen() then.
      if (!this.again || this.closed) return;
    }
  }

  /** Answers the pending request and waits for the next. */
  reply(result: number): void {
    if (this.closed) return;
    const i32 = this.v.i32;
    i32[RESULT] = result;
    Atomics.store(i32, RESP, this.seq);
    Atomics.notify(i32, RESP);
    this.listen();
  }

  /** Stops serving; releases the pending waitAsync (the worker must be gone or idle). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.notify(this.v.i32, REQ);
  }
}
