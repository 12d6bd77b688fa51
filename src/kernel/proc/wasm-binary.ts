// The kernel's one reader and writer of WebAssembly's binary encoding: LEB128, names, limits,
// value and block types, constant expressions, the section list, import entries and the name
// section's name maps. Every reader of modules in the kernel builds on it — the loader's
// section split and layout (wasm-sections.ts), the memory pool's rewrite (memory-pool.ts),
// threaded programs' memory import (thread-module.ts), the instrumenter (instrument.ts;
// instrument-wasm.ts adds the instructions), core files (core.ts) — and DWARF's line reader
// (dwarf.ts) extends Reader for its LEB128s and bounds checks.
//
// Errors: a malformation throws WasmFormatError; a subclass of Reader names its own error by
// overriding fail() (core files: CoreFormatError; DWARF: DwarfError). What a malformation
// means is the caller's: mostly "run the module as it is, and let the compiler say why".
//
// Not shared yet: src/jsrt/wasm-cap.ts (the runtime inside JS processes' isolates) has its
// own reader. This module imports nothing, so the runtime could use it as it uses
// kernel/net/addr.ts; keep it free of imports for that.

/** Thrown for bytes that are not what the binary format says they should be. */
export class WasmFormatError extends Error {}

/** Table and memory limits: flags (bit 0: a maximum follows; 1: shared; 2: 64-bit), in pages or elements. */
export interface Limits {
  flags: number;
  initial: number;
  maximum: number | null;
}

/** A cursor over `b[pos, end)`. Every read is bounds-checked. */
export class Reader {
  pos: number;
  readonly b: Uint8Array;
  end: number;

  constructor(b: Uint8Array, pos = 0, end = b.length) {
    this.b = b;
    this.pos = pos;
    this.end = end;
  }

  /** Throws the reader's error; a subclass throws its own kind. */
  protected fail(what: string): never {
    throw new WasmFormatError(what);
  }

  byte(): number {
    if (this.pos >= this.end) this.fail(`truncated at 0x${this.pos.toString(16)}`);
    return this.b[this.pos++]!;
  }

  /** An unsigned LEB128 of at most 10 bytes (a 64-bit one's value is exact up to 2^53). */
  uleb(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; ; i++) {
      const byte = this.byte();
      result += (byte & 0x7f) * mul;
      if ((byte & 0x80) === 0) return result;
      mul *= 128;
      if (i >= 9) this.fail('LEB128 too long');
    }
  }

  /** A signed LEB128 of at most 10 bytes, as a number (exact up to 2^53 in magnitude). */
  sleb(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; ; i++) {
      const byte = this.byte();
      result += (byte & 0x7f) * mul;
      mul *= 128;
      if ((byte & 0x80) === 0) return (byte & 0x40) !== 0 ? result - mul : result;
      if (i >= 9) this.fail('LEB128 too long');
    }
  }

  /** Skips a (signed or unsigned) LEB128. */
  skipLeb(): void {
    for (let i = 0; ; i++) {
      if ((this.byte() & 0x80) === 0) return;
      if (i >= 9) this.fail('LEB128 too long');
    }
  }

  skip(n: number): void {
    if (this.pos + n > this.end) this.fail(`truncated at 0x${this.pos.toString(16)}`);
    this.pos += n;
  }

  /** The next `n` bytes (a view, not a copy). */
  bytes(n: number): Uint8Array {
    const at = this.pos;
    this.skip(n);
    return this.b.subarray(at, at + n);
  }

  /** A name: its byte length, then UTF-8. */
  name(): string {
    return DEC.decode(this.bytes(this.uleb()));
  }

  /** A value type; returns its first byte (0x7f i32 ... 0x7b v128, reference types). */
  valType(): number {
    const t = this.byte();
    if (t === 0x63 || t === 0x64) this.skipLeb(); // (ref null? heaptype)
    else if (t < 0x69 || t > 0x7f) this.fail(`unknown value type 0x${t.toString(16)}`);
    return t;
  }

  /** A block type: empty (0x40), one value type, or a type index (s33). */
  blockType(): void {
    const t = this.b[this.pos];
    if (t === 0x40) this.pos++;
    else if (t === 0x63 || t === 0x64) this.valType();
    else if (t !== undefined && t >= 0x69 && t <= 0x7f) this.pos++;
    else this.skipLeb();
  }

  /** Limits of a table or memory. */
  limits(): Limits {
    const flags = this.byte();
    const initial = this.uleb();
    const maximum = flags & 1 ? this.uleb() : null;
    return { flags, initial, maximum };
  }

  /**
   * Skips a constant expression through its `end`: MVP and extended-const opcodes,
   * global.get, ref.func, ref.null, v128.const.
   */
  skipConstExpr(): void {
    for (;;) {
      const op = this.byte();
      switch (op) {
        case 0x0b: return;
        case 0x41: case 0x42: case 0xd0: this.skipLeb(); break; // i32/i64.const, ref.null heaptype
        case 0x43: this.skip(4); break;
        case 0x44: this.skip(8); break;
        case 0x23: case 0xd2: this.uleb(); break; // global.get, ref.func
        case 0xfd: // v128.const
          if (this.uleb() !== 12) this.fail('bad constant expression');
          this.skip(16);
          break;
        case 0x6a: case 0x6b: case 0x6c: case 0x7c: case 0x7d: case 0x7e: break; // extended-const arithmetic
        default: this.fail(`opcode 0x${op.toString(16)} in a constant expression`);
      }
    }
  }
}

const DEC = new TextDecoder();

/** One top-level section: where its id byte is, where its payload starts, where it ends. */
export interface Section {
  id: number;
  start: number;
  body: number;
  end: number;
}

