// What the system activity collector reads from a kernel: a Snapshot of cumulative counters
// and instantaneous gauges, as sysstat's sadc reads /proc. sar (sar.ts) turns two snapshots
// into rates; the store (store.ts) keeps them; Prometheus (prometheus.ts) serves the same
// counters at scrape time.
//
// Counters must only grow for the life of a kernel, yet processes come and go and their
// accounting (Process.acct, acct/acct.ts) goes with them. The kernel keeps the totals that
// ps and /proc/stat need (Kernel.stats, acct/kstat.ts: CPU, system calls, switches, bytes by
// kind, processes created, the load average); the Tracker adds what sar and Prometheus
// need beyond them — read and write calls, system calls by name, and totals per service —
// by following every process of its kernel from its spawn (the isokernel:proc:spawn
// channel, matched to this kernel by the argv array's identity) and folding a process's
// final accounting into "dead" totals once it has ended. Such a counter is dead + live.
// Processes that existed before the tracker was attached are picked up from the process
// table at attach time (their earlier work lands in the first sample, the baseline).
//
// CPU, as isokernel has it (docs/tools.md, "sar"):
//   user    guest code: WebAssembly instructions and JS program code (acct cpuSplit's user);
//   system  the kernel's work inside system calls made by processes (cpuSplit's sys);
//   idle    the kernel thread's idle time: the host event loop's idle share
//           (performance.eventLoopUtilization), since the kernel thread is the CPU;
//   busy    the kernel thread's active time (user and system on it, plus kernel work no
//           process asked for: timers, host I/O callbacks, compiling).
// JS processes and wasi-threads compute on worker threads in parallel with the kernel
// thread; their time is user/system too, so user + system + idle can exceed the wall time.
import dc from 'node:diagnostics_channel';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { callTable, cpuSplit, IO_KINDS, mountIo, READ_CALLS, WRITE_CALLS, callsOf } from '../kernel/acct/acct.ts';
import { isRunnable } from '../kernel/acct/kstat.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { Process } from '../kernel/proc/process.ts';
import { MANIFEST_GUEST_PATH } from '../image/manifest-types.ts';

/** One device row: I/O through a mount or of a kind, or network traffic of a socket kind. */
export interface DevCounters {
  /** Read (received) operations or packets. */
  rops: number;
  wops: number;
  rbytes: number;
  wbytes: number;
}

export interface Snapshot {
  /** Wall-clock time of the sample, ms since the epoch. */
  t: number;
  /** Identifies the kernel instance: counters restart when it changes (sar's RESTART line). */
  boot: string;
  uptimeMs: number;
  hostname: string;
  release: string;
  // cumulative counters
  cpuUserNs: number;
  cpuSysNs: number;
  cpuIdleNs: number;
  cpuBusyNs: number;
  procsCreated: number;
  /** Context switches of all processes: every sleep, voluntary or on the run queue. */
  cswch: number;
  syscalls: number;
  ioRops: number;
  ioWops: number;
  ioRbytes: number;
  ioWbytes: number;
  // gauges
  nproc: number;
  nrun: number;
  nsleep: number;
  nstop: number;
  nzombie: number;
  load1: number;
  load5: number;
  load15: number;
  memTotalKb: number;
  memFreeKb: number;
  memAvailKb: number;
  rssKb: number;
  heapUsedKb: number;
  heapTotalKb: number;
  externalKb: number;
  /** Linear memory of every live process; of running ones; of the others. */
  linearKb: number;
  linearActiveKb: number;
  linearInactKb: number;
  /** I/O by mount path ("/", "/tmp", ...) and by kind without a mount (pipe, socket, tty). */
  disk: Record<string, DevCounters>;
  /** Network by socket kind (tcp, udp, unix): rops/wops are packets. */
  net: Record<string, DevCounters>;
}

/** What a group of processes (a service, or processes of one program) has used, cumulatively. */
export interface GroupTotals {
  processes: number;
  cpuUserNs: number;
  cpuSysNs: number;
  syscalls: number;
  readBytes: number;
  writeBytes: number;
  memoryBytes: number;
}

