// sar's reports from known snapshots: columns, rates, averages (sysstat's rules), time ranges,
// restarts, the live form, and usage errors. No kernel: a SarSession over synthetic data.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SarSession, type SarSource } from '../../src/metrics/sar.ts';
import type { Snapshot } from '../../src/metrics/snapshot.ts';

/** 2026-12-03 in the host's local time, at h:m:s. */
const at = (h: number, m: number, s = 0): number => new Date(2026, 11, 3, h, m, s).getTime();
const NOW = at(23, 0);

function snap(t: number, o: Partial<Snapshot> = {}): Snapshot {
  return {
    t, boot: 'b1', uptimeMs: 1000, hostname: 'testhost', release: '0.1.0',
    cpuUserNs: 0, cpuSysNs: 0, cpuIdleNs: 0, cpuBusyNs: 0, procsCreated: 0, cswch: 0, syscalls: 0,
    ioRops: 0, ioWops: 0, ioRbytes: 0, ioWbytes: 0, nproc: 3, nrun: 1, nsleep: 2, nstop: 0, nzombie: 0,
    load1: 0.5, load5: 0.25, load15: 0.1, memTotalKb: 1000000, memFreeKb: 500000, memAvailKb: 600000, rssKb: 100000,
    heapUsedKb: 1000, heapTotalKb: 2000, externalKb: 300, linearKb: 4096, linearActiveKb: 1024, linearInactKb: 3072,
    disk: {}, net: {}, ...o,
  };
}

/** Ten-second samples from 10:00:00: CPU 20% user and 10% system, 60% idle; 100 reads/s of 4 KiB. */
function series(n: number, from = at(10, 0), boot = 'b1'): Snapshot[] {
  const out: Snapshot[] = [];
  for (let i = 0; i < n; i++) {
    out.push(snap(from + i * 10_000, {
      boot, cpuUserNs: i * 2e9, cpuSysNs: i * 1e9, cpuIdleNs: i * 6e9, cpuBusyNs: i * 4e9,
      ioRops: i * 1000, ioWops: i * 500, ioRbytes: i * 1000 * 4096, ioWbytes: i * 500 * 1024,
      procsCreated: i * 5, cswch: i * 100, nrun: i % 2, nproc: 10 + i,
      disk: { '/': { rops: i * 1000, wops: i * 500, rbytes: i * 1000 * 4096, wbytes: i * 500 * 1024 }, pipe: { rops: 0, wops: 0, rbytes: i * 10240, wbytes: i * 10240 } },
      net: { tcp: { rops: i * 10, wops: i * 20, rbytes: i * 10240, wbytes: i * 20480 } },
    }));
  }
  return out;
}

function source(samples: Snapshot[]): SarSource {
  return { history: (from, to, _devices, limit) => samples.filter((s) => s.t >= from && s.t < to).slice(0, limit), now: () => NOW };
}

function run(args: string[], samples: Snapshot[]): { out: string; err: string; status: number } {
  const s = new SarSession(args, source(samples));
  const step = s.start();
  assert.equal(step.sleepMs, -1, 'a history report is one step');
  return { out: step.out, err: step.err, status: step.status };
}

test('sar -u: banner, header, rows and Average in sysstat layout', () => {
  const r = run(['-u'], series(4));
  assert.equal(r.status, 0);
  assert.equal(r.out, [
    'isokernel 0.1.0 (testhost) \t2026-12-03 \t_wasm32_\t(1 CPU)',
    '',
    '10:00:00        CPU     %user     %nice   %system   %iowait    %steal     %idle',
    '10:00:10        all     20.00      0.00     10.00      0.00      0.00     60.00',
    '10:00:20        all     20.00      0.00     10.00      0.00      0.00     60.00',
    '10:00:30        all     20.00      0.00     10.00      0.00      0.00     60.00',
    'Average:        all     20.00      0.00     10.00      0.00      0.00     60.00',
    '',
  ].join('\n'));
});

test('sar with no option is -u; -u ALL adds %irq %soft %guest %gnice (kernel overhead in %soft)', () => {
  assert.equal(run([], series(3)).out, run(['-u'], series(3)).out);
  const lines = run(['-u', 'ALL'], series(3)).out.split('\n');
  assert.match(lines[2]!, /CPU +%usr +%nice +%sys +%iowait +%steal +%irq +%soft +%guest +%gnice +%idle$/);
  // busy 40% - user 20% - system 10% = 10% of kernel work no process asked for.
  assert.equal(lines[3], '10:00:10        all     20.00      0.00     10.00      0.00      0.00      0.00     10.00      0.00      0.00     60.00');
});

