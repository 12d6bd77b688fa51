// node:http over node:net (net.ts): an HTTP/1.1 server and client, as much of Node's as
// ordinary servers and clients use (docs/jsproc.md, "The Node surface").
//
// Server: createServer([options], listener) → Server (a net.Server): each connection is read
// by an incremental parser (request line, headers up to maxHeaderSize — 431 beyond —, a body
// by Content-Length or chunked); requests on one connection are answered in order
// (keep-alive, pipelining); a malformed request gets 400 and the connection closes.
// IncomingMessage is a Readable (method, url, httpVersion, headers, rawHeaders, trailers,
// socket, complete); ServerResponse a Writable (statusCode, statusMessage, setHeader & co,
// writeHead, write, end, headersSent; chunked when no Content-Length on HTTP/1.1; no body for
// HEAD, 204, 304). Client: request/get → ClientRequest (a Writable; 'response' with an
// IncomingMessage), one connection per request (no agent pooling: Connection: close).
import { EventEmitter } from 'node:events';
import { Readable, Writable } from 'node:stream';
import { nodeError } from '../errors.ts';
import * as net from './net.ts';

export const METHODS = ['ACL', 'BIND', 'CHECKOUT', 'CONNECT', 'COPY', 'DELETE', 'GET', 'HEAD', 'LINK', 'LOCK', 'M-SEARCH', 'MERGE',
  'MKACTIVITY', 'MKCALENDAR', 'MKCOL', 'MOVE', 'NOTIFY', 'OPTIONS', 'PATCH', 'POST', 'PROPFIND', 'PROPPATCH', 'PURGE', 'PUT',
  'QUERY', 'REBIND', 'REPORT', 'SEARCH', 'SOURCE', 'SUBSCRIBE', 'TRACE', 'UNBIND', 'UNLINK', 'UNLOCK', 'UNSUBSCRIBE'];

export const STATUS_CODES: Record<number, string> = {
  100: 'Continue', 101: 'Switching Protocols', 200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-Authoritative Information',
  204: 'No Content', 205: 'Reset Content', 206: 'Partial Content', 300: 'Multiple Choices', 301: 'Moved Permanently',
  302: 'Found', 303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 408: 'Request Timeout', 409: 'Conflict', 410: 'Gone', 411: 'Length Required',
  412: 'Precondition Failed', 413: 'Payload Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable', 417: 'Expectation Failed', 418: "I'm a Teapot", 422: 'Unprocessable Entity',
  426: 'Upgrade Required', 428: 'Precondition Required', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable',
  504: 'Gateway Timeout', 505: 'HTTP Version Not Supported',
};

export const maxHeaderSize = 16384;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[\r\n\0]/;

type Headers = Record<string, string | string[]>;

/** Node's rules for repeated headers: set-cookie an array; a few keep the first; the rest joined with ', '. */
const FIRST_ONLY = new Set(['content-type', 'content-length', 'user-agent', 'referer', 'host', 'authorization',
  'proxy-authorization', 'if-modified-since', 'if-unmodified-since', 'from', 'location', 'max-forwards', 'retry-after',
  'etag', 'last-modified', 'server', 'age', 'expires']);

function addHeader(h: Headers, name: string, value: string): void {
  const k = name.toLowerCase();
  const old = h[k];
  if (old === undefined) h[k] = k === 'set-cookie' ? [value] : value;
  else if (k === 'set-cookie') (old as string[]).push(value);
  else if (!FIRST_ONLY.has(k)) h[k] = `${old}, ${value}`;
}

export class IncomingMessage extends Readable {
  socket: net.Socket;
  httpVersion = '1.1';
  httpVersionMajor = 1;
  httpVersionMinor = 1;
  method: string | undefined;
  url: string | undefined;
  statusCode: number | undefined;
  statusMessage: string | undefined;
  headers: Headers = {};
  rawHeaders: string[] = [];
  trailers: Headers = {};
  rawTrailers: string[] = [];
  complete = false;
  aborted = false;

