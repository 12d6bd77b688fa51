// The allocation loop that once ignored its heap limit and worker.terminate() (issue 6 item
// 4; docs/jsproc.md, "Containment"): with the kernel's V8 flags it reaches its heap limit,
// and is killed by kill() and by its CPU limit, while its neighbours live; and the
// backstop for an isolate that would not end (guard.ts) gives it up after its grace period.
import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { GRACE_MS, graceAfterTerminate, jsLost, lostJsIsolates } from '../../../src/kernel/jsproc/guard.ts';
import { dropJsSpares } from '../../../src/kernel/jsproc/pool.ts';
import { Kernel, USERLAND_BIN } from '../../../src/kernel/kernel.ts';
import type { FaultRecord } from '../../../src/kernel/proc/fault.ts';
import type { Limits, Process } from '../../../src/kernel/proc/process.ts';
import { nodeEval, outputHas, within } from '../../lib/js-kernel.ts';

const DEADLINE_MS = 30_000;
const ECHO = path.join(USERLAND_BIN, 'echo');
const PUSH_FILL = 'const a = []; for (;;) a.push(new Array(1000).fill({ x: 1 }))';
/** Allocates without growing: V8 compiled this loop without an interrupt check before the flag. */
const NEW_ARRAY = 'console.log("looping"); let a = 0; for (;;) a = new Array(1000)';

let kernel: Kernel;

function spawnJs(code: string, limits?: Partial<Limits>): Process {
  return nodeEval(kernel, code, { env: ['PATH=/bin'], ...(limits ? { limits } : {}) });
}

const NEIGHBOUR = 'let n = 0; const t = setInterval(() => { if (++n === 10) { clearInterval(t); console.log("neighbour", n); } }, 20)';

async function neighboursLive(neighbour: Process): Promise<void> {
  const ns = await within(neighbour.exited, DEADLINE_MS, 'neighbour');
  assert.equal(ns.status, 0, neighbour.output(2).toString());
  assert.equal(neighbour.output(1).toString(), 'neighbour 10\n');
  if (existsSync(ECHO)) {
    const e = kernel.spawn({ program: ECHO, args: ['echo', 'wasi', 'alive'], stdio: ['null', 'capture', 'capture'] });
    assert.equal((await within(e.exited, DEADLINE_MS, 'echo')).status, 0);
    assert.equal(e.output(1).toString(), 'wasi alive\n');
  }
}

before(async () => {
  kernel = await Kernel.boot({});
});
after(async () => {
  await kernel.shutdown();
  dropJsSpares();
});

