// A real Prometheus scrapes the kernel's endpoint (Debian's `prometheus` package: .ci/run
// installs it; the test skips without it), and promtool lints the exposition.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kernel } from '../../src/kernel/kernel.ts';
import { exposition } from '../../src/metrics/prometheus.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SH = path.join(ROOT, 'userland/bin/sh');

async function have(cmd: string): Promise<boolean> {
  try {
    await promisify(execFile)(cmd, ['--version']);
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

test('promtool check metrics accepts the exposition', async (t) => {
  if (!(await have('promtool'))) return t.skip('promtool is not installed (Debian: prometheus)');
  const k = await Kernel.boot({ metrics: { intervalMs: 60_000 } });
  try {
    const p = k.spawn({ program: SH, args: ['sh', '-c', 'yes | head -c 100000 > /dev/null; sleep 30'], stdio: ['null', 'null', 'inherit'] });
    await new Promise((r) => setTimeout(r, 400));
    const text = exposition(k.metrics!);
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const c = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      c.stdout.on('data', (d) => (out += d));
      c.stderr.on('data', (d) => (out += d));
      c.on('exit', (code) => resolve({ code, out }));
      c.stdin.end(text);
    });
    assert.equal(r.code, 0, r.out);
    assert.equal(r.out.trim(), '', 'no lint findings');
    k.kill(p.pid, 9);
  } finally {
    await k.shutdown();
  }
});

test('a real Prometheus scrapes the endpoint: up == 1 and the kernel\'s series queryable', async (t) => {
  if (!(await have('prometheus'))) return t.skip('prometheus is not installed (Debian: prometheus)');
  const k = await Kernel.boot({ metrics: { intervalMs: 60_000, listen: '127.0.0.1:0' } });
  const dir = mkdtempSync(path.join(tmpdir(), 'sar-prom-'));
  let prom: ReturnType<typeof spawn> | null = null;
  try {
    const sleeper = k.spawn({ program: SH, args: ['sh', '-c', 'sleep 60'], stdio: ['null', 'null', 'inherit'] });
    const target = `127.0.0.1:${k.metrics!.server!.port}`;
    writeFileSync(path.join(dir, 'prometheus.yml'), [
      'global:', '  scrape_interval: 1s', '  scrape_timeout: 1s',
      'scrape_configs:', '  - job_name: isokernel', '    static_configs:', `      - targets: ['${target}']`, '',
    ].join('\n'));
    const port = await freePort();
    let log = '';
    prom = spawn('prometheus', [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
    prom.stdout!.on('data', (d) => (log += d));
    prom.stderr!.on('data', (d) => (log += d));
    const api = `http://127.0.0.1:${port}/api/v1/query?query=`;
    const query = async (q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> => {
      const r = await fetch(api + encodeURIComponent(q));
      const j = await r.json() as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      assert.equal(j.status, 'success');
      return j.data.result;
    };
    // Wait for a successful scrape (Prometheus starts in 1-3 s; scrapes every second).
    const deadline = Date.now() + 40_000;
    let up: string | undefined;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      try {
        up = (await query('up{job="isokernel"}'))[0]?.value[1];
        if (up === '1' && (await query('isokernel_process_memory_bytes{name="sleep"}')).length > 0) break;
      } catch {
        // not listening yet
      }
    }
    assert.equal(up, '1', `Prometheus's scrape of ${target} did not succeed:\n${log}`);
    const created = await query('isokernel_processes_created_total');
    assert.ok(Number(created[0]!.value[1]) >= 2);
    const mem = await query(`isokernel_process_memory_bytes{pid="${sleeper.pid}"}`);
    assert.equal(mem[0]?.metric.name, 'sh', JSON.stringify(mem));
    assert.ok(Number(mem[0]!.value[1]) > 0);
    const child = await query('isokernel_process_memory_bytes{name="sleep",service="sleep"}');
    assert.equal(child.length, 1, 'the shell\'s sleep, labelled by its program');
    const cpu = await query('sum by (mode) (isokernel_cpu_seconds_total)');
    assert.deepEqual(cpu.map((r) => r.metric.mode).sort(), ['system', 'user']);
    const health = await query('scrape_samples_scraped{job="isokernel"}');
    assert.ok(Number(health[0]!.value[1]) > 50, 'the whole exposition was ingested');
  } finally {
    if (prom && prom.exitCode === null) {
      const gone = new Promise((r) => prom!.once('exit', r));
      prom.kill('SIGTERM');
      await gone;
    }
    await k.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
});
