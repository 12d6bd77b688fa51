// The contents of /proc's files (vfs/procfs.ts serves them): Linux's formats (proc(5)) where a
// Linux tool parses them, isokernel's own `key value` lines elsewhere. Each generator runs
// when the file is opened and returns its whole text.
import { freemem, totalmem } from 'node:os';
import { FILETYPE } from '../../abi/wasi.ts';
import { IO_KINDS, callTable, cpuSplit, mountIo, type IoTarget, classify, READ_CALLS, WRITE_CALLS, callsOf } from '../acct/acct.ts';
import { isRunnable } from '../acct/kstat.ts';
import type { OpenFile } from '../fd/open-file.ts';
import type { Kernel } from '../kernel.ts';
import type { Process } from '../proc/process.ts';
import type { Loc } from './namespace.ts';

/** Linux's USER_HZ: the unit of times in stat files. */
export const CLK_TCK = 100;
export const PAGE_SIZE = 4096;
const NS_PER_TICK = 1e9 / CLK_TCK;

const ticks = (ns: number): number => Math.floor(ns / NS_PER_TICK);

/** ps's state letter. `reader` is the process reading it: it is running (as on Linux), whatever its lanes do. */
export function stateLetter(p: Process, reader: Process | null = null): string {
  if (p.exitStatus) return 'Z';
  if (p.stopped || p.state === 'stopped') return 'T';
  if (isRunnable(p) || p.state === 'embryo' || p === reader) return 'R';
  return 'S';
}
const STATE_NAME: Record<string, string> = { R: 'running', S: 'sleeping', T: 'stopped', Z: 'zombie' };

// ---- memory ----

const rssCache = new WeakMap<Process, { gen: number; size: number; rss: number }>();

/** Linear memory size and touched bytes: 4 KiB pages holding any non-zero byte (see docs/tools.md). */
export function memoryOf(p: Process): { size: number; rss: number } {
  const a = p.acct;
  if (a.heapProbe !== null && !p.exitStatus) {
    // A JS process: its isolate's heap (as last reported) and its channel memory.
    a.heapProbe();
    const ch = channelMemory(p);
    const rss = a.heapUsed + ch.rss;
    if (rss > a.hwmBytes) a.hwmBytes = rss;
    return { size: a.heapTotal + ch.size, rss };
  }
  return channelMemory(p);
}

/** Linear memory size and its touched pages. */
function channelMemory(p: Process): { size: number; rss: number } {
  const mem = p.mem;
  if (!mem) return { size: 0, rss: 0 };
  const buf = mem.current();
  const size = buf.byteLength;
  const gen = p.acct.syscalls + p.acct.cpuNs;
  const c = rssCache.get(p);
  if (c && c.gen === gen && c.size === size) return { size, rss: c.rss };
  const words = new Int32Array(buf, 0, size >> 2);
  const perPage = PAGE_SIZE >> 2;
  let pages = 0;
  for (let base = 0; base < words.length; base += perPage) {
    const end = Math.min(base + perPage, words.length);
    for (let i = base; i < end; i++) {
      if (words[i] !== 0) {
        pages++;
        break;
      }
    }
  }
  const rss = pages * PAGE_SIZE;
  rssCache.set(p, { gen, size, rss });
  if (rss > p.acct.hwmBytes) p.acct.hwmBytes = rss;
  return { size, rss };
}

// ---- what a descriptor refers to ----

const streamIds = new WeakMap<object, number>();
let nextStreamId = 1000;
function streamId(o: object): number {
  let n = streamIds.get(o);
  if (n === undefined) {
    n = nextStreamId++;
    streamIds.set(o, n);
  }
  return n;
}

/** readlink of /proc/PID/fd/N: a path, pipe:[N], socket:[N] or anon_inode:[what]. */
export function describe(file: OpenFile, ns: Kernel['ns'], root: Loc): string {
  const t = (file.acctTarget as IoTarget | null) ?? classify(file);
  const loc = file.loc;
  if (loc !== null) {
    if (file.openedFrom) {
      const dir = ns.pathOf(file.openedFrom, root);
      const name = file.openedName;
      if (name.startsWith('/')) return normalize(name);
      if (dir !== null) return normalize(`${dir}/${name}`);
    }
    if (file.filetype === FILETYPE.DIRECTORY) {
      const p = ns.pathOf(loc, root);
      if (p !== null) return p;
    }
    // A file the kernel opened itself (spawn's stdio): find it in its mount's root directory.
    const ino = loc.vnode.stat().ino;
    try {
      const e = loc.mount.root.readdir().find((d) => d.ino === ino);
      if (e) return normalize(`${loc.mount.path}/${e.name}`);
    } catch { /* not listable */ }
    return `${loc.mount.path} (inode ${ino})`;
  }
  const pipe = (file as { pipe?: object }).pipe;
  if (pipe) return `pipe:[${streamId(pipe)}]`;
  if (t.kind === 2) return `socket:[${streamId(file)}]`;
  const tty = (file as { tty?: { name?: unknown } }).tty;
  if (file.isTerminal && typeof tty?.name === 'string') return tty.name; // a kernel terminal: /dev/pts/N
  if (t.kind === 3) return 'anon_inode:[host-tty]';
  return `anon_inode:[${file.constructor.name}]`;
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const c of path.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') out.pop();
    else out.push(c);
  }
  return '/' + out.join('/');
}

