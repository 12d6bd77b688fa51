// JavaScript processes: a process whose program is JavaScript runs in a V8 isolate of its
// own (a worker thread, pool.ts) and makes the same system calls as a WASI process, served
// here by the same handlers (docs/jsproc.md).
//
// Design note.
//
// - Memory. The kernel gives the process a shared WebAssembly.Memory and sets p.mem over it:
//   the runtime in the isolate lays out a call's arguments there as a C program would, so
//   every handler checks them as for any process (EFAULT outside it). Nothing else is
//   shared with the isolate but its lanes.
// - Lanes. Lane 0 is the synchronous one (the isolate waits in Atomics.wait); others carry
//   the promise forms, one call each, and are offered by the isolate as it needs them (a
//   message with a fresh slot; 'lane-ok' once it is served). Each lane keeps its call's
//   restart/waitFor/timers, swapped into the process around the handler, as threads do
//   (proc/threads.ts). A call that blocks is awaited and retried here, as the gate does.
// - Signals. A fatal one (p.pendingKill) ends the process at once: the isolate is terminated
//   wherever it is, computing or waiting. Caught ones are Node's `process.on('SIGTERM')`:
//   the runtime asks for them with sigaction (disposition catch, SA_RESTART), so the kernel
//   makes them pending; they are taken here after every call and whenever the process is
//   woken (a sleep on the process that Kernel.signal interrupts, as in threads.ts), and
//   posted to the isolate, whose event loop emits them. A call asleep is not interrupted by
//   a caught signal (Node restarts such calls itself). Default actions apply as for any
//   process; a stop holds the process's calls until SIGCONT (its JS keeps running until its
//   next call).
// - Ending. The runtime ends the process with proc_exit when Node would exit (the event loop
//   drained, process.exit(), an uncaught exception after printing it): the isolate then
//   waits forever in that call and is terminated in the background. A kill terminates it
//   and the process ends when it is gone — or, if it is not gone after a grace period, all
//   the same (guard.ts gives the isolate up). Reaching the heap limit ends it with SIGABRT
//   and a fault record (Node itself aborts there); passing the memory limit outside the
//   heap (ArrayBuffers: guard.ts's watchdog) with SIGKILL and a fault record. If the
//   isolate ends by itself, its exit code is the status.
// - Trust. The isolate is the process: nothing it sends is believed. Calls are system calls,
//   checked as any; messages are checked for shape; lanes are capped (JS_MAX_LANES).
import { heapProbe, loopProbe } from '../acct/acct.ts';
import { DISPOSITION, SA, SIG, defaultAction, signalName } from '../../abi/signals.ts';
import { E } from '../../abi/wasi.ts';
import { fail, Killed, ProcExit, SysError } from '../errors.ts';
import type { Kernel } from '../kernel.ts';
import type { Program } from '../proc/loader.ts';
import type { Process } from '../proc/process.ts';
import type { FaultRecord } from '../proc/fault.ts';
import { ChannelServer, SLOT_BYTES, type ParamType } from '../syscall/channel.ts';
import { GuestMemory } from '../syscall/guest-memory.ts';
import { procFault } from '../trace/channels.ts';
import { GARBAGE_SLACK, graceAfterTerminate, threadCpuNs, unwatch, watch, type Guarded, type SilentGrowth } from './guard.ts';
import { claimWorker, heapMbFor, type JsWorker } from './pool.ts';
import { CALL_JS_STRIP, JS_MAX_LANES, JS_STRIP_MAX, type JsJob, type ToWorker } from './protocol.ts';
import { stripTypes } from './strip.ts';
import { channelCalls, serveChannelCall, type CallDef, type ChannelCalls } from '../proc/channel-call.ts';

