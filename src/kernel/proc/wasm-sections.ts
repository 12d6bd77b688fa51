// Reading a module's section list without decoding it, to split off custom sections.
//
// Why: V8 reads the "name" section again at every instantiation (measured on Node 26: a 4 KiB
// hello with its name section instantiates in ~280 µs, without it in ~130 µs). The loader
// therefore compiles the module without the custom sections that follow the code section
// (name, producers, .debug_*), which leaves every code offset unchanged, and keeps them
// aside: fault records name functions from the kept name section.

export interface SplitModule {
  /** The module without trailing custom sections. */
  code: Uint8Array;
  /** Custom sections removed, by name (payload only). */
  custom: Map<string, Uint8Array>;
}

function uleb(b: Uint8Array, pos: number): [value: number, next: number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (pos >= b.length) throw new RangeError('truncated LEB128');
    const byte = b[pos++]!;
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7;
    if (shift > 35) throw new RangeError('LEB128 too long');
  }
}

/**
 * Splits off the custom sections that follow the code section. On any malformation it
 * returns the module unchanged (the compiler will then report the problem itself).
 */
export function splitCustomSections(bytes: Uint8Array): SplitModule {
  const custom = new Map<string, Uint8Array>();
  try {
    let pos = 8;
    let seenCode = false;
    const keep: [number, number][] = [[0, 8]];
    while (pos < bytes.length) {
      const start = pos;
      const id = bytes[pos++]!;
      const [size, body] = uleb(bytes, pos);
      const end = body + size;
      if (end > bytes.length) return { code: bytes, custom: new Map() };
      if (id === 10) seenCode = true;
      if (id === 0 && seenCode) {
        const [nameLen, nameAt] = uleb(bytes, body);
        const name = new TextDecoder().decode(bytes.subarray(nameAt, nameAt + nameLen));
        if (!custom.has(name)) custom.set(name, bytes.subarray(nameAt + nameLen, end));
      } else keep.push([start, end]);
      pos = end;
    }
    if (custom.size === 0) return { code: bytes, custom };
    const out = new Uint8Array(keep.reduce((n, [s, e]) => n + e - s, 0));
    let at = 0;
    for (const [s, e] of keep) {
      out.set(bytes.subarray(s, e), at);
      at += e - s;
    }
    return { code: out, custom };
  } catch {
    return { code: bytes, custom: new Map() };
  }
}

/** Function names from a "name" section payload (subsection 1). A malformed section yields what was read. */
export function parseFunctionNames(payload: Uint8Array | undefined): Map<number, string> {
  const names = new Map<number, string>();
  if (!payload) return names;
  const dec = new TextDecoder();
  try {
    let pos = 0;
    while (pos < payload.length) {
      const id = payload[pos++]!;
      let size: number;
      [size, pos] = uleb(payload, pos);
      const end = pos + size;
      if (id === 1) {
        let count: number;
        [count, pos] = uleb(payload, pos);
        for (let i = 0; i < count; i++) {
          let idx: number;
          let len: number;
          [idx, pos] = uleb(payload, pos);
          [len, pos] = uleb(payload, pos);
          names.set(idx, dec.decode(payload.subarray(pos, pos + len)));
          pos += len;
        }
      }
      pos = end;
    }
  } catch {
    // A malformed name section only costs us names.
  }
  return names;
}
