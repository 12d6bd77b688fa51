// sar: sysstat's report over isokernel's activity snapshots (snapshot.ts), from the history
// in the database (store.ts) or live, at an interval. One implementation serves every
// front end: `isokernel sar` on the host (src/cli/sar.ts), the control socket's `sar` op and
// /dev/sa, the device through which the `sar` program inside an image asks the kernel
// (device.ts). Each runs a SarSession: start() gives the first output, and while a step
// says `sleepMs`, the caller waits that long and calls next(); end() (on an interrupt)
// prints the averages, as sar does on SIGINT.
//
// The layout is sysstat's: a banner, a blank line and a header line per report, rows of
// `%-11s` time and ` %9s` columns (CPU: ` %7s`), "Average:" rows, and a RESTART line where
// the kernel changed between samples. Times are the host's local time, 24-hour (sysstat's
// S_TIME_FORMAT=ISO); dates are ISO. Rates are per second between consecutive samples;
// averages of rates are over the whole span (sum of deltas / sum of intervals), averages
// of levels are means of the rows shown, as sysstat computes them.
import type { DevCounters, Snapshot } from './snapshot.ts';

/**
 * The most samples one history report reads. Reports run on the kernel thread (/dev/sa, the
 * control op), at ~10-20 µs a sample: this bounds one report to well under a second. A day at
 * the default 10 s is 8,640.
 */
export const MAX_REPORT_SAMPLES = 20_000;

export const SAR_USAGE = `Usage: sar [ options ] [ <interval> [ <count> ] ]
Options:
  -A            all reports (-u ALL -r ALL -b -d -n DEV -q -w)
  -b            I/O and transfer rates (system calls that read and write)
  -d            I/O by device: each mount, and pipes, sockets, terminals
  -n DEV        network by socket kind
  -p            device names at the end of the line (pretty print)
  -q            run queue length and load averages
  -r [ALL]      memory
  -u [ALL]      CPU (the default)
  -w            process creations and context switches
  -s hh:mm[:ss] -e hh:mm[:ss]   start and end of the time range (history)
  -i <secs>     history: samples at least this far apart
  -<n>          history: the day n days ago (-1 is yesterday; default today)
  -f <file>     history from this database file (host only)
  -h            this help
With <interval>, reports live: every <interval> seconds, <count> times (or until
interrupted), then the averages.
`;

/** What a session reads: stored snapshots in a time range, and a live snapshot. */
export interface SarSource {
  /**
   * Snapshots with from <= t < to (ms since the epoch), oldest first, at most `limit`; with
   * their device rows if `devices`.
   */
  history?: (from: number, to: number, devices: boolean, limit: number) => Snapshot[];
  /** A snapshot now (live mode). */
  snapshot?: () => Snapshot;
  /** `-f FILE`: opens another history (host only); absent: -f is refused. */
  openFile?: (path: string) => (from: number, to: number, devices: boolean, limit: number) => Snapshot[];
  /** The clock (ms since the epoch); default Date.now. */
  now?: () => number;
  /** What the banner says when there is no sample to take it from. */
  hostname?: string;
  release?: string;
}

/** A step of a session: text for stdout and stderr, then either wait and call next(), or stop. */
export interface SarStep {
  out: string;
  err: string;
  /** Wait this long, then call next(); -1: the session is over. */
  sleepMs: number;
  /** The exit status, once over. */
  status: number;
}

type ColFmt = 2 | 0;

interface Activity {
  /** Column names; the first is the item's (CPU, DEV, IFACE) when `item` is set. */
  readonly cols: readonly string[];
  /** Decimals per value column (item column excluded). */
  readonly fmt: readonly ColFmt[];
  /** Per value column: true when a rate (averaged over time), false when a level (averaged over rows). */
  readonly rate: readonly boolean[];
  /** Width of the item column (CPU: 7, DEV/IFACE: 9); 0: no item column. */
  readonly itemWidth: number;
  /** Rows for the interval prev → curr: one per item ('' when no item column). */
  rows(prev: Snapshot, curr: Snapshot, dt: number): [string, number[]][];
}

const r2 = (n: number): ColFmt[] => new Array<ColFmt>(n).fill(2);