/** The process's memory: 512 KiB to start, grown by the runtime up to 64 MiB. */
const MEMORY_INITIAL_PAGES = 8;
const MEMORY_MAX_PAGES = 1024;
/** Async lanes given with the job. */
const INITIAL_ASYNC_LANES = 2;
/** How often the CPU limit of a JS process is looked at, when it has one (ms). */
const CPU_WATCH_MS = 50;
const MIB = 1 << 20;

/** What a fault record says when a JS process reached its heap limit. */
export interface JsFaultRecord extends FaultRecord {
  /** The isolate's heap limit, MiB. */
  heapMb: number;
}

interface CallTable {
  calls: CallDef[];
  wire: [string, ParamType[]][];
}
const tables = new WeakMap<Kernel, CallTable>();

function callTable(k: Kernel): CallTable {
  let t = tables.get(k);
  if (!t) {
    const calls = channelCalls(k);
    t = { calls, wire: calls.map((c) => [c.key, c.params]) };
    tables.set(k, t);
  }
  return t;
}

/**
 * Stands in for a wasm instance on a JS process: sigaction accepts a caught disposition
 * only for a process that exports __isokernel_signal. The gate, which would call it, never
 * runs for a JS process; this runtime delivers caught signals itself (see the design note).
 */
const STAND_IN = Object.freeze({ exports: Object.freeze({ __isokernel_signal: () => 0 }) }) as unknown as WebAssembly.Instance;

class Lane {
  readonly id: number;
  readonly server: ChannelServer;
  restart: unknown = null;
  waitFor: Promise<unknown> | null = null;
  timers: NodeJS.Timeout[] = [];
  wake: (() => void) | null = null;
  sleeping: string | null = null;
  constructor(id: number, slot: SharedArrayBuffer, serve: (l: Lane, s: ChannelServer) => void) {
    this.id = id;
    this.server = new ChannelServer(slot, (s) => serve(this, s));
  }
}

type Outcome = { ok: true } | { ok: false; error: unknown };

const running = new WeakMap<Process, JsProcess>();

class JsProcess {
  private readonly k: Kernel;
  private readonly p: Process;
  private readonly prog: Program;
  private readonly table: CallTable;
  private readonly memory: WebAssembly.Memory;
  private readonly lanes = new Map<number, Lane>();
  private readonly initialSlots: SharedArrayBuffer[] = [];
  readonly heapMb: number;
  private worker: JsWorker | null = null;
  private finished = false;
  /** The worker's CPU time (ns) already added to the process's account. */
  private workerNs = 0;
  /** The largest CPU time a request reported before workerNs was known (run()). */
  private seenNs = 0;
  private cpuWatch: NodeJS.Timeout | null = null;
  /** The memory watchdog's view of this process (guard.ts). */
  private guarded: Guarded | null = null;
  private settle!: (o: Outcome) => void;
  readonly done: Promise<void>;

  constructor(k: Kernel, p: Process, prog: Program) {
    this.k = k;
    this.p = p;
    this.prog = prog;
    this.table = callTable(k);
    this.heapMb = heapMbFor(p.limits.memoryPages);
    this.memory = new WebAssembly.Memory({ initial: MEMORY_INITIAL_PAGES, maximum: MEMORY_MAX_PAGES, shared: true });
    this.done = new Promise<Outcome>((r) => (this.settle = r)).then((o) => {
      if (!o.ok) throw o.error;
    });
    for (let i = 0; i <= INITIAL_ASYNC_LANES; i++) {
      const slot = new SharedArrayBuffer(SLOT_BYTES);
      this.initialSlots.push(slot);
      this.lanes.set(i === 0 ? 0 : -i, new Lane(i === 0 ? 0 : -i, slot, (l, s) => this.request(l, s)));
    }
  }

