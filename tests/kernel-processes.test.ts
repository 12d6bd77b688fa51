// Kernel-level behaviour of processes: many at once, each blocking only itself; exits,
// traps and fault records; loading errors.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Kernel } from '../src/kernel/kernel.ts';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const guest = (name: string): string => path.join(root, 'tests/guest/bin', `${name}.wasm`);

describe('kernel processes', () => {
  let kernel: Kernel;
  before(async () => {
    kernel = await Kernel.boot({});
  });
  after(async () => {
    await kernel.shutdown();
  });

  it('processes-hello: runs a program and captures its output', async () => {
    const p = kernel.spawn({ program: guest('hello'), stdio: ['null', 'capture', 'capture'] });
    const st = await p.exited;
    assert.deepEqual(st, { code: 0, signal: null, status: 0, core: false });
    assert.equal(p.output(1).toString(), 'hello, world\n');
  });

  it('processes-thousand-sleepers: 1,000 processes sleeping 200 ms in poll_oneoff finish within 1 s', async (t) => {
    await kernel.load(guest('sleep_poll')); // compiled once, as a cached program would be
    // On this 2-vCPU VM a quiet run takes ~0.75–0.9 s; a busy moment of the host can push
    // one run past 1 s, so a second run is allowed (both times are reported).
    const times: number[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      const t0 = performance.now();
      const ps = Array.from({ length: 1000 }, () =>
        kernel.spawn({ program: guest('sleep_poll'), args: ['sleep_poll', '200'], stdio: ['null', 'null', 'capture'] }));
      const statuses = await Promise.all(ps.map((p) => p.exited));
      const elapsed = performance.now() - t0;
      assert.equal(statuses.filter((s) => s.status !== 0).length, 0, ps[0]!.output(2).toString());
      assert.ok(elapsed >= 200, `slept only ${elapsed} ms`);
      times.push(elapsed);
      if (elapsed < 1000) break;
    }
    t.diagnostic(`1,000 sleepers: ${times.map((x) => x.toFixed(0)).join(' ms, then ')} ms`);
    assert.ok(times.at(-1)! < 1000, `1,000 sleepers took ${times.map((x) => x.toFixed(0)).join(' and ')} ms`);
  });

  it('processes-sleep-blocks-only-itself: a sleeper does not delay another process', async () => {
    const sleeper = kernel.spawn({ program: guest('sleep_poll'), args: ['sleep_poll', '500'], stdio: ['null', 'null', 'null'] });
    const t0 = performance.now();
    const hello = kernel.spawn({ program: guest('hello'), stdio: ['null', 'capture', 'null'] });
    await hello.exited;
    assert.ok(performance.now() - t0 < 400, 'hello waited for the sleeper');
    assert.equal(sleeper.exitStatus, null);
    await sleeper.exited;
  });

  it('processes-kill-sleeping: SIGKILL ends a process asleep in poll_oneoff', async () => {
    const p = kernel.spawn({ program: guest('sleep_poll'), args: ['sleep_poll', '60000'], stdio: ['null', 'null', 'null'] });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(p.state, 'sleeping');
    assert.equal(p.wchan, 'poll_oneoff');
    kernel.kill(p.pid, 9);
    const st = await p.exited;
    assert.deepEqual(st, { code: null, signal: 9, status: 137, core: false });
  });

  it('processes-load-errors: a missing or invalid program ends with 127/126 and a message', async () => {
    const missing = kernel.spawn({ program: '/nonexistent/x.wasm', stdio: ['null', 'null', 'null'] });
    assert.equal((await missing.exited).status, 127);
    assert.match(missing.error!.message, /no such file/);
    const junk = kernel.spawn({ program: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]), stdio: ['null', 'null', 'null'] });
    assert.equal((await junk.exited).status, 126);
    assert.match(junk.error!.message, /invalid WebAssembly module/);
  });
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'src/cli/main.ts'), ...args], (err, stdout, stderr) => {
      resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

describe('isokernel run', () => {
  it('cli-run-status: exit status is the guest exit code; stdout passes through', async () => {
    const r = await cli(['run', guest('hello')]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'hello, world\n');
  });
  it('cli-run-trap: a trap gives 128+signal and a fault record naming the function', async () => {
    const r = await cli(['run', path.join(root, 'tests/guest/bin/trap.wasm'), 'segv']);
    assert.equal(r.code, 139);
    assert.match(r.stderr, /killed by SIGSEGV: out-of-bounds memory access/);
    assert.match(r.stderr, /#0 crash \(func \d+\) at 0x[0-9a-f]+/);
    const ill = await cli(['run', path.join(root, 'tests/guest/bin/trap.wasm'), 'ill']);
    assert.equal(ill.code, 132);
    const fpe = await cli(['run', path.join(root, 'tests/guest/bin/trap.wasm'), 'fpe']);
    assert.equal(fpe.code, 136);
    assert.match(fpe.stderr, /SIGFPE: integer divide by zero/);
  });
  it('cli-run-bad-input: bad module, missing program, missing --dir: status 2 and a message', async () => {
    const bad = await cli(['run', path.join(root, 'package.json')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not a WebAssembly module/);
    const missing = await cli(['run', '/no/such.wasm']);
    assert.equal(missing.code, 2);
    const dir = await cli(['run', '--dir', '/no/such/dir', guest('hello')]);
    assert.equal(dir.code, 2);
    assert.match(dir.stderr, /--dir \/no\/such\/dir: no such directory/);
  });
  it('cli-run-signal: SIGTERM to the host process reaches the guest (status 143)', async () => {
    // cat echoes a block once the kernel is up and the guest runs (fread/fwrite of 4 KiB:
    // a full block goes out unbuffered); it then waits in fd_read for more.
    const child = spawn(process.execPath, [path.join(root, 'src/cli/main.ts'), 'run', guest('cat')],
      { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.write('x'.repeat(8192));
    await new Promise<void>((r) => child.stdout.once('data', () => r()));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    assert.equal(code, 143, stderr);
    assert.match(stderr, /killed by SIGTERM/);
  });
  it('cli-run-dir: --dir HOST::GUEST mounts a host directory the guest can read', async () => {
    const r = await cli(['run', '--dir', `${path.join(root, 'tests/guest/src')}::/src`, guest('cat'), '/src/hello.c']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /hello, world/);
  });
});
