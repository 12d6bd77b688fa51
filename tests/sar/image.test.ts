// [metrics] in the manifest, and a booted image: STATE/sa.db, /dev/sa, the control socket's
// sar op, and Prometheus with the services' names as labels.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseManifest } from '../../src/image/manifest.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test('[metrics]: defaults, values, and errors with file:line', () => {
  assert.deepEqual(parseManifest('name = "x"\n').metrics, { enabled: true, intervalMs: 10_000, retentionMs: 7 * 86_400_000, listen: null });
  assert.deepEqual(parseManifest('name = "x"\n[metrics]\ninterval = "2s"\nretention = "1d"\nlisten = "[::1]:9100"\nenabled = true\n').metrics,
    { enabled: true, intervalMs: 2000, retentionMs: 86_400_000, listen: '[::1]:9100' });
  assert.equal(parseManifest('name = "x"\n[metrics]\nenabled = false\n').metrics!.enabled, false);
  for (const [toml, msg] of [
    ['interval = "10ms"', /isokernel\.toml:3:\d+: metrics\.interval: expected a duration from "100ms" to "1d"/],
    ['listen = "0.0.0.0:9100"', /metrics\.listen: "0\.0\.0\.0" is not a loopback address/],
    ['listen = "127.0.0.1"', /metrics\.listen: expected HOST:PORT/],
    ['interval = "1h"\nretention = "1m"', /metrics\.retention: expected at least the interval/],
    ['bogus = 1', /metrics\.bogus: unknown key "bogus"/],
  ] as [string, RegExp][]) {
    assert.throws(() => parseManifest(`name = "x"\n[metrics]\n${toml}\n`), msg, toml);
  }
});

test('a booted image samples into STATE/sa.db; sar inside and from the host; Prometheus labels services', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sar-image-'));
  dirs.push(dir);
  const image = path.join(dir, 'image');
  const state = path.join(dir, 'state');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(image);
  writeFileSync(path.join(image, 'isokernel.toml'), [
    'name = "sartest"', 'hostname = "sarhost"',
    '[services.napper]', 'program = "/bin/sleep"', 'args = ["60"]',
    '[metrics]', 'interval = "200ms"', 'listen = "127.0.0.1:0"', '',
  ].join('\n'));
  const { bootImage } = await import('../../src/image/boot.ts');
  const b = await bootImage({ image, stateDir: state });
  try {
    await b.ready;
    const c = b.kernel.metrics!;
    for (const until = Date.now() + 30_000; Date.now() < until && c.samples < 3;) await new Promise((r) => setTimeout(r, 100));
    assert.ok(c, 'the collector runs');
    assert.equal(c.intervalMs, 200);
    assert.ok(existsSync(path.join(state, 'sa.db')));
    assert.ok(c.samples >= 3, `${c.samples} samples`);
    // Inside: the image's sar through /dev/sa.
    const p = b.kernel.spawn({ program: path.join(ROOT, 'userland/bin/sar'), args: ['sar', '-u'], stdio: ['null', 'capture', 'capture'] });
    assert.equal((await p.exited).status, 0, p.output(2).toString());
    assert.match(p.output(1).toString(), /^isokernel 0\.1\.0 \(sarhost\) /);
    assert.match(p.output(1).toString(), /\nAverage: +all /);
    // From the host: the control socket's sar op.
    const h = await promisify(execFile)(path.join(ROOT, 'bin/isokernel'), ['sar', '--state', state, '-q'], { timeout: 30_000 });
    assert.match(h.stdout, /\(sarhost\)/);
    assert.match(h.stdout, /runq-sz +plist-sz/);
    // The image's own /bin/sar, run from the host by exec.
    const e = await promisify(execFile)(path.join(ROOT, 'bin/isokernel'), ['exec', '--state', state, 'sar', '-b'], { timeout: 30_000 });
    assert.match(e.stdout, /tps +rtps +wtps +dtps +bread\/s/);
    assert.match(e.stdout, /\nAverage: /);
    // Prometheus: the service by its manifest name.
    const text = await (await fetch(c.server!.url)).text();
    assert.match(text, /\nisokernel_service_processes\{service="napper"\} 1\n/);
    assert.match(text, /\nisokernel_process_memory_bytes\{pid="\d+",name="sleep",service="napper"\} \d+\n/);
  } finally {
    await b.shutdown();
  }
  assert.ok(b.kernel.metrics!.stopped, 'stopped with the image');
});
