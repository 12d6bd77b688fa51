// Threads: wasi-threads processes, run on worker threads.
//
// Design note.
//
// - Where threads run. A process whose program imports a shared memory (proc/thread-module.ts)
//   runs *all* its threads on Node worker threads, its main thread (_start) included. Guest
//   code of such a process never runs on the kernel thread: a futex wait
//   (memory.atomic.wait32/64) blocks the OS thread that makes it, and on the kernel thread
//   that would stop every process. A process behaves the same whether it runs threads or
//   not; what changes is the transport of its system calls.
// - Memory and instances. The kernel creates the process's memory (a SharedArrayBuffer-backed
//   WebAssembly.Memory, from the limits the module declares) and gives it to every thread;
//   each thread is a new instance of the same compiled module, posted to its worker
//   (instance-per-thread, as wasi-threads specifies). p.mem on the kernel thread is a
//   GuestMemory over that same memory, so a syscall's pointers work as they are.
// - System calls. Every import a thread calls forwards over the syscall channel
//   (syscall/channel.ts): a request slot per worker, Atomics.wait in the worker,
//   Atomics.waitAsync on the kernel thread. The kernel runs the very handlers the
//   dispatcher runs, against the process, on the kernel thread. A call that blocks (the
//   handler returned BLOCK after p.block()) is awaited and retried, as the gate does
//   (proc/channel-call.ts, which serves JS processes' calls too); meanwhile only the
//   calling thread waits.
// - Per-call state. A handler keeps restart state in p.restart, asks to wait with
//   p.block() (p.waitFor), and arms a sleep's timers with p.addTimer(). Several threads of
//   one process may be inside calls at once, so each Thread keeps its own copy, swapped in
//   just before its handler runs and out just after. Handlers are synchronous and the kernel
//   thread runs one at a time, so the swap is exact and handlers see the real Process
//   (identity kept for maps keyed by process, parent links and the like).
// - Ending. The process ends when its main thread returns from _start (exit 0) or any
//   thread calls proc_exit (that code); a trap in any thread kills it with the trap's signal
//   and a fault record naming the thread (tid; 0 is the main thread); a fatal signal
//   (kill()) kills it. In every case all its workers are terminated before `exited`
//   resolves, so no guest code of an ended process runs. A spawned thread that returns
//   from wasi_thread_start ends alone; its worker goes back to a small pool.
// - Signals. A fatal one reaches a threaded process as it reaches a sleeping one: the kernel
//   sets p.pendingKill and calls p.interrupt(); the group keeps a sleep on the process for
//   that purpose only (watchSignals), and also checks p.pendingKill as each call returns,
//   where the gate would. A stop holds each thread at its next system call (worker threads
//   are not preempted). Caught signals are not delivered to threads yet: sigaction refuses a
//   handler, since the process has no instance on the kernel thread (p.instance is null).
// - Accounting. Each worker writes its thread's CPU time into its slot with every request
//   and at the end; the group adds the growth to p.acct.cpuNs. Handler time on the kernel
//   thread is charged through Cpu.enter/leave, as for any process.
// - Limits. At most p.limits.threads threads (main included; DEFAULT_THREAD_LIMIT if not
//   set); thread-spawn then returns -EAGAIN (wasi-libc's pthread_create gives EAGAIN for any
//   negative result). p.limits.memoryPages caps the shared memory's maximum (the loader does
//   not instrument threaded programs, so memory.grow itself enforces it).
import { E } from '../../abi/wasi.ts';
import { KernelError, Killed, ProcExit } from '../errors.ts';
import type { Kernel } from '../kernel.ts';
import { CALL_THREAD_SPAWN, ChannelServer } from '../syscall/channel.ts';
import { GuestMemory } from '../syscall/guest-memory.ts';
import { procFault } from '../trace/channels.ts';
import { addSourceLines, classifyTrap, makeFaultRecord, type FaultRecord } from './fault.ts';
import type { Program } from './loader.ts';
import type { Process } from './process.ts';
import { channelCalls, serveChannelCall, type CallDef, type ChannelCalls } from './channel-call.ts';
import { THREAD_SPAWN_MODULE } from './thread-module.ts';
import { dropIdle, getWorker, releaseWorker, type ThreadWorker } from './thread-pool.ts';
import type { ThreadImport, ThreadJob, WorkerMessage } from './thread-worker.ts';

