// Serving system calls that arrive over a syscall channel (syscall/channel.ts): from the
// worker threads of a threaded process (proc/threads.ts) and from the lanes of a JS process
// (jsproc/jsproc.ts). Both run the dispatcher's very handlers against the process, on the
// kernel thread, as the gate (syscall/gate.ts) does for a process on the kernel thread:
//
//   call → runnable? (a pending fatal signal ends the process; a stop holds the call)
//        → handler, with the caller's per-call state swapped into the process (CallState)
//        → an errno: reply once runnable
//        → BLOCK: sleep until what the handler waits for settles (or a signal wakes the
//          caller), clear the sleep's timers, and run the handler again
//
// What differs between the two callers — how a sleep shows in ps, what ending the process
// means, how a reply is sent — is the ChannelCalls the caller's owner gives.
import { chargeChannelCall, countChannelCall } from '../acct/acct.ts';
import { SysError } from '../errors.ts';
import type { Kernel } from '../kernel.ts';
import type { ChannelServer, ParamType } from '../syscall/channel.ts';
import type { SyscallDef } from '../syscall/dispatch.ts';
import { traceCalls } from '../trace/calls.ts';
import { BLOCK, type CallState, type Process } from './process.ts';

type AnyHandler = (p: Process, ...args: unknown[]) => number;

/** One kernel system call as the channels number it. */
export interface CallDef {
  /** Its number: the index in the table, as trace/calls.ts numbers calls. */
  id: number;
  name: string;
  params: ParamType[];
  handler: AnyHandler;
  /** `module\0name`: how a worker's import names it. */
  key: string;
}

const tables = new WeakMap<Kernel, CallDef[]>();

/** The kernel's handlers, numbered for the channels; built once per kernel. */
export function channelCalls(k: Kernel): CallDef[] {
  let calls = tables.get(k);
  if (!calls) {
    calls = [];
    for (const [module, table] of Object.entries(k.syscalls)) {
      for (const [name, def] of Object.entries(table) as [string, SyscallDef][]) {
        calls.push({ id: calls.length, name, params: def.params, handler: def.handler as AnyHandler, key: `${module}\0${name}` });
      }
    }
    tables.set(k, calls);
  }
  return calls;
}

/** Who makes channel calls: a thread, a JS process's lane. Its per-call state lives here between attempts. */
export interface ChannelCaller extends CallState {
  /** Set while it sleeps in a call: wakes it early (a signal). */
  wake: (() => void) | null;
}

/** What the caller's owner (a thread group, a JS process) does at each step of a call. */
export interface ChannelCalls<C extends ChannelCaller> {
  /** The id strace shows for the caller (a tid, a lane). */
  traceId(c: C): number;
  /** Runs `go` unless the process is to die (it ends) or is stopped (then once continued). */
  runnable(c: C, go: () => void): void;
  /** The caller sleeps in call `wchan`, or (null) runs again: ps's view follows. */
  sleeping(c: C, wchan: string | null): void;
  /** Nothing is to happen for this caller any more (its process ended, the thread is gone). */
  over(c: C): boolean;
  /** The call ended the process: ProcExit, Killed, or a kernel bug (SIGSYS). */
  died(error: unknown): void;
  reply(s: ChannelServer, r: number): void;
}

/**
 * Serves call `c` of process `p` from caller `t`, with arguments `args` (read off `s`):
 * counted, traced, run until it returns, replied to.
 */
export function serveChannelCall<C extends ChannelCaller>(k: Kernel, p: Process, h: ChannelCalls<C>, t: C, s: ChannelServer,
  c: CallDef, args: unknown[]): void {
  countChannelCall(p.acct, c.name);
  h.runnable(t, () => {
    t.restart = null;
    const tr = p.trace; // strace (trace/tracer.ts)
    if (tr !== null) tr.channelEnter(p, t, h.traceId(t), traceCalls(k.syscalls)[c.id]!, args);
    attempt(k, p, h, t, s, c, args);
  });
}

/** Runs the handler; replies, or sleeps and runs it again, as the gate does. */
function attempt<C extends ChannelCaller>(k: Kernel, p: Process, h: ChannelCalls<C>, t: C, s: ChannelServer, c: CallDef,
  args: unknown[]): void {
  const r = runHandler(k, p, h, t, c, args);
  if (r === null) return;
  if (r !== BLOCK && p.trace !== null) p.trace.channelExit(p, t, h.traceId(t), traceCalls(k.syscalls)[c.id]!, args, r);
  // As the gate does when a call returns: a kill or a stop it caused takes effect now.
  if (r !== BLOCK) return h.runnable(t, () => h.reply(s, r));
  const until = t.waitFor!;
  t.waitFor = null;
  p.acct.voluntarySwitches++;
  h.sleeping(t, c.name);
  new Promise<void>((resolve) => {
    t.wake = resolve;
    until.then(() => resolve(), () => resolve());
  }).then(() => {
    t.wake = null;
    for (const timer of t.timers) clearTimeout(timer);
    t.timers.length = 0;
    if (h.over(t)) return;
    h.sleeping(t, null);
    h.runnable(t, () => attempt(k, p, h, t, s, c, args));
  });
}

/**
 * One attempt of a handler with the caller's per-call state swapped into the process.
 * Returns its result (an errno, or BLOCK with t.waitFor set), or null if the call ended
 * the process (proc_exit, a fatal signal, a kernel bug).
 */
function runHandler<C extends ChannelCaller>(k: Kernel, p: Process, h: ChannelCalls<C>, t: C, c: CallDef, args: unknown[]): number | null {
  const cpu = k.cpu;
  return p.withCallState(t, () => {
    cpu.enter(p);
    const t0 = performance.now();
    try {
      return c.handler(p, ...args);
    } catch (e) {
      if (e instanceof SysError) return e.errno;
      h.died(e);
      return null;
    } finally {
      chargeChannelCall(p.acct, c.name, (performance.now() - t0) * 1e6);
      cpu.leave(p);
    }
  });
}
