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
import { IMPORT_MEMORY, Reader, readImport, sections } from './wasm-binary.ts';

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

/** The memories a module imports, read from its import section (section 2). */
function memoryImports(bytes: Uint8Array): MemoryImport[] {
  const out: MemoryImport[] = [];
  const imp = sections(bytes).find((s) => s.id === 2);
  if (!imp) return out;
  const r = new Reader(bytes, imp.body, imp.end);
  for (let n = r.uleb(); n > 0; n--) {
    const { module, name, kind, limits } = readImport(r);
    if (kind !== IMPORT_MEMORY || !limits) continue;
    const { initial, maximum, flags } = limits;
    out.push({ module, name, initial, maximum, shared: (flags & 2) !== 0, memory64: (flags & 4) !== 0 });
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
