// httpd as it runs in an image: /sbin/httpd.ts, a JS process of a kernel booted here, on the
// kernel's sockets (a guest port bound on the host's 127.0.0.1), serving static files and
// the demo image's CGIs (wasm32-wasi C, #!/bin/sh) to real clients on the host. Bad input
// (issue 9 item 4): 400, 431, a slow client (408), a crashing CGI (502 and the kernel's
// fault record), a spinning CGI (killed at its timeout: 504), a short fuzz run with good
// requests in between; SIGHUP reload. Skipped, with the reason, when the kernel has no
// sockets for JS processes.
import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NODE_PROGRAM } from '../../src/kernel/jsproc/program.ts';
import { Kernel } from '../../src/kernel/kernel.ts';
import type { FaultRecord } from '../../src/kernel/proc/fault.ts';
import type { Process } from '../../src/kernel/proc/process.ts';
import { get, parseResponses, raw, request } from './helpers.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HERE = path.join(ROOT, 'tests/httpd');
const DEMO = path.join(ROOT, 'examples/demo-image');
const VAR = mkdtempSync(path.join(tmpdir(), 'isk-httpd-var-'));

let kernel: Kernel;
let httpd: Process;
let upstream: Process;
let port = 0;
let skip: string | false = false;
const faults: FaultRecord[] = [];
const onFault = (m: unknown): void => void faults.push(m as FaultRecord);

