// Resource limits (issue 5, item 5) from the host's side: the spawn options (`limits`,
// `hardLimits`, `uid`), privilege (uid 0 may raise a hard limit, others may not; prlimit on
// another user's process is EPERM), the spawn file action, and `isokernel run --limit`.
// What a guest sees of its own limits (getrlimit/setrlimit/prlimit, EMFILE, RLIMIT_FSIZE's
// partial writes and SIGXFSZ, RLIMIT_CPU's SIGXCPU then SIGKILL, ISK_RLIMIT_NCHILD and
// RLIMIT_NPROC) is in tests/proc/src/rlimit_*.c, which also pass natively where Linux agrees;
// the fork bomb stopped by the per-uid limit is in tests/isolation.test.ts.
//
// The guest is tests/isolation/src/limits.c: `get RES`, `set RES SOFT HARD`, `prlimit PID RES
// [SOFT HARD]`, `spawn RES SOFT HARD CMD...`, one line of output each.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SIG } from '../src/abi/signals.ts';
import { KernelError } from '../src/kernel/errors.ts';
import { Kernel, type SpawnOptions } from '../src/kernel/kernel.ts';
import { parseLimitSpec } from '../src/kernel/proc/rlimit.ts';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BIN = path.join(root, 'tests/isolation/bin');
const LIMITS = path.join(BIN, 'limits.wasm');
const SPIN = path.join(root, 'tests/protect/bin/spin.wasm');
const MEMORY_BOMB = path.join(root, 'tests/protect/bin/memory_bomb.wasm');

const RLIMIT = { CPU: 0, FSIZE: 1, CORE: 4, NPROC: 6, NOFILE: 7, AS: 9, NCHILD: 16, NTHREAD: 17 };

describe('resource limits from the host', () => {
  let kernel: Kernel;
  before(async () => {
    kernel = await Kernel.boot({});
    kernel.mount('/t', { type: 'hostfs', host: BIN, readOnly: true });
  });
  after(async () => {
    await kernel.shutdown();
  });

  async function limits(cmds: (string | number)[], extra: Partial<SpawnOptions> = {}): Promise<string> {
    const p = kernel.spawn({ program: LIMITS, args: ['/t/limits.wasm', ...cmds.map(String)], stdio: ['null', 'capture', 'capture'], ...extra });
    const st = await p.exited;
    assert.equal(p.output(2).toString(), '');
    assert.equal(st.status, 0);
    return p.output(1).toString();
  }

  it('limits-defaults: soft and hard values as Linux has them by default', async () => {
    const out = await limits(['get', RLIMIT.NOFILE, 'get', RLIMIT.CORE, 'get', RLIMIT.CPU, 'get', RLIMIT.AS, 'get', RLIMIT.FSIZE,
      'get', RLIMIT.NPROC, 'get', RLIMIT.NCHILD, 'get', RLIMIT.NTHREAD, 'get', 3, 'get', 13, 'get', 99]);
    assert.equal(out, [
      'get 7: 1024 4096', 'get 4: 0 inf', 'get 0: inf inf', 'get 9: inf inf', 'get 1: inf inf', 'get 6: inf inf',
      'get 16: inf inf', 'get 17: 64 64', 'get 3: inf inf', 'get 13: 0 0', 'get 99: EINVAL', '',
    ].join('\n'));
  });

  it('limits-spawn-options: `limits` sets soft and hard, `hardLimits` the hard ones; a soft value above its hard one is refused', async () => {
    assert.equal(await limits(['get', 7], { limits: { openFiles: 64 } }), 'get 7: 64 64\n');
    assert.equal(await limits(['get', 7], { hardLimits: { openFiles: 100 } }), 'get 7: 100 100\n'); // the default soft comes down
    assert.equal(await limits(['get', 7, 'get', 0, 'get', 9], {
      limits: { openFiles: 32, cpuMs: 1500, memoryPages: 256 }, hardLimits: { openFiles: 64, cpuMs: 3000 },
    }), 'get 7: 32 64\nget 0: 2 3\nget 9: 16777216 16777216\n'); // CPU seconds rounded up
    assert.throws(() => kernel.spawn({ program: LIMITS, limits: { openFiles: 200 }, hardLimits: { openFiles: 100 } }),
      (e: unknown) => e instanceof KernelError && e.code === 'EINVAL');
  });

  it('limits-privilege: only uid 0 raises a hard limit; anyone lowers one; NOFILE has a ceiling even for root', async () => {
    const cmds = ['set', 7, 100, 200, 'set', 7, 100, 300, 'set', 7, 300, 200, 'set', 7, 10, 'inf', 'set', 7, 10, 2000000, 'set', 3, 1, 1, 'get', 7];
    assert.equal(await limits(cmds, { uid: 1000, gid: 1000 }), [
      'set 7 100 200: ok', 'set 7 100 300: EPERM', 'set 7 300 200: EINVAL', 'set 7 10 inf: EPERM', 'set 7 10 2000000: EPERM',
      'set 3 1 1: EINVAL', 'get 7: 100 200', '',
    ].join('\n'));
    assert.equal(await limits(cmds), [
      'set 7 100 200: ok', 'set 7 100 300: ok', 'set 7 300 200: EINVAL', 'set 7 10 inf: EPERM', 'set 7 10 2000000: EPERM',
      'set 3 1 1: EINVAL', 'get 7: 100 300', '',
    ].join('\n'));
  });

  it('limits-prlimit: reads and sets another process\'s limits; EPERM across users but for uid 0; ESRCH', async () => {
    const target = kernel.spawn({ program: SPIN, stdio: ['null', 'null', 'null'], uid: 2000, limits: { openFiles: 50 } });
    try {
      const t = target.pid;
      assert.equal(await limits(['prlimit', t, 7, 'prlimit', t, 7, 40, 50], { uid: 1000 }), `prlimit ${t} 7: EPERM\nprlimit ${t} 7 40 50: EPERM\n`);
      assert.equal(await limits(['prlimit', t, 7, 'prlimit', t, 7, 40, 50], { uid: 2000 }), `prlimit ${t} 7: 50 50\nprlimit ${t} 7 40 50: ok\n`);
      assert.equal(target.limits.openFiles, 40);
      assert.equal(target.fds.limit, 40);
      assert.equal(await limits(['prlimit', t, 7, 45, 60, 'prlimit', t, 7]), `prlimit ${t} 7 45 60: ok\nprlimit ${t} 7: 45 60\n`);
      assert.equal(await limits(['prlimit', 99999, 7]), 'prlimit 99999 7: ESRCH\n');
    } finally {
      kernel.kill(target.pid, SIG.KILL);
      await target.exited;
    }
  });

  it('limits-spawn-action: a file action sets the child\'s limit before it runs, under the same rules', async () => {
    assert.equal(await limits(['spawn', 7, 5, 6, 'get', 7]), 'get 7: 5 6\n');
    assert.equal(await limits(['spawn', 7, 5, 6000, 'get', 7], { uid: 1000 }), 'spawn: EPERM\n');
    assert.equal(await limits(['spawn', 99, 5, 6, 'get', 7]), 'spawn: EINVAL\n');
  });

  it('limits-cpu: past the soft CPU limit SIGXCPU ends a spinner; at the hard one SIGKILL', async () => {
    const soft = kernel.spawn({ program: SPIN, stdio: ['null', 'null', 'null'], limits: { cpuMs: 50 }, hardLimits: { cpuMs: 5000 } });
    const hard = kernel.spawn({ program: SPIN, stdio: ['null', 'null', 'null'], limits: { cpuMs: 50 } });
    assert.deepEqual(await soft.exited, { code: null, signal: SIG.XCPU, status: 128 + SIG.XCPU, core: true });
    assert.deepEqual(await hard.exited, { code: null, signal: SIG.KILL, status: 128 + SIG.KILL, core: false });
    for (const p of [soft, hard]) {
      const ms = kernel.cpu.cpuTimeNs(p) / 1e6;
      assert.ok(ms >= 50 && ms < 500, `killed after ${ms} ms of CPU`); // acts at the next check, ~0.5 ms on an idle host
    }
  });
});