test('sar -b and -w: rates per second; 512-byte blocks', () => {
  const b = run(['-b'], series(3)).out.split('\n');
  assert.equal(b[2], '10:00:00          tps      rtps      wtps      dtps   bread/s   bwrtn/s   bdscd/s');
  // 100 reads/s + 50 writes/s; 409600 B/s = 800 blocks/s read, 51200 B/s = 100 blocks/s written.
  assert.equal(b[3], '10:00:10       150.00    100.00     50.00      0.00    800.00    100.00      0.00');
  assert.equal(b[5], 'Average:       150.00    100.00     50.00      0.00    800.00    100.00      0.00');
  const w = run(['-w'], series(3)).out.split('\n');
  assert.equal(w[2], '10:00:00       proc/s   cswch/s');
  assert.equal(w[3], '10:00:10         0.50     10.00');
});

test('sar -q and -r: levels at each sample; averages are means of the rows (integers as %9.0f)', () => {
  const q = run(['-q'], series(4)).out.split('\n');
  assert.equal(q[2], '10:00:00      runq-sz  plist-sz   ldavg-1   ldavg-5  ldavg-15   blocked');
  assert.equal(q[3], '10:00:10            1        11      0.50      0.25      0.10         0');
  assert.equal(q[4], '10:00:20            0        12      0.50      0.25      0.10         0');
  assert.equal(q[6], 'Average:            1        12      0.50      0.25      0.10         0'); // runq (1+0+1)/3 rounds to 1
  const r = run(['-r'], series(2)).out.split('\n');
  assert.equal(r[2], '10:00:00    kbmemfree   kbavail kbmemused  %memused kbbuffers  kbcached  kbcommit   %commit  kbactive   kbinact   kbdirty');
  assert.equal(r[3], '10:00:10       500000    600000    100000     10.00         0         0      4096      0.41      1024      3072         0');
});

test('sar -d and -n DEV: one row per device, mounts first, Average per device; -p puts names last', () => {
  const d = run(['-d'], series(3)).out.split('\n');
  assert.equal(d[2], '10:00:00          DEV       tps     rkB/s     wkB/s     dkB/s   areq-sz    aqu-sz     await     %util');
  assert.equal(d[3], '10:00:10            /    150.00    400.00     50.00      0.00      3.00      0.00      0.00      0.00');
  assert.equal(d[4], '10:00:10         pipe      0.00      1.00      1.00      0.00      0.00      0.00      0.00      0.00');
  assert.deepEqual(d.filter((l) => l.startsWith('Average:')).map((l) => l.trim().split(/ +/)[1]), ['/', 'pipe']);
  const p = run(['-d', '-p'], series(2)).out.split('\n');
  assert.equal(p[2], '10:00:00          tps     rkB/s     wkB/s     dkB/s   areq-sz    aqu-sz     await     %util DEV');
  assert.equal(p[3], '10:00:10       150.00    400.00     50.00      0.00      3.00      0.00      0.00      0.00 /');
  const n = run(['-n', 'DEV'], series(2)).out.split('\n');
  assert.equal(n[2], '10:00:00        IFACE   rxpck/s   txpck/s    rxkB/s    txkB/s   rxcmp/s   txcmp/s  rxmcst/s   %ifutil');
  assert.equal(n[3], '10:00:10          tcp      1.00      2.00      1.00      2.00      0.00      0.00      0.00      0.00');
});

test('several reports: each its own section with rows and Average, in sysstat order', () => {
  const out = run(['-q', '-u'], series(3)).out;
  const cpu = out.indexOf('CPU'), q = out.indexOf('runq-sz');
  assert.ok(cpu > 0 && q > cpu, 'CPU comes before the queue, whatever the option order');
  assert.equal(out.match(/^Average:/gm)!.length, 2);
  const a = run(['-A'], series(3)).out;
  for (const h of ['%usr', 'proc/s', 'bread/s', 'DEV', 'IFACE', 'runq-sz', 'kbmemfree']) assert.ok(a.includes(h), h);
});