  constructor(socket: net.Socket) {
    super();
    this.socket = socket;
  }
  get connection(): net.Socket {
    return this.socket;
  }
  override _read(): void {
    this.socket.resume();
  }
  setTimeout(ms: number, cb?: () => void): this {
    this.socket.setTimeout(ms, cb);
    return this;
  }
}

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, msg: string) {
    super(msg);
    this.status = status;
  }
}

/**
 * An incremental HTTP/1.x message parser: feed() bytes; it calls onHead(message) when the
 * head is complete, onBody(chunk) for body bytes, onEnd() when the message is complete.
 */
class Parser {
  private buf: Buffer = Buffer.alloc(0);
  private state: 'head' | 'body' | 'chunk-size' | 'chunk-data' | 'chunk-crlf' | 'trailers' | 'until-close' | 'done' = 'head';
  private left = 0;
  private readonly response: boolean;
  msg: IncomingMessage | null = null;
  private readonly maxHead: number;
  onHead: (m: IncomingMessage) => void = () => {};
  onEnd: (m: IncomingMessage) => void = () => {};
  private readonly socket: net.Socket;
  /** For a response: the request's method (HEAD has no body). */
  requestMethod = 'GET';

  constructor(socket: net.Socket, response: boolean, maxHead = maxHeaderSize) {
    this.socket = socket;
    this.response = response;
    this.maxHead = maxHead;
  }

  get idle(): boolean {
    return this.state === 'head' && this.buf.length === 0;
  }

  /** Throws HttpError for a malformed message. */
  feed(data: Buffer): void {
    this.buf = this.buf.length === 0 ? data : Buffer.concat([this.buf, data]);
    for (;;) {
      if (this.state === 'done') {
        this.state = 'head';
        this.msg = null;
      }
      if (this.state === 'head') {
        const end = this.buf.indexOf('\r\n\r\n');
        if (end < 0) {
          if (this.buf.length > this.maxHead) throw new HttpError(431, 'Header overflow');
          return;
        }
        if (end > this.maxHead) throw new HttpError(431, 'Header overflow');
        const head = this.buf.subarray(0, end).toString('latin1');
        this.buf = this.buf.subarray(end + 4);
        this.head(head);
        continue;
      }
      if (this.state === 'until-close') {
        if (this.buf.length > 0) this.body(this.take(this.buf.length));
        return;
      }
      if (this.state === 'body') {
        if (this.buf.length === 0) return;
        const n = Math.min(this.left, this.buf.length);
        this.body(this.take(n));
        this.left -= n;
        if (this.left === 0) this.finish();
        continue;
      }
      if (this.state === 'chunk-size' || this.state === 'chunk-crlf' || this.state === 'trailers') {
        const eol = this.buf.indexOf('\r\n');
        if (eol < 0) {
          if (this.buf.length > 4096) throw new HttpError(400, 'Bad chunk');
          return;
        }
        const line = this.buf.subarray(0, eol).toString('latin1');
        this.buf = this.buf.subarray(eol + 2);
        if (this.state === 'chunk-crlf') {
          if (line !== '') throw new HttpError(400, 'Bad chunk');
          this.state = 'chunk-size';
        } else if (this.state === 'chunk-size') {
          const m = /^([0-9a-fA-F]{1,15})(?:;.*)?$/.exec(line);
          if (!m) throw new HttpError(400, 'Bad chunk size');
          this.left = parseInt(m[1]!, 16);
          this.state = this.left === 0 ? 'trailers' : 'chunk-data';
        } else if (line === '') this.finish();
        else {
          const c = line.indexOf(':');
          if (c <= 0) throw new HttpError(400, 'Bad trailer');
          const name = line.slice(0, c).trim(), value = line.slice(c + 1).trim();
          this.msg!.rawTrailers.push(name, value);
          addHeader(this.msg!.trailers, name, value);
        }
        continue;
      }
      if (this.state === 'chunk-data') {
        if (this.buf.length === 0) return;
        const n = Math.min(this.left, this.buf.length);
        this.body(this.take(n));
        this.left -= n;
        if (this.left === 0) this.state = 'chunk-crlf';
        continue;
      }
      return;
    }
  }

