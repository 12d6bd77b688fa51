// The only code that touches a process's linear memory (STYLE.md habit 3). Every pointer
// and length from the guest is checked here; a range outside memory is EFAULT, never a
// host exception. Views are refreshed lazily: memory.grow detaches the old ArrayBuffer,
// which shows as a zero-length view.
import { E } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

export class GuestMemory {
  private readonly memory: WebAssembly.Memory;
  /** Shared memories (threads) grow without detaching: their length must be re-read. */
  private readonly shared: boolean;
  u8: Uint8Array;
  dv: DataView;

  constructor(memory: WebAssembly.Memory) {
    this.memory = memory;
    const buf = memory.buffer;
    this.shared = typeof SharedArrayBuffer !== 'undefined' && buf instanceof SharedArrayBuffer;
    this.u8 = new Uint8Array(buf);
    this.dv = new DataView(buf);
  }

  /** The memory's whole buffer as it is now (procfs reads its size and scans it for touched pages). */
  current(): ArrayBuffer | SharedArrayBuffer {
    return this.memory.buffer;
  }

  /** Re-reads the buffer if memory grew since the last call. Call before touching memory. */
  refresh(): void {
    if (this.u8.byteLength === 0 || this.shared) {
      const buf = this.memory.buffer;
      this.u8 = new Uint8Array(buf);
      this.dv = new DataView(buf);
    }
  }

  get size(): number {
    return this.u8.byteLength;
  }

  /** All of memory as it is now, for the core file of a process that died (proc/core.ts). */
  whole(): Uint8Array {
    return new Uint8Array(this.memory.buffer);
  }

  /**
   * Checks [ptr, ptr+len) lies in memory; returns ptr as an unsigned number. A range that
   * looks outside is checked again after refresh(), so callers need not refresh first:
   * every access to u8/dv follows a check(). `len` is a guest u32 (a negative i32 stands for
   * its unsigned value) or a byte count computed from one (count * size), which may pass 2^32
   * and is never cut to 32 bits: a huge count must not wrap to a small range that passes.
   */
  check(ptr: number, len: number): number {
    const end = (ptr >>> 0) + (len < 0 ? len >>> 0 : len);
    // A detached buffer (memory grew) reads as empty: even an empty range must refresh then.
    if (end > this.u8.byteLength || this.u8.byteLength === 0) {
      this.refresh();
      if (end > this.u8.byteLength) fail(E.FAULT);
    }
    return ptr >>> 0;
  }

  /** A view (not a copy) of [ptr, ptr+len). */
  bytes(ptr: number, len: number): Uint8Array {
    const p = this.check(ptr, len);
    return this.u8.subarray(p, p + (len >>> 0));
  }

  // check() first, then this.dv: `this.dv.getX(this.check(...))` would read this.dv before
  // check() refreshes it, and use a view that memory.grow has detached.
  u32(ptr: number): number {
    const p = this.check(ptr, 4);
    return this.dv.getUint32(p, true);
  }
  u64(ptr: number): bigint {
    const p = this.check(ptr, 8);
    return this.dv.getBigUint64(p, true);
  }
  setU8(ptr: number, v: number): void {
    const p = this.check(ptr, 1);
    this.dv.setUint8(p, v);
  }
  setU16(ptr: number, v: number): void {
    const p = this.check(ptr, 2);
    this.dv.setUint16(p, v, true);
  }
  setU32(ptr: number, v: number): void {
    const p = this.check(ptr, 4);
    this.dv.setUint32(p, v, true);
  }
  setU64(ptr: number, v: bigint): void {
    const p = this.check(ptr, 8);
    this.dv.setBigUint64(p, v, true);
  }
  /** Writes a number < 2^53 as a u64 without going through BigInt. */
  setU64n(ptr: number, v: number): void {
    const p = this.check(ptr, 8);
    this.dv.setUint32(p, v >>> 0, true);
    this.dv.setUint32(p + 4, Math.floor(v / 4294967296), true);
  }

  /** Decodes a UTF-8 string; EILSEQ if it is not valid UTF-8 (as wasmtime). */
  string(ptr: number, len: number): string {
    const b = this.bytes(ptr, len);
    try {
      return utf8.decode(b);
    } catch {
      return fail(E.ILSEQ);
    }
  }

  /** Copies `src` to ptr (EFAULT if it does not fit). */
  write(ptr: number, src: Uint8Array): void {
    const p = this.check(ptr, src.length);
    this.u8.set(src, p);
  }
}

export function encodeUtf8(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}
