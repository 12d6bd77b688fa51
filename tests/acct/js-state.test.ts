// ps's state of a JS process (docs/tools.md, "ps"): with no call asleep, an isolate idle in
// its event loop (a daemon between timers) is S and out of the load's running count; one
// running JavaScript is R. The kernel asks the isolate's event loop (acct/acct.ts, loopProbe).
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { dropJsSpares } from '../../src/kernel/jsproc/pool.ts';
import { NODE_PROGRAM } from '../../src/kernel/jsproc/program.ts';
import { Kernel, USERLAND_BIN } from '../../src/kernel/kernel.ts';
import type { Process } from '../../src/kernel/proc/process.ts';
import { stateLetter } from '../../src/kernel/vfs/procfs.ts';
import { isRunnable } from '../../src/kernel/acct/kstat.ts';

let k: Kernel;
before(async () => {
  k = await Kernel.boot({});
});
after(async () => {
  await k.shutdown();
  dropJsSpares();
});

function js(code: string): Process {
  return k.spawn({ program: NODE_PROGRAM, args: ['node', '-e', code], env: [], stdio: ['null', 'capture', 'capture'] });
}

/** Polls until `fn` holds (or `ms` pass); returns whether it did. */
async function until(fn: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (fn()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return fn();
}

/** Reads /proc/PID/stat as a process of the kernel would: its third field. */
async function procState(pid: number): Promise<string> {
  const cat = k.spawn({ program: `${USERLAND_BIN}cat`, args: ['cat', `/proc/${pid}/stat`], env: [], stdio: ['null', 'capture', 'capture'] });
  await cat.exited;
  const line = cat.output(1).toString();
  assert.equal(cat.exitStatus?.status, 0, cat.output(2).toString());
  return line.split(' ')[2] ?? '?';
}

it('an idle JS daemon (timers only, no call asleep) is S; a spinning one is R', async () => {
  const idle = js('setInterval(() => {}, 60000); console.log("up")');
  const spin = js('console.log("up"); for (;;) {}');
  try {
    assert.ok(await until(() => idle.output(1).toString() === 'up\n' && spin.output(1).toString() === 'up\n', 20_000), 'both started');
    // No lane of either sleeps: without the probe both were 'running'.
    assert.equal(idle.state, 'running');
    assert.ok(await until(() => stateLetter(idle) === 'S', 5_000), `idle daemon: ${stateLetter(idle)}`);
    assert.equal(isRunnable(idle), false);
    assert.equal(await procState(idle.pid), 'S');
    assert.equal(stateLetter(spin), 'R');
    assert.equal(isRunnable(spin), true);
    assert.equal(await procState(spin.pid), 'R');
  } finally {
    k.kill(idle.pid, 9);
    k.kill(spin.pid, 9);
    await Promise.all([idle.exited, spin.exited]);
  }
});

it('a JS process asleep in a call keeps that call as its state (S, wchan)', async () => {
  const p = js('console.log("up"); require("isokernel").sleep(60000)');
  try {
    assert.ok(await until(() => p.output(1).toString() === 'up\n' && p.wchan !== null, 20_000), 'asleep');
    assert.equal(stateLetter(p), 'S');
    assert.equal(p.wchan, 'poll_oneoff');
  } finally {
    k.kill(p.pid, 9);
    await p.exited;
  }
});
