// What the kernel does with instrumented programs (proc/instrument.ts) outside the
// syscalls: compiling them at load, and reading their faults.
//
// Compiling: a module is instrumented as the options ask and compiled; one the rewriter
// cannot read (GC types, an unknown opcode) or whose instrumented form V8 rejects is
// compiled as it is, and the kernel says so on `isokernel:proc:unprotected`
// ({ program, reason }): the program runs, without guard or preemption. An invalid
// module fails to compile either way and is reported with V8's message for the original.
//
// Instrumented bytes are kept on disk by content (module-cache.ts): a program is rewritten
// once per machine, not at each start of the host process.
//
// Faults: frames are translated back to the original module (function indices and code
// offsets as wasm-objdump shows them for the file), and an out-of-bounds trap in a
// --stack-first program whose stack pointer has run below its stack is a stack overflow.
import dc from 'node:diagnostics_channel';
import { SIG } from '../../abi/signals.ts';
import type { FaultRecord } from './fault.ts';
import {
  instrumentModule, protectionInfo, SP_EXPORT, variantKey, WasmFormatError, type InstrumentOptions, type ProtectionInfo,
} from './instrument.ts';
import { ModuleCache } from './module-cache.ts';
import type { Process } from './process.ts';

/** { program, reason } when a program runs without the instrumentation it was asked to have. */
export const procUnprotected = dc.channel('isokernel:proc:unprotected');

/** Instrumented modules kept on disk between runs of the host process (module-cache.ts). */
const moduleCache = new ModuleCache();

export interface Compiled {
  module: WebAssembly.Module;
  protection: ProtectionInfo | null;
}

/**
 * Instruments (as `opts` ask) and compiles `code`, a module without its trailing custom
 * sections; `names` is its name section's payload. Errors: what WebAssembly.compile throws
 * for the original module when it is invalid.
 */
export async function compileProtected(code: Uint8Array, names: Uint8Array | undefined,
  opts: Readonly<InstrumentOptions>, program: string, moduleHash?: string,
  finish: (bytes: Uint8Array) => Uint8Array = (b) => b): Promise<Compiled> {
  // `finish`: a last rewrite of the bytes compiled, after the cache (proc/memory-pool.ts).
  const compile = (b: Uint8Array): Promise<WebAssembly.Module> => WebAssembly.compile(finish(b));
  const variant = variantKey(opts);
  if (variant === '') return { module: await compile(code), protection: null };
  const key = moduleHash === undefined ? null : moduleCache.key(moduleHash, variant);
  if (key !== null) {
    const hit = await moduleCache.get(key);
    if (hit) {
      try {
        return { module: await compile(hit.bytes), protection: protectionInfo(hit.record) };
      } catch {
        // a damaged entry: rewrite it
      }
    }
  }
  let reason: string;
  try {
    const r = instrumentModule(code, opts, names);
    if (r.info === null) {
      reason = r.skipped ?? 'not instrumentable';
    } else {
      try {
        const module = await compile(r.bytes);
        if (key !== null) moduleCache.put(key, r.bytes, r.info.record);
        return { module, protection: r.info };
      } catch (e) {
        reason = `the instrumented module does not compile: ${(e as Error).message}`;
      }
    }
  } catch (e) {
    if (!(e instanceof WasmFormatError) && !(e instanceof RangeError)) throw e;
    reason = `cannot read it: ${e.message}`;
  }
  const module = await compile(code);
  procUnprotected.publish({ program, reason });
  return { module, protection: null };
}

/** How far below the stack pointer a leaf function's frame may reach (it moves no pointer). */
const LEAF_FRAME = 8192;

/** The current value of a protected program's __stack_pointer, if it exports it. */
export function stackPointerOf(p: Process): number | null {
  const g = p.instance?.exports[SP_EXPORT];
  return g instanceof WebAssembly.Global ? (g.value as number) >>> 0 : null;
}

/**
 * Whether a null-page hit at `address` in a --stack-first program is the stack running into
 * the guard: a leaf function's frame (which does not move __stack_pointer) reaching below it.
 */
export function isStackGuardHit(p: Process, address: number): boolean {
  const sp = stackPointerOf(p);
  return sp !== null && address <= sp && sp - address <= LEAF_FRAME;
}

/**
 * Rewrites a fault record of an instrumented program in place: frames in the original
 * module's terms, and "stack overflow" for an out-of-bounds access by a --stack-first
 * program whose stack pointer has wrapped below zero or sits at the bottom of memory.
 */
export function refineFault(r: FaultRecord, p: Process, info: ProtectionInfo, names: Map<number, string>): void {
  r.frames = r.frames.flatMap((f) => {
    const index = info.originalFunction(f.index);
    if (index === null) return [];
    return [{ index, name: names.get(index) ?? null, offset: info.originalOffset(f.offset) }];
  });
  if (r.signal === SIG.SEGV && r.kind === 'out-of-bounds memory access' && info.stackFirst) {
    const sp = stackPointerOf(p);
    const mem = p.instance?.exports.memory;
    const size = mem instanceof WebAssembly.Memory ? mem.buffer.byteLength : Infinity;
    if (sp !== null && (sp >= size || sp < Math.max(info.guard, 4096))) {
      r.kind = 'stack overflow';
      r.address = sp;
    }
  }
}