// ---- generators ----

function times(k: Kernel, p: Process): { cpu: number; userNs: number; sysNs: number } {
  const cpu = p.exitStatus ? p.acct.cpuNs : k.cpu.cpuTimeNs(p);
  return { cpu, ...cpuSplit(p.acct, cpu) };
}

function sigset(p: Process): { pending: number; blocked: number; ignored: number; caught: number } {
  let ignored = 0, caught = 0;
  for (let s = 1; s < 32; s++) {
    const d = p.sig.action(s).disposition;
    if (d === 1) ignored |= 1 << (s - 1);
    else if (d === 2) caught |= 1 << (s - 1);
  }
  return { pending: p.sig.pending >>> 0, blocked: p.sig.mask >>> 0, ignored: ignored >>> 0, caught: caught >>> 0 };
}

/** /proc/PID/stat: the 52 fields of proc(5), in order. */
export function procStat(p: Process, k: Kernel): string {
  const { userNs, sysNs } = times(k, p);
  const { size, rss } = memoryOf(p);
  const s = sigset(p);
  const comm = p.name.slice(0, 15);
  const lim = p.limits.memoryPages === Infinity ? '18446744073709551615' : String(p.limits.memoryPages * 65536);
  const exit = p.exitStatus ? (p.exitStatus.signal !== null ? p.exitStatus.signal : (p.exitStatus.code! & 0xff) << 8) : 0;
  const f = [
    p.pid, `(${comm})`, stateLetter(p, k.cpu.current), p.ppid, p.pgid, p.sid,
    0, -1, 0x400000, // tty_nr, tpgid, flags
    0, 0, 0, 0, // minflt cminflt majflt cmajflt
    ticks(userNs), ticks(sysNs), ticks(p.acct.childUserNs), ticks(p.acct.childSysNs), // utime stime cutime cstime
    20, 0, 1, 0, // priority nice num_threads itrealvalue
    ticks(p.acct.startNs), size, Math.floor(rss / PAGE_SIZE), lim,
    0, 0, 0, 0, 0, // startcode endcode startstack kstkesp kstkeip
    s.pending, s.blocked, s.ignored, s.caught,
    p.wchan !== null ? 1 : 0, 0, 0, // wchan nswap cnswap
    17, 0, 0, 0, // exit_signal processor rt_priority policy
    0, 0, 0, // delayacct_blkio_ticks guest_time cguest_time
    0, 0, 0, 0, 0, 0, 0, // start_data end_data start_brk arg_start arg_end env_start env_end
    exit,
  ];
  return f.join(' ') + '\n';
}

export function statm(p: Process): string {
  const { size, rss } = memoryOf(p);
  return `${Math.ceil(size / PAGE_SIZE)} ${rss / PAGE_SIZE} 0 0 0 ${Math.ceil(size / PAGE_SIZE)} 0\n`;
}

const kb = (bytes: number): string => `${String(Math.ceil(bytes / 1024)).padStart(8)} kB`;
const hex16 = (n: number): string => n.toString(16).padStart(16, '0');