function delta(a: number, b: number): number {
  const d = b - a;
  return d > 0 && Number.isFinite(d) ? d : 0;
}

function cpuActivity(all: boolean): Activity {
  const cols = all
    ? ['CPU', '%usr', '%nice', '%sys', '%iowait', '%steal', '%irq', '%soft', '%guest', '%gnice', '%idle']
    : ['CPU', '%user', '%nice', '%system', '%iowait', '%steal', '%idle'];
  const n = cols.length - 1;
  return {
    cols, fmt: r2(n), rate: new Array<boolean>(n).fill(true), itemWidth: 7,
    rows(p, c, dt) {
      const wall = dt * 1e9;
      const pc = (x: number): number => (wall > 0 ? (x / wall) * 100 : 0);
      const user = delta(p.cpuUserNs, c.cpuUserNs), sys = delta(p.cpuSysNs, c.cpuSysNs);
      const idle = Math.min(delta(p.cpuIdleNs, c.cpuIdleNs), wall);
      const soft = Math.max(0, delta(p.cpuBusyNs, c.cpuBusyNs) - user - sys);
      const v = all ? [pc(user), 0, pc(sys), 0, 0, 0, pc(soft), 0, 0, pc(idle)] : [pc(user), 0, pc(sys), 0, 0, pc(idle)];
      return [['all', v]];
    },
  };
}

function memActivity(all: boolean): Activity {
  const cols = ['kbmemfree', 'kbavail', 'kbmemused', '%memused', 'kbbuffers', 'kbcached', 'kbcommit', '%commit',
    'kbactive', 'kbinact', 'kbdirty', ...(all ? ['kbheap', 'kbheapsz', 'kbext'] : [])];
  const fmt: ColFmt[] = [0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, ...(all ? [0, 0, 0] as ColFmt[] : [])];
  return {
    cols, fmt, rate: new Array<boolean>(cols.length).fill(false), itemWidth: 0,
    rows(_p, c) {
      const tot = c.memTotalKb;
      const pc = (x: number): number => (tot > 0 ? (x / tot) * 100 : 0);
      const v = [c.memFreeKb, c.memAvailKb, c.rssKb, pc(c.rssKb), 0, 0, c.linearKb, pc(c.linearKb),
        c.linearActiveKb, c.linearInactKb, 0, ...(all ? [c.heapUsedKb, c.heapTotalKb, c.externalKb] : [])];
      return [['', v]];
    },
  };
}

const ioActivity: Activity = {
  cols: ['tps', 'rtps', 'wtps', 'dtps', 'bread/s', 'bwrtn/s', 'bdscd/s'], fmt: r2(7), rate: new Array<boolean>(7).fill(true),
  itemWidth: 0,
  rows(p, c, dt) {
    const r = delta(p.ioRops, c.ioRops) / dt, w = delta(p.ioWops, c.ioWops) / dt;
    return [['', [r + w, r, w, 0, delta(p.ioRbytes, c.ioRbytes) / 512 / dt, delta(p.ioWbytes, c.ioWbytes) / 512 / dt, 0]]];
  },
};

