// The whole server on the host, under plain Node (node:net, node:child_process, host files,
// shell-script CGIs): static files, CGI/1.1, proxy, keep-alive, bad input, reload. The same
// server code runs inside isokernel (kernel.test.ts); these tests pin its HTTP behaviour
// independently of the kernel's sockets.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, utimesSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyArgs, defaults, type Config } from '../../userland/sbin/httpd/config.ts';
import { nodeSpawner, nodeTransport } from '../../userland/sbin/httpd/io-node.ts';
import { Server } from '../../userland/sbin/httpd/server.ts';
import { get, parseResponses, raw, request } from './helpers.ts';

const DIR = mkdtempSync(path.join(tmpdir(), 'isk-httpd-'));
const WWW = path.join(DIR, 'www');
const CGI = path.join(DIR, 'cgi');
const SECRET = path.join(DIR, 'secret');
const LOG = path.join(DIR, 'access.log');
const SOCK = path.join(DIR, 'api.sock');
const SILENT = path.join(DIR, 'silent.sock');
let silent: net.Server;
const logs: string[] = [];
let server: Server;
let port: number;
let upstream: http.Server;

function script(name: string, body: string): void {
  writeFileSync(path.join(CGI, name), `#!/bin/sh\n${body}\n`);
  chmodSync(path.join(CGI, name), 0o755);
}

function config(extra: string[] = []): Config {
  return applyArgs(defaults(), ['--listen', '127.0.0.1:0', '--root', WWW, '--cgi-bin', `/cgi-bin=${CGI}`, '--proxy', `/api=unix:${SOCK}`,
    '--proxy', `/silent=unix:${SILENT}`, '--proxy', `/gone=unix:${path.join(DIR, 'nothing.sock')}`, '--proxy-timeout', '1s',
    '--access-log', LOG, '--cgi-timeout', '1500ms', '--header-timeout', '1s', '--keepalive-timeout', '1s', '--io-timeout', '2s',
    '--max-body-bytes', '64k', ...extra]);
}

before(async () => {
  mkdirSync(WWW);
  mkdirSync(CGI);
  mkdirSync(SECRET);
  mkdirSync(path.join(WWW, 'sub'));
  mkdirSync(path.join(WWW, 'noindex'));
  writeFileSync(path.join(WWW, 'index.html'), '<h1>home</h1>\n');
  writeFileSync(path.join(WWW, 'sub', 'index.html'), 'sub index\n');
  writeFileSync(path.join(WWW, 'noindex', 'a.txt'), 'a\n');
  writeFileSync(path.join(WWW, 'hello.txt'), 'hello, world\n');
  writeFileSync(path.join(WWW, 'digits.txt'), '0123456789');
  writeFileSync(path.join(WWW, 'big.bin'), Buffer.alloc(600 * 1024, 7));
  writeFileSync(path.join(SECRET, 'passwd'), 'root:x:0:0\n');
  symlinkSync(SECRET, path.join(WWW, 'escape'));
  symlinkSync(path.join(SECRET, 'passwd'), path.join(WWW, 'passwd-link'));
  symlinkSync('hello.txt', path.join(WWW, 'inside-link'));
  utimesSync(path.join(WWW, 'hello.txt'), new Date('2024-01-02T03:04:05Z'), new Date('2024-01-02T03:04:05Z'));
  script('env', 'printf "Content-Type: text/plain\\r\\n\\r\\n"; env | sort');
  script('echo', 'printf "Content-Type: text/plain\\n\\n"; cat');
  script('status', 'printf "Status: 418 I am a teapot\\nContent-Type: text/plain\\nX-Custom: yes\\n\\nteapot\\n"');
  script('redirect-local', 'printf "Location: /hello.txt\\n\\n"');
  script('redirect-client', 'printf "Location: http://example.org/\\n\\n"');
  script('malformed', 'echo "this is not a header"');
  script('crash', 'printf "Content-Ty"; kill -SEGV $$');
  script('loop', 'sleep 30 & wait');
  script('slow-body', 'printf "Content-Type: text/plain\\n\\nstart\\n"; sleep 30');
  script('no-output', 'exit 3');
  script('slow', 'sleep 0.8; printf "Content-Type: text/plain\\n\\nslow done\\n"');
  writeFileSync(path.join(CGI, 'not-exec'), '#!/bin/sh\necho hi\n');
  upstream = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.setHeader('x-upstream', 'yes');
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
    });
  });
  await new Promise<void>((r) => upstream.listen(SOCK, r));
  silent = net.createServer(() => {}); // accepts, never answers
  await new Promise<void>((r) => silent.listen(SILENT, r));
  server = new Server(config(), { transport: nodeTransport, spawner: nodeSpawner, log: (sev, m) => logs.push(`${sev} ${m}`), cgiStderrFd: null });
  const [l] = await server.start();
  port = l!.port;
});

