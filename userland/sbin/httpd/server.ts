// The server: listeners, one loop per connection, dispatch, response writing.
//
// A connection's loop reads until parseHead finds a whole head, reads the body the head
// announces (Content-Length or chunked, at most --max-body-bytes), answers, and goes round
// again while the connection is kept alive (pipelined bytes already read are kept). Time
// limits are timers that answer 408 and close: the head must be complete within
// --header-timeout of its first byte (or of the connection's opening); an idle keep-alive
// connection is closed after --keepalive-timeout; a body read or a write may pause at most
// --io-timeout. A malformed request is answered (400, 413, 414, 431, 501, 505) and the
// connection closed, since the framing is lost.
//
// Dispatch, by URL path: the longest --proxy prefix, then --cgi-bin prefixes, then the
// document root. A CGI's local redirect dispatches again, as a GET, at most 10 times.
//
// Reload (SIGHUP): `reload(cfg)` swaps the configuration; requests already being served
// finish with the one they started with; listeners no longer named are closed, new ones
// opened, the rest kept (so no connection is refused during a reload).
import { HttpError, bodyDecoder, header, keepAlive, parseHead, type RequestHead } from './parser.ts';
import { bodyLength, errorResponse, httpDate, reason, type Response, type StreamBody } from './response.ts';
import { decodePath, serveStatic, type StaticConfig } from './static.ts';
import { AccessLog } from './accesslog.ts';
import type { Config, ListenAddr } from './config.ts';
import type { Conn, Listener, Spawner, Transport } from './io.ts';
import { handleCgi, type CgiDeps } from './cgi-run.ts';
import { handleProxy } from './proxy.ts';
import fs from 'node:fs';

export const SOFTWARE = 'isokernel-httpd/1.0';

export interface ServerDeps {
  transport: Transport;
  spawner: Spawner;
  /** Diagnostics for the operator (syslog): severity 3 = err, 4 = warning, 6 = info. */
  log: (severity: number, msg: string) => void;
  /** A descriptor for CGI stderr (the log), or null. */
  cgiStderrFd: number | null;
}

/** One request as the handlers see it. */
export interface Request {
  head: RequestHead;
  /** The decoded, normalized path (static.ts decodePath). */
  path: string;
  /** The path as sent (still encoded), without the query. */
  rawPath: string;
  query: string;
  body: Uint8Array | null;
  conn: Conn;
  cfg: Config;
  /** Local-redirect depth. */
  depth: number;
}

interface Active {
  cfg: Config;
  staticCfg: StaticConfig | null;
}

const EMPTY = new Uint8Array(0);
const CONTINUE = Buffer.from('HTTP/1.1 100 Continue\r\n\r\n');

class Timeout extends Error {}

export class Server {
  private active: Active;
  private readonly deps: ServerDeps;
  private listeners = new Map<string, { addr: ListenAddr; l: Listener }>();
  private conns = new Set<Conn>();
  private accessLog: AccessLog | null = null;
  private stopping = false;
  /** Counters (for embedders and tests: the server itself only counts). */
  readonly stats = { connections: 0, requests: 0, errors4xx: 0, errors5xx: 0, cgi: 0, cgiFailures: 0, timeouts: 0 };

  constructor(cfg: Config, deps: ServerDeps) {
    this.deps = deps;
    this.active = { cfg, staticCfg: staticConfig(cfg) };
  }

  get config(): Config {
    return this.active.cfg;
  }

  /** Opens the listeners; rejects if any cannot be opened. */
  async start(): Promise<Listener[]> {
    this.openAccessLog();
    await this.syncListeners();
    return [...this.listeners.values()].map((x) => x.l);
  }

  /** The bound listeners. */
  get bound(): Listener[] {
    return [...this.listeners.values()].map((x) => x.l);
  }

  /** Swaps in a new configuration (SIGHUP): new requests use it; the access log is reopened. */
  async reload(cfg: Config): Promise<void> {
    this.active = { cfg, staticCfg: staticConfig(cfg) };
    this.accessLog?.close();
    this.accessLog = null;
    this.openAccessLog();
    await this.syncListeners();
    this.deps.log(6, `reloaded: listening on ${this.bound.map((l) => l.name).join(', ')}`);
  }

