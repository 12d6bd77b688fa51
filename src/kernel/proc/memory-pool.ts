// Linear memories for WASI processes, kept for reuse (a process is still fresh: a new
// instance of its module, its memory zeroed before it gets it).
//
// Why: creating a wasm memory and dropping it costs far more than the instance — V8 reserves
// the memory's address range with guard regions (mmap), the pages touched are faulted in,
// and freeing it (munmap, from the garbage collector) shoots down TLBs on every CPU running a
// thread of the host process; on a 2-vCPU VM a 2-page memory with a data segment costs
// ~200–300 µs of a core to create and drop, a pooled one ~5–40 µs including the zeroing
// (64 pages: ~760 against ~90 µs). A CGI request is one short-lived process: this was a
// quarter of the kernel thread's time per request (bench/httpd.ts).
//
// How: at load, a module that defines its memory (one non-shared 32-bit memory, not
// imported — every wasi-libc command) is rewritten to import it instead, as if linked with
// --import-memory, from module POOL_MODULE (an import name no guest can provide itself); the
// limits are unchanged and memory 0 is still memory 0, so nothing else in the module moves
// but the byte offsets after the import section. This is the last step before compiling —
// after the instrumenter (which does not take modules that import memory) and its cache —
// and a trap's frame offsets are moved back (PooledMemorySpec.shift) before anything reads
// them, so fault records, DWARF lines and core files see the module as it was (a module
// that compiles as it is but not rewritten runs unpooled: loader.ts). At start the kernel
// gives the instance a memory of exactly those limits: a pooled one, zeroed, or a new one.
// When the process has ended and its stack is gone (its entry promise settled), the memory
// goes back to the pool if it did not grow (a memory cannot shrink) and the pool has room.
// A process whose memory may still be read after that — a core file being written, an
// exec'd image — or whose stack never ends (killed while suspended in a call) is simply not
// pooled: the garbage collector has its memory, as before.
//
// Nothing of the old process survives in the memory: it is zeroed when taken, which is what a
// new memory reads as; data segments are written by the instantiation, as always.
import { IMPORT_MEMORY, Reader, readImport, section, sections, uleb, vector } from './wasm-binary.ts';

/** Where a pooled module imports its memory from. */
export const POOL_MODULE = 'isokernel:memory';
export const POOL_NAME = 'memory';

/** The limits of the memory a rewritten module imports. */
export interface PooledMemorySpec {
  initial: number;
  maximum: number | null;
  /**
   * How far the rewrite moved the code (bytes; everything after the memory section moves by
   * as much): a trap's frame offsets minus this are offsets in the module as it was.
   */
  shift: number;
}

/** Memories larger than this are not kept (zeroing them costs more than it saves). */
const MAX_POOLED_PAGES = 64; // 4 MiB
/** At most this many memories of one size, and this many pages in all. */
const PER_SPEC = 16;
const TOTAL_PAGES = 512; // 32 MiB

/**
 * `bytes` (a whole module) rewritten to import its memory from POOL_MODULE, and that
 * memory's limits; null when the module is not one to pool (no memory of its own, an
 * imported one, shared or 64-bit memory, anything unreadable — it then runs as it is).
 */
export function importMemory(bytes: Uint8Array): { bytes: Uint8Array; spec: PooledMemorySpec } | null {
  try {
    const all = sections(bytes);
    const mem = all.find((s) => s.id === 5);
    if (!mem) return null;
    const imp = all.find((s) => s.id === 2);
    const imports = vector(bytes, imp);
    const r = new Reader(imports.entries);
    for (let i = 0; i < imports.count; i++) {
      if (readImport(r).kind === IMPORT_MEMORY) return null; // memory 0 is imported already
    }
    if (r.pos !== r.end) return null;
    const m = new Reader(bytes, mem.body, mem.end);
    const count = m.uleb();
    if (count < 1) return null;
    const limStart = m.pos;
    const lim = m.limits();
    if (lim.flags !== 0 && lim.flags !== 1) return null; // shared, 64-bit, custom page sizes
    const limBytes = bytes.subarray(limStart, m.pos);
    const rest = bytes.subarray(m.pos, mem.end); // memories 1.. (multi-memory) keep their indices

    const enc = new TextEncoder();
    const modName = enc.encode(POOL_MODULE);
    const fieldName = enc.encode(POOL_NAME);
    const entry = [...uleb(modName.length), ...modName, ...uleb(fieldName.length), ...fieldName, 2, ...limBytes];
    let importPayload: number[];
    if (imp) importPayload = [...uleb(imports.count + 1), ...imports.entries, ...entry];
    else importPayload = [1, ...entry];
    const newImport = section(2, importPayload);
    const newMemory = count > 1 ? section(5, [...uleb(count - 1), ...rest]) : null;

    const parts: Uint8Array[] = [bytes.subarray(0, 8)];
    let placed = imp !== undefined;
    for (const s of all) {
      // A new import section goes before the first known section after the type section.
      if (!placed && s.id !== 0 && s.id !== 1) {
        parts.push(newImport);
        placed = true;
      }
      if (s.id === 2) parts.push(newImport);
      else if (s.id === 5) {
        if (newMemory) parts.push(newMemory);
      } else parts.push(bytes.subarray(s.start, s.end));
    }
    if (!placed) parts.push(newImport);
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return { bytes: out, spec: { initial: lim.initial, maximum: lim.maximum, shift: out.length - bytes.length } };
  } catch {
    return null;
  }
}

const pool = new Map<string, WebAssembly.Memory[]>();
let pooledPages = 0;
/** Figures for the bench and tests. */
export const memoryPoolStats = { created: 0, reused: 0, returned: 0 };

const keyOf = (s: PooledMemorySpec): string => `${s.initial}:${s.maximum ?? ''}`;

/** A memory of exactly `spec`'s limits, all zeros: a pooled one or a new one. */
export function takeMemory(spec: PooledMemorySpec): WebAssembly.Memory {
  const list = pool.get(keyOf(spec));
  const m = list?.pop();
  if (m) {
    pooledPages -= spec.initial;
    new Uint8Array(m.buffer).fill(0);
    memoryPoolStats.reused++;
    return m;
  }
  memoryPoolStats.created++;
  return new WebAssembly.Memory(spec.maximum === null ? { initial: spec.initial } : { initial: spec.initial, maximum: spec.maximum });
}

/**
 * Gives back the memory of a process that has ended and whose stack is gone: nothing may
 * read or write it any more. Kept if it did not grow and there is room.
 */
export function giveBackMemory(spec: PooledMemorySpec, m: WebAssembly.Memory): void {
  if (spec.initial > MAX_POOLED_PAGES || m.buffer.byteLength !== spec.initial * 65536) return;
  if (pooledPages + spec.initial > TOTAL_PAGES) return;
  const key = keyOf(spec);
  let list = pool.get(key);
  if (!list) pool.set(key, (list = []));
  if (list.length >= PER_SPEC) return;
  list.push(m);
  pooledPages += spec.initial;
  memoryPoolStats.returned++;
}

/** Drops every pooled memory (tests; a kernel shutting down need not). */
export function clearMemoryPool(): void {
  pool.clear();
  pooledPages = 0;
}
