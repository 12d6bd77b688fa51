// `isokernel logs` against a booted image (src/cli/logs.ts → the control socket's `logs` op,
// src/image/logs-op.ts): init gives each service log streams, syslogd writes /var/log, and
// the host command reads them back: all lines, one service's, the last N (into rotated
// files), and -f following new lines across a rotation.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bootImage } from '../../src/image/boot.ts';
import { dropJsSpares } from '../../src/kernel/jsproc/pool.ts';
import { parseLine } from '../../userland/sbin/sysloglib/format.ts';
import { ROOT, until } from './helpers.ts';

const CLI = path.join(ROOT, 'src/cli/entry.ts');
const tmp = mkdtempSync(path.join(tmpdir(), 'isk-logs-'));
const STATE = path.join(tmp, 'state');
let booted: Awaited<ReturnType<typeof bootImage>>;
let down = false;

function makeImage(dir: string): void {
  mkdirSync(path.join(dir, 'bin'), { recursive: true });
  // talker: a numbered line on stdout every 20 ms, and one on stderr every 10th.
  writeFileSync(path.join(dir, 'bin/talker.mjs'), `
let i = 0;
setInterval(() => {
  console.log('tick ' + i);
  if (i % 10 === 0) console.error('oops ' + i);
  i++;
}, 20);
`, { mode: 0o755 });
  writeFileSync(path.join(dir, 'bin/quiet.mjs'), `console.log('quiet started'); setInterval(() => {}, 1000);\n`, { mode: 0o755 });
  writeFileSync(path.join(dir, 'isokernel.toml'), `name = "logs-test"
version = "0.1.0"
hostname = "logbox"

[services.talker]
program = "bin/talker.mjs"

[services.quiet]
program = "bin/quiet.mjs"

[logs.files.all]
match = ["*"]

[logs.files.talker]
match = ["talker"]
rotate = { size = "4KiB", keep = 50 }
`);
}

/** The host command, run asynchronously: the kernel it talks to runs in this process. */
function cli(args: string[], state = STATE): Promise<{ status: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [CLI, 'logs', '--state', state, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    c.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const timer = setTimeout(() => c.kill('SIGKILL'), 60_000);
    c.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, out, err });
    });
  });
}

const ticks = (out: string): number[] => out.split('\n').filter(Boolean).map((l) => parseLine(l)!).filter((p) => p.msg.startsWith('tick ')).map((p) => Number(p.msg.slice(5)));

before(async () => {
  const img = path.join(tmp, 'img');
  makeImage(img);
  booted = await bootImage({ image: img, stateDir: STATE, stdio: ['capture', 'capture'] });
  await booted.ready;
  // Enough lines for a few rotations of talker.log (4 KiB ≈ 50 lines).
  await until(() => {
    try {
      return readdirSync(path.join(STATE, 'var/log')).filter((n) => n.startsWith('talker.log.')).length >= 3;
    } catch {
      return false;
    }
  }, 60_000, 'talker.log to rotate');
});

after(async () => {
  if (!down) await booted?.shutdown();
  dropJsSpares();
  rmSync(tmp, { recursive: true, force: true });
});

describe('isokernel logs', () => {
  it('logs-all: without a service, the catch-all file: every service, stdout and stderr, in the line format', async () => {
    const r = await cli([]);
    assert.equal(r.status, 0, r.err);
    const parsed = r.out.split('\n').filter(Boolean).map((l) => parseLine(l));
    assert.ok(parsed.every((p) => p !== null && p.host === 'logbox'));
    const tags = new Set(parsed.map((p) => p!.tag));
    assert.ok(tags.has('talker') && tags.has('quiet'), [...tags].join(' '));
    assert.ok(parsed.some((p) => p!.msg === 'quiet started'));
    assert.ok(parsed.some((p) => p!.msg === 'oops 0'));
    const t = ticks(r.out);
    for (let i = 1; i < t.length; i++) assert.equal(t[i], t[i - 1]! + 1);
  });

  it('logs-service: a service alone, from its own file; -n N reaches into the rotated (gzipped) files', async () => {
    const r = await cli(['-n', '120', 'talker']);
    assert.equal(r.status, 0, r.err);
    const lines = r.out.split('\n').filter(Boolean);
    assert.equal(lines.length, 120);
    assert.ok(lines.every((l) => parseLine(l)?.tag === 'talker'));
    const t = ticks(r.out);
    for (let i = 1; i < t.length; i++) assert.equal(t[i], t[i - 1]! + 1, 'in order, none missing');
    const q = await cli(['quiet']);
    assert.equal(q.status, 0, q.err);
    assert.deepEqual(q.out.split('\n').filter(Boolean).map((l) => parseLine(l)!.msg), ['quiet started']);
  });

  it('logs-errors: bad arguments and an unknown state directory', async () => {
    const bad = await cli(['-n', 'x']);
    assert.equal(bad.status, 2);
    assert.match(bad.err, /-n needs a number/);
    assert.equal((await cli(['a', 'b'])).status, 2);
    const none = await cli([], path.join(tmp, 'nope'));
    assert.equal(none.status, 1);
    assert.match(none.err, /no kernel is running/);
  });

  it('logs-follow: -f prints new lines as they come, across rotations, none twice or missing', async () => {
    const child = spawn(process.execPath, [CLI, 'logs', '--state', STATE, '-f', '-n', '1', 'talker'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    try {
      // 4 KiB of talker.log is ~50 ticks (1 s): 150 new ticks pass through a few rotations.
      await until(() => ticks(out).length >= 150, 60_000, 'followed lines');
    } finally {
      child.kill('SIGINT');
    }
    const t = ticks(out);
    for (let i = 1; i < t.length; i++) assert.equal(t[i], t[i - 1]! + 1, `tick ${t[i - 1]} then ${t[i]}`);
  });

  it('logs-offline: with the image stopped, the files are read from STATE/var/log (no -f)', async () => {
    down = true;
    await booted.shutdown();
    const r = await cli(['-n', '5', 'talker']);
    assert.equal(r.status, 0, r.err);
    assert.match(r.err, /no kernel is running; reading .*var\/log\/talker\.log/);
    const ls = r.out.split('\n').filter(Boolean);
    assert.equal(ls.length, 5);
    assert.ok(ls.every((l) => parseLine(l)?.tag === 'talker'));
    const q = await cli(['quiet']);
    assert.equal(q.status, 0, q.err);
    assert.match(q.err, /reading .*all\.log/);
    assert.deepEqual(q.out.split('\n').filter(Boolean).map((l) => parseLine(l)!.msg), ['quiet started']);
    const f = await cli(['-f']);
    assert.equal(f.status, 1);
    assert.match(f.err, /no kernel is running/);
  });
});
