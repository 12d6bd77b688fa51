// node:os as the image sees it: the kernel's uname, its clocks, the process's ids and
// environment. There is one CPU for a JS process (an isolate runs on one thread), no
// network interfaces yet, and the memory figures are the isolate's heap limit and use.
import * as sys from '../sys.ts';
import { primordials as P } from '../primordials.ts';

let uts: sys.Uname | null = null;
const uname = (): sys.Uname => (uts ??= sys.uname());

export const EOL = '\n';
export const devNull = '/dev/null';

export function hostname(): string {
  return uname().nodename;
}
export function type(): string {
  return uname().sysname;
}
export function release(): string {
  return uname().release;
}
export function version(): string {
  return uname().version;
}
export function machine(): string {
  return uname().machine;
}
export function platform(): NodeJS.Platform {
  return process.platform;
}
export function arch(): string {
  return process.arch;
}
export function endianness(): 'LE' {
  return 'LE';
}
export function uptime(): number {
  return Number(sys.clockTime(1)) / 1e9;
}
export function loadavg(): number[] {
  return [0, 0, 0];
}
export function totalmem(): number {
  return process.constrainedMemory();
}
export function freemem(): number {
  return process.availableMemory();
}
export function availableParallelism(): number {
  return 1;
}
export function cpus(): { model: string; speed: number; times: Record<string, number> }[] {
  const u = P.threadCpuUsage();
  return [{ model: 'isokernel isolate', speed: 0, times: { user: Math.round(u.user / 1000), nice: 0, sys: Math.round(u.system / 1000), idle: 0, irq: 0 } }];
}
export function networkInterfaces(): Record<string, never[]> {
  return {};
}
export function tmpdir(): string {
  const t = process.env.TMPDIR ?? process.env.TMP ?? process.env.TEMP ?? '/tmp';
  return t.length > 1 && t.endsWith('/') ? t.slice(0, -1) : t;
}
export function homedir(): string {
  return process.env.HOME ?? (process.getuid!() === 0 ? '/root' : '/');
}
export function userInfo(options?: { encoding?: string }): Record<string, unknown> {
  const uid = process.getuid!();
  const gid = process.getgid!();
  const username = process.env.USER ?? process.env.LOGNAME ?? (uid === 0 ? 'root' : String(uid));
  const info = { uid, gid, username, homedir: homedir(), shell: process.env.SHELL ?? '/bin/sh' };
  if (options?.encoding === 'buffer') {
    return { ...info, username: Buffer.from(info.username), homedir: Buffer.from(info.homedir), shell: Buffer.from(info.shell) };
  }
  return info;
}
export function getPriority(_pid?: number): number {
  return 0;
}
export function setPriority(): void {
  // The kernel has no priorities: every process is served in turn.
}

/** os.constants: the worker's own (signal and errno numbers are Linux's, as isokernel's). */
export function makeOs(real: Record<string, unknown>): Record<string, unknown> {
  return {
    EOL, devNull, hostname, type, release, version, machine, platform, arch, endianness, uptime, loadavg, totalmem,
    freemem, availableParallelism, cpus, networkInterfaces, tmpdir, homedir, userInfo, getPriority, setPriority,
    constants: real.constants,
  };
}
