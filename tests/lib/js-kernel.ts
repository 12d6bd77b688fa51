// Helpers for tests that run JS processes: a kernel for a file's (or a suite's) tests, and
// `node -e` in it.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { dropJsSpares } from '../../src/kernel/jsproc/pool.ts';
import { NODE_PROGRAM } from '../../src/kernel/jsproc/program.ts';
import { Kernel, type BootOptions } from '../../src/kernel/kernel.ts';
import type { Limits, Process } from '../../src/kernel/proc/process.ts';

/**
 * Boots a kernel before the tests of the file (or of the describe() it is called in) and
 * gives it to `set`; after them, shuts it down and drops the JS pool's spare isolates (else
 * the test process would not end).
 */
export function useKernel(set: (k: Kernel) => void, o: BootOptions = {}): void {
  let k: Kernel | undefined;
  before(async () => {
    k = await Kernel.boot(o);
    set(k);
  });
  after(async () => {
    await k?.shutdown();
    dropJsSpares();
  });
}

/** Starts `node -e code` in `k`, its stdout and stderr captured (with `env` and `limits` if given). */
export function nodeEval(k: Kernel, code: string, o: { env?: string[]; limits?: Partial<Limits> } = {}): Process {
  return k.spawn({
    program: NODE_PROGRAM, args: ['node', '-e', code], stdio: ['null', 'capture', 'capture'],
    ...(o.env ? { env: o.env } : {}), ...(o.limits ? { limits: o.limits } : {}),
  });
}

/** `p`, or a rejection naming `what` if it has not settled within `ms`. */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, rej) => (t = setTimeout(() => rej(new Error(`${what}: not within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(t);
  }
}

/** Resolves once `p` has written `text` to its stdout; fails if it ends first or `ms` pass. */
export async function outputHas(p: Process, text: string, ms = 30_000): Promise<void> {
  const t0 = performance.now();
  while (!p.output(1).toString().includes(text)) {
    if (p.exitStatus) throw new Error(`ended (${p.exitStatus.status}) before writing ${text}: ${p.output(2)}`);
    if (performance.now() - t0 > ms) throw new Error(`no ${text}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Runs `node -e code` in `k` to its end and gives its stdout; the test fails unless it exits 0. */
export async function runNodeEval(k: Kernel, code: string): Promise<string> {
  const p = nodeEval(k, code);
  const st = await p.exited;
  assert.equal(st.status, 0, `status ${st.status}: ${p.output(2).toString()}`);
  return p.output(1).toString();
}