test('averages of rates are over the whole span (unequal intervals)', () => {
  // 10 s at 10% user, then 30 s at 50% user: (1 + 15) s / 40 s = 40%.
  const s = [snap(at(9, 0, 0)), snap(at(9, 0, 10), { cpuUserNs: 1e9 }), snap(at(9, 0, 40), { cpuUserNs: 16e9 })];
  const lines = run(['-u'], s).out.split('\n');
  assert.match(lines[3]!, /^09:00:10 +all +10\.00 /);
  assert.match(lines[4]!, /^09:00:40 +all +50\.00 /);
  assert.match(lines[5]!, /^Average: +all +40\.00 /);
});

test('-s and -e select a time range of the day: the first sample at or after -s is the reference', () => {
  const s = series(13); // 10:00:00 .. 10:02:00
  const lines = run(['-u', '-s', '10:00:30', '-e', '10:01:00'], s).out.split('\n').filter((l) => /^\d/.test(l));
  assert.deepEqual(lines.map((l) => l.slice(0, 8)), ['10:00:30', '10:00:40', '10:00:50', '10:01:00']);
  const only = run(['-u', '-s', '10:01:30'], s).out.split('\n').filter((l) => /^\d/.test(l));
  assert.deepEqual(only.map((l) => l.slice(0, 8)), ['10:01:30', '10:01:40', '10:01:50', '10:02:00']);
  const none = run(['-u', '-s', '11:00'], s);
  assert.equal(none.status, 0);
  assert.equal(none.out, 'isokernel ? (isokernel) \t2026-12-03 \t_wasm32_\t(1 CPU)\n', 'no samples: the banner only');
  // hh:mm is accepted; -e before -s is not.
  assert.equal(run(['-s', '10:00', '-e', '10:00:20'], s).out.split('\n').filter((l) => /^\d/.test(l)).length, 3);
  assert.equal(run(['-s', '10:00:30', '-e', '10:00:10'], s).status, 1);
});

test('-i keeps samples at least that far apart; -1 is yesterday', () => {
  const lines = run(['-u', '-i', '30'], series(10)).out.split('\n').filter((l) => /^\d/.test(l));
  assert.deepEqual(lines.map((l) => l.slice(0, 8)), ['10:00:00', '10:00:30', '10:01:00', '10:01:30']);
  const yesterday = series(3, new Date(2026, 11, 2, 8, 0).getTime());
  const all = [...yesterday, ...series(3)];
  assert.match(run(['-1'], all).out, /^isokernel .*2026-12-02/);
  assert.match(run(['-1'], all).out, /\n08:00:10 +all/);
  assert.doesNotMatch(run([], all).out, /08:00:10/);
});

test('a kernel restart between samples: a RESTART line, a new reference and header', () => {
  const s = [...series(3), ...series(3, at(11, 0), 'b2')];
  const out = run(['-u'], s).out;
  assert.match(out, /\n11:00:00 +ISOKERNEL RESTART\t\(1 CPU\)\n\n11:00:00 +CPU/);
  assert.equal(out.match(/^\d\d:\d\d:\d\d +all/gm)!.length, 4);
  assert.match(out, /\nAverage: +all +20\.00 /);
  // Counters that went down without a restart never give negative rates.
  const bad = [snap(at(9, 0), { cpuUserNs: 5e9 }), snap(at(9, 0, 10), { cpuUserNs: 1e9 })];
  assert.match(run(['-u'], bad).out, /09:00:10 +all +0\.00 /);
});

test('usage errors: status 1, a message and the usage on stderr', () => {
  for (const [args, msg] of [
    [['-x'], /invalid option -- 'x'/], [['-n', 'SOCK'], /SOCK: not collected/], [['-n', 'BOGUS'], /unknown keyword/],
    [['-s', '25:00'], /-s: expected a time/], [['-s'], /requires an argument/], [['0'], /invalid interval/],
    [['1', '0'], /invalid count/], [['1', '2', '3'], /unexpected argument/], [['--bogus'], /unrecognized option/],
    [['-i', 'x'], /invalid interval for -i/],
  ] as [string[], RegExp][]) {
    const r = run(args, []);
    assert.equal(r.status, 1, args.join(' '));
    assert.match(r.err, msg, args.join(' '));
    assert.match(r.err, /Usage: sar/);
    assert.equal(r.out, '');
  }
  const h = run(['-h'], []);
  assert.equal(h.status, 0);
  assert.match(h.out, /^Usage: sar/);
  // -f is for the host command only, and live reports need a snapshot source.
  assert.match(run(['-f', '/etc/passwd'], []).err, /host command/);
  const s = new SarSession(['-u', '1', '2'], { history: () => [] });
  assert.match(s.start().err, /live reports need a running kernel/);
});