/** Threads per process, the main thread included, when p.limits says nothing. */
export const DEFAULT_THREAD_LIMIT = 64;
/** An ended process's workers stay in the pool only if its memory is no larger (bytes). */
const POOL_KEEP_MEMORY = 64 * 2 ** 20;
/** wasi-threads: thread ids are in [1, 2^29). */
const TID_LIMIT = 0x20000000;

/** What a fault record says when a thread of a threaded process trapped. */
export interface ThreadFaultRecord extends FaultRecord {
  /** The thread that trapped: 0 is the main thread, others are thread-spawn's ids. */
  tid: number;
}

/** A thread as ps would show it. */
export interface ThreadInfo {
  tid: number;
  state: 'running' | 'sleeping';
  /** The syscall it sleeps in, or null (a futex wait in wasm shows as running). */
  wchan: string | null;
  /** CPU time of the thread's worker, ns, as last reported (with a system call, at most once a millisecond). */
  cpuNs: number;
}

/** The kernel's handlers, numbered for the channel (proc/channel-call.ts), and by name; built once per kernel. */
interface CallTable {
  calls: CallDef[];
  byName: Map<string, number>;
  /** Each program's imports, as its workers build them. */
  imports: WeakMap<Program, ThreadImport[]>;
}

const tables = new WeakMap<Kernel, CallTable>();
const groups = new WeakMap<Process, ThreadGroup>();

function callTable(k: Kernel): CallTable {
  let t = tables.get(k);
  if (!t) {
    const calls = channelCalls(k);
    t = { calls, byName: new Map(calls.map((c) => [c.key, c.id])), imports: new WeakMap() };
    tables.set(k, t);
  }
  return t;
}

function importsOf(table: CallTable, prog: Program): ThreadImport[] {
  let list = table.imports.get(prog);
  if (!list) {
    list = [];
    for (const imp of WebAssembly.Module.imports(prog.module)) {
      if (imp.kind !== 'function') continue;
      if (imp.module === THREAD_SPAWN_MODULE && imp.name === prog.threads?.spawn) {
        list.push({ module: imp.module, name: imp.name, call: CALL_THREAD_SPAWN, params: ['i32'] });
        continue;
      }
      const call = table.byName.get(`${imp.module}\0${imp.name}`);
      // The loader refused programs with imports the kernel does not provide.
      if (call === undefined) throw new Error(`no handler for ${imp.module}.${imp.name}`);
      list.push({ module: imp.module, name: imp.name, call, params: table.calls[call]!.params });
    }
    table.imports.set(prog, list);
  }
  return list;
}

// ---- threads and their process ----

class Thread {
  readonly tid: number;
  readonly worker: ThreadWorker;
  readonly server: ChannelServer;
  /** Per-call state of the call it is in (see the design note). */
  restart: unknown = null;
  waitFor: Promise<unknown> | null = null;
  timers: NodeJS.Timeout[] = [];
  wake: (() => void) | null = null;
  state: 'running' | 'sleeping' = 'running';
  wchan: string | null = null;
  /** CPU ns of its worker already added to the process's account. */
  cpuNs = 0;
  /** Its worker is done with it (returned, failed or being terminated). */
  gone = false;
  /** thread-spawn's pending reply, until the new thread is instantiated. */
  onStart: ((ok: boolean) => void) | null = null;

  constructor(tid: number, worker: ThreadWorker, server: (slot: SharedArrayBuffer) => ChannelServer) {
    this.tid = tid;
    this.worker = worker;
    this.server = server(worker.slot);
  }
}

