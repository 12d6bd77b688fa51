// `process`: the worker's own process object (Node's internals keep using it: nextTick,
// exitCode, the 'exit' and 'uncaughtException' machinery, emitWarning), pruned at boot
// (sandbox.ts) and completed here with what a process of the kernel has: its pid, argv,
// environment, cwd, descriptors 0-2, signals, exit through proc_exit.
import { inspect } from 'node:util';
import { DISPOSITION, SA, SIG, defaultAction } from '../../abi/signals.ts';
import type { JsJob } from '../../kernel/jsproc/protocol.ts';
import { hostAccessError, nodeError, rethrow } from '../errors.ts';
import { hostProcess, primordials as P } from '../primordials.ts';
import * as sys from '../sys.ts';
import { sourceLine } from '../sources.ts';
import { forgetUmask } from './fs.ts';
import { FdReadable, FdWritable } from './stdio.ts';

type Proc = typeof process & Record<string, unknown>;
const proc = hostProcess as Proc;

const SIGNALS: Record<string, number> = Object.fromEntries(Object.entries(SIG).map(([k, v]) => ['SIG' + k, v]));
const SIGNAL_NAMES = new Map<number, string>(Object.entries(SIGNALS).map(([k, v]) => [v, k]));

export function signalNumber(sig: string | number | undefined, dflt = SIG.TERM): number {
  if (sig === undefined) return dflt;
  if (typeof sig === 'number') {
    if (!Number.isInteger(sig) || sig < 0 || sig > 31) throw nodeError(TypeError, 'ERR_UNKNOWN_SIGNAL', `Unknown signal: ${sig}`);
    return sig;
  }
  const n = SIGNALS[sig];
  if (n === undefined) throw nodeError(TypeError, 'ERR_UNKNOWN_SIGNAL', `Unknown signal: ${sig}`);
  return n;
}

export function signalName(sig: number): string | null {
  return SIGNAL_NAMES.get(sig) ?? null;
}

let job: JsJob | null = null;
let env: Record<string, string> = {};
let stdout: FdWritable | null = null;
let stderr: FdWritable | null = null;
let stdin: FdReadable | null = null;
let ids: [number, number, number, number] | null = null;

function define(name: string, value: unknown): void {
  P.defineProperty(proc, name, { value, writable: true, configurable: true, enumerable: true });
}
function getter(name: string, get: () => unknown, set?: (v: unknown) => void): void {
  P.defineProperty(proc, name, { get, set: set ?? ((v) => define(name, v)), configurable: true, enumerable: true });
}

