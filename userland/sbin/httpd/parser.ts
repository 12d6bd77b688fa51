// HTTP/1.1 request parsing (RFC 9112), strict: what a message may look like is checked here
// once, and anything else is an HttpError with the status the server answers before closing.
//
// Two layers. `parseHead(buf, limits)` looks for a whole request head (request line and
// header fields, up to the empty line) at the start of `buf` and returns it with the bytes it
// used, or null when more bytes are needed; it never keeps state, so the connection loop
// calls it again on the grown buffer. `bodyDecoder(head)` then says how the body is framed
// (RFC 9112 section 6.3): none, Content-Length, or chunked, and gives a decoder that is fed
// bytes and returns body data and leftover (the next pipelined request's bytes).
//
// Strictness, and why: the request line is exactly METHOD SP TARGET SP HTTP/D.D CRLF; lines
// end in CRLF (a bare CR or LF is refused: a proxy in front may read lines differently and
// that is how requests are smuggled); no whitespace before a field's colon; no obs-fold; no
// control characters in values; an HTTP/1.1 request needs exactly one Host; Content-Length
// is digits (repeats must agree); Transfer-Encoding must end in chunked, may not come with
// Content-Length, and is refused from HTTP/1.0. At most one or two empty lines before a
// request are skipped (RFC 9112 section 2.2).

export class HttpError extends Error {
  readonly status: number;
  /** The connection must be closed after the answer (the framing is lost). */
  readonly close: boolean;
  constructor(status: number, message: string, close = true) {
    super(message);
    this.status = status;
    this.close = close;
  }
}

export interface Limits {
  /** Request line and header fields together, in bytes: more is 431 (414 for a long line). */
  maxHeadBytes: number;
  /** The request line alone: more is 414. */
  maxLineBytes: number;
  maxHeaders: number;
  /** Body bytes (decoded): more is 413. */
  maxBodyBytes: number;
}

export const DEFAULT_LIMITS: Limits = { maxHeadBytes: 16384, maxLineBytes: 8192, maxHeaders: 100, maxBodyBytes: 16 << 20 };

export interface RequestHead {
  method: string;
  /** The request-target as sent. */
  target: string;
  /** 'HTTP/1.0' or 'HTTP/1.1'. */
  version: string;
  /** Field names in lower case, in the order received; repeats kept. */
  headers: [string, string][];
  /** The raw request line, for the access log. */
  line: string;
}

const TCHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A field value: VCHAR, obs-text, SP, HTAB (no CTL). */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** A request-target: visible ASCII only (no spaces, no CTL, no obs-text: RFC 3986). */
const TARGET = /^[\x21-\x7e]+$/;

export function isToken(s: string): boolean {
  return TCHAR.test(s);
}

/**
 * The request head at the start of `buf`, or null if it is not all there yet.
 *
 * Errors: HttpError 400 (malformed line or field), 414 (request line too long), 431 (head
 * too large or too many fields), 505 (HTTP version other than 1.x), 501 (unknown
 * Transfer-Encoding; thrown by bodyDecoder).
 */
export function parseHead(buf: Uint8Array, limits: Limits = DEFAULT_LIMITS): { head: RequestHead; used: number } | null {
  let pos = 0;
  // Empty lines before the request line (RFC 9112 2.2): up to two are skipped.
  for (let i = 0; i < 2 && buf.length >= pos + 2 && buf[pos] === 13 && buf[pos + 1] === 10; i++) pos += 2;
  const lineEnd = findCrlf(buf, pos, Math.min(buf.length, pos + limits.maxLineBytes + 2));
  if (lineEnd < 0) {
    if (buf.length - pos > limits.maxLineBytes) throw new HttpError(414, 'request line too long');
    checkNoBareEol(buf, pos, buf.length);
    return null;
  }
  const line = latin1(buf, pos, lineEnd);
  checkNoBareEol(buf, pos, lineEnd);
  const [method, target, version] = parseRequestLine(line);
  const headStart = pos;
  pos = lineEnd + 2;
  const headers: [string, string][] = [];
  for (;;) {
    const end = findCrlf(buf, pos, Math.min(buf.length, headStart + limits.maxHeadBytes + 2));
    if (end < 0) {
      if (buf.length - headStart > limits.maxHeadBytes) throw new HttpError(431, 'request header fields too large');
      checkNoBareEol(buf, pos, buf.length);
      return null;
    }
    checkNoBareEol(buf, pos, end);
    if (end === pos) {
      pos += 2;
      break;
    }
    if (end - headStart > limits.maxHeadBytes) throw new HttpError(431, 'request header fields too large');
    if (headers.length >= limits.maxHeaders) throw new HttpError(431, `more than ${limits.maxHeaders} header fields`);
    headers.push(parseField(latin1(buf, pos, end)));
    pos = end + 2;
  }
  const head: RequestHead = { method, target, version, headers, line };
  checkHead(head);
  return { head, used: pos };
}