type Outcome = { ok: true } | { ok: false; error: unknown };

class ThreadGroup {
  private readonly k: Kernel;
  private readonly p: Process;
  private readonly prog: Program;
  private readonly table: CallTable;
  readonly threads = new Map<number, Thread>();
  private readonly memory: WebAssembly.Memory;
  private readonly job: Omit<ThreadJob, 'tid' | 'startArg'>;
  private nextTid = 1;
  /** Thread ids given out, whose threads wait for a worker. */
  private readonly starting = new Set<number>();
  private finished = false;
  private settle!: (o: Outcome) => void;
  readonly done: Promise<void>;
  /** How its threads' system calls are served (proc/channel-call.ts). */
  private readonly calls: ChannelCalls<Thread> = {
    traceId: (t) => t.tid,
    runnable: (t, go) => this.whenRunnable(t, go),
    sleeping: (t, wchan) => {
      t.state = wchan === null ? 'running' : 'sleeping';
      t.wchan = wchan;
      this.updateState();
    },
    over: (t) => this.finished || t.gone,
    died: (error) => this.finish({ ok: false, error }),
    reply: (s, r) => s.reply(r),
  };

  constructor(k: Kernel, p: Process, prog: Program) {
    this.k = k;
    this.p = p;
    this.prog = prog;
    this.table = callTable(k);
    const spec = prog.threads!;
    const imports = importsOf(this.table, prog);
    // The process's page limit caps the memory's maximum: memory.grow fails beyond it.
    const limit = (p.limits as { memoryPages?: number }).memoryPages ?? 65536;
    if (spec.memory.initial > limit) {
      p.error = new KernelError('ENOMEM', `${prog.name}: its memory starts at ${spec.memory.initial} pages; ` +
        `the process may have ${limit}`);
      throw new ProcExit(126);
    }
    const maximum = Math.min(spec.memory.maximum, limit);
    try {
      this.memory = new WebAssembly.Memory({ initial: spec.memory.initial, maximum, shared: true });
    } catch (e) {
      // Its initial size is more than this host will give.
      p.error = new KernelError('ENOEXEC', `${prog.name}: cannot create its shared memory: ${(e as Error).message}`);
      throw new ProcExit(126);
    }
    this.job = {
      module: prog.module, memory: this.memory, imports,
      memoryImport: { module: spec.memory.module, name: spec.memory.name },
    };
    this.done = new Promise<Outcome>((r) => (this.settle = r)).then((o) => {
      if (!o.ok) throw o.error;
    });
  }

  start(): void {
    this.p.mem = new GuestMemory(this.memory);
    this.p.state = 'running';
    void this.watchSignals();
    this.launch(0, 0, (ok) => {
      if (ok) return;
      this.p.error ??= new KernelError('EAGAIN', `${this.prog.name}: cannot start a worker thread`);
      this.finish({ ok: false, error: new ProcExit(126) });
    });
  }

  /**
   * Starts thread `tid` as soon as a worker is free; `started` says whether it was
   * instantiated (false: no worker could be had, or instantiation failed).
   */
  private launch(tid: number, startArg: number, started: (ok: boolean) => void): void {
    this.starting.add(tid);
    getWorker((w) => {
      this.starting.delete(tid);
      if (this.finished) {
        if (w) releaseWorker(w);
        return;
      }
      if (!w) return started(false);
      this.run(tid, startArg, w).onStart = started;
    });
  }

  private run(tid: number, startArg: number, w: ThreadWorker): Thread {
    const t = new Thread(tid, w, (slot) => new ChannelServer(slot, (s) => this.request(t, s)));
    this.threads.set(tid, t);
    w.owner = this;
    w.events = {
      message: (m) => this.message(t, m),
      error: (e) => this.finish({ ok: false, error: e }),
      exit: (code) => {
        if (!t.gone) this.finish({ ok: false, error: new Error(`thread ${tid}'s worker exited (code ${code})`) });
      },
    };
    t.server.listen();
    w.run({ ...this.job, tid, startArg });
    return t;
  }

