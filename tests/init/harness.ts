// Test harness for init, crond and the control socket: a kernel with the package's
// userland/sbin at /sbin (read-only hostfs), a tmpfs /etc holding the manifest, a tmpfs /var,
// and init spawned as PID 1 with its control channel — what `isokernel boot` does (IMAGE's
// boot.ts), without an image.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CronJob, Manifest, Service } from '../../src/image/manifest-types.ts';
import { type InitChannel, type ServiceStatus, spawnInit } from '../../src/image/init-channel.ts';
import { Kernel } from '../../src/kernel/kernel.ts';
import type { Process } from '../../src/kernel/proc/process.ts';
import { TmpFs } from '../../src/kernel/vfs/tmpfs.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SBIN = path.join(ROOT, 'userland/sbin');

export function service(name: string, o: Partial<Service> = {}): Service {
  return {
    name, program: '/bin/sh', args: ['-c', 'exec sleep 1000'], env: {}, cwd: '/', uid: 0, gid: 0, restart: 'no',
    backoffMs: { initial: 50, max: 400 }, crashLoop: { maxRestarts: 5, windowMs: 60_000 }, dependsOn: [], limits: {},
    readiness: { type: 'none' }, stopSignal: 15, stopTimeoutMs: 2000, ...o,
  };
}

export function cronJob(name: string, o: Partial<CronJob> = {}): CronJob {
  return { name, schedule: '* * * * * *', timezone: 'UTC', command: 'true', uid: 0, gid: 0, overlap: false, ...o };
}

export function manifest(o: Partial<Manifest> = {}): Manifest {
  return {
    name: 'test', version: '1', hostname: 'test', mounts: [], services: [], cron: [],
    logs: { files: [], remote: null }, network: { listen: [], egress: [] }, image: { exclude: [], jsPool: 0 }, ...o,
  };
}

export interface Booted {
  kernel: Kernel;
  init: Process;
  channel: InitChannel;
  /** The kernel's log records so far, as `TAG[PID]: MSG` lines (and init's stdio). */
  log(): string;
  /** The kernel's log records so far. */
  records(): { timeNs: bigint; tag: string; pid: number; severity: number; msg: string }[];
  /** Sends a `service` request to init. */
  service(action: string, name?: string): Promise<{ ok: boolean; error?: string; services?: Status[] }>;
  status(name: string): Promise<Status>;
  /** Reads a file inside the kernel ('' if missing). */
  read(p: string): string;
  stop(): Promise<void>;
}

export type Status = ServiceStatus;

export async function boot(m: Manifest): Promise<Booted> {
  const kernel = await Kernel.boot({});
  kernel.ns.root.vnode.mkdir('sbin', 0o755);
  kernel.mount('/sbin', { type: 'hostfs', host: SBIN, readOnly: true });
  kernel.ns.root.vnode.mkdir('etc', 0o755);
  kernel.mount('/etc', new TmpFs());
  kernel.ns.root.vnode.mkdir('var', 0o755);
  kernel.mount('/var', new TmpFs());
  const etc = kernel.ns.resolve(kernel.ns.root, kernel.ns.root, '/etc', true).vnode;
  const f = etc.mkdir('isokernel', 0o755).create('manifest.json', 0o644);
  const h = f.open(true);
  h.write(new TextEncoder().encode(JSON.stringify(m)), 0);
  h.close();
  // No syslogd in these manifests (no log files): records go straight to this sink.
  const lines: string[] = [];
  const records: { timeNs: bigint; tag: string; pid: number; severity: number; msg: string }[] = [];
  const dec = new TextDecoder();
  kernel.log.sink = (r) => {
    const msg = dec.decode(r.msg);
    lines.push(`${r.tag}[${r.pid}]: ${msg}`);
    records.push({ timeNs: r.timeNs, tag: r.tag, pid: r.pid, severity: r.severity, msg });
  };
  const { process: init, channel } = await spawnInit(kernel, { stdio: ['null', 'capture', 'capture'] });
  const read = (p: string): string => {
    try {
      const v = kernel.ns.resolve(kernel.ns.root, kernel.ns.root, p, true).vnode;
      const hh = v.open(false);
      const size = v.stat().size;
      const b = new Uint8Array(Number(size));
      hh.read(b, 0);
      hh.close();
      return new TextDecoder().decode(b);
    } catch {
      return '';
    }
  };
  const b: Booted = {
    kernel, init, channel,
    log: () => lines.join('\n') + init.output(2).toString() + init.output(1).toString(),
    records: () => records,
    service: (action, name) => channel.request({ op: 'service', action, ...(name ? { name } : {}) }) as never,
    async status(name) {
      const r = await b.service('status', name);
      if (!r.ok) throw new Error(r.error);
      return r.services![0]!;
    },
    read,
    async stop() {
      channel.close();
      await kernel.shutdown();
    },
  };
  return b;
}

/**
 * boot() for tests that boot several kernels: each booted kernel is stopped after the file's
 * tests (a failed test leaves none running).
 */
export function bootEach(): (m: Manifest) => Promise<Booted> {
  const booted: Booted[] = [];
  after(async () => {
    for (const b of booted) await b.stop().catch(() => {});
  });
  return async (m) => {
    const b = await boot(m);
    booted.push(b);
    return b;
  };
}

/** Runs a host command (30 s at most), `input` on its stdin: its exit code and output. */
export function runHost(cmd: string, args: string[], input?: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const c = execFile(cmd, args, { timeout: 30_000 }, (e, out, err) => {
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out: String(out), err: String(err) });
    });
    if (input !== undefined) c.stdin!.end(input);
    else c.stdin!.end();
  });
}

/** Polls `fn` until it returns a truthy value (or throws after `ms`, with `what` and the log). */
export async function until<T>(fn: () => T | Promise<T>, what: string, ms = 20_000, log?: () => string): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v as Exclude<T, false | null | undefined | 0 | ''>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${log ? `\n--- log ---\n${log()}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