  /** The connection ended: a body read until close ends here; anything else half-done is an error. */
  end(): boolean {
    if (this.state === 'until-close') {
      this.finish();
      return true;
    }
    return this.state === 'head' || this.state === 'done';
  }

  private take(n: number): Buffer {
    const b = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return Buffer.from(b); // a copy: the parser's buffer is reused
  }

  private body(b: Buffer): void {
    if (b.length === 0) return;
    const m = this.msg!;
    if (!m.push(b)) this.socket.pause();
  }

  private finish(): void {
    const m = this.msg!;
    m.complete = true;
    this.state = 'done';
    m.push(null);
    this.onEnd(m);
  }

  private head(text: string): void {
    const lines = text.split('\r\n');
    const first = lines.shift() ?? '';
    const m = new IncomingMessage(this.socket);
    let version: string;
    if (this.response) {
      const r = /^HTTP\/(\d)\.(\d) (\d{3})(?: (.*))?$/.exec(first);
      if (!r) throw new HttpError(400, 'Bad status line');
      version = `${r[1]}.${r[2]}`;
      m.statusCode = Number(r[3]);
      m.statusMessage = r[4] ?? '';
    } else {
      const r = /^([A-Z][A-Z-]*) (\S+) HTTP\/(\d)\.(\d)$/.exec(first);
      if (!r) throw new HttpError(400, 'Bad request line');
      version = `${r[3]}.${r[4]}`;
      m.method = r[1];
      m.url = r[2];
    }
    m.httpVersion = version;
    m.httpVersionMajor = Number(version[0]);
    m.httpVersionMinor = Number(version[2]);
    for (const line of lines) {
      const c = line.indexOf(':');
      if (c <= 0 || line[0] === ' ' || line[0] === '\t') throw new HttpError(400, 'Bad header');
      const name = line.slice(0, c);
      if (!TOKEN.test(name)) throw new HttpError(400, 'Bad header name');
      const value = line.slice(c + 1).trim();
      m.rawHeaders.push(name, value);
      addHeader(m.headers, name, value);
    }
    this.msg = m;
    const te = String(m.headers['transfer-encoding'] ?? '').toLowerCase();
    const cl = m.headers['content-length'];
    if (te !== '') {
      if (!/(^|,)\s*chunked\s*$/.test(te)) {
        if (!this.response) throw new HttpError(400, 'Bad transfer-encoding');
        this.state = 'until-close';
      } else this.state = 'chunk-size';
    } else if (cl !== undefined) {
      if (!/^\d{1,15}$/.test(String(cl))) throw new HttpError(400, 'Bad content-length');
      this.left = Number(cl);
      this.state = 'body';
    } else if (this.response) {
      const s = m.statusCode!;
      this.state = this.requestMethod === 'HEAD' || s === 204 || s === 304 || (s >= 100 && s < 200) ? 'body' : 'until-close';
      this.left = 0;
    } else {
      this.state = 'body';
      this.left = 0;
    }
    const bodyless = this.state === 'body' && this.left === 0;
    this.onHead(m);
    if (bodyless) this.finish();
  }
}

/** What ServerResponse and ClientRequest share: headers, and writing a head then a body, chunked or not. */
class OutgoingMessage extends Writable {
  protected readonly out: Map<string, [string, number | string | string[]]> = new Map();
  headersSent = false;
  protected chunked = false;
  protected noBody = false;
  socket: net.Socket | null;
  sendDate = true;

  constructor(socket: net.Socket | null) {
    super({ decodeStrings: true, autoDestroy: false });
    this.socket = socket;
  }
  get connection(): net.Socket | null {
    return this.socket;
  }