function mkdirs(k: Kernel, dir: string): void {
  let cur = k.ns.root;
  for (const name of dir.split('/').filter(Boolean)) {
    try {
      cur = k.ns.child(cur, name);
    } catch {
      cur = { mount: cur.mount, vnode: cur.vnode.mkdir(name, 0o755) };
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

const stderr = (): string => httpd.output(2).toString();

before(async () => {
  dc.subscribe('isokernel:proc:fault', onFault);
  kernel = await Kernel.boot({});
  for (const [at, host] of [['/sbin', path.join(ROOT, 'userland/sbin')], ['/app', DEMO], ['/t', path.join(HERE, 'bin')], ['/var', VAR]] as const) {
    mkdirs(kernel, at);
    kernel.mount(at, { type: 'hostfs', host, readOnly: at !== '/var' });
  }
  mkdirs(kernel, HERE);
  kernel.mount(HERE, { type: 'hostfs', host: HERE, readOnly: true });
  upstream = kernel.spawn({
    program: NODE_PROGRAM, args: ['node', path.join(HERE, 'fixtures/upstream.ts'), '/tmp/api.sock'], cwd: '/', env: [], stdio: ['null', 'capture', 'capture'],
  });
  port = await freePort();
  writeFileSync(path.join(VAR, 'httpd.conf'), '# more options, read again on SIGHUP\n');
  httpd = kernel.spawn({
    program: NODE_PROGRAM,
    args: ['node', '/sbin/httpd.ts', '--listen', `127.0.0.1:${port}`, '--root', '/app/www', '--cgi-bin', '/cgi-bin=/app/cgi-bin', '--cgi-bin', '/t=/t',
      '--proxy', '/api=unix:/tmp/api.sock', '--config', '/var/httpd.conf', '--access-log', '/var/access.log', '--cgi-timeout', '2s', '--header-timeout', '1s', '--keepalive-timeout', '1s', '--io-timeout', '2s'],
    cwd: '/', env: ['PATH=/bin:/usr/bin'], stdio: ['null', 'capture', 'capture'],
  });
  const t0 = Date.now();
  while (!httpd.output(1).toString().includes('httpd: ready')) {
    if (httpd.exitStatus) {
      if (/no socket calls|sockets/.test(stderr())) {
        skip = `the kernel has no sockets for JS processes yet (${stderr().trim().split('\n').find((l) => /^httpd: err: /.test(l))})`;
        return;
      }
      throw new Error(`httpd ended (${httpd.exitStatus.status}): ${stderr()}`);
    }
    if (Date.now() - t0 > 30_000) throw new Error(`httpd not ready: ${stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
});

after(async () => {
  dc.unsubscribe('isokernel:proc:fault', onFault);
  for (const p of [httpd, upstream]) {
    if (p && !p.exitStatus) {
      kernel.kill(p.pid, 9);
      await p.exited;
    }
  }
  rmSync(VAR, { recursive: true, force: true });
});

describe('kernel-server', () => {
  it('serves static files and the demo CGIs over the kernel\'s sockets', async (t) => {
    if (skip) return t.skip(skip);
    const idx = await get(port, '/');
    assert.equal(idx.status, 200);
    assert.match(idx.body.toString(), /isokernel demo image/);
    assert.equal((await get(port, '/index.html', `If-None-Match: ${idx.headers.etag}\r\n`)).status, 304);
    const form = 'name=Ada&message=a+b%26c';
    const post = await request(port, `POST /cgi-bin/form HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\n\r\n${form}`);
    assert.equal(post.status, 200, post.body.toString());
    assert.match(post.body.toString(), /<dd>a b&amp;c<\/dd>/);
    const sh = await get(port, '/cgi-bin/hello.sh?x=1');
    assert.equal(sh.status, 200);
    assert.match(sh.body.toString(), /Hello from \/bin\/sh/);
    assert.match(sh.body.toString(), /client=127\.0\.0\.1:\d+/);
    const sys = await get(port, '/cgi-bin/sysinfo?section=uname');
    assert.equal(sys.status, 200, sys.body.toString());
    assert.match(sys.body.toString(), /== uname/);
  });
  it('reverse proxy to a service on a Unix-domain socket of the image', async (t) => {
    if (skip) return t.skip(skip);
    for (let i = 0; i < 100 && !upstream.output(1).toString().includes('ready'); i++) await new Promise((r) => setTimeout(r, 50));
    const r = await request(port, 'POST /api/items?x=1 HTTP/1.1\r\nHost: front\r\nConnection: close\r\nContent-Length: 4\r\n\r\nbody');
    assert.equal(r.status, 200, r.body.toString() + upstream.output(2).toString());
    assert.equal(r.headers['x-upstream'], 'yes');
    const j = JSON.parse(r.body.toString()) as { line: string; fields: Record<string, string>; body: string };
    assert.equal(j.line, 'POST /api/items?x=1 HTTP/1.1');
    assert.equal(j.body, 'body');
    assert.equal(j.fields['x-forwarded-for'], '127.0.0.1');
    assert.equal(j.fields.host, 'front');
  });
  it('keep-alive: pipelined requests on one connection, CGI and static', async (t) => {
    if (skip) return t.skip(skip);
    const buf = await raw(port, 'GET /cgi-bin/hello HTTP/1.1\r\nHost: x\r\n\r\nGET /index.html HTTP/1.1\r\nHost: x\r\n\r\nGET /cgi-bin/hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const all = parseResponses(buf);
    assert.deepEqual(all.map((r) => r.status), [200, 200, 200]);
    assert.equal(all[0]!.body.toString(), 'hello\n');
  });
  it('400 on a malformed request, 431 on oversized headers', async (t) => {
    if (skip) return t.skip(skip);
    assert.equal((await request(port, 'GET / HTTP/1.1 junk\r\nHost: x\r\n\r\n')).status, 400);
    assert.equal((await request(port, 'GET / HTTP/1.1\nHost: x\n\n')).status, 400);
    assert.equal((await request(port, `GET / HTTP/1.1\r\nHost: x\r\nX: ${'y'.repeat(30000)}\r\n\r\n`)).status, 431);
  });
  it('408 and close for a slow client', async (t) => {
    if (skip) return t.skip(skip);
    const t0 = Date.now();
    const buf = await raw(port, ['GET / HTTP/1.1\r\n', 'Host: x\r\n', 'A: 1\r\n', 'B: 2\r\n', 'C: 3\r\n', 'D: 4\r\n'], { pauseMs: 400 });
    assert.match(buf.toString(), /^HTTP\/1\.1 408 /);
    assert.ok(Date.now() - t0 < 10_000);
  });
  it('a crashing CGI: 502 and a fault record', async (t) => {
    if (skip) return t.skip(skip);
    const r = await get(port, '/t/crash');
    assert.equal(r.status, 502);
    const line = stderr().split('\n').find((l) => /CGI \/t\/crash \(pid \d+\): killed by SIGSEGV/.test(l));
    assert.ok(line, stderr());
    const pid = Number(/pid (\d+)/.exec(line)![1]);
    assert.ok(faults.some((f) => f.pid === pid && f.signalName === 'SIGSEGV'), `no fault record for pid ${pid}`);
  });
  it('a spinning CGI is killed at its timeout: 504, and the server goes on', async (t) => {
    if (skip) return t.skip(skip);
    const t0 = Date.now();
    const r = await get(port, '/t/loop');
    assert.equal(r.status, 504);
    assert.ok(Date.now() - t0 >= 1900 && Date.now() - t0 < 15_000);
    assert.equal((await get(port, '/cgi-bin/hello')).body.toString(), 'hello\n');
  });
  it('fuzz: mutated requests for 3 s, good requests served in between', async (t) => {
    if (skip) return t.skip(skip);
    const base = ['GET / HTTP/1.1\r\nHost: x\r\n\r\n', 'POST /cgi-bin/form HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\na=b',
      'GET /cgi-bin/hello.sh/p?q HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'];
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const t0 = Date.now();
    let n = 0;
    while (Date.now() - t0 < 3000) {
      const cases = Array.from({ length: 8 }, () => {
        let s = base[rnd(base.length)]!;
        for (let i = 0; i < 3; i++) {
          const at = rnd(s.length);
          s = rnd(2) ? s.slice(0, at) + String.fromCharCode(rnd(256)) + s.slice(at + 1) : s.slice(0, at) + s.slice(at + 1 + rnd(5));
        }
        return s;
      });
      const outs = await Promise.all(cases.map((c) => raw(port, Buffer.from(c, 'latin1'), { timeoutMs: 15_000 })));
      for (const o of outs) {
        if (o.length) assert.match(o.toString('latin1'), /^HTTP\/1\.1 (?!500)\d{3} /);
        n++;
      }
      assert.equal((await get(port, '/cgi-bin/hello')).status, 200);
    }
    assert.ok(n >= 8);
    assert.ok(!stderr().includes('connection from'), stderr());
  });
  it('access log in combined format; SIGHUP reopens it and keeps serving', async (t) => {
    if (skip) return t.skip(skip);
    await get(port, '/index.html', 'User-Agent: kernel-test\r\n');
    await new Promise((r) => setTimeout(r, 500));
    const log = readFileSync(path.join(VAR, 'access.log'), 'utf8');
    assert.match(log, /^127\.0\.0\.1 - - \[[^\]]+\] "GET \/index\.html HTTP\/1\.1" 200 \d+ "-" "kernel-test"$/m);
    rmSync(path.join(VAR, 'access.log'));
    kernel.kill(httpd.pid, 1);
    for (let i = 0; i < 100 && !stderr().includes('reloaded'); i++) await new Promise((r) => setTimeout(r, 50));
    assert.match(stderr(), /reloaded/);
    await get(port, '/index.html', 'User-Agent: after-reload\r\n');
    await new Promise((r) => setTimeout(r, 500));
    assert.match(readFileSync(path.join(VAR, 'access.log'), 'utf8'), /after-reload/);
  });
});

describe('kernel-server-reload', () => {
  it('SIGHUP with a new listener in the --config file: it opens; removed again, it closes; the first one serves throughout', async (t) => {
    if (skip) return t.skip(skip);
    const port2 = await freePort();
    const reloads = (): number => stderr().split('reloaded').length - 1;
    const hup = async (): Promise<void> => {
      const n = reloads();
      kernel.kill(httpd.pid, 1);
      for (let i = 0; i < 100 && reloads() === n; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(reloads(), n + 1, stderr());
    };
    writeFileSync(path.join(VAR, 'httpd.conf'), `--listen 127.0.0.1:${port2}\n`);
    await hup();
    assert.equal((await get(port2, '/index.html')).status, 200);
    assert.equal((await get(port, '/index.html')).status, 200);
    writeFileSync(path.join(VAR, 'httpd.conf'), '# none\n');
    await hup();
    const r = await raw(port2, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', { timeoutMs: 5000 }).catch((e: Error) => Buffer.from(`error ${e.message}`));
    assert.ok(!r.toString().startsWith('HTTP/1.1 200'), `the removed listener still serves: ${r.toString().slice(0, 100)}`);
    assert.equal((await get(port, '/index.html')).status, 200);
  });
});
