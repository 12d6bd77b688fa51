// Is a program threaded (wasi-threads), and what memory must the kernel create for it?
//
// A wasi-threads module imports its linear memory, declared shared, and usually imports
// `wasi`.`thread-spawn` and exports `wasi_thread_start`. Every thread is a new instance of
// the module given the same memory, so the kernel creates that memory itself, from the
// limits the import declares. WebAssembly.Module.imports() gives the import's names but not
// its limits (type reflection is not enabled in Node), so they are read here from the
// module's import section.
import { POOL_MODULE } from './memory-pool.ts';
import { KernelError } from '../errors.ts';

/** The names wasi-threads' spawn call has gone by: the current one first. */
export const THREAD_SPAWN_NAMES: readonly string[] = ['thread-spawn', 'thread_spawn'];
export const THREAD_SPAWN_MODULE = 'wasi';

export interface ThreadSpec {
  /** The shared memory the module imports: its names and limits, in 64 KiB pages. */
  memory: { module: string; name: string; initial: number; maximum: number };
  /** The name under which it imports wasi's thread-spawn, or null if it spawns no threads. */
  spawn: string | null;
}

interface MemoryImport {
  module: string;
  name: string;
  initial: number;
  maximum: number | null;
  shared: boolean;
  memory64: boolean;
}

class Reader {
  pos: number;
  private readonly b: Uint8Array;
  private readonly end: number;
  constructor(b: Uint8Array, pos: number, end: number) {
    this.b = b;
    this.pos = pos;
    this.end = end;
  }
  byte(): number {
    if (this.pos >= this.end) throw new RangeError('truncated section');
    return this.b[this.pos++]!;
  }
  uleb(): number {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      if (shift > 63) throw new RangeError('LEB128 too long');
    }
  }
  name(): string {
    const n = this.uleb();
    if (this.pos + n > this.end) throw new RangeError('truncated name');
    const s = new TextDecoder().decode(this.b.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }
  limits(): { initial: number; maximum: number | null; shared: boolean; memory64: boolean } {
    const flags = this.byte();
    const initial = this.uleb();
    const maximum = flags & 1 ? this.uleb() : null;
    return { initial, maximum, shared: (flags & 2) !== 0, memory64: (flags & 4) !== 0 };
  }
}

/** The memories a module imports, read from its import section (section 2). */
function memoryImports(bytes: Uint8Array): MemoryImport[] {
  const out: MemoryImport[] = [];
  let pos = 8;
  const top = new Reader(bytes, 0, bytes.length);
  while (pos < bytes.length) {
    top.pos = pos;
    const id = top.byte();
    const size = top.uleb();
    const body = top.pos;
    if (id === 2) {
      const r = new Reader(bytes, body, body + size);
      for (let n = r.uleb(); n > 0; n--) {
        const module = r.name();
        const name = r.name();
        const kind = r.byte();
        switch (kind) {
          case 0: r.uleb(); break; // function: type index
          case 1: r.byte(); r.limits(); break; // table: reftype, limits
          case 2: out.push({ module, name, ...r.limits() }); break;
          case 3: r.byte(); r.byte(); break; // global: valtype, mutability
          case 4: r.byte(); r.uleb(); break; // tag: attribute, type index
          default: throw new RangeError(`unknown import kind ${kind}`);
        }
      }
      return out;
    }
    if (id > 2 && id !== 0) return out; // sections are ordered: no import section
    pos = body + size;
  }
  return out;
}

/**
 * The program's threading needs: null for an ordinary WASI command (it imports no memory).
 * `bytes` is the module as compiled; null when only a compiled module is at hand, whose
 * memory limits cannot be read.
 *
 * Errors: KernelError ENOEXEC when the module imports a memory the kernel cannot give it (not
 * shared, 64-bit, more than one, or limits unknown), imports thread-spawn without a shared
 * memory, or spawns threads without exporting wasi_thread_start.
 */
export function threadSpec(module: WebAssembly.Module, bytes: Uint8Array | null, name: string): ThreadSpec | null {
  const imports = WebAssembly.Module.imports(module);
  const spawn = imports.find((i) => i.module === THREAD_SPAWN_MODULE && THREAD_SPAWN_NAMES.includes(i.name) && i.kind === 'function');
  // A memory from POOL_MODULE is the kernel's own rewrite of a plain command (memory-pool.ts).
  const importsMemory = imports.some((i) => i.kind === 'memory' && i.module !== POOL_MODULE);
  if (!importsMemory) {
    if (spawn) throw new KernelError('ENOEXEC', `${name}: imports wasi.${spawn.name} but no shared memory: threads need an imported shared memory`);
    return null;
  }
  if (bytes === null) {
    throw new KernelError('ENOEXEC', `${name}: imports a memory: a threaded program must be loaded from its bytes or path, ` +
      'since a compiled module does not tell the limits of the memory to create');
  }
  let mems: MemoryImport[];
  try {
    mems = memoryImports(bytes);
  } catch (e) {
    throw new KernelError('ENOEXEC', `${name}: unreadable import section: ${(e as Error).message}`);
  }
  if (mems.length !== 1) throw new KernelError('ENOEXEC', `${name}: imports ${mems.length} memories; isokernel gives a program one`);
  const m = mems[0]!;
  const what = `${name}: imports memory "${m.module}"."${m.name}"`;
  if (m.memory64) throw new KernelError('ENOEXEC', `${what} with 64-bit addresses, which isokernel does not support`);
  if (!m.shared || m.maximum === null) {
    throw new KernelError('ENOEXEC', `${what}, which is not shared: isokernel gives imported memories only to ` +
      'threaded (wasi-threads) programs; link without --import-memory, or with --shared-memory');
  }
  const exports = new Map(WebAssembly.Module.exports(module).map((e) => [e.name, e.kind]));
  if (spawn && exports.get('wasi_thread_start') !== 'function') {
    throw new KernelError('ENOEXEC', `${name}: imports wasi.${spawn.name} but exports no wasi_thread_start function`);
  }
  return {
    memory: { module: m.module, name: m.name, initial: m.initial, maximum: m.maximum },
    spawn: spawn ? spawn.name : null,
  };
}
