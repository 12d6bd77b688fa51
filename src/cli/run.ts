// `isokernel run [--dir HOST[::GUEST]]… [--env K=V]… [--] PROGRAM.wasm [ARGS…]`
//
// wasmtime's meaning: stdio passed through; the exit status is the guest's exit code; each
// --dir mounts a host directory (hostfs) at GUEST (default: the same path as HOST, as
// wasmtime names the preopen) and preopens it, in order, as fd 3, 4, ...; '/' is preopened
// last so that absolute paths (/dev/null, /tmp) work. `--dir HOST::/` makes a host directory
// the root. A trap ends the run with 128+signal and a fault record on stderr.
// Status 2: the command line, the program or a --dir is unusable (a message says which).
import fs from 'node:fs';
import path from 'node:path';
import { SIG, signalName } from '../abi/signals.ts';
import { KernelError } from '../kernel/errors.ts';
import { Kernel } from '../kernel/kernel.ts';
import { formatFaultRecord, type FaultRecord } from '../kernel/proc/fault.ts';
import { procFault } from '../kernel/trace/channels.ts';

export const RUN_USAGE = 'usage: isokernel run [--dir HOST[::GUEST]]... [--env K=V]... [--] PROGRAM.wasm [ARGS...]';

interface RunArgs {
  dirs: { host: string; guest: string }[];
  env: string[];
  program: string;
  args: string[];
}

export class UsageError extends Error {}

export function parseRunArgs(argv: readonly string[]): RunArgs {
  const out: RunArgs = { dirs: [], env: [], program: '', args: [] };
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
    kernel = await Kernel.boot(rootDir ? { root: { type: 'hostfs', host: path.resolve(rootDir.host) } } : {});
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
  try {
    const program = await kernel.load(a.program);
    const p = kernel.spawn({
      program, args: [a.program, ...a.args], env: a.env,
      preopens: a.dirs.map((d) => d.guest), stdio: ['inherit', 'inherit', 'inherit'],
    });
    // Signals sent to the host process go to the program, as a shell's child would get
    // them: Ctrl-C is the guest's SIGINT, which it may catch or ignore.
    const forwarded = FORWARDED.map(([name, num]) => {
      const h = (): void => {
        try {
          kernel.kill(p.pid, num);
        } catch { /* already gone */ }
      };
      process.on(name, h);
      return () => process.off(name, h);
    });
    const st = await p.exited;
    for (const off of forwarded) off();
    if (p.error) {
      process.stderr.write(`isokernel run: ${p.error.message}\n`);
      return 2;
    }
    for (const f of faults) process.stderr.write(formatFaultRecord(f));
    if (st.signal !== null && !p.fault) {
      process.stderr.write(`isokernel: pid ${p.pid} (${p.program}) killed by ${signalName(st.signal)}\n`);
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
  }
}

const FORWARDED: [NodeJS.Signals, number][] = [
  ['SIGINT', SIG.INT], ['SIGTERM', SIG.TERM], ['SIGHUP', SIG.HUP], ['SIGQUIT', SIG.QUIT],
  ['SIGUSR2', SIG.USR2], // not SIGUSR1: Node keeps it for its inspector
];

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
