// Isolates booted ahead for an image's boot (src/kernel/jsproc/pool.ts prewarmJs) and the
// runtime's code cache (strip.ts, runtime-pack.ts): an isolate booted ahead for another heap
// limit goes to the first spawn with that limit, none is booted twice; the code cache is
// made by the first isolate, given to the next ones, and taken only before an isolate's
// `ready`.
import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const cacheDir = mkdtempSync(join(tmpdir(), 'isk-prewarm-'));
process.env.ISOKERNEL_STRIP_CACHE = cacheDir; // read at the first use, below
const { claimWorker, DEFAULT_HEAP_MB, dropJsSpares, JsWorker, prewarmJs, setJsPoolSize } = await import('../../src/kernel/jsproc/pool.ts');
const { runtimeBootData } = await import('../../src/kernel/jsproc/strip.ts');
type W = InstanceType<typeof JsWorker>;

const boots: number[] = [];
const onEvent = (m: unknown): void => {
  const e = m as { event: string; heapMb: number };
  if (e.event === 'boot') boots.push(e.heapMb);
};
dc.subscribe('isokernel:jsproc:worker', onEvent);
after(() => {
  dc.unsubscribe('isokernel:jsproc:worker', onEvent);
  setJsPoolSize(0);
  dropJsSpares();
  rmSync(cacheDir, { recursive: true, force: true });
});

const booted = (): Promise<W> => new Promise((resolve, reject) => {
  const w: W = new JsWorker(DEFAULT_HEAP_MB, (_, ok) => (ok ? resolve(w) : reject(new Error('no isolate'))));
});
const claim = (heapMb: number): Promise<W | null> => new Promise((resolve) => claimWorker(heapMb, resolve));

test('code cache: made by the first isolate, given to the next, not taken after ready', async () => {
  setJsPoolSize(0);
  const first = await booted(); // the first isolate of this process: asked, and it answers before ready
  await first.terminate();
  const data = runtimeBootData();
  assert.ok(data.cache && data.cache.length > 1000, 'a code cache after an isolate made one');
  assert.ok(readdirSync(cacheDir).some((f) => f.endsWith('.v8')), 'and on disk');
  // The next isolate boots from it (V8 accepts it: it does not say it rejected it).
  const second = await booted();
  assert.ok(runtimeBootData().cache, 'still there: not rejected');
  // A code-cache message after ready (as a process's isolate could send) is ignored.
  second.worker.emit('message', { type: 'code-cache', data: null });
  second.worker.emit('message', { type: 'code-cache', data: { 'jsrt/main.ts': new Uint8Array([1, 2, 3]) } });
  assert.ok(Buffer.from(runtimeBootData().cache!).equals(Buffer.from(data.cache)), 'unchanged');
  await second.terminate();
});

test('prewarm: an isolate booted ahead for another heap limit goes to the first spawn with it', async () => {
  setJsPoolSize(0);
  boots.length = 0;
  prewarmJs(1, 256);
  assert.deepEqual(boots, [256]);
  prewarmJs(1, 256); // one there already (booting): nothing more
  assert.deepEqual(boots, [256]);
  const w = await claim(256); // claimed while booting: handed over when booted
  assert.ok(w && w.ready && w.heapMb === 256);
  assert.deepEqual(boots, [256], 'no second boot for the claim');
  const w2 = await claim(256); // none ahead now: booted for it
  assert.ok(w2 && w2.heapMb === 256);
  assert.deepEqual(boots, [256, 256]);
  // Booted ahead and not claimed: ended when the pool's size is set.
  prewarmJs(1, 128);
  await new Promise((r) => setTimeout(r, 50));
  const w3 = await claim(128);
  assert.ok(w3 && w3.heapMb === 128);
  assert.deepEqual(boots, [256, 256, 128]);
  for (const x of [w, w2, w3]) await x!.terminate();
});