  setHeader(name: string, value: number | string | readonly string[]): this {
    if (this.headersSent) throw nodeError(Error, 'ERR_HTTP_HEADERS_SENT', 'Cannot set headers after they are sent to the client');
    if (typeof name !== 'string' || !TOKEN.test(name)) throw nodeError(TypeError, 'ERR_INVALID_HTTP_TOKEN', `Header name must be a valid HTTP token ["${name}"]`);
    const vals = Array.isArray(value) ? value : [value];
    for (const v of vals) if (BAD_VALUE.test(String(v))) throw nodeError(TypeError, 'ERR_INVALID_CHAR', `Invalid character in header content ["${name}"]`);
    this.out.set(name.toLowerCase(), [name, Array.isArray(value) ? [...value] : value as number | string]);
    return this;
  }
  getHeader(name: string): number | string | string[] | undefined {
    return this.out.get(name.toLowerCase())?.[1];
  }
  hasHeader(name: string): boolean {
    return this.out.has(name.toLowerCase());
  }
  removeHeader(name: string): void {
    if (this.headersSent) throw nodeError(Error, 'ERR_HTTP_HEADERS_SENT', 'Cannot remove headers after they are sent to the client');
    this.out.delete(name.toLowerCase());
  }
  getHeaders(): Record<string, number | string | string[]> {
    const o: Record<string, number | string | string[]> = Object.create(null);
    for (const [k, [, v]] of this.out) o[k] = v;
    return o;
  }
  getHeaderNames(): string[] {
    return [...this.out.keys()];
  }
  flushHeaders(): void {
    if (!this.headersSent) this.sendHead(null);
  }

  protected headLine(): string {
    return '';
  }

  /** Before the head is made: what the status says about a body (responses). */
  protected beforeHead(): void {}

  /** The head (and with `body`, the first body bytes) in one write. */
  protected sendHead(body: Buffer | null, total = -1): void {
    if (this.headersSent) return;
    this.headersSent = true;
    this.beforeHead();
    // Decided first (HTTP/1.0 without a length closes the connection), added after the
    // general headers, in Node's order.
    let length = -1;
    if (total >= 0 && (total > 0 || this.zeroLength()) && !this.out.has('content-length') && !this.out.has('transfer-encoding') && !this.noBody) {
      length = total;
    }
    let chunk = false;
    if (length < 0 && !this.out.has('content-length') && !this.noBody) {
      const te = this.out.get('transfer-encoding');
      if (te === undefined && this.useChunked()) chunk = true;
      else if (te !== undefined) this.chunked = /chunked/i.test(String(te[1]));
    }
    let head = this.headLine();
    if (length >= 0) this.out.set('content-length', ['Content-Length', length]);
    if (chunk) {
      this.out.set('transfer-encoding', ['Transfer-Encoding', 'chunked']);
      this.chunked = true;
    }
    for (const [, [name, v]] of this.out) {
      if (Array.isArray(v)) for (const x of v) head += `${name}: ${x}\r\n`;
      else head += `${name}: ${v}\r\n`;
    }
    head += '\r\n';
    const h = Buffer.from(head, 'latin1');
    this.socket?.write(body && body.length > 0 && !this.noBody ? Buffer.concat([h, this.frame(body)]) : h);
  }

  protected useChunked(): boolean {
    return false;
  }

  /** Whether an empty body is said with Content-Length: 0 (responses; requests with a body). */
  protected zeroLength(): boolean {
    return true;
  }

  private frame(b: Buffer): Buffer {
    if (!this.chunked) return b;
    return Buffer.concat([Buffer.from(b.length.toString(16) + '\r\n'), b, Buffer.from('\r\n')]);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (!this.headersSent) {
      this.sendHead(chunk);
      return cb();
    }
    if (this.noBody || chunk.length === 0) return cb();
    if (!this.socket) return cb();
    if (this.socket.write(this.frame(chunk))) cb();
    else this.socket.once('drain', () => cb());
  }

  override _final(cb: (e?: Error | null) => void): void {
    if (!this.headersSent) this.sendHead(null, 0);
    if (this.chunked && !this.noBody) this.socket?.write('0\r\n\r\n');
    this.finished = true;
    this.done();
    cb();
  }

  finished = false;
  protected done(): void {}