after(async () => {
  await server.stop(100);
  upstream.close();
  silent.close();
  rmSync(DIR, { recursive: true, force: true });
});

describe('static', () => {
  it('serves a file with validators and a MIME type', async () => {
    const r = await get(port, '/hello.txt');
    assert.equal(r.status, 200);
    assert.equal(r.body.toString(), 'hello, world\n');
    assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(r.headers['content-length'], '13');
    assert.equal(r.headers['last-modified'], 'Tue, 02 Jan 2024 03:04:05 GMT');
    assert.match(r.headers.etag!, /^"[0-9a-f]+-d"$/);
  });
  it('304 for If-None-Match and If-Modified-Since', async () => {
    const { headers } = await get(port, '/hello.txt');
    assert.equal((await get(port, '/hello.txt', `If-None-Match: ${headers.etag}\r\n`)).status, 304);
    assert.equal((await get(port, '/hello.txt', `If-Modified-Since: ${headers['last-modified']}\r\n`)).status, 304);
    assert.equal((await get(port, '/hello.txt', 'If-Modified-Since: Mon, 01 Jan 2024 00:00:00 GMT\r\n')).status, 200);
  });
  it('ranges: 206, multipart, 416', async () => {
    const r = await get(port, '/digits.txt', 'Range: bytes=2-4\r\n');
    assert.equal(r.status, 206);
    assert.equal(r.body.toString(), '234');
    assert.equal(r.headers['content-range'], 'bytes 2-4/10');
    const m = await get(port, '/digits.txt', 'Range: bytes=0-0,-2\r\n');
    assert.equal(m.status, 206);
    assert.match(m.headers['content-type']!, /^multipart\/byteranges; boundary=/);
    assert.match(m.body.toString(), /content-range: bytes 0-0\/10\r\n\r\n0\r\n[\s\S]*content-range: bytes 8-9\/10\r\n\r\n89\r\n/);
    const u = await get(port, '/digits.txt', 'Range: bytes=10-\r\n');
    assert.equal(u.status, 416);
    assert.equal(u.headers['content-range'], 'bytes */10');
  });
  it('HEAD sends the length and no body', async () => {
    const r = await request(port, 'HEAD /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', { head: true });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-length'], '13');
    const all = await raw(port, 'HEAD /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.ok(all.toString().endsWith('\r\n\r\n'), 'nothing after the head');
  });
  it('directories: redirect to slash, index file, 403 without listing', async () => {
    const r = await get(port, '/sub?x=1');
    assert.equal(r.status, 301);
    assert.equal(r.headers.location, '/sub/?x=1');
    assert.equal((await get(port, '/sub/')).body.toString(), 'sub index\n');
    assert.equal((await get(port, '/')).body.toString(), '<h1>home</h1>\n');
    assert.equal((await get(port, '/noindex/')).status, 403);
  });
  it('a big file streams whole', async () => {
    const r = await get(port, '/big.bin');
    assert.equal(r.status, 200);
    assert.equal(r.body.length, 600 * 1024);
    assert.ok(r.body.every((x) => x === 7));
  });
  it('no way out of the root', async () => {
    for (const p of ['/../secret/passwd', '/%2e%2e/secret/passwd', '/sub/..%2f..%2fsecret', '/a%00b', '/..\\secret']) {
      const r = await get(port, p);
      assert.equal(r.status, 400, p);
    }
    assert.equal((await get(port, '/escape/passwd')).status, 404);
    assert.equal((await get(port, '/passwd-link')).status, 404);
    assert.equal((await get(port, '/inside-link')).body.toString(), 'hello, world\n');
    assert.equal((await get(port, '/missing')).status, 404);
    assert.equal((await request(port, 'DELETE /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).status, 405);
  });
});

describe('cgi', () => {
  it('gets the RFC 3875 meta-variables', async () => {
    const r = await get(port, '/cgi-bin/env/extra/path?q=1%202', 'X-Test: yes\r\nCookie: c=1\r\n');
    assert.equal(r.status, 200);
    const env = Object.fromEntries(r.body.toString().trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    assert.equal(env.GATEWAY_INTERFACE, 'CGI/1.1');
    assert.equal(env.SCRIPT_NAME, '/cgi-bin/env');
    assert.equal(env.PATH_INFO, '/extra/path');
    assert.equal(env.PATH_TRANSLATED, `${WWW}/extra/path`);
    assert.equal(env.QUERY_STRING, 'q=1%202');
    assert.equal(env.REQUEST_METHOD, 'GET');
    assert.equal(env.SERVER_PROTOCOL, 'HTTP/1.1');
    assert.equal(env.SERVER_NAME, 'localhost');
    assert.equal(env.SERVER_PORT, String(port));
    assert.equal(env.REMOTE_ADDR, '127.0.0.1');
    assert.equal(env.HTTP_X_TEST, 'yes');
    assert.equal(env.HTTP_COOKIE, 'c=1');
    assert.match(env.SERVER_SOFTWARE!, /^isokernel-httpd\//);
  });
  it('POST body on stdin, Content-Length and chunked', async () => {
    const r = await request(port, 'POST /cgi-bin/echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world');
    assert.equal(r.body.toString(), 'hello world');
    const c = await request(port, 'POST /cgi-bin/echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n');
    assert.equal(c.body.toString(), 'hello world');
  });
  it('Status, other fields, local and client redirects', async () => {
    const s = await get(port, '/cgi-bin/status');
    assert.equal(s.status, 418);
    assert.match(s.raw, /^HTTP\/1\.1 418 I am a teapot\r\n/);
    assert.equal(s.headers['x-custom'], 'yes');
    assert.equal(s.body.toString(), 'teapot\n');
    const l = await get(port, '/cgi-bin/redirect-local');
    assert.equal(l.status, 200);
    assert.equal(l.body.toString(), 'hello, world\n');
    const c = await get(port, '/cgi-bin/redirect-client');
    assert.equal(c.status, 302);
    assert.equal(c.headers.location, 'http://example.org/');
  });
  it('malformed output, a crash and no output are 502; 404 and 403', async () => {
    assert.equal((await get(port, '/cgi-bin/malformed')).status, 502);
    assert.equal((await get(port, '/cgi-bin/crash')).status, 502);
    assert.ok(logs.some((l) => /CGI \/cgi-bin\/crash \(pid \d+\): killed by SIGSEGV/.test(l)), logs.join('\n'));
    assert.equal((await get(port, '/cgi-bin/no-output')).status, 502);
    assert.equal((await get(port, '/cgi-bin/nothing-here')).status, 404);
    assert.equal((await get(port, '/cgi-bin/not-exec')).status, 403);
  });
  it('a looping script is killed at its timeout: 504', async () => {
    const t0 = Date.now();
    const r = await get(port, '/cgi-bin/loop');
    assert.equal(r.status, 504);
    assert.ok(Date.now() - t0 < 10_000);
    const line = logs.find((l) => /CGI \/cgi-bin\/loop .*killed after 1500 ms/.test(l));
    assert.ok(line, logs.join('\n'));
    // The whole process group went: the script's background `sleep 30` too.
    const pid = Number(/pid (\d+)/.exec(line)![1]);
    const gone = (): boolean => {
      try {
        process.kill(-pid, 0);
        return false;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'ESRCH';
      }
    };
    // (Zombies count until the host's init reaps them: give it a moment.)
    for (let i = 0; i < 50 && !gone(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(gone(), `process group ${pid} still has members`);
  });
  it('a script that stalls after its headers is cut at the timeout', async () => {
    const buf = await raw(port, 'GET /cgi-bin/slow-body HTTP/1.1\r\nHost: x\r\n\r\n');
    const text = buf.toString();
    assert.match(text, /^HTTP\/1\.1 200 OK/);
    assert.match(text, /start\n/);
    assert.ok(!text.endsWith('0\r\n\r\n'), 'no chunked end: the client sees a cut body');
  });
});

describe('proxy', () => {
  it('forwards to a unix-socket service with X-Forwarded-For, drops hop-by-hop fields', async () => {
    const r = await request(port, 'POST /api/items?x=1 HTTP/1.1\r\nHost: front\r\nConnection: close, X-Hop\r\nX-Hop: 1\r\nContent-Length: 4\r\n\r\nbody');
    assert.equal(r.status, 200);
    assert.equal(r.headers['x-upstream'], 'yes');
    const j = JSON.parse(r.body.toString());
    assert.equal(j.method, 'POST');
    assert.equal(j.url, '/api/items?x=1');
    assert.equal(j.body, 'body');
    assert.equal(j.headers.host, 'front');
    assert.equal(j.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(j.headers['x-hop'], undefined);
  });
});

describe('proxy-errors', () => {
  it('502 when the upstream is not there, 504 when it does not answer', async () => {
    assert.equal((await get(port, '/gone/x')).status, 502);
    const t0 = Date.now();
    assert.equal((await get(port, '/silent/x')).status, 504);
    assert.ok(Date.now() - t0 < 10_000);
    assert.ok(logs.some((l) => /proxy \/silent → unix:.*no response within 1000 ms/.test(l)), logs.join('\n'));
  });
});

describe('connections', () => {
  it('keep-alive with pipelined requests', async () => {
    const buf = await raw(port, 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\nHEAD /digits.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /digits.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const all = parseResponses(buf, [false, true, false]);
    assert.deepEqual(all.map((r) => r.status), [200, 200, 200]);
    assert.equal(all[0]!.body.toString(), 'hello, world\n');
    assert.equal(all[2]!.body.toString(), '0123456789');
  });
  it('HTTP/1.0: a CGI body of unknown length is close-delimited; keep-alive on request', async () => {
    const buf = await raw(port, 'GET /cgi-bin/status HTTP/1.0\r\n\r\n');
    const text = buf.toString();
    assert.match(text, /^HTTP\/1\.1 418 /);
    assert.match(text, /\r\nconnection: close\r\n/);
    assert.ok(!/transfer-encoding/i.test(text));
    assert.ok(text.endsWith('\r\n\r\nteapot\n'));
    const ka = await raw(port, 'GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /digits.txt HTTP/1.0\r\n\r\n');
    const all = parseResponses(ka);
    assert.deepEqual(all.map((r) => r.headers.connection), ['keep-alive', 'close']);
    assert.equal(all[1]!.body.toString(), '0123456789');
  });
  it('Expect: 100-continue', async () => {
    const buf = await raw(port, ['POST /cgi-bin/echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\nConnection: close\r\n\r\n', 'ok'], { pauseMs: 200 });
    assert.match(buf.toString(), /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK/);
  });
  it('400 on a malformed request, 431 on oversized headers, 413 on an oversized body', async () => {
    assert.equal((await request(port, 'GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n')).status, 400);
    assert.equal((await request(port, 'GET / HTTP/1.1\r\n\r\n')).status, 400);
    assert.equal((await request(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`)).status, 431);
    assert.equal((await request(port, 'POST /cgi-bin/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n')).status, 413);
    const big = `${(40000).toString(16)}\r\n${'a'.repeat(40000)}\r\n`.repeat(2);
    assert.equal((await request(port, `POST /cgi-bin/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${big}`)).status, 413);
  });
  it('408 and close for a client that sends its head too slowly', async () => {
    const t0 = Date.now();
    const buf = await raw(port, ['GET / HTTP/1.1\r\n', 'Host: x\r\n', 'X: 1\r\n', 'Y: 2\r\n', 'Z: 3\r\n'], { pauseMs: 400 });
    assert.match(buf.toString(), /^HTTP\/1\.1 408 /);
    assert.ok(Date.now() - t0 < 5000);
  });
  it('an idle keep-alive connection is closed quietly', async () => {
    const buf = await raw(port, 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n');
    const all = parseResponses(buf);
    assert.equal(all.length, 1);
    assert.equal(all[0]!.status, 200);
  });
  it('--max-connections: one more connection gets 503', async () => {
    const small = new Server(applyArgs(defaults(), ['--listen', '127.0.0.1:0', '--root', WWW, '--max-connections', '1', '--keepalive-timeout', '2s']),
      { transport: nodeTransport, spawner: nodeSpawner, log: () => {}, cgiStderrFd: null });
    const p2 = (await small.start())[0]!.port;
    const first = net.connect({ port: p2, host: '127.0.0.1' });
    await new Promise((r) => first.once('connect', r));
    await new Promise((r) => setTimeout(r, 100));
    const r = await request(p2, 'GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.equal(r.status, 503);
    first.destroy();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await get(p2, '/hello.txt')).status, 200);
    await small.stop(100);
  });
  it('access log in combined format', async () => {
    await get(port, '/hello.txt', 'Referer: http://ref/\r\nUser-Agent: test-agent\r\n');
    await new Promise((r) => setTimeout(r, 400));
    const lines = readFileSync(LOG, 'utf8').trim().split('\n');
    const l = lines.findLast((x) => x.includes('test-agent'))!;
    assert.match(l, /^127\.0\.0\.1 - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET \/hello\.txt HTTP\/1\.1" 200 13 "http:\/\/ref\/" "test-agent"$/);
    assert.ok(lines.some((x) => / 408 /.test(x)));
  });
  it('reload swaps the configuration and keeps serving, in-flight requests finish', async () => {
    const before = await get(port, '/noindex/');
    assert.equal(before.status, 403);
    const inFlight = get(port, '/cgi-bin/slow');
    await new Promise((r) => setTimeout(r, 300));
    // The same --listen value: the listener (and its bound port) is kept across the reload.
    await server.reload(config(['--autoindex']));
    const r = await get(port, '/noindex/');
    assert.equal(r.status, 200);
    assert.match(r.body.toString(), /a\.txt/);
    const slow = await inFlight;
    assert.equal(slow.status, 200);
    assert.equal(slow.body.toString(), 'slow done\n');
  });
});
