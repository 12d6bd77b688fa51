// From handler to import: the wrappers that every syscall passes through.
//
// A handler is `(p, ...args) => errno` and may throw a SysError (its errno is returned) or
// return BLOCK after p.block(promise) (the gate sleeps and calls it again). Anything else it
// throws unwinds the guest: ProcExit and Killed end the process as asked; any other error is
// a kernel bug, and the kernel kills that process with SIGSYS and a fault record.
//
// Wrappers are written out per arity: a wasm→JS call whose arity matches the function's
// costs less than one that needs V8's arguments adaptor.
import { SA } from '../../abi/signals.ts';
import { E } from '../../abi/wasi.ts';
import { KernelError, Killed, SysError } from '../errors.ts';
import type { Cpu } from '../proc/cpu.ts';
import { BLOCK, RESTART, type Process } from '../proc/process.ts';
import { type Accounting, sliceCall, syscallAccounting, syscallNumber } from '../acct/acct.ts';
import { buildGateModule, type GatedSignature, type GateHooks } from './gate.ts';
import { preemptSoon } from './isk-guard.ts';
import { traceCalls, type TraceCall } from '../trace/calls.ts';

/** Takes guest values (i32 as number, i64 as bigint) after the process. */
export type Handler = (p: Process, ...args: never[]) => number;
type AnyHandler = (p: Process, ...args: unknown[]) => number;

export interface SyscallDef {
  handler: Handler;
  /** Parameter types after `p`, as the guest passes them. */
  params: ('i32' | 'i64')[];
  /** May wait: routed through the gate. */
  blocking?: boolean;
  /** Never waits but may raise a signal at its caller (kill, sigprocmask): through the gate too. */
  gate?: boolean;
  /** Made again after a caught SA_RESTART signal interrupted it, instead of EINTR. */
  restartable?: boolean;
}

export type SyscallTable = Record<string, SyscallDef>;

/** A syscall's errno from what its handler threw, or rethrows what is not an errno. */
function errnoOf(e: unknown): number {
  if (e instanceof SysError) return e.errno;
  throw e;
}

function enterPlain(p: Process | null): Process {
  if (p === null) throw noProcess();
  if (p.pendingKill !== 0) throw new Killed(p.pendingKill);
  return p;
}

function enterGated(p: Process | null): Process {
  if (p === null) throw noProcess();
  if (p.pendingKill !== 0) throw new Killed(p.pendingKill);
  p.restart = null;
  return p;
}

/**
 * Runs a handler with two clock reads around it, for the accounting's time by syscall; and,
 * as it is one call in a few hundred, asks whether the process should be preempted soon
 * (syscall/isk-guard.ts, preemptSoon).
 */
function timed(p: Process, nr: number, h: AnyHandler, args: unknown[], cpu: Cpu): number {
  const t0 = performance.now();
  try {
    // the common arities without a spread (a spread call costs more than the handler of a null call)
    switch (args.length) {
      case 0: return h(p);
      case 1: return h(p, args[0]);
      case 2: return h(p, args[0], args[1]);
      case 3: return h(p, args[0], args[1], args[2]);
      case 4: return h(p, args[0], args[1], args[2], args[3]);
      default: return h(p, ...args);
    }
  } catch (e) {
    return errnoOf(e);
  } finally {
    const t1 = performance.now();
    p.acct.timed(nr, (t1 - t0) * 1e6);
    preemptSoon(p, cpu, t1);
  }
}

/**
 * A syscall with no process running: made by a module's start function, which runs while
 * the kernel instantiates it, before _start. Instantiation fails with this message (126).
 */
function noProcess(): KernelError {
  return new KernelError('ENOEXEC', 'its start function makes a system call while the module is instantiated; ' +
    'only code run from _start may make system calls');
}

type Call = (p: Process, args: unknown[]) => number;