  /** end(chunk) with nothing sent yet: the body's length is known, so Content-Length instead of chunked. */
  override end(chunk?: unknown, enc?: unknown, cb?: unknown): this {
    if (typeof chunk === 'function') {
      cb = chunk;
      chunk = undefined;
    }
    if (!this.headersSent && !this.writableEnded) {
      const b = chunk === undefined || chunk === null ? Buffer.alloc(0) : typeof chunk === 'string' ? Buffer.from(chunk, (typeof enc === 'string' ? enc : 'utf8') as BufferEncoding) : Buffer.from(chunk as Uint8Array);
      this.sendHead(b, b.length);
      return super.end(cb as () => void);
    }
    return super.end(chunk as string, enc as BufferEncoding, cb as () => void);
  }
}

export class ServerResponse extends OutgoingMessage {
  statusCode = 200;
  statusMessage: string | undefined;
  readonly req: IncomingMessage;
  private keepAlive: boolean;
  private readonly onDone: (keep: boolean) => void;

  constructor(req: IncomingMessage, keepAlive: boolean, onDone: (keep: boolean) => void) {
    super(req.socket);
    this.req = req;
    this.keepAlive = keepAlive;
    this.onDone = onDone;
    this.noBody = req.method === 'HEAD';
  }

  writeHead(status: number, msg?: string | Headers | readonly string[], headers?: Headers | readonly string[]): this {
    if (this.headersSent) throw nodeError(Error, 'ERR_HTTP_HEADERS_SENT', 'Cannot write headers after they are sent to the client');
    if (!Number.isInteger(status) || status < 100 || status > 999) throw nodeError(RangeError, 'ERR_HTTP_INVALID_STATUS_CODE', `Invalid status code: ${status}`);
    if (typeof msg !== 'string') {
      headers = msg;
      msg = undefined;
    }
    this.statusCode = status;
    if (msg !== undefined) this.statusMessage = msg;
    if (Array.isArray(headers)) {
      for (let i = 0; i + 1 < headers.length; i += 2) this.setHeader(headers[i]!, headers[i + 1]!);
    } else if (headers) for (const [k, v] of Object.entries(headers)) this.setHeader(k, v);
    return this;
  }

  protected override beforeHead(): void {
    const s = this.statusCode;
    if (s === 204 || s === 304 || (s >= 100 && s < 200)) this.noBody = true;
  }

  protected override headLine(): string {
    const s = this.statusCode;
    if (this.sendDate && !this.out.has('date')) this.out.set('date', ['Date', new Date().toUTCString()]);
    const c = this.out.get('connection');
    if (c !== undefined && /close/i.test(String(c[1]))) this.keepAlive = false;
    if (c === undefined) this.out.set('connection', ['Connection', this.keepAlive ? 'keep-alive' : 'close']);
    if (this.keepAlive && !this.out.has('keep-alive') && c === undefined) this.out.set('keep-alive', ['Keep-Alive', 'timeout=5']);
    return `HTTP/1.1 ${s} ${this.statusMessage ?? STATUS_CODES[s] ?? 'unknown'}\r\n`;
  }

  protected override useChunked(): boolean {
    if (this.req.httpVersionMinor === 0 && this.req.httpVersionMajor === 1) {
      this.keepAlive = false; // HTTP/1.0 has no chunking: the body ends with the connection
      return false;
    }
    return true;
  }

  protected override done(): void {
    this.onDone(this.keepAlive);
  }
}

export interface ServerOptions {
  maxHeaderSize?: number;
  keepAliveTimeout?: number;
  requestTimeout?: number;
  noDelay?: boolean;
}

export class Server extends net.Server {
  keepAliveTimeout = 5000;
  headersTimeout = 60000;
  requestTimeout = 300000;
  timeout = 0;
  maxHeadersCount: number | null = null;
  private readonly maxHead: number;

  constructor(options?: ServerOptions | ((req: IncomingMessage, res: ServerResponse) => void), listener?: (req: IncomingMessage, res: ServerResponse) => void) {
    if (typeof options === 'function') {
      listener = options;
      options = {};
    }
    super({ noDelay: options?.noDelay ?? true });
    this.maxHead = options?.maxHeaderSize ?? maxHeaderSize;
    if (options?.keepAliveTimeout !== undefined) this.keepAliveTimeout = options.keepAliveTimeout;
    if (listener) this.on('request', listener);
    this.on('connection', (s: net.Socket) => this.serve(s));
  }