/** Kernel-wide cumulative totals (Tracker.totals). */
interface ProcTotals {
  cpuUserNs: number;
  cpuSysNs: number;
  cswch: number;
  syscalls: number;
  ioRops: number;
  ioWops: number;
  ioRbytes: number;
  ioWbytes: number;
  /** Bytes by I/O kind: [kind * 2] read, [kind * 2 + 1] written (IO_KINDS order). */
  io: number[];
}

const zeroTotals = (): ProcTotals => ({
  cpuUserNs: 0, cpuSysNs: 0, cswch: 0, syscalls: 0, ioRops: 0, ioWops: 0, ioRbytes: 0, ioWbytes: 0,
  io: new Array<number>(IO_KINDS.length * 2).fill(0),
});

const spawnChannel = dc.channel('isokernel:proc:spawn');

/** Program names kept as groups of their own; processes of further programs are grouped as OTHER_GROUP. */
export const MAX_GROUPS = 256;
export const OTHER_GROUP = '(other)';

/**
 * Keeps a user/system split monotone. The accounting's total CPU time only grows, but its
 * system part is an estimate (acct/acct.ts: sampled calls) that can move either way as
 * samples come, so user = total − system can go down — which a counter must not. Each
 * update keeps the exact total and moves the system part toward the estimate within what
 * the total grew by, so that neither part ever decreases.
 */
export class MonotoneSplit {
  private user = 0;
  private sys = 0;

  apply(userNs: number, sysNs: number): { userNs: number; sysNs: number } {
    const total = userNs + sysNs;
    const grew = total - (this.user + this.sys);
    if (grew > 0) {
      this.sys = Math.min(Math.max(sysNs, this.sys), this.sys + grew);
      this.user = total - this.sys;
    }
    return { userNs: this.user, sysNs: this.sys };
  }
}

/** The CPU time of `p` split into user and system ns, including a slice it is running now. */
function cpuOf(k: Kernel, p: Process): { userNs: number; sysNs: number } {
  const total = p.exitStatus ? p.acct.cpuNs : k.cpu.cpuTimeNs(p);
  return cpuSplit(p.acct, total);
}

export { isRunnable };

/** A process's linear memory in bytes (0 once it has ended). */
export function memoryOf(p: Process): number {
  try {
    return p.mem ? p.mem.current().byteLength : 0;
  } catch {
    return 0;
  }
}

/** The service a manifest names for a process init started: same program and arguments. */
interface ServiceMatch {
  name: string;
  program: string;
  args: readonly string[];
}

/**
 * Follows one kernel's processes so that its counters survive the processes. attach() once;
 * detach() when done (it unsubscribes from the spawn channel).
 */
export class Tracker {
  readonly kernel: Kernel;
  readonly boot: string;
  private readonly live = new Set<Process>();
  /** Read and write calls of processes that have ended. */
  private deadRops = 0;
  private deadWops = 0;
  private readonly deadCalls = new Map<string, number>();
  private readonly deadGroups = new Map<string, GroupTotals>();
  private readonly groupOf = new WeakMap<Process, string>();
  /** Program names used as groups so far (at most MAX_GROUPS; services are not counted). */
  private readonly programGroups = new Set<string>();
  private readonly onSpawn = (m: unknown): void => this.spawned(m);
  private readonly elu0 = performance.eventLoopUtilization();
  private readonly kernelCpu = new MonotoneSplit();
  private readonly groupCpu = new Map<string, MonotoneSplit>();
  private readonly processCpuSplit = new WeakMap<Process, MonotoneSplit>();
  private services: ServiceMatch[] | null = null;
  private servicesReadAt = -Infinity;

  constructor(kernel: Kernel) {
    this.kernel = kernel;
    this.boot = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  }

  attach(): void {
    for (const p of this.kernel.procs.values()) this.adopt(p);
    spawnChannel.subscribe(this.onSpawn);
  }

  detach(): void {
    spawnChannel.unsubscribe(this.onSpawn);
  }

  private spawned(m: unknown): void {
    const msg = m as { pid?: unknown; argv?: unknown };
    if (typeof msg?.pid !== 'number') return;
    const p = this.kernel.procs.get(msg.pid);
    // The channel is shared by every kernel of the host process: the argv array is the process's own.
    if (p === undefined || p.argv !== msg.argv) return;
    this.adopt(p);
  }

  private adopt(p: Process): void {
    this.live.add(p);
  }