export function status(p: Process, k: Kernel): string {
  const { size, rss } = memoryOf(p);
  const s = sigset(p);
  const st = stateLetter(p, k.cpu.current);
  const lines = [
    `Name:\t${p.name.slice(0, 15)}`,
    `Umask:\t${p.umask.toString(8).padStart(4, '0')}`,
    `State:\t${st} (${STATE_NAME[st]})`,
    `Tgid:\t${p.pid}`, 'Ngid:\t0', `Pid:\t${p.pid}`, `PPid:\t${p.ppid}`, 'TracerPid:\t0',
    `Uid:\t${p.uid}\t${p.uid}\t${p.uid}\t${p.uid}`, `Gid:\t${p.gid}\t${p.gid}\t${p.gid}\t${p.gid}`,
    `FDSize:\t${Math.max(64, 2 ** Math.ceil(Math.log2(Math.max(1, p.fds.size))))}`, 'Groups:\t',
    `VmPeak:\t${kb(size)}`, `VmSize:\t${kb(size)}`, `VmLck:\t${kb(0)}`, `VmPin:\t${kb(0)}`,
    `VmHWM:\t${kb(Math.max(p.acct.hwmBytes, rss))}`, `VmRSS:\t${kb(rss)}`,
    `RssAnon:\t${kb(rss)}`, `RssFile:\t${kb(0)}`, `RssShmem:\t${kb(0)}`,
    `VmData:\t${kb(size)}`, `VmStk:\t${kb(0)}`, `VmExe:\t${kb(0)}`, `VmLib:\t${kb(0)}`, `VmPTE:\t${kb(0)}`, `VmSwap:\t${kb(0)}`,
    'Threads:\t1', `SigQ:\t${popcount(s.pending)}/${p.limits.openFiles}`,
    `SigPnd:\t${hex16(s.pending)}`, `ShdPnd:\t${hex16(0)}`, `SigBlk:\t${hex16(s.blocked)}`,
    `SigIgn:\t${hex16(s.ignored)}`, `SigCgt:\t${hex16(s.caught)}`,
    `CapInh:\t${hex16(0)}`, `CapPrm:\t${hex16(0)}`, `CapEff:\t${hex16(0)}`, `CapBnd:\t${hex16(0)}`, `CapAmb:\t${hex16(0)}`,
    `voluntary_ctxt_switches:\t${p.acct.voluntarySwitches - p.acct.involuntarySwitches}`,
    `nonvoluntary_ctxt_switches:\t${p.acct.involuntarySwitches}`,
  ];
  return lines.join('\n') + '\n';
}

function popcount(n: number): number {
  let c = 0;
  for (; n; n &= n - 1) c++;
  return c;
}

/** /proc/PID/io, Linux's seven lines. read_bytes/write_bytes are the bytes of regular files (the storage kind). */
export function io(p: Process): string {
  const a = p.acct;
  return [
    `rchar: ${a.bytesRead}`, `wchar: ${a.bytesWritten}`,
    `syscr: ${callsOf(a, READ_CALLS)}`, `syscw: ${callsOf(a, WRITE_CALLS)}`,
    `read_bytes: ${a.io[0]}`, `write_bytes: ${a.io[1]}`, 'cancelled_write_bytes: 0',
  ].join('\n') + '\n';
}

export function limits(p: Process): string {
  const v = (n: number, scale = 1) => (n === Infinity ? 'unlimited' : String(Math.floor(n * scale)));
  const row = (name: string, soft: string, hard: string, unit: string) =>
    `${name.padEnd(26)}${soft.padEnd(21)}${hard.padEnd(21)}${unit}`.trimEnd();
  const l = p.limits, h = p.hardLimits;
  return [
    row('Limit', 'Soft Limit', 'Hard Limit', 'Units'),
    row('Max cpu time', v(l.cpuMs, 1e-3), v(h.cpuMs, 1e-3), 'seconds'),
    row('Max file size', v(l.fileBytes), v(h.fileBytes), 'bytes'),
    row('Max data size', 'unlimited', 'unlimited', 'bytes'),
    row('Max stack size', 'unlimited', 'unlimited', 'bytes'),
    row('Max core file size', v(l.coreBytes), v(h.coreBytes), 'bytes'),
    row('Max resident set', 'unlimited', 'unlimited', 'bytes'),
    row('Max processes', v(l.userProcesses), v(h.userProcesses), 'processes'),
    row('Max open files', v(l.openFiles), v(h.openFiles), 'files'),
    row('Max locked memory', 'unlimited', 'unlimited', 'bytes'),
    row('Max address space', v(l.memoryPages, 65536), v(h.memoryPages, 65536), 'bytes'),
    row('Max file locks', 'unlimited', 'unlimited', 'locks'),
    row('Max pending signals', 'unlimited', 'unlimited', 'signals'),
    row('Max msgqueue size', 'unlimited', 'unlimited', 'bytes'),
    row('Max nice priority', '0', '0', ''),
    row('Max realtime priority', '0', '0', ''),
    row('Max realtime timeout', 'unlimited', 'unlimited', 'us'),
    row('Max children', v(l.children), v(h.children), 'processes'),
    row('Max threads', v(l.threads), v(h.threads), 'threads'),
  ].join('\n') + '\n';
}

