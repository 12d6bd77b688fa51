// The tools from the host (issue 8, item 3): `isokernel ps|top|free|uptime|vmstat|iostat|iotop`
// run the image's own program through the control socket's exec op, against a kernel with
// a control server, as a booted image has.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type ControlServer, startControlServer } from '../../src/image/control.ts';
import type { Kernel } from '../../src/kernel/kernel.ts';
import type { Process } from '../../src/kernel/proc/process.ts';
import { boot, ROOT } from './harness.ts';

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const c = execFile(process.execPath, [path.join(ROOT, 'src/cli/main.ts'), ...args], { timeout: 45_000 }, (e, out, err) => {
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out: String(out), err: String(err) });
    });
    c.stdin!.end();
  });
}

let k: Kernel;
let dir: string;
let state: string;
let server: ControlServer;
let sleeper: Process;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'isk-acct-'));
  state = path.join(dir, 'state');
  k = await boot();
  server = await startControlServer({ kernel: k, stateDir: state });
  sleeper = k.spawn({ program: path.join(ROOT, 'userland/bin/sleep'), args: ['sleep', '600'], stdio: ['null', 'null', 'null'] });
});
after(async () => {
  k.kill(sleeper.pid, 9);
  await server.close();
  await k.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('cli', () => {
  it('cli-ps: isokernel ps ARGS is the image\'s ps', async () => {
    const r = await cli(['ps', '--state', state, '-e', '-o', 'pid,stat,wchan,args']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^\s*PID STAT WCHAN\s+COMMAND$/m);
    assert.match(r.out, new RegExp(`^\\s*${sleeper.pid} Ss?\\s+poll_oneoff\\s+sleep 600$`, 'm'));
  });

  it('cli-top-free-uptime-vmstat-iostat-iotop: each runs inside and prints its format', async () => {
    const [top, free, up, vm, io, iotop] = await Promise.all([
      cli(['top', '--state', state, '-b', '-n', '1']), cli(['free', '--state', state, '-m']), cli(['uptime', '--state', state]),
      cli(['vmstat', '--state', state]), cli(['iostat', '--state', state]), cli(['iotop', '--state', state, '-b', '-n', '1']),
    ]);
    for (const r of [top, free, up, vm, io, iotop]) assert.equal(r.code, 0, r.err);
    assert.match(top.out, /^top - .* load average: /);
    assert.match(top.out, /^ +\d+ root .* sleep$/m);
    assert.match(free.out, /^Mem: +\d+/m);
    assert.match(up.out, /load average: /);
    assert.match(vm.out, /^ r  b /m);
    assert.match(io.out, /^avg-cpu:/m);
    assert.match(iotop.out, /^Total DISK READ:/);
  });

  it('cli-bad-state: a state directory with no kernel gives a clear error', async () => {
    const r = await cli(['free', '--state', path.join(dir, 'nothing')]);
    assert.notEqual(r.code, 0);
    assert.match(r.err, /^isokernel free: /);
  });
});