  /** Folds processes that have ended into the dead totals. */
  private settle(): void {
    for (const p of this.live) {
      if (p.exitStatus === null) continue;
      this.live.delete(p);
      this.deadRops += callsOf(p.acct, READ_CALLS);
      this.deadWops += callsOf(p.acct, WRITE_CALLS);
      for (const c of callTable(p.acct)) this.deadCalls.set(c.name, (this.deadCalls.get(c.name) ?? 0) + c.calls);
      const g = this.group(p);
      let t = this.deadGroups.get(g);
      if (!t) this.deadGroups.set(g, t = { processes: 0, cpuUserNs: 0, cpuSysNs: 0, syscalls: 0, readBytes: 0, writeBytes: 0, memoryBytes: 0 });
      const cpu = cpuOf(this.kernel, p);
      t.cpuUserNs += cpu.userNs;
      t.cpuSysNs += cpu.sysNs;
      t.syscalls += p.acct.syscalls;
      t.readBytes += p.acct.bytesRead;
      t.writeBytes += p.acct.bytesWritten;
    }
  }

  /** The live processes, zombies included, in pid order. */
  processes(): Process[] {
    this.settle();
    return [...this.kernel.procs.values()].sort((a, b) => a.pid - b.pid);
  }

  /** The kernel's 1, 5 and 15-minute load averages. */
  load(): number[] {
    return [...this.kernel.stats.load];
  }

  /** The services the image's manifest declares (read from the kernel's namespace, cached a few seconds). */
  private serviceList(): ServiceMatch[] {
    const now = performance.now();
    if (this.services !== null && now - this.servicesReadAt < 5000) return this.services;
    this.servicesReadAt = now;
    this.services = [];
    try {
      const k = this.kernel;
      const loc = k.ns.resolve(k.ns.root, k.ns.root, MANIFEST_GUEST_PATH, true);
      const h = loc.vnode.open(false);
      const chunks: Uint8Array[] = [];
      try {
        for (let pos = 0, total = 0; total < 4 << 20;) {
          const b = new Uint8Array(65536);
          const n = h.read(b, pos);
          if (n <= 0) break;
          chunks.push(b.subarray(0, n));
          pos += n;
          total += n;
        }
      } finally {
        h.close();
      }
      const m = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { services?: unknown };
      if (Array.isArray(m.services)) {
        for (const s of m.services as { name?: unknown; program?: unknown; args?: unknown }[]) {
          if (typeof s?.name === 'string' && typeof s.program === 'string') {
            this.services.push({ name: s.name, program: s.program, args: Array.isArray(s.args) ? s.args.map(String) : [] });
          }
        }
      }
    } catch {
      // no manifest (a kernel that is not a booted image), or one we cannot read: no services
    }
    return this.services;
  }

  /**
   * The group a process's metrics are labelled with: the service it belongs to (a child of
   * init running a service's program with its arguments, and everything below it), else
   * its program's name (programName).
   */
  group(p: Process): string {
    const known = this.groupOf.get(p);
    if (known !== undefined) return known;
    let g: string | null = null;
    const services = this.serviceList();
    if (services.length > 0) {
      let q: Process | undefined = p;
      for (let depth = 0; q && depth < 64; depth++) {
        if (q.ppid === 1) {
          const qq = q;
          const s = services.find((s) => (s.program === qq.program || qq.argv[0] === s.program || qq.program.endsWith(`/${s.program}`))
            && sameArgs(s.args, qq.argv.slice(1)));
          if (s) g = s.name;
          break;
        }
        q = q.ppid !== 0 ? this.kernel.procs.get(q.ppid) : undefined;
      }
    }
    if (g === null) {
      // Processes name themselves (argv[0]): bound the groups, and so the series a scrape
      // carries and the totals kept for ended processes.
      g = programName(p);
      if (!this.programGroups.has(g)) {
        if (this.programGroups.size >= MAX_GROUPS) g = OTHER_GROUP;
        else this.programGroups.add(g);
      }
    }
    // A process's service cannot change, but before init's manifest is read it may look unmatched.
    if (services.length > 0 || this.servicesReadAt > -Infinity) this.groupOf.set(p, g);
    return g;
  }