function parseRequestLine(line: string): [string, string, string] {
  const a = line.indexOf(' ');
  const b = a < 0 ? -1 : line.indexOf(' ', a + 1);
  if (a <= 0 || b < 0 || line.indexOf(' ', b + 1) >= 0) throw new HttpError(400, 'malformed request line');
  const method = line.slice(0, a);
  const target = line.slice(a + 1, b);
  const version = line.slice(b + 1);
  if (!TCHAR.test(method)) throw new HttpError(400, 'malformed method');
  if (!TARGET.test(target)) throw new HttpError(400, 'malformed request target');
  const v = /^HTTP\/(\d)\.(\d)$/.exec(version);
  if (!v) throw new HttpError(400, 'malformed HTTP version');
  if (v[1] !== '1') throw new HttpError(505, `HTTP version ${version} not supported`);
  // HTTP/1.2 and later minors are answered as 1.1 (RFC 9110 2.5).
  const ver = v[2] === '0' ? 'HTTP/1.0' : 'HTTP/1.1';
  if (target[0] !== '/') {
    const ok = (target === '*' && method === 'OPTIONS') || (method === 'CONNECT' && /^[^/?#@]+:\d+$/.test(target))
      || /^https?:\/\/[^/?#\s]+/i.test(target);
    if (!ok) throw new HttpError(400, 'malformed request target');
  }
  return [method, target, ver];
}

function parseField(line: string): [string, string] {
  const c = line.indexOf(':');
  if (line[0] === ' ' || line[0] === '\t') throw new HttpError(400, 'obsolete line folding');
  if (c <= 0) throw new HttpError(400, 'malformed header field');
  const name = line.slice(0, c);
  if (!TCHAR.test(name)) throw new HttpError(400, 'malformed header field name');
  const value = line.slice(c + 1).replace(/^[ \t]+|[ \t]+$/g, '');
  if (!FIELD_VALUE.test(value)) throw new HttpError(400, `bad characters in header field ${name}`);
  return [name.toLowerCase(), value];
}

function checkHead(h: RequestHead): void {
  let hosts = 0;
  for (const [n] of h.headers) if (n === 'host') hosts++;
  if (h.version === 'HTTP/1.1' && hosts !== 1) throw new HttpError(400, hosts ? 'more than one Host' : 'no Host');
  if (hosts > 1) throw new HttpError(400, 'more than one Host');
}

/** The index of the CR of the first CRLF in buf[from, to), or -1 (a CR not before LF: 400). */
function findCrlf(buf: Uint8Array, from: number, to: number): number {
  for (let i = buf.indexOf(13, from); i >= 0 && i < to; i = buf.indexOf(13, i + 1)) {
    if (i + 1 >= buf.length) return -1;
    if (buf[i + 1] === 10) return i;
    throw new HttpError(400, 'bare CR in request head');
  }
  return -1;
}

function checkNoBareEol(buf: Uint8Array, from: number, to: number): void {
  const lf = buf.indexOf(10, from);
  if (lf >= 0 && lf < to) throw new HttpError(400, 'bare LF in request head');
  const nul = buf.indexOf(0, from);
  if (nul >= 0 && nul < to) throw new HttpError(400, 'NUL in request head');
}

function latin1(buf: Uint8Array, from: number, to: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + from, to - from).toString('latin1');
}

/** All values of a field, joined as RFC 9110 5.3 allows (", "); undefined if absent. */
export function header(h: RequestHead, name: string): string | undefined {
  let out: string | undefined;
  for (const [n, v] of h.headers) if (n === name) out = out === undefined ? v : `${out}, ${v}`;
  return out;
}

/** Whether the connection stays open after this request (RFC 9112 9.3). */
export function keepAlive(h: RequestHead): boolean {
  const c = (header(h, 'connection') ?? '').toLowerCase().split(',').map((s) => s.trim());
  if (c.includes('close')) return false;
  return h.version === 'HTTP/1.1' || c.includes('keep-alive');
}

// ---- bodies ----

export interface BodyDecoder {
  /** Bytes of body announced (Content-Length), or null (chunked). */
  readonly length: number | null;
  /** Feeds bytes; returns the body data in them and, once the body is complete, the bytes after it. */
  push(chunk: Uint8Array): { data: Uint8Array[]; done: boolean; rest: Uint8Array };
}

/**
 * How the request's body is framed (RFC 9112 6.3), or null when it has none.
 *
 * Errors: HttpError 400 (bad Content-Length, Transfer-Encoding with Content-Length or from
 * HTTP/1.0), 501 (a transfer coding other than chunked), 413 (Content-Length above the limit).
 */
export function bodyDecoder(h: RequestHead, limits: Limits = DEFAULT_LIMITS): BodyDecoder | null {
  const te = header(h, 'transfer-encoding');
  const cls = h.headers.filter(([n]) => n === 'content-length').flatMap(([, v]) => v.split(',').map((s) => s.trim()));
  if (te !== undefined) {
    if (h.version === 'HTTP/1.0') throw new HttpError(400, 'Transfer-Encoding in an HTTP/1.0 request');
    if (cls.length) throw new HttpError(400, 'both Transfer-Encoding and Content-Length');
    const codings = te.toLowerCase().split(',').map((s) => s.trim());
    if (codings.some((c) => !TCHAR.test(c))) throw new HttpError(400, 'malformed Transfer-Encoding');
    if (codings.length !== 1 || codings[0] !== 'chunked') throw new HttpError(501, `transfer coding ${te} not implemented`);
    return new ChunkedDecoder(limits.maxBodyBytes);
  }
  if (!cls.length) return null;
  if (cls.some((v) => !/^\d{1,16}$/.test(v)) || cls.some((v) => v !== cls[0])) throw new HttpError(400, 'malformed Content-Length');
  const n = Number(cls[0]);
  if (n > limits.maxBodyBytes) throw new HttpError(413, `body of ${n} bytes is above the limit of ${limits.maxBodyBytes}`);
  return n === 0 ? null : new LengthDecoder(n);
}

const EMPTY = new Uint8Array(0);

class LengthDecoder implements BodyDecoder {
  readonly length: number;
  private left: number;
  constructor(n: number) {
    this.length = n;
    this.left = n;
  }
  push(chunk: Uint8Array) {
    const take = Math.min(this.left, chunk.length);
    this.left -= take;
    return { data: take ? [chunk.subarray(0, take)] : [], done: this.left === 0, rest: chunk.subarray(take) };
  }
}

/**
 * Chunked transfer coding (RFC 9112 7.1): chunk-size in hex (at most 15 digits), extensions
 * ignored, data, CRLF; then trailer fields (checked, dropped) and the empty line. Line parts
 * are buffered up to 4 KiB; the decoded total is bounded by `max` (413).
 */
export class ChunkedDecoder implements BodyDecoder {
  readonly length = null;
  private state: 'size' | 'data' | 'data-crlf' | 'trailer' | 'done' = 'size';
  private line = '';
  private left = 0;
  private total = 0;
  private readonly max: number;
  private trailerBytes = 0;
  constructor(max: number) {
    this.max = max;
  }
  push(chunk: Uint8Array) {
    const data: Uint8Array[] = [];
    let i = 0;
    while (i < chunk.length && this.state !== 'done') {
      if (this.state === 'data') {
        const take = Math.min(this.left, chunk.length - i);
        data.push(chunk.subarray(i, i + take));
        i += take;
        this.left -= take;
        if (this.left === 0) this.state = 'data-crlf';
        continue;
      }
      // A line: size line, the CRLF after data, or a trailer line.
      const lf = chunk.indexOf(10, i);
      const end = lf < 0 ? chunk.length : lf + 1;
      this.line += Buffer.from(chunk.buffer, chunk.byteOffset + i, end - i).toString('latin1');
      i = end;
      if (this.line.length > 4096) throw new HttpError(400, 'chunk line too long');
      if (lf < 0) continue;
      if (!this.line.endsWith('\r\n') || this.line.indexOf('\r') !== this.line.length - 2) throw new HttpError(400, 'malformed chunk line ending');
      const l = this.line.slice(0, -2);
      this.line = '';
      if (this.state === 'data-crlf') {
        if (l !== '') throw new HttpError(400, 'chunk data longer than its size');
        this.state = 'size';
      } else if (this.state === 'size') {
        const m = /^([0-9A-Fa-f]{1,15})[ \t]*(;.*)?$/.exec(l);
        if (!m || (m[2] !== undefined && !/^(;[ \t]*[!#$%&'*+\-.^_`|~0-9A-Za-z]+([ \t]*=[ \t]*([!#$%&'*+\-.^_`|~0-9A-Za-z]+|"([^"\\]|\\.)*"))?[ \t]*)+$/.test(m[2]))) {
          throw new HttpError(400, 'malformed chunk size');
        }
        const n = parseInt(m[1]!, 16);
        if (n === 0) this.state = 'trailer';
        else {
          this.total += n;
          if (this.total > this.max) throw new HttpError(413, `chunked body above the limit of ${this.max} bytes`);
          this.left = n;
          this.state = 'data';
        }
      } else {
        if (l === '') this.state = 'done';
        else {
          this.trailerBytes += l.length;
          if (this.trailerBytes > 16384) throw new HttpError(431, 'trailer fields too large');
          parseField(l);
        }
      }
    }
    return { data, done: this.state === 'done', rest: this.state === 'done' ? chunk.subarray(i) : EMPTY };
  }
}