  start(): void {
    const p = this.p;
    p.mem = new GuestMemory(this.memory);
    p.instance = STAND_IN;
    // Node ignores SIGPIPE: a write to a pipe without readers is an EPIPE error.
    p.sig.setAction(SIG.PIPE, { disposition: DISPOSITION.IGNORE, mask: 0, flags: 0 });
    p.state = 'running';
    claimWorker(this.heapMb, (w) => {
      if (this.finished) {
        if (w) void w.terminate();
        return;
      }
      if (!w) {
        p.error = new Error(`${this.prog.name}: cannot start an isolate for a JavaScript process`);
        return this.finish({ ok: false, error: new ProcExit(126) });
      }
      this.run(w);
    });
    void this.watchSignals();
  }

  private run(w: JsWorker): void {
    const p = this.p;
    this.worker = w;
    w.events = {
      message: (m) => this.message(m),
      error: (e) => this.workerError(e),
      exit: (code) => this.finish(code === 0 ? { ok: true } : { ok: false, error: new ProcExit(code) }),
    };
    for (const l of this.lanes.values()) l.server.listen();
    const preopens: [number, string][] = [];
    // open descriptors only, also those above a lowered RLIMIT_NOFILE (fd_next's walk)
    for (let fd = p.fds.nextOpen(3); fd >= 0 && fd < 3 + 64; fd = p.fds.nextOpen(fd + 1)) {
      const name = p.fds.get(fd).preopen;
      if (name !== null) preopens.push([fd, name]);
    }
    const job: JsJob = {
      type: 'job', memory: this.memory, lanes: this.initialSlots, calls: this.table.wire,
      pid: p.pid, ppid: p.ppid, argv: [...p.argv], env: [...p.env], cwd: p.cwdPath, preopens,
      main: this.prog.js?.main ? { path: this.prog.js.main.path, source: this.prog.js.main.source } : null,
      heapMb: this.heapMb, hostname: this.k.hostname, release: this.k.release, version: this.k.version,
      startHr: this.k.clock.bootMono + BigInt(Math.round(p.acct.startNs)),
    };
    this.post(job);
    p.acct.heapProbe = heapProbe(p, w); // /proc's memory figures (acct/acct.ts)
    p.acct.loopBusy = loopProbe(w); // R or S in ps when no call sleeps (acct/acct.ts)
    this.guard(w);
    // The worker booted ahead of need (pool.ts): its CPU time so far is the pool's, not this
    // process's. Its clock is read asynchronously; what requests report before the answer
    // is charged once it is known (account()).
    this.workerNs = -1;
    w.worker.cpuUsage().then((u) => {
      const base = (u.user + u.system) * 1000;
      const seen = this.seenNs;
      this.workerNs = base;
      if (seen > base && !this.finished) {
        this.p.acct.cpuNs += seen - base;
        this.workerNs = seen;
      }
    }, () => {
      this.workerNs = 0;
    });
    const cpuNs = (p as { cpuLimitNs?: number }).cpuLimitNs;
    if (cpuNs !== undefined && Number.isFinite(cpuNs)) this.watchCpu();
  }

  private post(m: ToWorker): void {
    try {
      this.worker?.worker.postMessage(m);
    } catch { /* the worker is gone: its exit event ends the process */ }
  }

  // ---- messages and worker events ----

