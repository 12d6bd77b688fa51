// Hand-made WebAssembly modules for tests: the encodings, written here on their own (not
// with the kernel's src/kernel/proc/wasm-binary.ts, which the tests check).

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const o: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    o.push(b);
  } while (n);
  return o;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(n: number): number[] {
  const o: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...o, b];
    o.push(b | 0x80);
  }
}

/** A section: id, payload size, payload. */
export const sec = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** A name: UTF-8 length, bytes. */
export function str(s: string): number[] {
  const b = new TextEncoder().encode(s);
  return [...uleb(b.length), ...b];
}

/** A little-endian 32-bit word. */
export const i32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];

/** The module header: magic and version 1. */
export const HEADER: readonly number[] = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
