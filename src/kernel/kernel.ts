// The kernel: boots a namespace, creates processes and runs them on the kernel thread.
//
//   const kernel = await Kernel.boot({});
//   const p = kernel.spawn({ program: 'hello.wasm', args: ['hello'], stdio: ['null', 'capture', 'inherit'] });
//   const status = await p.exited;
//
// One import object serves every process: syscalls find their process in cpu.current
// (proc/cpu.ts). A process runs from WebAssembly.promising(_start) until it ends or sleeps
// in a blocking syscall (syscall/gate.ts); the host's event loop is the scheduler, and a
// sleeping process costs its JSPI stack and its memory, nothing else.
import { defaultAction, SIG } from '../abi/signals.ts';
import { E, RIGHTS, RIGHTS_ALL, RIGHTS_DIRECTORY, RIGHTS_STREAM } from '../abi/wasi.ts';
import { fail, Killed, KernelError, ProcExit, SysError } from './errors.ts';
import { Clock } from './clock.ts';
import { DirectoryFile, type OpenFile, VnodeFile } from './fd/open-file.ts';
import { BytesInput, CaptureOutput, HostInput, HostOutput } from './fd/stdio.ts';
import { Cpu } from './proc/cpu.ts';
import { classifyTrap, makeFaultRecord, type FaultRecord } from './proc/fault.ts';
import { Loader, type Program } from './proc/loader.ts';
import { type ExitStatus, type Limits, Process } from './proc/process.ts';
import { buildImports, type SyscallTable } from './syscall/dispatch.ts';
import { GuestMemory } from './syscall/guest-memory.ts';
import { coreSyscalls } from './syscall/wasi-core.ts';
import { fdSyscalls } from './syscall/wasi-fd.ts';
import { pathSyscalls, rightsForKind } from './syscall/wasi-path.ts';
import { pollSyscalls } from './syscall/wasi-poll.ts';
import { sockSyscalls } from './syscall/wasi-sock.ts';
import { kernelBug, procExit, procFault, procSpawn } from './trace/channels.ts';
import { DevFs } from './vfs/devfs.ts';
import { HostFs } from './vfs/hostfs.ts';
import { type Loc, type Mount, Namespace } from './vfs/namespace.ts';
import { TmpFs } from './vfs/tmpfs.ts';
import { FileSystem } from './vfs/vnode.ts';

// Fault records want whole backtraces.
if (Error.stackTraceLimit < 64) Error.stackTraceLimit = 64;

export type MountSpec =
  | { type: 'tmpfs'; readOnly?: boolean; maxBytes?: number }
  | { type: 'hostfs'; host: string; readOnly?: boolean }
  | { type: 'devfs' };

export interface BootOptions {
  /** The root filesystem; default a fresh tmpfs holding /dev (devfs) and /tmp. */
  root?: MountSpec | FileSystem;
  /** More mounts, in order. */
  mounts?: { path: string; fs: MountSpec | FileSystem }[];
}

/**
 * A standard stream at spawn: 'null' (/dev/null), 'inherit' (the host's own fd 0/1/2),
 * 'capture' (kept for Process.output), a host fd number, bytes to read, or a description.
 */
export type StdioSpec = 'null' | 'inherit' | 'capture' | number | Uint8Array | OpenFile;

export interface SpawnOptions {
  /** A host path to a .wasm file, its bytes, a compiled module, or a loaded Program. */
  program: string | Uint8Array | WebAssembly.Module | Program;
  /** argv, including argv[0]; default [program's basename]. */
  args?: readonly string[];
  env?: readonly string[] | Record<string, string>;
  /** The working directory (guest path); default '/'. */
  cwd?: string;
  stdio?: readonly StdioSpec[];
  /** Guest directories given as preopened descriptors 3, 4, ... in order. */
  preopens?: readonly string[];
  /** Append '/' as the last preopen (unless already there). Default true. */
  rootPreopen?: boolean;
  limits?: Partial<Limits>;
  ppid?: number;
}

const DEFAULT_LIMITS: Limits = { openFiles: 1024 };

