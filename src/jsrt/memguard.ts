// Allocation checks inside a JS process's isolate (docs/jsproc.md, "Containment"): memory
// outside the V8 heap — ArrayBuffers, SharedArrayBuffers, typed arrays, Buffers, wasm
// memories — is not bounded by the worker's resourceLimits. The allocation sites a program
// normally uses are checked here against the process's memory limit, so that an allocation
// past it throws a RangeError, as a failed allocation does in V8, instead of growing the host.
//
// Design note.
//
// - What is checked: `new ArrayBuffer(n)` (and `maxByteLength`, and `resize`), `new
//   SharedArrayBuffer(n)` (and `grow`), `new Uint8Array(n)` and the other typed arrays,
//   `Buffer.alloc / allocUnsafe / allocUnsafeSlow`, `new Blob()` and `new File()`, `new
//   WebAssembly.Memory()` and `grow`, and the memories wasm modules define: every module compiled here has each memory it
//   defines capped at the process's limit (its maximum rewritten in the binary, so
//   `memory.grow` inside wasm fails with -1 beyond it, as it does at any maximum) and its
//   exported memories counted; key derivations' tables (scrypt, Argon2: OpenSSL's memory,
//   sized by the program) in node:crypto's copy (guardCrypto, from builtins.ts) and in
//   WebCrypto. The globals are replaced by stand-ins of the originals (same
//   prototype, statics, name, `instanceof`, subclassing: plain functions for ArrayBuffer and
//   the typed arrays, which V8 inlines, Proxies for the rest); Node's own modules keep the
//   originals (they took them at their start), so nothing of Node is slowed or counted twice.
// - In use: V8's heap in use, plus the larger of V8's external memory (ArrayBuffers,
//   external strings) and Node's allocator's total (ArrayBuffers, SharedArrayBuffers, Blob
//   stores), plus the wasm memories known here at their current sizes (neither counts them).
//   ArrayBuffers, typed arrays and Buffers under CHECK_FROM are not checked (the kernel's
//   watchdog bounds the many small ones); SharedArrayBuffers, Blobs, wasm memories and their
//   growth, which the kernel cannot see, are checked whatever their size. Garbage counts
//   until V8 collects it: an allocation that would pass the limit first runs V8's
//   last-resort GC (`gc`, which the kernel's --expose-gc gives every isolate; taken from the
//   program here), then decides.
// - Trust. Not a boundary for what V8 counts: a program can allocate ArrayBuffers without
//   these checks (Node's classes: `new (Object.getPrototypeOf(Buffer.prototype).constructor)(n)`
//   — Node's FastBuffer extends the original Uint8Array — `structuredClone`, `TextEncoder`,
//   `Buffer.concat`, zlib); those are external memory, which the kernel measures from outside the
//   isolate and kills past the limit (src/kernel/jsproc/guard.ts). SharedArrayBuffers, Blob
//   stores and wasm memories the kernel cannot measure: for them the constructors are kept
//   out of reach (`prototype.constructor` of SharedArrayBuffer, Blob, File and the
//   WebAssembly classes point at the guarded ones; node:buffer's Blob and File are replaced;
//   the originals stay in this module's closures; stream/consumers' blob(), which used Node's
//   own class, is redone with ours; Response's blob() finds the global).
import v8 from 'node:v8';
import bufferModule, { Buffer } from 'node:buffer';
import consumers from 'node:stream/consumers';
import { primordials } from './primordials.ts';
import { keepOffThreadPool } from './crypto-pool.ts';
import { capModuleMemories } from './wasm-cap.ts';

/** Requests below this are not checked (bytes). */
const CHECK_FROM = 1 << 20;
const MIB = 1 << 20;
const WASM_PAGE = 65536;

