// End to end through the host commands: `isokernel boot` of a small image (IMAGE's boot.ts,
// LOG's syslogd), then `isokernel ps` and `isokernel service` from other host processes over
// the control socket, then SIGTERM to the boot process: services stop in reverse
// dependency order, init exits 0, the socket is removed.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { ROOT, until } from './harness.ts';

const NODE = path.join(ROOT, 'node_modules/.bin/node');
const MAIN = path.join(ROOT, 'src/cli/main.ts');
const work = mkdtempSync(path.join(tmpdir(), 'isk-boot-e2e-'));
let booted: ChildProcess | null = null;
after(() => {
  booted?.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(NODE, [MAIN, ...args], { timeout: 30_000 }, (e, out, err) => {
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out: String(out), err: String(err) });
    }).stdin!.end();
  });
}

it('boot, ps, service, and shutdown in reverse order', async () => {
  const image = path.join(work, 'image');
  const state = path.join(work, 'state');
  mkdirSync(image);
  writeFileSync(path.join(image, 'isokernel.toml'), `name = "e2e"
version = "0.1"

[services.db]
program = "/bin/sh"
args = ["-c", "trap 'echo db stopping; exit 0' TERM; echo db up; while :; do sleep 0.05; done"]

[services.app]
program = "/bin/sh"
args = ["-c", "trap 'echo app stopping; exit 0' TERM; echo app up; while :; do sleep 0.05; done"]
depends_on = ["db"]

[logs.files.all]
match = ["*"]
`);
  let out = '';
  booted = spawn(NODE, [MAIN, 'boot', image, '--state', state], { stdio: ['ignore', 'pipe', 'pipe'] });
  booted.stdout!.on('data', (d: Buffer) => (out += d));
  booted.stderr!.on('data', (d: Buffer) => (out += d));
  const exited = new Promise<number | null>((r) => booted!.on('exit', (code) => r(code)));
  await until(() => out.includes('services ready'), 'boot', 40_000, () => out);

  const ps = await cli('ps', ...(existsSync(path.join(ROOT, 'userland/bin/ps')) ? ['-ef'] : []), '--state', state);
  assert.equal(ps.code, 0, ps.err);
  assert.match(ps.out, /node \/sbin\/init\.(mjs|ts)/);
  assert.match(ps.out, /sh -c trap 'echo db stopping/);

  const st = await cli('service', 'status', '--state', state);
  assert.equal(st.code, 0, st.err);
  assert.match(st.out, /\ndb +running/);
  assert.match(st.out, /\napp +running/);
  assert.equal((await cli('service', 'restart', 'app', '--state', state)).code, 0);
  assert.match((await cli('service', 'status', 'app', '--state', state)).out, /app +(running|starting)/);

  booted.kill('SIGTERM');
  assert.equal(await exited, 0, out);
  booted = null;
  assert.equal(existsSync(path.join(state, 'control.sock')), false);
  const log = readFileSync(path.join(state, 'var/log/all.log'), 'utf8');
  const app = log.lastIndexOf('app stopping');
  const db = log.lastIndexOf('db stopping');
  assert.ok(app > 0 && db > app, `app stops before db:\n${log}`);
});