export class Kernel {
  readonly cpu = new Cpu();
  readonly clock = new Clock();
  readonly ns: Namespace;
  readonly loader: Loader;
  readonly procs = new Map<number, Process>();
  readonly imports: WebAssembly.Imports;
  private readonly devMount: Mount;
  private nextPid = 1;
  private readonly hostStdio = new Map<string, OpenFile>();
  private readonly stopped = new Map<Process, () => void>();

  private constructor(opts: BootOptions) {
    const rootFs = opts.root === undefined ? new TmpFs() : toFs(opts.root);
    this.ns = new Namespace(rootFs);
    if (opts.root === undefined) this.ns.root.vnode.mkdir('tmp', 0o1777);
    this.devMount = this.ns.mount('/dev', new DevFs());
    for (const m of opts.mounts ?? []) this.mount(m.path, m.fs);
    const table: SyscallTable = {
      ...coreSyscalls(this), ...fdSyscalls(this), ...pathSyscalls(this), ...pollSyscalls(this), ...sockSyscalls(),
    };
    this.imports = { wasi_snapshot_preview1: buildImports(this.cpu, table) };
    this.loader = new Loader(new Map([['wasi_snapshot_preview1', new Set(Object.keys(table))]]));
  }

  static async boot(opts: BootOptions = {}): Promise<Kernel> {
    return new Kernel(opts);
  }

  /**
   * Mounts a filesystem at an absolute guest path (its parent directory must exist).
   * Errors: KernelError EMOUNT naming the path and the reason.
   */
  mount(path: string, spec: MountSpec | FileSystem): Mount {
    const fs = toFs(spec);
    try {
      return this.ns.mount(path, fs);
    } catch (e) {
      if (e instanceof SysError) throw new KernelError('EMOUNT', `cannot mount ${fs.type} at ${path}: ${e.message}`);
      throw e;
    }
  }

  /** Compiles (or finds in the cache) a program; throws a KernelError saying what is wrong. */
  async load(program: SpawnOptions['program']): Promise<Program> {
    if (typeof program === 'string') return this.loader.loadPath(program);
    if (program instanceof Uint8Array) return this.loader.loadBytes(program, '<bytes>');
    if (program instanceof WebAssembly.Module) return this.loader.fromModule(program, '<module>');
    return program;
  }

  /**
   * Creates a process and starts it as soon as its program is compiled. Bad spawn options
   * (a missing cwd or preopen) throw a KernelError; a program that cannot load ends the
   * process with status 126 (127 if missing) and sets `p.error`.
   */
  spawn(o: SpawnOptions): Process {
    const progName = typeof o.program === 'string' ? o.program : 'name' in o.program ? o.program.name : '<module>';
    const env = Array.isArray(o.env) ? [...o.env] : Object.entries(o.env ?? {}).map(([k, v]) => `${k}=${v}`);
    const root = this.ns.root;
    const cwd = this.guestDir(o.cwd ?? '/', 'cwd');
    const p = new Process({
      pid: this.allocPid(), ppid: o.ppid ?? 0, argv: o.args ?? [progName.slice(progName.lastIndexOf('/') + 1)],
      env, program: progName, root, cwd, limits: { ...DEFAULT_LIMITS, ...o.limits },
      startNs: this.clock.uptimeNs(),
    });
    const stdio = o.stdio ?? ['inherit', 'inherit', 'inherit'];
    try {
      for (let fd = 0; fd < stdio.length; fd++) {
        const file = this.stdioFile(stdio[fd]!, fd, p);
        // Host streams get stream rights (no seek): wasi-libc's isatty() looks for that.
        // Host streams also lack FD_FDSTAT_SET_FLAGS: wasmtime answers EBADF for stdio.
        let rights = file instanceof VnodeFile ? rightsForKind(file.filetype) : RIGHTS_STREAM & ~RIGHTS.FD_FDSTAT_SET_FLAGS;
        if (!file.readable) rights &= ~RIGHTS.FD_READ;
        if (!file.writable) rights &= ~RIGHTS.FD_WRITE;
        p.fds.setAt(fd, { file, rightsBase: rights, rightsInheriting: 0, preopen: null, dropped: 0 });
      }
      const preopens = [...(o.preopens ?? [])];
      if (o.rootPreopen !== false && !preopens.includes('/')) preopens.push('/');
      for (const path of preopens) {
        const loc = this.guestDir(path, 'preopen');
        p.fds.install(new DirectoryFile(loc, 0), RIGHTS_DIRECTORY, RIGHTS_ALL, path, 3);
      }
    } catch (e) {
      p.fds.closeAll();
      throw e;
    }
    this.procs.set(p.pid, p);
    procSpawn.publish({ pid: p.pid, ppid: p.ppid, argv: p.argv, program: p.program });

    const cached = typeof o.program === 'string' ? this.loader.cachedPath(o.program)
      : o.program instanceof Uint8Array || o.program instanceof WebAssembly.Module ? null : o.program;
    if (cached) queueMicrotask(() => this.start(p, cached));
    else {
      this.load(o.program).then((prog) => this.start(p, prog), (e: Error) => {
        p.error = e;
        this.end(p, { code: (e as KernelError).code === 'ENOENT' ? 127 : 126, signal: null });
      });
    }
    return p;
  }

