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
import { existsSync } from 'node:fs';
import posix from 'node:path/posix';
import { fileURLToPath } from 'node:url';
import { defaultAction, DISPOSITION, SA, SIG, sigbit, STOP_SIGNALS } from '../abi/signals.ts';
import { E, RIGHTS, RIGHTS_ALL, RIGHTS_DIRECTORY, RIGHTS_STREAM } from '../abi/wasi.ts';
import { ExecImage, fail, Killed, KernelError, ProcExit, SysError } from './errors.ts';
import { Clock } from './clock.ts';
import { DirectoryFile, type OpenFile, VnodeFile } from './fd/open-file.ts';
import { BytesInput, CaptureOutput, HostInput, HostOutput } from './fd/stdio.ts';
import { Cpu } from './proc/cpu.ts';
import { Exec, type ExecTarget } from './proc/exec.ts';
import { addSourceLines, classifyTrap, makeFaultRecord, type FaultRecord } from './proc/fault.ts';
import { corePath, snapshotCore, writeCore } from './proc/core.ts';
import { Loader, type Program } from './proc/loader.ts';
import { startThreads } from './proc/threads.ts';
import { type ExitStatus, type Limits, Process } from './proc/process.ts';
import { buildImports, type SyscallTable } from './syscall/dispatch.ts';
import { GuestMemory } from './syscall/guest-memory.ts';
import { coreSyscalls } from './syscall/wasi-core.ts';
import { fdSyscalls } from './syscall/wasi-fd.ts';
import { pathSyscalls, rightsForKind } from './syscall/wasi-path.ts';
import { pollSyscalls } from './syscall/wasi-poll.ts';
import { sockSyscalls } from './syscall/wasi-sock.ts';
import { iskFdSyscalls } from './syscall/isk-fd.ts';
import { iskNetSyscalls } from './syscall/isk-net.ts';
import { NetStack, type NetworkOptions } from './net/stack.ts';
import { RIGHTS_SOCKET } from './net/socket.ts';
import { iskGuardSyscalls } from './syscall/isk-guard.ts';
import { instrumentOptions, type InstrumentRequest } from './proc/instrument.ts';
import { refineFault } from './proc/protect.ts';
import { iskProcSyscalls } from './syscall/isk-proc.ts';
import { iskRlimitSyscalls } from './syscall/isk-rlimit.ts';
import { applyLimits, cpuLimitReached } from './proc/rlimit.ts';
import { iskSignalSyscalls } from './syscall/isk-signal.ts';
import { iskSysSyscalls } from './syscall/isk-sys.ts';
import { iskTtySyscalls } from './syscall/isk-tty.ts';
import { iskLogSyscalls } from './syscall/isk-log.ts';
import { LogQueue } from './log/queue.ts';
import { kernelBug, procCore, procExit, procFault, procSpawn } from './trace/channels.ts';
import { TraceSession } from './trace/tracer.ts';
import { iskTraceSyscalls } from './syscall/isk-trace.ts';
import { DevFs } from './vfs/devfs.ts';
import { ProcFs } from './vfs/procfs.ts';
import { KernelStats } from './acct/kstat.ts';
import { HostFs } from './vfs/hostfs.ts';
import { type Loc, type Mount, Namespace } from './vfs/namespace.ts';
import { TmpFs } from './vfs/tmpfs.ts';
import { FileSystem } from './vfs/vnode.ts';
import { startJs } from './jsproc/jsproc.ts';
import { giveBackMemory, POOL_MODULE, POOL_NAME, takeMemory } from './proc/memory-pool.ts';
import { installNodeMarker, isJsFile, loadHostJs } from './jsproc/program.ts';

// Fault records want whole backtraces.
if (Error.stackTraceLimit < 64) Error.stackTraceLimit = 64;

export type MountSpec =
  | { type: 'tmpfs'; readOnly?: boolean; maxBytes?: number }
  | { type: 'hostfs'; host: string; readOnly?: boolean }
  | { type: 'devfs' };

/** The operator's tools in TypeScript, and where the default root serves them (userland/bin/NAME imports them). */
const USERLAND_TOOLS = fileURLToPath(new URL('../../userland/tools/', import.meta.url));
const TOOLS_GUEST_DIR = '/usr/lib/isokernel/tools';

/** The host's time zone files, served at /usr/share/zoneinfo by the default root. */
const HOST_ZONEINFO = '/usr/share/zoneinfo';

