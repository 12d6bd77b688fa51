// The kernel thread as a CPU: which process runs now (xv6's myproc()), and the CPU-time
// accounting that follows from switching. Every entry into guest code goes through enter()
// (process start, return from a blocking syscall) and every exit through leave() (the
// process sleeps or ends), so `current` is exact and syscalls read it instead of closing
// over their process — one import object serves every process.
import type { Process } from './process.ts';

export class Cpu {
  current: Process | null = null;
  private since = 0;

  enter(p: Process): void {
    if (this.current !== null && this.current !== p) this.leave(this.current);
    this.current = p;
    this.since = performance.now();
  }

  leave(p: Process): void {
    if (this.current !== p) return;
    p.acct.cpuNs += (performance.now() - this.since) * 1e6;
    this.current = null;
  }

  /** CPU time of `p` in ns, including the slice it is running now. */
  cpuTimeNs(p: Process): number {
    return p.acct.cpuNs + (this.current === p ? (performance.now() - this.since) * 1e6 : 0);
  }
}