  private message(t: Thread, m: WorkerMessage): void {
    if (this.finished) return;
    this.account(t);
    switch (m.type) {
      case 'started': {
        const s = t.onStart;
        t.onStart = null;
        s?.(true);
        return;
      }
      case 'returned':
        if (t.tid === 0) return this.finish({ ok: true });
        return this.retire(t);
      case 'failed':
        if (m.stage === 'instantiate') {
          if (t.tid === 0) this.p.error = new KernelError('ENOEXEC', `${this.prog.name}: cannot instantiate: ${m.error.message}`);
          const s = t.onStart;
          t.onStart = null;
          this.retire(t);
          s?.(false);
          return;
        }
        return this.fault(t, m.error);
    }
  }

  /** A thread ended alone: its worker goes back to the pool. */
  private retire(t: Thread): void {
    t.gone = true;
    t.server.close();
    this.threads.delete(t.tid);
    releaseWorker(t.worker);
    this.updateState();
  }

  /** A thread trapped: the process dies with the trap's signal and a record naming the thread. */
  private fault(t: Thread, info: { name: string; message: string; stack: string }): void {
    const e = info.name === 'RuntimeError' ? new WebAssembly.RuntimeError(info.message)
      : info.name === 'RangeError' ? new RangeError(info.message) : new Error(info.message);
    e.stack = info.stack;
    const cls = classifyTrap(e);
    if (!cls) {
      // Not a trap: something in the worker's own code threw, a kernel bug (SIGSYS).
      e.message = `thread ${t.tid}: ${info.name}: ${info.message}`;
      return this.finish({ ok: false, error: e });
    }
    const record: ThreadFaultRecord = {
      ...makeFaultRecord(e, cls, this.p.pid, this.p.program, this.prog.functionNames()), tid: t.tid,
    };
    addSourceLines(record, this.prog);
    this.p.fault = record;
    procFault.publish(record);
    this.finish({ ok: false, error: new Killed(cls.signal) });
  }

  /** Adds the CPU time the thread's worker reported since last time. */
  private account(t: Thread): void {
    const now = t.server.cpuNs;
    if (now > t.cpuNs) {
      this.p.acct.cpuNs += now - t.cpuNs;
      t.cpuNs = now;
    }
  }

  // ---- system calls from threads ----

  private request(t: Thread, s: ChannelServer): void {
    if (this.finished) return;
    const held = this.p.trace?.backlog(); // a tracer's reader is behind: wait for it (trace/tracer.ts)
    if (held) return void held.then(() => this.request(t, s));
    this.account(t);
    const n = s.call;
    if (n === CALL_THREAD_SPAWN) {
      const startArg = s.args(['i32'])[0] as number;
      return this.whenRunnable(t, () => this.spawn(startArg, s));
    }
    const c = this.table.calls[n];
    if (!c) return s.reply(E.NOSYS);
    serveChannelCall(this.k, this.p, this.calls, t, s, c, s.args(c.params));
  }

  /**
   * Runs `go` unless a fatal signal is pending (the process ends) or the process is stopped
   * (then once it is continued). Threads run on their own, so a stop takes hold of each
   * thread at its next system call, where the gate would take hold of a process.
   */
  private whenRunnable(t: Thread, go: () => void): void {
    const p = this.p;
    if (p.pendingKill !== 0) return this.finish({ ok: false, error: new Killed(p.pendingKill) });
    if (!p.stopped) return go();
    t.state = 'sleeping';
    t.wchan = 'signal';
    this.updateState(); // as jsproc.ts's lanes: the process's view follows its threads
    p.untilContinued().then(() => {
      if (this.finished || t.gone) return;
      t.state = 'running';
      t.wchan = null;
      this.updateState();
      this.whenRunnable(t, go);
    });
  }