  /** Stops accepting; waits up to `graceMs` for connections to finish, then closes them. */
  async stop(graceMs = 5000): Promise<void> {
    this.stopping = true;
    for (const { l } of this.listeners.values()) l.close();
    this.listeners.clear();
    const t0 = Date.now();
    while (this.conns.size && Date.now() - t0 < graceMs) await new Promise((r) => setTimeout(r, 20));
    for (const c of this.conns) c.destroy();
    this.accessLog?.close();
  }

  private openAccessLog(): void {
    const p = this.active.cfg.accessLog;
    if (p) this.accessLog = new AccessLog(p, (m) => this.deps.log(4, m));
  }

  private async syncListeners(): Promise<void> {
    const want = new Map(this.active.cfg.listen.map((a) => [addrKey(a), a]));
    for (const [k, { l }] of this.listeners) {
      if (!want.has(k)) {
        l.close();
        this.listeners.delete(k);
      }
    }
    for (const [k, a] of want) {
      if (this.listeners.has(k)) continue;
      if ('path' in a) {
        // A stale socket file from an earlier run would make bind fail with EADDRINUSE.
        try {
          if (fs.statSync(a.path).isSocket()) fs.unlinkSync(a.path);
        } catch {
          // not there
        }
      }
      const l = await this.deps.transport.listen(a, 511);
      this.listeners.set(k, { addr: a, l });
      void this.acceptLoop(l);
    }
  }

