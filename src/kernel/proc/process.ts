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

export interface Accounting {
  /** CPU time on the kernel thread, ns (guest code and the syscalls it makes). */
  cpuNs: number;
  /** When it was created: monotonic ns since the kernel booted. */
  startNs: number;
  syscalls: number;
  /** Times it slept in a blocking syscall. */
  voluntarySwitches: number;
  bytesRead: number;
  bytesWritten: number;
}

export interface Limits {
  /** RLIMIT_NOFILE. */
  openFiles: number;
}

/** Marker returned by a syscall handler that has called block(). Never a valid errno. */
export const BLOCK = -1;

export class Process {
  readonly pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  uid = 0;
  gid = 0;
  /** argv[0] is the program name as given; `name` is what ps shows (the basename). */
  readonly argv: readonly string[];
  readonly env: readonly string[];
  readonly name: string;
  /** The program's host path or description, for fault records. */
  readonly program: string;
  /** The process's root directory (chroot) and current directory, as namespace locations. */
  root: Loc;
  cwd: Loc;
  readonly fds: FdTable;
  readonly limits: Limits;
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
  private wake: (() => void) | null = null;
  /** Timers armed for the current sleep; cleared when it ends, however it ends. */
  private readonly timers: NodeJS.Timeout[] = [];

  exitStatus: ExitStatus | null = null;
  readonly exited: Promise<ExitStatus>;
  private resolveExit!: (s: ExitStatus) => void;
  /** Why it could not start (bad module, missing import): set before exited resolves. */
  error: Error | null = null;
  /** The fault record, when a trap ended it. */
  fault: import('./fault.ts').FaultRecord | null = null;
  /** Capture buffers of fds given as 'capture' at spawn. */
  readonly captures = new Map<number, CaptureOutput>();

  constructor(init: {
    pid: number; ppid: number; argv: readonly string[]; env: readonly string[]; program: string;
    root: Loc; cwd: Loc; limits: Limits; startNs: number;
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
    this.limits = init.limits;
    this.fds = new FdTable(init.limits.openFiles);
    this.acct = { cpuNs: 0, startNs: init.startNs, syscalls: 0, voluntarySwitches: 0, bytesRead: 0, bytesWritten: 0 };
    this.exited = new Promise((r) => (this.resolveExit = r));
  }

  /** Asks the gate to sleep on `until` and retry; returns BLOCK for the handler to return. */
  block(until: Promise<unknown>): number {
    this.waitFor = until;
    return BLOCK;
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
    this.resolveExit(status);
  }
}
