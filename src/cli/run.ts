// `isokernel run [--dir HOST[::GUEST]]… [--env K=V]… [--] PROGRAM.wasm [ARGS…]`
//
// wasmtime's meaning: stdio passed through (but with stdin a terminal, in the foreground,
// the program gets a kernel terminal on it: tty/host.ts); the exit status is the guest's exit code; each
// --dir mounts a host directory (hostfs) at GUEST (default: the same path as HOST, as
// wasmtime names the preopen) and preopens it, in order, as fd 3, 4, ...; '/' is preopened
// last so that absolute paths (/dev/null, /tmp) work. `--dir HOST::/` makes a host directory
// the root. A trap ends the run with 128+signal and a fault record on stderr; with
// --core-dir DIR, a core file too (DIR/core.PROGRAM.PID; the core limit becomes unlimited
// unless --limit core=BYTES says otherwise; docs/core.md).
// Sockets: `--listen [ADDR:]PORT` (as wasmtime's --tcplisten) gives the program a listening
// socket as fd 3, 4, ... (before the preopened directories) and LISTEN_FDS=N; ADDR defaults
// to 127.0.0.1. Outbound connections may go anywhere unless `--egress HOST:PORT` rules are
// given (then only there: EACCES otherwise); ports the program binds itself are bound on
// 127.0.0.1 (or `--listen-host ADDR`). docs/abi.md, "Sockets".
// Status 2: the command line, the program or a --dir is unusable (a message says which).
import fs from 'node:fs';
import path from 'node:path';
import { SIG, signalName } from '../abi/signals.ts';
import { KernelError, SysError } from '../kernel/errors.ts';
import type { Program } from '../kernel/proc/loader.ts';
import { DEFAULT_HARD_LIMITS, Kernel } from '../kernel/kernel.ts';
import { formatCoreOutcome, formatFaultRecord, type CoreOutcome, type FaultRecord } from '../kernel/proc/fault.ts';
import { procCore, procFault } from '../kernel/trace/channels.ts';
import { hostScript } from './run-js.ts';
import type { Limits } from '../kernel/proc/process.ts';
import { parseLimitSpec } from '../kernel/proc/rlimit.ts';
import { type InetAddr, parseIpv4, parseIpv6 } from '../kernel/net/addr.ts';
import { listenMapping, openListener, parseListenSpec } from '../kernel/net/listen.ts';
import type { Socket } from '../kernel/net/socket.ts';
import type { Process } from '../kernel/proc/process.ts';
import type { SpawnOptions } from '../kernel/kernel.ts';
import { HostTerminal } from '../kernel/tty/host.ts';
import { spawnOnTerminal } from '../kernel/tty/kernel-tty.ts';

export const RUN_USAGE = 'usage: isokernel run [--dir HOST[::GUEST]]... [--env K=V]... [--no-null-guard] [--max-memory-pages N] [--limit NAME=SOFT[:HARD]]... [--core-dir DIR] [--listen [ADDR:]PORT]... [--egress RULE]... [--listen-host ADDR] [--] PROGRAM [ARGS...]';

interface RunArgs {
  dirs: { host: string; guest: string }[];
  env: string[];
  program: string;
  args: string[];
  /** --no-null-guard: programs run without the null-page guard (issue 5). */
  nullGuard?: boolean;
  /** --max-memory-pages N: the program's memory limit, in 64 KiB pages. */
  memoryPages?: number;
  /** --limit NAME=SOFT[:HARD]: resource limits (proc/rlimit.ts LIMIT_NAMES), soft and hard. */
  limits?: Partial<Limits>;
  hardLimits?: Partial<Limits>;
  /** --core-dir DIR: core files go there (and the core limit becomes unlimited unless --limit core= says otherwise). */
  coreDir?: string;
  /** --listen [ADDR:]PORT: listening sockets given to the program as fds 3, 4, ... (LISTEN_FDS=N). */
  listen: InetAddr[];
  /** --egress RULE: the destinations the program may connect to (none given: any). */
  egress: string[];
  /** --listen-host ADDR: the host address guest ports bind (default 127.0.0.1). */
  listenHost?: string;
}

export class UsageError extends Error {}

