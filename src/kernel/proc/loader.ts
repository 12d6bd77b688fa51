// The program loader: reads, validates and compiles WASI command modules, and caches the
// compiled modules by content hash (SHA-256), so spawning a program that has run before
// costs an instantiation, not a compilation. A host path is remembered with its size,
// mtime and inode, so that a cached spawn costs one stat and no read.
//
// Errors are KernelErrors with code ENOEXEC (not a module, invalid, not a WASI command,
// imports we do not provide) or ENOENT (no such file), messages naming the program.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { KernelError } from '../errors.ts';
import { moduleLayout, parseFunctionNames, splitCustomSections, type ModuleLayout } from './wasm-sections.ts';
import { lineTableOf, type LineTable, type SourceLoc } from './dwarf.ts';
import { THREAD_SPAWN_MODULE, threadSpec, type ThreadSpec } from './thread-module.ts';
import { DEFAULT_INSTRUMENT, variantKey, type InstrumentOptions, type ProtectionInfo } from './instrument.ts';
import { compileProtected } from './protect.ts';
import { importMemory, POOL_MODULE, type PooledMemorySpec } from './memory-pool.ts';

export interface Program {
  readonly module: WebAssembly.Module;
  readonly hash: string;
  /** Where it came from, for messages and fault records. */
  readonly name: string;
  /** Custom sections kept aside at load (see wasm-sections.ts): "name", ".debug_line", ... */
  readonly custom: Map<string, Uint8Array>;
  /** Set for a threaded (wasi-threads) program: it runs on workers (proc/threads.ts). */
  readonly threads?: ThreadSpec | null;
  /**
   * Set for a JavaScript program (jsproc/program.ts): it runs in an isolate of its own
   * (jsproc/jsproc.ts); `module` is a placeholder. `main` null: argv[1] is the script.
   */
  readonly js?: { readonly main: { readonly path: string; readonly source: string } | null } | null;
  /** The instrumentation it was compiled with (proc/instrument.ts), or null if none. */
  readonly protection?: ProtectionInfo | null;
  /** Function names by index, parsed on first use. */
  functionNames(): Map<number, string>;
  /** Where the code and the functions are (fault records, core files); absent for a compiled module given by an embedder. */
  readonly layout?: ModuleLayout | null;
  /**
   * The source position of the instruction at module offset `offset`, from the program's
   * DWARF line table (proc/dwarf.ts, parsed on first use); null without one.
   */
  sourceAt?(offset: number): SourceLoc | null;
  /**
   * Set when the module was rewritten to import its memory (proc/memory-pool.ts): the limits
   * of the memory the kernel gives each instance.
   */
  readonly memory?: PooledMemorySpec | null;
}

interface PathEntry {
  size: number;
  mtimeMs: number;
  ino: number;
  program: Program;
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

export class Loader {
  private readonly byHash = new Map<string, Program>();
  private readonly byPath = new Map<string, PathEntry>();
  /** Loads under way, so that many spawns of a new program compile it once. */
  private readonly inFlight = new Map<string, Promise<Program>>();
  /** Import names the kernel provides, by module. */
  private readonly provided: Map<string, Set<string>>;
  /** How programs are instrumented unless a load asks otherwise (issue 5); part of every cache key. */
  protect: Readonly<InstrumentOptions> = DEFAULT_INSTRUMENT;

  constructor(provided: Map<string, Set<string>>) {
    this.provided = provided;
  }

  /** The compiled program for a host path, if it is cached and unchanged. */
  cachedPath(path: string, protect: Readonly<InstrumentOptions> = this.protect): Program | null {
    const e = this.byPath.get(`${path}\0${variantKey(protect)}`);
    if (!e) return null;
    let st: fs.Stats;
    try {
      st = fs.statSync(path);
    } catch {
      return null;
    }
    return st.size === e.size && st.mtimeMs === e.mtimeMs && st.ino === e.ino ? e.program : null;
  }

