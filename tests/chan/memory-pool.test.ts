// WASI processes' memories, pooled (src/kernel/proc/memory-pool.ts): the rewrite of a module
// to import its memory (what is and is not rewritten; the result validates and keeps memory
// 0, its limits and its export), the pool's rules (zeroed when taken, a grown memory not
// kept), and through the kernel: a process never sees what the previous one left in a
// reused memory.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Pipe } from '../../src/kernel/fd/pipe.ts';
import type { Kernel } from '../../src/kernel/kernel.ts';
import {
  clearMemoryPool, giveBackMemory, importMemory, memoryPoolStats, POOL_MODULE, POOL_NAME, takeMemory,
} from '../../src/kernel/proc/memory-pool.ts';
import { useKernel } from '../lib/js-kernel.ts';
import { HEADER, sec, str, uleb as leb } from '../lib/wasm.ts';

const CAT = fileURLToPath(new URL('../../userland/bin/cat', import.meta.url));


/**
 * A WASI command: `_start` looks at the i32 at `at`; non-zero: proc_exit(1); else it stores a
 * marker there (after growing the memory by `grow` pages) and exits 0. `limits` are the
 * memory's limit bytes; `imports` false leaves out the import section (then _start just ends).
 */
function command(o: { limits?: number[]; at?: number; grow?: number; imports?: boolean; extraMemory?: boolean; importMem?: boolean } = {}): Uint8Array {
  const limits = o.limits ?? [0, 1];
  const at = o.at ?? 1000;
  const imports = o.imports ?? true;
  const type = sec(1, [2, 0x60, 1, 0x7f, 0, 0x60, 0, 0]);
  const impEntries: number[][] = [];
  if (imports) impEntries.push([...str('wasi_snapshot_preview1'), ...str('proc_exit'), 0, 0]);
  if (o.importMem) impEntries.push([...str('env'), ...str('memory'), 2, ...limits]);
  const imp = impEntries.length ? sec(2, [impEntries.length, ...impEntries.flat()]) : [];
  const nImportFuncs = imports ? 1 : 0;
  const func = sec(3, [1, 1]);
  const mems = o.importMem ? [] : [limits, ...(o.extraMemory ? [[0, 1]] : [])];
  const mem = mems.length ? sec(5, [mems.length, ...mems.flat()]) : [];
  const exp = sec(7, [2, ...str('memory'), 2, 0, ...str('_start'), 0, nImportFuncs]);
  const body: number[] = [0];
  if (imports) {
    if (o.grow) body.push(0x41, ...leb(o.grow), 0x40, 0, 0x1a); // memory.grow, drop
    body.push(0x41, ...leb(at), 0x28, 2, 0, 0x04, 0x40, 0x41, 1, 0x10, 0, 0x0b); // if (load(at)) proc_exit(1)
    body.push(0x41, ...leb(at), 0x41, 0xf8, 0xac, 0xd1, 0x91, 0x01, 0x36, 2, 0); // store(at, 0x12345678)
    body.push(0x41, 0, 0x10, 0); // proc_exit(0)
  }
  body.push(0x0b);
  const code = sec(10, [1, ...leb(body.length), ...body]);
  const data = sec(11, [1, 0, 0x41, ...leb(16), 0x0b, 4, 1, 2, 3, 4]); // 4 bytes at 16
  return new Uint8Array([...HEADER, ...type, ...imp, ...func, ...mem, ...exp, ...code, ...data]);
}

