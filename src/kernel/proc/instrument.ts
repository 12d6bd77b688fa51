// The kernel's module rewriter (issue 5): at load, before compiling, the kernel splices
// checks into every function body of a program. Each check is a few inline wasm
// instructions; only its failure path calls into the kernel (imports from "isokernel",
// added by the rewriter, served by syscall/isk-guard.ts). Every `if` it adds carries a
// branch hint (the branch-hinting proposal's metadata.code.branch_hint section) saying the
// failure path is unlikely: V8 then compiles it as deferred code, and a loop's values stay
// in registers instead of being spilled around the call (without hints the fuel check cost
// 40% on a CRC loop; with them, about 1%).
//
// - Null-page guard: a load or store of memory 0 whose static offset is below the guard
//   size G checks that its effective address (address + offset, unsigned) is at least G, and
//   otherwise calls fault_null(address, flags): SIGSEGV "null pointer dereference" with the
//   address. memory.copy/fill/init check their destination (and copy's source) likewise;
//   SIMD and atomic accesses too. Accesses with offset >= G, and those whose address is an
//   i32.const, need no check. G is the option (4096) clamped to memory the program uses:
//   below its data segments, and below 1024 (wasm-ld's default global base, where .bss,
//   which no data segment shows, may begin) unless the program is linked with
//   --stack-first, whose data lies above the stack: those get the whole 4 KiB.
// - Stack overflow: every global.set of __stack_pointer (found by its name in the name
//   section, else the LLVM convention: global 0, a mutable i32 initialised to a 16-aligned
//   address) checks the new value against the stack's lower end, and otherwise calls
//   fault_stack(sp): SIGSEGV "stack overflow". With --stack-first the lower end is the
//   guard (the stack sits on top of the null page); without it, the end of the initialised
//   data below the stack (the .bss between is not protected). The global is exported as
//   __isokernel_sp so that a trap can be classified afterwards (protect.ts). Every other
//   global the program defines is exported too, as __isokernel_global_N, so that a core
//   file can hold them all (proc/core.ts).
// - Preemption: a fuel counter (a new mutable i32 global) is decremented at every loop
//   header and at the entry of every function that calls another (only those can recurse);
//   when it runs out the code calls preempt(), a blocking syscall through the gate, which
//   returns new fuel and yields when the process's tick is up. A function with loops keeps
//   the fuel in a local (a register), loaded at entry and after calls, stored back before
//   calls and at exits; the global carries it between functions.
// - Memory limit: memory.grow of memory 0 becomes a call to memory_grow(delta), which
//   applies the process's page limit (and returns -1 beyond it, as memory.grow does).
//
// Adding function imports shifts every defined function's index by the number added; the
// rewriter renumbers call, return_call, ref.func, exports, the start function, element
// segments, constant expressions and the name section. Fault records are translated back
// (ProtectionInfo.originalFunction / originalOffset): they give the function indices and
// code offsets of the module as it was built, so wasm-objdump and DWARF still apply.
//
// Modules that import their memory (wasi-threads programs, which run on workers) or use
// the GC proposal are not rewritten; the loader runs them as they are (protect.ts).
import {
  atomicOperands, F32, F64, I32, I64, readMemArg, simdMemKind, skipFC, skipFDOther, skipImmediates, STORE_TYPE, V128,
  type MemArg,
} from './instrument-wasm.ts';
import {
  customName, IMPORT_FUNC, IMPORT_GLOBAL, IMPORT_MEMORY, nameMap, Reader, readImport, sections as sectionsOf, vector, WasmFormatError, Writer,
  type Section,
} from './wasm-binary.ts';

export { WasmFormatError } from './wasm-binary.ts';

export interface InstrumentOptions {
  /** The null-page guard's size in bytes; 0 turns it off. */
  nullGuard: number;
  /** Check each update of __stack_pointer against the stack's lower end. */
  stackCheck: boolean;
  /** Fuel checks in loops and function entries, so that the process can be preempted. */
  preempt: boolean;
  /** memory.grow through the kernel, which applies the process's memory page limit. */
  memoryLimit: boolean;
  /** Mark the checks' failure paths unlikely (branch hints); default true. For measurements. */
  branchHints?: boolean;
}

export const DEFAULT_INSTRUMENT: Readonly<InstrumentOptions> = Object.freeze({
  nullGuard: 4096, stackCheck: true, preempt: true, memoryLimit: true,
});

export const NO_INSTRUMENT: Readonly<InstrumentOptions> = Object.freeze({
  nullGuard: 0, stackCheck: false, preempt: false, memoryLimit: false,
});

/** What a spawn may ask for: nullGuard as a boolean (true: the default size) or a size. */
export type InstrumentRequest = Partial<Omit<InstrumentOptions, 'nullGuard'>> & { nullGuard?: boolean | number };

/** `base` with `req` applied. Errors: RangeError for a guard size that is not an integer in [0, 2^31). */
export function instrumentOptions(base: Readonly<InstrumentOptions>, req: InstrumentRequest | undefined): InstrumentOptions {
  const o = { ...base };
  if (!req) return o;
  if (req.nullGuard !== undefined) {
    const g = req.nullGuard === true ? DEFAULT_INSTRUMENT.nullGuard : req.nullGuard === false ? 0 : req.nullGuard;
    if (!Number.isInteger(g) || g < 0 || g >= 2 ** 31) throw new RangeError(`nullGuard ${g}: not a size in bytes`);
    o.nullGuard = g;
  }
  if (req.stackCheck !== undefined) o.stackCheck = req.stackCheck;
  if (req.preempt !== undefined) o.preempt = req.preempt;
  if (req.memoryLimit !== undefined) o.memoryLimit = req.memoryLimit;
  if (req.branchHints !== undefined) o.branchHints = req.branchHints;
  return o;
}