/** The project's built userland (sh and the commands): served at /bin by the default root. */
export const USERLAND_BIN = fileURLToPath(new URL('../../userland/bin/', import.meta.url));

export interface BootOptions {
  /**
   * The root filesystem; default a fresh tmpfs holding /dev (devfs), /tmp, the userland at
   * /bin (read-only) and /usr/bin (a link to it).
   */
  root?: MountSpec | FileSystem;
  /** For the default root: the host directory served at /bin; default USERLAND_BIN; false for none. */
  userland?: string | false;
  /**
   * For the default root: the host directory of TZif time zone files served read-only at
   * /usr/share/zoneinfo (TZ=Europe/Paris for C programs); default the host's
   * /usr/share/zoneinfo when there is one; false for none.
   */
  zoneinfo?: string | false;
  /**
   * For the default root: the host directory of the TypeScript tools (userland/tools: ps,
   * top, ...), served read-only at /usr/lib/isokernel/tools; false for none.
   */
  tools?: string | false;
  /** The node name uname(2) reports; default "isokernel". */
  hostname?: string;
  /** More mounts, in order. */
  mounts?: { path: string; fs: MountSpec | FileSystem }[];
  /**
   * The host directory for core files (`core.PROGRAM.PID`, proc/core.ts), written when a
   * core-dumping signal kills a process whose limits.coreBytes is above 0. Default none: no
   * core files, whatever the limits say.
   */
  coreDir?: string;
  /**
   * Sockets (net/stack.ts): the egress policy (default: any destination), guest ports mapped
   * to host addresses, and the host address other ports bind (default 127.0.0.1 / ::1).
   */
  network?: NetworkOptions;
  /**
   * The system activity collector (src/metrics/collector.ts: sar's history, /dev/sa,
   * Prometheus): true for the defaults (every 10 s, kept 7 days, in memory), or its options.
   * Default none.
   */
  metrics?: boolean | import('../metrics/collector.ts').MetricsOptions;
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
  /**
   * Sockets (listening ones, net/listen.ts) given as descriptors 3, 4, ... before the
   * preopened directories, as wasmtime's --tcplisten does.
   */
  sockets?: readonly OpenFile[];
  /** Append '/' as the last preopen (unless already there). Default true. */
  rootPreopen?: boolean;
  /**
   * Resource limits (proc/rlimit.ts): each value given sets the soft and the hard limit, as
   * `ulimit` does; `hardLimits` sets hard values apart (a soft value not given is lowered to
   * its hard one). Defaults: DEFAULT_LIMITS, DEFAULT_HARD_LIMITS.
   */
  limits?: Partial<Limits>;
  hardLimits?: Partial<Limits>;
  /** The process's user and group ids (default 0, 0): RLIMIT_NPROC counts processes by uid. */
  uid?: number;
  gid?: number;
  /**
   * How the program is instrumented (issue 5; proc/instrument.ts), over the kernel's default
   * (`loader.protect`): `{ nullGuard: false }` turns the null-page guard off, a number sets
   * its size; `preempt`, `stackCheck`, `memoryLimit` likewise. Ignored for a loaded Program
   * and for a compiled WebAssembly.Module (whose bytes the kernel cannot rewrite).
   */
  protect?: InstrumentRequest;
  ppid?: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = {
  openFiles: 1024, memoryPages: 65536, threads: 64, coreBytes: 0,
  cpuMs: Infinity, fileBytes: Infinity, children: Infinity, userProcesses: Infinity,
};
/** As Linux's defaults: a process may raise its own core limit, and its descriptors to 4096. */
export const DEFAULT_HARD_LIMITS: Readonly<Limits> = { ...DEFAULT_LIMITS, openFiles: 4096, coreBytes: Infinity };

export class Kernel {
  readonly cpu = new Cpu();
  readonly clock = new Clock();
  readonly ns: Namespace;
  readonly loader: Loader;
  /** Every process, zombies included, by pid. */
  readonly procs = new Map<number, Process>();
  /** Kernel-wide accounting: totals and the load average (acct/kstat.ts). */
  readonly stats: KernelStats;
  readonly imports: WebAssembly.Imports;
  /** The handlers by import module, for calls made from worker threads (proc/threads.ts). */
  readonly syscalls: Readonly<Record<string, SyscallTable>>;
  readonly exec: Exec;
  hostname: string;
  /** The log queue (log/queue.ts): what log streams write and syslogd reads. */
  readonly log: LogQueue = new LogQueue({ now: () => this.clock.realtime(), host: () => this.hostname });
  /** Sockets: the network policy, Unix-domain names, host handles (net/stack.ts). */
  readonly net: NetStack;
  /** Where core files go (BootOptions.coreDir); null: none are written. */
  coreDir: string | null;
  /** uname's release and version. */
  readonly release = '0.1.0';
  readonly version = '#1 isokernel';
  /** Processes at most (spawn answers EAGAIN beyond): what stops a fork bomb kernel-wide. */
  maxProcesses = 65536;
  /** The system activity collector (BootOptions.metrics), or null. */
  metrics: import('../metrics/collector.ts').Collector | null = null;
  private readonly devMount: Mount;
  private readonly sigtab: WebAssembly.Table;
  private nextPid = 1;
  /** Processes (zombies included) by uid, for RLIMIT_NPROC; and the uid each was counted under. */
  private readonly uidProcs = new Map<number, number>();
  private readonly countedUid = new WeakMap<Process, number>();
  private readonly hostStdio = new Map<string, OpenFile>();

