// Prometheus text exposition (format version 0.0.4) of a kernel's metrics, served by the
// host process with node:http on a loopback address (`listen`, MetricsOptions), read at
// scrape time from the collector's Tracker (snapshot.ts): the same counters sar stores.
//
// Families (docs/tools.md lists them with their labels):
//   kernel    isokernel_info, _boot_time_seconds, _uptime_seconds, _processes{state},
//             _processes_created_total, _context_switches_total, _syscalls_total{name},
//             _cpu_seconds_total{mode}, _kernel_thread_seconds_total{mode},
//             _io_{reads,writes}_total, _io_{read,written}_bytes_total{kind},
//             _mount_{read,written}_bytes_total{mount,fstype}, _mount_{reads,writes}_total,
//             _network_{receive,transmit}_{bytes,packets}_total{kind}, _load{1,5,15},
//             _memory_linear_bytes, _host_memory_*_bytes, _sa_samples_total
//   service   isokernel_service_{processes, cpu_seconds_total{mode}, syscalls_total,
//             read_bytes_total, written_bytes_total, memory_bytes}{service}: a service of
//             the image's manifest (the processes init started for it and their
//             descendants), or, for other processes, their program's name. Counters keep
//             the work of processes that have ended, so they never go down.
//   process   isokernel_process_{cpu_seconds_total{mode}, syscalls_total, read_bytes_total,
//             written_bytes_total, memory_bytes, start_time_seconds}{pid,name,service}:
//             live processes only (zombies excluded), the first MAX_PROCESS_SERIES by pid.
// Cardinality is bounded: program names beyond MAX_GROUPS (snapshot.ts) are grouped as
// "(other)", since a process chooses its own argv[0].
//
// Strictness: every family has one HELP and one TYPE line before its samples, and its
// samples are contiguous; counters end in _total; label values escape \ " and newline; HELP
// text escapes \ and newline; numbers are JS's shortest round-trip form (NaN, +Inf, -Inf
// spelled as Prometheus wants). tests/sar/prometheus.test.ts parses it strictly.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { mountIo } from '../kernel/acct/acct.ts';
import { KernelError } from '../kernel/errors.ts';
import type { Collector } from './collector.ts';
import { metricsError } from './collector.ts';
import { checkListen } from './listen.ts';
import { isRunnable, memoryOf } from './snapshot.ts';

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
/** Live processes with series of their own, at most (a scrape stays a few MB with 65,536 processes). */
export const MAX_PROCESS_SERIES = 2000;

type Labels = Record<string, string>;
type MetricType = 'counter' | 'gauge';

/** A label value as the text format wants it: backslash, double quote and newline escaped. */
export function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function value(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Builds an exposition: families in the order first declared, each with its samples. */
class Exposition {
  private readonly families = new Map<string, { help: string; type: MetricType; lines: string[]; seen: Set<string> }>();

  family(name: string, type: MetricType, help: string): (v: number, labels?: Labels) => void {
    if (type === 'counter' && !name.endsWith('_total')) throw new Error(`counter ${name} must end in _total`);
    let f = this.families.get(name);
    if (!f) this.families.set(name, f = { help, type, lines: [], seen: new Set() });
    const fam = f;
    return (v, labels = {}) => {
      const keys = Object.keys(labels);
      const ls = keys.length === 0 ? '' : `{${keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`).join(',')}}`;
      if (fam.seen.has(ls)) return; // one series per label set (a duplicate pid cannot happen; names can collide)
      fam.seen.add(ls);
      fam.lines.push(`${name}${ls} ${value(v)}\n`);
    };
  }

  text(): string {
    let out = '';
    for (const [name, f] of this.families) {
      out += `# HELP ${name} ${escapeHelp(f.help)}\n# TYPE ${name} ${f.type}\n`;
      for (const l of f.lines) out += l;
    }
    return out;
  }
}

