// A process: identity, credentials, namespace position, descriptors, accounting and the
// wasm instance that runs it. The kernel (kernel.ts) creates, starts and ends processes;
// the syscall layer reads and changes them through `cpu.current`.
//
// Sleeping: a syscall that must wait calls block() and returns BLOCK; the gate (syscall/
// gate.ts) then suspends the guest's stack with JSPI and sleeps on the promise until it
// settles or the process is interrupted (a fatal signal), then runs the syscall again.
// State kept across those attempts (a poll deadline, say) lives in `restart`.
import type { Loc } from '../vfs/namespace.ts';
import { FdTable } from '../fd/fd-table.ts';
import type { GuestMemory } from '../syscall/guest-memory.ts';
import type { CaptureOutput } from '../fd/stdio.ts';
import { fail } from '../errors.ts';
import { SignalState } from './signals.ts';
import { WaitQueue } from '../wait-queue.ts';
import type { TraceSession } from '../trace/tracer.ts';
import { type Accounting, newAccounting } from '../acct/acct.ts';

export type ProcState = 'embryo' | 'running' | 'runnable' | 'sleeping' | 'stopped' | 'zombie';

export interface ExitStatus {
  /** The exit code (proc_exit's argument, or 0 when _start returned), or null if killed. */
  code: number | null;
  /** The signal that ended the process (Linux numbering), or null. */
  signal: number | null;
  /** As a shell reports it: code & 0xff, or 128 + signal. */
  status: number;
  /** A core-dumping signal ended it (whether a core file was written or not). */
  core: boolean;
}

export type { Accounting } from '../acct/acct.ts';

export interface Limits {
  /** RLIMIT_NOFILE. */
  openFiles: number;
  /**
   * Linear memory, in 64 KiB pages: memory.grow beyond it fails (returns -1; malloc gets
   * NULL). Enforced by the instrumentation (syscall/isk-guard.ts); 65536 is wasm32's 4 GiB.
   */
  memoryPages: number;
  /** Threads of a wasi-threads process, its main thread included (thread-spawn: EAGAIN). */
  threads: number;
  /** RLIMIT_CORE: the largest core file a fault may write, in bytes; 0 = no core file. */
  coreBytes: number;
  /** RLIMIT_CPU, in ms of CPU time: SIGXCPU past the soft value, SIGKILL at the hard one (proc/rlimit.ts). */
  cpuMs: number;
  /** RLIMIT_FSIZE, in bytes: a write or truncate of a regular file beyond it gets SIGXFSZ and EFBIG. */
  fileBytes: number;
  /** Live children at most (isokernel's RLIMIT_NCHILD): spawn answers EAGAIN beyond. */
  children: number;
  /** RLIMIT_NPROC: processes of the caller's uid in the whole kernel, at most (spawn: EAGAIN). */
  userProcesses: number;
}

/** A blocking call's state across its attempts: the process's own, a thread's, a JS lane's. */
export interface CallState {
  restart: unknown;
  waitFor: Promise<unknown> | null;
  timers: NodeJS.Timeout[];
}

/** Marker returned by a syscall handler that has called block(). Never a valid errno. */
export const BLOCK = -1;
/**
 * Returned (as an errno) by a restartable call that a caught SA_RESTART signal interrupted:
 * the gate runs the handler, then makes the call again. Never seen by the guest.
 */
export const RESTART = -2;

/** An ITIMER_REAL timer: SIGALRM at `deadline` (monotonic ns), then every `interval` ns. */
export interface RealTimer {
  deadline: bigint;
  interval: bigint;
  timeout: NodeJS.Timeout;
}

