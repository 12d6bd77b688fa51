// Reading a module's section list without decoding it, to split off custom sections.
//
// Why: V8 reads the "name" section again at every instantiation (measured on Node 26: a 4 KiB
// hello with its name section instantiates in ~280 µs, without it in ~130 µs). The loader
// therefore compiles the module without the custom sections that follow the code section
// (name, producers, .debug_*), which leaves every code offset unchanged, and keeps them
// aside: fault records name functions from the kept name section. The bytes are read with
// the kernel's shared reader (wasm-binary.ts).
import { customName, IMPORT_FUNC, IMPORT_GLOBAL, nameMap, Reader, readImport, sections, type Section } from './wasm-binary.ts';

export interface SplitModule {
  /** The module without trailing custom sections. */
  code: Uint8Array;
  /** Custom sections removed, by name (payload only). */
  custom: Map<string, Uint8Array>;
}

/**
 * Splits off the custom sections that follow the code section. On any malformation it
 * returns the module unchanged (the compiler will then report the problem itself).
 */
export function splitCustomSections(bytes: Uint8Array): SplitModule {
  const custom = new Map<string, Uint8Array>();
  try {
    let seenCode = false;
    const keep: Section[] = [];
    for (const s of sections(bytes)) {
      if (s.id === 10) seenCode = true;
      if (s.id === 0 && seenCode) {
        const { name, payload } = customName(bytes, s);
        if (!custom.has(name)) custom.set(name, bytes.subarray(payload, s.end));
      } else keep.push(s);
    }
    if (custom.size === 0) return { code: bytes, custom };
    const out = new Uint8Array(8 + keep.reduce((n, s) => n + s.end - s.start, 0));
    out.set(bytes.subarray(0, 8));
    let at = 8;
    for (const s of keep) {
      out.set(bytes.subarray(s.start, s.end), at);
      at += s.end - s.start;
    }
    return { code: out, custom };
  } catch {
    return { code: bytes, custom: new Map() };
  }
}

/** Function names from a "name" section payload (subsection 1). A malformed section yields what was read. */
export function parseFunctionNames(payload: Uint8Array | undefined): Map<number, string> {
  return nameMap(payload, 1);
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
    let funcImports = 0;
    const globalTypes: number[] = [];
    let codeOffset = -1;
    let bodies = new Uint32Array(0);
    for (const s of sections(b)) {
      const r = new Reader(b, s.body, s.end);
      if (s.id === 2) {
        for (let n = r.uleb(); n > 0; n--) {
          const imp = readImport(r);
          if (imp.kind === IMPORT_FUNC) funcImports++;
          else if (imp.kind === IMPORT_GLOBAL) globalTypes.push(imp.valType);
        }
      } else if (s.id === 6) {
        // Types only; each initialiser is skipped.
        for (let n = r.uleb(); n > 0; n--) {
          globalTypes.push(r.valType());
          r.byte(); // mutability
          r.skipConstExpr();
        }
      } else if (s.id === 10) {
        codeOffset = s.body;
        const n = r.uleb();
        bodies = new Uint32Array(n);
        for (let i = 0; i < n; i++) {
          const len = r.uleb();
          bodies[i] = r.pos;
          r.skip(len);
        }
      }
    }
    return { codeOffset, bodies, funcImports, globalTypes: Uint8Array.from(globalTypes) };
  } catch {
    return null;
  }
}