describe('isokernel run --limit', () => {
  function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [path.join(root, 'src/cli/main.ts'), ...args], (err, stdout, stderr) => {
        resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
      });
    });
  }

  it('limits-cli-parse: NAME=SOFT[:HARD], units and suffixes, unlimited', () => {
    assert.deepEqual(parseLimitSpec('nofile=64'), { soft: { openFiles: 64 }, hard: { openFiles: 64 } });
    assert.deepEqual(parseLimitSpec('nofile=32:64'), { soft: { openFiles: 32 }, hard: { openFiles: 64 } });
    assert.deepEqual(parseLimitSpec('nofile=:64'), { soft: {}, hard: { openFiles: 64 } });
    assert.deepEqual(parseLimitSpec('cpu=1.5:unlimited'), { soft: { cpuMs: 1500 }, hard: { cpuMs: Infinity } });
    assert.deepEqual(parseLimitSpec('fsize=1K'), { soft: { fileBytes: 1024 }, hard: { fileBytes: 1024 } });
    assert.deepEqual(parseLimitSpec('core=unlimited'), { soft: { coreBytes: Infinity }, hard: { coreBytes: Infinity } });
    assert.deepEqual(parseLimitSpec('as=16M'), { soft: { memoryPages: 256 }, hard: { memoryPages: 256 } });
    assert.deepEqual(parseLimitSpec('nproc=10'), { soft: { userProcesses: 10 }, hard: { userProcesses: 10 } });
    for (const bad of ['bogus=1', 'nofile', 'nofile=', 'nofile=x', 'nofile=10:5', 'cpu=1s', 'fsize=1Q']) {
      assert.throws(() => parseLimitSpec(bad), Error, bad);
    }
  });

  it('limits-cli: --limit sets the program\'s limits; a bad one is a usage error (status 2)', async () => {
    const a = await cli(['run', '--limit', 'nofile=64', '--limit', 'core=32:unlimited', LIMITS, 'get', '7', 'get', '4']);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stdout, 'get 7: 64 64\nget 4: 32 inf\n');
    const cpu = await cli(['run', '--limit', 'cpu=0.05:10', SPIN]);
    assert.equal(cpu.code, 128 + SIG.XCPU);
    assert.match(cpu.stderr, /killed by SIGXCPU/);
    const mem = await cli(['run', '--limit', 'as=4M', MEMORY_BOMB]);
    assert.equal(mem.code, 0, mem.stderr);
    assert.ok(Number(/blocks (\d+)/.exec(mem.stdout)?.[1]) < 4, mem.stdout);
    const bad = await cli(['run', '--limit', 'bogus=1', LIMITS]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--limit bogus=1: unknown limit "bogus"/);
    const above = await cli(['run', '--limit', 'nofile=5000:', LIMITS, 'get', '7']); // over the default hard 4096
    assert.equal(above.code, 2);
    assert.match(above.stderr, /soft 5000 above hard 4096/);
  });
});
