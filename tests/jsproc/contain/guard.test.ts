// The kernel's watchdog (src/kernel/jsproc/guard.ts) on stand-in workers: when it asks,
// what it decides from the answers, and an isolate that does not answer while the host grows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { GARBAGE_SLACK, UNRESPONSIVE_MS, WATCH_MS, unwatch, watch, type Guarded } from '../../../src/kernel/jsproc/guard.ts';

interface Stats {
  used_heap_size: number;
  total_heap_size: number;
  external_memory: number;
}

/** A stand-in worker: its event loop busy (or idle), its answers given by `answer`. */
function fakeWorker(o: { busy: () => boolean; answer: () => Promise<Stats> }): { w: Worker; asked: () => number } {
  let active = 0;
  let asked = 0;
  const w = {
    performance: { eventLoopUtilization: () => ({ active: (active += o.busy() ? 50 : 0), idle: 0, utilization: 0 }) },
    getHeapStatistics: () => {
      asked++;
      return o.answer();
    },
  } as unknown as Worker;
  return { w, asked: () => asked };
}

type Why = Parameters<Guarded['overLimit']>[0];

function guarded(w: Worker, o: { limit: number; blocked?: () => boolean }): { g: Guarded; why: Why[] } {
  const why: Why[] = [];
  const g: Guarded = {
    pid: 99, limitBytes: o.limit, worker: () => w, blocked: o.blocked ?? (() => false),
    measured: () => {}, overLimit: (x) => void why.push(x),
  };
  return { g, why };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const MIB = 1 << 20;

describe('the memory watchdog', () => {
  it('kills past the limit plus the garbage allowance, not below it', async () => {
    let external = 10 * MIB;
    const f = fakeWorker({ busy: () => true, answer: async () => ({ used_heap_size: 4 * MIB, total_heap_size: 8 * MIB, external_memory: external }) });
    const { g, why } = guarded(f.w, { limit: 32 * MIB });
    watch(g);
    try {
      await sleep(WATCH_MS * 4);
      assert.ok(f.asked() >= 2, `asked ${f.asked()}`);
      external = 32 * MIB + GARBAGE_SLACK - 4 * MIB; // exactly at the bound: not over
      await sleep(WATCH_MS * 3);
      assert.equal(why.length, 0);
      external += MIB;
      const t0 = performance.now();
      while (why.length === 0 && performance.now() - t0 < 5000) await sleep(WATCH_MS);
      assert.deepEqual(why, [{ used: 4 * MIB, external }]);
      const n = f.asked();
      await sleep(WATCH_MS * 3);
      assert.equal(why.length, 1, 'once');
      assert.ok(f.asked() <= n + 1);
    } finally {
      unwatch(g);
    }
  });

  it('does not ask an isolate that is idle or asleep in a call', async () => {
    let busy = false;
    let blocked = false;
    const f = fakeWorker({ busy: () => busy, answer: async () => ({ used_heap_size: 0, total_heap_size: 0, external_memory: 0 }) });
    const { g } = guarded(f.w, { limit: 32 * MIB, blocked: () => blocked });
    watch(g);
    try {
      await sleep(WATCH_MS * 3);
      const first = f.asked(); // the first look always asks
      assert.ok(first <= 1);
      await sleep(WATCH_MS * 4);
      assert.equal(f.asked(), first);
      blocked = true;
      busy = true;
      await sleep(WATCH_MS * 4);
      assert.equal(f.asked(), first);
      blocked = false;
      await sleep(WATCH_MS * 4);
      assert.ok(f.asked() > first);
    } finally {
      unwatch(g);
    }
  });

  it('an isolate that does not answer while the host grows by more than its limit is over it', async () => {
    const f = fakeWorker({ busy: () => true, answer: () => new Promise<Stats>(() => {}) });
    const { g, why } = guarded(f.w, { limit: 16 * MIB });
    watch(g);
    let hog: Buffer | null = null;
    try {
      await sleep(UNRESPONSIVE_MS + WATCH_MS * 3);
      assert.equal(why.length, 0, 'silent, but the host did not grow');
      hog = Buffer.alloc(160 * MIB, 1); // the host grows (touched pages)
      const t0 = performance.now();
      while (why.length === 0 && performance.now() - t0 < 5000) await sleep(WATCH_MS);
      assert.equal(why.length, 1);
      const w = why[0] as { silentMs: number; grewBytes: number };
      assert.ok(w.silentMs >= UNRESPONSIVE_MS);
      assert.ok(w.grewBytes > 64 * MIB);
    } finally {
      unwatch(g);
      hog = null;
      void hog;
    }
  });
});
