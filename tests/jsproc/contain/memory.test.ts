// Containment of a JS process's memory (issue 6 item 4; docs/jsproc.md, "Containment"):
// ArrayBuffer, Buffer, typed-array and wasm-memory bombs, the push-fill loop that once
// ignored worker.terminate(), and a bomb that goes around the runtime's checks each die
// within a bounded time, with a RangeError (status 1) or a fault record (a signal), while a
// neighbour JS process and a WASI process keep working; how far past its bound such a bomb
// gets before the kernel decides is bounded; a program that uses large buffers within its
// limit runs to its end.
import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dropJsSpares } from '../../../src/kernel/jsproc/pool.ts';
import { Kernel, USERLAND_BIN } from '../../../src/kernel/kernel.ts';
import type { FaultRecord } from '../../../src/kernel/proc/fault.ts';
import type { Limits, Process } from '../../../src/kernel/proc/process.ts';
import { nodeEval, within } from '../../lib/js-kernel.ts';

/** 64 MiB: the heap limit and the memory limit of the bombs. */
const LIMIT: Partial<Limits> = { memoryPages: 1024 };
/** Generous: a loaded 2-core machine. */
const DEADLINE_MS = 30_000;
const ECHO = path.join(USERLAND_BIN, 'echo');

let kernel: Kernel;
const faults: FaultRecord[] = [];
const onFault = (r: unknown): void => void faults.push(r as FaultRecord);

function spawnJs(code: string, limits?: Partial<Limits>): Process {
  return nodeEval(kernel, code, { env: ['PATH=/bin'], ...(limits ? { limits } : {}) });
}

/** A JS neighbour that counts on timers, and a WASI process, both alive and well after `bad` ended. */
async function neighboursLive(neighbour: Process): Promise<void> {
  const ns = await within(neighbour.exited, DEADLINE_MS, 'neighbour');
  assert.equal(ns.status, 0, neighbour.output(2).toString());
  assert.equal(neighbour.output(1).toString(), 'neighbour 10\n');
  if (existsSync(ECHO)) {
    const e = kernel.spawn({ program: ECHO, args: ['echo', 'wasi', 'alive'], stdio: ['null', 'capture', 'capture'] });
    assert.equal((await within(e.exited, DEADLINE_MS, 'echo')).status, 0);
    assert.equal(e.output(1).toString(), 'wasi alive\n');
  }
  const again = spawnJs('console.log(6 * 7)');
  assert.equal((await within(again.exited, DEADLINE_MS, 'a new JS process')).status, 0);
  assert.equal(again.output(1).toString(), '42\n');
}

const NEIGHBOUR = 'let n = 0; const t = setInterval(() => { if (++n === 10) { clearInterval(t); console.log("neighbour", n); } }, 20)';

/** Runs `code` as a bomb next to a neighbour; returns the bomb's end. */
async function bomb(code: string, limits: Partial<Limits> = LIMIT): Promise<{ p: Process; status: number; signal: number | null; err: string }> {
  const neighbour = spawnJs(NEIGHBOUR);
  const p = spawnJs(code, limits);
  const st = await within(p.exited, DEADLINE_MS, 'the bomb');
  await neighboursLive(neighbour);
  return { p, status: st.status, signal: st.signal, err: p.output(2).toString() };
}

before(async () => {
  kernel = await Kernel.boot({});
  dc.subscribe('isokernel:proc:fault', onFault);
});
after(async () => {
  dc.unsubscribe('isokernel:proc:fault', onFault);
  await kernel.shutdown();
  dropJsSpares();
});