export function parseRunArgs(argv: readonly string[]): RunArgs {
  const out: RunArgs = { dirs: [], env: [], program: '', args: [], listen: [], egress: [] };
  let i = 0;
  const value = (flag: string, inline: string | undefined): string => {
    if (inline !== undefined) return inline;
    const v = argv[++i];
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
    if (flag === '--dir' || flag === '--mapdir') {
      const spec = value(flag, inline);
      const sep = spec.indexOf('::');
      const host = sep >= 0 ? spec.slice(0, sep) : spec;
      const guest = sep >= 0 ? spec.slice(sep + 2) : spec;
      if (!host || !guest) throw new UsageError(`--dir ${spec}: expected HOST or HOST::GUEST`);
      out.dirs.push({ host, guest });
    } else if (flag === '--env') {
      const kv = value(flag, inline);
      if (!kv.includes('=')) throw new UsageError(`--env ${kv}: expected K=V`);
      out.env.push(kv);
    } else if (flag === '--no-null-guard' && inline === undefined) {
      out.nullGuard = false;
    } else if (flag === '--max-memory-pages') {
      const v = value(flag, inline);
      if (!/^\d+$/.test(v) || Number(v) > 65536) throw new UsageError(`--max-memory-pages ${v}: expected a number of 64 KiB pages, at most 65536`);
      out.memoryPages = Number(v);
    } else if (flag === '--listen' || flag === '--tcplisten') {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs [ADDR:]PORT`);
      try {
        out.listen.push(parseListenSpec(v));
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    } else if (flag === '--egress') {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError('--egress needs a rule (HOST:PORT)');
      out.egress.push(v);
    } else if (flag === '--listen-host') {
      const v = inline ?? argv[++i];
      if (v === undefined || (parseIpv4(v) === null && parseIpv6(v) === null)) throw new UsageError(`--listen-host ${v ?? ''}: expected an IP address`);
      out.listenHost = v;
    } else if (flag === '--core-dir') {
      out.coreDir = value(flag, inline);
    } else if (flag === '--limit') {
      let l;
      try {
        l = parseLimitSpec(value(flag, inline));
      } catch (e) {
        throw new UsageError(`--limit ${(e as Error).message}`);
      }
      // A soft value alone (NAME=SOFT:) keeps the default hard one.
      for (const k of Object.keys(l.soft) as (keyof Limits)[]) if (!(k in l.hard)) l.hard[k] = DEFAULT_HARD_LIMITS[k];
      out.limits = { ...out.limits, ...l.soft };
      out.hardLimits = { ...out.hardLimits, ...l.hard };
    } else {
      throw new UsageError(`unknown option ${a}`);
    }
  }
  const program = argv[i];
  if (program === undefined) throw new UsageError('no program given');
  out.program = program;
  out.args = argv.slice(i + 1);
  return out;
}

/** Guest mount point for a --dir: absolute as given, or relative names made absolute. */
function mountPoint(guest: string): string {
  return path.posix.resolve('/', guest);
}

export async function run(argv: readonly string[]): Promise<number> {
  let a: RunArgs;
  try {
    a = parseRunArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`isokernel run: ${e.message}\n${RUN_USAGE}\n`);
      return 2;
    }
    throw e;
  }
  for (const d of a.dirs) {
    let st: fs.Stats | null = null;
    try {
      st = fs.statSync(d.host);
    } catch { /* reported below */ }
    if (!st || !st.isDirectory()) {
      process.stderr.write(`isokernel run: --dir ${d.host}: ${st ? 'not a directory' : 'no such directory'}\n`);
      return 2;
    }
  }
  const rootDir = a.dirs.find((d) => mountPoint(d.guest) === '/');
  let kernel: Kernel;
  try {
    kernel = await Kernel.boot({
      // Sockets: any destination unless --egress rules are given; guest ports bound on
      // 127.0.0.1 (--listen-host ADDR otherwise), --listen ADDR:PORT where it says.
      network: {
        egress: a.egress.length > 0 ? a.egress : 'any', listen: a.listen.map(listenMapping),
        ...(a.listenHost !== undefined ? { listenHost: a.listenHost } : {}),
      },
      ...(rootDir ? { root: { type: 'hostfs', host: path.resolve(rootDir.host) } } : {}),
      ...(a.coreDir !== undefined ? { coreDir: path.resolve(a.coreDir) } : {}),
    });
    if (a.nullGuard === false) kernel.loader.protect = { ...kernel.loader.protect, nullGuard: 0 };
    for (const d of a.dirs) {
      if (d === rootDir) continue;
      const at = mountPoint(d.guest);
      mkdirs(kernel, at);
      kernel.mount(at, { type: 'hostfs', host: path.resolve(d.host) });
    }
  } catch (e) {
    if (e instanceof KernelError) {
      process.stderr.write(`isokernel run: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const faults: FaultRecord[] = [];
  const onFault = (r: unknown): void => void faults.push(r as FaultRecord);
  procFault.subscribe(onFault);
  const cores = new Map<number, CoreOutcome>();
  const onCore = (c: unknown): void => void cores.set((c as { pid: number }).pid, c as CoreOutcome);
  procCore.subscribe(onCore);
  try {
    const sockets: Socket[] = [];
    for (const l of a.listen) sockets.push(await openListener(kernel, l));
    const guest = await guestProgram(kernel, a);
    const program = guest ? guest.program : await kernel.load(a.program);
    // stdin a host terminal: the program gets a kernel terminal (line discipline, job
    // control, window size) in its place, with the host terminal in raw mode meanwhile.
    const host = HostTerminal.wanted() ? new HostTerminal(kernel) : null;
    const spawn = (o: SpawnOptions): Process => (host ? spawnOnTerminal(kernel, host.tty, o, host.ttyFds) : kernel.spawn(o));
    const p = spawn({
      program, args: guest ? guest.argv : [a.program, ...a.args], cwd: guest?.cwd,
      env: sockets.length > 0 && !a.env.some((e) => e.startsWith('LISTEN_FDS=')) ? [...a.env, `LISTEN_FDS=${sockets.length}`] : a.env,
      sockets,
      preopens: [...a.dirs.map((d) => d.guest), ...(guest?.cwd ? [guest.cwd] : [])], stdio: ['inherit', 'inherit', 'inherit'],
      limits: {
        ...(a.coreDir !== undefined ? { coreBytes: Infinity } : {}), ...a.limits,
        ...(a.memoryPages !== undefined ? { memoryPages: a.memoryPages } : {}),
      },
      ...(a.hardLimits ? { hardLimits: a.hardLimits } : {}),
    });
    // Signals sent to the host process go to the program's process group, as a shell's
    // foreground job would get them: Ctrl-C is the guest's SIGINT, which it may catch or ignore.
    const forwarded = FORWARDED.map(([name, num]) => {
      const h = (): void => {
        try {
          // The program's whole process group, as a terminal sends Ctrl-C to the foreground
          // job: a shell and the command it waits for both get it.
          for (const q of [...kernel.procs.values()]) if (q.pgid === p.pgid && !q.exitStatus) kernel.kill(q.pid, num);
        } catch { /* already gone */ }
      };
      process.on(name, h);
      return () => process.off(name, h);
    });
    host?.start();
    let st;
    try {
      st = await p.exited;
    } finally {
      host?.stop();
    }
    for (const off of forwarded) off();
    if (p.error) {
      process.stderr.write(`isokernel run: ${p.error.message}\n`);
      return 2;
    }
    for (const f of faults) process.stderr.write(formatFaultRecord(f));
    if (st.signal !== null && !p.fault) {
      const core = cores.get(p.pid);
      process.stderr.write(`isokernel: pid ${p.pid} (${p.program}) killed by ${signalName(st.signal)}${core ? ` (${formatCoreOutcome(core)})` : ''}\n`);
    }
    return st.status;
  } catch (e) {
    if (e instanceof KernelError) {
      process.stderr.write(`isokernel run: ${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    procFault.unsubscribe(onFault);
    procCore.unsubscribe(onCore);
  }
}

const FORWARDED: [NodeJS.Signals, number][] = [
  ['SIGINT', SIG.INT], ['SIGTERM', SIG.TERM], ['SIGHUP', SIG.HUP], ['SIGQUIT', SIG.QUIT],
  ['SIGUSR2', SIG.USR2], // not SIGUSR1: Node keeps it for its inspector
];

/**
 * A program from the kernel's own userland: an absolute path that exists inside the kernel
 * (`/bin/sh`), or a bare name found in /bin or /usr/bin that is not a host file (`sh`).
 * It runs in the host's current directory, mounted at the same path (unless that is `/` or a
 * --dir already covers it). Null for a host path, loaded as before.
 */
async function guestProgram(kernel: Kernel, a: RunArgs): Promise<{ program: Program; argv: string[]; cwd: string } | null> {
  const name = a.program;
  const covered = (dir: string): boolean => a.dirs.some((d) => mountPoint(d.guest) === dir || dir.startsWith(mountPoint(d.guest) + '/'));
  const js = hostScript(kernel, name, a.args, covered); // a .js/.ts file: a JS process (run-js.ts)
  if (js) return js;
  const bare = !name.includes('/');
  if (!name.startsWith('/') && !(bare && !fs.existsSync(name))) return null;
  let target;
  try {
    target = await kernel.findProgram(name, [name, ...a.args], bare ? '/bin:/usr/bin' : null);
  } catch (e) {
    if (e instanceof SysError) return null;
    throw e;
  }
  const cwd = process.cwd();
  if (cwd !== '/' && !a.dirs.some((d) => mountPoint(d.guest) === cwd || cwd.startsWith(mountPoint(d.guest) + '/'))) {
    mkdirs(kernel, cwd);
    kernel.mount(cwd, { type: 'hostfs', host: cwd });
  }
  return { program: target.program, argv: target.argv, cwd };
}

/** Creates the directories above a mount point in the root tmpfs, as mount -m would. */
function mkdirs(kernel: Kernel, at: string): void {
  const parts = at.split('/').filter(Boolean);
  let cur = kernel.ns.root;
  for (const name of parts.slice(0, -1)) {
    try {
      cur = kernel.ns.child(cur, name);
    } catch {
      cur = { mount: cur.mount, vnode: cur.vnode.mkdir(name, 0o755) };
    }
  }
}