let limit = Infinity;
let gc: ((o: { type: string; execution: string; flavor: string }) => void) | null = null;
const getHeapStatistics = v8.getHeapStatistics;
/** Node's process.memoryUsage (main.ts's seal() takes it from `process`): `arrayBuffers`. */
const memoryUsage = primordials.memoryUsage;
const reflectConstruct = Reflect.construct;
const reflectApply = Reflect.apply;
const defineProperty = Object.defineProperty;

/** Wasm memories known here: V8's own, neither its external memory nor Node's allocator counts them. */
const known = new Set<WeakRef<WebAssembly.Memory>>();
const seen = new WeakSet<object>();
const forget = new FinalizationRegistry<WeakRef<WebAssembly.Memory>>((r) => known.delete(r));

function remember(o: WebAssembly.Memory): void {
  if (seen.has(o)) return;
  seen.add(o);
  const r = new WeakRef(o);
  known.add(r);
  forget.register(o, r);
}

function wasmBytes(): number {
  let n = 0;
  for (const r of known) {
    const o = r.deref();
    if (o === undefined) continue;
    try {
      n += o.buffer.byteLength;
    } catch { /* not a memory after all: nothing */ }
  }
  return n;
}

/**
 * Native memory promised to key derivations in flight on the host's thread pool (WebCrypto's
 * Argon2, below): neither V8 nor Node's allocator counts it, and it is not on the isolate's
 * thread, where the kernel would see it.
 */
let pending = 0;

/**
 * The process's memory outside code: V8's heap in use; the larger of V8's external memory
 * (ArrayBuffers, external strings, what Node reports) and Node's allocator's total
 * (ArrayBuffers, SharedArrayBuffers, Blob stores, which V8 does not count); wasm memories;
 * key derivations in flight.
 */
function inUse(): number {
  const h = getHeapStatistics();
  let ab = 0;
  try {
    ab = memoryUsage().arrayBuffers;
  } catch { /* cannot happen in a worker; the external figure stands */ }
  return h.used_heap_size + Math.max(h.external_memory, ab) + wasmBytes() + pending;
}

function mb(n: number): string {
  return (n / MIB).toFixed(1);
}

/** Throws a RangeError if `n` more bytes would pass the process's memory limit. */
function check(n: number, what: string, from: Function, always = false): void {
  if (limit === Infinity || !(n >= 0)) return; // not a number: V8 throws its own error
  if (n < CHECK_FROM && !always) return;
  if (inUse() + n <= limit) return;
  // Garbage buffers count until collected: as V8 does, collect before failing. Only V8's
  // last-resort GC waits for the ArrayBuffer sweeper (a plain major GC leaves the dead
  // buffers in external memory until its concurrent sweep ends).
  if (gc !== null) gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  const used = inUse();
  if (used + n <= limit) return;
  const e = new RangeError(`${what}: allocation failed: ${mb(n)} MiB more would pass this process's memory limit of ${mb(limit)} MiB (${mb(used)} MiB in use)`);
  Error.captureStackTrace(e, from); // the program's frames, not the guard's
  throw e;
}

/** A Proxy of constructor `target` that checks `size(args)` first; `made` sees what it made. */
function guardCtor<T extends object>(target: T, what: string, size: (args: unknown[]) => number, made?: (o: object, args: unknown[]) => unknown): T {
  const handler: ProxyHandler<T> = {
    construct(t, args, newTarget) {
      check(size(args), what, handler.construct!, true); // made rarely, and unseen by the kernel: every one
      const o = reflectConstruct(t as new (...a: unknown[]) => object, args, newTarget) as object;
      if (made) return made(o, args) as object;
      return o;
    },
  };
  return new Proxy(target, handler);
}

/**
 * For the constructors programs call most (ArrayBuffer and the typed arrays): a plain
 * function instead of a Proxy — V8 inlines it, so `new Uint8Array(16)` costs what it did
 * (a Proxy's construct trap adds ~0.1–0.2 µs). Same name, length, prototype, statics (own
 * ones copied, the rest inherited as before), `instanceof` and subclassing (`new.target`
 * passed on); only `Function.prototype.toString` shows it is not native.
 */
