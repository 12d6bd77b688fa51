// Reverse proxy: `--proxy /api=unix:/run/api.sock` (or HOST:PORT) forwards requests whose
// path is under /api, path unchanged, to a service listening on an image socket.
//
// One upstream connection per request (`connection: close`): the request line and fields
// minus the hop-by-hop ones (RFC 9110 7.6.1: Connection and the fields it names,
// Keep-Alive, TE, Trailer, Transfer-Encoding, Upgrade, Proxy-Connection), plus Forwarded /
// X-Forwarded-For / -Host / -Proto; the body (already read whole) with Content-Length. The
// response head is parsed (at most 64 KiB), its hop-by-hop fields dropped, and the body
// decoded (Content-Length, chunked, or to the end) and sent on with the client's framing.
// Errors: no connection → 502; no response head within --proxy-timeout → 504; a malformed
// one → 502.
import { ChunkedDecoder, isToken } from './parser.ts';
import { errorResponse, type Response } from './response.ts';
import type { ProxyRoute } from './config.ts';
import type { Conn, Transport } from './io.ts';
import type { Request } from './server.ts';

const HOP = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization']);
const MAX_HEAD = 64 * 1024;

export class UpstreamError extends Error {}

export interface UpstreamHead {
  status: number;
  headers: [string, string][];
  used: number;
}

/** A response head at the start of buf, or null if not all there. Throws UpstreamError. */
export function parseResponseHead(buf: Uint8Array): UpstreamHead | null {
  let end = -1;
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) {
    if (buf[i - 1] === 10 || (buf[i - 1] === 13 && buf[i - 2] === 10)) {
      end = i + 1;
      break;
    }
  }
  if (end < 0) {
    if (buf.length > MAX_HEAD) throw new UpstreamError('response head too large');
    return null;
  }
  const lines = Buffer.from(buf.subarray(0, end)).toString('latin1').split('\n').map((l) => l.replace(/\r$/, ''));
  const m = /^HTTP\/1\.[01] ([1-5]\d\d)(?: .*)?$/.exec(lines[0]!);
  if (!m) throw new UpstreamError(`malformed status line ${JSON.stringify(lines[0]!.slice(0, 80))}`);
  const headers: [string, string][] = [];
  for (const l of lines.slice(1)) {
    if (l === '') continue;
    const c = l.indexOf(':');
    if (c <= 0 || !isToken(l.slice(0, c))) throw new UpstreamError(`malformed header line ${JSON.stringify(l.slice(0, 80))}`);
    const v = l.slice(c + 1).trim();
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(v)) throw new UpstreamError('control character in a header value');
    headers.push([l.slice(0, c).toLowerCase(), v]);
  }
  return { status: Number(m[1]), headers, used: end };
}

function dropHop(headers: readonly [string, string][]): [string, string][] {
  const named = new Set(headers.filter(([n]) => n === 'connection').flatMap(([, v]) => v.toLowerCase().split(',').map((s) => s.trim())));
  return headers.filter(([n]) => !HOP.has(n) && !named.has(n));
}

export async function handleProxy(req: Request, route: ProxyRoute, transport: Transport, log: (sev: number, m: string) => void): Promise<Response> {
  const { head, conn, cfg } = req;
  let up: Conn;
  try {
    up = await transport.connect(route.target);
  } catch (e) {
    log(3, `proxy ${route.url || '/'} → ${route.spec}: ${(e as Error).message}`);
    return errorResponse(502, 'the upstream service is not reachable');
  }
  const fwdFor = head.headers.filter(([n]) => n === 'x-forwarded-for').map(([, v]) => v);
  fwdFor.push(conn.remoteAddress);
  const host = head.headers.find(([n]) => n === 'host')?.[1];
  const fields = dropHop(head.headers).filter(([n]) => n !== 'content-length' && n !== 'x-forwarded-for' && n !== 'forwarded' && n !== 'expect');
  const lines = [`${head.method} ${req.rawPath}${req.query ? `?${req.query}` : ''} HTTP/1.1`];
  for (const [n, v] of fields) lines.push(`${n}: ${v}`);
  if (!host) lines.push(`host: ${conn.localAddress}:${conn.localPort}`);
  lines.push(`x-forwarded-for: ${fwdFor.join(', ')}`, 'x-forwarded-proto: http');
  if (host) lines.push(`x-forwarded-host: ${host}`);
  lines.push(`forwarded: for=${/:/.test(conn.remoteAddress) ? `"[${conn.remoteAddress}]"` : conn.remoteAddress};proto=http${host ? `;host="${host.replace(/["\\]/g, '')}"` : ''}`);
  if (req.body) lines.push(`content-length: ${req.body.length}`);
  lines.push('connection: close', '', '');
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    up.destroy();
  }, cfg.proxyTimeoutMs);
  let buf: Uint8Array = new Uint8Array(0);
  let uh: UpstreamHead | null = null;
  try {
    await up.write(Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), req.body ?? new Uint8Array(0)]));
    for (;;) {
      uh = parseResponseHead(buf);
      if (uh) {
        if (uh.status >= 200) break;
        buf = buf.subarray(uh.used); // 1xx: skip
        uh = null;
        continue;
      }
      const c = await up.read();
      if (!c.length) throw new UpstreamError(buf.length ? 'connection closed inside the response head' : 'connection closed with no response');
      buf = buf.length ? Buffer.concat([buf, c]) : c;
    }
  } catch (e) {
    clearTimeout(timer);
    up.destroy();
    log(3, `proxy ${route.url || '/'} → ${route.spec}: ${timedOut ? `no response within ${cfg.proxyTimeoutMs} ms` : (e as Error).message}`);
    return errorResponse(timedOut ? 504 : 502);
  }
  clearTimeout(timer);
  const rest = buf.subarray(uh.used);
  const headers = dropHop(uh.headers).filter(([n]) => n !== 'content-length' && n !== 'date' && n !== 'server');
  const noBody = head.method === 'HEAD' || uh.status === 204 || uh.status === 304;
  if (noBody) {
    up.destroy();
    const cl = uh.headers.find(([n]) => n === 'content-length')?.[1];
    return { status: uh.status, headers, ...(head.method === 'HEAD' && cl && /^\d+$/.test(cl) ? { body: { kind: 'stream', length: Number(cl), chunks: (async function* () {})() } } : {}) };
  }
  const te = uh.headers.find(([n]) => n === 'transfer-encoding')?.[1]?.toLowerCase();
  const clv = uh.headers.find(([n]) => n === 'content-length')?.[1];
  const length = te === undefined && clv !== undefined && /^\d{1,15}$/.test(clv) ? Number(clv) : null;
  const ioMs = cfg.ioTimeoutMs;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    const dec = te !== undefined && te.endsWith('chunked') ? new ChunkedDecoder(Number.MAX_SAFE_INTEGER) : null;
    let left = length;
    let pending: Uint8Array = rest;
    for (;;) {
      if (pending.length) {
        if (dec) {
          const r = dec.push(pending);
          for (const d of r.data) yield d;
          if (r.done) return;
        } else {
          const take = left === null ? pending : pending.subarray(0, left);
          yield take;
          if (left !== null) {
            left -= take.length;
            if (left === 0) return;
          }
        }
      }
      const t = setTimeout(() => up.destroy(), ioMs);
      pending = await up.read();
      clearTimeout(t);
      if (!pending.length) {
        if (dec || (left !== null && left > 0)) throw new UpstreamError('upstream closed before the end of the body');
        return;
      }
    }
  }
  return { status: uh.status, headers, body: { kind: 'stream', length, chunks: chunks(), cancel: () => up.destroy() } };
}
