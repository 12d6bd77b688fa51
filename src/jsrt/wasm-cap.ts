// Rewriting a wasm module that a JS process compiles, so that the memories it defines are
// bounded and visible (memguard.ts; docs/jsproc.md, "Containment"): each defined memory gets
// a maximum within the process's memory limit (added, or lowered), so `memory.grow` inside
// wasm fails with -1 beyond it, as at any maximum; and each defined memory that the module
// does not export is exported under a reserved name (`__isokernel_memoryN`), so the runtime
// can count its size however it grows. Everything else is copied byte for byte. A module
// this does not understand (malformed, or a section it cannot parse) is returned as it is:
// the compiler then rejects it with its own error, or it runs uncapped and the kernel's
// watchdog is what bounds it.

/** Section ids in their required order (custom sections, 0, may be anywhere). */
const ORDER = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];
const EXPORT = 7;
const IMPORT = 2;
const MEMORY = 5;
const KIND_MEMORY = 2;
/** The largest memory32 maximum (4 GiB). */
const MAX32 = 65536;

class Malformed extends Error {}

class Reader {
  readonly b: Uint8Array;
  i: number;
  constructor(b: Uint8Array, i: number) {
    this.b = b;
    this.i = i;
  }
  byte(): number {
    if (this.i >= this.b.length) throw new Malformed();
    return this.b[this.i++]!;
  }
  leb(): number {
    let v = 0;
    let mul = 1;
    for (;;) {
      const x = this.byte();
      v += (x & 0x7f) * mul;
      if ((x & 0x80) === 0) return v;
      mul *= 128;
      if (mul > 2 ** 70) throw new Malformed();
    }
  }
  skip(n: number): void {
    if (n < 0 || this.i + n > this.b.length) throw new Malformed();
    this.i += n;
  }
  name(): string {
    const n = this.leb();
    const s = this.b.subarray(this.i, this.i + n);
    this.skip(n);
    return new TextDecoder().decode(s);
  }
  /** Limits: [flags, min, max or -1]. */
  limits(): [number, number, number] {
    const flags = this.byte();
    const min = this.leb();
    const max = flags & 1 ? this.leb() : -1;
    return [flags, min, max];
  }
}

function leb(out: number[], v: number): void {
  do {
    let x = v % 128;
    v = Math.floor(v / 128);
    if (v !== 0) x |= 0x80;
    out.push(x);
  } while (v !== 0);
}

function nameBytes(out: number[], s: string): void {
  const b = new TextEncoder().encode(s);
  leb(out, b.length);
  for (const x of b) out.push(x);
}

interface Section {
  id: number;
  /** Where its id byte is, where its body starts and ends. */
  start: number;
  body: number;
  end: number;
}

/** The module with its defined memories capped at `maxPages` and all exported; `src` itself if nothing changes. */
export function capModuleMemories(src: Uint8Array, maxPages: number): Uint8Array {
  const b = src;
  if (b.length < 8 || b[0] !== 0 || b[1] !== 0x61 || b[2] !== 0x73 || b[3] !== 0x6d || b[4] !== 1) return src;
  try {
    const sections: Section[] = [];
    const r = new Reader(b, 8);
    while (r.i < b.length) {
      const start = r.i;
      const id = r.byte();
      const size = r.leb();
      const body = r.i;
      r.skip(size);
      sections.push({ id, start, body, end: r.i });
    }
    const mem = sections.find((s) => s.id === MEMORY);
    if (!mem) return src;

    // Imported memories come first in the memory index space.
    let imported = 0;
    const imp = sections.find((s) => s.id === IMPORT);
    if (imp) {
      const ir = new Reader(b, imp.body);
      for (let n = ir.leb(); n > 0; n--) {
        ir.name();
        ir.name();
        const kind = ir.byte();
        if (kind === 0) ir.leb(); // function: type index
        else if (kind === 1) { // table: reference type, limits
          ir.byte();
          ir.limits();
        } else if (kind === 2) {
          ir.limits();
          imported++;
        } else if (kind === 3) { // global: value type, mutability
          ir.byte();
          ir.byte();
        } else if (kind === 4) { // tag: attribute, type index
          ir.byte();
          ir.leb();
        } else throw new Malformed();
      }
      if (ir.i !== imp.end) throw new Malformed();
    }

    // The memory section, capped.
    const mr = new Reader(b, mem.body);
    const defined = mr.leb();
    const memOut: number[] = [];
    leb(memOut, defined);
    let changed = false;
    for (let n = 0; n < defined; n++) {
      const [flags, min, max] = mr.limits();
      const is64 = (flags & 4) !== 0;
      const cap = Math.max(min, Math.min(maxPages, is64 ? Number.MAX_SAFE_INTEGER : MAX32));
      const newMax = max < 0 || max > cap ? cap : max;
      if (newMax !== max) changed = true;
      memOut.push(flags | 1);
      leb(memOut, min);
      leb(memOut, newMax);
    }
    if (mr.i !== mem.end) throw new Malformed();

    // The export section, with the memories it lacks.
    const exp = sections.find((s) => s.id === EXPORT);
    const exportedMem = new Set<number>();
    const names = new Set<string>();
    let entries: number[] = [];
    let count = 0;
    if (exp) {
      const er = new Reader(b, exp.body);
      count = er.leb();
      const from = er.i;
      for (let n = 0; n < count; n++) {
        names.add(er.name());
        const kind = er.byte();
        const index = er.leb();
        if (kind === KIND_MEMORY) exportedMem.add(index);
      }
      if (er.i !== exp.end) throw new Malformed();
      entries = Array.from(b.subarray(from, exp.end));
    }
    for (let n = 0; n < defined; n++) {
      const index = imported + n;
      if (exportedMem.has(index)) continue;
      let name = `__isokernel_memory${n}`;
      while (names.has(name)) name = `_${name}`;
      names.add(name);
      nameBytes(entries, name);
      entries.push(KIND_MEMORY);
      leb(entries, index);
      count++;
      changed = true;
    }
    if (!changed) return src;
    const expOut: number[] = [];
    leb(expOut, count);
    for (const x of entries) expOut.push(x);

    // Reassembled: every section as it was, but these two; an export section placed where
    // the order wants it if there was none.
    const parts: Uint8Array[] = [b.subarray(0, 8)];
    const section = (id: number, body: number[]): Uint8Array => {
      const h: number[] = [id];
      leb(h, body.length);
      return Uint8Array.from([...h, ...body]);
    };
    let placedExport = exp !== undefined;
    const rank = (id: number): number => ORDER.indexOf(id);
    for (const s of sections) {
      if (!placedExport && s.id !== 0 && rank(s.id) > rank(EXPORT)) {
        parts.push(section(EXPORT, expOut));
        placedExport = true;
      }
      if (s.id === MEMORY) parts.push(section(MEMORY, memOut));
      else if (s.id === EXPORT) parts.push(section(EXPORT, expOut));
      else parts.push(b.subarray(s.start, s.end));
    }
    if (!placedExport) parts.push(section(EXPORT, expOut));
    let total = 0;
    for (const p of parts) total += p.length;
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  } catch (e) {
    if (e instanceof Malformed) return src;
    throw e;
  }
}
