// The tracer tests' kernel: the default root, strace at /sbin (userland/sbin, as images
// have it) and the test programs at /t (tests/trace/bin, with hello.mjs beside them).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kernel, type SpawnOptions } from '../../src/kernel/kernel.ts';
import type { Process } from '../../src/kernel/proc/process.ts';

export const TRACE_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(TRACE_DIR, '..', '..');

export async function traceKernel(): Promise<Kernel> {
  const k = await Kernel.boot({});
  k.ns.root.vnode.mkdir('sbin', 0o755);
  k.ns.root.vnode.mkdir('t', 0o755);
  k.ns.root.vnode.mkdir('js', 0o755);
  k.mount('/sbin', { type: 'hostfs', host: join(ROOT, 'userland', 'sbin'), readOnly: true });
  k.mount('/t', { type: 'hostfs', host: join(TRACE_DIR, 'bin'), readOnly: true });
  k.mount('/js', { type: 'hostfs', host: TRACE_DIR, readOnly: true });
  return k;
}

/** Spawns a program of the kernel's namespace by path, stdout and stderr captured. */
export async function start(k: Kernel, argv: string[], o: Partial<SpawnOptions> = {}): Promise<Process> {
  const t = await k.findProgram(argv[0]!, argv);
  return k.spawn({ program: t.program, args: t.argv, stdio: ['null', 'capture', 'capture'], ...o });
}

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

export async function run(k: Kernel, argv: string[], o: Partial<SpawnOptions> = {}): Promise<Run> {
  const p = await start(k, argv, o);
  const st = await p.exited;
  return { status: st.status, stdout: p.output(1).toString(), stderr: p.output(2).toString() };
}

/** Resolves once `cond` holds (polled), or rejects after `ms`. */
export async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