/** A cache key for the options: '' when nothing is instrumented. */
export function variantKey(o: Readonly<InstrumentOptions>): string {
  if (o.nullGuard === 0 && !o.stackCheck && !o.preempt && !o.memoryLimit) return '';
  return `g${o.nullGuard}${o.stackCheck ? 's' : ''}${o.preempt ? 'p' : ''}${o.memoryLimit ? 'm' : ''}${o.branchHints === false ? 'h' : ''}`;
}

/** The import module and names of the functions the rewriter adds. */
export const GUARD_MODULE = 'isokernel';
export const GUARD_IMPORTS = {
  faultNull: 'fault_null', faultStack: 'fault_stack', preempt: 'preempt', memoryGrow: 'memory_grow',
} as const;
/** Flags passed to fault_null. */
export const NULL_WRITE = 1, NULL_STACK_FIRST = 2;
export const SP_EXPORT = '__isokernel_sp';
/** The fuel counter, exported so that the kernel can end it early (syscall/isk-guard.ts, preemptSoon). */
export const FUEL_EXPORT = '__isokernel_fuel';
export const MEMORY_EXPORT = '__isokernel_memory';
/** Prefix of the exports the rewriter adds for each defined global: `__isokernel_global_N` (N its index). */
export const GLOBAL_EXPORT = '__isokernel_global_';
const BRANCH_HINTS = 'metadata.code.branch_hint';
/** Where wasm-ld puts static data by default (--global-base): nothing lives below it. */
const LLVM_GLOBAL_BASE = 1024;
/** The fuel a process starts with (preempt() then adapts it to the process's pace). */
export const INITIAL_FUEL = 1_000;

/** What the kernel keeps about an instrumented program. */
export interface ProtectionInfo {
  readonly options: InstrumentOptions;
  /** The guard size applied (0: no guard). */
  readonly guard: number;
  /** Index of __stack_pointer, or null if the module has none the kernel recognises. */
  readonly stackPointer: number | null;
  /** Whether the stack lies below the data (-Wl,--stack-first); null without a stack pointer. */
  readonly stackFirst: boolean | null;
  /** The stack's initial top, and the lowest value __stack_pointer may take (0: unchecked). */
  readonly stackTop: number;
  readonly stackLow: number;
  /** Export holding memory 0 (for memory_grow). */
  readonly memoryExport: string | null;
  /** Instrumentation sites, by kind. */
  readonly sites: { memory: number; staticSkipped: number; stack: number; loops: number; entries: number; grows: number };
  /** The function index in the original module, or null for a function the rewriter added. */
  originalFunction(index: number): number | null;
  /** The byte offset in the original module of an offset in the instrumented one. */
  originalOffset(offset: number): number;
  /** All of the above as plain data (JSON), from which protectionInfo() makes it again. */
  readonly record: ProtectionRecord;
}

/** A ProtectionInfo as plain data: what an on-disk cache of instrumented modules keeps. */
export interface ProtectionRecord {
  options: InstrumentOptions;
  guard: number;
  stackPointer: number | null;
  stackFirst: boolean | null;
  stackTop: number;
  stackLow: number;
  memoryExport: string | null;
  sites: ProtectionInfo['sites'];
  funcImports: number;
  added: number;
  /** Offset anchors (new offsets relative to the code payload at codeBase), or null: offsets unchanged. */
  anchors: { newAt: number[]; origAt: number[]; copy: boolean[]; codeBase: number } | null;
}

/** The ProtectionInfo a record describes. */
export function protectionInfo(r: ProtectionRecord): ProtectionInfo {
  const { funcImports, added } = r;
  const lookup = r.anchors ? makeLookup(r.anchors, r.anchors.codeBase) : (x: number) => x;
  return {
    options: { ...r.options }, guard: r.guard, stackPointer: r.stackPointer, stackFirst: r.stackFirst,
    stackTop: r.stackTop, stackLow: r.stackLow, memoryExport: r.memoryExport, sites: r.sites,
    originalFunction: (index: number) => (index < funcImports ? index : index < funcImports + added ? null : index - added),
    originalOffset: lookup,
    record: r,
  };
}

export interface InstrumentResult {
  bytes: Uint8Array;
  /** null when the module was left as it was (see `skipped`). */
  info: ProtectionInfo | null;
  /** Why a module was not instrumented. */
  skipped: string | null;
}

/** Section order (the binary format's), for inserting sections a module lacks. */
const ORDER: Record<number, number> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13 };

/** Offset anchors: new offset → original offset, linear after a COPY anchor, constant after an INSERT. */
class Anchors {
  newAt: number[] = [];
  origAt: number[] = [];
  copy: boolean[] = [];

  add(newPos: number, origPos: number, copy: boolean): void {
    const n = this.newAt.length;
    if (n > 0) {
      const ln = this.newAt[n - 1]!, lo = this.origAt[n - 1]!;
      // A copy that continues the previous one adds nothing.
      if (copy && this.copy[n - 1] && newPos - ln === origPos - lo) return;
      if (ln === newPos) { // replaces an anchor that covered nothing
        this.origAt[n - 1] = origPos;
        this.copy[n - 1] = copy;
        return;
      }
    }
    this.newAt.push(newPos);
    this.origAt.push(origPos);
    this.copy.push(copy);
  }
}

