// node:child_process onto kernel processes: spawn (the isokernel spawn call with file
// actions for stdio, PATH search, every signal back to its default in the child as libuv
// does), wait, kill, pipes. The child is any program of the kernel: a WASI program, a
// script, or another JS process (`node x.js`).
//
// The synchronous forms (spawnSync, execSync, execFileSync) poll the child's pipes and feed
// its stdin without waiting on any one of them, then wait for it. The async forms read the
// pipes and wait through async lanes; a ChildProcess keeps the event loop alive until it
// exits, unless unref'd. fork() is not provided (it needs an IPC channel).
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { E } from '../../abi/wasi.ts';
import { holdRef, releaseRef } from '../lanes.ts';
import { SysErr, linuxErrno, errnoCode, nodeError } from '../errors.ts';
import * as sys from '../sys.ts';
import { envList, signalName, signalNumber } from './process.ts';
import { FdReadable, FdWritable } from './stdio.ts';

type StdioSpec = 'pipe' | 'overlapped' | 'inherit' | 'ignore' | number | null | undefined | { fd?: number };

interface CommonOptions {
  cwd?: string | URL;
  env?: Record<string, string | undefined>;
  argv0?: string;
  stdio?: StdioSpec | StdioSpec[];
  detached?: boolean;
  shell?: boolean | string;
  windowsHide?: boolean;
  encoding?: BufferEncoding | 'buffer' | null;
  timeout?: number;
  killSignal?: string | number;
  maxBuffer?: number;
  input?: string | Uint8Array;
}

const O_READ = 0x04000000;
const O_WRITE = 0x10000000;
const ALL_SIGNALS = 0x7fffffff;
const PIPE_CLOEXEC = 1;

interface Plan {
  file: string;
  args: string[];
  argv: string[];
  env: string[];
  cwd: string | null;
  search: string;
  stdio: StdioSpec[];
  detached: boolean;
}

function plan(command: string, args: readonly string[] | undefined, o: CommonOptions): Plan {
  if (typeof command !== 'string' || command === '') {
    throw nodeError(TypeError, 'ERR_INVALID_ARG_VALUE', `The argument 'file' cannot be empty. Received '${String(command)}'`);
  }
  let file = command;
  let argList = [...(args ?? [])].map(String);
  if (o.shell) {
    const sh = typeof o.shell === 'string' ? o.shell : '/bin/sh';
    const line = [command, ...argList].join(' ');
    file = sh;
    argList = ['-c', line];
  }
  const env = o.env ?? process.env;
  const stdio: StdioSpec[] = o.stdio === undefined ? ['pipe', 'pipe', 'pipe'] : Array.isArray(o.stdio) ? [...o.stdio] : [o.stdio, o.stdio, o.stdio];
  while (stdio.length < 3) stdio.push('pipe');
  const cwd = o.cwd === undefined ? null : o.cwd instanceof URL ? fileURLToPath(o.cwd) : String(o.cwd);
  return {
    file, args: argList, argv: [o.argv0 ?? (o.shell ? file : command), ...argList], env: envList(env as Record<string, unknown>),
    cwd, search: (env as Record<string, string | undefined>).PATH ?? '/bin:/usr/bin', stdio, detached: o.detached === true,
  };
}

interface Launched {
  pid: number;
  /** The parent's ends, by child fd: a write end for 0, read ends for the others; -1 when not piped. */
  pipes: number[];
}