  private constructor(opts: BootOptions) {
    this.hostname = opts.hostname ?? 'isokernel';
    this.coreDir = opts.coreDir ?? null;
    this.net = new NetStack(this, opts.network);
    const rootFs = opts.root === undefined ? new TmpFs() : toFs(opts.root);
    this.ns = new Namespace(rootFs);
    if (opts.root === undefined) {
      this.ns.root.vnode.mkdir('tmp', 0o1777);
      const bin = opts.userland ?? (existsSync(USERLAND_BIN) ? USERLAND_BIN : false);
      if (bin !== false) {
        this.ns.root.vnode.mkdir('bin', 0o755);
        this.mount('/bin', { type: 'hostfs', host: bin, readOnly: true });
        this.ns.root.vnode.mkdir('usr', 0o755).symlink('bin', '../bin');
      }
      installNodeMarker(this.ns.root.vnode); // /usr/local/bin/node (jsproc/program.ts)
      const tools = opts.tools ?? (existsSync(USERLAND_TOOLS) ? USERLAND_TOOLS : false);
      if (tools !== false) {
        // The operator's tools written in TypeScript (ps, top, ...): /bin/NAME launchers import them from here.
        this.mountDirs(['usr', 'lib', 'isokernel', 'tools']);
        this.mount(TOOLS_GUEST_DIR, { type: 'hostfs', host: tools, readOnly: true });
      }
      const zoneinfo = opts.zoneinfo ?? (existsSync(HOST_ZONEINFO) ? HOST_ZONEINFO : false);
      if (zoneinfo !== false) {
        // Time zones for libisokernel's localtime (lib/src/tz.c): the host's, read-only.
        this.mountDirs(['usr', 'share', 'zoneinfo']);
        this.mount('/usr/share/zoneinfo', { type: 'hostfs', host: zoneinfo, readOnly: true });
      }
    }
    this.devMount = this.ns.mount('/dev', new DevFs());
    this.stats = new KernelStats(() => this.procs.values(), (p) => this.cpu.cpuTimeNs(p));
    this.ns.mount('/proc', new ProcFs(this));
    for (const m of opts.mounts ?? []) this.mount(m.path, m.fs);
    const wasi: SyscallTable = {
      ...coreSyscalls(this), ...fdSyscalls(this), ...pathSyscalls(this), ...pollSyscalls(this), ...sockSyscalls(this),
    };
    const isk: SyscallTable = {
      ...iskProcSyscalls(this), ...iskSignalSyscalls(this), ...iskFdSyscalls(this), ...iskGuardSyscalls(this), ...iskSysSyscalls(this),
      ...iskRlimitSyscalls(this), ...iskTtySyscalls(), ...iskNetSyscalls(this), ...iskLogSyscalls(this), ...iskTraceSyscalls(this),
    };
    this.syscalls = { wasi_snapshot_preview1: wasi, isokernel: isk };
    const built = buildImports(this.cpu, this.syscalls, {
      sig_next: () => this.sigNext(),
      sig_return: () => this.sigReturn(),
      sig_wait: new WebAssembly.Suspending(() => this.sigWait()),
    });
    this.imports = built.imports;
    this.sigtab = built.sigtab;
    this.loader = new Loader(new Map([
      ['wasi_snapshot_preview1', new Set(Object.keys(wasi))], ['isokernel', new Set(Object.keys(isk))],
    ]));
    this.exec = new Exec(this.ns, this.loader);
    this.cpu.onCpuTimer = (p) => this.checkCpuTimers(p);
    this.cpu.onCpuLimit = (p) => cpuLimitReached(this, p, p.acct.cpuNs);
  }