/** isokernel's own: CPU in ns, bytes by kind and by mount, memory, switches. `key value` lines. */
export function acct(p: Process, k: Kernel): string {
  const { cpu, userNs, sysNs } = times(k, p);
  const { size, rss } = memoryOf(p);
  const a = p.acct;
  const lines = [
    `cpu_ns ${Math.round(cpu)}`, `user_ns ${Math.round(userNs)}`, `sys_ns ${Math.round(sysNs)}`,
    `start_ns ${Math.round(a.startNs)}`, `syscalls ${a.syscalls}`,
    `voluntary_switches ${a.voluntarySwitches - a.involuntarySwitches}`, `involuntary_switches ${a.involuntarySwitches}`,
    `mem_bytes ${size}`, `rss_bytes ${rss}`, `hwm_bytes ${Math.max(a.hwmBytes, rss)}`,
    `state ${stateLetter(p, k.cpu.current)}`, `wchan ${p.wchan ?? '-'}`,
  ];
  IO_KINDS.forEach((kind, i) => lines.push(`read_${kind} ${a.io[i * 2]}`, `write_${kind} ${a.io[i * 2 + 1]}`));
  for (const m of mountIo) {
    const r = a.mountBytes[m.index * 2] ?? 0, w = a.mountBytes[m.index * 2 + 1] ?? 0;
    if (r || w) lines.push(`mount ${m.path} ${r} ${w}`);
  }
  return lines.join('\n') + '\n';
}

/** isokernel's own: `name calls ns` per syscall called, by count (ns estimated: acct/acct.ts). */
export function syscalls(p: Process): string {
  return callTable(p.acct).sort((x, y) => y.calls - x.calls)
    .map((c) => `${c.name} ${c.calls} ${Math.round(c.ns)}\n`).join('');
}

// ---- kernel-wide ----

export function meminfo(k: Kernel): string {
  const total = totalmem(), free = freemem();
  let used = 0;
  for (const p of k.procs.values()) used += memoryOf(p).size;
  const rows: [string, number][] = [
    ['MemTotal', total], ['MemFree', free], ['MemAvailable', free], ['Buffers', 0], ['Cached', 0],
    ['SwapCached', 0], ['Active', used], ['Inactive', 0], ['SwapTotal', 0], ['SwapFree', 0],
    ['Shmem', 0], ['Slab', 0], ['SReclaimable', 0], ['KernelStack', 0], ['PageTables', 0],
    ['Committed_AS', used], ['VmallocTotal', 0], ['HostRss', process.memoryUsage.rss()], ['ProcessMemory', used],
  ];
  return rows.map(([name, v]) => `${(name + ':').padEnd(16)}${String(Math.floor(v / 1024)).padStart(8)} kB\n`).join('');
}

/** Runnable processes now, the reader included (it is running, as on Linux). */
function running(k: Kernel): number {
  const c = k.cpu.current;
  return k.stats.running() + (c !== null && !isRunnable(c) ? 1 : 0);
}

export function loadavg(k: Kernel): string {
  const l = k.stats.load.map((x) => x.toFixed(2)).join(' ');
  let last = 0;
  for (const pid of k.procs.keys()) last = Math.max(last, pid);
  return `${l} ${running(k)}/${k.procs.size} ${last}\n`;
}

export function uptime(k: Kernel): string {
  const up = Number(k.clock.uptimeNs()) / 1e9;
  const idle = Math.max(0, up * k.stats.ncpu - k.stats.totals().cpuNs / 1e9);
  return `${up.toFixed(2)} ${idle.toFixed(2)}\n`;
}

export function kstat(k: Kernel): string {
  const t = k.stats.totals();
  const upNs = Number(k.clock.uptimeNs());
  const idle = Math.max(0, upNs * k.stats.ncpu - t.cpuNs);
  const line = (name: string, u: number, s: number, i: number) => `${name} ${ticks(u)} 0 ${ticks(s)} ${ticks(i)} 0 0 0 0 0 0`;
  const lines = [line('cpu ', t.userNs, t.sysNs, idle)];
  for (let c = 0; c < k.stats.ncpu; c++) {
    lines.push(line(`cpu${c}`, t.userNs / k.stats.ncpu, t.sysNs / k.stats.ncpu, idle / k.stats.ncpu));
  }
  const bootS = Math.floor((Date.now() - upNs / 1e6) / 1000);
  lines.push('intr 0', `ctxt ${t.switches}`, `btime ${bootS}`, `processes ${k.stats.forks}`,
    `procs_running ${running(k)}`, 'procs_blocked 0', 'softirq 0 0 0 0 0 0 0 0 0 0 0');
  // isokernel's own lines: system calls and bytes by kind since boot, and I/O by mount.
  lines.push(`syscalls ${t.syscalls}`);
  lines.push(`io ${IO_KINDS.map((kind, i) => `${kind} ${t.io[i * 2]} ${t.io[i * 2 + 1]}`).join(' ')}`);
  for (const m of mountIo) lines.push(`mountio ${m.path} ${m.reads} ${m.readBytes} ${m.writes} ${m.writeBytes}`);
  return lines.join('\n') + '\n';
}