/** The exposition of `c`'s kernel, now. */
export function exposition(c: Collector): string {
  const k = c.kernel;
  const tr = c.tracker;
  const x = new Exposition();
  const s = tr.snapshot();

  x.family('isokernel_info', 'gauge', 'The kernel: release and hostname (always 1).')(1, { release: k.release, hostname: k.hostname });
  x.family('isokernel_boot_time_seconds', 'gauge', 'When the kernel booted, seconds since the epoch.')((s.t - s.uptimeMs) / 1000);
  x.family('isokernel_uptime_seconds', 'gauge', 'Seconds since the kernel booted.')(s.uptimeMs / 1000);
  const procs = x.family('isokernel_processes', 'gauge', 'Processes by state (running: wants the CPU; zombie: ended, not yet waited for).');
  procs(s.nrun, { state: 'running' });
  procs(s.nsleep, { state: 'sleeping' });
  procs(s.nstop, { state: 'stopped' });
  procs(s.nzombie, { state: 'zombie' });
  x.family('isokernel_processes_created_total', 'counter', 'Processes created since the kernel booted.')(s.procsCreated);
  x.family('isokernel_context_switches_total', 'counter', 'Times processes left the CPU to sleep (in a blocking call or on the run queue).')(s.cswch);
  const sc = x.family('isokernel_syscalls_total', 'counter', 'System calls made by processes, by name.');
  for (const [name, n] of [...tr.syscallsByName()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) sc(n, { name });
  const cpu = x.family('isokernel_cpu_seconds_total', 'counter', 'CPU time of processes: user (their own code) and system (the kernel\'s work in their system calls).');
  cpu(s.cpuUserNs / 1e9, { mode: 'user' });
  cpu(s.cpuSysNs / 1e9, { mode: 'system' });
  const kt = x.family('isokernel_kernel_thread_seconds_total', 'counter', 'The kernel thread\'s time since the collector started: busy or idle (the host event loop).');
  kt(s.cpuBusyNs / 1e9, { mode: 'busy' });
  kt(s.cpuIdleNs / 1e9, { mode: 'idle' });
  x.family('isokernel_io_reads_total', 'counter', 'Read system calls (fd_read, fd_pread, socket receives).')(s.ioRops);
  x.family('isokernel_io_writes_total', 'counter', 'Write system calls (fd_write, fd_pwrite, socket sends).')(s.ioWops);
  const totals = tr.totals();
  const rb = x.family('isokernel_io_read_bytes_total', 'counter', 'Bytes read by processes, by kind of descriptor.');
  const wb = x.family('isokernel_io_written_bytes_total', 'counter', 'Bytes written by processes, by kind of descriptor.');
  for (const [kind, v] of Object.entries(totals.ioKinds)) {
    rb(v.read, { kind });
    wb(v.write, { kind });
  }
  const mr = x.family('isokernel_mount_read_bytes_total', 'counter', 'Bytes read from files through each mount.');
  const mw = x.family('isokernel_mount_written_bytes_total', 'counter', 'Bytes written to files through each mount.');
  const mro = x.family('isokernel_mount_reads_total', 'counter', 'Reads of files through each mount.');
  const mwo = x.family('isokernel_mount_writes_total', 'counter', 'Writes to files through each mount.');
  for (const m of mountIo) {
    const l = { mount: m.path, fstype: m.type };
    mr(m.readBytes, l);
    mw(m.writeBytes, l);
    mro(m.reads, l);
    mwo(m.writes, l);
  }
  const nrb = x.family('isokernel_network_receive_bytes_total', 'counter', 'Bytes received by sockets, by kind.');
  const ntb = x.family('isokernel_network_transmit_bytes_total', 'counter', 'Bytes sent by sockets, by kind.');
  const nrp = x.family('isokernel_network_receive_packets_total', 'counter', 'Packets (datagrams or receive calls) received by sockets, by kind.');
  const ntp = x.family('isokernel_network_transmit_packets_total', 'counter', 'Packets (datagrams or send calls) sent by sockets, by kind.');
  for (const [kind, d] of Object.entries(s.net)) {
    nrb(d.rbytes, { kind });
    ntb(d.wbytes, { kind });
    nrp(d.rops, { kind });
    ntp(d.wops, { kind });
  }
  x.family('isokernel_load1', 'gauge', 'Load average over 1 minute (processes wanting the CPU).')(s.load1);
  x.family('isokernel_load5', 'gauge', 'Load average over 5 minutes.')(s.load5);
  x.family('isokernel_load15', 'gauge', 'Load average over 15 minutes.')(s.load15);
  x.family('isokernel_memory_linear_bytes', 'gauge', 'Linear memory of all live processes.')(s.linearKb * 1024);
  x.family('isokernel_host_memory_resident_bytes', 'gauge', 'Resident memory of the host process (the kernel and every process).')(s.rssKb * 1024);
  x.family('isokernel_host_heap_used_bytes', 'gauge', 'The kernel thread\'s JavaScript heap in use.')(s.heapUsedKb * 1024);
  x.family('isokernel_host_heap_total_bytes', 'gauge', 'The kernel thread\'s JavaScript heap, reserved.')(s.heapTotalKb * 1024);
  x.family('isokernel_host_memory_total_bytes', 'gauge', 'Memory of the host (or the cgroup limit, if lower).')(s.memTotalKb * 1024);
  x.family('isokernel_host_memory_available_bytes', 'gauge', 'Memory the host process may still use.')(s.memAvailKb * 1024);
  x.family('isokernel_sa_samples_total', 'counter', 'Activity samples stored by the collector (sar\'s history).')(c.samples);
  x.family('isokernel_sa_interval_seconds', 'gauge', 'The collector\'s sampling interval.')(c.intervalMs / 1000);

  // Services (or programs), with the work of their ended processes.
  const groups = [...tr.groups()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const gp = x.family('isokernel_service_processes', 'gauge', 'Live processes of each service (or program).');
  const gc = x.family('isokernel_service_cpu_seconds_total', 'counter', 'CPU time of each service\'s processes, ended ones included.');
  const gs = x.family('isokernel_service_syscalls_total', 'counter', 'System calls of each service\'s processes.');
  const gr = x.family('isokernel_service_read_bytes_total', 'counter', 'Bytes read by each service\'s processes.');
  const gw = x.family('isokernel_service_written_bytes_total', 'counter', 'Bytes written by each service\'s processes.');
  const gm = x.family('isokernel_service_memory_bytes', 'gauge', 'Linear memory of each service\'s live processes.');
  for (const [service, t] of groups) {
    gp(t.processes, { service });
    gc(t.cpuUserNs / 1e9, { service, mode: 'user' });
    gc(t.cpuSysNs / 1e9, { service, mode: 'system' });
    gs(t.syscalls, { service });
    gr(t.readBytes, { service });
    gw(t.writeBytes, { service });
    gm(t.memoryBytes, { service });
  }

  // Live processes.
  const pc = x.family('isokernel_process_cpu_seconds_total', 'counter', 'CPU time of a process.');
  const ps = x.family('isokernel_process_syscalls_total', 'counter', 'System calls of a process.');
  const pr = x.family('isokernel_process_read_bytes_total', 'counter', 'Bytes a process has read.');
  const pw = x.family('isokernel_process_written_bytes_total', 'counter', 'Bytes a process has written.');
  const pm = x.family('isokernel_process_memory_bytes', 'gauge', 'Linear memory of a process.');
  const pst = x.family('isokernel_process_start_time_seconds', 'gauge', 'When a process started, seconds since the epoch.');
  const pstate = x.family('isokernel_process_running', 'gauge', '1 if the process wants the CPU, else 0.');
  const bootS = (s.t - s.uptimeMs) / 1000;
  let shown = 0;
  for (const p of tr.processes()) {
    if (p.exitStatus !== null) continue;
    if (++shown > MAX_PROCESS_SERIES) break; // the lowest pids: services started first
    const l = { pid: String(p.pid), name: p.name, service: tr.group(p) };
    const split = tr.processCpu(p);
    pc(split.userNs / 1e9, { ...l, mode: 'user' });
    pc(split.sysNs / 1e9, { ...l, mode: 'system' });
    ps(p.acct.syscalls, l);
    pr(p.acct.bytesRead, l);
    pw(p.acct.bytesWritten, l);
    pm(memoryOf(p), l);
    pst(bootS + p.acct.startNs / 1e9, l);
    pstate(isRunnable(p) ? 1 : 0, l);
  }
  return x.text();
}

/** "host:port" → [host, port]; KernelError EINVAL unless the host is a loopback address. */
export function parseListen(s: string): { host: string; port: number } {
  const r = checkListen(s);
  if (r instanceof Error) throw new KernelError('EINVAL', `metrics listen ${JSON.stringify(s)}: ${r.message}`);
  return r;
}

/** The HTTP server: GET/HEAD /metrics (the exposition), / (a pointer to it); 404, 405 otherwise. */
export class MetricsServer {
  private readonly server: http.Server;
  readonly host: string;
  readonly port: number;

  private constructor(server: http.Server, host: string, port: number) {
    this.server = server;
    this.host = host;
    this.port = port;
  }

  /** Listens on `listen` (a loopback HOST:PORT; port 0 picks one). KernelError on a bad address or a failed listen. */
  static listen(c: Collector, listen: string): Promise<MetricsServer> {
    const { host, port } = parseListen(listen);
    const server = http.createServer((req, res) => MetricsServer.handle(c, req, res));
    server.keepAliveTimeout = 5000;
    server.headersTimeout = 10_000;
    server.requestTimeout = 10_000;
    return new Promise((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => {
        reject(new KernelError(e.code ?? 'EIO', `metrics listen ${listen}: ${e.message}`));
      });
      server.listen({ host, port, exclusive: true }, () => {
        server.removeAllListeners('error');
        server.on('error', (e) => metricsError.publish({ error: e, path: listen }));
        server.unref();
        const a = server.address() as AddressInfo;
        resolve(new MetricsServer(server, a.address, a.port));
      });
    });
  }

  private static handle(c: Collector, req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('method not allowed\n');
      return;
    }
    if (path === '/') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : 'isokernel metrics: GET /metrics\n');
      return;
    }
    if (path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('not found: the metrics are at /metrics\n');
      return;
    }
    let body: Buffer;
    try {
      body = Buffer.from(exposition(c), 'utf8');
    } catch (e) {
      metricsError.publish({ error: e, path: '/metrics' });
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('the metrics could not be gathered\n');
      return;
    }
    const headers: http.OutgoingHttpHeaders = { 'Content-Type': CONTENT_TYPE, 'Cache-Control': 'no-store' };
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && body.length > 1024) {
      body = gzipSync(body);
      headers['Content-Encoding'] = 'gzip';
    }
    headers['Content-Length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  get url(): string {
    const h = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${h}:${this.port}/metrics`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