function guardFn(O: Function, what: string, size: (a: unknown, b: unknown) => number): Function {
  const construct = reflectConstruct as (t: Function, args: ArrayLike<unknown>, nt?: Function) => object;
  const F = {
    [O.name]: function (this: unknown, a: unknown, b: unknown): object {
      if (new.target === undefined) throw new TypeError(`Constructor ${O.name} requires 'new'`);
      check(size(a, b), what, F!);
      return new.target === F ? construct(O, arguments) : construct(O, arguments, new.target);
    },
  }[O.name]!;
  for (const key of Reflect.ownKeys(O)) {
    if (key === 'prototype' || key === 'name' || key === 'length' || key === 'arguments' || key === 'caller') continue;
    defineProperty(F, key, Object.getOwnPropertyDescriptor(O, key)!);
  }
  defineProperty(F, 'length', { value: O.length, configurable: true });
  defineProperty(F, 'prototype', { value: O.prototype, writable: false, enumerable: false, configurable: false });
  Object.setPrototypeOf(F, Object.getPrototypeOf(O));
  return F;
}

/** `C.prototype.constructor` leads to `guarded`, not to the original (see the design note). */
function hideOriginal(C: { prototype: object }, guarded: unknown): void {
  defineProperty(C.prototype, 'constructor', { value: guarded, writable: true, configurable: true, enumerable: false });
}

/** Bytes asked of a typed array constructor: a length (not an array, buffer or iterable). */
function typedSize(bytesPer: number) {
  return (a: unknown): number => (typeof a === 'number' ? a * bytesPer : 0);
}

/** ArrayBuffer / SharedArrayBuffer: the length, or maxByteLength if larger (a resizable buffer reserves it). */
function bufferSize(a: unknown, b: unknown): number {
  const n = typeof a === 'number' ? a : 0;
  const o = b as { maxByteLength?: unknown } | undefined;
  const max = o !== null && typeof o === 'object' && typeof o.maxByteLength === 'number' ? o.maxByteLength : 0;
  return Math.max(n, max);
}

/** What a Blob's parts make it copy, at most (a string counts 3 bytes a character: UTF-8). */
function partsBytes(parts: unknown): number {
  if (parts === null || typeof parts !== 'object' || typeof (parts as Iterable<unknown>)[Symbol.iterator] !== 'function') return 0;
  let n = 0;
  let i = 0;
  for (const x of parts as Iterable<unknown>) {
    if (++i > 1e6) break; // the constructor will iterate it again: leave the rest to the kernel
    if (typeof x === 'string') n += x.length * 3;
    else if (x instanceof AB || x instanceof SAB) n += x.byteLength;
    else if (ArrayBuffer.isView(x)) n += x.byteLength;
  }
  return n;
}

function memoryBytes(args: unknown[]): number {
  const d = args[0] as { initial?: unknown; minimum?: unknown } | undefined;
  if (d === null || typeof d !== 'object') return 0;
  const pages = d.initial ?? d.minimum;
  return typeof pages === 'number' ? pages * WASM_PAGE : typeof pages === 'bigint' ? Number(pages) * WASM_PAGE : 0;
}

// ---- wasm modules: each memory a module defines capped at the limit, and exported (wasm-cap.ts) ----

function bytesOf(src: unknown): Uint8Array | null {
  if (src instanceof Uint8Array) return src;
  if (ArrayBuffer.isView(src)) return new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
  if (src instanceof AB || src instanceof SAB) return new Uint8Array(src as ArrayBuffer);
  return null;
}

function capped(src: unknown): unknown {
  if (limit === Infinity) return src;
  const b = bytesOf(src);
  if (b === null) return src;
  return capModuleMemories(b, Math.floor(limit / WASM_PAGE));
}