  static async boot(opts: BootOptions = {}): Promise<Kernel> {
    const k = new Kernel(opts);
    await k.net.egress.ready; // DNS names in egress rules, resolved once (net/policy.ts)
    if (opts.metrics) {
      // Loaded only when asked for: it brings node:sqlite and node:http.
      const { Collector } = await import('../metrics/collector.ts');
      try {
        k.metrics = await Collector.start(k, opts.metrics === true ? {} : opts.metrics);
      } catch (e) {
        await k.shutdown();
        throw e;
      }
    }
    return k;
  }

  /**
   * Mounts a filesystem at an absolute guest path (its parent directory must exist).
   * Errors: KernelError EMOUNT naming the path and the reason.
   */
  /** Makes the directories of a path in the root tmpfs (mount points of the default root). */
  private mountDirs(names: string[]): void {
    let dir = this.ns.root.vnode;
    for (const name of names) {
      try {
        dir = dir.lookup(name);
      } catch {
        dir = dir.mkdir(name, 0o755);
      }
    }
  }

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
  async load(program: SpawnOptions['program'], protect?: InstrumentRequest): Promise<Program> {
    const opts = instrumentOptions(this.loader.protect, protect);
    if (typeof program === 'string' && isJsFile(program)) return loadHostJs(program); // jsproc/program.ts
    if (typeof program === 'string') return this.loader.loadPath(program, opts);
    if (program instanceof Uint8Array) return this.loader.loadBytes(program, '<bytes>', opts);
    if (program instanceof WebAssembly.Module) return this.loader.fromModule(program, '<module>');
    return program;
  }

  /**
   * Finds a program by its path in the kernel's namespace (from the root, or PATH-searched
   * when `search` is given and the name has no `/`), as a guest's spawn would: a module, or
   * a `#!` script and its interpreter. `argv` is adjusted for a script. Throws SysError.
   */
  async findProgram(path: string, argv: string[], search: string | null = null): Promise<ExecTarget> {
    for (;;) {
      const r = this.exec.find(this.ns.root, this.ns.root, path, argv, search);
      if (!(r instanceof Promise)) return r;
      await r;
    }
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
    const parent = o.ppid ? this.procs.get(o.ppid) ?? null : null;
    const [limits, hardLimits] = spawnLimits(o);
    const p = new Process({
      pid: this.allocPid(), ppid: parent ? parent.pid : 0, argv: o.args ?? [progName.slice(progName.lastIndexOf('/') + 1)],
      env, program: progName, root, cwd, cwdPath: posix.resolve('/', o.cwd ?? '/'), limits, hardLimits,
      startNs: this.clock.uptimeNs(),
    });
    p.uid = o.uid ?? 0;
    p.gid = o.gid ?? 0;
    applyLimits(p);
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
      for (const sock of o.sockets ?? []) p.fds.install(sock, RIGHTS_SOCKET, 0, null, 3);
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
    this.register(p, parent);

    const cached = typeof o.program === 'string' ? this.loader.cachedPath(o.program, instrumentOptions(this.loader.protect, o.protect))
      : o.program instanceof Uint8Array || o.program instanceof WebAssembly.Module ? null : o.program;
    if (cached) this.startSoon(() => this.start(p, cached));
    else {
      this.load(o.program, o.protect).then((prog) => this.start(p, prog), (e: Error) => {
        p.error = e;
        this.end(p, { code: (e as KernelError).code === 'ENOENT' ? 127 : 126, signal: null });
      });
    }
    return p;
  }

  /**
   * Sends `sig` (Linux numbering) to process `pid`, as the host (no permission check); 0
   * only checks it exists. Errors: ESRCH (no such process), EINVAL (bad signal).
   */
  kill(pid: number, sig: number): void {
    const p = this.procs.get(pid);
    if (!p) fail(E.SRCH);
    if (sig < 0 || sig > 31) fail(E.INVAL);
    if (sig !== 0) this.signal(p, sig);
  }

