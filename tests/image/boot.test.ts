// Booting images (src/image/boot.ts, `isokernel boot`): build → boot round trip, what PID 1
// sees, read-only image files, persistent /var across reboots, host SIGTERM, refusals. Most
// tests use a stand-in init (tests/image/fixtures/sbin/init.ts) so that they test boot, not
// init; one boots the demo image with the real userland/sbin/init.ts.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { bootImage } from '../../src/image/boot.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'src', 'cli', 'entry.ts');
const SBIN = join(import.meta.dirname, 'fixtures', 'sbin');
const HEARTBEAT = join(ROOT, 'examples', 'demo-image', 'bin', 'heartbeat.wasm');
/** init's stdout and stderr: ISK_TEST_DEBUG=1 shows them. */
const STDIO: ['inherit' | 'capture', 'inherit' | 'capture'] = process.env.ISK_TEST_DEBUG ? ['inherit', 'inherit'] : ['capture', 'capture'];
const tmp = mkdtempSync(join(tmpdir(), 'isk-boot-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function makeImage(dir: string, interval = 20): void {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'bin', 'hb.wasm'), readFileSync(HEARTBEAT), { mode: 0o755 });
  writeFileSync(join(dir, 'motd'), 'welcome\n');
  writeFileSync(join(dir, 'isokernel.toml'), `name = "bt"
version = "0.1.0"
hostname = "bt-host"

[[mounts]]
path = "/scratch"
type = "tmpfs"
size = "1MiB"

[services.hb]
program = "bin/hb.wasm"
args = ["-i", "${interval}", "-d", "/var/lib/hb", "-q"]
`);
}

function build(dir: string, out: string): void {
  const r = spawnSync(process.execPath, [CLI, 'build', dir, '-o', out], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
}

/** Runs a program in the booted kernel; its exit status and output. */
async function run(b: Awaited<ReturnType<typeof bootImage>>, argv: string[]): Promise<{ status: number; out: string }> {
  const target = await b.kernel.findProgram(argv[0]!, argv);
  const p = b.kernel.spawn({ program: target.program, args: target.argv, stdio: ['null', 'capture', 'capture'] });
  const st = await p.exited;
  return { status: st.status, out: p.output(1).toString() + p.output(2).toString() };
}

const beats = (state: string): number => Number(readFileSync(join(state, 'var', 'lib', 'hb', 'count'), 'utf8'));

test('boot-file: an image file boots; PID 1 sees its pipes, /etc manifest, /sbin, mounts', async () => {
  const dir = join(tmp, 'img1');
  makeImage(dir);
  const file = join(tmp, 'img1.isk');
  build(dir, file);
  const state = join(tmp, 'state1');
  const b = await bootImage({ image: file, stateDir: state, sbin: SBIN, stdio: STDIO });
  try {
    assert.equal(b.init.pid, 1);
    assert.match(b.digest!, /^[0-9a-f]{64}$/);
    const list = await b.ready;
    assert.deepEqual(list.map((s) => [s.name, s.state]), [['hb', 'running']]);
    const saw = JSON.parse(readFileSync(join(state, 'var', 'init-saw.json'), 'utf8'));
    assert.equal(saw.pid, 1);
    assert.equal(saw.name, 'bt');
    assert.deepEqual(saw.fds34, ['fifo', 'fifo']);
    assert.ok(saw.sbin.includes('init.ts'));
    for (const d of ['app', 'etc', 'sbin', 'tmp', 'var', 'bin', 'dev', 'scratch']) assert.ok(saw.root.includes(d), d);
    // /etc/isokernel/manifest.json is the normalized manifest.
    const m = await run(b, ['/bin/cat', '/etc/isokernel/manifest.json']);
    assert.equal(JSON.parse(m.out).services[0].program, '/app/bin/hb.wasm');
    assert.equal((await run(b, ['/bin/cat', '/app/motd'])).out, 'welcome\n');
    // The image is read-only; /tmp and /scratch are not; /scratch is 1 MiB at most.
    const ro = await run(b, ['/bin/touch', '/app/new']);
    assert.notEqual(ro.status, 0);
    assert.match(ro.out, /Read-only file system/);
    assert.equal((await run(b, ['/bin/touch', '/tmp/new', '/scratch/new'])).status, 0);
    const big = await run(b, ['/bin/sh', '-c', 'head -c 2000000 /dev/zero > /scratch/big']);
    assert.notEqual(big.status, 0);
    assert.equal((await run(b, ['/bin/hostname'])).out, 'bt-host\n');
    // The service writes to /var = STATE/var.
    for (let i = 0; i < 200 && !existsSync(join(state, 'var', 'lib', 'hb', 'count')); i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(beats(state) >= 1);
    // Requests reach init over its pipe.
    const r = await b.request({ op: 'service', action: 'status' });
    assert.equal(r.ok, true);
  } finally {
    const st = await b.shutdown();
    assert.equal(st.status, 0);
  }
});

test('boot-persist: /var survives a reboot; a directory image boots too', async () => {
  const dir = join(tmp, 'img2');
  makeImage(dir);
  const state = join(tmp, 'state2');
  let first = 0;
  {
    const b = await bootImage({ image: dir, stateDir: state, sbin: SBIN, stdio: STDIO });
    try {
      assert.equal(b.digest, null);
      await b.ready;
      for (let i = 0; i < 400 && (!existsSync(join(state, 'var', 'lib', 'hb', 'count')) || beats(state) < 3); i++) await new Promise((r) => setTimeout(r, 25));
    } finally {
      assert.equal((await b.shutdown()).status, 0);
    }
    first = beats(state);
    assert.ok(first >= 3, `${first} beats`);
  }
  {
    const b = await bootImage({ image: dir, stateDir: state, sbin: SBIN, stdio: STDIO });
    try {
      await b.ready;
      for (let i = 0; i < 400 && beats(state) <= first; i++) await new Promise((r) => setTimeout(r, 25));
    } finally {
      assert.equal((await b.shutdown()).status, 0);
    }
    assert.ok(beats(state) > first);
  }
  // The records go on from where they were: 1, 2, 3 ... with no gap or repeat.
  const lines = readFileSync(join(state, 'var', 'lib', 'hb', 'beats.log'), 'utf8').trim().split('\n');
  lines.forEach((l, i) => assert.match(l, new RegExp(`^beat ${i + 1} [0-9a-f]{8}$`)));
});

test('boot-refused: missing image, bad manifest, not an image, no init', async () => {
  await assert.rejects(bootImage({ image: join(tmp, 'nope'), stateDir: join(tmp, 's') }), /no such file or directory/);
  const bad = join(tmp, 'bad');
  mkdirSync(bad, { recursive: true });
  writeFileSync(join(bad, 'isokernel.toml'), 'name = "b"\n[services.x]\nprogram = "/bin/true"\nrestart = "sometimes"\n');
  await assert.rejects(bootImage({ image: bad, stateDir: join(tmp, 's') }), /isokernel\.toml:4:11: services\.x\.restart: expected one of "no", "on-failure", "always"/);
  writeFileSync(join(tmp, 'text.isk'), 'hello, not an image\n'.repeat(100));
  await assert.rejects(bootImage({ image: join(tmp, 'text.isk'), stateDir: join(tmp, 's') }), /not an image file/);
  const ok = join(tmp, 'ok');
  mkdirSync(ok, { recursive: true });
  writeFileSync(join(ok, 'isokernel.toml'), 'name = "ok"\n');
  await assert.rejects(bootImage({ image: ok, stateDir: join(tmp, 's'), sbin: join(tmp, 'empty-sbin') }), /no init/);
  const noexec = join(tmp, 'noexec-sbin');
  mkdirSync(noexec, { recursive: true });
  writeFileSync(join(noexec, 'init.ts'), 'export {};\n', { mode: 0o644 });
  await assert.rejects(bootImage({ image: ok, stateDir: join(tmp, 's'), sbin: noexec }), /cannot start .*init\.ts as \/sbin\/init\.ts: EACCES/);
  writeFileSync(join(ok, 'isokernel.toml'), 'name = "ok"\n[[mounts]]\npath = "/data"\ntype = "host"\nsource = "/nonexistent-isk-dir"\n');
  await assert.rejects(bootImage({ image: ok, stateDir: join(tmp, 's'), sbin: SBIN }), /mount \/data: host directory \/nonexistent-isk-dir does not exist/);
});

test('boot-cli: `isokernel boot` runs until SIGTERM, then exits with init\'s status', async () => {
  const dir = join(tmp, 'img3');
  makeImage(dir, 200);
  const state = join(tmp, 'state3');
  const child = spawn(process.execPath, [CLI, 'boot', dir, '--state', state, '--sbin', SBIN], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8');
  await new Promise<void>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`not ready in 60 s: ${err}`)), 60_000);
    child.stderr.on('data', (d: string) => {
      err += d;
      if (/1 services ready in \d+ ms/.test(err)) {
        clearTimeout(t);
        res();
      }
    });
  });
  assert.match(err, /isokernel: booted bt 0\.1\.0, state /);
  // The control socket is there, mode 0600.
  assert.ok(existsSync(join(state, 'control.sock')));
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
  assert.equal(code, 0, err);
  assert.match(err, /init ended: status 0/);
});

