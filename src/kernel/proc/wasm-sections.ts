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

/** Where things are in a module, for fault records and core files (read at load: one pass). */
export interface ModuleLayout {
  /** Offset of the code section's payload (its function count) in the module: DWARF's address 0. */
  codeOffset: number;
  /** Module offset of each defined function's body (its locals), by defined-function number. */
  bodies: Uint32Array;
  /** Imported functions (a defined function's index is funcImports + its number). */
  funcImports: number;
  /** Value type of each global (imported first), as the binary's byte: 0x7f i32, 0x7e i64, ... */
  globalTypes: Uint8Array;
}

/** Reads a module's layout; null if it cannot be read (the compiler will say why). */
export function moduleLayout(b: Uint8Array): ModuleLayout | null {
  try {
    let pos = 8;
    let funcImports = 0;
    const globalTypes: number[] = [];
    let codeOffset = -1;
    let bodies = new Uint32Array(0);
    const skipLimits = (at: number): number => {
      const flags = b[at++]!;
      [, at] = uleb(b, at);
      if (flags & 1) [, at] = uleb(b, at);
      return at;
    };
    while (pos < b.length) {
      const id = b[pos++]!;
      const [size, body] = uleb(b, pos);
      const end = body + size;
      let at = body;
      if (id === 2) {
        let n;
        [n, at] = uleb(b, at);
        for (let i = 0; i < n; i++) {
          let len;
          [len, at] = uleb(b, at);
          at += len;
          [len, at] = uleb(b, at);
          at += len;
          const kind = b[at++]!;
          if (kind === 0) {
            funcImports++;
            [, at] = uleb(b, at);
          } else if (kind === 1) {
            at++; // reftype
            at = skipLimits(at);
          } else if (kind === 2) {
            at = skipLimits(at);
          } else if (kind === 3) {
            globalTypes.push(b[at]!);
            at += 2;
          } else if (kind === 4) {
            at++;
            [, at] = uleb(b, at);
          } else throw new RangeError(`import kind ${kind}`);
        }
      } else if (id === 6) {
        // Types only; each initialiser is skipped.
        let n;
        [n, at] = uleb(b, at);
        for (let i = 0; i < n; i++) {
          globalTypes.push(b[at]!);
          at += 2;
          at = skipConstExpr(b, at);
        }
      } else if (id === 10) {
        codeOffset = body;
        let n;
        [n, at] = uleb(b, at);
        bodies = new Uint32Array(n);
        for (let i = 0; i < n; i++) {
          let len;
          [len, at] = uleb(b, at);
          bodies[i] = at;
          at += len;
        }
      }
      pos = end;
    }
    return { codeOffset, bodies, funcImports, globalTypes: Uint8Array.from(globalTypes) };
  } catch {
    return null;
  }
}

/** Skips a constant expression (MVP and extended-const opcodes, ref.func, ref.null), through its end. */
function skipConstExpr(b: Uint8Array, at: number): number {
  for (;;) {
    const op = b[at++];
    switch (op) {
      case 0x0b: return at;
      case 0x41: case 0x42: // i32.const, i64.const: signed LEB128
        while (b[at++]! & 0x80) { /* skip */ }
        break;
      case 0x43: at += 4; break;
      case 0x44: at += 8; break;
      case 0x23: case 0xd2: [, at] = uleb(b, at); break; // global.get, ref.func
      case 0xd0: at++; break; // ref.null t
      case 0x6a: case 0x6b: case 0x6c: case 0x7c: case 0x7d: case 0x7e: break; // extended-const arithmetic
      case 0xfd: // v128.const
        [, at] = uleb(b, at);
        at += 16;
        break;
      default: throw new RangeError(`opcode 0x${(op ?? 0).toString(16)} in a constant expression`);
    }
  }
}
