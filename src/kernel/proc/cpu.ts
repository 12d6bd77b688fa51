// The kernel thread as a CPU: which process runs now (xv6's myproc()), and the CPU-time
// accounting that follows from switching. Every entry into guest code goes through enter()
// (process start, return from a blocking syscall) and every exit through leave() (the
// process sleeps or ends), so `current` is exact and syscalls read it instead of closing
// over their process — one import object serves every process.
//
// `attention` is a wasm global the syscall gate reads after every gated call: 1 when the
// current process has something for the gate to act on (a signal to deliver, a stop, a
// kill). It follows the current process: enter() sets it, and poke() after a change.
import { type CallSlot, flushCalls, slicePending } from '../acct/acct.ts';
import type { Process } from './process.ts';

/** How long processes may keep the event loop from turning, in ms (isk-guard.ts's tick). */
export const LOOP_TICK_MS = 4;

export class Cpu {
  current: Process | null = null;
  /** The syscalls called in the running slice (acct/acct.ts): their counts go to the process at leave(). */
  readonly dirty: CallSlot[] = [];
  readonly attention = new WebAssembly.Global({ value: 'i32', mutable: true }, 0);
  private since = 0;
  private readonly tickets: (Process | null)[] = [];
  private readonly ticketResults: number[] = [];
  private readonly freeTickets: number[] = [];
  /** Called when a process leaves the CPU with an ITIMER_VIRTUAL/PROF timer armed. */
  onCpuTimer: ((p: Process) => void) | null = null;
  /** Called when a process gets the CPU with its CPU time past p.cpuLimitNs (RLIMIT_CPU). */
  onCpuLimit: ((p: Process) => void) | null = null;

  enter(p: Process): void {
    if (this.current !== null && this.current !== p) this.leave(this.current);
    this.current = p;
    this.since = performance.now();
    if (p.acct.cpuNs >= p.cpuLimitNs) this.onCpuLimit?.(p);
    this.attention.value = p.needsAttention() ? 1 : 0;
  }

  leave(p: Process): void {
    if (this.current !== p) return;
    p.acct.cpuNs += (performance.now() - this.since) * 1e6;
    if (slicePending(this.dirty)) flushCalls(p.acct, this.dirty);
    this.current = null;
    if (p.cpuTimers[0]!.deadline !== 0 || p.cpuTimers[1]!.deadline !== 0) this.onCpuTimer?.(p);
  }

  /**
   * A process about to resume from a Suspending import: returns a ticket that the gate
   * hands to resumed() when the guest's stack actually runs again (see gate.ts).
   */
  ticket(p: Process, result: number): number {
    let t = this.freeTickets.pop();
    if (t === undefined) {
      t = this.tickets.length;
      this.tickets.push(null);
    }
    this.tickets[t] = p;
    this.ticketResults[t] = result;
    return t;
  }

  resumed(t: number): number {
    const p = this.tickets[t]!;
    this.tickets[t] = null;
    this.freeTickets.push(t);
    this.enter(p);
    return this.ticketResults[t]!;
  }

  /** `p`'s signal state changed: refresh the gate's flag if it is running. */
  poke(p: Process): void {
    if (this.current === p) this.attention.value = p.needsAttention() ? 1 : 0;
  }

  // ---- the event loop: how long processes have kept it from turning ----
  //
  // A process wakes from a sleep, and a spawned process starts, in a microtask: a chain of
  // them (a spawn-and-wait loop, two processes ping-ponging through a pipe, a fork bomb)
  // could keep the host's event loop from ever turning, and so starve every timer and I/O
  // callback, though no single process holds the CPU for long. loopHeld() tells when the loop
  // has not turned for a while; the gate's sleeps, process starts and preempt() then wait
  // for the next turn (yieldLoop) before going on.
  private turnPending = false;
  private turnAskedAt = 0;
  private readonly turned = (): void => {
    this.turnPending = false;
  };

  /**
   * Whether the event loop has not turned for LOOP_TICK_MS. Costs a performance.now() and,
   * at most once per turn, a setImmediate that notes the turn.
   */
  loopHeld(now = performance.now()): boolean {
    if (!this.turnPending) {
      this.turnPending = true;
      this.turnAskedAt = now;
      setImmediate(this.turned);
      return false;
    }
    return now - this.turnAskedAt >= LOOP_TICK_MS;
  }

  /** Resolves at the next turn of the event loop (after its I/O callbacks). */
  yieldLoop(): Promise<void> {
    return new Promise((r) => setImmediate(r));
  }

  /** Adds the running slice's calls to the running process's counts now (a /proc read of them). */
  flushCalls(): void {
    if (this.current !== null && slicePending(this.dirty)) flushCalls(this.current.acct, this.dirty);
  }

  /** CPU time of `p` in ns, including the slice it is running now. */
  cpuTimeNs(p: Process, now = performance.now()): number {
    return p.acct.cpuNs + (this.current === p ? (now - this.since) * 1e6 : 0);
  }
}
