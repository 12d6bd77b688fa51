// The syscall channel's server loop (src/kernel/syscall/channel.ts): requests that arrive
// while the kernel is still answering the previous one are served from the loop, never
// nested inside a reply; no wake-up is lost when answers are immediate, deferred or mixed,
// from several workers at once; a worker that keeps its slot busy cannot hold the kernel
// thread (the loop yields every TURN_MAX requests); and, through JS processes, calls back
// to back from several processes, sync and async, and a fatal signal in the middle of them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import type { Kernel } from '../../src/kernel/kernel.ts';
import { ARG0, ChannelServer, REQ, RESP, RESULT, SLOT_BYTES } from '../../src/kernel/syscall/channel.ts';
import { useKernel, nodeEval, runNodeEval } from '../lib/js-kernel.ts';

/**
 * A worker making `n` calls back to back on `sab` as ChannelClient does (argument k, expects
 * k * 3 + 1); `hammer` bumps REQ without waiting for answers instead. Posts 'ok' or an error.
 */
function client(sab: SharedArrayBuffer, n: number, hammer = false): Worker {
  const src = `
    const { workerData: { sab, n, hammer, I } } = require('node:worker_threads');
    const { parentPort } = require('node:worker_threads');
    const i32 = new Int32Array(sab);
    let seq = Atomics.load(i32, I.REQ);
    if (hammer) {
      const stop = Date.now() + n;
      while (Date.now() < stop) { seq = (seq + 1) | 0; Atomics.store(i32, I.REQ, seq); Atomics.notify(i32, I.REQ); }
      parentPort.postMessage('ok');
    } else {
      let bad = null;
      for (let k = 0; k < n; k++) {
        i32[2 * I.ARG0] = k;
        const before = seq;
        seq = (seq + 1) | 0;
        Atomics.store(i32, I.REQ, seq);
        Atomics.notify(i32, I.REQ);
        while (Atomics.load(i32, I.RESP) === before) Atomics.wait(i32, I.RESP, before);
        if (i32[I.RESULT] !== k * 3 + 1 && bad === null) bad = 'call ' + k + ': ' + i32[I.RESULT];
      }
      parentPort.postMessage(bad ?? 'ok');
    }`;
  return new Worker(src, { eval: true, workerData: { sab, n, hammer, I: { REQ, RESP, RESULT, ARG0 } } });
}

function outcome(w: Worker): Promise<string> {
  return new Promise((resolve, reject) => {
    w.once('message', (m: string) => resolve(m));
    w.once('error', reject);
  });
}

describe('ChannelServer', () => {
  it('serves back-to-back calls from its loop: never one request nested in another', async () => {
    const sab = new SharedArrayBuffer(SLOT_BYTES);
    let depth = 0;
    let maxDepth = 0;
    let served = 0;
    const server = new ChannelServer(sab, (s) => {
      depth++;
      maxDepth = Math.max(maxDepth, depth);
      served++;
      try {
        s.reply((s.args(['i32'])[0] as number) * 3 + 1);
      } finally {
        depth--;
      }
    });
    server.listen();
    const N = 20000;
    const w = client(sab, N);
    assert.equal(await outcome(w), 'ok');
    server.close();
    await w.terminate();
    assert.equal(served, N);
    assert.equal(maxDepth, 1);
  });

  it('loses no wake-up: three workers, answers immediate, deferred and mixed', async () => {
    const N = 3000;
    const servers: ChannelServer[] = [];
    const workers: Worker[] = [];
    for (let j = 0; j < 3; j++) {
      const sab = new SharedArrayBuffer(SLOT_BYTES);
      let i = 0;
      const server = new ChannelServer(sab, (s) => {
        const r = (s.args(['i32'])[0] as number) * 3 + 1;
        const how = (i++ + j) % 4;
        if (how === 0 || j === 0) s.reply(r); // worker 0: always at once
        else if (how === 1) queueMicrotask(() => s.reply(r));
        else if (how === 2) setImmediate(() => s.reply(r));
        else setTimeout(() => s.reply(r), 0);
      });
      server.listen();
      servers.push(server);
      workers.push(client(sab, N));
    }
    assert.deepEqual(await Promise.all(workers.map(outcome)), ['ok', 'ok', 'ok']);
    for (const s of servers) s.close();
    await Promise.all(workers.map((w) => w.terminate()));
  });

  it('a worker that keeps its slot busy does not hold the kernel thread', async () => {
    const sab = new SharedArrayBuffer(SLOT_BYTES);
    let served = 0;
    const server = new ChannelServer(sab, (s) => {
      served++;
      s.reply(0);
    });
    server.listen();
    const w = client(sab, 1500, true); // bumps REQ for 1.5 s
    // Timers of the kernel thread keep firing meanwhile.
    let ticks = 0;
    const tick = setInterval(() => ticks++, 10);
    assert.equal(await outcome(w), 'ok');
    clearInterval(tick);
    server.close();
    await w.terminate();
    assert.ok(served > 0, 'served some requests');
    assert.ok(ticks >= 5, `the event loop ran (${ticks} ticks in 1.5 s)`);
  });
});

describe('JS processes over the channel', () => {
  let kernel: Kernel;
  useKernel((k) => (kernel = k));

  it('several processes making calls back to back, sync and async, all answered', async () => {
    const prog = `
      const isk = require('isokernel');
      const fd = isk.open('/dev/null', 'w');
      const one = new Uint8Array(1);
      const ppid = isk.getppid();
      (async () => {
        for (let i = 0; i < 20000; i++) if (isk.getppid() !== ppid) throw new Error('getppid ' + i);
        let n = 0;
        for (let r = 0; r < 200; r++) {
          const rs = await Promise.all([1, 2, 3, 4, 5, 6].map(() => isk.promises.write(fd, one)));
          for (const x of rs) n += x;
          if (isk.write(fd, one) !== 1) throw new Error('write');
        }
        console.log('done ' + n);
      })();`;
    const ps = [0, 1, 2].map(() => nodeEval(kernel, prog));
    const sts = await Promise.all(ps.map((p) => p.exited));
    for (const [i, p] of ps.entries()) {
      assert.equal(sts[i]!.status, 0, p.output(2).toString());
      assert.equal(p.output(1).toString(), 'done 1200\n');
    }
  });

  it('a fatal signal in the middle of back-to-back calls ends the process; the kernel goes on', async () => {
    const spin = `
      const isk = require('isokernel');
      console.log('up');
      for (;;) isk.getppid();`;
    const ps = [0, 1].map(() => nodeEval(kernel, spin));
    for (const p of ps) {
      const t0 = Date.now();
      while (!p.output(1).toString().includes('up')) {
        assert.ok(Date.now() - t0 < 20000, 'the process started');
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    await new Promise((r) => setTimeout(r, 100));
    kernel.kill(ps[0]!.pid, 9);
    kernel.kill(ps[1]!.pid, 15);
    const sts = await Promise.all(ps.map((p) => p.exited));
    assert.deepEqual(sts.map((s) => s.signal), [9, 15]);
    // The kernel still serves a new process.
    assert.equal(await runNodeEval(kernel, "console.log(require('isokernel').getppid() >= 0)"), 'true\n');
  });
});
