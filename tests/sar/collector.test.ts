// The activity collector: samples into SQLite at a short interval, counters that survive the
// processes, retention, a corrupt database, bad options; /dev/sa and the in-image sar program;
// the host command reading the database.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import dc from 'node:diagnostics_channel';
import { Kernel } from '../../src/kernel/kernel.ts';
import { Collector } from '../../src/metrics/collector.ts';
import { SaStore } from '../../src/metrics/store.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SH = path.join(ROOT, 'userland/bin/sh');
const SAR = path.join(ROOT, 'userland/bin/sar');
const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'sar-test-'));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Resolves after `n` more samples are stored. */
function samples(n: number): Promise<void> {
  const ch = dc.channel('isokernel:metrics:sample');
  return new Promise((resolve) => {
    let seen = 0;
    const on = (): void => {
      if (++seen >= n) {
        ch.unsubscribe(on);
        resolve();
      }
    };
    ch.subscribe(on);
  });
}

test('samples go into the database at the interval; counters include processes that ended', async () => {
  const db = path.join(tmp(), 'sa.db');
  const k = await Kernel.boot({ metrics: { intervalMs: 150, db } });
  try {
    assert.ok(k.metrics);
    const p = k.spawn({ program: SH, args: ['sh', '-c', 'yes | head -c 1000000 > /tmp/x; cat /tmp/x > /dev/null'], stdio: ['null', 'null', 'inherit'] });
    assert.equal((await p.exited).status, 0);
    await samples(3);
  } finally {
    await k.shutdown();
  }
  const s = new SaStore(db, { readOnly: true });
  try {
    const rows = s.range(0, Date.now() + 1000);
    assert.ok(rows.length >= 4, `${rows.length} samples`);
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1]!, b = rows[i]!;
      assert.ok(b.t >= a.t);
      assert.equal(b.boot, a.boot);
      for (const f of ['cpuUserNs', 'cpuSysNs', 'syscalls', 'ioRbytes', 'ioWbytes', 'procsCreated', 'cswch', 'ioRops', 'ioWops'] as const) {
        assert.ok(b[f] >= a[f], `${f} never goes down: ${a[f]} -> ${b[f]}`);
      }
    }
    const last = rows[rows.length - 1]!;
    // sh, yes, head, cat: the process ended, its work stays in the counters.
    assert.ok(last.procsCreated >= 4, `created ${last.procsCreated}`);
    assert.ok(last.ioWbytes >= 2_000_000, `written ${last.ioWbytes}`); // through the pipe, then the file
    assert.ok(last.ioRbytes >= 2_000_000, `read ${last.ioRbytes}`);
    assert.ok(last.cpuUserNs + last.cpuSysNs > 0);
    assert.ok(last.disk['/']!.wbytes >= 1_000_000, 'file bytes by mount');
    assert.ok(last.disk.pipe!.wbytes >= 1_000_000, 'pipe bytes by kind');
    assert.deepEqual(Object.keys(last.net).sort(), ['socket'], 'the sockets keep no counters by kind: one row');
    assert.ok(last.memTotalKb > 0 && last.rssKb > 0);
    assert.equal(last.nproc, 0, 'after shutdown');
    assert.equal(s.stats().count, rows.length);
  } finally {
    s.close();
  }
});

test('retention: old samples are pruned at start; the schema is checked; a corrupt file is moved aside', async () => {
  const dir = tmp();
  const db = path.join(dir, 'sa.db');
  const k = await Kernel.boot({ metrics: { intervalMs: 60_000, db } });
  const now = Date.now();
  const old = { ...k.metrics!.tracker.snapshot(), t: now - 8 * 86_400_000 };
  k.metrics!.store.insert(old);
  k.metrics!.store.insert({ ...old, t: now - 3 * 86_400_000 });
  await k.shutdown();
  const k2 = await Kernel.boot({ metrics: { intervalMs: 60_000, retentionMs: 7 * 86_400_000, db } });
  const st = k2.metrics!.store.stats();
  await k2.shutdown();
  assert.ok(st.first! > now - 7 * 86_400_000, 'the 8-day-old sample is gone');
  assert.ok(st.first! <= now - 3 * 86_400_000, 'the 3-day-old one is kept');

  const bad = path.join(dir, 'bad.db');
  writeFileSync(bad, 'this is not a database, it is a text file long enough to have a header.............................');
  const k3 = await Kernel.boot({ metrics: { intervalMs: 60_000, db: bad } });
  await k3.shutdown();
  assert.ok(readdirSync(dir).some((f) => f.startsWith('bad.db.corrupt-')), 'moved aside');
  assert.ok(new SaStore(bad, { readOnly: true }).stats().count >= 1, 'a new database in its place');

  await assert.rejects(Kernel.boot({ metrics: { intervalMs: 10 } }), /interval 10 ms/);
  await assert.rejects(Kernel.boot({ metrics: { intervalMs: 1000, retentionMs: 10 } }), /retention/);
  await assert.rejects(Kernel.boot({ metrics: { listen: '0.0.0.0:9100' } }), /loopback/);
  await assert.rejects(Kernel.boot({ metrics: { db: path.join(dir, 'no/such/dir/sa.db') } }), /activity database/);
  assert.throws(() => new SaStore(path.join(dir, 'missing.db'), { readOnly: true }), /no activity database/);
  // One collector per kernel (it owns /dev/sa).
  const k4 = await Kernel.boot({ metrics: true });
  await assert.rejects(Collector.start(k4, {}), /one activity collector per kernel/);
  await k4.shutdown();
});