function makeLookup(a: Pick<Anchors, 'newAt' | 'origAt' | 'copy'>, newBase: number): (offset: number) => number {
  const n = a.newAt.length;
  const newAt = Uint32Array.from(a.newAt, (x) => x + newBase);
  const origAt = Uint32Array.from(a.origAt);
  const copy = Uint8Array.from(a.copy, (c) => (c ? 1 : 0));
  return (offset: number): number => {
    let lo = 0, hi = n - 1, k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (newAt[mid]! <= offset) {
        k = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (k < 0) return offset;
    return copy[k] ? origAt[k]! + (offset - newAt[k]!) : origAt[k]!;
  };
}

interface Ctx {
  b: Uint8Array;
  /** Function imports before the rewrite; and how many the rewrite adds. */
  funcImports: number;
  added: number;
  guard: number;
  stackFirst: boolean;
  sp: number | null;
  stackLow: number;
  fuel: number | null;
  fnFaultNull: number;
  fnFaultStack: number;
  fnPreempt: number;
  fnGrow: number;
  sites: { memory: number; staticSkipped: number; stack: number; loops: number; entries: number; grows: number };
  /** Branch hints (offsets of unlikely `if`s from the body's start) by new function index. */
  hints: Map<number, number[]>;
  /** Emit branch hints (metadata.code.branch_hint) for the inserted checks. */
  branchHints: boolean;
}

const renumber = (c: Ctx | null, f: number): number => (c !== null && f >= c.funcImports ? f + c.added : f);

/** Writes `n` as a LEB128 `width` bytes long if it fits (keeps offsets), else minimal. */
function writePadded(w: Writer, n: number, width: number): void {
  if (width <= 5 && n < 128 ** width) {
    for (let i = 0; i < width; i++) {
      const b = n % 128;
      n = Math.floor(n / 128);
      w.byte(i < width - 1 ? b | 0x80 : b);
    }
  } else w.u32(n);
}

/** Copies a constant expression (through its `end`), renumbering ref.func (unless `c` is null). */
function constExpr(c: Ctx | null, r: Reader, w: Writer): void {
  for (;;) {
    const at = r.pos;
    const op = r.byte();
    if (op === 0x0b) {
      w.byte(op);
      return;
    }
    if (op === 0xd2) {
      w.byte(op);
      const s = r.pos;
      const f = r.uleb();
      writePadded(w, renumber(c, f), r.pos - s);
      continue;
    }
    switch (op) {
      case 0x41: case 0x42: r.skipLeb(); break;
      case 0x43: r.skip(4); break;
      case 0x44: r.skip(8); break;
      case 0x23: r.uleb(); break;
      case 0xd0: r.skipLeb(); break;
      case 0xfd: if (r.uleb() !== 12) throw new WasmFormatError('bad constant expression'); r.skip(16); break;
      default:
        // Extended constant expressions: i32/i64 add, sub, mul.
        if (![0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e].includes(op)) throw new WasmFormatError(`opcode 0x${op.toString(16)} in a constant expression`);
    }
    w.bytes(r.b.subarray(at, r.pos));
  }
}

/** The value of a constant expression that is exactly `i32.const X end`, else null. */
function i32ConstOf(r: Reader): number | null {
  const start = r.pos;
  if (r.b[r.pos] === 0x41) {
    r.pos++;
    const v = r.sleb();
    if (r.b[r.pos] === 0x0b) {
      r.pos++;
      return v >>> 0;
    }
  }
  r.pos = start;
  r.skipConstExpr();
  return null;
}

/** What a body holds, from a first pass: loops, and calls to defined or indirect functions. */
function scanBody(c: Ctx, r: Reader): { loops: boolean; calls: boolean } {
  let loops = false, calls = false;
  const ma: MemArg = { memory: 0, offset: 0 };
  while (r.pos < r.end) {
    const op = r.byte();
    if (op === 0x03) loops = true;
    else if (op === 0x10 || op === 0x12) {
      if (r.uleb() >= c.funcImports) calls = true;
      continue;
    } else if (op === 0x11 || op === 0x13 || op === 0x14 || op === 0x15) calls = true;
    skipImmediates(r, op, ma);
  }
  return { loops, calls };
}

/**
 * Rewrites one function body [start, end) (the bytes after its size) into `w`, the code
 * section's payload, recording offset anchors (new: relative to the payload; original:
 * absolute) and branch hints; returns false (and writes nothing) if it needs no change.
 *
 * Fuel: a function with loops keeps the fuel in a local (a register: a loop header costs a
 * decrement and a branch), loaded from the global at entry and after each call, stored back
 * before each call and at each exit. A function without loops that calls others counts its
 * entry on the global itself. One without either runs for a bounded time and is left alone.
 */
function rewriteBody(c: Ctx, start: number, end: number, params: number, w: Writer, anchors: Anchors, funcIndex: number): boolean {
  const b = c.b;
  const r = new Reader(b, start, end);
  let declared = 0;
  const groups = r.uleb();
  const declStart = r.pos;
  for (let i = 0; i < groups; i++) {
    declared += r.uleb();
    r.valType();
  }
  const codeStart = r.pos;
  const scan = c.fuel !== null ? scanBody(c, new Reader(b, codeStart, end)) : { loops: false, calls: false };
  const cached = scan.loops; // fuel in a local
  const body = new Writer(Math.max(64, (end - start) * 2));
  const bodyAnchors = new Anchors();
  let copyFrom = codeStart;
  let changed = false;
  const scratchTypes: number[] = [];
  const scratchIdx = new Map<number, number>(); // (type << 4 | slot) → local index
  const firstScratch = params + declared;
  const local = (type: number, slot: number): number => {
    const key = (type << 4) | slot;
    let i = scratchIdx.get(key);
    if (i === undefined) {
      i = firstScratch + scratchTypes.length;
      scratchTypes.push(type);
      scratchIdx.set(key, i);
    }
    return i;
  };
  const flush = (upTo: number): void => {
    if (upTo > copyFrom) {
      bodyAnchors.add(body.len, copyFrom, true);
      body.bytes(b.subarray(copyFrom, upTo));
    }
    copyFrom = upTo;
  };
  const insertAt = (orig: number): void => {
    flush(orig);
    bodyAnchors.add(body.len, orig, false);
    changed = true;
  };
  // Offsets of the checks' `if`s in the entry and in the body: their failure paths are cold.
  // Hinting them (branch hinting proposal) makes V8 compile them as deferred code, so that a
  // loop's values are not spilled around the call on the cold path.
  const entryHints: number[] = [];
  const bodyHints: number[] = [];
  const coldIf = (o: Writer): void => {
    (o === body ? bodyHints : entryHints).push(o.len);
    o.byte(0x04); o.byte(0x40);
  };
  const g = c.fuel ?? 0;
  const fuelLocal = cached ? local(I32, 15) : -1;
  /** fuel -= 1 in the local; refill through preempt() when it is spent. */
  const localFuelCheck = (o: Writer): void => {
    o.byte(0x20); o.u32(fuelLocal); o.byte(0x41); o.byte(0x01); o.byte(0x6b); o.byte(0x22); o.u32(fuelLocal);
    o.byte(0x41); o.byte(0x00); o.byte(0x4c); // i32.le_s 0
    coldIf(o); o.byte(0x10); o.u32(c.fnPreempt); o.byte(0x21); o.u32(fuelLocal); o.byte(0x0b);
  };
  /** The same on the global (entries of functions that call). */
  const globalFuelCheck = (o: Writer): void => {
    o.byte(0x23); o.u32(g); o.byte(0x41); o.byte(0x01); o.byte(0x6b); o.byte(0x24); o.u32(g);
    o.byte(0x23); o.u32(g); o.byte(0x41); o.byte(0x00); o.byte(0x4c);
    coldIf(o); o.byte(0x10); o.u32(c.fnPreempt); o.byte(0x24); o.u32(g); o.byte(0x0b);
  };
  const storeFuel = (at: number): void => {
    insertAt(at);
    body.byte(0x20); body.u32(fuelLocal); body.byte(0x24); body.u32(g);
  };
  const loadFuel = (at: number): void => {
    insertAt(at);
    body.byte(0x23); body.u32(g); body.byte(0x21); body.u32(fuelLocal);
  };
  /** The guard check of the address in local `a` (offset `off`); leaves nothing on the stack. */
  const addrCheck = (a: number, off: number, flags: number): void => {
    body.byte(0x20); body.u32(a); body.byte(0x41); body.s32(c.guard - off); body.byte(0x49); // local.get a; i32.const G-off; i32.lt_u
    coldIf(body);
    body.byte(0x20); body.u32(a);
    if (off !== 0) { body.byte(0x41); body.s32(off); body.byte(0x6a); }
    body.byte(0x41); body.s32(flags); body.byte(0x10); body.u32(c.fnFaultNull); body.byte(0x00);
    body.byte(0x0b);
  };
  const sfFlag = c.stackFirst ? NULL_STACK_FIRST : 0;
  /** A memory access with `operands` (types) above its address. */
  const guardAccess = (at: number, off: number, operands: number[], write: boolean): void => {
    insertAt(at);
    const vals = operands.map((t, i) => local(t, 1 + i));
    for (let i = vals.length - 1; i >= 0; i--) { body.byte(0x21); body.u32(vals[i]!); } // local.set v_i
    const a = local(I32, 0);
    body.byte(0x21); body.u32(a);
    addrCheck(a, off, (write ? NULL_WRITE : 0) | sfFlag);
    body.byte(0x20); body.u32(a);
    for (const v of vals) { body.byte(0x20); body.u32(v); }
    c.sites.memory++;
  };
  /** memory.init/copy/fill: [dst, src or value, n]; checks dst (and src) when n != 0. */
  const bulkCheck = (at: number, dst: boolean, src: boolean): void => {
    insertAt(at);
    const a = local(I32, 0), s = local(I32, 1), n = local(I32, 2);
    body.byte(0x21); body.u32(n); body.byte(0x21); body.u32(s); body.byte(0x21); body.u32(a);
    body.byte(0x20); body.u32(n); body.byte(0x04); body.byte(0x40); // if n != 0
    const below = (x: number): void => { body.byte(0x20); body.u32(x); body.byte(0x41); body.s32(c.guard); body.byte(0x49); };
    if (dst) below(a);
    if (src) below(s);
    if (dst && src) body.byte(0x72); // i32.or
    coldIf(body);
    if (dst && src) { // the address in the guard: dst if it is, else src
      body.byte(0x20); body.u32(a); body.byte(0x20); body.u32(s); below(a); body.byte(0x1b);
    } else { body.byte(0x20); body.u32(dst ? a : s); }
    body.byte(0x41); body.s32(NULL_WRITE | sfFlag); body.byte(0x10); body.u32(c.fnFaultNull); body.byte(0x00);
    body.byte(0x0b);
    body.byte(0x0b);
    body.byte(0x20); body.u32(a); body.byte(0x20); body.u32(s); body.byte(0x20); body.u32(n);
    c.sites.memory++;
  };

  // Peephole state: the last two instructions, for accesses at a constant address.
  let lastConst: number | null = null; // value if the last instruction was i32.const
  let prevConst: number | null = null; // value if the one before was i32.const and the last a plain push
  let depth = 0; // open blocks: a branch to label `depth` leaves the function
  const ma: MemArg = { memory: 0, offset: 0 };
  const guard = c.guard;

  while (r.pos < end) {
    const at = r.pos;
    const op = r.byte();
    let isConst: number | null = null;
    let plainPush = false;
    if (op >= 0x28 && op <= 0x3e) {
      readMemArg(r, ma);
      if (guard > 0 && ma.memory === 0 && ma.offset < guard) {
        const store = op >= 0x36;
        const known = store ? prevConst : lastConst;
        if (known !== null && known + ma.offset >= guard) c.sites.staticSkipped++;
        else guardAccess(at, ma.offset, store ? [STORE_TYPE[op]!] : [], store);
      }
    } else {
      switch (op) {
        case 0x41: isConst = r.sleb() >>> 0; break;
        case 0x42: case 0x43: case 0x44: case 0x20: case 0x23: skipImmediates(r, op, ma); plainPush = true; break;
        case 0x02: case 0x04: case 0x06: case 0x1f: skipImmediates(r, op, ma); depth++; break;
        case 0x03:
          r.blockType();
          depth++;
          if (cached) {
            insertAt(r.pos);
            localFuelCheck(body);
            c.sites.loops++;
          }
          break;
        case 0x0b: case 0x18:
          if (op === 0x18) r.uleb();
          if (--depth < 0 && cached) storeFuel(at); // the function's end
          break;
        case 0x0f:
          if (cached) storeFuel(at);
          break;
        case 0x0c: case 0x0d: case 0xd5: case 0xd6:
          if (r.uleb() === depth && cached) storeFuel(at);
          break;
        case 0x0e: {
          let out = false;
          for (let n = r.uleb(); n >= 0; n--) if (r.uleb() === depth) out = true;
          if (out && cached) storeFuel(at);
          break;
        }
        case 0x10: case 0x12: case 0xd2: {
          const s = r.pos;
          const f = r.uleb();
          const defined = f >= c.funcImports;
          if (cached && defined && op !== 0xd2) storeFuel(at);
          if (c.added > 0 && defined) {
            insertAt(at); // the index changes; V8 reports the call at its opcode, still copied
            body.byte(op);
            writePadded(body, f + c.added, r.pos - s);
            copyFrom = r.pos;
          }
          if (cached && defined && op === 0x10) loadFuel(r.pos);
          break;
        }
        case 0x11: case 0x13: case 0x14: case 0x15:
          if (cached) storeFuel(at);
          skipImmediates(r, op, ma);
          if (cached && (op === 0x11 || op === 0x14)) loadFuel(r.pos);
          break;
        case 0x24: {
          const gi = r.uleb();
          if (gi === c.sp && c.stackLow > 0) {
            insertAt(at);
            const a = local(I32, 0);
            body.byte(0x22); body.u32(a); body.byte(0x41); body.s32(c.stackLow); body.byte(0x49);
            coldIf(body);
            body.byte(0x20); body.u32(a); body.byte(0x10); body.u32(c.fnFaultStack); body.byte(0x00);
            body.byte(0x0b);
            body.byte(0x20); body.u32(a);
            c.sites.stack++;
          }
          break;
        }
        case 0x40: {
          const mem = r.uleb();
          if (mem === 0 && c.fnGrow >= 0) {
            insertAt(at);
            body.byte(0x10); body.u32(c.fnGrow);
            copyFrom = r.pos;
            c.sites.grows++;
          }
          break;
        }
        case 0xfc: {
          const sub = r.uleb();
          if (guard > 0 && (sub === 8 || sub === 10 || sub === 11)) {
            const m1 = r.uleb();
            const m2 = sub === 11 ? -1 : r.uleb();
            // memory.init: data, mem; memory.copy: dst, src; memory.fill: mem.
            const dstMem = sub === 8 ? m2 : m1;
            const srcMem = sub === 10 ? m2 : -1;
            if (dstMem === 0 || srcMem === 0) bulkCheck(at, dstMem === 0, srcMem === 0);
          } else skipFC(r, sub);
          break;
        }
        case 0xfd: {
          const sub = r.uleb();
          const kind = simdMemKind(sub);
          if (kind === null) {
            skipFDOther(r, sub);
            plainPush = sub === 12;
            break;
          }
          readMemArg(r, ma);
          if (kind === 'lane') r.skip(1);
          if (guard > 0 && ma.memory === 0 && ma.offset < guard) {
            if (kind === 'load' && lastConst !== null && lastConst + ma.offset >= guard) c.sites.staticSkipped++;
            else guardAccess(at, ma.offset, kind === 'load' ? [] : [V128], sub === 11 || (sub >= 88 && sub <= 91));
          }
          break;
        }
        case 0xfe: {
          const sub = r.uleb();
          const operands = atomicOperands(sub);
          if (operands === null) {
            if (sub !== 3) throw new WasmFormatError(`unknown instruction 0xfe ${sub}`);
            r.skip(1);
            break;
          }
          readMemArg(r, ma);
          if (guard > 0 && ma.memory === 0 && ma.offset < guard) guardAccess(at, ma.offset, operands, sub >= 0x17);
          break;
        }
        default:
          skipImmediates(r, op, ma);
      }
    }
    prevConst = plainPush || isConst !== null ? lastConst : null;
    lastConst = isConst;
  }
  flush(end);

  // The entry: a fuel check on the global for functions that call (only they can recurse),
  // and the load of the fuel into its local.
  const entry = new Writer(32);
  if (c.fuel !== null && scan.calls) {
    globalFuelCheck(entry);
    c.sites.entries++;
  }
  if (cached) { entry.byte(0x23); entry.u32(g); entry.byte(0x21); entry.u32(fuelLocal); }
  if (!changed && entry.len === 0) return false;

  // The new body: the original local groups plus one per scratch local, then the code.
  const head = new Writer(16 + (codeStart - declStart));
  head.u32(groups + scratchTypes.length);
  head.bytes(b.subarray(declStart, codeStart));
  for (const t of scratchTypes) { head.byte(1); head.byte(t); }
  const size = head.len + entry.len + body.len;
  if (c.branchHints && entryHints.length + bodyHints.length > 0) {
    c.hints.set(funcIndex, [...entryHints.map((x) => head.len + x), ...bodyHints.map((x) => head.len + entry.len + x)]);
  }
  const at = w.len;
  w.u32(size);
  w.bytes(head.result());
  anchors.add(at, start, false);
  anchors.add(w.len, codeStart, false); // entry checks: the first instruction
  w.bytes(entry.result());
  const codeAt = w.len;
  for (let i = 0; i < bodyAnchors.newAt.length; i++) {
    anchors.add(codeAt + bodyAnchors.newAt[i]!, bodyAnchors.origAt[i]!, bodyAnchors.copy[i]!);
  }
  w.bytes(body.buf.subarray(0, body.len));
  return true;
}

/**
 * Instruments a module (without its trailing custom sections, as the loader compiles it).
 * `names` is the payload of its "name" section, if the loader kept it aside. Errors:
 * WasmFormatError for a module the rewriter cannot read (the caller runs it as it is).
 */
export function instrumentModule(b: Uint8Array, opts: Readonly<InstrumentOptions>, names?: Uint8Array): InstrumentResult {
  const sections = sectionsOf(b);
  const sec = (id: number): Section | undefined => sections.find((s) => s.id === id);
  const none = (why: string): InstrumentResult => ({ bytes: b, info: null, skipped: why });

  // Types: parameter counts of function types.
  const typeParams: number[] = [];
  const tsec = sec(1);
  if (tsec) {
    const r = new Reader(b, tsec.body, tsec.end);
    for (let n = r.uleb(); n > 0; n--) {
      const form = r.byte();
      if (form !== 0x60) return none('it uses GC types');
      const np = r.uleb();
      for (let i = 0; i < np; i++) r.valType();
      const nr = r.uleb();
      for (let i = 0; i < nr; i++) r.valType();
      typeParams.push(np);
    }
  }
  // Imports.
  let funcImports = 0, globalImports = 0;
  const funcTypes: number[] = [];
  const isec = sec(2);
  if (isec) {
    const r = new Reader(b, isec.body, isec.end);
    for (let n = r.uleb(); n > 0; n--) {
      const imp = readImport(r);
      if (imp.kind === IMPORT_FUNC) {
        funcTypes.push(imp.type);
        funcImports++;
      } else if (imp.kind === IMPORT_MEMORY) return none('it imports its memory (a threaded program)');
      else if (imp.kind === IMPORT_GLOBAL) globalImports++;
    }
  }
  const fsec = sec(3);
  if (fsec) {
    const r = new Reader(b, fsec.body, fsec.end);
    for (let n = r.uleb(); n > 0; n--) funcTypes.push(r.uleb());
  }
  // Memory 0.
  let mem0: { flags: number } | null = null;
  const msec = sec(5);
  if (msec) {
    const r = new Reader(b, msec.body, msec.end);
    if (r.uleb() > 0) mem0 = { flags: r.limits().flags };
  }
  if (mem0 && (mem0.flags & 2) !== 0) return none('its memory is shared (a threaded program)');
  const mem64 = mem0 !== null && (mem0.flags & 4) !== 0;
  // Globals: mutable i32s initialised to a constant, candidates for __stack_pointer.
  const globalInit = new Map<number, number>();
  let definedGlobals = 0;
  const gsec = sec(6);
  if (gsec) {
    const r = new Reader(b, gsec.body, gsec.end);
    for (let n = r.uleb(); n > 0; n--) {
      const t = r.valType();
      const mut = r.byte();
      const v = i32ConstOf(r);
      if (t === I32 && mut === 1 && v !== null) globalInit.set(globalImports + definedGlobals, v);
      definedGlobals++;
    }
  }
  // Exports: is "memory" memory 0?
  let memoryIsMem0 = false;
  const esec = sec(7);
  if (esec) {
    const r = new Reader(b, esec.body, esec.end);
    for (let n = r.uleb(); n > 0; n--) {
      const name = r.name();
      const kind = r.byte();
      const idx = r.uleb();
      if (name === 'memory' && kind === 2 && idx === 0) memoryIsMem0 = true;
    }
  }
  // Data: the lowest and highest addresses active segments of memory 0 initialise.
  let dataLow = Infinity, dataHigh = 0, dataUnknown = false;
  const dsec = sec(11);
  if (dsec) {
    const r = new Reader(b, dsec.body, dsec.end);
    for (let n = r.uleb(); n > 0; n--) {
      const flags = r.uleb();
      let memory = 0;
      if (flags === 2) memory = r.uleb();
      let offset: number | null = null;
      if (flags !== 1) offset = i32ConstOf(r);
      const len = r.uleb();
      r.skip(len);
      if (flags === 1 || memory !== 0) continue;
      if (offset === null) dataUnknown = true;
      else if (len > 0) {
        dataLow = Math.min(dataLow, offset);
        dataHigh = Math.max(dataHigh, offset + len);
      }
    }
  }
  // __stack_pointer: by name, else LLVM's convention (global 0, when the module has no names).
  let sp: number | null = null;
  const globalNames = parseGlobalNames(names ?? customPayload(b, sections, 'name'));
  for (const [idx, name] of globalNames) if (name === '__stack_pointer' && globalInit.has(idx)) sp = idx;
  if (sp === null && globalNames.size === 0 && globalImports === 0) {
    const v = globalInit.get(0);
    if (v !== undefined && v >= 1024 && v % 16 === 0) sp = 0;
  }
  const stackTop = sp !== null ? globalInit.get(sp)! : 0;
  // --stack-first: the stack's top is at or below the lowest data segment.
  const stackFirst = sp !== null && !dataUnknown && dataLow !== Infinity && stackTop <= dataLow;

  // The guard may not cover memory the program uses: its data segments, and (data segments
  // do not show zero-initialised .bss) LLVM's default global base, 1024, unless the stack
  // is known to lie below the data; nor more than a quarter of a --stack-first stack.
  let guard = 0;
  if (opts.nullGuard > 0 && mem0 !== null && !mem64 && !dataUnknown) {
    guard = Math.min(opts.nullGuard, dataLow, stackFirst ? Math.floor(stackTop / 4) : LLVM_GLOBAL_BASE);
  }
  // The lowest value __stack_pointer may take: the guard below a --stack-first stack; else the
  // end of the initialised data below it (the .bss between is not protected).
  let stackLow = 0;
  if (opts.stackCheck && sp !== null && !dataUnknown) stackLow = stackFirst ? guard : Math.max(dataHigh, guard);

  // The imports the rewrite adds, after the existing ones.
  const newImports: { name: string; params: number[]; results: number[] }[] = [];
  const want = (name: string, params: number[], results: number[]): number => {
    newImports.push({ name, params, results });
    return funcImports + newImports.length - 1;
  };
  const fnFaultNull = guard > 0 ? want(GUARD_IMPORTS.faultNull, [I32, I32], []) : -1;
  const fnFaultStack = stackLow > 0 ? want(GUARD_IMPORTS.faultStack, [I32], []) : -1;
  const fnPreempt = opts.preempt ? want(GUARD_IMPORTS.preempt, [], [I32]) : -1;
  const fnGrow = opts.memoryLimit && mem0 !== null && !mem64 ? want(GUARD_IMPORTS.memoryGrow, [I32], [I32]) : -1;
  const added = newImports.length;
  const fuel = opts.preempt ? globalImports + definedGlobals : null;
  const sites = { memory: 0, staticSkipped: 0, stack: 0, loops: 0, entries: 0, grows: 0 };
  const c: Ctx = {
    b, funcImports, added, guard, stackFirst, sp, stackLow, fuel, fnFaultNull, fnFaultStack, fnPreempt, fnGrow, sites,
    hints: new Map(), branchHints: opts.branchHints !== false,
  };
  const typeBase = typeParams.length;

  const out = new Writer(b.length + (b.length >> 2) + 256);
  out.bytes(b.subarray(0, 8));
  const anchors = new Anchors();
  let codeBase = -1;
  let origCodeBase = -1;
  const emitted = new Set<number>();
  const sectionOut = (id: number, payload: Uint8Array): void => {
    out.byte(id);
    out.u32(payload.length);
    out.bytes(payload);
  };
  const copySection = (s: Section): void => {
    out.bytes(b.subarray(s.start, s.end));
  };

  /** Payload for section `id`, or null to copy the original unchanged. */
  const rebuild = (id: number, s: Section | undefined): Uint8Array | null => {
    switch (id) {
      case 1: {
        if (added === 0) return null;
        const w = new Writer();
        const n = typeParams.length;
        w.u32(n + added);
        w.bytes(vector(b, s).entries);
        for (const t of newImports) {
          w.byte(0x60); w.u32(t.params.length); for (const p of t.params) w.byte(p);
          w.u32(t.results.length); for (const p of t.results) w.byte(p);
        }
        return w.result();
      }
      case 2: {
        if (added === 0) return null;
        const w = new Writer();
        const { count, entries } = vector(b, s);
        w.u32(count + added);
        w.bytes(entries);
        newImports.forEach((imp, i) => {
          w.name(GUARD_MODULE); w.name(imp.name); w.byte(0x00); w.u32(typeBase + i);
        });
        return w.result();
      }
      case 6: {
        if (fuel === null) return null;
        const w = new Writer();
        const { count, entries } = vector(b, s);
        if (added === 0) { w.u32(count + 1); w.bytes(entries); } else {
          // Global initialisers may hold ref.func.
          w.u32(count + 1);
          if (s) {
            const r = new Reader(b, s.body, s.end);
            for (let n = r.uleb(); n > 0; n--) {
              const t0 = r.pos;
              r.valType();
              r.byte();
              w.bytes(b.subarray(t0, r.pos));
              constExpr(c, r, w);
            }
          }
        }
        w.byte(I32); w.byte(1); w.byte(0x41); w.s32(INITIAL_FUEL); w.byte(0x0b);
        return w.result();
      }
      case 7: {
        const extra: [string, number, number][] = [];
        if (sp !== null && added > 0) extra.push([SP_EXPORT, 3, sp]); // to classify traps afterwards
        if (fuel !== null) extra.push([FUEL_EXPORT, 3, fuel]); // the kernel may spend it (isk-guard.ts)
        if (fnGrow >= 0 && !memoryIsMem0) extra.push([MEMORY_EXPORT, 2, 0]);
        // Every other global the program defines (not the fuel), so that a core file has them all.
        if (added > 0) {
          for (let g = globalImports; g < globalImports + definedGlobals; g++) if (g !== sp) extra.push([GLOBAL_EXPORT + g, 3, g]);
        }
        if (added === 0 && extra.length === 0) return null;
        const w = new Writer();
        let count = 0;
        const r = s ? new Reader(b, s.body, s.end) : null;
        if (r) count = r.uleb();
        w.u32(count + extra.length);
        for (let i = 0; i < count; i++) {
          const n0 = r!.pos;
          r!.name();
          const kind = r!.byte();
          w.bytes(b.subarray(n0, r!.pos));
          const idx = r!.uleb();
          w.u32(kind === 0 ? renumber(c, idx) : idx);
        }
        for (const [name, kind, idx] of extra) { w.name(name); w.byte(kind); w.u32(idx); }
        return w.result();
      }
      case 8: {
        if (added === 0 || !s) return null;
        const w = new Writer(8);
        w.u32(renumber(c, new Reader(b, s.body, s.end).uleb()));
        return w.result();
      }
      case 9: return added === 0 || !s ? null : rebuildElements(c, s);
      case 4: return added === 0 || !s ? null : rebuildTables(c, s);
      default: return null;
    }
  };

  const pending = [1, 2, 6, 7];
  // Sections the module lacks but the rewrite needs are inserted in order.
  const insertMissing = (rank: number): void => {
    for (const id of pending) {
      if (emitted.has(id) || ORDER[id]! >= rank || sec(id)) continue;
      emitted.add(id);
      const payload = rebuild(id, undefined);
      if (payload !== null) sectionOut(id, payload);
    }
  };

  for (const s of sections) {
    if (s.id !== 0) insertMissing(ORDER[s.id] ?? 99);
    emitted.add(s.id);
    if (s.id === 10) {
      const w = new Writer(s.end - s.body + 1024);
      const r = new Reader(b, s.body, s.end);
      const n = r.uleb();
      w.u32(n);
      // New offsets are taken relative to this payload and shifted once it is placed.
      let changed = false;
      for (let i = 0; i < n; i++) {
        const sizeStart = r.pos;
        const size = r.uleb();
        const start = r.pos;
        const params = typeParams[funcTypes[funcImports + i]!];
        if (params === undefined) throw new WasmFormatError(`function ${funcImports + i} has a bad type`);
        const lenAt = w.len;
        if (rewriteBody(c, start, start + size, params, w, anchors, funcImports + added + i)) changed = true;
        else {
          w.bytes(b.subarray(sizeStart, start + size));
          anchors.add(lenAt, sizeStart, true);
        }
        r.pos = start + size;
      }
      if (c.hints.size > 0) {
        // metadata.code.branch_hint: vec(funcidx vec(offset, size 1, hint 0 = unlikely)), before the code.
        const h = new Writer();
        h.name(BRANCH_HINTS);
        h.u32(c.hints.size);
        for (const [f, offsets] of [...c.hints].sort((x, y) => x[0] - y[0])) {
          h.u32(f);
          h.u32(offsets.length);
          for (const o of offsets) { h.u32(o); h.byte(1); h.byte(0); }
        }
        sectionOut(0, h.result());
      }
      if (!changed && added === 0) {
        // Unchanged code (though sections before it may have grown): one linear anchor.
        codeBase = out.len + (s.body - s.start);
        origCodeBase = s.body;
        anchors.newAt.length = anchors.origAt.length = anchors.copy.length = 0;
        anchors.add(0, s.body, true);
        copySection(s);
      } else {
        out.byte(10);
        const payload = w.result();
        out.u32(payload.length);
        codeBase = out.len;
        origCodeBase = s.body;
        out.bytes(payload);
      }
      continue;
    }
    if (s.id === 0) {
      const r = new Reader(b, s.body, s.end);
      const name = r.name();
      if (name === BRANCH_HINTS && (added > 0 || c.hints.size > 0)) continue; // offsets no longer hold
      if (name === 'name' && added > 0) {
        const w = new Writer();
        w.name('name');
        w.bytes(renumberNames(c, b.subarray(r.pos, s.end)));
        sectionOut(0, w.result());
      } else copySection(s);
      continue;
    }
    const payload = rebuild(s.id, s);
    if (payload === null) copySection(s);
    else sectionOut(s.id, payload);
  }
  insertMissing(99);

  // Anchors hold new offsets relative to the code payload and original offsets absolute.
  const info = protectionInfo({
    options: { ...opts }, guard, stackPointer: sp, stackFirst: sp !== null ? stackFirst : null, stackTop, stackLow,
    memoryExport: mem0 === null ? null : memoryIsMem0 ? 'memory' : fnGrow >= 0 ? MEMORY_EXPORT : null,
    sites, funcImports, added,
    anchors: codeBase >= 0 && origCodeBase > 0
      ? { newAt: anchors.newAt, origAt: anchors.origAt, copy: anchors.copy, codeBase } : null,
  });
  return { bytes: out.result(), info, skipped: null };
}

function customPayload(b: Uint8Array, sections: Section[], name: string): Uint8Array | undefined {
  for (const s of sections) {
    if (s.id !== 0) continue;
    const c = customName(b, s);
    if (c.name === name) return b.subarray(c.payload, s.end);
  }
  return undefined;
}

/** Global names (name section subsection 7). A malformed section yields what was read. */
export function parseGlobalNames(payload: Uint8Array | undefined): Map<number, string> {
  return nameMap(payload, 7);
}

/** The name section with function indices (subsections 1, 2, 3) renumbered. */
function renumberNames(c: Ctx, payload: Uint8Array): Uint8Array {
  const w = new Writer(payload.length + 64);
  const r = new Reader(payload);
  try {
    while (r.pos < payload.length) {
      const id = r.byte();
      const size = r.uleb();
      const start = r.pos;
      const end = start + size;
      if (id < 1 || id > 3) {
        w.byte(id); w.u32(size); w.bytes(payload.subarray(start, end));
        r.pos = end;
        continue;
      }
      const sub = new Writer(size + 16);
      const n = r.uleb();
      sub.u32(n);
      for (let i = 0; i < n; i++) {
        sub.u32(renumber(c, r.uleb()));
        const s0 = r.pos;
        if (id === 1) r.name();
        else for (let m = r.uleb(); m > 0; m--) { r.uleb(); r.name(); }
        sub.bytes(payload.subarray(s0, r.pos));
      }
      r.pos = end;
      w.byte(id); w.u32(sub.len); w.bytes(sub.result());
    }
  } catch {
    return new Uint8Array(0); // a malformed name section is dropped rather than misnumbered
  }
  return w.result();
}

/** The element section with function indices renumbered (all eight segment forms). */
function rebuildElements(c: Ctx, s: Section): Uint8Array {
  const b = c.b;
  const r = new Reader(b, s.body, s.end);
  const w = new Writer(s.end - s.body + 64);
  const n = r.uleb();
  w.u32(n);
  for (let i = 0; i < n; i++) {
    const flags = r.uleb();
    w.u32(flags);
    if (flags > 7) throw new WasmFormatError(`element segment flags ${flags}`);
    const active = (flags & 1) === 0;
    const explicitTable = (flags & 2) !== 0;
    const exprs = (flags & 4) !== 0;
    if (active && explicitTable) w.u32(r.uleb());
    if (active) constExpr(c, r, w);
    if (!active || explicitTable) {
      // elemkind (0x00) for index forms, a reference type for expression forms
      const t0 = r.pos;
      if (exprs) r.valType();
      else r.byte();
      w.bytes(b.subarray(t0, r.pos));
    }
    const count = r.uleb();
    w.u32(count);
    for (let j = 0; j < count; j++) {
      if (exprs) constExpr(c, r, w);
      else {
        const s0 = r.pos;
        const f = r.uleb();
        writePadded(w, renumber(c, f), r.pos - s0);
      }
    }
  }
  return w.result();
}

/** The table section, renumbering ref.func in table initialisers (function references). */
function rebuildTables(c: Ctx, s: Section): Uint8Array | null {
  const b = c.b;
  const r = new Reader(b, s.body, s.end);
  const w = new Writer(s.end - s.body + 16);
  const n = r.uleb();
  w.u32(n);
  let any = false;
  for (let i = 0; i < n; i++) {
    const t0 = r.pos;
    if (b[r.pos] === 0x40) {
      r.skip(2);
      r.valType();
      r.limits();
      w.bytes(b.subarray(t0, r.pos));
      constExpr(c, r, w);
      any = true;
    } else {
      r.valType();
      r.limits();
      w.bytes(b.subarray(t0, r.pos));
    }
  }
  return any ? w.result() : null;
}

export { I32, I64, F32, F64, V128 };