  /**
   * Posts `sig` to `t` (signal(7)): KILL, default terminate or core, and stop act at once
   * (unless blocked); CONT continues; ignored signals are dropped unless blocked; others become pending,
   * and wake `t` from a blocking call when it may take them now. A signal to the running
   * process is acted on by the gate when its syscall returns.
   */
  signal(t: Process, sig: number, child: Process | null = null): void {
    if (t.exitStatus) return; // a zombie
    if (t.trace !== null) t.trace.signal(t, sig, child ?? this.cpu.current, child); // strace's --- SIG ---
    if (sig === SIG.KILL) return this.doom(t, sig);
    const s = t.sig;
    const bit = sigbit(sig);
    if (sig === SIG.CONT) {
      s.pending = (s.pending & ~STOP_SIGNALS) >>> 0;
      this.continueProcess(t);
    } else if ((bit & STOP_SIGNALS) !== 0) {
      s.pending = (s.pending & ~sigbit(SIG.CONT)) >>> 0;
    }
    // Ignored signals are dropped — unless blocked: then they stay pending, as on Linux (the
    // action may change before the unblock; POSIX leaves it open). Delivery skips them if not.
    if (s.ignores(sig) && (s.mask & bit) === 0) return;
    if (t.stopped && sig !== SIG.CONT) {
      // A stopped process acts on nothing but KILL and CONT: the rest wait for SIGCONT.
      s.pending = (s.pending | bit) >>> 0;
      return;
    }
    const blocked = (s.mask & bit) !== 0;
    if (!blocked && s.action(sig).disposition === DISPOSITION.DEFAULT) {
      const a = defaultAction(sig);
      if (a === 'terminate' || a === 'core') return this.doom(t, sig);
      if (a === 'stop') return this.stopProcess(t, sig);
      if (a === 'continue') return;
    }
    s.pending = (s.pending | bit) >>> 0;
    if (!blocked) t.interrupt();
    this.cpu.poke(t);
  }

  /** A fatal signal: the process dies at its next chance (now, if it sleeps or is stopped). */
  private doom(t: Process, sig: number): void {
    if (t.pendingKill === 0) t.pendingKill = sig;
    t.resumeFromStop();
    t.interrupt();
    this.cpu.poke(t);
  }

  /** Stops `t` (a stop signal's default action) and tells its parent. */
  stopProcess(t: Process, sig: number): void {
    if (t.stopped || t.exitStatus) return;
    t.stopped = true;
    if (t.trace !== null) t.trace.stopped(t, sig);
    t.state = 'stopped';
    t.reportStop = sig;
    t.reportContinued = false;
    this.cpu.poke(t);
    this.notifyParent(t, true);
  }

  /**
   * Continues a stopped `t` (SIGCONT) and tells its parent; then acts on what arrived while
   * it was stopped: a default terminate kills it, a caught signal wakes its sleep.
   */
  private continueProcess(t: Process): void {
    if (!t.stopped) return;
    t.resumeFromStop();
    t.reportStop = 0;
    t.reportContinued = true;
    this.cpu.poke(t);
    this.notifyParent(t, true);
    const s = t.sig;
    let d = s.deliverable();
    while (d !== 0) {
      const sig = 32 - Math.clz32(d & -d);
      d &= d - 1;
      if (s.action(sig).disposition === DISPOSITION.DEFAULT) {
        const a = defaultAction(sig);
        if (a === 'terminate' || a === 'core') {
          s.pending = (s.pending & ~sigbit(sig)) >>> 0;
          return this.doom(t, sig);
        }
      } else t.interrupt();
    }
  }

  /** A child changed state: wake the parent's wait, and send SIGCHLD as its action allows. */
  private notifyParent(c: Process, stopOrContinue: boolean): void {
    const parent = c.ppid !== 0 ? this.procs.get(c.ppid) : undefined;
    if (!parent || parent.exitStatus) return;
    parent.childChanged();
    if (stopOrContinue && (parent.sig.action(SIG.CHLD).flags & SA.NOCLDSTOP) !== 0) return;
    this.signal(parent, SIG.CHLD, c);
  }

  // ---- signal delivery, called by the gate (syscall/gate.ts) for the current process ----

  /** The next thing the gate must do: a signal whose handler to call, -1 (stopped), 0 (none). */
  private sigNext(): number {
    const p = this.cpu.current!;
    for (;;) {
      if (p.pendingKill !== 0) throw new Killed(p.pendingKill);
      if (p.stopped) return -1;
      const sig = p.sig.take();
      if (sig === 0) {
        if (p.sig.suspendMask !== null) {
          // sigsuspend ended without a handler (a signal became ignored): its mask goes back.
          p.sig.setMask(p.sig.suspendMask);
          p.sig.suspendMask = null;
          continue;
        }
        this.cpu.poke(p);
        return 0;
      }
      const a = p.sig.action(sig);
      if (a.disposition === DISPOSITION.IGNORE) continue;
      if (a.disposition === DISPOSITION.DEFAULT) {
        const d = defaultAction(sig);
        if (d === 'terminate' || d === 'core') throw new Killed(sig);
        if (d === 'stop') {
          this.stopProcess(p, sig);
          return -1;
        }
        continue;
      }
      const fn = p.instance?.exports.__isokernel_signal;
      if (typeof fn !== 'function') throw new Killed(sig); // sigaction refuses this; never here
      p.sig.enterHandler(sig, a);
      this.sigtab.set(0, fn);
      this.cpu.poke(p);
      return sig;
    }
  }

