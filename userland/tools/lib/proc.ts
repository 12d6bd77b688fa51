// What the operator's tools (ps, top, free, uptime, vmstat, iostat, iotop) read from /proc,
// parsed as a Linux tool parses it (procps: /proc/PID/stat by position after the `(comm)`,
// status and meminfo by key). Every reader tolerates a process that ends while it is read:
// it is simply left out.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export const CLK_TCK = 100;
export const PAGE_SIZE = 4096;

export interface Proc {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  pgid: number;
  sid: number;
  /** CPU time in clock ticks (1/100 s). */
  utime: number;
  stime: number;
  /** Start, in ticks since boot. */
  start: number;
  vsz: number; // bytes
  rss: number; // bytes
  uid: number;
  args: string[];
  wchan: string;
  /** isokernel's figures (/proc/PID/acct), ns and bytes. */
  acct: Record<string, number>;
  mounts: { path: string; read: number; write: number }[];
  io: Record<string, number>;
  syscalls: number;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** `key: value` or `key\tvalue` lines as numbers where they are numbers. */
export function keyed(text: string, sep: RegExp = /:\s*/): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = sep.exec(line);
    if (!m) continue;
    const v = parseFloat(line.slice(m.index + m[0].length));
    if (!Number.isNaN(v)) out[line.slice(0, m.index)] = v;
  }
  return out;
}

export function pids(): number[] {
  return readdirSync('/proc').filter((n) => /^[0-9]+$/.test(n)).map(Number).sort((a, b) => a - b);
}

/** One process, or null if it is gone (or its files cannot be read). */
export function readProc(pid: number, withIo = false): Proc | null {
  const stat = read(`/proc/${pid}/stat`);
  const status = read(`/proc/${pid}/status`);
  if (stat === null || status === null) return null;
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  const comm = stat.slice(open + 1, close);
  const f = stat.slice(close + 2).trim().split(' ');
  // f[0] is field 3 (state): field n is f[n - 3].
  const n = (i: number) => Number(f[i - 3]);
  const uid = Number(/^Uid:\s*(\d+)/m.exec(status)?.[1] ?? 0);
  const cmdline = read(`/proc/${pid}/cmdline`) ?? '';
  const acctText = read(`/proc/${pid}/acct`) ?? '';
  const acct: Record<string, number> = {};
  const mounts: Proc['mounts'] = [];
  for (const line of acctText.split('\n')) {
    const parts = line.split(' ');
    if (parts[0] === 'mount') mounts.push({ path: parts[1]!, read: Number(parts[2]), write: Number(parts[3]) });
    else if (parts.length === 2 && !Number.isNaN(Number(parts[1]))) acct[parts[0]!] = Number(parts[1]);
  }
  const ioText = withIo ? read(`/proc/${pid}/io`) : null;
  return {
    pid, comm, state: f[0]!, ppid: n(4), pgid: n(5), sid: n(6), utime: n(14), stime: n(15), start: n(22),
    vsz: n(23), rss: n(24) * PAGE_SIZE, uid, args: cmdline.split('\0').slice(0, -1),
    wchan: (read(`/proc/${pid}/wchan`) ?? '0').trim(), acct, mounts, io: ioText ? keyed(ioText) : {},
    syscalls: acct.syscalls ?? 0,
  };
}

export function allProcs(withIo = false): Proc[] {
  const out: Proc[] = [];
  for (const pid of pids()) {
    const p = readProc(pid, withIo);
    if (p) out.push(p);
  }
  return out;
}

export function uptimeSeconds(): number {
  return parseFloat(read('/proc/uptime') ?? '0');
}

export function loadavg(): [number, number, number] {
  const f = (read('/proc/loadavg') ?? '0 0 0').split(' ').map(Number);
  return [f[0]!, f[1]!, f[2]!];
}

/** /proc/meminfo in bytes. */
export function meminfo(): Record<string, number> {
  const kb = keyed(read('/proc/meminfo') ?? '');
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(kb)) out[k] = v * 1024;
  return out;
}

export interface KStat {
  cpu: { user: number; nice: number; system: number; idle: number; iowait: number };
  ctxt: number;
  processes: number;
  running: number;
  blocked: number;
  syscalls: number;
  /** Bytes read and written by kind since boot (isokernel's `io` line): file, pipe, socket, tty, dev. */
  io: Record<string, { read: number; write: number }>;
  mounts: { path: string; reads: number; readBytes: number; writes: number; writeBytes: number }[];
}

export function kstat(): KStat {
  const text = read('/proc/stat') ?? '';
  const out: KStat = { cpu: { user: 0, nice: 0, system: 0, idle: 0, iowait: 0 }, ctxt: 0, processes: 0, running: 0, blocked: 0, syscalls: 0, io: {}, mounts: [] };
  for (const line of text.split('\n')) {
    const f = line.split(/\s+/);
    switch (f[0]) {
      case 'cpu': out.cpu = { user: +f[1]!, nice: +f[2]!, system: +f[3]!, idle: +f[4]!, iowait: +f[5]! }; break;
      case 'ctxt': out.ctxt = +f[1]!; break;
      case 'processes': out.processes = +f[1]!; break;
      case 'procs_running': out.running = +f[1]!; break;
      case 'procs_blocked': out.blocked = +f[1]!; break;
      case 'syscalls': out.syscalls = +f[1]!; break;
      case 'io':
        for (let i = 1; i + 2 < f.length; i += 3) out.io[f[i]!] = { read: +f[i + 1]!, write: +f[i + 2]! };
        break;
      case 'mountio': out.mounts.push({ path: f[1]!, reads: +f[2]!, readBytes: +f[3]!, writes: +f[4]!, writeBytes: +f[5]! }); break;
    }
  }
  return out;
}

/** A user name for a uid: /etc/passwd if the image has one, else root for 0 and the number. */
export function userName(uid: number): string {
  const cached = users.get(uid);
  if (cached !== undefined) return cached;
  let name = uid === 0 ? 'root' : String(uid);
  const passwd = read('/etc/passwd');
  if (passwd) {
    for (const line of passwd.split('\n')) {
      const f = line.split(':');
      if (f.length > 2 && Number(f[2]) === uid) name = f[0]!;
    }
  }
  users.set(uid, name);
  return name;
}
const users = new Map<number, string>();

export function fdTarget(pid: number, fd: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/fd/${fd}`);
  } catch {
    return null;
  }
}

/** [[h:]mm:]ss as ps's TIME/ETIME: `[[dd-]hh:]mm:ss`. */
export function elapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${d}-${two(h)}:${two(m)}:${two(sec)}`;
  if (h > 0) return `${two(h)}:${two(m)}:${two(sec)}`;
  return `${two(m)}:${two(sec)}`;
}

/** ps's TIME: cumulative CPU as [dd-]hh:mm:ss. */
export function cputime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d > 0 ? `${d}-` : ''}${two(h)}:${two(m)}:${two(sec)}`;
}

/** Sizes as top and free show them: KiB numbers, or with a unit suffix when wide. */
export function human(bytes: number): string {
  const units = ['B', 'K', 'M', 'G', 'T'];
  let v = bytes, i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v}B` : `${v < 10 ? v.toFixed(1) : Math.round(v)}${units[i]}`;
}

/** Prints `msg` to stderr as `prog: msg` and exits with `code`. */
export function die(prog: string, msg: string, code = 1): never {
  process.stderr.write(`${prog}: ${msg}\n`);
  process.exit(code);
}
