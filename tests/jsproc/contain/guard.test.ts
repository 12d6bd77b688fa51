// The kernel's watchdog (src/kernel/jsproc/guard.ts) on stand-in workers: when it asks,
// what it decides from the answers, how often it looks, and isolates that do not answer while
// the host grows (real workers: the attribution reads their threads in /proc).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { CALM_MS, GARBAGE_SLACK, NEAR_MS, SURGE_BYTES, UNRESPONSIVE_MS, WATCH_MS, unwatch, watch, type Guarded, type SilentGrowth } from '../../../src/kernel/jsproc/guard.ts';

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
      await sleep(CALM_MS + WATCH_MS * 3);
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

  it('a silent isolate is killed only for growth that is its own: not one that sleeps, nor one that computes, while the host grows', async () => {
    // Three real isolates fall silent at once (a question to each waits for the end of a
    // native call), while the host grows by far more than any limit: the kernel's own
    // thread takes 200 MiB, and `grower` 512 MiB in scrypt's table, faulted on its own
    // thread. Only `grower` is killed: `sleeper` did not run (blocked in execSync),
    // `hasher` ran but touched nothing (pbkdf2). The rule before this one — silent for
    // UNRESPONSIVE_MS while the host grew by more than the limit — killed all three.
    const start = (name: string, body: string): Worker =>
      new Worker(`setTimeout(() => { ${body} }, 20)`, { eval: true, name });
    const sleeper = start('jsg-sleeper', `require('node:child_process').execSync('sleep 5')`);
    const hasher = start('jsg-hasher', `require('node:crypto').pbkdf2Sync('p', 's', 1.2e7, 64, 'sha512')`);
    const grower = start('jsg-grower', `require('node:crypto').scryptSync('p', 's', 16, { N: 2 ** 19, r: 8, p: 1, maxmem: 2 ** 30 })`);
    const all = [sleeper, hasher, grower];
    await Promise.all(all.map((w) => new Promise((r) => w.once('online', r))));
    const whys = new Map<Worker, Why[]>();
    const gs = all.map((w) => {
      const { g, why } = guarded(w, { limit: 16 * MIB });
      whys.set(w, why);
      return g;
    });
    for (const g of gs) watch(g);
    let hog: Buffer | null = null;
    try {
      await sleep(800); // all three asked, and found slow (the evidence taken)
      hog = Buffer.alloc(200 * MIB, 1);
      const t0 = performance.now();
      while (whys.get(grower)!.length === 0 && performance.now() - t0 < 15_000) await sleep(WATCH_MS);
      assert.equal(whys.get(grower)!.length, 1, 'the grower is killed');
      const w = whys.get(grower)![0] as SilentGrowth;
      assert.ok(w.silentMs >= UNRESPONSIVE_MS, `silent ${w.silentMs} ms`);
      assert.ok(w.ownBytes > 64 * MIB && w.ownBytes <= w.grewBytes, JSON.stringify(w));
      assert.ok(w.ranMs > 0);
      await sleep(UNRESPONSIVE_MS / 2);
      assert.deepEqual(whys.get(sleeper), [], 'the sleeper is not');
      assert.deepEqual(whys.get(hasher), [], 'the hasher is not');
      assert.equal(await Promise.race([hasher.getHeapStatistics().then(() => 'answered'), sleep(20).then(() => 'silent')]), 'silent', 'the hasher was still silent');
    } finally {
      for (const g of gs) unwatch(g);
      hog = null;
      void hog;
      await Promise.all(all.map((w) => w.terminate()));
    }
  });

  it('an isolate that cannot be found among the host\'s threads is never killed for silence', async () => {
    const f = fakeWorker({ busy: () => true, answer: () => new Promise<Stats>(() => {}) });
    const { g, why } = guarded(f.w, { limit: 16 * MIB });
    watch(g);
    let hog: Buffer | null = null;
    try {
      await sleep(600);
      hog = Buffer.alloc(160 * MIB, 1);
      await sleep(UNRESPONSIVE_MS + WATCH_MS * 5);
      assert.equal(why.length, 0);
    } finally {
      unwatch(g);
      hog = null;
      void hog;
    }
  });

  it('looks at a calm isolate every CALM_MS, at one near its bound every NEAR_MS, and at all when the host grows', async () => {
    let external = 10 * MIB;
    const f = fakeWorker({ busy: () => true, answer: async () => ({ used_heap_size: 4 * MIB, total_heap_size: 8 * MIB, external_memory: external }) });
    const { g } = guarded(f.w, { limit: 64 * MIB });
    watch(g);
    try {
      await sleep(200);
      let n = f.asked();
      await sleep(1000);
      const modest = f.asked() - n;
      assert.ok(modest >= 1 && modest <= 4, `asked ${modest} times a second at 14 MiB of 64`);
      external = 80 * MIB; // past half of limit + slack
      await sleep(200);
      n = f.asked();
      await sleep(1000);
      const near = f.asked() - n;
      assert.ok(near >= 15, `asked ${near} times a second near the bound (${modest} at 14 MiB)`);
      external = 10 * MIB; // calm again
      await sleep(CALM_MS * 2);
      n = f.asked();
      const hog = Buffer.alloc(4 * SURGE_BYTES, 1); // the host grows: a sweep
      await sleep(NEAR_MS * 3);
      assert.ok(f.asked() > n, 'asked at the sweep');
      assert.equal(hog.length, 4 * SURGE_BYTES);
    } finally {
      unwatch(g);
    }
  });
});