  private sigReturn(): number {
    const p = this.cpu.current!;
    p.sig.leaveHandler();
    this.cpu.poke(p);
    return 0;
  }

  /** The gate found the process stopped: it sleeps until SIGCONT or a fatal signal. */
  private async sigWait(): Promise<number> {
    const p = this.cpu.current!;
    p.wchan = 'signal';
    this.cpu.leave(p);
    while (p.stopped && p.pendingKill === 0) await p.untilContinued();
    this.cpu.enter(p);
    p.wchan = null;
    p.state = 'running';
    return this.cpu.ticket(p, 0);
  }

  // ---- timers ----

  /** Arms (or with value 0, disarms) p's ITIMER_REAL; returns the old one's [value, interval] in ns. */
  setRealTimer(p: Process, value: bigint, interval: bigint): [bigint, bigint] {
    const old = p.realTimer;
    const now = this.clock.monotonic();
    const prev: [bigint, bigint] = old ? [old.deadline > now ? old.deadline - now : 1n, old.interval] : [0n, 0n];
    if (old) clearTimeout(old.timeout);
    p.realTimer = null;
    if (value > 0n) this.armRealTimer(p, now + value, interval);
    return prev;
  }

  private armRealTimer(p: Process, deadline: bigint, interval: bigint): void {
    const ms = Math.min(Math.max(0, Math.ceil(Number(deadline - this.clock.monotonic()) / 1e6)), 0x7fffffff);
    const timeout = setTimeout(() => {
      if (p.realTimer?.timeout !== timeout) return;
      p.realTimer = null;
      if (this.clock.monotonic() < deadline) return this.armRealTimer(p, deadline, interval); // clamped
      if (interval > 0n) this.armRealTimer(p, deadline + interval, interval);
      this.signal(p, SIG.ALRM);
    }, ms);
    p.realTimer = { deadline, interval, timeout };
  }

  /** ITIMER_VIRTUAL / ITIMER_PROF: checked when the process leaves the CPU. */
  private checkCpuTimers(p: Process): void {
    const cpu = p.acct.cpuNs;
    p.cpuTimers.forEach((t, i) => {
      if (t.deadline === 0 || cpu < t.deadline) return;
      t.deadline = t.interval > 0 ? cpu + t.interval : 0;
      this.signal(p, i === 0 ? SIG.VTALRM : SIG.PROF);
    });
  }

  // ---- processes spawned by processes ----

  /**
   * A child of `parent` for `target`, not yet started or visible: the caller applies file
   * actions and attributes, then calls startChild() — or discardChild() if one fails.
   * Errors: EAGAIN (the kernel's process limit; the parent's RLIMIT_NPROC, counting every
   * process of its uid; its limit of live children).
   */
  createChild(parent: Process, target: ExecTarget, env: string[]): Process {
    if (this.procs.size >= this.maxProcesses) fail(E.AGAIN);
    if ((this.uidProcs.get(parent.uid) ?? 0) >= parent.limits.userProcesses) fail(E.AGAIN);
    if (parent.limits.children !== Infinity) {
      let live = 0;
      for (const c of parent.children) if (c.exitStatus === null) live++;
      if (live >= parent.limits.children) fail(E.AGAIN);
    }
    const p = new Process({
      pid: this.allocPid(), ppid: parent.pid, argv: target.argv, env, program: target.path,
      root: parent.root, cwd: parent.cwd, cwdPath: parent.cwdPath, limits: { ...parent.limits },
      hardLimits: { ...parent.hardLimits }, startNs: this.clock.uptimeNs(), sig: parent.sig.forChild(),
    });
    applyLimits(p);
    p.pgid = parent.pgid;
    p.sid = parent.sid;
    p.uid = parent.uid;
    p.gid = parent.gid;
    p.umask = parent.umask;
    p.fds.inheritFrom(parent.fds);
    return p;
  }