/** Spawns the child: pipes made close-on-exec, its ends moved into place by file actions. */
function launch(p: Plan): Launched {
  const actions: sys.FileAction[] = [];
  const pipes: number[] = [];
  const childEnds: number[] = [];
  try {
    p.stdio.forEach((s, fd) => {
      pipes[fd] = -1;
      if (s === 'pipe' || s === 'overlapped' || s === null || s === undefined) {
        if (fd > 2) throw nodeError(Error, 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM', `stdio[${fd}] 'pipe' is not available in isokernel (only 0-2)`);
        const [r, w] = sys.pipe(PIPE_CLOEXEC);
        const [mine, theirs] = fd === 0 ? [w, r] : [r, w];
        pipes[fd] = mine;
        childEnds.push(theirs);
        actions.push({ kind: 'dup2', fd: theirs, to: fd });
      } else if (s === 'inherit') {
        actions.push({ kind: 'dup2', fd, to: fd });
      } else if (s === 'ignore') {
        actions.push({ kind: 'open', fd, path: '/dev/null', flags: fd === 0 ? O_READ : O_WRITE });
      } else if (typeof s === 'number') {
        actions.push({ kind: 'dup2', fd: s, to: fd });
      } else if (typeof s === 'object' && typeof s.fd === 'number') {
        actions.push({ kind: 'dup2', fd: s.fd, to: fd });
      } else {
        throw nodeError(TypeError, 'ERR_INVALID_ARG_VALUE', `The argument 'stdio' is invalid. Received ${String(s)}`);
      }
    });
    const req: sys.SpawnRequest = {
      path: p.file, argv: p.argv, env: p.env, actions, search: p.search, cwd: p.cwd, sigdefault: ALL_SIGNALS,
      ...(p.detached ? { setsid: true } : {}),
    };
    const pid = sys.spawn(req);
    return { pid, pipes };
  } catch (e) {
    for (const fd of pipes) if (fd >= 0) sys.fdClose(fd);
    throw e;
  } finally {
    for (const fd of childEnds) sys.fdClose(fd);
  }
}

function spawnError(e: SysErr, syscall: string, p: Plan): Error & Record<string, unknown> {
  const code = errnoCode(e.errno);
  const err = new Error(`${syscall} ${p.file} ${code}`) as Error & Record<string, unknown>;
  err.errno = -linuxErrno(e.errno);
  err.code = code;
  err.syscall = `${syscall} ${p.file}`;
  err.path = p.file;
  err.spawnargs = p.args;
  return err;
}

/** Linux's wait status → [exit code, signal name]. */
function decodeStatus(status: number): [number | null, NodeJS.Signals | null] {
  const sig = status & 0x7f;
  if (sig === 0) return [(status >> 8) & 0xff, null];
  return [null, (signalName(sig) ?? `SIG${sig}`) as NodeJS.Signals];
}

// ---- synchronous ----

export interface SpawnSyncResult {
  pid: number;
  output: (Buffer | string | null)[];
  stdout: Buffer | string | null;
  stderr: Buffer | string | null;
  status: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

export function spawnSync(command: string, args?: readonly string[] | CommonOptions, options?: CommonOptions): SpawnSyncResult {
  if (!Array.isArray(args)) {
    options = args as CommonOptions | undefined;
    args = undefined;
  }
  const o = options ?? {};
  const p = plan(command, args as string[] | undefined, o);
  let l: Launched;
  try {
    l = launch(p);
  } catch (e) {
    if (!(e instanceof SysErr)) throw e;
    return { pid: 0, output: [null, null, null], stdout: null, stderr: null, status: null, signal: null, error: spawnError(e, 'spawnSync', p) };
  }
  const input = o.input === undefined ? null : typeof o.input === 'string' ? Buffer.from(o.input) : o.input;
  const maxBuffer = o.maxBuffer ?? 1024 * 1024;
  const out: Buffer[][] = [[], [], []];
  const sizes = [0, 0, 0];
  let inputAt = 0;
  let error: Error | undefined;
  const deadline = o.timeout && o.timeout > 0 ? performance.now() + o.timeout : Infinity;
  if (l.pipes[0]! >= 0 && !input) {
    sys.fdClose(l.pipes[0]!);
    l.pipes[0] = -1;
  }
  let killed = false;
  const kill = (): void => {
    if (killed) return;
    killed = true;
    try {
      sys.kill(l.pid, signalNumber(o.killSignal ?? 'SIGTERM'));
    } catch { /* gone */ }
  };
  while (l.pipes.some((fd) => fd >= 0)) {
    const subs: sys.Subscription[] = [];
    const who: number[] = [];
    l.pipes.forEach((fd, i) => {
      if (fd < 0) return;
      subs.push({ type: i === 0 ? 2 : 1, fd });
      who.push(i);
    });
    if (deadline !== Infinity) {
      const left = Math.max(0, deadline - performance.now());
      subs.push({ type: 0, timeoutNs: BigInt(Math.ceil(left * 1e6)) });
    }
    const evs = sys.poll(subs);
    for (const ev of evs) {
      if (ev.index >= who.length) {
        kill();
        error ??= Object.assign(new Error(`spawnSync ${p.file} ETIMEDOUT`), { code: 'ETIMEDOUT', errno: -110, syscall: `spawnSync ${p.file}`, path: p.file, spawnargs: p.args });
        for (let i = 0; i < l.pipes.length; i++) {
          if (l.pipes[i]! >= 0) sys.fdClose(l.pipes[i]!);
          l.pipes[i] = -1;
        }
        break;
      }
      const i = who[ev.index]!;
      const fd = l.pipes[i]!;
      if (fd < 0) continue;
      if (i === 0) {
        try {
          if (ev.error === 0 && inputAt < input!.length) {
            inputAt += sys.fdWrite(fd, input!.subarray(inputAt, inputAt + 4096));
          }
        } catch (e) {
          if (!(e instanceof SysErr) || e.errno !== E.PIPE) throw e;
          inputAt = input!.length;
        }
        if (inputAt >= input!.length || ev.hangup) {
          sys.fdClose(fd);
          l.pipes[0] = -1;
        }
        continue;
      }
      const b = Buffer.allocUnsafe(64 * 1024);
      const n = sys.fdRead(fd, b);
      if (n === 0) {
        sys.fdClose(fd);
        l.pipes[i] = -1;
        continue;
      }
      out[i]!.push(b.subarray(0, n));
      sizes[i]! += n;
      if (sizes[i]! > maxBuffer && !error) {
        error = Object.assign(new Error(`spawnSync ${p.file} ENOBUFS`), { code: 'ENOBUFS', errno: -105, syscall: `spawnSync ${p.file}`, path: p.file, spawnargs: p.args });
        kill();
      }
    }
  }
  const w = sys.wait(l.pid, 0);
  const [status, signal] = decodeStatus(w.status);
  const enc = o.encoding && o.encoding !== 'buffer' ? o.encoding : null;
  const conv = (i: number): Buffer | string | null => {
    if (p.stdio[i] !== 'pipe' && p.stdio[i] !== undefined && p.stdio[i] !== null && p.stdio[i] !== 'overlapped') return null;
    const b = Buffer.concat(out[i]!);
    return enc ? b.toString(enc) : b;
  };
  const stdout = conv(1);
  const stderr = conv(2);
  const r: SpawnSyncResult = { pid: l.pid, output: [null, stdout, stderr], stdout, stderr, status, signal };
  if (error) r.error = error;
  return r;
}

function checkSync(r: SpawnSyncResult, cmd: string, o: CommonOptions): void {
  if (r.error) {
    Object.assign(r.error, { status: r.status, signal: r.signal, output: r.output, pid: r.pid, stdout: r.stdout, stderr: r.stderr });
    throw r.error;
  }
  if (r.status !== 0) {
    let msg = `Command failed: ${cmd}`;
    if (r.stderr && String(r.stderr).length > 0) msg += `\n${String(r.stderr)}`;
    const err = new Error(msg) as Error & Record<string, unknown>;
    Object.assign(err, { status: r.status, signal: r.signal, output: r.output, pid: r.pid, stdout: r.stdout, stderr: r.stderr });
    void o;
    throw err;
  }
}

export function execSync(command: string, options?: CommonOptions): Buffer | string {
  const o: CommonOptions = { ...options, shell: options?.shell ?? true };
  o.stdio ??= ['pipe', 'pipe', 'inherit'];
  const r = spawnSync(command, [], o);
  checkSync(r, command, o);
  return r.stdout ?? '';
}

export function execFileSync(file: string, args?: readonly string[] | CommonOptions, options?: CommonOptions): Buffer | string {
  if (!Array.isArray(args)) {
    options = args as CommonOptions | undefined;
    args = [];
  }
  const o: CommonOptions = { ...options };
  o.stdio ??= ['pipe', 'pipe', 'inherit'];
  const r = spawnSync(file, args as string[], o);
  checkSync(r, [file, ...(args as string[])].join(' '), o);
  return r.stdout ?? '';
}

// ---- asynchronous ----

export class ChildProcess extends EventEmitter {
  pid: number | undefined;
  stdin: FdWritable | null = null;
  stdout: FdReadable | null = null;
  stderr: FdReadable | null = null;
  stdio: (FdWritable | FdReadable | null)[] = [null, null, null];
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  killed = false;
  connected = false;
  spawnfile = '';
  spawnargs: string[] = [];
  private refd = false;

  kill(sig?: string | number): boolean {
    if (this.pid === undefined || this.exitCode !== null || this.signalCode !== null) return false;
    try {
      sys.kill(this.pid, signalNumber(sig));
    } catch (e) {
      if (e instanceof SysErr && e.errno === E.SRCH) return false;
      throw e;
    }
    this.killed = true;
    return true;
  }
  ref(): void {
    if (!this.refd && this.exitCode === null && this.signalCode === null && this.pid !== undefined) {
      this.refd = true;
      holdRef();
    }
  }
  unref(): void {
    if (this.refd) {
      this.refd = false;
      releaseRef();
    }
  }
  [Symbol.dispose](): void {
    if (this.exitCode === null && this.signalCode === null) this.kill();
  }

  /** Internal: starts the child. */
  _start(p: Plan): void {
    this.spawnfile = p.file;
    this.spawnargs = p.argv;
    let l: Launched;
    try {
      l = launch(p);
    } catch (e) {
      if (!(e instanceof SysErr)) throw e;
      const err = spawnError(e, 'spawn', p);
      process.nextTick(() => {
        this.emit('error', err);
        this.emit('close', -(err.errno as number), null);
      });
      return;
    }
    this.pid = l.pid;
    // 'close' comes after 'exit' and the end of every pipe from the child, read or not (Node's
    // pipes are read as data comes; here each is read up to its buffer as soon as it is made).
    let open = 0;
    let exited = false;
    const maybeClose = (): void => {
      if (exited && open === 0) this.emit('close', this.exitCode, this.signalCode);
    };
    const reader = (fd: number): FdReadable => {
      open++;
      const s = new FdReadable(fd, {
        autoClose: true,
        onEof: () => {
          open--;
          maybeClose();
        },
      });
      s.read(0);
      return s;
    };
    if (l.pipes[0]! >= 0) this.stdin = new FdWritable(l.pipes[0]!, { autoClose: true, async: true });
    if (l.pipes[1]! >= 0) this.stdout = reader(l.pipes[1]!);
    if (l.pipes[2]! >= 0) this.stderr = reader(l.pipes[2]!);
    this.stdio = [this.stdin, this.stdout, this.stderr];
    this.ref();
    process.nextTick(() => this.emit('spawn'));
    sys.waitAsync(l.pid, 0, true).then((w) => {
      const [code, signal] = decodeStatus(w.status);
      this.exitCode = code;
      this.signalCode = signal;
      this.unref();
      if (this.stdin && !this.stdin.destroyed) this.stdin.destroy();
      exited = true;
      this.emit('exit', code, signal);
      maybeClose();
    }, (e: unknown) => {
      this.unref();
      this.emit('error', e);
    });
  }
}

export function spawn(command: string, args?: readonly string[] | CommonOptions, options?: CommonOptions): ChildProcess {
  if (!Array.isArray(args)) {
    options = args as CommonOptions | undefined;
    args = undefined;
  }
  const cp = new ChildProcess();
  cp._start(plan(command, args as string[] | undefined, options ?? {}));
  return cp;
}

type ExecCallback = (error: (Error & Record<string, unknown>) | null, stdout: string | Buffer, stderr: string | Buffer) => void;

function collect(cp: ChildProcess, cmd: string, o: CommonOptions, cb: ExecCallback | undefined): ChildProcess {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let size = 0;
  const maxBuffer = o.maxBuffer ?? 1024 * 1024;
  let failure: (Error & Record<string, unknown>) | null = null;
  const grab = (into: Buffer[]) => (d: Buffer): void => {
    into.push(d);
    size += d.length;
    if (size > maxBuffer && !failure) {
      failure = Object.assign(new Error('stdout maxBuffer length exceeded'), { code: 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER' }) as unknown as Error & Record<string, unknown>;
      cp.kill(o.killSignal ?? 'SIGTERM');
    }
  };
  cp.stdout?.on('data', grab(out));
  cp.stderr?.on('data', grab(err));
  let timer: NodeJS.Timeout | null = null;
  if (o.timeout && o.timeout > 0) timer = setTimeout(() => cp.kill(o.killSignal ?? 'SIGTERM'), o.timeout);
  const enc = o.encoding === 'buffer' || o.encoding === null ? null : o.encoding ?? 'utf8';
  const text = (b: Buffer[]): string | Buffer => (enc ? Buffer.concat(b).toString(enc) : Buffer.concat(b));
  cp.on('error', (e: Error & Record<string, unknown>) => {
    if (timer) clearTimeout(timer);
    cb?.(e, text(out), text(err));
    cb = undefined;
  });
  cp.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
    if (timer) clearTimeout(timer);
    if (!cb) return;
    const so = text(out);
    const se = text(err);
    if (failure) return cb(failure, so, se);
    if (code === 0 && signal === null) return cb(null, so, se);
    const e = new Error(`Command failed: ${cmd}\n${String(se)}`) as Error & Record<string, unknown>;
    Object.assign(e, { code, killed: cp.killed, signal, cmd, stdout: so, stderr: se });
    cb(e, so, se);
  });
  return cp;
}

export function exec(command: string, options?: CommonOptions | ExecCallback, callback?: ExecCallback): ChildProcess {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  const o: CommonOptions = { ...options, shell: (options as CommonOptions | undefined)?.shell ?? true };
  return collect(spawn(command, [], o), command, o, callback);
}

export function execFile(file: string, args?: readonly string[] | CommonOptions | ExecCallback, options?: CommonOptions | ExecCallback, callback?: ExecCallback): ChildProcess {
  if (typeof args === 'function') {
    callback = args;
    args = [];
    options = undefined;
  } else if (!Array.isArray(args)) {
    callback = options as ExecCallback | undefined;
    options = args as CommonOptions | undefined;
    args = [];
  }
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  const o: CommonOptions = { ...(options as CommonOptions | undefined) };
  const list = args as string[];
  return collect(spawn(file, list, o), [file, ...list].join(' '), o, callback);
}

export function fork(): never {
  throw nodeError(Error, 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM',
    "child_process.fork() is not available in isokernel (no IPC channel yet); use spawn('node', [script])");
}