describe('importMemory: the rewrite', () => {
  it('rewrites a command that defines its memory: memory 0 imported with the same limits, still exported', () => {
    for (const [limits, initial, maximum] of [[[0, 2], 2, null], [[1, 1, 8], 1, 8]] as const) {
      for (const imports of [true, false]) {
        const before = command({ limits: [...limits], imports });
        assert.ok(WebAssembly.validate(before));
        const r = importMemory(before);
        assert.ok(r, `rewritten (imports: ${imports})`);
        assert.deepEqual(r.spec, { initial, maximum, shift: r.bytes.length - before.length });
        const m = new WebAssembly.Module(r.bytes);
        const mi = WebAssembly.Module.imports(m).filter((i) => i.kind === 'memory');
        assert.deepEqual(mi.map((i) => [i.module, i.name]), [[POOL_MODULE, POOL_NAME]]);
        assert.deepEqual(WebAssembly.Module.exports(m).map((e) => `${e.name}:${e.kind}`), ['memory:memory', '_start:function']);
        // The data segment lands in the memory given.
        const mem = new WebAssembly.Memory(maximum === null ? { initial } : { initial, maximum });
        const imp: WebAssembly.Imports = { [POOL_MODULE]: { [POOL_NAME]: mem } };
        if (imports) imp.wasi_snapshot_preview1 = { proc_exit: () => {} };
        const inst = new WebAssembly.Instance(m, imp);
        assert.equal(inst.exports.memory, mem);
        assert.deepEqual([...new Uint8Array(mem.buffer, 16, 4)], [1, 2, 3, 4]);
      }
    }
  });

  it('keeps further memories of a multi-memory module at their indices', () => {
    const before = command({ extraMemory: true });
    assert.ok(WebAssembly.validate(before));
    const r = importMemory(before);
    assert.ok(r);
    assert.ok(WebAssembly.validate(r.bytes));
  });

  it('leaves alone what it must not pool: an imported memory, shared or 64-bit memory, no memory, garbage', () => {
    assert.equal(importMemory(command({ importMem: true })), null);
    assert.equal(importMemory(command({ limits: [3, 1, 2] })), null); // shared
    assert.equal(importMemory(command({ limits: [4, 1] })), null); // memory64
    const noMem = new Uint8Array([...HEADER, ...sec(1, [1, 0x60, 0, 0]), ...sec(3, [1, 0]), ...sec(10, [1, 2, 0, 0x0b])]);
    assert.equal(importMemory(noMem), null);
    const cut = command().subarray(0, 30);
    assert.equal(importMemory(cut), null);
    assert.equal(importMemory(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 0x7f])), null);
  });
});

describe('the pool', () => {
  it('hands out zeroed memories of exactly the limits asked; a grown memory is not kept', () => {
    clearMemoryPool();
    const spec = { initial: 1, maximum: 4, shift: 0 };
    const a = takeMemory(spec);
    new Uint8Array(a.buffer).fill(0xee);
    giveBackMemory(spec, a);
    const b = takeMemory(spec);
    assert.equal(b, a, 'reused');
    assert.ok(new Uint8Array(b.buffer).every((x) => x === 0), 'zeroed');
    b.grow(1);
    giveBackMemory(spec, b);
    const c = takeMemory(spec);
    assert.notEqual(c, b, 'a grown memory is not reused');
    assert.equal(c.buffer.byteLength, 65536);
    // Another maximum is another kind of memory.
    giveBackMemory(spec, c);
    assert.notEqual(takeMemory({ initial: 1, maximum: null, shift: 0 }), c);
    clearMemoryPool();
  });
});

describe('through the kernel', () => {
  let kernel: Kernel;
  useKernel((k) => (kernel = k));

  it('a process never sees what the previous one left in its memory', async () => {
    const prog = command({ limits: [0, 2] });
    const reused0 = memoryPoolStats.reused;
    for (let i = 0; i < 6; i++) {
      const p = kernel.spawn({ program: prog, args: ['marker'], stdio: ['null', 'capture', 'capture'] });
      const st = await p.exited;
      assert.equal(st.status, 0, `run ${i}: status ${st.status} (1: it found the previous run's marker)`);
    }
    assert.ok(memoryPoolStats.reused > reused0, 'memories were reused');
  });

  it('a process that grew its memory leaves a fresh one to the next', async () => {
    const prog = command({ limits: [1, 1, 4], grow: 1, at: 70000 });
    for (let i = 0; i < 3; i++) {
      const p = kernel.spawn({ program: prog, args: ['grower'], stdio: ['null', 'capture', 'capture'] });
      assert.equal((await p.exited).status, 0, `run ${i}`);
    }
  });

  it('a process killed while blocked: its memory is not handed on while its suspended stack exists; the next process runs clean', async () => {
    // cat blocks reading a pipe whose writer stays open.
    const [r, w] = Pipe.create();
    const returned0 = memoryPoolStats.returned;
    const p = kernel.spawn({ program: CAT, args: ['cat'], stdio: [r, 'capture', 'capture'] });
    const t0 = Date.now();
    while (p.wchan === null || p.state !== 'sleeping') {
      assert.ok(Date.now() - t0 < 20000, 'cat blocks in its read');
      await new Promise((res) => setTimeout(res, 5));
    }
    kernel.kill(p.pid, 9);
    assert.equal((await p.exited).signal, 9);
    // Its stack is suspended in the read, never resumed: the memory is left to the garbage
    // collector with it, not pooled (nothing could write into a memory handed on).
    await new Promise((res) => setTimeout(res, 20));
    assert.equal(memoryPoolStats.returned, returned0);
    w.close();
    const prog = command({ limits: [0, 2] });
    const q = kernel.spawn({ program: prog, args: ['marker'], stdio: ['null', 'capture', 'capture'] });
    assert.equal((await q.exited).status, 0);
  });
});