  startChild(parent: Process, p: Process, program: Program): void {
    this.register(p, parent);
    this.startSoon(() => this.start(p, program));
  }

  /** Runs a process start in a microtask, or at the next turn of the event loop if it is held (proc/cpu.ts). */
  private startSoon(fn: () => void): void {
    if (this.cpu.loopHeld()) setImmediate(fn);
    else queueMicrotask(fn);
  }

  discardChild(p: Process): void {
    p.fds.closeAll();
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
    this.net.shutdown();
    this.stats.stop();
    await this.metrics?.stop();
  }

  // ---- internals ----

  private register(p: Process, parent: Process | null): void {
    this.procs.set(p.pid, p);
    this.uidProcs.set(p.uid, (this.uidProcs.get(p.uid) ?? 0) + 1);
    this.countedUid.set(p, p.uid);
    parent?.children.add(p);
    if (parent !== null) TraceSession.register(p, parent); // strace -f, and strace PROGRAM
    this.stats.forks++;
    procSpawn.publish({ pid: p.pid, ppid: p.ppid, argv: p.argv, program: p.program });
  }

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
    if (prog.threads) {
      // A threaded program runs all its threads on workers (proc/threads.ts).
      startThreads(this, p, prog).then(() => this.end(p, { code: 0, signal: null }), (e: unknown) => this.abnormal(p, prog, e));
      return;
    }
    if (prog.js) {
      // A JavaScript program runs in an isolate of its own (jsproc/jsproc.ts).
      startJs(this, p, prog).then(() => this.end(p, { code: 0, signal: null }), (e: unknown) => this.abnormal(p, prog, e));
      return;
    }
    let inst: WebAssembly.Instance;
    // A module rewritten to import its memory gets a pooled one, zeroed (proc/memory-pool.ts).
    const spec = prog.memory ?? null;
    const memory = spec !== null ? takeMemory(spec) : null;
    try {
      if (memory !== null) (this.imports as Record<string, WebAssembly.ModuleImports>)[POOL_MODULE] = { [POOL_NAME]: memory };
      inst = new WebAssembly.Instance(prog.module, this.imports);
    } catch (e) {
      if (memory !== null) giveBackMemory(spec!, memory);
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
    if (memory !== null) {
      // Its stack is gone; pooled only if the process has ended with it (not a core file
      // still being written from its memory, not an exec'd image running on).
      const back = (): void => {
        if (p.exitStatus && p.mem === null) giveBackMemory(spec!, memory);
      };
      done.then(back, back);
    }
  }

  /**
   * exec (isokernel.exec): the old program's stack is gone; the process runs the new one,
   * keeping what POSIX keeps (Process.replaceImage). A kill that came meanwhile wins.
   */
  private execImage(p: Process, x: ExecImage): void {
    p.replaceImage(x.target.argv, x.env, x.target.path);
    this.start(p, x.target.program);
  }

  private abnormal(p: Process, prog: Program, e: unknown): void {
    if (e instanceof ProcExit) return this.end(p, { code: e.code, signal: null });
    if (e instanceof ExecImage) return this.execImage(p, e);
    if (e instanceof Killed) return this.die(p, prog, e.signal, p.fault ?? null);
    const trap = classifyTrap(e);
    let record: FaultRecord;
    if (trap) {
      record = makeFaultRecord(e as Error, trap, p.pid, p.program, prog.functionNames());
      // Offsets in the module as it was, before its memory became an import (proc/memory-pool.ts).
      if (prog.memory) for (const f of record.frames) f.offset -= prog.memory.shift;
      if (prog.protection) refineFault(record, p, prog.protection, prog.functionNames());
    } else {
      // A kernel bug in a syscall: the process dies with SIGSYS; the kernel goes on.
      const err = e instanceof Error ? e : new Error(String(e));
      kernelBug.publish({ pid: p.pid, error: err });
      record = makeFaultRecord(err, { signal: SIG.SYS, kind: 'kernel error during a system call' }, p.pid, p.program, null);
    }
    addSourceLines(record, prog);
    p.fault = record;
    procFault.publish(record);
    this.die(p, prog, record.signal, record);
  }