/** The sections of module `b` (after its 8-byte header), in order. Errors: WasmFormatError. */
export function sections(b: Uint8Array): Section[] {
  const out: Section[] = [];
  const r = new Reader(b, 8);
  while (r.pos < b.length) {
    const start = r.pos;
    const id = r.byte();
    const size = r.uleb();
    const body = r.pos;
    r.skip(size);
    out.push({ id, start, body, end: r.pos });
  }
  return out;
}

/** A custom section's name and where its payload (after the name) starts. */
export function customName(b: Uint8Array, s: Section): { name: string; payload: number } {
  const r = new Reader(b, s.body, s.end);
  const name = r.name();
  return { name, payload: r.pos };
}

/** A vector section's entry count and its entries' bytes (after the count); an absent section has none. */
export function vector(b: Uint8Array, s: Section | undefined): { count: number; entries: Uint8Array } {
  if (!s) return { count: 0, entries: new Uint8Array(0) };
  const r = new Reader(b, s.body, s.end);
  const count = r.uleb();
  return { count, entries: b.subarray(r.pos, s.end) };
}

export const IMPORT_FUNC = 0, IMPORT_TABLE = 1, IMPORT_MEMORY = 2, IMPORT_GLOBAL = 3, IMPORT_TAG = 4;

/** One entry of the import section. */
export interface Import {
  module: string;
  name: string;
  /** IMPORT_FUNC ... IMPORT_TAG. */
  kind: number;
  /** A function's or tag's type index (else 0). */
  type: number;
  /** A table's reference type, a global's value type: its first byte (else 0). */
  valType: number;
  /** A global's mutability. */
  mutable: boolean;
  /** A table's or memory's limits (else null). */
  limits: Limits | null;
}

/** Reads one import entry. Errors: WasmFormatError, also for an unknown kind. */
export function readImport(r: Reader): Import {
  const module = r.name();
  const name = r.name();
  const kind = r.byte();
  const imp: Import = { module, name, kind, type: 0, valType: 0, mutable: false, limits: null };
  switch (kind) {
    case IMPORT_FUNC: imp.type = r.uleb(); break;
    case IMPORT_TABLE: imp.valType = r.valType(); imp.limits = r.limits(); break;
    case IMPORT_MEMORY: imp.limits = r.limits(); break;
    case IMPORT_GLOBAL: imp.valType = r.valType(); imp.mutable = r.byte() === 1; break;
    case IMPORT_TAG: r.byte(); imp.type = r.uleb(); break; // attribute, type index
    default: throw new WasmFormatError(`unknown import kind ${kind}`);
  }
  return imp;
}

/**
 * A name map of a "name" section payload: subsection 1 (functions), 7 (globals), ...
 * index → name. A malformed section yields what was read before the malformation.
 */
export function nameMap(payload: Uint8Array | undefined, subsection: number): Map<number, string> {
  const out = new Map<number, string>();
  if (!payload) return out;
  try {
    const r = new Reader(payload);
    while (r.pos < payload.length) {
      const id = r.byte();
      const size = r.uleb();
      const end = r.pos + size;
      if (id === subsection) {
        for (let n = r.uleb(); n > 0; n--) {
          const idx = r.uleb();
          out.set(idx, r.name());
        }
      }
      r.pos = end;
    }
  } catch {
    // A malformed name section only costs names.
  }
  return out;
}

/** A growable byte buffer; its writes chain (`w.byte(0).u32(n)`). */
export class Writer {
  buf: Uint8Array;
  len = 0;

  constructor(size = 256) {
    this.buf = new Uint8Array(size);
  }

  private grow(n: number): void {
    let size = Math.max(this.buf.length * 2, 16);
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): this {
    if (this.len >= this.buf.length) this.grow(1);
    this.buf[this.len++] = b;
    return this;
  }

  bytes(src: Uint8Array | readonly number[]): this {
    if (this.len + src.length > this.buf.length) this.grow(src.length);
    this.buf.set(src, this.len);
    this.len += src.length;
    return this;
  }

  /** An unsigned LEB128 (any safe integer). */
  u32(n: number): this {
    do {
      let b = n % 128;
      n = Math.floor(n / 128);
      if (n !== 0) b |= 0x80;
      this.byte(b);
    } while (n !== 0);
    return this;
  }

  /** A signed LEB128 of a 32-bit integer. */
  s32(n: number): this {
    n |= 0;
    for (;;) {
      const b = n & 0x7f;
      n >>= 7;
      if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return this.byte(b);
      this.byte(b | 0x80);
    }
  }

  /** A signed LEB128 of a 64-bit integer. */
  s64(v: bigint): this {
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) return this.byte(b);
      this.byte(b | 0x80);
    }
  }

  /** A name: its UTF-8 length, then the bytes. */
  name(s: string): this {
    const b = ENC.encode(s);
    return this.u32(b.length).bytes(b);
  }

  /** A copy of what was written. */
  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

const ENC = new TextEncoder();

/** The unsigned LEB128 of `n`. */
export function uleb(n: number): Uint8Array {
  return new Writer(8).u32(n).result();
}

/** How many bytes the unsigned LEB128 of `n` takes. */
export function ulebLength(n: number): number {
  let len = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

/** A section: its id, its payload's size, the payload. */
export function section(id: number, payload: Uint8Array | readonly number[]): Uint8Array {
  return new Writer(payload.length + 6).byte(id).u32(payload.length).bytes(payload).result();
}

/** A custom section named `name`. */
export function customSection(name: string, payload: Uint8Array): Uint8Array {
  return section(0, new Writer(payload.length + name.length + 8).name(name).bytes(payload).result());
}
