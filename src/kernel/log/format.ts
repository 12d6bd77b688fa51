// The log record and its framing on the reader descriptor (docs/abi.md, "Logging"): shared
// by the kernel (log/queue.ts) and the JS runtime (src/jsrt/log.ts), so it imports nothing.
//
//   u32 size (the record's bytes, header included)  u32 pid  u64 timeNs (realtime)
//   u64 seq  u8 facility  u8 severity  u8 hostLen  u8 tagLen  u32 msgLen
//   host bytes, tag bytes, msg bytes                (little-endian, unpadded)
/** The longest message a record carries: a longer line is split into records of this size. */
export const LINE_MAX = 8192;
/** A tag's most bytes (RFC 5424's APP-NAME allows 48; service names may be longer). */
export const TAG_MAX = 64;
export const HOST_MAX = 255;
export const HEADER_BYTES = 32;
/** The largest framed record. */
export const RECORD_MAX = HEADER_BYTES + HOST_MAX + TAG_MAX + LINE_MAX;

export const LOG_FACILITY_MAX = 23;
export const LOG_SEVERITY_MAX = 7;

export interface LogRecord {
  seq: number;
  /** Realtime ns since the epoch, at enqueue. */
  timeNs: bigint;
  host: string;
  tag: string;
  /** The writing process; 0 for the kernel. */
  pid: number;
  facility: number;
  severity: number;
  msg: Uint8Array;
}

const enc = new TextEncoder();

const tagBytes = new Map<string, Uint8Array>();
function cachedUtf8(s: string): Uint8Array {
  let b = tagBytes.get(s);
  if (b === undefined) {
    b = enc.encode(s);
    if (tagBytes.size > 4096) tagBytes.clear();
    tagBytes.set(s, b);
  }
  return b;
}

export function framedSize(r: LogRecord): number {
  return HEADER_BYTES + Math.min(cachedUtf8(r.host).length, HOST_MAX) + cachedUtf8(r.tag).length + r.msg.length;
}

/** Writes r at dst[off..]; the bytes written, or -1 if it does not fit. */
export function frameRecord(r: LogRecord, dst: Uint8Array, dv: DataView, off: number): number {
  let host = cachedUtf8(r.host);
  if (host.length > HOST_MAX) host = host.subarray(0, HOST_MAX);
  const tag = cachedUtf8(r.tag);
  const size = HEADER_BYTES + host.length + tag.length + r.msg.length;
  if (off + size > dst.length) return -1;
  dv.setUint32(off, size, true);
  dv.setUint32(off + 4, r.pid, true);
  dv.setBigUint64(off + 8, r.timeNs, true);
  dv.setBigUint64(off + 16, BigInt(r.seq), true);
  dv.setUint8(off + 24, r.facility);
  dv.setUint8(off + 25, r.severity);
  dv.setUint8(off + 26, host.length);
  dv.setUint8(off + 27, tag.length);
  dv.setUint32(off + 28, r.msg.length, true);
  let p = off + HEADER_BYTES;
  dst.set(host, p);
  p += host.length;
  dst.set(tag, p);
  p += tag.length;
  dst.set(r.msg, p);
  return size;
}

/** A short string (a host or tag): ASCII without a decoder, else UTF-8. */
function short(buf: Uint8Array, p: number, n: number, dec: TextDecoder): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = buf[p + i]!;
    if (c >= 0x80) return dec.decode(buf.subarray(p, p + n));
    s += String.fromCharCode(c);
  }
  return s;
}

/**
 * Parses framed records (what a read of the reader descriptor returned). Each msg is a view
 * of `buf`: do not reuse it while the records live. Throws on a torn frame.
 */
export function parseRecords(buf: Uint8Array): LogRecord[] {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const dec = new TextDecoder();
  const out: LogRecord[] = [];
  let off = 0;
  while (off < buf.length) {
    if (off + HEADER_BYTES > buf.length) throw new Error('torn log record header');
    const size = dv.getUint32(off, true);
    const hostLen = dv.getUint8(off + 26);
    const tagLen = dv.getUint8(off + 27);
    const msgLen = dv.getUint32(off + 28, true);
    if (size !== HEADER_BYTES + hostLen + tagLen + msgLen || off + size > buf.length) throw new Error('bad log record size');
    let p = off + HEADER_BYTES;
    const host = short(buf, p, hostLen, dec);
    p += hostLen;
    const tag = short(buf, p, tagLen, dec);
    p += tagLen;
    out.push({
      seq: Number(dv.getBigUint64(off + 16, true)), timeNs: dv.getBigUint64(off + 8, true), host, tag,
      pid: dv.getUint32(off + 4, true), facility: dv.getUint8(off + 24), severity: dv.getUint8(off + 25),
      msg: buf.subarray(p, p + msgLen), // a view: the caller's buffer is the records' now
    });
    off += size;
  }
  return out;
}
