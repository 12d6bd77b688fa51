// What Node (26.10) counts of memory outside the V8 heap, which decides what the kernel's
// watchdog can see from outside an isolate (docs/jsproc.md, "Open problems"): an
// ArrayBuffer is in the isolate's external memory (worker.getHeapStatistics(), what the
// kernel reads) and in Node's allocator's counter (process.memoryUsage().arrayBuffers,
// readable only inside); a SharedArrayBuffer only in the latter; a WebAssembly.Memory,
// plain or shared, created or grown, in neither. If a Node upgrade changes this, this test
// fails: then guard.ts may see more (or less) than docs/jsproc.md says.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Worker } from 'node:worker_threads';

const MIB = 1 << 20;
const WORKER = `
const { parentPort } = require('node:worker_threads');
const keep = [];
const make = {
  none: () => {},
  ab: () => keep.push(new ArrayBuffer(64 << 20)),
  sab: () => keep.push(new SharedArrayBuffer(64 << 20)),
  wasm: () => keep.push(new WebAssembly.Memory({ initial: 1024 })),
  wasmGrow: () => keep.at(-1).grow(1024),
  wasmShared: () => keep.push(new WebAssembly.Memory({ initial: 1024, maximum: 4096, shared: true })),
};
parentPort.on('message', (m) => {
  make[m]();
  const u = process.memoryUsage();
  parentPort.postMessage({ arrayBuffers: u.arrayBuffers });
});`;

it('external memory counts ArrayBuffers only; Node\'s allocator also SharedArrayBuffers; wasm memories neither', async () => {
  const w = new Worker(WORKER, { eval: true });
  try {
    const step = async (m: string): Promise<{ external: number; arrayBuffers: number }> => {
      const inside = await new Promise<{ arrayBuffers: number }>((r) => {
        w.once('message', r);
        w.postMessage(m);
      });
      const h = await w.getHeapStatistics();
      return { external: h.external_memory, arrayBuffers: inside.arrayBuffers };
    };
    const base = await step('none');
    const delta = async (m: string, prev: { external: number; arrayBuffers: number }): Promise<[number, number, { external: number; arrayBuffers: number }]> => {
      const now = await step(m);
      const mib = (n: number): number => Math.round(n / MIB) || 0; // no -0
      return [mib(now.external - prev.external), mib(now.arrayBuffers - prev.arrayBuffers), now];
    };
    let [ext, ab, s] = await delta('ab', base);
    assert.deepEqual([ext, ab], [64, 64], 'ArrayBuffer: external and allocator');
    [ext, ab, s] = await delta('sab', s);
    assert.deepEqual([ext, ab], [0, 64], 'SharedArrayBuffer: allocator only');
    for (const m of ['wasm', 'wasmGrow', 'wasmShared']) {
      [ext, ab, s] = await delta(m, s);
      assert.deepEqual([ext, ab], [0, 0], `${m}: neither`);
    }
  } finally {
    await w.terminate();
  }
});
