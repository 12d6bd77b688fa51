// The kernel thread as a CPU: which process runs now (xv6's myproc()), and the CPU-time
// accounting that follows from switching. Every entry into guest code goes through enter()
// (process start, return from a blocking syscall) and every exit through leave() (the
// process sleeps or ends), so `current` is exact and syscalls read it instead of closing
// over their process — one import object serves every process.
//
// `attention` is a wasm global the syscall gate reads after every gated call: 1 when the
// current process has something for the gate to act on (a signal to deliver, a stop, a
// kill). It follows the current process: enter() sets it, and poke() after a change.
import type { Process } from './process.ts';

export class Cpu {
  current: Process | null = null;
  readonly attention = new WebAssembly.Global({ value: 'i32', mutable: true }, 0);
  private since = 0;
  private readonly tickets: (Process | null)[] = [];
  private readonly ticketResults: number[] = [];
  private readonly freeTickets: number[] = [];
  /** Called when a process leaves the CPU with an ITIMER_VIRTUAL/PROF timer armed. */
  onCpuTimer: ((p: Process) => void) | null = null;

  enter(p: Process): void {
    if (this.current !== null && this.current !== p) this.leave(this.current);
    this.current = p;
    this.since = performance.now();
    this.attention.value = p.needsAttention() ? 1 : 0;
  }

  leave(p: Process): void {
    if (this.current !== p) return;
    p.acct.cpuNs += (performance.now() - this.since) * 1e6;
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

  /** CPU time of `p` in ns, including the slice it is running now. */
  cpuTimeNs(p: Process): number {
    return p.acct.cpuNs + (this.current === p ? (performance.now() - this.since) * 1e6 : 0);
  }
}