  /** wasi.thread-spawn: a new thread's id once it is instantiated, or -EAGAIN. */
  private spawn(startArg: number, s: ChannelServer): void {
    this.p.acct.syscalls++;
    const limit = (this.p.limits as { threads?: number }).threads ?? DEFAULT_THREAD_LIMIT;
    if (this.threads.size + this.starting.size >= limit) return s.reply(-E.AGAIN);
    const tid = this.allocTid();
    this.launch(tid, startArg, (ok) => s.reply(ok ? tid : -E.AGAIN));
  }

  private allocTid(): number {
    while (this.threads.has(this.nextTid) || this.starting.has(this.nextTid)) this.nextTid = this.nextTid + 1 >= TID_LIMIT ? 1 : this.nextTid + 1;
    const tid = this.nextTid;
    this.nextTid = tid + 1 >= TID_LIMIT ? 1 : tid + 1;
    return tid;
  }

  /** ps's view: sleeping when every thread sleeps in a system call. */
  private updateState(): void {
    const p = this.p;
    if (this.finished || p.state === 'stopped') return;
    let wchan: string | null = null;
    for (const t of this.threads.values()) {
      if (t.state === 'running') {
        p.state = 'running';
        p.wchan = null;
        return;
      }
      wchan ??= t.wchan;
    }
    p.state = 'sleeping';
    p.wchan = wchan;
  }

  // ---- signals and the end ----

  /** Sleeps on the process so that kill() (p.pendingKill, p.interrupt()) reaches the group. */
  private async watchSignals(): Promise<void> {
    while (!this.finished) {
      await this.p.sleep(new Promise<never>(() => {}));
      if (!this.finished && this.p.pendingKill !== 0) this.finish({ ok: false, error: new Killed(this.p.pendingKill) });
    }
  }

  /** Ends the process: stops serving, terminates every worker, then settles `done`. */
  finish(o: Outcome): void {
    if (this.finished) return;
    this.finished = true;
    this.p.interrupt(); // ends watchSignals' sleep
    const ending: Promise<unknown>[] = [];
    for (const t of this.threads.values()) {
      t.gone = true;
      t.server.close();
      t.wake?.();
      for (const timer of t.timers) clearTimeout(timer);
      t.timers.length = 0;
      this.account(t);
      // The main thread that returned is idle and may serve again; the others may be running.
      if (o.ok && t.tid === 0) releaseWorker(t.worker);
      else if (!t.worker.dead) ending.push(t.worker.terminate());
    }
    this.threads.clear();
    if (this.memory.buffer.byteLength > POOL_KEEP_MEMORY) dropIdle(this);
    Promise.allSettled(ending).then(() => {
      groups.delete(this.p);
      this.settle(o);
    });
  }
}

/**
 * Runs a threaded program's process (prog.threads is set): creates its shared memory and
 * its main thread. The promise settles when the process has ended and all its workers are
 * gone: it resolves if _start returned, and rejects with ProcExit (proc_exit from any thread;
 * 126 with p.error set if it could not start), Killed (a fatal signal, or a trap: p.fault is
 * then a ThreadFaultRecord) or another error (a kernel bug).
 */
export function startThreads(k: Kernel, p: Process, prog: Program): Promise<void> {
  let g: ThreadGroup;
  try {
    g = new ThreadGroup(k, p, prog);
  } catch (e) {
    return Promise.reject(e);
  }
  groups.set(p, g);
  g.start();
  return g.done;
}

/** The threads of a process, for ps and /proc; empty for a process without threads. */
export function threadsOf(p: Process): ThreadInfo[] {
  const g = groups.get(p);
  if (!g) return [];
  return [...g.threads.values()].map((t) => ({ tid: t.tid, state: t.state, wchan: t.wchan, cpuNs: t.cpuNs }));
}