export class Process {
  readonly pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  uid = 0;
  gid = 0;
  /** argv[0] is the program name as given; `name` is what ps shows (the basename). Set anew by exec. */
  argv: readonly string[];
  env: readonly string[];
  name: string;
  /** The program's host path or description, for fault records. */
  program: string;
  /** The process's root directory (chroot) and current directory, as namespace locations. */
  root: Loc;
  cwd: Loc;
  /** The cwd as an absolute path (getcwd), kept beside `cwd` by chdir. */
  cwdPath: string;
  umask = 0o022;
  /** Live children and zombies not yet waited for. */
  readonly children = new Set<Process>();
  readonly sig: SignalState;
  /** Stopped by a stop signal: runs no guest code until SIGCONT or SIGKILL. */
  stopped = false;
  /** Changes its parent has not yet collected with wait(WUNTRACED / WCONTINUED). */
  reportStop = 0;
  reportContinued = false;
  /** Set while a blocking call is retried after a caught signal woke it: E.INTR or RESTART. */
  intr = 0;
  realTimer: RealTimer | null = null;
  /** ITIMER_VIRTUAL / ITIMER_PROF: deadlines and intervals in CPU ns (0: disarmed). */
  readonly cpuTimers = [{ deadline: 0, interval: 0 }, { deadline: 0, interval: 0 }];
  readonly fds: FdTable;
  /** Resource limits: `limits` holds the soft values (enforced), `hardLimits` their ceilings. Unlimited: Infinity. */
  readonly limits: Limits;
  readonly hardLimits: Limits;
  /** CPU time (ns) at which the CPU limit must be looked at next (proc/rlimit.ts); Infinity: never. */
  cpuLimitNs = Infinity;
  readonly acct: Accounting;

  state: ProcState = 'embryo';
  /** The syscall it sleeps in (ps's WCHAN), or null. */
  wchan: string | null = null;

  mem: GuestMemory | null = null;
  /** argv and environ as the ABI layer encoded them (syscall/wasi-core.ts), on first use. */
  encodedArgs: unknown = null;
  encodedEnv: unknown = null;
  instance: WebAssembly.Instance | null = null;

  /** Per-syscall state across restarts of one blocking call; reset by each new call. */
  restart: unknown = null;
  /** What block() asked to wait for. */
  waitFor: Promise<unknown> | null = null;
  /** A fatal signal to deliver at the next chance (0: none). */
  pendingKill = 0;
  /** The trace session tracing it (trace/tracer.ts), or null: the one check on the syscall path. */
  trace: TraceSession | null = null;
  private wake: (() => void) | null = null;
  private continued: (() => void) | null = null;
  private readonly childEvents = new WaitQueue();
  /** Timers armed for the current sleep; cleared when it ends, however it ends. */
  private readonly timers: NodeJS.Timeout[] = [];

  exitStatus: ExitStatus | null = null;
  readonly exited: Promise<ExitStatus>;
  private resolveExit!: (s: ExitStatus) => void;
  /** Why it could not start (bad module, missing import): set before exited resolves. */
  error: Error | null = null;
  /** The fault record, when a trap ended it. */
  fault: import('./fault.ts').FaultRecord | null = null;
  /**
   * exec: the process's image is replaced — the old program's stack has been unwound — and
   * this resets what belonged to it. The kernel (Kernel.execImage) then starts the new one.
   * Kept, as POSIX says: pid, parent, group, session, ids, cwd, root, umask, limits, the
   * signal mask and pending signals, ignored signals, timers, descriptors without
   * close-on-exec, accounting.
   */
  replaceImage(argv: readonly string[], env: readonly string[], program: string): void {
    this.argv = argv;
    this.env = env;
    this.program = program;
    const a0 = argv[0] ?? program;
    this.name = a0.slice(a0.lastIndexOf('/') + 1) || a0;
    this.encodedArgs = this.encodedEnv = null;
    this.instance = null;
    this.mem = null;
    this.restart = this.waitFor = null;
    this.intr = 0;
    this.fault = null;
    this.fds.closeOnExec();
    this.sig.resetForExec();
  }

  /** Capture buffers of fds given as 'capture' at spawn. */
  readonly captures = new Map<number, CaptureOutput>();

