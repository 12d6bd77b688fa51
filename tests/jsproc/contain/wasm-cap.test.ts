// src/jsrt/wasm-cap.ts on the host: a module's defined memories capped and exported, the
// rest of the module unchanged; malformed modules returned as they are. (memory.test.ts
// runs the same inside JS processes.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capModuleMemories } from '../../../src/jsrt/wasm-cap.ts';

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

function leb(v: number): number[] {
  const out: number[] = [];
  do {
    let x = v & 0x7f;
    v >>>= 7;
    if (v !== 0) x |= 0x80;
    out.push(x);
  } while (v !== 0);
  return out;
}
function section(id: number, body: number[]): number[] {
  return [id, ...leb(body.length), ...body];
}
function name(s: string): number[] {
  return [s.length, ...Buffer.from(s)];
}

/**
 * A module with `() -> i32` function "grow" (memory.grow of 64 pages on memory 0) and
 * "size" (memory.size); memory: its own (limits given) or imported ("env" "mem").
 */
function module(o: { limits?: number[]; importMem?: boolean; exportMem?: boolean; noExports?: boolean }): Uint8Array {
  const type = section(1, [1, 0x60, 0, 1, 0x7f]);
  const imports = o.importMem ? section(2, [1, ...name('env'), ...name('mem'), 2, 0x00, 1]) : [];
  const funcs = section(3, [2, 0, 0]);
  const mem = o.limits ? section(5, [1, ...o.limits]) : [];
  const exps = [
    ...(o.noExports ? [] : [[...name('grow'), 0, 0], [...name('size'), 0, 1]]),
    ...(o.exportMem ? [[...name('memory'), 2, 0]] : []),
  ];
  const exp = exps.length ? section(7, [exps.length, ...exps.flat()]) : [];
  const grow = [0, 0x41, 0xc0, 0x00, 0x40, 0x00, 0x0b]; // i32.const 64; memory.grow 0
  const size = [0, 0x3f, 0x00, 0x0b]; // memory.size 0
  const code = section(10, [2, grow.length, ...grow, size.length, ...size]);
  return Uint8Array.from([...HEADER, ...type, ...imports, ...funcs, ...mem, ...exp, ...code]);
}

function instance(bytes: Uint8Array, imports: WebAssembly.Imports = {}): WebAssembly.Instance {
  return new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), imports);
}

describe('capModuleMemories', () => {
  it('caps a memory without a maximum and exports it under a reserved name', () => {
    const src = module({ limits: [0x00, 1] });
    const out = capModuleMemories(src, 200);
    assert.notEqual(out, src);
    const i = instance(out);
    const ex = i.exports as { grow(): number; size(): number; __isokernel_memory0: WebAssembly.Memory };
    assert.ok(ex.__isokernel_memory0 instanceof WebAssembly.Memory);
    let grown = 0;
    while (ex.grow() !== -1) grown++;
    assert.equal(grown, 3); // 1 + 3 × 64 = 193 ≤ 200; a fourth would pass 200
    assert.equal(ex.size(), 193);
    assert.equal(ex.__isokernel_memory0.buffer.byteLength, 193 * 65536);
  });

  it('lowers a larger maximum, keeps a smaller one and the module\'s own export', () => {
    const big = instance(capModuleMemories(module({ limits: [0x01, 1, ...leb(60000)], exportMem: true }), 100));
    const ex = big.exports as { grow(): number; memory: WebAssembly.Memory };
    assert.deepEqual(Object.keys(ex).sort(), ['grow', 'memory', 'size']);
    while (ex.grow() !== -1);
    assert.ok(ex.memory.buffer.byteLength <= 100 * 65536);
    const small = module({ limits: [0x01, 1, 10], exportMem: true });
    assert.equal(capModuleMemories(small, 100), small); // nothing to change
  });

  it('a minimum above the cap is kept (the module asks for it; instantiation counts it)', () => {
    const i = instance(capModuleMemories(module({ limits: [0x00, 50] }), 10));
    const ex = i.exports as { grow(): number; size(): number };
    assert.equal(ex.size(), 50);
    assert.equal(ex.grow(), -1);
  });

  it('adds an export section where there was none, in section order', () => {
    const i = instance(capModuleMemories(module({ limits: [0x00, 1], noExports: true }), 64));
    assert.deepEqual(Object.keys(i.exports), ['__isokernel_memory0']);
  });

  it('leaves imported memories alone (they are the importer\'s)', () => {
    const src = module({ importMem: true });
    assert.equal(capModuleMemories(src, 64), src);
    const mem = new WebAssembly.Memory({ initial: 1 });
    const i = instance(src, { env: { mem } });
    assert.equal((i.exports as { size(): number }).size(), 1);
  });

  it('returns what it cannot parse unchanged', () => {
    for (const bad of [new Uint8Array(0), Uint8Array.from(HEADER), Uint8Array.from([...HEADER, 5, 9, 1]), Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9])]) {
      assert.equal(capModuleMemories(bad, 64), bad);
    }
    const trunc = module({ limits: [0x00, 1] }).subarray(0, 30);
    assert.equal(capModuleMemories(trunc, 64), trunc);
  });
});
