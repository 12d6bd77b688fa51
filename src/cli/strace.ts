// `isokernel strace`: the image's strace (userland/sbin/strace; docs/tools.md, "strace").
//
//   isokernel strace [--state DIR] -p PID [OPTIONS]   attach to a process of the booted
//       image: runs /sbin/strace inside it through the control socket (`exec`); Ctrl-C
//       here is SIGINT there, which detaches.
//   isokernel strace [OPTIONS] PROGRAM [ARGS...]      no image: a fresh kernel runs strace,
//       which runs PROGRAM traced. A PROGRAM that is a host file (a .wasm, a script) is
//       served at its own path, with the host's current directory, where it runs.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kernel } from '../kernel/kernel.ts';
import { KernelError } from '../kernel/errors.ts';
import { isJsFile } from '../kernel/jsproc/program.ts';
import { execRemote } from './exec.ts';
import { DEFAULT_STATE_DIR } from './control-client.ts';

const USAGE = `usage: isokernel strace [--state DIR] -p PID [-fTcv] [-e trace=SET] [-o FILE] [-s N]
       isokernel strace [-fTcv] [-e trace=SET] [-o FILE] [-s N] PROGRAM [ARGS...]
`;

/** The package's userland/sbin, where strace is (served at /sbin). */
export const USERLAND_SBIN = fileURLToPath(new URL('../../userland/sbin/', import.meta.url));
const STRACE = '/sbin/strace';
/** Options of strace that take a value (to find where PROGRAM starts). */
const WITH_VALUE = new Set(['p', 'e', 'o', 's']);

/** Where PROGRAM is in strace's argv, or -1 (with -p there is none). */
function programIndex(args: readonly string[]): number {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return i + 1 < args.length ? i + 1 : -1;
    if (!a.startsWith('-') || a === '-') return i;
    const last = a[a.length - 1]!;
    const flags = a.slice(1);
    const k = [...flags].findIndex((f) => WITH_VALUE.has(f));
    if (k >= 0 && k === flags.length - 1 && WITH_VALUE.has(last)) i++; // the value is the next word
  }
  return -1;
}

function mkdirs(kernel: Kernel, at: string): void {
  let cur = kernel.ns.root;
  for (const name of at.split('/').filter(Boolean)) {
    try {
      cur = kernel.ns.child(cur, name);
    } catch {
      cur = { mount: cur.mount, vnode: cur.vnode.mkdir(name, 0o755) };
    }
  }
}

export async function strace(argv: string[]): Promise<number> {
  const args = [...argv];
  let state: string | null = null;
  while (args[0] === '--state' || args[0]?.startsWith('--state=')) {
    const a = args.shift()!;
    state = a === '--state' ? args.shift() ?? null : a.slice(8);
    if (state === null) {
      process.stderr.write(`isokernel strace: --state needs a directory\n${USAGE}`);
      return 2;
    }
  }
  if (args.length === 0 || args[0] === '--help') {
    process.stdout.write(USAGE);
    return args.length === 0 ? 2 : 0;
  }
  const at = programIndex(args);
  if (at < 0 || state !== null) {
    // Attach (or an explicit image): strace runs inside the booted kernel.
    try {
      return await execRemote(state ?? process.env.ISOKERNEL_STATE ?? DEFAULT_STATE_DIR, [STRACE, ...args]);
    } catch (e) {
      process.stderr.write(`isokernel strace: ${(e as Error).message}\n`);
      return 1;
    }
  }
  return local(args, at);
}

/** A fresh kernel: strace runs PROGRAM in it. */
async function local(args: string[], at: number): Promise<number> {
  const kernel = await Kernel.boot({});
  mkdirs(kernel, '/sbin');
  kernel.mount('/sbin', { type: 'hostfs', host: USERLAND_SBIN, readOnly: true });
  const name = args[at]!;
  const cwd = process.cwd();
  let guestCwd = '/';
  // A host file: a path, or a bare name of a program file here (as `isokernel run app.ts`).
  const hostish = name.includes('/') || /\.(?:wasm|[cm]?[jt]s)$/.test(name);
  const host = hostish && fs.existsSync(name) && fs.statSync(name).isFile() ? path.resolve(name) : null;
  if (host !== null) {
    // Host directories at their own paths, but for those the kernel has (/tmp, /bin ...):
    // those go under /host.
    const guestOf = (dir: string): string =>
      ['/bin', '/dev', '/tmp', '/usr', '/sbin', '/proc'].some((m) => dir === m || dir.startsWith(m + '/')) ? '/host' + dir : dir;
    for (const dir of new Set([cwd, path.dirname(host)])) {
      if (dir === '/') continue;
      mkdirs(kernel, guestOf(dir));
      try {
        kernel.mount(guestOf(dir), { type: 'hostfs', host: dir });
      } catch (e) {
        if (!(e instanceof KernelError)) throw e;
      }
    }
    const guest = path.join(guestOf(path.dirname(host)), path.basename(host));
    // A script runs as `node SCRIPT` (as `isokernel run app.ts`): no execute bit needed.
    if (isJsFile(host)) args.splice(at, 1, 'node', guest);
    else args[at] = guest;
    if (cwd !== '/') guestCwd = guestOf(cwd);
  }
  const target = await kernel.findProgram(STRACE, ['strace', ...args]);
  const p = kernel.spawn({
    program: target.program, args: target.argv, cwd: guestCwd, stdio: ['inherit', 'inherit', 'inherit'],
    env: { PATH: '/bin:/usr/bin:/sbin', HOME: '/' },
  });
  const onSig = (sig: NodeJS.Signals): void => {
    const num = sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1;
    for (const q of [...kernel.procs.values()]) if (q.pgid === p.pgid && !q.exitStatus) kernel.kill(q.pid, num);
  };
  const sigs: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of sigs) process.on(s, onSig);
  try {
    const st = await p.exited;
    if (p.error) process.stderr.write(`isokernel strace: ${p.error.message}\n`);
    return st.status;
  } finally {
    for (const s of sigs) process.off(s, onSig);
    await kernel.shutdown();
  }
}
