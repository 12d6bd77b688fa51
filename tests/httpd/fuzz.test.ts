// Fuzzing httpd (issue 9 item 4): for a bounded time (HTTPD_FUZZ_MS, default 10 s), random
// and mutated requests — flipped, inserted, deleted and duplicated bytes, bare LFs, huge
// fields, bad lengths and chunk sizes, garbage — are thrown at the server, 32 connections
// at a time, and between batches a good request must be served. Every answer must be a
// well-formed HTTP/1.1 response that is not a 500 (an internal error), and the server must
// log no internal error. The PRNG is seeded (HTTPD_FUZZ_SEED; printed) so a failure can be
// replayed. The server runs on the host under plain Node: the parser and the connection
// loop are the same code as inside the kernel.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { applyArgs, defaults } from '../../userland/sbin/httpd/config.ts';
import { HttpError, bodyDecoder, parseHead } from '../../userland/sbin/httpd/parser.ts';
import { nodeSpawner, nodeTransport } from '../../userland/sbin/httpd/io-node.ts';
import { Server } from '../../userland/sbin/httpd/server.ts';
import { get } from './helpers.ts';

const DIR = mkdtempSync(path.join(tmpdir(), 'isk-httpd-fuzz-'));
const FUZZ_MS = Number(process.env.HTTPD_FUZZ_MS ?? 10_000);
const SEED = Number(process.env.HTTPD_FUZZ_SEED ?? Date.now() % 1_000_000);
const logs: string[] = [];
let server: Server;
let port: number;

// mulberry32
let state = SEED >>> 0;
function rand(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n: number): number => Math.floor(rand() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;

const CORPUS = [
  'GET / HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET /hello.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=1-3\r\nIf-None-Match: "abc"\r\n\r\n',
  'HEAD /hello.txt HTTP/1.0\r\n\r\n',
  'POST /cgi-bin/echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello',
  'POST /cgi-bin/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nT: 1\r\n\r\n',
  'GET /cgi-bin/echo/path/info?a=b&c=%20 HTTP/1.1\r\nHost: x\r\nCookie: a=1\r\n\r\n',
  'OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET http://x/hello.txt HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET /sub/../hello.txt HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET /%68ello.txt HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n',
];
const TOKENS = ['\r\n', '\n', '\r', ' ', '\t', ':', '%', '%2f', '%00', '..', '/', '?', '#', '"', '\0', 'chunked', 'Content-Length: ', 'Transfer-Encoding: ',
  'Host: ', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', '0\r\n\r\n', 'ffffffffffffffff\r\n', '-1', '99999999999999999999', '\xff\xfe', 'Expect: 100-continue\r\n'];

function mutate(s: string): string {
  let b = s;
  const n = 1 + int(4);
  for (let i = 0; i < n; i++) {
    const at = int(b.length + 1);
    switch (int(8)) {
      case 0: b = b.slice(0, at) + String.fromCharCode(int(256)) + b.slice(at + 1); break;
      case 1: b = b.slice(0, at) + pick(TOKENS) + b.slice(at); break;
      case 2: b = b.slice(0, at) + b.slice(at + 1 + int(20)); break;
      case 3: { const len = int(40); b = b.slice(0, at) + b.slice(at, at + len).repeat(1 + int(4)) + b.slice(at); break; }
      case 4: b = b.replace(/\r\n/, pick(['\n', '\r', '\r\r\n', ' \r\n'])); break;
      case 5: b = b.replace(/\r\n\r\n/, `\r\nX-Big: ${'a'.repeat(int(40000))}\r\n\r\n`); break;
      case 6: b = b.replace(/Content-Length: \d+/, `Content-Length: ${pick(['0', '1', '100000000', '-5', '5, 6', ' 5', '0x5', '5 5'])}`); break;
      default: b = b.slice(0, at); break;
    }
  }
  return b;
}

function randomBytes(): string {
  let s = '';
  const n = int(300);
  for (let i = 0; i < n; i++) s += rand() < 0.3 ? pick(TOKENS) : String.fromCharCode(int(256));
  return s;
}

/** Sends one case; resolves with what came back (the server must close within the timeouts). */
function send(data: string): Promise<{ out: Buffer; hung: boolean }> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    const out: Buffer[] = [];
    const t = setTimeout(() => {
      s.destroy();
      resolve({ out: Buffer.concat(out), hung: true });
    }, 8000);
    s.on('data', (c: Buffer) => out.push(c));
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(t);
      resolve({ out: Buffer.concat(out), hung: false });
    });
    s.on('connect', () => {
      s.write(Buffer.from(data, 'latin1'));
      // Half the time the client stops sending (EOF); else it waits for the server's timeouts.
      if (rand() < 0.5) s.end();
    });
  });
}

