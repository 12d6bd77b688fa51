// The host commands over the control socket (src/cli/ps.ts, service.ts, exec.ts), run as
// host processes against a kernel booted with init (harness.ts) and its control server.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type ControlServer, startControlServer } from '../../src/image/control.ts';
import { boot, type Booted, manifest, ROOT, runHost, service, until } from './harness.ts';

const NODE = path.join(ROOT, 'node_modules/.bin/node');
const MAIN = path.join(ROOT, 'src/cli/main.ts');

const run = runHost;
const cli = (...args: string[]) => run(NODE, [MAIN, ...args]);

let b: Booted;
let state: string;
let server: ControlServer;

before(async () => {
  state = path.join(mkdtempSync(path.join(tmpdir(), 'isk-cli-')), 'state');
  b = await boot(manifest({ services: [service('a'), service('b', { dependsOn: ['a'] })] }));
  server = await startControlServer({ kernel: b.kernel, stateDir: state, init: b.channel });
  await until(async () => (await b.status('b')).state === 'running', 'b running', 30_000, b.log);
});
after(async () => {
  await server?.close();
  await b?.stop();
  rmSync(path.dirname(state), { recursive: true, force: true });
});

describe('host commands', () => {
  it('isokernel ps: the image\'s /bin/ps with the arguments when it has one, else the kernel table', async () => {
    const r = await cli('ps', '--state', state);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^ *PID /);
    assert.match(r.out, /\n +1 .*node/);
    const full = await cli('ps', '-ef', '--state', state);
    if (existsSync(path.join(ROOT, 'userland/bin/ps'))) {
      assert.equal(full.code, 0, full.err);
      assert.match(full.out, /node \/sbin\/init\.(mjs|ts)/);
    } else {
      assert.equal(full.code, 2);
      assert.match(r.out, /node \/sbin\/init\.(mjs|ts)/);
    }
  });

  it('isokernel service status|stop|start|restart NAME', async () => {
    const all = await cli('service', 'status', '--state', state);
    assert.equal(all.code, 0, all.err);
    assert.match(all.out, /^NAME +STATE +PID +RESTARTS +SINCE +LAST EXIT/);
    assert.match(all.out, /\na +running +\d+ +0 /);
    const js = await cli('service', 'status', 'a', '--json', '--state', state);
    assert.equal(js.code, 0);
    const [sa] = JSON.parse(js.out) as { name: string; state: string; pid: number }[];
    assert.equal(sa!.name, 'a');
    assert.equal(sa!.state, 'running');
    assert.equal(sa!.pid, (await b.status('a')).pid);
    const stop = await cli('service', 'stop', 'b', '--state', state);
    assert.equal(stop.code, 0, stop.err);
    assert.match(stop.out, /\nb +stopped/);
    const st = await cli('service', 'status', 'b', `--state=${state}`);
    assert.equal(st.code, 3, 'status of a service not running is 3');
    const start = await cli('service', 'start', 'b', '--state', state);
    assert.equal(start.code, 0, start.err);
    await until(async () => (await b.status('b')).state === 'running', 'b running');
    const none = await cli('service', 'stop', 'nope', '--state', state);
    assert.equal(none.code, 1);
    assert.match(none.err, /no service nope/);
    assert.equal((await cli('service', 'bogus', '--state', state)).code, 2);
    const dead = await cli('service', 'status', '--state', path.join(path.dirname(state), 'none'));
    assert.equal(dead.code, 1);
    assert.match(dead.err, /no kernel is running with state directory/);
  });

  it('isokernel exec', async () => {
    const r = await cli('exec', '--state', state, 'sh', '-c', 'echo from the image; exit 5');
    assert.equal(r.code, 5);
    assert.equal(r.out, 'from the image\n');
    const c = await run(NODE, [MAIN, 'exec', '--state', state, 'tr', 'a-z', 'A-Z'], 'piped in\n');
    assert.equal(c.out, 'PIPED IN\n');
  });
});

