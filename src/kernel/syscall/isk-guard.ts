// The isokernel module's protection calls. Programs do not call these themselves: the
// kernel's rewriter (proc/instrument.ts) adds the imports and the calls at load.
//
//   fault_null(address, flags)   a load or store in the null page: SIGSEGV, never returns
//   fault_stack(sp)              __stack_pointer set below the stack: SIGSEGV, never returns
//   preempt() -> fuel            the fuel ran out: yield if the tick is up (blocking)
//   memory_grow(delta) -> old    memory.grow under the process's memory page limit
//
// Preemption. The host's event loop is the scheduler (kernel.ts): a process runs until it
// sleeps in a blocking call. A process that computes without syscalls calls preempt()
// every ~0.5 ms of its CPU time (the fuel it is given adapts to its pace). Two clocks
// decide what preempt() does:
// - the tick (4 ms): how long the process may keep the event loop from turning. After a
//   tick it sleeps on the run queue like any blocking call, at the front: timers and I/O
//   are served, and it goes on.
// - the time slice (10 ms): how long it may keep the CPU from other computing processes.
//   At the end of its slice it goes to the back of the run queue.
// The run queue wakes one process per turn of the event loop (from setImmediate, after
// timers and I/O), so however many processes compute, a process woken by a timer or I/O
// waits about one tick, and computing processes share the CPU round robin, a slice each.
// On the way out of preempt() the gate delivers signals, as after any gated call: that is
// how a kill, a stop or a handler reaches a process that never makes a syscall.
import { SIG } from '../../abi/signals.ts';
import type { Kernel } from '../kernel.ts';
import { GuestFault } from '../proc/fault.ts';
import { FUEL_EXPORT, INITIAL_FUEL, MEMORY_EXPORT, NULL_STACK_FIRST, NULL_WRITE } from '../proc/instrument.ts';
import type { Process } from '../proc/process.ts';
import { isStackGuardHit } from '../proc/protect.ts';
import { cpuLimitReached } from '../proc/rlimit.ts';
import type { SyscallDef, SyscallTable } from './dispatch.ts';

/** A process's time slice, in ns of CPU time. */
export const SLICE_NS = 10_000_000;
/** How long a process may hold the event loop, in ns. */
export const TICK_NS = 4_000_000;
/** How often a computing process should call preempt(), in ns. */
const CHECK_NS = 500_000;
const MIN_FUEL = 1_000;
/** At most this much fuel between checks, whatever the measured pace (about 1 ms of the tightest loop). */
const MAX_FUEL = 1 << 21;

interface Waiter {
  p: Process;
  resolve: () => void;
}

interface SchedState {
  fuel: number;
  /** The process's CPU time at its last preempt(). */
  lastCpuNs: number;
  /** Its CPU time when its slice began; its count of sleeps then (another sleep starts a new slice). */
  sliceStartNs: number;
  switches: number;
  /** It waits at the back of the run queue: its slice restarts when it runs. */
  rotated: boolean;
  /** Its entry in the run queue while it waits there. */
  waiter: Waiter | null;
  /** Times its slice ran out (it went to the back of the run queue). */
  preemptions: number;
}

const sched = new WeakMap<Process, SchedState>();

function stateOf(p: Process): SchedState {
  let s = sched.get(p);
  if (!s) {
    s = { fuel: INITIAL_FUEL, lastCpuNs: 0, sliceStartNs: 0, switches: 0, rotated: false, waiter: null, preemptions: 0 };
    sched.set(p, s);
  }
  return s;
}

/**
 * Fuel counts loop iterations and calls, not time, and preempt() sizes it from the pace it
 * has seen: a process that turns from a tight loop to a loop of slow syscalls could run for
 * seconds on the fuel it was given. So the syscall path, on the calls it times anyway (about
 * one per 0.25 ms of that call's time, and a slice's first call of each name: acct/acct.ts,
 * sampleEvery; syscall/dispatch.ts), asks here whether the process has held the event
 * loop past its tick; if so its fuel is spent now, and the next loop header or call calls
 * preempt(). (A function with loops reloads the fuel from the global after every call.)
 */
export function preemptSoon(p: Process, cpu: Kernel['cpu'], now = performance.now()): void {
  const g = p.instance?.exports[FUEL_EXPORT];
  if (!(g instanceof WebAssembly.Global)) return;
  if (cpu.cpuTimeNs(p, now) - p.acct.cpuNs >= TICK_NS || cpu.loopHeld(now)) g.value = 0;
}

/** How many times `p` was preempted (for tools and tests). */
export function preemptions(p: Process): number {
  return sched.get(p)?.preemptions ?? 0;
}

/**
 * Preempted processes waiting for the CPU, in order. One host thread is one CPU, so there
 * is one queue for every kernel in it. A waiter that has stopped waiting (killed, or woken
 * by a signal) is passed over.
 */