before(async () => {
  mkdirSync(path.join(DIR, 'www', 'sub'), { recursive: true });
  mkdirSync(path.join(DIR, 'cgi'));
  writeFileSync(path.join(DIR, 'www', 'hello.txt'), 'hello, world\n');
  writeFileSync(path.join(DIR, 'cgi', 'echo'), '#!/bin/sh\nprintf "Content-Type: text/plain\\n\\n"; cat\n');
  chmodSync(path.join(DIR, 'cgi', 'echo'), 0o755);
  const cfg = applyArgs(defaults(), ['--listen', '127.0.0.1:0', '--root', path.join(DIR, 'www'), '--cgi-bin', `/cgi-bin=${path.join(DIR, 'cgi')}`,
    '--header-timeout', '1s', '--keepalive-timeout', '500ms', '--io-timeout', '1s', '--cgi-timeout', '3s', '--max-body-bytes', '64k']);
  server = new Server(cfg, { transport: nodeTransport, spawner: nodeSpawner, log: (sev, m) => logs.push(`${sev} ${m}`), cgiStderrFd: null });
  port = (await server.start())[0]!.port;
});

after(async () => {
  await server.stop(100);
  rmSync(DIR, { recursive: true, force: true });
});

it(`fuzz: random and mutated requests for ${FUZZ_MS} ms (seed ${SEED}); good requests still served`, { timeout: FUZZ_MS + 60_000 }, async () => {
  process.stderr.write(`httpd fuzz seed ${SEED} (HTTPD_FUZZ_SEED=${SEED} to replay)\n`);
  const t0 = Date.now();
  let cases = 0;
  const statuses = new Map<number, number>();
  while (Date.now() - t0 < FUZZ_MS) {
    const batch = Array.from({ length: 32 }, () => (rand() < 0.15 ? randomBytes() : mutate(pick(CORPUS))));
    const res = await Promise.all(batch.map(send));
    for (let i = 0; i < batch.length; i++) {
      const { out, hung } = res[i]!;
      const c = JSON.stringify(batch[i]!.slice(0, 300));
      assert.ok(!hung, `the server neither answered nor closed within 8 s: ${c}`);
      cases++;
      if (!out.length) continue;
      const text = out.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3}) [^\r\n]*\r\n/.exec(text);
      assert.ok(m, `not an HTTP response for ${c}: ${JSON.stringify(text.slice(0, 200))}`);
      for (const mm of text.matchAll(/(?:^|\r\n)HTTP\/1\.1 (\d{3}) /g)) {
        const st = Number(mm[1]);
        statuses.set(st, (statuses.get(st) ?? 0) + 1);
        assert.notEqual(st, 500, `500 for ${c}: ${logs.join('\n')}`);
      }
    }
    const good = await get(port, '/hello.txt');
    assert.equal(good.status, 200);
    assert.equal(good.body.toString(), 'hello, world\n');
  }
  const internal = logs.filter((l) => /^3 (connection from|GET|POST|HEAD)/.test(l));
  assert.deepEqual(internal, [], 'internal errors logged');
  process.stderr.write(`httpd fuzz: ${cases} cases; statuses ${[...statuses].sort((a, b) => a[0] - b[0]).map(([k, v]) => `${k}×${v}`).join(' ')}\n`);
  assert.ok(cases > 50, `only ${cases} cases ran`);
});

it('fuzz: the parser alone, 100,000 mutated heads and bodies: a result or an HttpError, nothing else', () => {
  for (let i = 0; i < 100_000; i++) {
    const input = rand() < 0.1 ? randomBytes() : mutate(pick(CORPUS));
    const buf = Buffer.from(input, 'latin1');
    try {
      const r = parseHead(buf);
      if (r) {
        assert.ok(r.used > 0 && r.used <= buf.length);
        const d = bodyDecoder(r.head);
        if (d) {
          // Fed in random pieces.
          let rest = buf.subarray(r.used);
          while (rest.length) {
            const n = 1 + int(rest.length);
            const out = d.push(rest.subarray(0, n));
            rest = rest.subarray(n);
            if (out.done) break;
          }
        }
      }
    } catch (e) {
      if (!(e instanceof HttpError)) throw new Error(`${(e as Error).stack} for ${JSON.stringify(input.slice(0, 200))}`);
      assert.ok([400, 413, 414, 431, 501, 505].includes(e.status), `status ${e.status}`);
    }
  }
});