  /**
   * Sends `sig` (Linux numbering) to process `pid`; 0 only checks it exists.
   * Errors: ESRCH (no such process), EINVAL (bad signal).
   */
  kill(pid: number, sig: number): void {
    const p = this.procs.get(pid);
    if (!p || p.state === 'zombie') fail(E.SRCH);
    if (sig < 0 || sig > 31) fail(E.INVAL);
    if (sig === 0) return;
    const action = sig === SIG.KILL ? 'terminate' : defaultAction(sig);
    if (action === 'continue') {
      this.stopped.get(p)?.();
      return;
    }
    if (action === 'terminate' || action === 'core') {
      p.pendingKill = sig;
      const resume = this.stopped.get(p);
      if (resume) resume();
      p.interrupt();
    }
    // 'stop' from outside and 'ignore' do nothing yet: stopping a process that is not in a
    // syscall needs preemption points (issue 5); signal handlers come with issue 3.
  }

  /** Stops `p` (it asked, with proc_raise); resolves when SIGCONT or a fatal signal comes. */
  stop(p: Process, _sig: number): Promise<void> {
    p.state = 'stopped';
    return new Promise((resolve) => {
      this.stopped.set(p, () => {
        this.stopped.delete(p);
        resolve();
      });
    });
  }

  /**
   * Resolves when the monotonic clock reaches `deadline` (ns). The timer belongs to `p`'s
   * current sleep: it is cleared when the sleep ends for any reason.
   */
  sleepUntil(p: Process, deadline: bigint): Promise<void> {
    const ms = Number(deadline - this.clock.monotonic()) / 1e6;
    // setTimeout takes at most 2^31-1 ms; a longer sleep wakes then, and poll sleeps again.
    const delay = ms <= 0 ? 0 : Math.min(Math.ceil(ms), 0x7fffffff);
    return new Promise((r) => p.addTimer(setTimeout(r, delay)));
  }

  /** Kills every process and waits for them to end. */
  async shutdown(): Promise<void> {
    const all = [...this.procs.values()];
    for (const p of all) if (p.state !== 'zombie') {
      try {
        this.kill(p.pid, SIG.KILL);
      } catch { /* already gone */ }
    }
    await Promise.all(all.map((p) => p.exited));
  }

  // ---- internals ----

  private allocPid(): number {
    while (this.procs.has(this.nextPid)) this.nextPid = this.nextPid >= 4194304 ? 2 : this.nextPid + 1;
    return this.nextPid++;
  }

  private guestDir(path: string, what: string): Loc {
    try {
      const loc = this.ns.resolve(this.ns.root, this.ns.root, path, true);
      if (loc.vnode.stat().filetype !== 3) throw new KernelError('ENOTDIR', `${what} ${path}: not a directory`);
      return loc;
    } catch (e) {
      if (e instanceof SysError) throw new KernelError('ENOENT', `${what} ${path}: ${e.message}`);
      throw e;
    }
  }

