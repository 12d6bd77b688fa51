// The demo image end to end (issue 9 item 3): examples/demo-image booted as an image
// (src/image/boot.ts: init, syslogd, the services of its manifest), its web service —
// /sbin/httpd.ts — answering real clients on the host: the static page, the C form handler
// (POST, wasm32-wasi), the C program calling a shell script through popen, the #!/bin/sh
// script; the access log on the image's persistent /var. The image is copied with its
// port 8080 changed to a free one, so the test does not depend on 8080 being free.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { get, request } from './helpers.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WORK = mkdtempSync(path.join(tmpdir(), 'isk-httpd-demo-'));
const IMAGE = path.join(WORK, 'image');
const STATE = path.join(WORK, 'state');
let port = 0;
let booted: { shutdown(sig?: number): Promise<unknown>; ready: Promise<unknown> } | null = null;
let skip: string | false = false;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

before(async () => {
  if (!existsSync(path.join(ROOT, 'src/image/boot.ts'))) {
    skip = 'no src/image/boot.ts';
    return;
  }
  cpSync(path.join(ROOT, 'examples/demo-image'), IMAGE, { recursive: true });
  port = await freePort();
  const toml = path.join(IMAGE, 'isokernel.toml');
  writeFileSync(toml, readFileSync(toml, 'utf8').replaceAll('8080', String(port)));
  const { bootImage } = await import('../../src/image/boot.ts');
  booted = await bootImage({ image: IMAGE, stateDir: STATE, stdio: ['null', 'null'], control: false });
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([booted.ready, new Promise((_, rej) => (timer = setTimeout(() => rej(new Error('the image was not ready in 60 s')), 60_000)))]);
  clearTimeout(timer);
});

after(async () => {
  await booted?.shutdown();
  rmSync(WORK, { recursive: true, force: true });
});

it('the demo image serves its page and its three CGIs', { timeout: 120_000 }, async (t) => {
  if (skip) return t.skip(skip);
  const home = await get(port, '/');
  assert.equal(home.status, 200);
  assert.match(home.body.toString(), /isokernel demo image/);
  const form = 'name=Grace+Hopper&message=%3Ccobol%3E';
  const post = await request(port, `POST /cgi-bin/form HTTP/1.1\r\nHost: demo\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\n\r\n${form}`);
  assert.equal(post.status, 200, post.body.toString());
  assert.match(post.body.toString(), /<dt>name<\/dt><dd>Grace Hopper<\/dd>\n<dt>message<\/dt><dd>&lt;cobol&gt;<\/dd>/);
  const sys = await get(port, '/cgi-bin/sysinfo');
  assert.equal(sys.status, 200, sys.body.toString());
  assert.match(sys.body.toString(), /== uname\n[\s\S]*== uptime\n[\s\S]*== disk\n/);
  const sh = await get(port, '/cgi-bin/hello.sh?a=1&b=2');
  assert.equal(sh.status, 200);
  assert.match(sh.body.toString(), /query fields:\n {2}a=1\n {2}b=2\n/);
  // The access log is on the persistent /var (STATE/var), written soon after (through
  // syslogd, which may take a moment on a loaded machine).
  const file = path.join(STATE, 'var/log/httpd-access.log');
  let log = '';
  for (let i = 0; i < 100 && !/hello\.sh/.test(log); i++) {
    await new Promise((r) => setTimeout(r, 100));
    log = existsSync(file) ? readFileSync(file, 'utf8') : '';
  }
  assert.match(log, /"POST \/cgi-bin\/form HTTP\/1\.1" 200 \d+ "-" "-"/);
  assert.match(log, /"GET \/cgi-bin\/hello\.sh\?a=1&b=2 HTTP\/1\.1" 200 /);
});