/** process.env: string values only, as Node's. */
function makeEnv(init: readonly string[]): Record<string, string> {
  const target: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const kv of init) {
    const i = kv.indexOf('=');
    if (i > 0) target[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return new Proxy(target, {
    set(t, k, v) {
      if (typeof k === 'string') t[k] = String(v);
      return true;
    },
    defineProperty(t, k, d) {
      if (typeof k === 'string' && 'value' in d) t[k] = String(d.value);
      return true;
    },
  });
}

/** argv as the kernel holds it (what ps shows). */
export function kernelArgv(): string[] {
  return job ? [...job.argv] : [];
}

/** The environment as "K=V" strings (for a child). */
export function envList(e: Record<string, unknown> = env): string[] {
  return Object.keys(e).filter((k) => e[k] !== undefined).map((k) => `${k}=${String(e[k])}`);
}

export function getStdout(): FdWritable {
  return (stdout ??= new FdWritable(1));
}
export function getStderr(): FdWritable {
  return (stderr ??= new FdWritable(2));
}
export function getStdin(): FdReadable {
  return (stdin ??= new FdReadable(0));
}

/** Writes straight to descriptor 2, ignoring errors (last words). */
export function writeStderr(s: string): void {
  try {
    sys.fdWriteAll(2, Buffer.from(s));
  } catch { /* nowhere to say it */ }
}

/** At boot: the members that need no job yet. */
export function installProcess(): void {
  define('platform', 'linux');
  define('execPath', '/bin/node');
  define('execArgv', []);
  define('argv', ['/bin/node']);
  define('title', 'node');
  getter('env', () => env, (v) => {
    env = makeEnv(envList(v as Record<string, unknown>));
  });
  getter('stdout', getStdout);
  getter('stderr', getStderr);
  getter('stdin', getStdin);
  define('cwd', function cwd(): string {
    return sys.currentCwd();
  });
  define('chdir', function chdir(dir: string): void {
    if (typeof dir !== 'string') throw nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "directory" argument must be of type string');
    try {
      sys.chdir(dir);
    } catch (e) {
      const err = (() => {
        try {
          rethrow(e, 'chdir', sys.currentCwd(), dir);
        } catch (x) {
          return x as Error & { message: string };
        }
      })();
      err.message = err.message.replace(/, chdir .*$/, `, chdir ${sys.currentCwd()} -> '${dir}'`);
      throw err;
    }
  });
  define('umask', function umask(mask?: number | string): number {
    if (mask === undefined) {
      const old = sys.umask(0o022);
      sys.umask(old);
      return old;
    }
    forgetUmask();
    return sys.umask(typeof mask === 'string' ? parseInt(mask, 8) : mask);
  });
  define('kill', function kill(pid: number, sig?: string | number): true {
    if (typeof pid !== 'number' || !Number.isInteger(pid)) throw nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "pid" argument must be of type number');
    const n = signalNumber(sig);
    try {
      sys.kill(pid, n);
    } catch (e) {
      const err = (() => {
        try {
          rethrow(e, 'kill');
        } catch (x) {
          return x as Error & { code: string };
        }
      })();
      err.message = `kill ${err.code}`;
      throw err;
    }
    return true;
  });
  define('abort', function abort(): never {
    sys.sigaction(SIG.ABRT, DISPOSITION.DEFAULT);
    sys.kill(sys.getpid(), SIG.ABRT);
    for (;;) sys.poll([{ type: 0, timeoutNs: 1_000_000_000n }]);
  });
  define('uptime', function uptime(): number {
    return job ? Number(P.hrtimeBigint() - job.startHr) / 1e9 : 0;
  });
  define('cpuUsage', function cpuUsage(prev?: NodeJS.CpuUsage): NodeJS.CpuUsage {
    const u = P.threadCpuUsage();
    return prev ? { user: u.user - prev.user, system: u.system - prev.system } : u;
  });
  const memoryUsage = function memoryUsage(): NodeJS.MemoryUsage {
    const m = P.memoryUsage();
    // The host's RSS is every process's; this isolate's share is its heap and its buffers.
    return { ...m, rss: m.heapTotal + m.external };
  };
  memoryUsage.rss = (): number => memoryUsage().rss;
  define('memoryUsage', memoryUsage);
  define('resourceUsage', function resourceUsage(): NodeJS.ResourceUsage {
    const u = P.threadCpuUsage();
    const m = P.memoryUsage();
    return {
      userCPUTime: u.user, systemCPUTime: u.system, maxRSS: Math.round((m.heapTotal + m.external) / 1024),
      sharedMemorySize: 0, unsharedDataSize: 0, unsharedStackSize: 0, minorPageFault: 0, majorPageFault: 0,
      swappedOut: 0, fsRead: 0, fsWrite: 0, ipcSent: 0, ipcReceived: 0, signalsCount: 0,
      voluntaryContextSwitches: 0, involuntaryContextSwitches: 0,
    };
  });
  define('constrainedMemory', function constrainedMemory(): number {
    return (job?.heapMb ?? 0) * 1024 * 1024;
  });
  define('availableMemory', function availableMemory(): number {
    const m = P.memoryUsage();
    return Math.max(0, (job?.heapMb ?? 0) * 1024 * 1024 - m.heapUsed);
  });
  const idsNow = (): [number, number, number, number] => (ids ??= sys.getids());
  define('getuid', () => idsNow()[0]);
  define('geteuid', () => idsNow()[1]);
  define('getgid', () => idsNow()[2]);
  define('getegid', () => idsNow()[3]);
  define('getgroups', () => [idsNow()[2]]);
  define('_rawDebug', (...a: unknown[]) => writeStderr(a.map((x) => (typeof x === 'string' ? x : inspect(x))).join(' ') + '\n'));
  define('openStdin', () => getStdin().resume());
  installExit();
  installSignals();
  installFatal();
}

/** With the job: who this process is. */
export function startProcess(j: JsJob, mainPath: string | null): void {
  job = j;
  env = makeEnv(j.env);
  sys.setCwd(j.cwd);
  sys.setPreopens(j.preopens);
  define('pid', j.pid);
  define('ppid', j.ppid);
  const a0 = j.argv[0] ?? 'node';
  define('title', a0.slice(a0.lastIndexOf('/') + 1) || 'node');
  define('argv', mainPath === null ? ['/bin/node'] : ['/bin/node', mainPath, ...j.argv.slice(j.main ? 1 : 2)]);
}

// ---- exit ----

let exiting = false;

/**
 * Node emits 'exit' when the process ends: the event loop drained, process.exit(), or a fatal
 * exception. Once every listener has run, the process ends with proc_exit (the kernel then
 * ends the isolate): process.exitCode, or the code given.
 */
function installExit(): void {
  const realEmit = proc.emit;
  define('emit', function emit(this: unknown, ev: string | symbol, ...args: unknown[]): boolean {
    if (ev !== 'exit' || exiting || job === null) return P.reflectApply(realEmit, this, [ev, ...args]) as boolean;
    exiting = true;
    try {
      return P.reflectApply(realEmit, this, [ev, ...args]) as boolean;
    } finally {
      const code = proc.exitCode ?? args[0];
      sys.procExit(typeof code === 'number' ? code : Number(code) || 0);
    }
  });
}

// ---- signals ----

const caught = new Set<number>();

/** Node ignores SIGPIPE; every other signal's default is the kernel's. */
function dispositionWhenUncaught(sig: number): number {
  return sig === SIG.PIPE ? DISPOSITION.IGNORE : DISPOSITION.DEFAULT;
}

function installSignals(): void {
  proc.on('newListener', (ev: string | symbol) => {
    if (typeof ev !== 'string' || job === null) return;
    const sig = SIGNALS[ev];
    if (sig === undefined || caught.has(sig)) return;
    if (sig === SIG.KILL || sig === SIG.STOP) {
      throw nodeError(Error, 'EINVAL', `uv_signal_start EINVAL`);
    }
    sys.sigaction(sig, DISPOSITION.CATCH, 0, SA.RESTART);
    caught.add(sig);
  });
  proc.on('removeListener', (ev: string | symbol) => {
    if (typeof ev !== 'string' || job === null) return;
    const sig = SIGNALS[ev];
    if (sig === undefined || !caught.has(sig) || proc.listenerCount(ev) > 0) return;
    sys.sigaction(sig, dispositionWhenUncaught(sig));
    caught.delete(sig);
  });
}

/** A caught signal arrived (the kernel posted it): emit it, or act as uncaught if nobody listens now. */
export function deliverSignal(sig: number): void {
  const name = signalName(sig);
  if (name !== null && proc.listenerCount(name) > 0) {
    proc.emit(name, name, sig);
    return;
  }
  sys.sigaction(sig, dispositionWhenUncaught(sig));
  caught.delete(sig);
  const a = defaultAction(sig);
  if (a !== 'ignore' && a !== 'continue' && sig !== SIG.PIPE) sys.kill(sys.getpid(), sig);
}

// ---- uncaught exceptions ----

/**
 * What Node prints for an exception nobody caught, before it exits with 1: where it was
 * thrown (here: the first frame of the program's own code, with its source line), then
 * util.inspect of the error, then the Node version.
 */
export function fatalText(err: unknown): string {
  let out = '';
  const stack = err instanceof Error ? String(err.stack ?? '') : '';
  for (const l of stack.split('\n').slice(1)) {
    const m = /^\s+at (?:.*? \()?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?$/.exec(l);
    if (!m) continue;
    const file = decodeURIComponent(m[1]!.replace(/^file:\/\//, ''));
    const line = Number(m[2]);
    let col = Number(m[3]);
    const text = sourceLine(file, line);
    if (text === null) continue;
    // The frame says where the error was made; Node's caret points at the throw, which for
    // `throw new Error()` is just before it.
    if (/\bthrow\s+$/.test(text.slice(0, col - 1))) col = text.slice(0, col - 1).search(/\bthrow\s+$/) + 1;
    out += `${m[1]}:${line}\n${text}\n${' '.repeat(Math.max(0, col - 1))}^\n\n`;
    break;
  }
  if (err instanceof Error) out += inspect(err);
  else {
    out += `${inspect(err)}\n(Use \`node --trace-uncaught ...\` to show where the exception was thrown)`;
  }
  return `${out}\n\nNode.js ${proc.version}\n`;
}

function installFatal(): void {
  proc.on('uncaughtExceptionMonitor', (err: unknown) => {
    if (proc.listenerCount('uncaughtException') > 0 || proc.hasUncaughtExceptionCaptureCallback()) return;
    let text: string;
    try {
      text = fatalText(err);
    } catch {
      text = `Uncaught ${String(err)}\n`;
    }
    writeStderr(text);
    // Node's worker now sets exitCode 1 and emits 'exit': installExit ends the process.
  });
}

/** What process.getBuiltinModule and require answer for the host's own modules. */
export function refusedBuiltin(name: string): never {
  throw hostAccessError(`The host module '${name}'`);
}