/** The plain import: runs the handler on the current process. */
function plainWrapper(cpu: Cpu, handler: Handler, arity: number, gated: boolean, nr: number, tc: TraceCall): Function {
  const h = handler as AnyHandler;
  if (!syscallAccounting()) return bareWrapper(cpu, h, arity, gated, tc); // benches only (acct.ts)
  // Gated fast paths also reset the restart state: each guest call is a fresh attempt.
  const run = gated ? enterGated : enterPlain;
  // Its calls in the running slice, and when the next takes the slow path (acct/acct.ts, CallSlot).
  let n = 0;
  let next = 0;
  const flush = (acct: Accounting): void => {
    if (nr < acct.counts.length) acct.counts[nr]! += n;
    n = 0;
    next = 0;
  };
  /** The slice's first call of this syscall, or a sampling point: timed when due, traced when a tracer is attached. */
  const slow = (p: Process, args: unknown[]): number => {
    if (n === 1) cpu.dirty.push(flush);
    const due = sliceCall(p.acct, nr, n);
    next = due.next;
    if (p.trace !== null) return p.trace.call(p, p, 0, tc, h, args, gated);
    if (due.time) return timed(p, nr, h, args, cpu);
    try {
      return h(p, ...args);
    } catch (e) {
      return errnoOf(e);
    }
  };
  switch (arity) {
    case 0: return () => { const p = run(cpu.current); if (n++ === next) return slow(p, []); if (p.trace !== null) return p.trace.call0(p, tc, h, gated); try { return h(p); } catch (e) { return errnoOf(e); } };
    case 1: return (a: unknown) => { const p = run(cpu.current); if (n++ === next) return slow(p, [a]); if (p.trace !== null) return p.trace.call1(p, tc, h, gated, a); try { return h(p, a); } catch (e) { return errnoOf(e); } };
    case 2: return (a: unknown, b: unknown) => { const p = run(cpu.current); if (n++ === next) return slow(p, [a, b]); if (p.trace !== null) return p.trace.call2(p, tc, h, gated, a, b); try { return h(p, a, b); } catch (e) { return errnoOf(e); } };
    case 3: return (a: unknown, b: unknown, c: unknown) => { const p = run(cpu.current); if (n++ === next) return slow(p, [a, b, c]); if (p.trace !== null) return p.trace.call3(p, tc, h, gated, a, b, c); try { return h(p, a, b, c); } catch (e) { return errnoOf(e); } };
    case 4: return (a: unknown, b: unknown, c: unknown, d: unknown) => { const p = run(cpu.current); if (n++ === next) return slow(p, [a, b, c, d]); if (p.trace !== null) return p.trace.call4(p, tc, h, gated, a, b, c, d); try { return h(p, a, b, c, d); } catch (e) { return errnoOf(e); } };
    case 5: return (a: unknown, b: unknown, c: unknown, d: unknown, e5: unknown) => { const p = run(cpu.current); if (n++ === next) return slow(p, [a, b, c, d, e5]); if (p.trace !== null) return p.trace.call(p, p, 0, tc, h, [a, b, c, d, e5], gated); try { return h(p, a, b, c, d, e5); } catch (e) { return errnoOf(e); } };
    case 6: return (a: unknown, b: unknown, c: unknown, d: unknown, e5: unknown, f: unknown) => { const p = run(cpu.current); if (n++ === next) return slow(p, [a, b, c, d, e5, f]); if (p.trace !== null) return p.trace.call(p, p, 0, tc, h, [a, b, c, d, e5, f], gated); try { return h(p, a, b, c, d, e5, f); } catch (e) { return errnoOf(e); } };
    default: return (...args: unknown[]) => { const p = run(cpu.current); if (n++ === next) return slow(p, args); if (p.trace !== null) return p.trace.call(p, p, 0, tc, h, args, gated); try { return h(p, ...args); } catch (e) { return errnoOf(e); } };
  }
}

/** plainWrapper without accounting (its counter, sampled timing, preemptSoon): benches' baseline. */
function bareWrapper(cpu: Cpu, h: AnyHandler, arity: number, gated: boolean, tc: TraceCall): Function {
  const run = gated ? enterGated : enterPlain;
  switch (arity) {
    case 0: return () => { const p = run(cpu.current); if (p.trace !== null) return p.trace.call0(p, tc, h, gated); try { return h(p); } catch (e) { return errnoOf(e); } };
    case 1: return (a: unknown) => { const p = run(cpu.current); if (p.trace !== null) return p.trace.call1(p, tc, h, gated, a); try { return h(p, a); } catch (e) { return errnoOf(e); } };
    case 2: return (a: unknown, b: unknown) => { const p = run(cpu.current); if (p.trace !== null) return p.trace.call2(p, tc, h, gated, a, b); try { return h(p, a, b); } catch (e) { return errnoOf(e); } };
    case 3: return (a: unknown, b: unknown, c: unknown) => { const p = run(cpu.current); if (p.trace !== null) return p.trace.call3(p, tc, h, gated, a, b, c); try { return h(p, a, b, c); } catch (e) { return errnoOf(e); } };
    case 4: return (a: unknown, b: unknown, c: unknown, d: unknown) => { const p = run(cpu.current); if (p.trace !== null) return p.trace.call4(p, tc, h, gated, a, b, c, d); try { return h(p, a, b, c, d); } catch (e) { return errnoOf(e); } };
    case 5: return (a: unknown, b: unknown, c: unknown, d: unknown, e5: unknown) => { const p = run(cpu.current); if (p.trace !== null) return p.trace.call(p, p, 0, tc, h, [a, b, c, d, e5], gated); try { return h(p, a, b, c, d, e5); } catch (e) { return errnoOf(e); } };
    case 6: return (a: unknown, b: unknown, c: unknown, d: unknown, e5: unknown, f: unknown) => { const p = run(cpu.current); if (p.trace !== null) return p.trace.call(p, p, 0, tc, h, [a, b, c, d, e5, f], gated); try { return h(p, a, b, c, d, e5, f); } catch (e) { return errnoOf(e); } };
    default: return (...args: unknown[]) => { const p = run(cpu.current); if (p.trace !== null) return p.trace.call(p, p, 0, tc, h, args, gated); try { return h(p, ...args); } catch (e) { return errnoOf(e); } };
  }
}

