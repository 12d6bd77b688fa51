// Helpers for the httpd tests: raw-socket clients (the bytes sent are exactly the test's) and
// a small response reader that handles Content-Length, chunked and close-delimited bodies.
import net from 'node:net';

export interface Res {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  raw: string;
}

/** Sends `data` (optionally in pieces with pauses) and reads until the server closes. */
export function raw(port: number | string, data: string | Buffer | (string | Buffer)[], o: { pauseMs?: number; timeoutMs?: number; host?: string } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const s = typeof port === 'string' ? net.connect({ path: port }) : net.connect({ port, host: o.host ?? '127.0.0.1' });
    const out: Buffer[] = [];
    const t = setTimeout(() => {
      s.destroy();
      reject(new Error(`no close from the server within ${o.timeoutMs ?? 20000} ms; got ${JSON.stringify(Buffer.concat(out).toString('latin1').slice(0, 300))}`));
    }, o.timeoutMs ?? 20000);
    s.on('data', (c: Buffer) => out.push(c));
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(t);
      resolve(Buffer.concat(out));
    });
    s.on('connect', async () => {
      const parts = Array.isArray(data) ? data : [data];
      for (const p of parts) {
        if (s.destroyed) return;
        s.write(p);
        if (o.pauseMs) await new Promise((r) => setTimeout(r, o.pauseMs));
      }
    });
  });
}

/** Parses every response in `buf` (a keep-alive stream); HEAD responses need `noBody`. */
export function parseResponses(buf: Buffer, noBody: boolean[] = []): Res[] {
  const out: Res[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const end = buf.indexOf('\r\n\r\n', pos);
    if (end < 0) throw new Error(`incomplete head: ${JSON.stringify(buf.subarray(pos).toString('latin1').slice(0, 200))}`);
    const headText = buf.subarray(pos, end).toString('latin1');
    const [statusLine, ...lines] = headText.split('\r\n');
    const m = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine!);
    if (!m) throw new Error(`bad status line ${statusLine}`);
    const headers: Record<string, string> = {};
    for (const l of lines) {
      const c = l.indexOf(':');
      headers[l.slice(0, c).toLowerCase()] = l.slice(c + 1).trim();
    }
    pos = end + 4;
    const status = Number(m[1]);
    let body: Buffer = Buffer.alloc(0);
    const skip = noBody[out.length] === true || status === 204 || status === 304 || status < 200;
    if (!skip) {
      if (headers['content-length'] !== undefined) {
        const n = Number(headers['content-length']);
        body = buf.subarray(pos, pos + n);
        pos += n;
      } else if (headers['transfer-encoding'] === 'chunked') {
        const parts: Buffer[] = [];
        for (;;) {
          const le = buf.indexOf('\r\n', pos);
          const n = parseInt(buf.subarray(pos, le).toString(), 16);
          pos = le + 2;
          if (n === 0) {
            pos += 2;
            break;
          }
          parts.push(buf.subarray(pos, pos + n));
          pos += n + 2;
        }
        body = Buffer.concat(parts);
      } else {
        body = buf.subarray(pos);
        pos = buf.length;
      }
    }
    out.push({ status, headers, body, raw: headText });
    if (status >= 100 && status < 200) out.pop();
  }
  return out;
}

export async function request(port: number | string, text: string | Buffer, o: Parameters<typeof raw>[2] & { head?: boolean } = {}): Promise<Res> {
  const buf = await raw(port, text, o);
  const all = parseResponses(buf, [o.head === true]);
  if (!all.length) throw new Error('no response');
  return all[0]!;
}

/** A GET with Connection: close. */
export function get(port: number | string, path: string, extra = ''): Promise<Res> {
  return request(port, `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n${extra}\r\n`);
}