test('boot-real-init: with the real init (userland/sbin/init.ts) every service gets ready, and stops on shutdown', { skip: existsSync(join(ROOT, 'userland', 'sbin', 'init.ts')) ? false : 'userland/sbin/init.ts is not in this tree' }, async () => {
  const dir = join(tmp, 'img-real');
  makeImage(dir, 50);
  writeFileSync(join(dir, 'isokernel.toml'), readFileSync(join(dir, 'isokernel.toml'), 'utf8') + `
[services.hb2]
program = "bin/hb.wasm"
args = ["-i", "50", "-d", "/var/lib/hb2", "-r", "/tmp/hb2.ready"]
depends_on = ["hb"]
readiness = { file = "/tmp/hb2.ready", timeout = "30s" }

[cron.tick]
schedule = "* * * * *"
command = "true"
`);
  const state = join(tmp, 'state-real');
  const b = await bootImage({ image: dir, stateDir: state, stdio: STDIO });
  try {
    const list = await b.ready;
    for (const name of ['hb', 'hb2']) assert.ok(list.some((s) => s.name === name && s.state === 'running'), JSON.stringify(list));
  } finally {
    assert.equal((await b.shutdown()).status, 0);
  }
  assert.ok(existsSync(join(state, 'var', 'lib', 'hb2', 'count')));
});

/** Whether nothing listens on 127.0.0.1:PORT (the demo's web server wants 8080). */
async function portFree(port: number): Promise<boolean> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

test('boot-demo: examples/demo-image boots to every service ready (heartbeat, web), serves, stops', async (t) => {
  if (!(await portFree(8080))) return t.skip('127.0.0.1:8080 is taken');
  const state = join(tmp, 'state-demo');
  const b = await bootImage({ image: join(ROOT, 'examples', 'demo-image'), stateDir: state, stdio: STDIO });
  try {
    const list = await b.ready;
    for (const name of ['heartbeat', 'web']) assert.ok(list.some((s) => s.name === name && s.state === 'running'), JSON.stringify(list));
    const res = await fetch('http://127.0.0.1:8080/');
    assert.equal(res.status, 200);
    assert.match(await res.text(), /isokernel demo/);
  } finally {
    assert.equal((await b.shutdown()).status, 0);
  }
  // The C service wrote to the persistent /var; syslogd wrote the logs there too.
  assert.ok(existsSync(join(state, 'var', 'lib', 'heartbeat', 'count')));
  assert.ok(existsSync(join(state, 'var', 'log', 'messages.log')));
});