describe('allocations outside the V8 heap fail at the memory limit (RangeError, status 1)', () => {
  const cases: [string, string, RegExp][] = [
    ['ArrayBuffer', 'const k = []; for (;;) k.push(new ArrayBuffer(4 << 20))', /RangeError: ArrayBuffer: allocation failed/],
    ['resizable ArrayBuffer', 'new ArrayBuffer(1, { maxByteLength: 2 ** 32 })', /RangeError: ArrayBuffer: allocation failed/],
    ['Buffer.alloc', 'const k = []; for (;;) k.push(Buffer.alloc(4 << 20, 1))', /RangeError: Buffer\.alloc: allocation failed/],
    ['Buffer.allocUnsafe', 'const k = []; for (;;) k.push(Buffer.allocUnsafe(4 << 20).fill(2))', /RangeError: Buffer\.allocUnsafe: allocation failed/],
    ['typed arrays', 'const k = []; for (;;) k.push(new Float64Array(1 << 19).fill(1))', /RangeError: Float64Array: allocation failed/],
    ['a typed array subclass', 'class V extends Uint8Array {} const k = []; for (;;) k.push(new V(4 << 20))', /RangeError: Uint8Array: allocation failed/],
    ['SharedArrayBuffer', 'const k = []; for (;;) k.push(new SharedArrayBuffer(4 << 20))', /RangeError: SharedArrayBuffer: allocation failed/],
    ['WebAssembly.Memory.grow', 'const m = new WebAssembly.Memory({ initial: 1 }); for (;;) { m.grow(64); new Uint8Array(m.buffer).fill(1, m.buffer.byteLength - 65536) }', /RangeError: WebAssembly\.Memory\.prototype\.grow: allocation failed/],
    ['WebAssembly.Memory', 'const k = []; for (;;) k.push(new WebAssembly.Memory({ initial: 64 }))', /RangeError: WebAssembly\.Memory: allocation failed/],
    ['the original WebAssembly.Memory (a prototype\'s constructor)', 'const M = WebAssembly.Memory.prototype.constructor; const k = []; for (;;) k.push(new M({ initial: 64 }))', /RangeError: WebAssembly\.Memory: allocation failed/],
    ['small SharedArrayBuffers (the kernel cannot see them: each is checked)', 'const k = []; for (;;) k.push(new SharedArrayBuffer(256 << 10))', /RangeError: SharedArrayBuffer: allocation failed/],
    ['Blob (its store is Node\'s: each is checked)', 'const u = new Uint8Array(256 << 10).fill(1); const k = []; for (;;) k.push(new Blob([u, "x"]))', /RangeError: Blob: allocation failed/],
    ['File from node:buffer', 'const { File } = require("node:buffer"); const u = new Uint8Array(256 << 10); const k = []; for (;;) k.push(new File([u], "f"))', /RangeError: File: allocation failed/],
    ['the original Blob (an instance\'s constructor)', 'const B = new Blob([]).constructor; const u = new Uint8Array(256 << 10); const k = []; for (;;) k.push(new B([u]))', /RangeError: Blob: allocation failed/],
    ['Blobs from stream/consumers', 'const { blob } = require("stream/consumers"); const { Readable } = require("stream"); const u = new Uint8Array(1 << 20); const k = []; (async () => { for (;;) k.push(await blob(Readable.from([u, u]))) })()', /RangeError: Blob: allocation failed/],
    ['Blobs from Response', 'const u = new Uint8Array(1 << 20); const k = []; (async () => { for (;;) k.push(await new Response(u).blob()) })()', /RangeError: Blob: allocation failed/],
    ['WebAssembly.Memory grown a page at a time', 'const m = new WebAssembly.Memory({ initial: 1 }); for (;;) m.grow(1)', /RangeError: WebAssembly\.Memory\.prototype\.grow: allocation failed/],
    ['the original SharedArrayBuffer (an instance\'s constructor)', 'const S = new SharedArrayBuffer(8).constructor; const k = []; for (;;) k.push(new S(4 << 20))', /RangeError: SharedArrayBuffer: allocation failed/],
    // Key derivations' tables are OpenSSL's, sized by the program (memguard.ts; node:crypto's callback forms run
    // on the isolate's thread, crypto-pool.ts; WebCrypto's on the host's thread pool).
    ['crypto.scryptSync (its table: 1 GiB)', 'require("node:crypto").scryptSync("p", "s", 16, { N: 2 ** 20, r: 8, maxmem: 2 ** 31 })', /RangeError: crypto\.scryptSync: allocation failed: 1024\.0 MiB more/],
    ['crypto.scrypt (the callback form)', 'require("node:crypto").scrypt("p", "s", 16, { N: 2 ** 19, r: 8, maxmem: 2 ** 31 }, () => console.log("derived"))', /RangeError: crypto\.scrypt: allocation failed: 512\.0 MiB more/],
    ['WebCrypto Argon2 calls in flight add up (40 MiB each, on the host\'s thread pool)', '(async () => { const key = await crypto.subtle.importKey("raw-secret", new Uint8Array(8), { name: "Argon2id" }, false, ["deriveBits"]); const a = { name: "Argon2id", nonce: new Uint8Array(16), parallelism: 1, memory: 40 * 1024, passes: 1 }; await Promise.all([crypto.subtle.deriveBits(a, key, 256), crypto.subtle.deriveBits(a, key, 256)]) })()', /RangeError: SubtleCrypto\.deriveBits: allocation failed: 40\.0 MiB more/],
    ['crypto.argon2Sync', 'require("node:crypto").argon2Sync("argon2id", { message: "p", nonce: Buffer.alloc(16), parallelism: 1, tagLength: 32, memory: 256 * 1024, passes: 1 })', /RangeError: crypto\.argon2Sync: allocation failed: 256\.0 MiB more/],
    ['crypto.argon2', 'require("node:crypto").argon2("argon2id", { message: "p", nonce: Buffer.alloc(16), parallelism: 1, tagLength: 32, memory: 256 * 1024, passes: 1 }, () => {})', /RangeError: crypto\.argon2: allocation failed: 256\.0 MiB more/],
    ['WebCrypto Argon2id (deriveBits)', '(async () => { const key = await crypto.subtle.importKey("raw-secret", new Uint8Array(8), { name: "Argon2id" }, false, ["deriveBits"]); await crypto.subtle.deriveBits({ name: "Argon2id", nonce: new Uint8Array(16), parallelism: 1, memory: 256 * 1024, passes: 1 }, key, 256) })()', /RangeError: SubtleCrypto\.deriveBits: allocation failed: 256\.0 MiB more/],
  ];
  for (const [name, code, err] of cases) {
    it(`${name} bomb`, async () => {
      const r = await bomb(code);
      assert.equal(r.status, 1, r.err);
      assert.match(r.err, err);
      assert.match(r.err, /memory limit of 64\.0 MiB/);
    });
  }

  it('key derivations within the limit work, sync and async (scrypt\'s default 16 MiB, Argon2 at 8 MiB)', async () => {
    const r = await bomb(`const c = require('node:crypto');
      const a = c.scryptSync('p', 's', 8).toString('hex');
      c.scrypt('p', 's', 8, (e, k) => {
        const o = { message: 'p', nonce: Buffer.alloc(16), parallelism: 1, tagLength: 8, memory: 8192, passes: 1 };
        console.log(e ?? 'ok', k.toString('hex') === a, c.argon2Sync('argon2id', o).length);
        c.argon2('argon2id', o, (e2, t) => console.log(e2 ?? 'ok', t.length));
      });`);
    assert.equal(r.status, 0, r.err);
    assert.equal(r.p.output(1).toString(), 'ok true 8\nok 8\n');
  });

  it('the error can be caught: the program goes on', async () => {
    const r = await bomb('try { new Uint8Array(2 ** 30) } catch (e) { console.log(e.constructor.name) } console.log(new Uint8Array(1 << 20).length)');
    assert.equal(r.status, 0, r.err);
    assert.equal(r.p.output(1).toString(), 'RangeError\n1048576\n');
  });
});

