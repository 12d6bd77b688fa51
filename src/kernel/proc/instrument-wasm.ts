// Byte-level reading of WebAssembly instructions for the instrumenter (proc/instrument.ts):
// the immediates of every instruction the kernel understands (MVP, sign extension, saturating
// conversions, bulk memory, reference types, multi-memory, SIMD and relaxed SIMD, threads'
// atomics, tail calls, exception handling). GC instructions (0xFB) are not decoded: a
// module that uses them is run uninstrumented (see instrument.ts). LEB128s, types, constant
// expressions and the section list are read with the kernel's shared reader (wasm-binary.ts).
import { Reader, WasmFormatError } from './wasm-binary.ts';

/** A memory instruction's memarg: alignment flags (bit 6: a memory index follows), memory, offset. */
export interface MemArg {
  memory: number;
  offset: number;
}

export function readMemArg(r: Reader, out: MemArg): void {
  const align = r.uleb();
  out.memory = (align & 0x40) !== 0 ? r.uleb() : 0;
  out.offset = r.uleb();
}

/** Immediates of 0xFC instructions (bulk memory, saturating conversions, tables), by sub-opcode. */
export function skipFC(r: Reader, sub: number): void {
  if (sub <= 7) return;
  switch (sub) {
    case 8: case 10: case 12: case 14: r.uleb(); r.uleb(); return; // memory.init, memory.copy, table.init, table.copy
    case 9: case 11: case 13: case 15: case 16: case 17: r.uleb(); return;
    default: throw new WasmFormatError(`unknown instruction 0xfc ${sub}`);
  }
}

/** Immediates of 0xFD (SIMD) instructions other than memory accesses. */
export function skipFDOther(r: Reader, sub: number): void {
  if (sub === 12 || sub === 13) return r.skip(16); // v128.const, i8x16.shuffle
  if (sub >= 21 && sub <= 34) return r.skip(1); // extract_lane / replace_lane
  if (sub <= 0x113) return;
  throw new WasmFormatError(`unknown instruction 0xfd ${sub}`);
}

/**
 * The kind of a SIMD memory instruction: 'load' (address on top), 'store' (address, v128),
 * 'lane' (address, v128; a lane byte follows the memarg), or null if it is not one.
 */
export function simdMemKind(sub: number): 'load' | 'store' | 'lane' | null {
  if (sub <= 10 || sub === 92 || sub === 93) return 'load';
  if (sub === 11) return 'store';
  if (sub >= 84 && sub <= 91) return 'lane';
  return null;
}

/** Value types: what a scratch local is declared as. */
export const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b;

/** For 0x36..0x3E (stores): the type of the stored value. */
export const STORE_TYPE: Record<number, number> = {
  0x36: I32, 0x37: I64, 0x38: F32, 0x39: F64, 0x3a: I32, 0x3b: I32, 0x3c: I64, 0x3d: I64, 0x3e: I64,
};

/**
 * For an atomic (0xFE) memory instruction, the types of the operands above the address
 * (empty for a load), or null if `sub` is not a memory access (atomic.fence).
 */
export function atomicOperands(sub: number): number[] | null {
  if (sub === 0x00) return [I32]; // memory.atomic.notify
  if (sub === 0x01) return [I32, I64]; // wait32
  if (sub === 0x02) return [I64, I64]; // wait64
  if (sub >= 0x10 && sub <= 0x16) return []; // loads
  if (sub >= 0x17 && sub <= 0x1d) return [[I32, I64, I32, I32, I64, I64, I64][sub - 0x17]!]; // stores
  if (sub >= 0x1e && sub <= 0x4e) {
    const t = [I32, I64, I32, I32, I64, I64, I64][(sub - 0x1e) % 7]!;
    return sub >= 0x48 ? [t, t] : [t]; // cmpxchg takes expected and replacement
  }
  return null;
}

/** Skips the immediates of instruction `op` (its opcode byte already read). */
export function skipImmediates(r: Reader, op: number, ma: MemArg): void {
  if (op >= 0x28 && op <= 0x3e) return readMemArg(r, ma);
  switch (op) {
    case 0x02: case 0x03: case 0x04: case 0x06: return r.blockType();
    case 0x07: case 0x08: case 0x09: case 0x18: case 0x0c: case 0x0d: case 0xd5: case 0xd6:
    case 0x10: case 0x12: case 0x14: case 0x15: case 0xd2:
    case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25: case 0x26: case 0x3f: case 0x40:
      r.uleb();
      return;
    case 0x0e: { const n = r.uleb(); for (let i = 0; i <= n; i++) r.uleb(); return; }
    case 0x11: case 0x13: r.uleb(); r.uleb(); return;
    case 0x1c: { const n = r.uleb(); for (let i = 0; i < n; i++) r.valType(); return; }
    case 0x1f: {
      r.blockType();
      for (let n = r.uleb(); n > 0; n--) {
        if (r.byte() <= 1) r.uleb();
        r.uleb();
      }
      return;
    }
    case 0x41: case 0x42: case 0xd0: return r.skipLeb();
    case 0x43: return r.skip(4);
    case 0x44: return r.skip(8);
    case 0xfb: throw new WasmFormatError('GC instructions (0xfb) are not supported');
    case 0xfc: return skipFC(r, r.uleb());
    case 0xfd: {
      const sub = r.uleb();
      if (simdMemKind(sub) === null) return skipFDOther(r, sub);
      readMemArg(r, ma);
      if (sub >= 84 && sub <= 91) r.skip(1);
      return;
    }
    case 0xfe: {
      const sub = r.uleb();
      if (atomicOperands(sub) !== null) return readMemArg(r, ma);
      if (sub !== 3) throw new WasmFormatError(`unknown instruction 0xfe ${sub}`);
      return r.skip(1);
    }
    default:
      if ((op >= 0x45 && op <= 0xc4) || op <= 0x01 || op === 0x05 || op === 0x0a || op === 0x0b || op === 0x0f
        || op === 0x19 || op === 0x1a || op === 0x1b || op === 0xd1 || op === 0xd3 || op === 0xd4) return;
      throw new WasmFormatError(`unknown opcode 0x${op.toString(16)} at 0x${(r.pos - 1).toString(16)}`);
  }
}