/** Device order: mounts by path, then the kinds without a mount. */
function devOrder(names: Iterable<string>): string[] {
  const kinds = ['pipe', 'socket', 'tty'];
  return [...new Set(names)].sort((a, b) => {
    const ka = kinds.indexOf(a), kb = kinds.indexOf(b);
    if (ka !== kb) return ka - kb;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

const ZERO: DevCounters = { rops: 0, wops: 0, rbytes: 0, wbytes: 0 };

const diskActivity: Activity = {
  cols: ['DEV', 'tps', 'rkB/s', 'wkB/s', 'dkB/s', 'areq-sz', 'aqu-sz', 'await', '%util'], fmt: r2(8),
  rate: [true, true, true, true, true, false, false, false], itemWidth: 9,
  rows(p, c, dt) {
    return devOrder(Object.keys(c.disk)).map((name) => {
      const a = p.disk[name] ?? ZERO, b = c.disk[name]!;
      const ops = delta(a.rops, b.rops) + delta(a.wops, b.wops);
      const bytes = delta(a.rbytes, b.rbytes) + delta(a.wbytes, b.wbytes);
      return [name, [ops / dt, delta(a.rbytes, b.rbytes) / 1024 / dt, delta(a.wbytes, b.wbytes) / 1024 / dt, 0,
        ops > 0 ? bytes / 1024 / ops : 0, 0, 0, 0]];
    });
  },
};

const netActivity: Activity = {
  cols: ['IFACE', 'rxpck/s', 'txpck/s', 'rxkB/s', 'txkB/s', 'rxcmp/s', 'txcmp/s', 'rxmcst/s', '%ifutil'], fmt: r2(8),
  rate: new Array<boolean>(8).fill(true), itemWidth: 9,
  rows(p, c, dt) {
    return devOrder(Object.keys(c.net)).map((name) => {
      const a = p.net[name] ?? ZERO, b = c.net[name]!;
      return [name, [delta(a.rops, b.rops) / dt, delta(a.wops, b.wops) / dt, delta(a.rbytes, b.rbytes) / 1024 / dt,
        delta(a.wbytes, b.wbytes) / 1024 / dt, 0, 0, 0, 0]];
    });
  },
};

const queueActivity: Activity = {
  cols: ['runq-sz', 'plist-sz', 'ldavg-1', 'ldavg-5', 'ldavg-15', 'blocked'], fmt: [0, 0, 2, 2, 2, 0],
  rate: new Array<boolean>(6).fill(false), itemWidth: 0,
  rows(_p, c) {
    return [['', [c.nrun, c.nproc, c.load1, c.load5, c.load15, 0]]];
  },
};

const taskActivity: Activity = {
  cols: ['proc/s', 'cswch/s'], fmt: [2, 2], rate: [true, true], itemWidth: 0,
  rows(p, c, dt) {
    return [['', [delta(p.procsCreated, c.procsCreated) / dt, delta(p.cswch, c.cswch) / dt]]];
  },
};

interface Options {
  activities: Activity[];
  pretty: boolean;
  start: number | null;
  end: number | null;
  /** History: minimum seconds between two samples shown. */
  every: number;
  daysAgo: number;
  file: string | null;
  interval: number | null;
  count: number | null;
  help: boolean;
}

class UsageError extends Error {}

/** hh:mm[:ss] → seconds after midnight. */
function parseClock(s: string | undefined, opt: string): number {
  const m = s === undefined ? null : /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) {
    throw new UsageError(`${opt}: expected a time hh:mm[:ss], got ${s === undefined ? 'nothing' : JSON.stringify(s)}`);
  }
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
}

function parseCount(s: string, what: string, min: number): number {
  if (!/^\d{1,9}$/.test(s) || Number(s) < min) throw new UsageError(`invalid ${what}: ${JSON.stringify(s)}`);
  return Number(s);
}

/** Parses sar's arguments (without the program name). Throws UsageError. */
function parseArgs(args: readonly string[]): Options {
  const o: Options = {
    activities: [], pretty: false, start: null, end: null, every: 0, daysAgo: 0, file: null, interval: null, count: null, help: false,
  };
  const want = new Map<string, Activity>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (opt: string): string => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`option ${opt} requires an argument`);
      return v;
    };
    if (a === '--help') {
      o.help = true;
      continue;
    }
    if (/^-\d+$/.test(a)) {
      o.daysAgo = parseCount(a.slice(1), 'day offset', 0);
      continue;
    }
    if (!a.startsWith('-') || a === '-') {
      positional.push(a);
      continue;
    }
    if (a.startsWith('--')) throw new UsageError(`unrecognized option ${JSON.stringify(a)}`);
    // Flags may be combined (-ubq); an option that takes a value ends the group.
    for (let j = 1; j < a.length; j++) {
      const f = a[j]!;
      const rest = a.slice(j + 1);
      const takeValue = (): string => {
        if (rest !== '') {
          j = a.length;
          return rest;
        }
        return value(`-${f}`);
      };
      switch (f) {
        case 'u':
        case 'r': {
          const all = rest === '' && args[i + 1] === 'ALL';
          if (all) i++;
          want.set(f, f === 'u' ? cpuActivity(all) : memActivity(all));
          break;
        }
        case 'b': want.set('b', ioActivity); break;
        case 'd': want.set('d', diskActivity); break;
        case 'q':
          if (rest === '' && args[i + 1] === 'LOAD') i++;
          want.set('q', queueActivity);
          break;
        case 'w': want.set('w', taskActivity); break;
        case 'p': o.pretty = true; break;
        case 'h': o.help = true; break;
        case 'n': {
          const kw = takeValue();
          for (const k of kw.split(',')) {
            if (k === 'DEV' || k === 'ALL') want.set('n', netActivity);
            else if (/^(EDEV|NFS|NFSD|SOCK|IP|EIP|ICMP|EICMP|TCP|ETCP|UDP|SOCK6|IP6|EIP6|ICMP6|EICMP6|UDP6|FC|SOFT)$/.test(k)) {
              throw new UsageError(`-n ${k}: not collected by isokernel (DEV and ALL are)`);
            } else throw new UsageError(`-n: unknown keyword ${JSON.stringify(k)}`);
          }
          break;
        }
        case 's': o.start = parseClock(takeValue(), '-s'); break;
        case 'e': o.end = parseClock(takeValue(), '-e'); break;
        case 'i': o.every = parseCount(takeValue(), 'interval for -i', 1); break;
        case 'f': o.file = takeValue(); break;
        case 'A':
          want.set('u', cpuActivity(true));
          want.set('r', memActivity(true));
          want.set('b', ioActivity);
          want.set('d', diskActivity);
          want.set('n', netActivity);
          want.set('q', queueActivity);
          want.set('w', taskActivity);
          break;
        default:
          throw new UsageError(`invalid option -- '${f}'`);
      }
    }
  }
  if (positional.length > 2) throw new UsageError(`unexpected argument ${JSON.stringify(positional[2])}`);
  if (positional.length >= 1) o.interval = parseCount(positional[0]!, 'interval', 1);
  if (positional.length === 2) o.count = parseCount(positional[1]!, 'count', 1);
  // sysstat's order of reports, whatever the order of the options.
  for (const k of ['u', 'w', 'b', 'd', 'n', 'q', 'r']) {
    const act = want.get(k);
    if (act) o.activities.push(act);
  }
  if (o.activities.length === 0) o.activities.push(cpuActivity(false));
  if (o.start !== null && o.end !== null && o.end < o.start) throw new UsageError('-e: the end is before the start (-s)');
  return o;
}