test('the live form: banner and reference, a row per interval, then Average; end() gives the averages so far', () => {
  let i = 0;
  const snaps = series(5);
  let now = at(10, 0);
  const src: SarSource = { snapshot: () => snaps[i++]!, now: () => now };
  const s = new SarSession(['-u', '10', '3'], src);
  let step = s.start();
  assert.equal(step.out, 'isokernel 0.1.0 (testhost) \t2026-12-03 \t_wasm32_\t(1 CPU)\n');
  assert.equal(step.sleepMs, 10_000);
  let out = '';
  for (let k = 0; k < 3; k++) {
    now += 10_000;
    step = s.next();
    out += step.out;
  }
  assert.equal(step.sleepMs, -1);
  assert.equal(step.status, 0);
  assert.equal(out, [
    '',
    '10:00:00        CPU     %user     %nice   %system   %iowait    %steal     %idle',
    '10:00:10        all     20.00      0.00     10.00      0.00      0.00     60.00',
    '10:00:20        all     20.00      0.00     10.00      0.00      0.00     60.00',
    '10:00:30        all     20.00      0.00     10.00      0.00      0.00     60.00',
    'Average:        all     20.00      0.00     10.00      0.00      0.00     60.00',
    '',
  ].join('\n'));
  // Interrupted after one interval of a report without a count; two reports: headers each time.
  i = 0;
  const t = new SarSession(['-u', '-q', '10'], src);
  t.start();
  const one = t.next();
  assert.ok(one.sleepMs >= 0);
  assert.equal(one.out.match(/^\n?10:00:00 /gm)!.length, 2, 'each report with its header');
  const end = t.end();
  assert.equal(end.sleepMs, -1);
  assert.match(end.out, /\nAverage: +CPU +%user/);
  assert.match(end.out, /\nAverage: +runq-sz/);
  assert.equal(t.next().out, '', 'over');
});

test('a history report reads at most MAX_REPORT_SAMPLES samples, and says so', async () => {
  const { MAX_REPORT_SAMPLES } = await import('../../src/metrics/sar.ts');
  const many: Snapshot[] = [];
  for (let i = 0; i < MAX_REPORT_SAMPLES + 5; i++) many.push(snap(at(0, 0) + i * 1000));
  const r = run(['-q'], many);
  assert.equal(r.status, 0);
  assert.match(r.err, /^sar: more than 20000 samples in the range: the report stops at 05:33:19; narrow it with -s and -e\n$/);
  assert.equal(r.out.match(/^\d\d:\d\d:\d\d +\d/gm)!.length, MAX_REPORT_SAMPLES - 1);
});

test('MonotoneSplit: user and system never go down, their sum stays exact', async () => {
  const { MonotoneSplit } = await import('../../src/metrics/snapshot.ts');
  const m = new MonotoneSplit();
  assert.deepEqual(m.apply(80, 20), { userNs: 80, sysNs: 20 });
  // The estimate of system time jumps (user "falls" to 10): only the growth (10) can go to system.
  assert.deepEqual(m.apply(10, 100), { userNs: 80, sysNs: 30 });
  // The estimate falls back: system stays, user takes the growth.
  assert.deepEqual(m.apply(100, 20), { userNs: 90, sysNs: 30 });
  // No growth: nothing moves.
  assert.deepEqual(m.apply(0, 120), { userNs: 90, sysNs: 30 });
  let prev = { userNs: 0, sysNs: 0 };
  const r = new MonotoneSplit();
  for (let total = 0; total < 10_000; total += 7) {
    const sys = (total * 0.37 * (1 + Math.sin(total))) % (total + 1);
    const now = r.apply(total - sys, sys);
    assert.ok(now.userNs >= prev.userNs && now.sysNs >= prev.sysNs);
    assert.ok(Math.abs(now.userNs + now.sysNs - total) < 1e-6);
    prev = now;
  }
});