  private message(m: unknown): void {
    if (this.finished || typeof m !== 'object' || m === null) return;
    const msg = m as { type?: unknown; id?: unknown; slot?: unknown };
    if (msg.type === 'lane') {
      const id = msg.id;
      if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) return;
      const ok = msg.slot instanceof SharedArrayBuffer && msg.slot.byteLength === SLOT_BYTES &&
        !this.lanes.has(id) && this.lanes.size <= JS_MAX_LANES;
      if (!ok) return this.post({ type: 'lane-refused', id });
      const lane = new Lane(id, msg.slot as SharedArrayBuffer, (l, s) => this.request(l, s));
      this.lanes.set(id, lane);
      lane.server.listen();
      this.post({ type: 'lane-ok', id });
    }
  }

  private workerError(e: Error): void {
    if (process.env.ISOKERNEL_DEBUG_JS === '1') process.stderr.write(`isokernel: JS process ${this.p.pid}: worker error: ${e.stack}\n`);
    if (this.finished) return;
    const code = (e as { code?: string }).code;
    if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
      const record: JsFaultRecord = {
        time: new Date(), pid: this.p.pid, program: this.p.program, signal: SIG.ABRT, signalName: signalName(SIG.ABRT),
        kind: `JavaScript heap out of memory (limit ${this.heapMb} MiB)`, message: e.message, frames: [], address: null,
        heapMb: this.heapMb,
      };
      this.p.fault = record;
      procFault.publish(record);
      return this.finish({ ok: false, error: new Killed(SIG.ABRT) });
    }
    // An error the runtime did not handle (a program that took its handlers away): Node's
    // worker reports it and exits with 1.
    this.finish({ ok: false, error: new ProcExit(1) });
  }

  // ---- system calls ----

  private account(s: ChannelServer): void {
    const now = s.cpuNs;
    if (this.workerNs < 0) {
      // The worker's CPU time at the start is not known yet (run()): remember, charge later.
      if (Number.isFinite(now) && now > this.seenNs) this.seenNs = now;
      return;
    }
    if (Number.isFinite(now) && now > this.workerNs) {
      this.p.acct.cpuNs += now - this.workerNs;
      this.workerNs = now;
    }
  }

  private request(lane: Lane, s: ChannelServer): void {
    if (this.finished) return;
    const held = this.p.trace?.backlog(); // a tracer's reader is behind: wait for it (trace/tracer.ts)
    if (held) return void held.then(() => this.request(lane, s));
    this.account(s);
    const n = s.call;
    if (n === CALL_JS_STRIP) return this.whenRunnable(lane, () => this.reply(s, this.strip(s)));
    const c = this.table.calls[n];
    if (!c) return this.reply(s, E.NOSYS);
    serveChannelCall(this.k, this.p, this.calls, lane, s, c, s.args(c.params));
  }

  /** How its lanes' system calls are served (proc/channel-call.ts). */
  private readonly calls: ChannelCalls<Lane> = {
    traceId: (lane) => lane.id,
    runnable: (lane, go) => this.whenRunnable(lane, go),
    sleeping: (lane, wchan) => {
      lane.sleeping = wchan;
      this.updateState();
    },
    over: () => this.finished,
    died: (error) => this.finish({ ok: false, error }),
    reply: (s, r) => this.reply(s, r),
  };

  private reply(s: ChannelServer, r: number): void {
    s.reply(r);
    this.deliver();
  }

  /** Runs `go` unless the process is to die (it ends) or is stopped (then once continued). */
  private whenRunnable(lane: Lane, go: () => void): void {
    const p = this.p;
    if (p.pendingKill !== 0) return this.finish({ ok: false, error: new Killed(p.pendingKill) });
    if (!p.stopped) return go();
    lane.sleeping = 'signal';
    this.updateState();
    p.untilContinued().then(() => {
      if (this.finished) return;
      lane.sleeping = null;
      this.updateState();
      this.whenRunnable(lane, go);
    });
  }

  /** CALL_JS_STRIP (protocol.ts). */
  private strip(s: ChannelServer): number {
    const [ptr, len, cap, out] = s.args(['i32', 'i32', 'i32', 'i32']) as number[];
    const m = this.p.mem!;
    try {
      m.check(out!, 4);
      if (len! >>> 0 > JS_STRIP_MAX) fail(E['2BIG']);
      const source = m.string(ptr!, len!);
      let result: string;
      let errno = 0;
      this.k.cpu.enter(this.p);
      try {
        result = stripTypes(source);
      } catch (e) {
        result = (e as Error).message;
        errno = E.NOEXEC;
      } finally {
        this.k.cpu.leave(this.p);
      }
      const bytes = new TextEncoder().encode(result);
      m.setU32(out!, bytes.length);
      if (bytes.length > cap! >>> 0) return errno === 0 ? E.RANGE : (m.write(ptr!, bytes.subarray(0, cap! >>> 0)), errno);
      m.write(ptr!, bytes);
      return errno;
    } catch (e) {
      if (e instanceof SysError) return e.errno;
      throw e;
    }
  }

  /** ps's view: sleeping when lane 0 sleeps, or when nothing runs on it and an async call sleeps. */
  private updateState(): void {
    const p = this.p;
    if (this.finished || p.state === 'stopped') return;
    const l0 = this.lanes.get(0)!;
    let wchan = l0.sleeping;
    if (wchan === null) {
      for (const l of this.lanes.values()) if (l.sleeping !== null) wchan = l.sleeping;
    }
    p.state = wchan === null ? 'running' : 'sleeping';
    p.wchan = wchan;
  }

  // ---- signals ----

  /** Acts on the process's deliverable signals, as the gate does when a call returns. */
  private deliver(): void {
    const p = this.p;
    if (this.finished) return;
    if (p.pendingKill !== 0) return this.finish({ ok: false, error: new Killed(p.pendingKill) });
    if (p.stopped) return;
    for (;;) {
      const sig = p.sig.take();
      if (sig === 0) return;
      const a = p.sig.action(sig);
      if (a.disposition === DISPOSITION.IGNORE) continue;
      if (a.disposition === DISPOSITION.DEFAULT) {
        const d = defaultAction(sig);
        if (d === 'terminate' || d === 'core') return this.finish({ ok: false, error: new Killed(sig) });
        if (d === 'stop') {
          this.k.stopProcess(p, sig);
          return;
        }
        continue;
      }
      if ((a.flags & SA.RESETHAND) >>> 0) p.sig.setAction(sig, { disposition: DISPOSITION.DEFAULT, mask: 0, flags: 0 });
      this.post({ type: 'signal', sig });
    }
  }

  /** Sleeps on the process so that Kernel.signal's p.interrupt() reaches it (as threads.ts). */
  private async watchSignals(): Promise<void> {
    while (!this.finished) {
      await this.p.sleep(new Promise<never>(() => {}));
      this.deliver();
    }
  }

  /**
   * RLIMIT_CPU: the isolate's CPU time, looked at every CPU_WATCH_MS. worker.cpuUsage() is
   * answered at the isolate's next interrupt check; while a question waits (a long native
   * call: pbkdf2Sync, scryptSync), the thread's clock is read from /proc instead (guard.ts,
   * threadCpuNs), so a native call cannot run past the limit unseen.
   */
  private watchCpu(): void {
    let asking = false;
    const charge = (ns: number): void => {
      if (this.finished) return;
      if (this.workerNs >= 0 && ns > this.workerNs) {
        this.p.acct.cpuNs += ns - this.workerNs;
        this.workerNs = ns;
      }
      const p = this.p as Process & { cpuLimitNs?: number };
      const onLimit = (this.k.cpu as { onCpuLimit?: ((p: Process) => void) | null }).onCpuLimit;
      if (p.cpuLimitNs !== undefined && p.acct.cpuNs >= p.cpuLimitNs && onLimit) onLimit(p);
      this.deliver();
    };
    const tick = (): void => {
      const w = this.worker;
      if (this.finished || !w) return;
      if (!asking) {
        asking = true;
        w.worker.cpuUsage().then((u) => {
          asking = false;
          charge((u.user + u.system) * 1000);
        }, () => (asking = false));
      } else {
        const ns = threadCpuNs(w.worker);
        if (ns !== null) charge(ns);
      }
      this.cpuWatch = setTimeout(tick, CPU_WATCH_MS);
    };
    this.cpuWatch = setTimeout(tick, CPU_WATCH_MS);
  }

  /** Puts the process under the memory watchdog (guard.ts). */
  private guard(w: JsWorker): void {
    const lane0 = this.lanes.get(0)!;
    this.guarded = {
      pid: this.p.pid,
      limitBytes: this.heapMb * MIB,
      host: this.k,
      worker: () => (this.finished ? null : w.worker),
      blocked: () => lane0.sleeping !== null,
      measured: (used, total) => {
        this.p.acct.heapUsed = used;
        this.p.acct.heapTotal = total;
      },
      overLimit: (why) => this.outOfMemory(why),
    };
    watch(this.guarded);
  }

  /** Over its memory limit outside the V8 heap (or unmeasurable and growing): SIGKILL and a fault record. */
  private outOfMemory(why: { used: number; external: number } | SilentGrowth): void {
    if (this.finished) return;
    const mb = (n: number): string => (n / MIB).toFixed(1);
    const message = 'external' in why
      ? `heap in use ${mb(why.used)} MiB + external memory (ArrayBuffers, Buffers, typed arrays) ${mb(why.external)} MiB, over the limit of ${this.heapMb} MiB (+ ${GARBAGE_SLACK / MIB} MiB for garbage)`
      : `the isolate did not answer for ${why.silentMs} ms while the host grew by ${mb(why.grewBytes)} MiB (${mb(why.explainedBytes)} MiB explained by other processes and the kernel); its thread ran ${why.ranMs} ms and grew it by at least ${mb(why.ownBytes)} MiB (limit ${this.heapMb} MiB)`;
    const record: JsFaultRecord = {
      time: new Date(), pid: this.p.pid, program: this.p.program, signal: SIG.KILL, signalName: signalName(SIG.KILL),
      kind: 'external' in why ? `JavaScript process out of memory (limit ${this.heapMb} MiB)` : `JavaScript isolate unresponsive and growing (limit ${this.heapMb} MiB)`,
      message, frames: [], address: null, heapMb: this.heapMb,
    };
    this.p.fault = record;
    procFault.publish(record);
    this.finish({ ok: false, error: new Killed(SIG.KILL) });
  }

  // ---- the end ----

  finish(o: Outcome): void {
    if (this.finished) return;
    this.finished = true;
    if (this.cpuWatch) clearTimeout(this.cpuWatch);
    if (this.guarded) unwatch(this.guarded);
    this.p.interrupt(); // ends watchSignals' sleep
    for (const l of this.lanes.values()) {
      l.server.close();
      l.wake?.();
      for (const t of l.timers) clearTimeout(t);
      l.timers.length = 0;
    }
    running.delete(this.p);
    const w = this.worker;
    this.worker = null;
    // After proc_exit the isolate waits in that call forever and can do nothing more: it is
    // ended in the background. Otherwise it may be computing: the process ends once it is gone.
    const exiting = !o.ok && o.error instanceof ProcExit && w !== null && !w.dead;
    if (!w || w.dead) return this.settle(o);
    const gone = w.terminate();
    // An isolate that does not end is given up after a grace period (guard.ts): the process
    // ends for the kernel all the same.
    graceAfterTerminate(w.worker, gone, { pid: this.p.pid, program: this.p.program }, () => this.settle(o));
    if (exiting) return this.settle(o);
    gone.then(() => this.settle(o), () => this.settle(o));
  }
}

/**
 * Runs a JavaScript program's process (prog.js is set) in an isolate of its own. Settles
 * when the process has ended: resolves if its isolate exited with 0 by itself, rejects with
 * ProcExit (exit codes; 126 with p.error set if no isolate could be had), Killed (a fatal
 * signal; SIGABRT with p.fault set at the heap limit) or another error (a kernel bug).
 */
export function startJs(k: Kernel, p: Process, prog: Program): Promise<void> {
  const js = new JsProcess(k, p, prog);
  running.set(p, js);
  js.start();
  return js.done;
}

/** Whether `p` is a JS process that is running, and its heap limit (for ps and /proc). */
export function jsInfo(p: Process): { heapMb: number } | null {
  const js = running.get(p);
  return js ? { heapMb: js.heapMb } : null;
}