  private async acceptLoop(l: Listener): Promise<void> {
    for (;;) {
      let c: Conn;
      try {
        c = await l.accept();
      } catch (e) {
        if (this.stopping || ![...this.listeners.values()].some((x) => x.l === l)) return;
        this.deps.log(3, `accept on ${l.name}: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      if (this.conns.size >= this.active.cfg.maxConnections) {
        c.write(Buffer.from('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: 0\r\nretry-after: 1\r\n\r\n')).catch(() => {}).finally(() => c.destroy());
        continue;
      }
      this.stats.connections++;
      this.conns.add(c);
      this.serveConn(c).catch((e) => this.deps.log(3, `connection from ${c.remoteAddress}: ${(e as Error).stack ?? e}`)).finally(() => {
        this.conns.delete(c);
        c.destroy();
      });
    }
  }

  /** Reads from `c` until the deadline; empty at EOF; throws Timeout. */
  private readBefore(c: Conn, pending: { p: Promise<Uint8Array> | null }, ms: number): Promise<Uint8Array> {
    const p = pending.p ?? c.read();
    pending.p = p;
    return new Promise((res, rej) => {
      const t = setTimeout(() => rej(new Timeout()), Math.max(1, ms));
      p.then((v) => {
        clearTimeout(t);
        pending.p = null;
        res(v);
      }, (e) => {
        clearTimeout(t);
        pending.p = null;
        rej(e);
      });
    });
  }

  private async serveConn(c: Conn): Promise<void> {
    let buf: Uint8Array = EMPTY;
    const pending: { p: Promise<Uint8Array> | null } = { p: null };
    for (let served = 0; ; served++) {
      const { cfg } = this.active;
      if (this.stopping) return;
      // ---- the head ----
      let parsed: ReturnType<typeof parseHead> = null;
      let started = served === 0 || buf.length > 0 ? Date.now() : 0;
      const tIn = Date.now();
      try {
        for (;;) {
          parsed = parseHead(buf, cfg.limits);
          if (parsed) break;
          const ms = started ? cfg.headerTimeoutMs - (Date.now() - started) : cfg.keepAliveTimeoutMs;
          const chunk = await this.readBefore(c, pending, ms);
          if (!chunk.length) return;
          if (!started) started = Date.now();
          buf = buf.length ? concat(buf, chunk) : chunk;
        }
      } catch (e) {
        if (e instanceof Timeout) {
          if (buf.length === 0 && served > 0) return; // idle keep-alive: close quietly
          this.stats.timeouts++;
          await this.sendError(c, 408, 'request head not received in time', tIn, '');
          return;
        }
        if (e instanceof HttpError) {
          await this.sendError(c, e.status, e.message, tIn, firstLine(buf));
          return;
        }
        return; // reset by peer
      }
      const { head, used } = parsed;
      buf = buf.subarray(used);
      // ---- the body ----
      let body: Uint8Array | null = null;
      try {
        const expect = header(head, 'expect');
        if (expect !== undefined && expect.toLowerCase() !== '100-continue') throw new HttpError(417, `unsupported expectation ${expect}`);
        const dec = bodyDecoder(head, cfg.limits);
        if (dec) {
          if (expect !== undefined && head.version === 'HTTP/1.1' && !buf.length) await c.write(CONTINUE);
          const parts: Uint8Array[] = [];
          let r = dec.push(buf);
          parts.push(...r.data);
          while (!r.done) {
            const chunk = await this.readBefore(c, pending, cfg.ioTimeoutMs);
            if (!chunk.length) return; // the client went away mid-body
            r = dec.push(chunk);
            parts.push(...r.data);
          }
          buf = r.rest;
          body = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
        }
      } catch (e) {
        if (e instanceof Timeout) {
          this.stats.timeouts++;
          await this.sendError(c, 408, 'request body not received in time', tIn, head.line);
          return;
        }
        if (e instanceof HttpError) {
          await this.sendError(c, e.status, e.message, tIn, head.line, head);
          return;
        }
        return;
      }
      // ---- the answer ----
      this.stats.requests++;
      let res: Response;
      try {
        res = await this.dispatch(head, body, c, 0);
      } catch (e) {
        if (e instanceof HttpError) res = { ...errorResponse(e.status, e.message), close: e.close };
        else {
          this.deps.log(3, `${head.method} ${head.target}: ${(e as Error).stack ?? e}`);
          res = errorResponse(500);
        }
      }
      const keep = !res.close && keepAlive(head) && !this.stopping && served + 1 < cfg.maxRequestsPerConnection;
      const sent = await this.writeResponse(c, head, res, keep, cfg);
      this.logAccess(c, tIn, head.line, res.status, sent.bytes, head);
      if (!sent.ok || !keep) {
        if (sent.ok) c.end();
        return;
      }
    }
  }

  /** The response to a request: proxy, CGI or static. */
  async dispatch(head: RequestHead, body: Uint8Array | null, conn: Conn, depth: number): Promise<Response> {
    const { cfg, staticCfg } = this.active;
    let target = head.target;
    if (target === '*') return head.method === 'OPTIONS' ? { status: 204, headers: [['allow', 'GET, HEAD, POST, OPTIONS']] } : errorResponse(400);
    if (head.method === 'CONNECT') return errorResponse(405, 'CONNECT is not supported', [['allow', 'GET, HEAD, POST, OPTIONS']]);
    const abs = /^https?:\/\/[^/?#]*/i.exec(target);
    if (abs) target = target.slice(abs[0].length) || '/';
    const q = target.indexOf('?');
    const rawPath = q < 0 ? target : target.slice(0, q);
    const query = q < 0 ? '' : target.slice(q + 1);
    const path = decodePath(rawPath);
    const req: Request = { head, path, rawPath, query, body, conn, cfg, depth };
    const proxy = longest(cfg.proxy, path);
    if (proxy) return handleProxy(req, proxy, this.deps.transport, (sev, m) => this.deps.log(sev, m));
    for (const m of cfg.cgi) {
      if (path === m.url || path.startsWith(m.url + '/')) {
        this.stats.cgi++;
        const r = await handleCgi(req, m, this.cgiDeps());
        if ('redirect' in r) {
          if (depth >= 10) return errorResponse(500, 'too many local redirects');
          const h: RequestHead = { ...head, method: 'GET', target: r.redirect, headers: head.headers.filter(([n]) => n !== 'content-length' && n !== 'content-type' && n !== 'transfer-encoding') };
          return this.dispatch(h, null, conn, depth + 1);
        }
        if (r.status >= 500) this.stats.cgiFailures++;
        return r;
      }
    }
    if (staticCfg) return serveStatic({ head, path, query }, staticCfg);
    return errorResponse(404);
  }

  private cgiDeps(): CgiDeps {
    return {
      spawner: this.deps.spawner, stderrFd: this.deps.cgiStderrFd, software: SOFTWARE,
      docRoot: this.active.staticCfg?.rootReal ?? this.active.cfg.root ?? '/', log: (sev, m) => this.deps.log(sev, m),
    };
  }

  private async sendError(c: Conn, status: number, msg: string, t0: number, line: string, head?: RequestHead, keep = false): Promise<void> {
    const res = errorResponse(status, msg);
    const fake: RequestHead = head ?? { method: 'GET', target: '/', version: 'HTTP/1.1', headers: [], line };
    const sent = await this.writeResponse(c, fake, res, keep, this.active.cfg);
    this.logAccess(c, t0, line, status, sent.bytes, head);
    if (!keep) {
      c.end();
      // Let the answer go out before the loop's destroy; a client that never reads is cut off.
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private logAccess(c: Conn, t0: number, line: string, status: number, bytes: number, head?: RequestHead): void {
    if (status >= 500) this.stats.errors5xx++;
    else if (status >= 400) this.stats.errors4xx++;
    if (!this.accessLog) return;
    this.accessLog.write({
      remoteAddr: c.remoteAddress, time: t0, line, status, bytes,
      ...(head ? { referer: header(head, 'referer'), userAgent: header(head, 'user-agent') } : {}),
    });
  }

  /** Writes a response; returns body bytes sent and whether the connection is still good. */
  private async writeResponse(c: Conn, head: RequestHead, res: Response, keep: boolean, cfg: Config): Promise<{ bytes: number; ok: boolean }> {
    const noBody = head.method === 'HEAD' || res.status === 204 || res.status === 304 || res.status < 200;
    const len = bodyLength(res.body);
    const lines = [`HTTP/1.1 ${res.status} ${res.reason ?? reason(res.status)}`, `date: ${httpDate(Date.now())}`, `server: ${SOFTWARE}`];
    let chunked = false;
    let closeDelimited = false;
    for (const [n, v] of res.headers) if (n !== 'content-length' && n !== 'transfer-encoding' && n !== 'connection') lines.push(`${n}: ${v}`);
    if (res.status !== 204 && res.status !== 304 && res.status >= 200) {
      if (len !== null) lines.push(`content-length: ${len}`);
      else if (noBody) { /* HEAD of a stream of unknown length: no framing field */ }
      else if (head.version === 'HTTP/1.1') {
        chunked = true;
        lines.push('transfer-encoding: chunked');
      } else closeDelimited = true;
    }
    const willKeep = keep && !closeDelimited;
    if (!willKeep) lines.push('connection: close');
    else if (head.version === 'HTTP/1.0') lines.push('connection: keep-alive');
    const headBytes = Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1');
    const b = res.body;
    try {
      if (noBody || b === undefined) {
        if (b !== undefined && !(b instanceof Uint8Array) && b.kind === 'stream') b.cancel?.();
        await this.timedWrite(c, headBytes, cfg);
        return { bytes: 0, ok: willKeep };
      }
      if (b instanceof Uint8Array) {
        await this.timedWrite(c, b.length <= 65536 ? Buffer.concat([headBytes, b]) : headBytes, cfg);
        if (b.length > 65536) await this.timedWrite(c, b, cfg);
        return { bytes: b.length, ok: willKeep };
      }
      if (b.kind === 'file') {
        await this.timedWrite(c, headBytes, cfg);
        const sent = await this.sendFile(c, b.path, b.start, b.end, cfg);
        return { bytes: sent, ok: willKeep && sent === b.end - b.start };
      }
      return await this.sendStream(c, head, b, headBytes, len, chunked, willKeep, cfg);
    } catch {
      return { bytes: 0, ok: false };
    }
  }

  /**
   * Writes a stream body after its head. Writes are coalesced: what is ready goes out with
   * what follows it if that comes within HOLD_MS, so a short CGI answer (head, one chunk,
   * the end) is one write, not three — a write from a JS process is a round trip to the
   * kernel — while a script that writes progressively is delayed at most HOLD_MS. The next
   * chunk is read while the previous one is written.
   */
  private async sendStream(c: Conn, head: RequestHead, b: StreamBody, headBytes: Uint8Array, len: number | null, chunked: boolean, keep: boolean, cfg: Config): Promise<{ bytes: number; ok: boolean }> {
    const HOLD_MS = 10;
    let pending: Uint8Array[] = [headBytes];
    let sent = 0;
    const flush = async (): Promise<void> => {
      if (!pending.length) return;
      const data = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
      pending = [];
      await this.timedWrite(c, data, cfg);
    };
    const it = b.chunks[Symbol.asyncIterator]();
    let failed = false;
    try {
      let next = it.next();
      for (;;) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        let r: IteratorResult<Uint8Array> | null = await Promise.race([next, new Promise<null>((res) => (timer = setTimeout(() => res(null), HOLD_MS)))]);
        clearTimeout(timer);
        if (r === null) {
          await flush();
          r = await next;
        }
        if (r.done) break;
        let out = r.value;
        if (len !== null && sent + out.length > len) out = out.subarray(0, len - sent);
        if (out.length) {
          pending.push(chunked ? Buffer.concat([Buffer.from(`${out.length.toString(16)}\r\n`), out, Buffer.from('\r\n')]) : out);
          sent += out.length;
        }
        if (len !== null && sent >= len) break;
        next = it.next();
      }
    } catch (e) {
      this.deps.log(4, `${head.method} ${head.target}: response body: ${(e as Error).message}`);
      failed = true;
    } finally {
      void it.return?.(undefined);
      b.cancel?.();
    }
    if (failed || (len !== null && sent < len)) {
      // What came goes out; the connection then closes, so the client sees a cut body.
      await flush().catch(() => {});
      return { bytes: sent, ok: false };
    }
    if (chunked) pending.push(Buffer.from('0\r\n\r\n'));
    await flush();
    return { bytes: sent, ok: keep };
  }

  private timedWrite(c: Conn, data: Uint8Array, cfg: Config): Promise<void> {
    return new Promise((res, rej) => {
      const t = setTimeout(() => {
        c.destroy();
        rej(new Timeout());
      }, cfg.ioTimeoutMs);
      c.write(data).then(() => {
        clearTimeout(t);
        res();
      }, (e) => {
        clearTimeout(t);
        rej(e);
      });
    });
  }

  private async sendFile(c: Conn, path: string, start: number, end: number, cfg: Config): Promise<number> {
    const fh = await fs.promises.open(path, 'r');
    let pos = start;
    try {
      while (pos < end) {
        const b = Buffer.allocUnsafe(Math.min(256 * 1024, end - pos));
        const { bytesRead } = await fh.read(b, 0, b.length, pos);
        if (bytesRead === 0) break;
        await this.timedWrite(c, b.subarray(0, bytesRead), cfg);
        pos += bytesRead;
      }
    } finally {
      await fh.close();
    }
    return pos - start;
  }
}

function staticConfig(cfg: Config): StaticConfig | null {
  if (!cfg.root) return null;
  let rootReal = cfg.root;
  try {
    rootReal = fs.realpathSync(cfg.root);
  } catch {
    // missing now: every request is 404 until it appears and the server is reloaded
  }
  return { root: cfg.root, rootReal, index: cfg.index, autoindex: cfg.autoindex, mime: cfg.mime };
}

function longest<T extends { url: string }>(routes: readonly T[], path: string): T | null {
  let best: T | null = null;
  for (const r of routes) {
    if ((r.url === '' || path === r.url || path.startsWith(r.url + '/')) && (!best || r.url.length > best.url.length)) best = r;
  }
  return best;
}

function addrKey(a: ListenAddr): string {
  return 'path' in a ? `unix:${a.path}` : `${a.host}:${a.port}`;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The first line of what was received, for the access log of a refused request. */
function firstLine(buf: Uint8Array): string {
  const end = Math.min(buf.length, 8192);
  let i = 0;
  while (i < end && buf[i] !== 13 && buf[i] !== 10) i++;
  return Buffer.from(buf.subarray(0, i)).toString('latin1');
}