/** Whether these arguments ask for a live report (an interval); false for history or a usage error. */
export function isLiveReport(args: readonly string[]): boolean {
  try {
    const o = parseArgs(args);
    return o.interval !== null && !o.help;
  } catch {
    return false;
  }
}

// ---- formatting ----

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** HH:MM:SS in the host's local time. */
export function clockOf(t: number): string {
  const d = new Date(t);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

function dateOf(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/** Local midnight of the day `daysAgo` days before `now`. */
function dayStart(now: number, daysAgo: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() - daysAgo);
  return d.getTime();
}

function num(v: number, dec: ColFmt): string {
  const x = Number.isFinite(v) ? v : 0;
  return dec === 0 ? (Math.round(x) === 0 ? '0' : Math.round(x).toFixed(0)) : x.toFixed(2);
}

function headerLine(act: Activity, label: string, pretty: boolean): string {
  let s = label.padEnd(11);
  const [first, ...rest] = act.cols;
  if (act.itemWidth > 0 && !pretty) s += ` ${first!.padStart(act.itemWidth)}`;
  for (const c of act.itemWidth > 0 ? rest : act.cols) s += ` ${c.padStart(9)}`;
  if (act.itemWidth > 0 && pretty) s += ` ${first}`;
  return `${s}\n`;
}

function rowLine(act: Activity, label: string, item: string, values: readonly number[], pretty: boolean): string {
  let s = label.padEnd(11);
  if (act.itemWidth > 0 && !pretty) s += ` ${item.padStart(act.itemWidth)}`;
  values.forEach((v, i) => (s += ` ${num(v, act.fmt[i]!).padStart(9)}`));
  if (act.itemWidth > 0 && pretty) s += ` ${item}`;
  return `${s}\n`;
}

/** Running sums for an activity's Average rows. */
class Averager {
  private readonly items = new Map<string, { weighted: number[]; plain: number[]; time: number; rows: number }>();
  private readonly act: Activity;
  constructor(act: Activity) {
    this.act = act;
  }

  add(item: string, values: readonly number[], dt: number): void {
    let s = this.items.get(item);
    if (!s) this.items.set(item, s = { weighted: values.map(() => 0), plain: values.map(() => 0), time: 0, rows: 0 });
    values.forEach((v, i) => {
      s.weighted[i]! += v * dt;
      s.plain[i]! += v;
    });
    s.time += dt;
    s.rows++;
  }

  get empty(): boolean {
    return this.items.size === 0;
  }

  lines(pretty: boolean): string {
    let out = '';
    const names = this.act.itemWidth === 9 ? devOrder(this.items.keys()) : [...this.items.keys()];
    for (const item of names) {
      const s = this.items.get(item)!;
      const v = s.weighted.map((w, i) => (this.act.rate[i] ? (s.time > 0 ? w / s.time : 0) : s.plain[i]! / s.rows));
      out += rowLine(this.act, 'Average:', item, v, pretty);
    }
    return out;
  }
}

function banner(s: { hostname: string; release: string }, t: number): string {
  return `isokernel ${s.release} (${s.hostname}) \t${dateOf(t)} \t_wasm32_\t(1 CPU)\n`;
}

function restartLine(t: number): string {
  return `${clockOf(t).padEnd(11)}       ISOKERNEL RESTART\t(1 CPU)\n`;
}

// ---- sessions ----

export class SarSession {
  private readonly src: SarSource;
  private readonly args: readonly string[];
  private opts: Options | null = null;
  private prev: Snapshot | null = null;
  private avgs: Averager[] = [];
  private remaining = Infinity;
  private startedAt = 0;
  private steps = 0;
  private over = false;

  constructor(args: readonly string[], src: SarSource) {
    this.args = args;
    this.src = src;
  }

  private now(): number {
    return (this.src.now ?? Date.now)();
  }

  /** The first step: a history report entire, or a live report's banner and baseline. */
  start(): SarStep {
    try {
      this.opts = parseArgs(this.args);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      return this.finish('', `sar: ${e.message}\n${SAR_USAGE}`, 1);
    }
    const o = this.opts;
    if (o.help) return this.finish(SAR_USAGE, '', 0);
    if (o.interval !== null) {
      if (o.file !== null) return this.finish('', 'sar: -f reads history; an interval reports live: use one or the other\n', 1);
      if (!this.src.snapshot) return this.finish('', 'sar: live reports need a running kernel (isokernel sar --state DIR, with the image booted)\n', 1);
      const s = this.src.snapshot();
      this.prev = s;
      this.avgs = o.activities.map((a) => new Averager(a));
      this.remaining = o.count ?? Infinity;
      this.startedAt = this.now();
      return { out: banner(s, s.t), err: '', sleepMs: o.interval * 1000, status: 0 };
    }
    return this.history(o);
  }

  /** The next live interval: its rows, and then either the time to wait or the averages. */
  next(): SarStep {
    const o = this.opts;
    if (this.over || o === null || o.interval === null || this.prev === null) return this.finish('', '', 0);
    const s = this.src.snapshot!();
    const p = this.prev;
    let out = '';
    if (s.boot !== p.boot) {
      out += restartLine(s.t);
      this.prev = s;
    } else {
      const dt = Math.max((s.t - p.t) / 1000, 1e-3);
      // One report: its header once; several: each with its header, every interval (sysstat).
      const headers = this.steps === 0 || o.activities.length > 1;
      o.activities.forEach((act, i) => {
        if (headers) out += `\n${headerLine(act, clockOf(p.t), o.pretty)}`;
        for (const [item, v] of act.rows(p, s, dt)) {
          out += rowLine(act, clockOf(s.t), item, v, o.pretty);
          this.avgs[i]!.add(item, v, dt);
        }
      });
      this.prev = s;
      this.steps++;
    }
    if (--this.remaining <= 0) return this.finish(out + this.averages(), '', 0);
    // Keep to the schedule: the k-th sample at start + k * interval.
    const due = this.startedAt + (this.steps + 1) * o.interval * 1000;
    return { out, err: '', sleepMs: Math.max(0, due - this.now()), status: 0 };
  }

  /** Interrupted: the averages so far, as sar prints them on SIGINT. */
  end(): SarStep {
    if (this.over) return this.finish('', '', 0);
    return this.finish(this.opts?.interval != null ? this.averages() : '', '', 0);
  }

  get done(): boolean {
    return this.over;
  }

  private averages(): string {
    const o = this.opts!;
    if (this.steps === 0) return '';
    let out = '';
    o.activities.forEach((act, i) => {
      const avg = this.avgs[i]!;
      if (avg.empty) return;
      if (o.activities.length > 1) out += `\n${headerLine(act, 'Average:', o.pretty)}`;
      out += avg.lines(o.pretty);
    });
    return out;
  }

  private finish(out: string, err: string, status: number): SarStep {
    this.over = true;
    return { out, err, sleepMs: -1, status };
  }

  private history(o: Options): SarStep {
    let read = this.src.history;
    if (o.file !== null) {
      if (!this.src.openFile) return this.finish('', 'sar: -f: reading another file is for the host command (isokernel sar -f FILE)\n', 1);
      try {
        read = this.src.openFile(o.file);
      } catch (e) {
        return this.finish('', `sar: ${(e as Error).message}\n`, 1);
      }
    }
    if (!read) return this.finish('', 'sar: no activity history here\n', 1);
    const day = dayStart(this.now(), o.daysAgo);
    const from = day + (o.start ?? 0) * 1000;
    const to = o.end === null ? dayStart(day + 36 * 3600_000, 0) : day + o.end * 1000 + 1000;
    let samples: Snapshot[];
    try {
      samples = read(from, to, o.activities.includes(diskActivity) || o.activities.includes(netActivity), MAX_REPORT_SAMPLES + 1);
    } catch (e) {
      return this.finish('', `sar: ${(e as Error).message}\n`, 1);
    }
    let warning = '';
    if (samples.length > MAX_REPORT_SAMPLES) {
      samples.length = MAX_REPORT_SAMPLES;
      warning = `sar: more than ${MAX_REPORT_SAMPLES} samples in the range: the report stops at ${clockOf(samples[samples.length - 1]!.t)}; ` +
        'narrow it with -s and -e\n';
    }
    const first = samples[0];
    const out: string[] = [banner(first ?? { hostname: this.src.hostname ?? 'isokernel', release: this.src.release ?? '?' }, first?.t ?? day)];
    // Each sample's time, formatted once for all the reports.
    const clocks = samples.map((s) => clockOf(s.t));
    for (const act of o.activities) {
      const avg = new Averager(act);
      let prev = -1;
      let needHeader = true;
      for (let i = 0; i < samples.length; i++) {
        const s = samples[i]!;
        if (prev < 0) {
          prev = i;
          continue;
        }
        const p = samples[prev]!;
        if (s.boot !== p.boot) {
          out.push(restartLine(s.t));
          prev = i;
          needHeader = true;
          continue;
        }
        if (o.every > 0 && s.t - p.t < o.every * 1000) continue;
        const dt = Math.max((s.t - p.t) / 1000, 1e-3);
        const rows = act.rows(p, s, dt);
        if (needHeader) {
          out.push(`\n${headerLine(act, clocks[prev]!, o.pretty)}`);
          needHeader = false;
        }
        for (const [item, v] of rows) {
          out.push(rowLine(act, clocks[i]!, item, v, o.pretty));
          avg.add(item, v, dt);
        }
        prev = i;
      }
      if (!avg.empty) out.push(avg.lines(o.pretty));
    }
    return this.finish(out.join(''), warning, 0);
  }
}

/** Runs a session to its end with real sleeps, writing as it goes (host front ends). */
export async function runSession(session: SarSession, write: (fd: 1 | 2, text: string) => void,
  signal?: AbortSignal): Promise<number> {
  let step = session.start();
  for (;;) {
    if (step.out) write(1, step.out);
    if (step.err) write(2, step.err);
    if (step.sleepMs < 0) return step.status;
    const interrupted = await new Promise<boolean>((resolve) => {
      if (signal?.aborted) return resolve(true);
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve(false);
      }, step.sleepMs);
      const onAbort = (): void => {
        clearTimeout(t);
        resolve(true);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    step = interrupted ? session.end() : session.next();
  }
}