  setTimeout(ms: number, cb?: () => void): this {
    this.timeout = ms;
    if (cb) this.on('timeout', cb);
    return this;
  }

  private serve(socket: net.Socket): void {
    const parser = new Parser(socket, false, this.maxHead);
    /** Requests whose responses are still to come, in order. */
    const queue: ServerResponse[] = [];
    let closing = false;
    const idle = (): void => {
      if (this.keepAliveTimeout > 0) socket.setTimeout(this.keepAliveTimeout);
    };
    socket.on('timeout', () => {
      if (queue.length === 0 || this.timeout > 0) socket.destroy();
    });
    idle();
    parser.onHead = (req) => {
      socket.setTimeout(this.timeout);
      const connHdr = String(req.headers.connection ?? '').toLowerCase();
      const keep = req.httpVersionMinor === 1 ? !/\bclose\b/.test(connHdr) : /\bkeep-alive\b/.test(connHdr);
      const res = new ServerResponse(req, keep && !closing, (again) => {
        queue.shift();
        if (!again) {
          closing = true;
          socket.end();
        } else if (queue.length === 0) idle();
        const next = queue[0];
        if (next) (next.socket as net.Socket).resume();
      });
      if (!keep) closing = true;
      queue.push(res);
      const expect = String(req.headers.expect ?? '').toLowerCase();
      if (expect === '100-continue') {
        if (this.listenerCount('checkContinue') > 0) this.emit('checkContinue', req, res);
        else {
          socket.write('HTTP/1.1 100 Continue\r\n\r\n');
          this.emit('request', req, res);
        }
      } else this.emit('request', req, res);
    };
    parser.onEnd = () => {};
    socket.on('data', (d: Buffer) => {
      if (closing && parser.idle) return;
      try {
        parser.feed(d);
      } catch (e) {
        const status = e instanceof HttpError ? e.status : 400;
        const err = Object.assign(new Error(`Parse Error: ${(e as Error).message}`), { code: status === 431 ? 'HPE_HEADER_OVERFLOW' : 'HPE_INVALID_REQUEST' });
        if (this.listenerCount('clientError') > 0) this.emit('clientError', err, socket);
        else if (socket.writable) socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n\r\n`);
        closing = true;
      }
    });
    socket.on('end', () => {
      if (!parser.end()) parser.msg?.destroy();
      if (queue.length === 0) socket.end();
      else closing = true;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      for (const r of queue) {
        if (!r.req.complete) {
          r.req.aborted = true;
          r.req.emit('aborted');
        }
        r.emit('close');
      }
    });
  }
}

export function createServer(options?: ServerOptions | ((req: IncomingMessage, res: ServerResponse) => void), listener?: (req: IncomingMessage, res: ServerResponse) => void): Server {
  return new Server(options, listener);
}

export interface RequestOptions {
  host?: string;
  hostname?: string;
  port?: number | string;
  path?: string;
  method?: string;
  headers?: Headers;
  socketPath?: string;
  timeout?: number;
  agent?: unknown;
  protocol?: string;
}

export class ClientRequest extends OutgoingMessage {
  readonly method: string;
  readonly path: string;
  readonly host: string;
  aborted = false;

  constructor(o: RequestOptions, cb?: (res: IncomingMessage) => void) {
    const s = o.socketPath !== undefined ? net.connect(o.socketPath) : net.connect({ port: Number(o.port ?? 80), host: o.hostname ?? o.host ?? 'localhost' });
    super(s);
    if (o.protocol !== undefined && o.protocol !== 'http:') throw nodeError(TypeError, 'ERR_INVALID_PROTOCOL', `Protocol "${o.protocol}" not supported. Expected "http:"`);
    this.method = (o.method ?? 'GET').toUpperCase();
    this.path = o.path ?? '/';
    this.host = o.hostname ?? o.host ?? 'localhost';
    if (/[\s]/.test(this.path)) throw nodeError(TypeError, 'ERR_UNESCAPED_CHARACTERS', 'Request path contains unescaped characters');
    for (const [k, v] of Object.entries(o.headers ?? {})) this.setHeader(k, v);
    if (!this.hasHeader('host')) this.setHeader('Host', o.port !== undefined && Number(o.port) !== 80 ? `${this.host}:${o.port}` : this.host);
    if (!this.hasHeader('connection')) this.setHeader('Connection', 'close');
    this.noBody = false;
    if (cb) this.once('response', cb);
    if (o.timeout) s.setTimeout(o.timeout, () => this.emit('timeout'));
    const parser = new Parser(s, true);
    parser.requestMethod = this.method;
    parser.onHead = (res) => {
      this.emit('response', res);
      if (this.listenerCount('response') === 0) res.resume();
    };
    s.on('data', (d: Buffer) => {
      try {
        parser.feed(d);
      } catch (e) {
        s.destroy(Object.assign(new Error(`Parse Error: ${(e as Error).message}`), { code: 'HPE_INVALID_CONSTANT' }));
      }
    });
    s.on('end', () => {
      if (!parser.end()) {
        const m = parser.msg;
        if (m && !m.complete) {
          m.aborted = true;
          m.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
        } else if (!m) this.emit('error', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      }
      s.end();
    });
    s.on('error', (e) => this.emit('error', e));
    s.on('close', () => this.emit('close'));
    s.on('connect', () => this.emit('socket', s));
  }

  protected override headLine(): string {
    return `${this.method} ${this.path} HTTP/1.1\r\n`;
  }

  protected override useChunked(): boolean {
    return !['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT'].includes(this.method);
  }

  protected override zeroLength(): boolean {
    return this.useChunked();
  }

  abort(): void {
    this.aborted = true;
    this.destroy();
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    this.socket?.destroy();
    cb(err);
  }

  setTimeout(ms: number, cb?: () => void): this {
    this.socket?.setTimeout(ms, () => this.emit('timeout'));
    if (cb) this.once('timeout', cb);
    return this;
  }
  setNoDelay(v = true): void {
    this.socket?.setNoDelay(v);
  }
}

function requestArgs(a: unknown, b: unknown, c: unknown): [RequestOptions, ((res: IncomingMessage) => void) | undefined] {
  let o: RequestOptions = {};
  let cb: ((res: IncomingMessage) => void) | undefined;
  if (typeof a === 'string' || a instanceof URL) {
    const u = new URL(String(a));
    o = { protocol: u.protocol, hostname: u.hostname.replace(/^\[|\]$/g, ''), port: u.port || 80, path: u.pathname + u.search };
    if (typeof b === 'object' && b !== null) {
      o = { ...o, ...(b as RequestOptions) };
      cb = c as typeof cb;
    } else cb = b as typeof cb;
  } else {
    o = { ...(a as RequestOptions) };
    cb = b as typeof cb;
  }
  return [o, cb];
}

export function request(a: string | URL | RequestOptions, b?: unknown, c?: unknown): ClientRequest {
  const [o, cb] = requestArgs(a, b, c);
  return new ClientRequest(o, cb);
}

export function get(a: string | URL | RequestOptions, b?: unknown, c?: unknown): ClientRequest {
  const r = request(a, b, c);
  r.end();
  return r;
}

export class Agent extends EventEmitter {
  constructor(_o?: unknown) {
    super();
  }
  destroy(): void {}
}
export const globalAgent = new Agent();
export const validateHeaderName = (name: string): void => {
  if (typeof name !== 'string' || !TOKEN.test(name)) throw nodeError(TypeError, 'ERR_INVALID_HTTP_TOKEN', `Header name must be a valid HTTP token ["${name}"]`);
};
export const validateHeaderValue = (name: string, value: unknown): void => {
  if (value === undefined) throw nodeError(TypeError, 'ERR_HTTP_INVALID_HEADER_VALUE', `Invalid value "undefined" for header "${name}"`);
  if (BAD_VALUE.test(String(value))) throw nodeError(TypeError, 'ERR_INVALID_CHAR', `Invalid character in header content ["${name}"]`);
};
