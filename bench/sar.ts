// `node bench/sar.ts`: what the activity collector costs the kernel thread. Reports, never
// fails. Figures:
//   - one sample (snapshot + SQLite insert) with N sleeping processes, N = 0, 100, 1000;
//   - a sar report over a day of 10-second samples (8,640), as /dev/sa and `isokernel sar`
//     run it: the SQLite read and the formatting;
//   - one Prometheus scrape's exposition with 1000 processes.
// Writes bench/results-sar.md.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kernel } from '../src/kernel/kernel.ts';
import { exposition } from '../src/metrics/prometheus.ts';
import { SarSession } from '../src/metrics/sar.ts';
import { SaStore } from '../src/metrics/store.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SLEEP = path.join(ROOT, 'userland/bin/sleep');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(n: number, fn: () => void): number {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

const dir = mkdtempSync(path.join(tmpdir(), 'sar-bench-'));
const rows: [string, string][] = [];
try {
  for (const n of [0, 100, 1000]) {
    const k = await Kernel.boot({ metrics: { intervalMs: 86_400_000, db: path.join(dir, `n${n}.db`) } });
    const ps = [];
    for (let i = 0; i < n; i++) ps.push(k.spawn({ program: SLEEP, args: ['sleep', '60'], stdio: ['null', 'null', 'null'] }));
    // Until every one is asleep (started, in its nanosleep): sampling alone is measured.
    for (const until = Date.now() + 60_000; Date.now() < until && !ps.every((p) => p.state === 'sleeping');) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 200));
    const ms = time(50, () => k.metrics!.sampleNow());
    rows.push([`one sample, ${n} sleeping processes`, `${(ms * 1000).toFixed(0)} µs`]);
    if (n === 1000) rows.push(['Prometheus exposition, 1000 processes', `${time(10, () => exposition(k.metrics!)).toFixed(1)} ms`]);
    await k.shutdown();
  }

  // A day of samples, as the collector writes them.
  const k = await Kernel.boot({ metrics: { intervalMs: 86_400_000 } });
  const base = k.metrics!.tracker.snapshot();
  await k.shutdown();
  const db = path.join(dir, 'day.db');
  const store = new SaStore(db);
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  const t0 = performance.now();
  for (let i = 0; i < 8640; i++) {
    store.insert({ ...base, t: midnight.getTime() + i * 10_000, cpuUserNs: i * 1e8, cpuSysNs: i * 5e7, cpuIdleNs: i * 9e9 });
  }
  rows.push(['store 8,640 samples (one transaction each)', `${((performance.now() - t0) / 8640 * 1000).toFixed(0)} µs each`]);
  const src = { history: (a: number, b: number, devices: boolean, limit: number) => store.range(a, b, { devices, limit }), now: () => midnight.getTime() + 86_399_000 };
  rows.push(['sar -u over a day (8,640 samples)', `${time(5, () => new SarSession(['-u'], src).start()).toFixed(1)} ms`]);
  rows.push(['sar -A over a day', `${time(3, () => new SarSession(['-A'], src).start()).toFixed(1)} ms`]);
  rows.push(['sar -u -s 12:00 -e 13:00 (360 samples)', `${time(10, () => new SarSession(['-u', '-s', '12:00', '-e', '13:00'], src).start()).toFixed(2)} ms`]);
  store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const table = ['| figure | median |', '|---|---|', ...rows.map(([a, b]) => `| ${a} | ${b} |`)].join('\n');
const out = `# Activity collector (bench/sar.ts)\n\n${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load ${loadavg().map((x) => x.toFixed(2)).join(' ')}, ${new Date().toISOString()}\n\n${table}\n`;
process.stdout.write(out);
writeFileSync(path.join(ROOT, 'bench/results-sar.md'), out);