describe('the push-fill loop', () => {
  it('reaches its heap limit and dies with SIGABRT and a fault record; neighbours live', async () => {
    const faults: FaultRecord[] = [];
    const onFault = (r: unknown): void => void faults.push(r as FaultRecord);
    dc.subscribe('isokernel:proc:fault', onFault);
    try {
      const neighbour = spawnJs(NEIGHBOUR);
      const p = spawnJs(PUSH_FILL, { memoryPages: 512 });
      const st = await within(p.exited, DEADLINE_MS, 'push-fill');
      assert.equal(st.signal, 6, `status ${st.status}: ${p.output(2)}`);
      assert.match(p.fault?.kind ?? '', /JavaScript heap out of memory \(limit 32 MiB\)/);
      assert.equal(faults.filter((f) => f.pid === p.pid).length, 1);
      await neighboursLive(neighbour);
    } finally {
      dc.unsubscribe('isokernel:proc:fault', onFault);
    }
  });

  // Each of these ignored worker.terminate() on Node 26.10 without the kernel's V8 flag.
  const stuckBefore = [
    NEW_ARRAY,
    'console.log("looping"); let a = 0; for (;;) a = Array(1000)',
    'console.log("looping"); let s; for (;;) s = { x: new Array(200) }',
    'console.log("looping"); let a = 0; l: for (;;) { for (;;) { a = new Array(500); if (a.length === 0) break l } }',
  ];
  for (const code of stuckBefore) {
    it(`is killed by kill() mid-loop: ${code.slice(code.indexOf(';') + 2)}`, async () => {
      const neighbour = spawnJs(NEIGHBOUR);
      const p = spawnJs(code);
      await outputHas(p, 'looping', DEADLINE_MS);
      await new Promise((r) => setTimeout(r, 1000)); // long enough for V8 to optimize the loop
      kernel.kill(p.pid, 15);
      const st = await within(p.exited, 10_000, 'kill');
      assert.deepEqual(st, { code: null, signal: 15, status: 143, core: false });
      assert.equal(lostJsIsolates(), 0, 'ended, not given up');
      await neighboursLive(neighbour);
    });
  }

  it('is killed by its CPU limit', async () => {
    const p = spawnJs(NEW_ARRAY, { cpuMs: 400 });
    const st = await within(p.exited, DEADLINE_MS, 'RLIMIT_CPU');
    assert.equal(st.signal, 9);
    assert.equal(lostJsIsolates(), 0);
  });

  it('is killed by its CPU limit inside a long native call (the thread\'s clock from /proc)', async () => {
    // pbkdf2Sync makes no interrupt check: worker.cpuUsage() is not answered until it returns
    // (~10–20 s here), so before the /proc fallback the limit was seen only then.
    const p = spawnJs('console.log("deriving"); require("crypto").pbkdf2Sync("k", "s", 4e7, 32, "sha256"); console.log("done")', { cpuMs: 500 });
    const t0 = performance.now();
    const st = await within(p.exited, DEADLINE_MS, 'RLIMIT_CPU in a native call');
    const ms = performance.now() - t0;
    assert.equal(st.signal, 9);
    assert.doesNotMatch(p.output(1).toString(), /done/);
    // the limit, the next look, and at most the grace period for the isolate to end
    assert.ok(ms < 500 + GRACE_MS + 4000, `ended after ${Math.round(ms)} ms`);
    // charged as it ran, and killed at the limit: not when the call returned (~5 s of CPU)
    assert.ok(p.acct.cpuNs >= 500e6 && p.acct.cpuNs < 1500e6, `cpu ${p.acct.cpuNs / 1e6} ms`);
    // a given-up isolate ends by itself once the native call returns
    const end = Date.now() + DEADLINE_MS;
    while (lostJsIsolates() > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    assert.equal(lostJsIsolates(), 0, 'the isolate ended after its native call');
  });
});

describe('an isolate that does not end', () => {
  it('is given up after the grace period: reniced, published, the process ended for the kernel', async () => {
    const w = new Worker('setInterval(() => {}, 1000)', { eval: true, name: 'isk-js-test' });
    await new Promise((r) => w.once('online', r));
    const seen: unknown[] = [];
    const onLost = (m: unknown): void => void seen.push(m);
    jsLost.subscribe(onLost);
    try {
      let gaveUp = 0;
      const t0 = performance.now();
      const never = new Promise<void>(() => {}); // as a terminate() that does not land
      graceAfterTerminate(w, never, { pid: 4242, program: 'node' }, () => gaveUp++);
      while (gaveUp === 0 && performance.now() - t0 < GRACE_MS + 10_000) await new Promise((r) => setTimeout(r, 50));
      assert.equal(gaveUp, 1);
      assert.ok(performance.now() - t0 >= GRACE_MS - 50);
      assert.equal(lostJsIsolates(), 1);
      const m = seen[0] as { pid: number; thread: string; tid: number | null; reniced: boolean };
      assert.equal(m.pid, 4242);
      assert.equal(m.thread, 'isk-js-test');
      if (existsSync('/proc/self/task')) {
        assert.equal(typeof m.tid, 'number');
        assert.equal(m.reniced, true);
      }
    } finally {
      jsLost.unsubscribe(onLost);
    }
    // When it does end, it is no longer counted.
    const gone = w.terminate();
    graceAfterTerminate(w, gone, { pid: 4242, program: 'node' }, () => assert.fail('ended in time'));
    await gone;
    await new Promise((r) => setImmediate(r));
    assert.equal(lostJsIsolates(), 0);
  });
});