/**
 * Counts the memories an instance exports (wasm-cap.ts exports all it defines), so their
 * growth counts however it happens; then fails if the process is already over its limit
 * (a program that makes instances in a loop and grows their memories inside wasm).
 */
function rememberExports(instance: WebAssembly.Instance, from: Function): WebAssembly.Instance {
  try {
    for (const v of Object.values(instance.exports)) if (v instanceof Mem) remember(v);
  } catch { /* not an instance */ }
  check(0, 'WebAssembly.Instance', from, true);
  return instance;
}

// The originals, for the checks above.
const AB = ArrayBuffer;
const SAB = SharedArrayBuffer;
const Mem = WebAssembly.Memory;

/** Replaces the globals with guarded ones. At boot, before any program code (main.ts). */
export function installMemoryGuard(): void {
  const g = globalThis as Record<string, unknown>;
  // The kernel starts isolates with --expose-gc (pool.ts): keep it from the program. V8 makes
  // it non-configurable (it cannot be deleted) but writable.
  if (typeof g.gc === 'function') gc = g.gc as typeof gc;
  if ('gc' in g) g.gc = undefined;

  g.ArrayBuffer = guardFn(AB, 'ArrayBuffer', bufferSize);
  const abResize = AB.prototype.resize;
  if (typeof abResize === 'function') {
    defineProperty(AB.prototype, 'resize', {
      value: function resize(this: ArrayBuffer, n: number): void {
        check(n - this.byteLength, 'ArrayBuffer.prototype.resize', resize);
        reflectApply(abResize, this, [n]);
      }, writable: true, configurable: true, enumerable: false,
    });
  }

  const GSAB = guardCtor(SAB, 'SharedArrayBuffer', (args) => bufferSize(args[0], args[1]));
  g.SharedArrayBuffer = GSAB;
  hideOriginal(SAB, GSAB);
  const sabGrow = (SAB.prototype as { grow?: (n: number) => void }).grow;
  if (typeof sabGrow === 'function') {
    defineProperty(SAB.prototype, 'grow', {
      value: function grow(this: SharedArrayBuffer, n: number): void {
        check(n - this.byteLength, 'SharedArrayBuffer.prototype.grow', grow, true);
        reflectApply(sabGrow, this, [n]);
      }, writable: true, configurable: true, enumerable: false,
    });
  }

  for (const name of [
    'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Float16Array', 'Int32Array',
    'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
  ]) {
    const C = g[name] as (Function & { BYTES_PER_ELEMENT: number }) | undefined;
    if (typeof C === 'function') g[name] = guardFn(C, name, typedSize(C.BYTES_PER_ELEMENT));
  }

  const B = Buffer as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const name of ['alloc', 'allocUnsafe', 'allocUnsafeSlow']) {
    const f = B[name]!;
    const wrapped = { [name](this: unknown, ...args: unknown[]): unknown {
      check(typeof args[0] === 'number' ? args[0] : 0, `Buffer.${name}`, wrapped!);
      return reflectApply(f, this, args);
    } }[name];
    defineProperty(Buffer, name, { value: wrapped, writable: true, configurable: true, enumerable: true });
  }

  // Blob and File copy their parts into a store of Node's (counted by its allocator only).
  const bm = bufferModule as unknown as Record<string, unknown>;
  for (const name of ['Blob', 'File']) {
    const C = g[name] as (Function & { prototype: object }) | undefined;
    if (typeof C !== 'function') continue;
    const G = guardCtor(C, name, (args) => partsBytes(args[0]));
    g[name] = G;
    hideOriginal(C, G);
    if (bm[name] === C) bm[name] = G; // node:buffer's, which programs get a copy of (builtins.ts)
    if (name === 'Blob') {
      // stream/consumers' blob() makes its Blob with Node's own class: the same, with ours.
      const GB = G as unknown as new (parts: unknown[]) => Blob;
      defineProperty(consumers, 'blob', {
        value: async function blob(stream: AsyncIterable<unknown>): Promise<Blob> {
          const chunks: unknown[] = [];
          for await (const c of stream) chunks.push(c);
          return new GB(chunks);
        }, writable: true, configurable: true, enumerable: true,
      });
    }
  }

  const W = WebAssembly as unknown as Record<string, unknown>;
  const GMem = guardCtor(Mem, 'WebAssembly.Memory', memoryBytes, (o) => (remember(o as WebAssembly.Memory), o));
  W.Memory = GMem;
  hideOriginal(Mem, GMem);
  const memGrow = Mem.prototype.grow;
  defineProperty(Mem.prototype, 'grow', {
    value: function grow(this: WebAssembly.Memory, delta: number | bigint): number {
      const pages = typeof delta === 'number' ? delta : typeof delta === 'bigint' ? Number(delta) : 0;
      check(pages * WASM_PAGE, 'WebAssembly.Memory.prototype.grow', grow, true);
      const r = reflectApply(memGrow, this, [delta]) as number;
      remember(this); // a module's exported memory grown from JS counts from now on
      return r;
    }, writable: true, configurable: true, enumerable: false,
  });

  // Modules: their own memories capped at the limit; instances' exported memories counted.
  const Module = WebAssembly.Module;
  const GModule = new Proxy(Module, {
    construct: (t, args, nt) => reflectConstruct(t, [capped(args[0]), ...args.slice(1)], nt),
  });
  W.Module = GModule;
  hideOriginal(Module, GModule);
  const Instance = WebAssembly.Instance;
  const instanceHandler: ProxyHandler<typeof Instance> = {
    construct: (t, args, nt) => rememberExports(reflectConstruct(t, args, nt) as WebAssembly.Instance, instanceHandler.construct!),
  };
  const GInstance = new Proxy(Instance, instanceHandler);
  W.Instance = GInstance;
  hideOriginal(Instance, GInstance);
  const compileOriginal = WebAssembly.compile;
  W.compile = function compile(src: unknown, ...rest: unknown[]): Promise<WebAssembly.Module> {
    return reflectApply(compileOriginal, WebAssembly, [capped(src), ...rest]) as Promise<WebAssembly.Module>;
  };
  const instantiateOriginal = WebAssembly.instantiate;
  W.instantiate = function instantiate(src: unknown, ...rest: unknown[]): Promise<unknown> {
    const isModule = src instanceof Module;
    const p = reflectApply(instantiateOriginal, WebAssembly, [isModule ? src : capped(src), ...rest]) as Promise<unknown>;
    return p.then((r) => {
      if (r instanceof Instance) return rememberExports(r, instantiate);
      rememberExports((r as { instance: WebAssembly.Instance }).instance, instantiate);
      return r;
    });
  };
  guardSubtle();

  // Streaming forms take a Response (fetch is gone; a program can still make one): refused
  // rather than compiled uncapped. Programs use compile/instantiate on bytes.
  for (const name of ['compileStreaming', 'instantiateStreaming']) {
    if (typeof W[name] === 'function') {
      W[name] = function streaming(): Promise<never> {
        return Promise.reject(new TypeError(`WebAssembly.${name}: not available in isokernel (compile the bytes: WebAssembly.compile)`));
      };
    }
  }
}

