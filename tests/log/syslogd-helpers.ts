// Starting and stopping syslogd in a test kernel, and its manifest.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SIG } from '../../src/abi/signals.ts';
import { NODE_PROGRAM } from '../../src/kernel/jsproc/program.ts';
import type { Process } from '../../src/kernel/proc/process.ts';
import { type TestKernel, until } from './helpers.ts';

export function writeManifest(t: TestKernel, logs: unknown): void {
  mkdirSync(path.join(t.work, 'etc/isokernel'), { recursive: true });
  writeFileSync(path.join(t.work, 'etc/isokernel/manifest.json'), JSON.stringify({ name: 'test', logs }));
}

export async function startSyslogd(t: TestKernel, args: string[] = []): Promise<Process> {
  const p = t.kernel.spawn({ program: NODE_PROGRAM, args: ['node', '/sbin/syslogd.ts', ...args], cwd: '/', stdio: ['null', 'capture', 'capture'] });
  await until(() => t.kernel.log.reader !== null || p.exitStatus !== null, 30_000, 'syslogd to attach');
  assert.equal(p.exitStatus, null, `syslogd ended: ${p.output(2)}`);
  return p;
}

export async function stopSyslogd(t: TestKernel, p: Process): Promise<number> {
  t.kernel.signal(p, SIG.TERM);
  return (await p.exited).status;
}

