// Persistence (issue 7 item 7): a service appends records to /var and fsyncs each one; the
// host process running the image (`isokernel boot`) is killed with SIGKILL in the middle of
// the writes. Every record the service said was synced must be in the file, whole and in
// order; the count file (written to a temporary file, fsynced, renamed) is a whole number
// at least as high; and the image boots again on the same state and carries on.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'src', 'cli', 'entry.ts');
const SBIN = join(import.meta.dirname, 'fixtures', 'sbin');
const tmp = mkdtempSync(join(tmpdir(), 'isk-persist-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const check = (n: number): string => ((Math.imul(n, 2654435761) >>> 0).toString(16).padStart(8, '0'));

/** Boots DIR in a host child process; resolves with the child once `want` beats were announced. */
function bootUntil(dir: string, state: string, want: number): Promise<{ kill(): Promise<void>; announced: number[] }> {
  const child = spawn(process.execPath, [CLI, 'boot', dir, '--state', state, '--sbin', SBIN, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const announced: number[] = [];
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${announced.length} beats in 60 s; stderr: ${err}`));
    }, 60_000);
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const m = /^beat (\d+) synced$/.exec(out.slice(0, nl));
        out = out.slice(nl + 1);
        if (m) announced.push(Number(m[1]));
      }
      if (announced.length === want) {
        clearTimeout(timer);
        resolve({ announced, kill: async () => { child.kill('SIGKILL'); await exited; } });
      }
    });
    child.on('exit', (code, sig) => {
      clearTimeout(timer);
      if (announced.length < want) reject(new Error(`boot ended (${code ?? sig}) after ${announced.length} beats; stderr: ${err}`));
    });
  });
}

test('persistence: fsynced records survive SIGKILL of the host process; the image boots again', async () => {
  const dir = join(tmp, 'img');
  mkdirSync(join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'bin', 'hb.wasm'), readFileSync(join(ROOT, 'examples', 'demo-image', 'bin', 'heartbeat.wasm')), { mode: 0o755 });
  writeFileSync(join(dir, 'isokernel.toml'), 'name = "persist"\n[services.hb]\nprogram = "bin/hb.wasm"\nargs = ["-i", "0", "-d", "/var/lib/hb"]\n');
  const state = join(tmp, 'state');
  const logFile = join(state, 'var', 'lib', 'hb', 'beats.log');

  for (const round of [1, 2]) {
    const run = await bootUntil(dir, state, 150);
    await run.kill(); // mid-writes: the service writes as fast as it can
    const maxAnnounced = Math.max(...run.announced);
    const text = readFileSync(logFile, 'utf8');
    const lines = text.split('\n');
    // Each record is one write() to the host file (hostfs writes through): a kill cannot cut one.
    assert.equal(lines.pop(), '', 'no torn record at the end');
    const nums = lines.map((l) => {
      const m = /^beat (\d+) ([0-9a-f]{8})$/.exec(l);
      assert.ok(m, `a whole record: ${JSON.stringify(l)}`);
      assert.equal(m[2], check(Number(m[1])), `record ${m[1]} intact`);
      return Number(m[1]);
    });
    const have = new Set(nums);
    for (const n of run.announced) assert.ok(have.has(n), `synced record ${n} (round ${round}) is in the file`);
    // 1, 2, 3 ... with no gap and no repeat, across the kills (heartbeat goes on from the
    // last record or the count, whichever is ahead).
    nums.forEach((n, i) => assert.equal(n, i + 1));
    const count = readFileSync(join(state, 'var', 'lib', 'hb', 'count'), 'utf8');
    assert.match(count, /^\d+\n$/);
    assert.ok(Number(count) >= maxAnnounced, `count ${count.trim()} >= ${maxAnnounced}`);
    // The next round boots on the state the kill left (a stale control socket included).
    if (round === 1) assert.ok(existsSync(join(state, 'control.sock')));
  }
  // After two kills, the records still go up: the second boot went on from the first's count.
  const last = readFileSync(logFile, 'utf8').trim().split('\n').map((l) => Number(l.split(' ')[1]));
  assert.ok(last[last.length - 1]! >= 300);
});