/** A wasm module of its own memory (no maximum) with export g(): memory.grow(64), filling the new pages if it grew. */
const WASM_GROW = `const bytes = Uint8Array.from([0,97,115,109,1,0,0,0, 1,5,1,96,0,1,127, 3,2,1,0, 5,3,1,0,1, 7,5,1,1,103,0,0,
  10,36,1,34,1,1,127, 65,192,0,64,0,34,0, 65,127,71,4,64, 32,0,65,16,116,65,1,65,128,128,128,2,252,11,0, 11, 32,0,11]);`;

describe('wasm modules\' own memories', () => {
  it('grow inside wasm stops at the process\'s limit (memory.grow gives -1); the memory is counted', async () => {
    const r = await bomb(`${WASM_GROW}
      const i = new WebAssembly.Instance(new WebAssembly.Module(bytes));
      let n = 0; while (i.exports.g() !== -1) n++;
      const m = i.exports.__isokernel_memory0;
      console.log('grew', n, 'times to', m.buffer.byteLength >> 20, 'MiB');
      try { new Uint8Array(8 << 20) } catch (e) { console.log(e.constructor.name) }`);
    assert.equal(r.status, 0, r.err);
    assert.equal(r.p.output(1).toString(), 'grew 15 times to 60 MiB\nRangeError\n');
  });

  it('instances made in a loop, each grown inside wasm: a RangeError at the limit', async () => {
    const r = await bomb(`${WASM_GROW}
      const mod = new WebAssembly.Module(bytes); const k = [];
      for (;;) { const i = new WebAssembly.Instance(mod); for (let j = 0; j < 4; j++) i.exports.g(); k.push(i) }`);
    assert.equal(r.status, 1, r.err);
    assert.match(r.err, /RangeError: WebAssembly\.Instance: allocation failed/);
  });

  it('WebAssembly.instantiate of bytes is capped the same way', async () => {
    const r = await bomb(`${WASM_GROW}
      WebAssembly.instantiate(bytes).then(({ instance }) => { let n = 0; while (instance.exports.g() !== -1) n++; console.log(n) })`);
    assert.equal(r.status, 0, r.err);
    assert.equal(r.p.output(1).toString(), '15\n');
  });
});