  /** Loads a program from a host path. */
  loadPath(path: string, protect: Readonly<InstrumentOptions> = this.protect): Promise<Program> {
    const cached = this.cachedPath(path, protect);
    if (cached) return Promise.resolve(cached);
    const key = `${path}\0${variantKey(protect)}`;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.readAndLoad(path, protect).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async readAndLoad(path: string, protect: Readonly<InstrumentOptions>): Promise<Program> {
    let bytes: Buffer;
    let st: fs.Stats;
    try {
      st = fs.statSync(path);
      if (st.isDirectory()) throw new KernelError('ENOEXEC', `${path}: is a directory`);
      bytes = fs.readFileSync(path);
    } catch (e) {
      if (e instanceof KernelError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      throw new KernelError(code === 'ENOENT' ? 'ENOENT' : 'ENOEXEC', `${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    const program = await this.loadBytes(bytes, path, protect);
    this.byPath.set(`${path}\0${variantKey(protect)}`, { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, program });
    return program;
  }

  /** Loads a program from bytes; `name` is used in messages. */
  async loadBytes(bytes: Uint8Array, name: string, protect: Readonly<InstrumentOptions> = this.protect): Promise<Program> {
    if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) {
      throw new KernelError('ENOEXEC', `${name}: not a WebAssembly module (bad magic number)`);
    }
    if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) {
      throw new KernelError('ENOEXEC', `${name}: unsupported WebAssembly binary version ${bytes[4]} (only 1)`);
    }
    const hash = createHash('sha256').update(bytes).digest('hex');
    const key = hash + variantKey(protect);
    const hit = this.byHash.get(key);
    if (hit) return hit;
    const { code, custom } = splitCustomSections(bytes);
    let compiled;
    // The module as compiled (after instrumentation) imports its memory, so that the kernel
    // can give it a pooled one (proc/memory-pool.ts).
    let memory: PooledMemorySpec | null = null;
    const poolMemory = (b: Uint8Array): Uint8Array => {
      const r = importMemory(b);
      memory = r?.spec ?? null;
      return r?.bytes ?? b;
    };
    try {
      try {
        compiled = await compileProtected(code, custom.get('name'), protect, name, hash, poolMemory);
      } catch (e) {
        // Not a rewrite's fault unless the module compiles as it is: then it runs unpooled.
        if (memory === null) throw e;
        memory = null;
        compiled = await compileProtected(code, custom.get('name'), protect, name, hash);
      }
    } catch (e) {
      throw new KernelError('ENOEXEC', `${name}: invalid WebAssembly module: ${(e as Error).message}`);
    }
    const program = this.check(compiled.module, hash, name, custom, code, compiled.protection, memory);
    this.byHash.set(key, program);
    return program;
  }

  /** Accepts an already compiled module (embedders). */
  fromModule(module: WebAssembly.Module, name: string): Program {
    const custom = new Map<string, Uint8Array>();
    const names = WebAssembly.Module.customSections(module, 'name')[0];
    if (names) custom.set('name', new Uint8Array(names));
    return this.check(module, `module:${name}`, name, custom);
  }

  private check(module: WebAssembly.Module, hash: string, name: string, custom: Map<string, Uint8Array>,
    bytes: Uint8Array | null = null, protection: ProtectionInfo | null = null, memory: PooledMemorySpec | null = null): Program {
    const threads = threadSpec(module, bytes, name);
    for (const imp of WebAssembly.Module.imports(module)) {
      if (memory !== null && imp.module === POOL_MODULE && imp.kind === 'memory') continue;
      // A threaded program's shared memory and thread-spawn come from proc/threads.ts.
      if (threads && (imp.kind === 'memory' || (imp.module === THREAD_SPAWN_MODULE && imp.name === threads.spawn))) continue;
      const names = this.provided.get(imp.module);
      if (!names || !names.has(imp.name) || imp.kind !== 'function') {
        throw new KernelError('ENOEXEC',
          `${name}: imports ${imp.kind} "${imp.module}"."${imp.name}", which isokernel does not provide` +
          (names ? '' : ` (it provides: ${[...this.provided.keys()].join(', ')})`));
      }
    }
    const exports = new Map(WebAssembly.Module.exports(module).map((e) => [e.name, e.kind]));
    if (exports.get('_start') !== 'function') {
      throw new KernelError('ENOEXEC', `${name}: not a WASI command: it exports no _start function`);
    }
    if (exports.get('memory') !== 'memory' && !threads) {
      throw new KernelError('ENOEXEC', `${name}: not a WASI command: it exports no memory`);
    }
    let names: Map<number, string> | null = null;
    const layout = bytes ? moduleLayout(bytes) : null;
    let lines: LineTable | null | undefined;
    const sourceAt = (offset: number): SourceLoc | null => {
      if (!layout || layout.codeOffset < 0 || offset < layout.codeOffset) return null;
      if (lines === undefined) lines = lineTableOf(custom);
      return lines ? lines.lookup(offset - layout.codeOffset) : null;
    };
    return {
      module, hash, name, custom, threads, protection, layout, sourceAt, memory,
      functionNames: () => (names ??= parseFunctionNames(custom.get('name'))),
    };
  }
}
