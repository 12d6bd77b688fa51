// Shared by the log tests: a kernel with a host scratch directory mounted, and JS processes
// run from inline source.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_PROGRAM } from '../../src/kernel/jsproc/program.ts';
import { Kernel, type MountSpec } from '../../src/kernel/kernel.ts';
import type { Process } from '../../src/kernel/proc/process.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SBIN = path.join(ROOT, 'userland/sbin');

export interface TestKernel {
  kernel: Kernel;
  /** The host directory mounted at /work. */
  work: string;
  cleanup(): Promise<void>;
}

/** A kernel with /work (a host scratch dir), /var (host dir), and /sbin (userland/sbin), read-write where it matters. */
export async function bootTestKernel(o: { hold?: boolean; hostname?: string; varDir?: string; varFs?: MountSpec } = {}): Promise<TestKernel> {
  const work = mkdtempSync(path.join(tmpdir(), 'isk-log-'));
  const varDir = o.varDir ?? path.join(work, 'var');
  mkdirSync(varDir, { recursive: true });
  mkdirSync(path.join(work, 'etc'), { recursive: true });
  const kernel = await Kernel.boot({ hostname: o.hostname ?? 'testhost' });
  const root = kernel.ns.root.vnode;
  for (const d of ['work', 'var', 'sbin', 'etc']) root.mkdir(d, 0o755);
  kernel.mount('/work', { type: 'hostfs', host: work });
  kernel.mount('/var', o.varFs ?? { type: 'hostfs', host: varDir });
  kernel.mount('/sbin', { type: 'hostfs', host: SBIN, readOnly: true });
  kernel.mount('/etc', { type: 'hostfs', host: path.join(work, 'etc') });
  if (o.hold) kernel.log.hold = true;
  // Tests that take records on the host have no reader: no spilling to stderr behind their back.
  kernel.log.spillAfterMs = Infinity;
  return {
    kernel, work,
    async cleanup() {
      await kernel.shutdown();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

let seq = 0;
/** Runs `source` (an ES module) as a JS process; its file is written under work. */
export function spawnJsSource(t: TestKernel, source: string, o: { args?: string[]; uid?: number; stdio?: ('null' | 'capture' | 'inherit')[] } = {}): Process {
  const name = `prog${++seq}.mjs`;
  writeFileSync(path.join(t.work, name), source);
  return t.kernel.spawn({
    program: NODE_PROGRAM, args: ['node', `/work/${name}`, ...(o.args ?? [])], cwd: '/work',
    env: ['PATH=/bin:/usr/bin'], stdio: o.stdio ?? ['null', 'capture', 'capture'], uid: o.uid ?? 0,
  });
}

export async function run(t: TestKernel, source: string, o: Parameters<typeof spawnJsSource>[2] = {}): Promise<{ status: number; out: string; err: string }> {
  const p = spawnJsSource(t, source, o);
  const st = await p.exited;
  return { status: st.status, out: p.output(1).toString(), err: p.output(2).toString() };
}

/** Waits until `cond()` or throws after `ms`. */
export async function until(cond: () => boolean, ms = 30_000, what = 'condition'): Promise<void> {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