describe('the kernel bounds what goes around the runtime (SIGKILL and a fault record)', () => {
  const cases: [string, string][] = [
    ['the original Uint8Array (a prototype\'s constructor)', 'const U = Object.getPrototypeOf(Buffer.prototype).constructor; const k = []; for (;;) k.push(new U(4 << 20).fill(1))'],
    ['structuredClone', 'const b = new ArrayBuffer(1 << 20); const k = []; for (;;) k.push(structuredClone(b))'],
    ['TextEncoder', 'const s = "x".repeat(1 << 20); const e = new TextEncoder(); const k = []; for (;;) k.push(e.encode(s))'],
    ['Buffer.concat', 'const a = Buffer.alloc(1 << 20); const k = []; for (;;) k.push(Buffer.concat([a, a, a, a]))'],
    ['strings in external storage (Node decodes large latin1 into them)', 'const b = Buffer.alloc(4 << 20, 65); const k = []; for (;;) k.push(b.toString("latin1"))'],
  ];
  for (const [name, code] of cases) {
    it(name, async () => {
      const r = await bomb(code);
      assert.equal(r.signal, 9, `status ${r.status}: ${r.err}`);
      assert.match(r.p.fault?.kind ?? '', /JavaScript process out of memory \(limit 64 MiB\)/);
      assert.match(r.p.fault?.message ?? '', /external memory/);
      assert.equal(faults.filter((f) => f.pid === r.p.pid).length, 1);
    });
  }
});

describe('how far past its bound a bomb the runtime does not see gets', () => {
  // The watchdog's schedule (guard.ts: a sweep when the host grows SURGE_BYTES, a look every
  // NEAR_MS once past half the bound): measured on the loaded 2-core machine, the decision
  // finds this bomb 0–5 MiB past limit + slack (20–36 MiB when it looked every 100 ms only;
  // bench/jsguard.ts). Asserted: under OVERSHOOT_MAX, at the decision.
  const OVERSHOOT_MAX = 64;
  it('16 MiB filled arrays of the original Uint8Array, 4 rounds: killed each time within the bound', async () => {
    for (let round = 0; round < 4; round++) {
      const r = await bomb('const U = Object.getPrototypeOf(Buffer.prototype).constructor; const k = []; for (;;) k.push(new U(16 << 20).fill(1))');
      assert.equal(r.signal, 9, `status ${r.status}: ${r.err}`);
      const m = /heap in use ([\d.]+) MiB \+ external memory \([^)]*\) ([\d.]+) MiB, over the limit of 64 MiB \(\+ (\d+) MiB for garbage\)/.exec(r.p.fault?.message ?? '');
      assert.ok(m, r.p.fault?.message);
      const over = Number(m[1]) + Number(m[2]) - 64 - Number(m[3]);
      assert.ok(over > 0 && over <= OVERSHOOT_MAX, `${over.toFixed(1)} MiB past the bound (round ${round})`);
    }
  });
});

describe('a normal program within its limit', () => {
  it('uses and drops large buffers, typed arrays and a wasm memory many times its limit over time', async () => {
    const code = `
      const live = [Buffer.alloc(8 << 20, 1), new Float64Array(1 << 20).fill(2)]; // 16 MiB held
      let sum = 0;
      for (let i = 0; i < 60; i++) {
        const b = i % 2 ? new Uint8Array(12 << 20) : Buffer.allocUnsafe(12 << 20); // 720 MiB in all, dropped
        b.fill(i & 255);
        sum += b[b.length - 1];
        const ab = new ArrayBuffer(4 << 20);
        sum += ab.byteLength >> 20;
      }
      const m = new WebAssembly.Memory({ initial: 16, maximum: 256 });
      m.grow(112);
      new Uint8Array(m.buffer).fill(3);
      console.log('ok', sum, live.length, m.buffer.byteLength >> 20);`;
    const r = await bomb(code);
    assert.equal(r.status, 0, r.err);
    assert.match(r.p.output(1).toString(), /^ok \d+ 2 8\n$/);
  });
});
