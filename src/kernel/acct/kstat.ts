// Kernel-wide accounting: totals over every process that ever ran (the live ones read at the
// moment, the ended ones folded in when they end) and the load average.
//
// Load average, as Linux's (kernel/sched/loadavg.c): every 5 s the number of active tasks n
// is sampled and each average moves towards it, load = load·e + n·(1 − e), with e = exp(−5/60),
// exp(−5/300), exp(−5/900) for the 1, 5 and 15-minute figures. Linux counts tasks that are
// runnable (TASK_RUNNING) and in uninterruptible sleep (TASK_UNINTERRUPTIBLE, "D": mostly
// disk). In isokernel a task is runnable when it is running guest code (a JS process or a
// thread computing on its worker; the timer itself runs on the kernel thread, so no WASI
// process is on the CPU at that moment) or waits on the run queue (asleep in preempt(): it
// was computing and gave the CPU up). Nothing sleeps uninterruptibly: hostfs I/O is
// synchronous on the kernel thread, so a process is never seen blocked in disk I/O.
import { availableParallelism } from 'node:os';
import type { Process } from '../proc/process.ts';
import { cpuSplit, IO_KINDS } from './acct.ts';

/** Seconds between two load samples (Linux's LOAD_FREQ). */
export const LOAD_SAMPLE_S = 5;
const DECAY = [Math.exp(-LOAD_SAMPLE_S / 60), Math.exp(-LOAD_SAMPLE_S / 300), Math.exp(-LOAD_SAMPLE_S / 900)];

/** Whether `p` counts as runnable (ps's R, the load average's n). */
export function isRunnable(p: Process): boolean {
  if (p.state === 'running') return p.acct.loopBusy === null || p.acct.loopBusy();
  if (p.state === 'runnable') return true;
  return p.state === 'sleeping' && p.wchan === 'preempt';
}

export interface Totals {
  cpuNs: number;
  userNs: number;
  sysNs: number;
  syscalls: number;
  /** Context switches: every sleep of a process (voluntary and on the run queue). */
  switches: number;
  /** Bytes by kind, as Accounting.io. */
  io: Float64Array;
}

export class KernelStats {
  /** Processes created since boot (/proc/stat's "processes"). */
  forks = 0;
  /** The 1, 5 and 15-minute load averages. */
  readonly load = [0, 0, 0];
  /** How many CPUs the kernel's processes can use (the kernel thread and workers on the host's cores). */
  readonly ncpu = availableParallelism();
  private readonly ended: Totals = { cpuNs: 0, userNs: 0, sysNs: 0, syscalls: 0, switches: 0, io: new Float64Array(IO_KINDS.length * 2) };
  private readonly timer: NodeJS.Timeout;
  private readonly procs: () => Iterable<Process>;
  private readonly cpuTimeNs: (p: Process) => number;

  constructor(procs: () => Iterable<Process>, cpuTimeNs: (p: Process) => number) {
    this.procs = procs;
    this.cpuTimeNs = cpuTimeNs;
    this.timer = setInterval(() => this.sample(), LOAD_SAMPLE_S * 1000);
    this.timer.unref();
  }

  /** Moves the load averages towards the number of runnable processes now. */
  sample(): void {
    let n = 0;
    for (const p of this.procs()) if (isRunnable(p)) n++;
    for (let i = 0; i < 3; i++) this.load[i] = this.load[i]! * DECAY[i]! + n * (1 - DECAY[i]!);
  }

  /** Counts (running, blocked) now: /proc/stat's procs_running, procs_blocked. */
  running(): number {
    let n = 0;
    for (const p of this.procs()) if (isRunnable(p)) n++;
    return n;
  }

  /** A process ended: its figures go into the totals of ended processes. */
  processEnded(p: Process): void {
    const t = this.ended;
    const cpu = p.acct.cpuNs;
    const { userNs, sysNs } = cpuSplit(p.acct, cpu);
    t.cpuNs += cpu;
    t.userNs += userNs;
    t.sysNs += sysNs;
    t.syscalls += p.acct.syscalls;
    t.switches += p.acct.voluntarySwitches;
    for (let i = 0; i < t.io.length; i++) t.io[i]! += p.acct.io[i]!;
  }

  /** Totals since boot: ended processes and the live ones as they are now. */
  totals(): Totals {
    const e = this.ended;
    const t: Totals = { ...e, io: Float64Array.from(e.io) };
    for (const p of this.procs()) {
      if (p.exitStatus) continue; // zombies were folded in when they ended
      const cpu = this.cpuTimeNs(p);
      const { userNs, sysNs } = cpuSplit(p.acct, cpu);
      t.cpuNs += cpu;
      t.userNs += userNs;
      t.sysNs += sysNs;
      t.syscalls += p.acct.syscalls;
      t.switches += p.acct.voluntarySwitches;
      for (let i = 0; i < t.io.length; i++) t.io[i]! += p.acct.io[i]!;
    }
    return t;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