  /** The groups' totals: dead processes' plus live ones'. */
  groups(): Map<string, GroupTotals> {
    this.settle();
    const out = new Map<string, GroupTotals>();
    for (const [g, t] of this.deadGroups) out.set(g, { ...t, processes: 0, memoryBytes: 0 });
    for (const p of this.kernel.procs.values()) {
      if (p.exitStatus !== null) continue;
      const g = this.group(p);
      let t = out.get(g);
      if (!t) out.set(g, t = { processes: 0, cpuUserNs: 0, cpuSysNs: 0, syscalls: 0, readBytes: 0, writeBytes: 0, memoryBytes: 0 });
      const cpu = cpuOf(this.kernel, p);
      t.processes++;
      t.cpuUserNs += cpu.userNs;
      t.cpuSysNs += cpu.sysNs;
      t.syscalls += p.acct.syscalls;
      t.readBytes += p.acct.bytesRead;
      t.writeBytes += p.acct.bytesWritten;
      t.memoryBytes += memoryOf(p);
    }
    for (const [g, t] of out) {
      let m = this.groupCpu.get(g);
      if (!m) this.groupCpu.set(g, m = new MonotoneSplit());
      const cpu = m.apply(t.cpuUserNs, t.cpuSysNs);
      t.cpuUserNs = cpu.userNs;
      t.cpuSysNs = cpu.sysNs;
    }
    return out;
  }

  /** A live process's CPU time, user and system ns, each never going down between calls. */
  processCpu(p: Process): { userNs: number; sysNs: number } {
    let m = this.processCpuSplit.get(p);
    if (!m) this.processCpuSplit.set(p, m = new MonotoneSplit());
    const cpu = cpuOf(this.kernel, p);
    return m.apply(cpu.userNs, cpu.sysNs);
  }

  /** System calls by name, kernel-wide since the tracker was attached (and before, for processes alive then). */
  syscallsByName(): Map<string, number> {
    this.settle();
    const out = new Map(this.deadCalls);
    for (const p of this.live) for (const c of callTable(p.acct)) out.set(c.name, (out.get(c.name) ?? 0) + c.calls);
    return out;
  }

  /**
   * Kernel-wide cumulative totals. CPU, calls, switches and bytes are the kernel's own, since
   * boot (Kernel.stats); read and write calls are the tracker's, since attach.
   */
  totals(): ProcTotals & { ioKinds: Record<string, { read: number; write: number }> } {
    this.settle();
    const t = zeroTotals();
    t.ioRops = this.deadRops;
    t.ioWops = this.deadWops;
    for (const p of this.live) {
      t.ioRops += callsOf(p.acct, READ_CALLS);
      t.ioWops += callsOf(p.acct, WRITE_CALLS);
    }
    const k = this.kernel.stats.totals();
    const cpu = this.kernelCpu.apply(k.userNs, k.sysNs);
    t.cpuUserNs = cpu.userNs;
    t.cpuSysNs = cpu.sysNs;
    t.syscalls = k.syscalls;
    t.cswch = k.switches;
    t.io = Array.from(k.io);
    t.ioRbytes = 0;
    t.ioWbytes = 0;
    const ioKinds: Record<string, { read: number; write: number }> = {};
    IO_KINDS.forEach((kind, i) => {
      ioKinds[kind] = { read: t.io[i * 2]!, write: t.io[i * 2 + 1]! };
      t.ioRbytes += t.io[i * 2]!;
      t.ioWbytes += t.io[i * 2 + 1]!;
    });
    return { ...t, ioKinds };
  }

  /** The kernel thread's idle and active time since attach, ns. */
  threadTimes(): { idleNs: number; busyNs: number } {
    const e = performance.eventLoopUtilization(this.elu0);
    return { idleNs: e.idle * 1e6, busyNs: e.active * 1e6 };
  }

