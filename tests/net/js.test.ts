// Sockets from JS processes: node:net programs give the same output on the host and in
// isokernel (tests/net/js/*.js, as tests/jsproc compares its programs), and the isokernel
// module's socket API (tests/net/js/isk-sockets.mjs) gives what it should.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NODE_PROGRAM } from '../../src/kernel/jsproc/program.ts';
import { Kernel } from '../../src/kernel/kernel.ts';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'js');
const NODE = process.execPath;
let kernel: Kernel;
/** The same, with TCP between its own sockets through the host's loopback (net/stack.ts, loopbackViaHost). */
let viaHost: Kernel;

async function boot(loopbackViaHost: boolean): Promise<Kernel> {
  const kernel = await Kernel.boot({ network: { loopbackViaHost } });
  let cur = kernel.ns.root;
  for (const name of path.dirname(DIR).split('/').filter(Boolean)) {
    try {
      cur = kernel.ns.child(cur, name);
    } catch {
      cur = { mount: cur.mount, vnode: cur.vnode.mkdir(name, 0o755) };
    }
  }
  kernel.mount(DIR, { type: 'hostfs', host: DIR, readOnly: true });
  return kernel;
}

before(async () => {
  kernel = await boot(false);
  viaHost = await boot(true);
});
after(async () => {
  await kernel.shutdown();
  await viaHost.shutdown();
});

async function inKernel(file: string, k = kernel): Promise<{ out: string; status: number }> {
  const p = k.spawn({
    program: NODE_PROGRAM, args: ['node', file], cwd: DIR, env: ['PATH=/bin', 'WORK=/tmp'], stdio: ['null', 'capture', 'capture'],
  });
  const timer = setTimeout(() => k.kill(p.pid, 9), 30_000);
  const st = await p.exited;
  clearTimeout(timer);
  return { out: p.output(1).toString() + p.output(2).toString(), status: st.status };
}

function onHost(file: string): Promise<{ out: string; status: number }> {
  return new Promise((resolve) => {
    execFile(NODE, [path.join(DIR, file)], { cwd: DIR, timeout: 30_000, env: { ...process.env, WORK: '/tmp' } }, (err, out, errOut) => {
      resolve({ out: out + errOut, status: err ? (typeof err.code === 'number' ? err.code : 1) : 0 });
    });
  });
}

for (const file of ['net-echo.js', 'net-more.js', 'http.js']) {
  test(`${file}: the same on the host and in isokernel`, async () => {
    const [h, k, kh] = [await onHost(file), await inKernel(file), await inKernel(file, viaHost)];
    assert.equal(k.out, h.out);
    assert.equal(k.status, h.status);
    assert.equal(h.status, 0);
    assert.equal(kh.out, h.out, 'with TCP through the host');
    assert.equal(kh.status, 0);
  });
}

test('the isokernel module: sockets, sync and promise forms', async () => {
  const r = await inKernel('isk-sockets.mjs');
  assert.equal(r.out, [
    'acceptconn true', 'CLIENT 0,CLIENT 1,CLIENT 2,CLIENT 3,CLIENT 4', 'served 5', 'udp datagram inet 127.0.0.1', 'udp nonblock one two',
    'unix dgram to a path socket', 'pair pair', 'rcvtimeo 30', 'timeout EAGAIN', 'dontwait EAGAIN', 'listen dgram ENOTSUP',
    'family EAFNOSUPPORT', 'option ERR_INVALID_ARG_VALUE', 'eof 0', '',
  ].join('\n'));
  assert.equal(r.status, 0);
});