test('/dev/sa: the in-image sar program gets the same report; live, interrupted, and errors', async () => {
  const k = await Kernel.boot({ metrics: { intervalMs: 100 } });
  try {
    await samples(3);
    const run = async (args: string[]): Promise<{ status: number; out: string; err: string }> => {
      const p = k.spawn({ program: SAR, args: ['sar', ...args], stdio: ['null', 'capture', 'capture'] });
      const st = await p.exited;
      return { status: st.status, out: p.output(1).toString(), err: p.output(2).toString() };
    };
    const h = await run(['-q']);
    assert.equal(h.status, 0, h.err);
    assert.match(h.out, /^isokernel 0\.1\.0 \(isokernel\) \t\d{4}-\d\d-\d\d \t_wasm32_\t\(1 CPU\)\n\n\d\d:\d\d:\d\d +runq-sz +plist-sz/);
    assert.match(h.out, /\nAverage: +\d+ +\d+ +\d+\.\d\d/);
    const live = await run(['-u', '1', '2']);
    assert.equal(live.status, 0, live.err);
    assert.equal(live.out.match(/^\d\d:\d\d:\d\d +all /gm)!.length, 2);
    assert.match(live.out, /\nAverage: +all /);
    const bad = await run(['-z']);
    assert.equal(bad.status, 1);
    assert.match(bad.err, /^sar: invalid option -- 'z'\nUsage: sar/);
    assert.match((await run(['-f', '/x'])).err, /host command/);
    // SIGINT during a live report without a count: the averages so far, status 0.
    const p = k.spawn({ program: SAR, args: ['sar', '-u', '1'], stdio: ['null', 'capture', 'capture'] });
    for (const until = Date.now() + 30_000; Date.now() < until && !/^\d\d:\d\d:\d\d +all /m.test(p.output(1).toString());) {
      await new Promise((r) => setTimeout(r, 100));
    }
    k.kill(p.pid, 2);
    const st = await p.exited;
    assert.equal(st.status, 0, p.output(2).toString());
    assert.match(p.output(1).toString(), /\nAverage: +all /);
    // The device's protocol errors: a request not NUL-terminated, next without a report.
    const sh = k.spawn({
      program: SH, args: ['sh', '-c', 'exec 3<>/dev/sa; printf next >&3; cat <&3; echo "st=$?"; printf "sar\\0-q\\0" >&3; head -c 6 <&3; echo'],
      stdio: ['null', 'capture', 'capture'],
    });
    await sh.exited;
    assert.match(sh.output(2).toString(), /Invalid argument/);
    assert.match(sh.output(1).toString(), /st=1\n1 \d+\n/);
  } finally {
    await k.shutdown();
  }
});

test('without a collector there is no /dev/sa, and sar says so', async () => {
  const k = await Kernel.boot({});
  try {
    const p = k.spawn({ program: SAR, args: ['sar'], stdio: ['null', 'capture', 'capture'] });
    assert.equal((await p.exited).status, 1);
    assert.match(p.output(2).toString(), /cannot open \/dev\/sa \(this kernel has no activity collector\): No such file or directory/);
  } finally {
    await k.shutdown();
  }
});