  /** A full snapshot, now. */
  snapshot(): Snapshot {
    const k = this.kernel;
    const t = this.totals();
    const thread = this.threadTimes();
    let nproc = 0, nrun = 0, nsleep = 0, nstop = 0, nzombie = 0, linear = 0, linearActive = 0;
    for (const p of k.procs.values()) {
      nproc++;
      if (p.exitStatus !== null) {
        nzombie++;
        continue;
      }
      const m = memoryOf(p);
      linear += m;
      if (p.state === 'stopped' || p.stopped) nstop++;
      else if (isRunnable(p)) {
        nrun++;
        linearActive += m;
      } else nsleep++;
    }
    const [l1, l5, l15] = this.load();
    const mu = process.memoryUsage();
    const constrained = process.constrainedMemory();
    const hostTotal = os.totalmem();
    const total = constrained > 0 && constrained < hostTotal ? constrained : hostTotal;
    const avail = Math.min(total, process.availableMemory());
    const disk: Record<string, DevCounters> = {};
    for (const m of mountIo) {
      const d = disk[m.path] ??= { rops: 0, wops: 0, rbytes: 0, wbytes: 0 };
      d.rops += m.reads;
      d.wops += m.writes;
      d.rbytes += m.readBytes;
      d.wbytes += m.writeBytes;
    }
    for (const kind of ['pipe', 'socket', 'tty'] as const) {
      const b = t.ioKinds[kind];
      if (b && (b.read > 0 || b.write > 0)) disk[kind] = { rops: 0, wops: 0, rbytes: b.read, wbytes: b.write };
    }
    return {
      t: Date.now(), boot: this.boot, uptimeMs: k.clock.uptimeNs() / 1e6, hostname: k.hostname, release: k.release,
      cpuUserNs: t.cpuUserNs, cpuSysNs: t.cpuSysNs, cpuIdleNs: thread.idleNs, cpuBusyNs: thread.busyNs,
      procsCreated: k.stats.forks, cswch: t.cswch, syscalls: t.syscalls,
      ioRops: t.ioRops, ioWops: t.ioWops, ioRbytes: t.ioRbytes, ioWbytes: t.ioWbytes,
      nproc, nrun, nsleep, nstop, nzombie, load1: l1 ?? 0, load5: l5 ?? 0, load15: l15 ?? 0,
      memTotalKb: kb(total), memFreeKb: kb(Math.min(total, os.freemem())), memAvailKb: kb(avail),
      rssKb: kb(mu.rss), heapUsedKb: kb(mu.heapUsed), heapTotalKb: kb(mu.heapTotal), externalKb: kb(mu.external),
      linearKb: kb(linear), linearActiveKb: kb(linearActive), linearInactKb: kb(linear - linearActive),
      disk, net: this.network(t.ioKinds.socket ?? { read: 0, write: 0 }),
    };
  }

  /**
   * Network counters by socket kind, when the socket layer keeps them (a `stats()` on
   * Kernel.net giving { tcp: { rxPackets, txPackets, rxBytes, txBytes }, udp, unix }); until
   * then one row, `socket`, with the bytes the accounting counted on socket descriptors
   * (packets unknown: 0).
   */
  private network(socketBytes: { read: number; write: number }): Record<string, DevCounters> {
    const k = this.kernel as unknown as { net?: { stats?: () => unknown } };
    const out: Record<string, DevCounters> = {};
    try {
      const s = typeof k.net?.stats === 'function' ? k.net.stats() : null;
      if (s && typeof s === 'object') {
        for (const [kind, v] of Object.entries(s as Record<string, Record<string, unknown>>)) {
          const n = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : 0);
          out[kind] = {
            rops: n(v.rxPackets ?? v.packetsIn), wops: n(v.txPackets ?? v.packetsOut),
            rbytes: n(v.rxBytes ?? v.bytesIn), wbytes: n(v.txBytes ?? v.bytesOut),
          };
        }
      }
    } catch {
      // a network layer whose stats fail: the fallback below
    }
    if (Object.keys(out).length === 0) out.socket = { rops: 0, wops: 0, rbytes: socketBytes.read, wbytes: socketBytes.write };
    return out;
  }
}

/**
 * A process's program as a label: its name (argv[0]'s basename), or for a JS process run as
 * `node SCRIPT` the script's name without its extension (init, syslogd, httpd).
 */
export function programName(p: Process): string {
  const script = p.argv[1];
  if (p.name === 'node' && script !== undefined && !script.startsWith('-')) {
    const base = script.slice(script.lastIndexOf('/') + 1).replace(/\.[cm]?[jt]s$/, '');
    if (base !== '') return base;
  }
  return p.name;
}

function sameArgs(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function kb(bytes: number): number {
  return Math.max(0, Math.round(bytes / 1024));
}
