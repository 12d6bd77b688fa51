// The contents of a tmpfs regular file: a sparse array of bytes.
//
// The file is cut into CHUNK_SIZE pieces kept in a Map by chunk index; a missing chunk is a
// hole and reads as zeros, so a 1 TiB file with one byte written holds one chunk. A chunk's
// buffer is only as long as the furthest byte written into it, rounded up to a power of two
// (at least MIN_BUFFER), so small files cost little; bytes between a buffer's end and the
// chunk's end read as zeros too. Every byte of buffer is charged to a SpacePool (the
// filesystem's size limit) before it is allocated.
//
// Invariant: no byte at or beyond `size` is non-zero, so growing the file (truncate, a write
// past the end) exposes only zeros.
import { E } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';

export const CHUNK_SIZE = 64 * 1024;
const MIN_BUFFER = 64;
/** Offsets are JS numbers: a file may not grow past 2^53 - 1 bytes. */
export const MAX_FILE_SIZE = Number.MAX_SAFE_INTEGER;

/** Where bytes are charged: reserve() answers false when the limit would be passed. */
export interface SpacePool {
  reserve(bytes: number): boolean;
  release(bytes: number): void;
}

function bufferLength(needed: number): number {
  let len = MIN_BUFFER;
  while (len < needed) len *= 2;
  return Math.min(len, CHUNK_SIZE);
}

export class SparseData {
  size = 0;
  private readonly chunks = new Map<number, Uint8Array>();
  private readonly pool: SpacePool;
  private held = 0;

  constructor(pool: SpacePool) {
    this.pool = pool;
  }

  /** Bytes of buffer held (charged to the pool). */
  get allocated(): number {
    return this.held;
  }

  /** Copies up to dst.length bytes from `pos`; returns the count, 0 at or past the end. */
  read(dst: Uint8Array, pos: number): number {
    if (pos >= this.size) return 0;
    const n = Math.min(dst.length, this.size - pos);
    let done = 0;
    while (done < n) {
      const p = pos + done;
      const idx = Math.floor(p / CHUNK_SIZE);
      const off = p - idx * CHUNK_SIZE;
      const len = Math.min(CHUNK_SIZE - off, n - done);
      const buf = this.chunks.get(idx);
      const have = buf === undefined ? 0 : Math.max(0, Math.min(len, buf.length - off));
      if (buf !== undefined && have > 0) dst.set(buf.subarray(off, off + have), done);
      if (have < len) dst.fill(0, done + have, done + len);
      done += len;
    }
    return n;
  }

  /**
   * Copies src to `pos`, growing the file. When the pool runs out part way, returns the bytes
   * written so far (a short write).
   * Errors: EFBIG (past MAX_FILE_SIZE), ENOSPC (not one byte could be stored).
   */
  write(src: Uint8Array, pos: number): number {
    if (src.length === 0) return 0;
    if (pos + src.length > MAX_FILE_SIZE) fail(E.FBIG);
    let done = 0;
    while (done < src.length) {
      const p = pos + done;
      const idx = Math.floor(p / CHUNK_SIZE);
      const off = p - idx * CHUNK_SIZE;
      const len = Math.min(CHUNK_SIZE - off, src.length - done);
      const buf = this.grow(idx, off + len);
      if (buf === null) break;
      buf.set(src.subarray(done, done + len), off);
      done += len;
    }
    if (done === 0) fail(E.NOSPC);
    this.size = Math.max(this.size, pos + done);
    return done;
  }

  /** Sets the size; shrinking frees whole chunks past the end and zeroes the partial one. */
  truncate(size: number): void {
    if (size < 0) fail(E.INVAL);
    if (size > MAX_FILE_SIZE) fail(E.FBIG);
    if (size < this.size) {
      const keep = Math.ceil(size / CHUNK_SIZE);
      for (const [idx, buf] of this.chunks) {
        if (idx >= keep) this.drop(idx, buf);
      }
      const tail = size % CHUNK_SIZE;
      const last = this.chunks.get(keep - 1);
      if (tail !== 0 && last !== undefined && last.length > tail) last.fill(0, tail);
    }
    this.size = size;
  }

  /**
   * Allocates every chunk of [offset, offset+len) and grows the size to cover it. All or
   * nothing: the space is reserved before anything changes.
   * Errors: EINVAL (negative), EFBIG (past MAX_FILE_SIZE), ENOSPC.
   */
  allocate(offset: number, len: number): void {
    if (offset < 0 || len <= 0) fail(E.INVAL);
    const end = offset + len;
    if (end > MAX_FILE_SIZE) fail(E.FBIG);
    const first = Math.floor(offset / CHUNK_SIZE);
    const last = Math.floor((end - 1) / CHUNK_SIZE);
    // Counted over the chunks that exist, not over the range: a range of 2^50 bytes must fail
    // with ENOSPC at once, not after a loop over 2^34 chunk indices.
    let needed = (last - first + 1) * CHUNK_SIZE;
    for (const [idx, buf] of this.chunks) if (idx >= first && idx <= last) needed -= buf.length;
    if (!this.pool.reserve(needed)) fail(E.NOSPC);
    for (let idx = first; idx <= last; idx++) this.replace(idx, CHUNK_SIZE);
    this.held += needed;
    this.size = Math.max(this.size, end);
  }

  /** Frees every chunk (the file is gone). */
  clear(): void {
    for (const [idx, buf] of this.chunks) this.drop(idx, buf);
    this.size = 0;
  }

  /** The chunk `idx` with a buffer of at least `needed` bytes, or null when the pool is full. */
  private grow(idx: number, needed: number): Uint8Array | null {
    const cur = this.chunks.get(idx);
    if (cur !== undefined && cur.length >= needed) return cur;
    const len = bufferLength(needed);
    const extra = len - (cur?.length ?? 0);
    if (!this.pool.reserve(extra)) return null;
    this.held += extra;
    return this.replace(idx, len);
  }

  /** Puts a buffer of `len` bytes at `idx`, keeping what the old one held. Charges nothing. */
  private replace(idx: number, len: number): Uint8Array {
    const cur = this.chunks.get(idx);
    if (cur !== undefined && cur.length >= len) return cur;
    const buf = new Uint8Array(len);
    if (cur !== undefined) buf.set(cur);
    this.chunks.set(idx, buf);
    return buf;
  }

  private drop(idx: number, buf: Uint8Array): void {
    this.chunks.delete(idx);
    this.held -= buf.length;
    this.pool.release(buf.length);
  }
}