// ---- key derivations: native memory the program sizes ----
//
// scrypt's table (128·r·N bytes and a little more) and Argon2's (`memory` KiB) are OpenSSL's
// own allocations, of a size the program chooses, made on the isolate's thread (the sync
// forms, and node:crypto's callback forms since crypto-pool.ts) or on the host's libuv
// thread pool (WebCrypto's Argon2): two async scrypts of 512 MiB each grew the host by 1 GiB
// under a 64 MiB limit. Each call is checked against the limit like an allocation;
// WebCrypto's count as in use until they end, so concurrent calls add up.

const num = (v: unknown, d: number): number => (v === undefined ? d : typeof v === 'number' ? v : NaN);

/** scrypt's memory (OpenSSL: V = 128·r·N, B = 128·r·p, XY = 256·r + 64); NaN if not numbers (Node throws). */
function scryptBytes(options: unknown): number {
  const o = (typeof options === 'object' && options !== null ? options : {}) as Record<string, unknown>;
  const N = num(o.N ?? o.cost, 16384);
  const r = num(o.r ?? o.blockSize, 8);
  const p = num(o.p ?? o.parallelization, 1);
  return 128 * r * (N + p + 2);
}

/** Argon2's memory: `memory` KiB. */
function argon2Bytes(params: unknown): number {
  const m = typeof params === 'object' && params !== null ? (params as { memory?: unknown }).memory : undefined;
  return typeof m === 'number' ? m * 1024 : NaN;
}

