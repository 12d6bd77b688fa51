// The WebAssembly JS API as Node 26 provides it, including JSPI (Suspending, promising).
// TypeScript ships these only in lib.dom, which would bring the whole DOM with them.
declare namespace WebAssembly {
  type ImportValue = Function | Global | Memory | Table | number | bigint | Suspending;
  type ModuleImports = Record<string, ImportValue>;
  type Imports = Record<string, ModuleImports>;
  type ExportValue = Function | Global | Memory | Table;
  type Exports = Record<string, ExportValue>;
  type ImportExportKind = 'function' | 'table' | 'memory' | 'global' | 'tag';
  interface ModuleImportDescriptor { module: string; name: string; kind: ImportExportKind }
  interface ModuleExportDescriptor { name: string; kind: ImportExportKind }

  class Module {
    constructor(bytes: BufferSource);
    static imports(m: Module): ModuleImportDescriptor[];
    static exports(m: Module): ModuleExportDescriptor[];
    static customSections(m: Module, name: string): ArrayBuffer[];
  }
  class Instance {
    constructor(m: Module, imports?: Imports);
    readonly exports: Exports;
  }
  interface MemoryDescriptor { initial: number; maximum?: number; shared?: boolean }
  class Memory {
    constructor(d: MemoryDescriptor);
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  interface TableDescriptor { element: 'anyfunc' | 'externref'; initial: number; maximum?: number }
  class Table {
    constructor(d: TableDescriptor);
    readonly length: number;
    get(i: number): unknown;
    set(i: number, v: unknown): void;
    grow(delta: number): number;
  }
  interface GlobalDescriptor { value: 'i32' | 'i64' | 'f32' | 'f64'; mutable?: boolean }
  class Global {
    constructor(d: GlobalDescriptor, v?: number | bigint);
    value: number | bigint;
  }
  class CompileError extends Error {}
  class LinkError extends Error {}
  class RuntimeError extends Error {}
  /** JSPI: an import whose promise result suspends the calling wasm stack. */
  class Suspending {
    constructor(fn: (...args: any[]) => unknown);
  }
  /** JSPI: wraps an export to run on its own stack; returns a promise of its result. */
  function promising(fn: Function): (...args: unknown[]) => Promise<unknown>;
  function compile(bytes: BufferSource): Promise<Module>;
  function validate(bytes: BufferSource): boolean;
  function instantiate(m: Module, imports?: Imports): Promise<Instance>;
}