  private stdioFile(spec: StdioSpec, fd: number, p: Process): OpenFile {
    if (spec === 'null') {
      // As a shell's </dev/null and >/dev/null: stdin read-only, the others write-only.
      const vnode = this.devMount.root.lookup('null');
      return new VnodeFile({ mount: this.devMount, vnode }, vnode.open(fd !== 0), fd === 0, fd !== 0, 0);
    }
    if (spec === 'capture') {
      const c = new CaptureOutput();
      p.captures.set(fd, c);
      return c;
    }
    if (spec === 'inherit' || typeof spec === 'number') {
      // Guest fd 0 reads the host fd; the others write it.
      const hostFd = spec === 'inherit' ? fd : spec;
      const key = fd === 0 ? `in:${hostFd}` : `out:${hostFd}`;
      let f = this.hostStdio.get(key);
      if (!f) {
        f = fd === 0 ? new HostInput(hostFd) : new HostOutput(hostFd);
        f.refs++; // the kernel keeps one reference: host fds are never closed
        this.hostStdio.set(key, f);
      }
      return f;
    }
    if (spec instanceof Uint8Array) return new BytesInput(spec);
    return spec;
  }

  private start(p: Process, prog: Program): void {
    if (p.pendingKill) return this.end(p, { code: null, signal: p.pendingKill });
    let inst: WebAssembly.Instance;
    try {
      inst = new WebAssembly.Instance(prog.module, this.imports);
    } catch (e) {
      p.error = new KernelError('ENOEXEC', `${prog.name}: cannot instantiate: ${(e as Error).message}`);
      return this.end(p, { code: 126, signal: null });
    }
    p.instance = inst;
    p.mem = new GuestMemory(inst.exports.memory as WebAssembly.Memory);
    const entry = WebAssembly.promising(inst.exports._start as Function);
    p.state = 'running';
    this.cpu.enter(p);
    let done: Promise<unknown>;
    try {
      done = entry();
    } catch (e) {
      done = Promise.reject(e);
    }
    this.cpu.leave(p);
    done.then(() => this.end(p, { code: 0, signal: null }), (e: unknown) => this.abnormal(p, prog, e));
  }

  private abnormal(p: Process, prog: Program, e: unknown): void {
    if (e instanceof ProcExit) return this.end(p, { code: e.code, signal: null });
    if (e instanceof Killed) return this.end(p, { code: null, signal: e.signal });
    const trap = classifyTrap(e);
    let record: FaultRecord;
    if (trap) {
      record = makeFaultRecord(e as Error, trap, p.pid, p.program, prog.functionNames());
    } else {
      // A kernel bug in a syscall: the process dies with SIGSYS; the kernel goes on.
      const err = e instanceof Error ? e : new Error(String(e));
      kernelBug.publish({ pid: p.pid, error: err });
      record = makeFaultRecord(err, { signal: SIG.SYS, kind: 'kernel error during a system call' }, p.pid, p.program, null);
    }
    p.fault = record;
    procFault.publish(record);
    this.end(p, { code: null, signal: record.signal });
  }

  private end(p: Process, s: { code: number | null; signal: number | null }): void {
    if (p.exitStatus) return;
    this.cpu.leave(p);
    this.stopped.delete(p);
    p.clearTimers();
    p.fds.closeAll();
    p.instance = null;
    p.mem = null;
    const sig = s.signal;
    const status: ExitStatus = {
      code: s.code, signal: sig, status: sig !== null ? 128 + sig : (s.code! & 0xff),
      core: sig !== null && defaultAction(sig) === 'core',
    };
    this.procs.delete(p.pid);
    p.finish(status);
    procExit.publish({ pid: p.pid, status });
  }
}

function toFs(spec: MountSpec | FileSystem): FileSystem {
  if (spec instanceof FileSystem) return spec;
  const s = spec;
  switch (s.type) {
    case 'tmpfs': return new TmpFs({ readOnly: s.readOnly ?? false, ...(s.maxBytes ? { maxBytes: s.maxBytes } : {}) });
    case 'hostfs': return new HostFs(s.host, { readOnly: s.readOnly ?? false });
    case 'devfs': return new DevFs();
  }
}