class RunQueue {
  private readonly q: Waiter[] = [];
  private scheduled = false;

  wait(p: Process, s: SchedState, front: boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      const w = { p, resolve };
      s.waiter = w;
      if (front) this.q.unshift(w);
      else this.q.push(w);
      this.kick();
    });
  }

  private kick(): void {
    if (this.scheduled || this.q.length === 0) return;
    this.scheduled = true;
    setImmediate(this.next);
  }

  private readonly next = (): void => {
    this.scheduled = false;
    for (let w = this.q.shift(); w; w = this.q.shift()) {
      const s = sched.get(w.p);
      const live = s?.waiter === w && w.p.exitStatus === null && w.p.wchan === 'preempt';
      if (s?.waiter === w) s.waiter = null;
      w.resolve();
      if (live) break;
    }
    this.kick();
  };
}

const runQueue = new RunQueue();

function nullFault(p: Process, address: number, flags: number): GuestFault {
  const what = (flags & NULL_WRITE) !== 0 ? 'write to' : 'read of';
  if ((flags & NULL_STACK_FIRST) !== 0 && isStackGuardHit(p, address)) {
    return new GuestFault(SIG.SEGV, 'stack overflow', address, `stack overflow: ${what} address 0x${address.toString(16)} below the stack`);
  }
  return new GuestFault(SIG.SEGV, 'null pointer dereference', address,
    `null pointer dereference: ${what} address 0x${address.toString(16)} in the null page`);
}

export function iskGuardSyscalls(k: Kernel): SyscallTable {
  const cpu = k.cpu;
  const faultNull: SyscallDef = {
    params: ['i32', 'i32'],
    handler: (p: Process, address: number, flags: number): number => {
      throw nullFault(p, address >>> 0, flags);
    },
  };
  const faultStack: SyscallDef = {
    params: ['i32'],
    handler: (_p: Process, sp: number): number => {
      const a = sp >>> 0;
      throw new GuestFault(SIG.SEGV, 'stack overflow', a, `stack overflow: stack pointer set to 0x${a.toString(16)}, below the stack`);
    },
  };
  const preempt: SyscallDef = {
    params: [],
    blocking: true,
    handler: (p: Process): number => {
      const s = stateOf(p);
      if (p.restart !== null) {
        // Back from the run queue (or woken by a signal).
        if (s.rotated) s.sliceStartNs = p.acct.cpuNs;
        s.rotated = false;
        s.switches = p.acct.voluntarySwitches;
        return s.fuel;
      }
      const now = cpu.cpuTimeNs(p);
      if (now >= p.cpuLimitNs) cpuLimitReached(k, p, now); // RLIMIT_CPU: delivered as preempt() returns
      const spent = now - s.lastCpuNs;
      s.lastCpuNs = now;
      if (spent > 0) {
        // Aim at one check per CHECK_NS; change by at most 4x a step.
        const want = s.fuel * (CHECK_NS / spent);
        s.fuel = Math.round(Math.min(MAX_FUEL, Math.max(MIN_FUEL, s.fuel / 4, Math.min(want, s.fuel * 4))));
      }
      // A sleep in another call since the last preempt(): the slice began when it woke.
      if (p.acct.voluntarySwitches !== s.switches) {
        s.switches = p.acct.voluntarySwitches;
        s.sliceStartNs = p.acct.cpuNs;
      }
      // p.acct.cpuNs is its CPU time when it last got the CPU (Cpu.enter): it has held the
      // event loop since.
      // It yields after a tick on the CPU, or sooner when the event loop has not turned for
      // a tick (processes before it kept it busy: proc/cpu.ts).
      if (now - p.acct.cpuNs < TICK_NS && !cpu.loopHeld()) return s.fuel;
      s.rotated = now - s.sliceStartNs >= SLICE_NS;
      if (s.rotated) s.preemptions++;
      p.restart = true;
      // Never EINTR: preempt() returns fuel, whatever woke it. (Its first attempt may come in a
      // retry, with a caught signal pending — a traced process's call held for its tracer's
      // reader, then woken by the signal: block() would throw EINTR, taken as the new fuel.)
      return p.blockThrough(runQueue.wait(p, s, !s.rotated));
    },
  };
  const memoryGrow: SyscallDef = {
    params: ['i32'],
    handler: (p: Process, delta: number): number => {
      const ex = p.instance?.exports;
      const mem = ex?.[MEMORY_EXPORT] ?? ex?.memory;
      if (!(mem instanceof WebAssembly.Memory)) return -1;
      const pages = delta >>> 0;
      if (mem.buffer.byteLength / 65536 + pages > p.limits.memoryPages) return -1;
      try {
        return mem.grow(pages);
      } catch {
        return -1; // beyond the module's maximum or the engine's
      }
    },
  };
  return { fault_null: faultNull, fault_stack: faultStack, preempt, memory_grow: memoryGrow };
}