  /**
   * Ends `p`, killed by `sig`: first, if the signal dumps core, the kernel has a core
   * directory and p's core limit is above 0, its core file is written (asynchronously; the
   * process ends when it is done, as a dumping process does on Linux). The outcome goes in
   * the fault record (`record.core`) and on `isokernel:proc:core`.
   */
  private die(p: Process, prog: Program, sig: number, record: FaultRecord | null): void {
    if (this.coreDir === null || !(p.limits.coreBytes > 0) || defaultAction(sig) !== 'core' || p.exitStatus) {
      return this.end(p, { code: null, signal: sig });
    }
    const file = corePath(this.coreDir, p);
    this.cpu.leave(p); // writing is not the process's CPU time
    let written;
    try {
      written = writeCore(file, snapshotCore(p, prog, sig, record, this.ns), p.limits.coreBytes);
    } catch (e) {
      written = Promise.resolve({ path: file, error: (e as Error).message });
    }
    void written.then((outcome) => {
      if (record) record.core = outcome;
      procCore.publish({ pid: p.pid, program: p.program, signal: sig, ...outcome });
      this.end(p, { code: null, signal: sig });
    });
  }

  private end(p: Process, s: { code: number | null; signal: number | null }): void {
    if (p.exitStatus) return;
    this.cpu.leave(p);
    this.stats.processEnded(p);
    p.clearTimers();
    p.fds.closeAll();
    p.instance = null;
    p.mem = null;
    const sig = s.signal;
    const status: ExitStatus = {
      code: s.code, signal: sig, status: sig !== null ? 128 + sig : (s.code! & 0xff),
      core: sig !== null && defaultAction(sig) === 'core',
    };
    p.finish(status);
    if (p.trace !== null) p.trace.exited(p, status);
    TraceSession.processEnded(p);
    this.reparentChildren(p);
    const parent = p.ppid !== 0 ? this.procs.get(p.ppid) : undefined;
    if (!parent || parent.exitStatus) {
      this.reap(p);
    } else {
      const chld = parent.sig.action(SIG.CHLD);
      if (chld.disposition === DISPOSITION.IGNORE || (chld.flags & SA.NOCLDWAIT) !== 0) {
        // Nobody will wait for it (POSIX): no zombie; a wait in progress sees ECHILD.
        this.reap(p);
        parent.childChanged();
      } else {
        this.notifyParent(p, false);
      }
    }
    procExit.publish({ pid: p.pid, status });
  }

  /** Orphans go to PID 1 if it lives, else to the kernel, which reaps them. */
  private reparentChildren(p: Process): void {
    if (p.children.size === 0) return;
    const init = this.procs.get(1);
    const heir = init && init !== p && !init.exitStatus ? init : null;
    for (const c of p.children) {
      if (heir) {
        c.ppid = heir.pid;
        heir.children.add(c);
        if (c.exitStatus) heir.childChanged();
      } else {
        c.ppid = 0;
        if (c.exitStatus) this.forget(c);
      }
    }
    p.children.clear();
  }

  /** Frees a zombie: its pid may be used again. */
  reap(p: Process): void {
    const parent = p.ppid !== 0 ? this.procs.get(p.ppid) : undefined;
    parent?.children.delete(p);
    this.forget(p);
  }

  /** How many processes (zombies included) user `uid` has: what RLIMIT_NPROC limits. */
  userProcessCount(uid: number): number {
    return this.uidProcs.get(uid) ?? 0;
  }

  /** Takes a process out of the table (its pid may be used again) and out of its uid's count. */
  private forget(p: Process): void {
    if (this.procs.get(p.pid) !== p) return;
    this.procs.delete(p.pid);
    const uid = this.countedUid.get(p);
    if (uid === undefined) return;
    this.countedUid.delete(p);
    const n = (this.uidProcs.get(uid) ?? 1) - 1;
    if (n > 0) this.uidProcs.set(uid, n);
    else this.uidProcs.delete(uid);
  }
}

/**
 * A host spawn's [soft, hard] limits: each `limits` value sets both, `hardLimits` sets hard
 * ones; a default soft value above its hard one comes down to it. KernelError EINVAL for a
 * soft value given above its hard one.
 */
function spawnLimits(o: SpawnOptions): [Limits, Limits] {
  const hard: Limits = { ...DEFAULT_HARD_LIMITS, ...o.limits, ...o.hardLimits };
  const soft: Limits = { ...DEFAULT_LIMITS, ...o.limits };
  for (const k of Object.keys(soft) as (keyof Limits)[]) {
    if (soft[k] <= hard[k]) continue;
    if (o.limits?.[k] !== undefined) throw new KernelError('EINVAL', `limit ${k}: soft ${soft[k]} above hard ${hard[k]}`);
    soft[k] = hard[k];
  }
  return [soft, hard];
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
