// strace's output as bytes: the lines of one read, written straight into a buffer that
// goes out in one write (main.ts). Joining each line into a string, the lines into one
// string, and encoding that at the end was half of strace's time on a stream of null calls
// (bench/results-trace.md): here a line's pieces are copied in as they are made, numbers
// as digits. strace's output is ASCII (names, numbers, and strings quoted with escapes);
// a string that is not goes through TextEncoder.

const enc = new TextEncoder();

export class LineBytes {
  buf = new Uint8Array(1 << 20);
  n = 0;

  /** Room for k more bytes. */
  room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.n + k) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.n));
    this.buf = b;
  }

  /** The bytes written so far (a view: valid until the next write). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.n);
  }

  clear(): void {
    this.n = 0;
  }

  str(s: string): void {
    const len = s.length;
    this.room(len);
    const b = this.buf;
    let n = this.n;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.n = n;
        this.wide(s.slice(i));
        return;
      }
      b[n++] = c;
    }
    this.n = n;
  }

  /** The rest of a string with non-ASCII characters: UTF-8. */
  private wide(s: string): void {
    this.room(s.length * 3);
    this.n += enc.encodeInto(s, this.buf.subarray(this.n)).written;
  }

  byte(c: number): void {
    this.room(1);
    this.buf[this.n++] = c;
  }

  /** Copies bytes (ASCII already, e.g. a call's name). */
  bytes(src: Uint8Array): void {
    const len = src.length;
    this.room(len);
    if (len <= 32) {
      // a name: a loop costs less than set()'s call for a few bytes
      const b = this.buf;
      let n = this.n;
      for (let i = 0; i < len; i++) b[n++] = src[i]!;
      this.n = n;
      return;
    }
    this.buf.set(src, this.n);
    this.n += len;
  }

  /** A number in decimal: an i32 or a u32 as the caller read it (any safe integer). */
  int(v: number): void {
    if (v < 0) {
      this.byte(0x2d);
      v = -v;
    }
    if (v < 10) {
      this.byte(0x30 + v);
      return;
    }
    if (v > 0xffffffff) {
      this.str(String(v));
      return;
    }
    this.room(10);
    const b = this.buf;
    let k = 1;
    for (let x = v; x >= 10; x = Math.floor(x / 10)) k++;
    let at = this.n + k;
    this.n = at;
    for (let x = v; ; ) {
      const q = Math.floor(x / 10);
      b[--at] = 0x30 + (x - q * 10);
      if (q === 0) break;
      x = q;
    }
  }
}