test('isokernel sar --state DIR reads STATE/sa.db when no image runs (-s/-e, -f), and says when there is none', async () => {
  const state = tmp();
  const k = await Kernel.boot({ metrics: { intervalMs: 100, db: path.join(state, 'sa.db') } });
  await samples(4);
  await k.shutdown();
  const cli = (args: string[]): Promise<{ code: number; out: string; err: string }> =>
    promisify(execFile)(path.join(ROOT, 'bin/isokernel'), args, { timeout: 30_000 }).then(
      (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }));
  const r = await cli(['sar', '--state', state, '-u', '-b']);
  assert.equal(r.code, 0, r.err);
  assert.ok(r.out.match(/^\d\d:\d\d:\d\d +all /gm)!.length >= 3, r.out);
  assert.match(r.out, /tps +rtps +wtps/);
  const f = await cli(['sar', '-f', path.join(state, 'sa.db'), '-q', '-s', '00:00:00', '-e', '23:59:59']);
  assert.equal(f.code, 0, f.err);
  assert.match(f.out, /runq-sz/);
  const none = await cli(['sar', '--state', path.join(state, 'nothing-here')]);
  assert.equal(none.code, 1);
  assert.match(none.err, /no activity database/);
  const live = await cli(['sar', '--state', state, '-u', '1', '1']);
  assert.equal(live.code, 1);
  assert.match(live.err, /live reports need a running kernel/);
});

test('isokernel sar against a running kernel: history from sa.db beside it, live through the control socket\'s sar op, SIGINT gives the averages', async () => {
  const state = tmp();
  const k = await Kernel.boot({ metrics: { intervalMs: 100, db: path.join(state, 'sa.db') } });
  const { startControlServer } = await import('../../src/image/control.ts');
  const server = await startControlServer({ kernel: k, stateDir: state });
  try {
    await samples(3);
    const bin = path.join(ROOT, 'bin/isokernel');
    const h = await promisify(execFile)(bin, ['sar', '--state', state, '-w'], { timeout: 30_000 });
    assert.match(h.stdout, /proc\/s +cswch\/s\n/);
    assert.match(h.stdout, /\nAverage: +\d+\.\d\d +\d+\.\d\d\n$/);
    const live = await promisify(execFile)(bin, ['sar', '--state', state, '-q', '1', '2'], { timeout: 30_000 });
    assert.equal(live.stdout.match(/^\d\d:\d\d:\d\d +\d+ +\d+ /gm)!.length, 2, live.stdout);
    assert.match(live.stdout, /\nAverage: /);
    const bad = await promisify(execFile)(bin, ['sar', '--state', state, '-y'], { timeout: 30_000 }).catch((e: { code: number; stderr: string }) => e);
    assert.equal((bad as { code: number }).code, 1);
    assert.match((bad as { stderr: string }).stderr, /invalid option -- 'y'/);
    // Interrupted: the child gets SIGINT after two intervals and prints the averages.
    const child = execFile(bin, ['sar', '--state', state, '-u', '1'], { timeout: 30_000 });
    let out = '';
    child.stdout!.on('data', (d: string) => (out += d));
    for (const until = Date.now() + 30_000; Date.now() < until && !/^\d\d:\d\d:\d\d +all /m.test(out);) {
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    assert.equal(code, 0, out);
    assert.match(out, /\nAverage: +all /);
  } finally {
    await server.close();
    await k.shutdown();
  }
});

test('socket traffic shows in -n DEV (NET\'s unix_echo: 300,000 bytes each way)', async (t) => {
  const BIN = path.join(ROOT, 'tests/net/bin');
  const { existsSync } = await import('node:fs');
  if (!existsSync(path.join(BIN, 'unix_echo.wasm'))) {
    t.skip('tests/net/bin/unix_echo.wasm is not built');
    return;
  }
  const k = await Kernel.boot({ metrics: { intervalMs: 60_000 }, mounts: [{ path: '/t', fs: { type: 'hostfs', host: BIN, readOnly: true } }] });
  try {
    const before = k.metrics!.sampleNow()!;
    const p = k.spawn({ program: path.join(BIN, 'unix_echo.wasm'), args: ['/t/unix_echo.wasm'], stdio: ['null', 'capture', 'capture'] });
    assert.equal((await p.exited).status, 0, p.output(2).toString());
    const after = k.metrics!.sampleNow()!;
    const key = Object.keys(after.net).includes('unix') ? 'unix' : 'socket';
    assert.ok(after.net[key]!.rbytes - (before.net[key]?.rbytes ?? 0) >= 600_000, JSON.stringify(after.net));
    assert.ok(after.net[key]!.wbytes - (before.net[key]?.wbytes ?? 0) >= 600_000, JSON.stringify(after.net));
    const step = k.metrics!.sar(['-n', 'DEV', '-s', '00:00:00']).start();
    assert.match(step.out, new RegExp(`\\n\\d\\d:\\d\\d:\\d\\d +${key} +\\d+\\.\\d\\d +\\d+\\.\\d\\d +[1-9]\\d*\\.\\d\\d +[1-9]`));
  } finally {
    await k.shutdown();
  }
});
