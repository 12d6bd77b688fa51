// What the accounting tests share: a booted kernel, programs run through /bin/sh with their
// output captured, and the test programs built by build.sh (bin/NAME.wasm).
import { fileURLToPath } from 'node:url';
import { Kernel } from '../../src/kernel/kernel.ts';
import type { Process } from '../../src/kernel/proc/process.ts';

export const BIN = fileURLToPath(new URL('./bin/', import.meta.url));
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SH = `${ROOT}userland/bin/sh`;

export interface Run {
  p: Process;
  status: number;
  out: string;
  err: string;
}

export async function boot(): Promise<Kernel> {
  return Kernel.boot({});
}

/** Runs `cmd` with /bin/sh -c in `k` (PATH=/bin); resolves when it ends. */
export async function sh(k: Kernel, cmd: string, o: { uid?: number; env?: string[] } = {}): Promise<Run> {
  const p = k.spawn({
    program: SH, args: ['sh', '-c', cmd], env: ['PATH=/bin', 'HOME=/', ...(o.env ?? [])],
    stdio: ['null', 'capture', 'capture'], ...(o.uid !== undefined ? { uid: o.uid, gid: o.uid } : {}),
  });
  const st = await p.exited;
  return { p, status: st.status, out: p.output(1).toString(), err: p.output(2).toString() };
}

/** Runs a test program from bin/ directly. */
export async function prog(k: Kernel, name: string, args: string[]): Promise<Run> {
  const p = k.spawn({ program: `${BIN}${name}.wasm`, args: [name, ...args], stdio: ['null', 'capture', 'capture'] });
  const st = await p.exited;
  return { p, status: st.status, out: p.output(1).toString(), err: p.output(2).toString() };
}

/** `key value` lines (isokernel's /proc/PID/acct) or `key: value` lines (/proc/PID/io). */
export function fields(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_]+):?\s+(-?[0-9.]+)$/.exec(line);
    if (m) out[m[1]!] = Number(m[2]);
  }
  return out;
}