/** A sync derivation checked first. */
function guardSync(f: Function, what: string, bytes: (args: unknown[]) => number): Function {
  const wrapped = { [f.name](this: unknown, ...args: unknown[]): unknown {
    check(bytes(args), what, wrapped!, true);
    return reflectApply(f, this, args);
  } }[f.name]!;
  return wrapped;
}

/**
 * Guards node:crypto in the copy of the module programs get (builtins.ts makes it; the
 * module itself is not loaded at boot: 4 ms): its thread-pool work moved to the isolate's
 * thread (crypto-pool.ts), then the key derivations checked.
 */
export function guardCrypto(mod: Record<string, unknown>): void {
  keepOffThreadPool(mod);
  const set = (name: string, make: (f: Function) => Function): void => {
    const f = mod[name];
    if (typeof f === 'function') defineProperty(mod, name, { value: make(f), writable: true, configurable: true, enumerable: true });
  };
  set('scryptSync', (f) => guardSync(f, 'crypto.scryptSync', (a) => scryptBytes(a[3])));
  set('scrypt', (f) => guardSync(f, 'crypto.scrypt', (a) => scryptBytes(a.length > 4 ? a[3] : undefined)));
  set('argon2Sync', (f) => guardSync(f, 'crypto.argon2Sync', (a) => argon2Bytes(a[1])));
  set('argon2', (f) => guardSync(f, 'crypto.argon2', (a) => argon2Bytes(a[1])));
}

/** WebCrypto's Argon2 (deriveBits, deriveKey): the same, its memory in use until the promise settles. */
function guardSubtle(): void {
  const S = (globalThis as unknown as { SubtleCrypto?: { prototype: Record<string, unknown> } }).SubtleCrypto;
  if (S === undefined) return;
  for (const name of ['deriveBits', 'deriveKey']) {
    const f = S.prototype[name];
    if (typeof f !== 'function') continue;
    const wrapped = { [name](this: unknown, ...args: unknown[]): unknown {
      const alg = args[0] as { name?: unknown } | undefined;
      const argon = typeof alg === 'object' && alg !== null && typeof alg.name === 'string' && /^argon2(d|i|id)$/i.test(alg.name);
      const n = argon ? argon2Bytes(alg) : NaN;
      if (!(n >= 0)) return reflectApply(f, this, args);
      try {
        check(n, `SubtleCrypto.${name}`, wrapped!, true);
      } catch (e) {
        return Promise.reject(e);
      }
      pending += n;
      const p = reflectApply(f, this, args) as Promise<unknown>;
      const release = (): void => void (pending -= n);
      p.then(release, release);
      return p;
    } }[name];
    const enumerable = Object.getOwnPropertyDescriptor(S.prototype, name)?.enumerable ?? true;
    defineProperty(S.prototype, name, { value: wrapped, writable: true, configurable: true, enumerable });
  }
}

/** The process's memory limit (bytes), from its job (main.ts). */
export function setMemoryLimit(bytes: number): void {
  limit = bytes > 0 ? bytes : Infinity;
}
