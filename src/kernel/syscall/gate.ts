// The syscall gate: how a syscall that may wait costs a plain call when it does not.
//
// A JSPI Suspending import costs ~95 ns per call even when it returns at once, a plain JS
// import ~15 ns. So each syscall that may block is given to the guest as a tiny wasm
// function (this module, built once per kernel) that calls the plain "fast" import first
// and only when that returns BLOCK (-1, never an errno) calls the Suspending "slow" import,
// which sleeps and retries. The guest → gate → slow frames are all wasm, so JSPI can
// suspend the stack across them.
//
//   (func $fd_write (param i32 i32 i32 i32) (result i32) (local i32)
//     local.get 0 .. 3  call $fast  local.tee 4  i32.const -1  i32.ne
//     if (result i32) local.get 4 else local.get 0 .. 3 call $slow end)

type ValType = 'i32' | 'i64';
const VALTYPE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e };

export interface GatedSignature {
  name: string;
  params: ValType[];
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function str(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** Builds the gate module for `sigs`: imports k.fast_NAME and k.slow_NAME, exports NAME. */
export function buildGateModule(sigs: readonly GatedSignature[]): Uint8Array {
  const types = sigs.map((s) => [0x60, ...vec(s.params.map((p) => [VALTYPE[p]])), 1, 0x7f]);
  const imports: number[][] = [];
  sigs.forEach((s, i) => {
    imports.push([...str('k'), ...str('fast_' + s.name), 0x00, ...uleb(i)]);
    imports.push([...str('k'), ...str('slow_' + s.name), 0x00, ...uleb(i)]);
  });
  const funcs = sigs.map((_, i) => uleb(i));
  const exports = sigs.map((s, i) => [...str(s.name), 0x00, ...uleb(sigs.length * 2 + i)]);
  const bodies = sigs.map((s, i) => {
    const n = s.params.length;
    const getAll = s.params.flatMap((_, j) => [0x20, ...uleb(j)]);
    const code = [
      ...vec([[1, 0x7f]]), // one i32 local
      ...getAll, 0x10, ...uleb(2 * i), 0x22, ...uleb(n), 0x41, 0x7f, 0x47,
      0x04, 0x7f, 0x20, ...uleb(n), 0x05, ...getAll, 0x10, ...uleb(2 * i + 1), 0x0b, 0x0b,
    ];
    return [...uleb(code.length), ...code];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(funcs)),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
  ]);
}