/**
 * Why a retry after a wake-up must not sleep again: a caught signal is deliverable. EINTR, or
 * RESTART when the call restarts and every such signal asked for SA_RESTART; 0 otherwise.
 */
function interruption(p: Process, restartable: boolean): number {
  let d = p.sig.deliverable();
  if (d === 0) return 0;
  if (!restartable) return E.INTR;
  while (d !== 0) {
    const sig = 32 - Math.clz32(d & -d);
    if ((p.sig.action(sig).flags & SA.RESTART) === 0) return E.INTR;
    d &= d - 1;
  }
  return RESTART;
}

/**
 * The Suspending import: sleeps on what the handler asked for, then retries, until done.
 * A stopped process stays off the CPU until continued; a fatal signal unwinds it; a caught
 * one makes the retry return EINTR (p.block() throws it) unless the call finishes anyway.
 */
function slowWrapper(cpu: Cpu, name: string, def: SyscallDef, tc: TraceCall): WebAssembly.Suspending {
  const h = def.handler as AnyHandler;
  const restartable = def.restartable === true;
  const runQueue = name === 'preempt'; // a sleep on the run queue is an involuntary switch
  const call: Call = (p, args) => {
    try {
      return h(p, ...args);
    } catch (e) {
      return errnoOf(e);
    }
  };
  return new WebAssembly.Suspending(async (...args: unknown[]): Promise<number> => {
    const p = cpu.current!;
    for (;;) {
      const until = p.waitFor!;
      p.waitFor = null;
      if (p.state !== 'stopped') p.state = 'sleeping';
      p.wchan = name;
      p.acct.voluntarySwitches++;
      if (runQueue) p.acct.involuntarySwitches++;
      cpu.leave(p);
      await p.sleep(until);
      while (p.stopped && p.pendingKill === 0) await p.untilContinued();
      if (cpu.loopHeld()) await cpu.yieldLoop(); // woken in a long chain of microtasks (proc/cpu.ts)
      cpu.enter(p);
      p.state = 'running';
      p.wchan = null;
      if (p.pendingKill !== 0) throw new Killed(p.pendingKill);
      p.intr = interruption(p, restartable);
      const r = p.trace !== null ? p.trace.retry(p, p, 0, tc, h, args) : call(p, args); // traced: trace/tracer.ts
      p.intr = 0;
      if (r !== BLOCK) return cpu.ticket(p, r);
    }
  });
}

/** The imports for every syscall module, and the gate's handler table. */
export interface BuiltImports {
  imports: WebAssembly.Imports;
  /** Slot 0: the handler the gate calls next (set by sig_next). */
  sigtab: WebAssembly.Table;
}

/**
 * Builds import modules from syscall tables: plain imports for calls that never wait or
 * signal, gate exports for the others. One gate module serves all the tables.
 */
export function buildImports(cpu: Cpu, modules: Record<string, SyscallTable>,
  hooks: Omit<GateHooks, 'attention' | 'resumed'>): BuiltImports {
  const imports: WebAssembly.Imports = {};
  const gated: GatedSignature[] = [];
  const gatedFrom: [string, string][] = [];
  const gateImports: WebAssembly.ModuleImports = {
    ...hooks, attention: cpu.attention, resumed: (t: number) => cpu.resumed(t),
  };
  const tcalls = traceCalls(modules); // what a tracer knows of each call, in this order
  let callId = -1;
  for (const [mod, table] of Object.entries(modules)) {
    const out: WebAssembly.ModuleImports = {};
    imports[mod] = out;
    for (const [name, def] of Object.entries(table)) {
      callId++;
      if (def.blocking || def.gate) {
        const gname = `${gated.length}`;
        gated.push({ name: gname, params: def.params });
        gatedFrom.push([mod, name]);
        gateImports['fast_' + gname] = plainWrapper(cpu, def.handler, def.params.length, true, syscallNumber(name), tcalls[callId]!);
        gateImports['slow_' + gname] = slowWrapper(cpu, `${name}`, def, tcalls[callId]!);
      } else {
        out[name] = plainWrapper(cpu, def.handler, def.params.length, false, syscallNumber(name), tcalls[callId]!);
      }
    }
  }
  const gate = new WebAssembly.Instance(new WebAssembly.Module(buildGateModule(gated)), { k: gateImports });
  gated.forEach((g, i) => {
    const [mod, name] = gatedFrom[i]!;
    (imports[mod] as WebAssembly.ModuleImports)[name] = gate.exports[g.name]!;
  });
  return { imports, sigtab: gate.exports.sigtab as WebAssembly.Table };
}