  constructor(init: {
    pid: number; ppid: number; argv: readonly string[]; env: readonly string[]; program: string;
    root: Loc; cwd: Loc; cwdPath?: string; limits: Limits; hardLimits?: Limits; startNs: number; sig?: SignalState;
  }) {
    this.pid = init.pid;
    this.ppid = init.ppid;
    this.pgid = init.pid;
    this.sid = init.pid;
    this.argv = init.argv;
    this.env = init.env;
    this.program = init.program;
    const a0 = init.argv[0] ?? init.program;
    this.name = a0.slice(a0.lastIndexOf('/') + 1) || a0;
    this.root = init.root;
    this.cwd = init.cwd;
    this.cwdPath = init.cwdPath ?? '/';
    this.sig = init.sig ?? new SignalState();
    this.limits = init.limits;
    this.hardLimits = init.hardLimits ?? { ...init.limits };
    this.fds = new FdTable(init.limits.openFiles);
    this.acct = newAccounting(init.startNs);
    this.exited = new Promise((r) => (this.resolveExit = r));
  }

  /**
   * Asks the gate to sleep on `until` and retry; returns BLOCK for the handler to return.
   * In a retry after a caught signal woke the call, throws EINTR (or RESTART) instead.
   */
  block(until: Promise<unknown>): number {
    if (this.intr !== 0) fail(this.intr);
    this.waitFor = until;
    return BLOCK;
  }

  /**
   * block() for a short wait no caught signal may cut short (the handler runs when the call
   * returns): for calls that never sleep on Linux, which programs do not retry on EINTR. A
   * fatal signal or a stop still acts at once (the gate's slow path).
   */
  blockThrough(until: Promise<unknown>): number {
    this.waitFor = until;
    return BLOCK;
  }

  /** Whether the gate must look at this process's signals when a syscall returns. */
  needsAttention(): boolean {
    return this.pendingKill !== 0 || this.stopped || this.sig.deliverable() !== 0 || this.sig.suspendMask !== null;
  }

  /** Resolves when the process is continued (or is to die). */
  untilContinued(): Promise<void> {
    if (!this.stopped) return Promise.resolve();
    return new Promise((r) => {
      const prev = this.continued;
      this.continued = () => {
        prev?.();
        r();
      };
    });
  }

  /** Ends a stop: wakes what waits in untilContinued(). */
  resumeFromStop(): void {
    this.stopped = false;
    if (this.state === 'stopped') this.state = this.wchan !== null ? 'sleeping' : 'runnable';
    const c = this.continued;
    this.continued = null;
    c?.();
  }

  /** Resolves at the next change of state of a child (wait sleeps on it). */
  nextChildEvent(): Promise<void> {
    return this.childEvents.wait();
  }

  childChanged(): void {
    this.childEvents.wake();
  }

  /** Sleeps until `until` settles or interrupt() is called. */
  async sleep(until: Promise<unknown>): Promise<void> {
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      until.then(() => resolve(), () => resolve());
    });
    this.wake = null;
    this.clearTimers();
  }

  /** A timer that belongs to the current sleep (see Kernel.sleepUntil). */
  addTimer(t: NodeJS.Timeout): void {
    this.timers.push(t);
  }

  clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.length = 0;
  }

  /**
   * Runs `fn` (a handler call) with `state` as the process's per-call state — a thread's or a
   * JS lane's own (proc/threads.ts, jsproc/jsproc.ts), so that concurrent calls of one process
   * do not clobber each other — and saves what it left (restart, waitFor, timers) back.
   */
  withCallState<T>(state: CallState, fn: () => T): T {
    const mark = this.timers.length;
    const savedRestart = this.restart;
    const savedWait = this.waitFor;
    this.restart = state.restart;
    this.waitFor = null;
    try {
      return fn();
    } finally {
      state.restart = this.restart;
      state.waitFor = this.waitFor;
      this.restart = savedRestart;
      this.waitFor = savedWait;
      if (this.timers.length > mark) state.timers.push(...this.timers.splice(mark));
    }
  }

  /** Wakes the process from its sleep (to die, or to handle a signal). */
  interrupt(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** What a process's fd captured (spawn stdio 'capture'). */
  output(fd: number): Buffer {
    const c = this.captures.get(fd);
    return c ? c.bytes() : Buffer.alloc(0);
  }

  /** Called once by the kernel when the process ends. */
  finish(status: ExitStatus): void {
    this.exitStatus = status;
    this.state = 'zombie';
    this.wchan = null;
    this.stopped = false;
    if (this.realTimer) clearTimeout(this.realTimer.timeout);
    this.realTimer = null;
    this.resolveExit(status);
  }
}
