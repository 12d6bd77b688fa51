// The socket test programs (tests/net/src/*.c, built by tests/net/build.sh) in a kernel:
// each checks itself and prints "NAME: ok" (tests/net/native-check.sh runs the same programs
// on Linux). Then a plain WASI program serving a listener the host preopened (--listen),
// with the host as its client; and `isokernel run --listen/--egress` from the command line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Kernel } from '../../src/kernel/kernel.ts';
import { openListener } from '../../src/kernel/net/listen.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const BIN = join(HERE, 'bin');
const ROOT = join(HERE, '..', '..');

async function runProgram(args: string[], viaHost = false, timeoutMs = 40_000): Promise<{ status: number; out: string }> {
  const k = await Kernel.boot({
    mounts: [{ path: '/t', fs: { type: 'hostfs', host: BIN, readOnly: true } }], network: { loopbackViaHost: viaHost },
  });
  try {
    const p = k.spawn({ program: join(BIN, args[0]!), args: [`/t/${args[0]}`, ...args.slice(1)], stdio: ['null', 'capture', 'capture'] });
    const timer = setTimeout(() => k.kill(p.pid, 9), timeoutMs);
    const st = await p.exited;
    clearTimeout(timer);
    return { status: st.status, out: p.output(1).toString() + p.output(2).toString() };
  } finally {
    await k.shutdown();
  }
}

for (const [prog, ...args] of [
  ['tcp_echo.wasm', '4'], ['tcp_echo.wasm', '6'], ['udp_echo.wasm', '4'], ['udp_echo.wasm', '6'],
  ['unix_echo.wasm'], ['nonblock.wasm'], ['errors.wasm'], ['isk_hostile.wasm'],
] as string[][]) {
  test(`${prog} ${args.join(' ')}`, async () => {
    const r = await runProgram([prog!, ...args]);
    assert.equal(r.out, `${prog!.replace('.wasm', '')}${args.length ? ' ' + args.join(' ') : ''}: ok\n`);
    assert.equal(r.status, 0);
  });
}

// The same TCP programs with their connections through the host's loopback (net/tcp.ts's
// host path) instead of joined inside the kernel.
for (const [prog, ...args] of [['tcp_echo.wasm', '4'], ['tcp_echo.wasm', '6'], ['nonblock.wasm'], ['errors.wasm']] as string[][]) {
  test(`${prog} ${args.join(' ')} (TCP through the host)`, async () => {
    const r = await runProgram([prog!, ...args], true);
    assert.equal(r.out, `${prog!.replace('.wasm', '')}${args.length ? ' ' + args.join(' ') : ''}: ok\n`);
    assert.equal(r.status, 0);
  });
}

/** Sends `msg` to port, half-closes, and returns all the reply. */
function exchange(port: number, msg: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect({ port, host: '127.0.0.1' }, () => c.end(msg));
    let got = '';
    c.setEncoding('utf8');
    c.on('data', (d) => (got += d));
    c.on('end', () => resolve(got));
    c.on('error', reject);
  });
}

test('a plain WASI program accepts on a preopened listener (sock_accept, sock_recv, sock_send)', async () => {
  const k = await Kernel.boot({});
  try {
    const l = await openListener(k, { family: 'inet', address: '127.0.0.1', port: 0 });
    const port = (l.localAddr() as { port: number }).port;
    assert.ok(port > 0);
    const p = k.spawn({
      program: join(BIN, 'wasi_accept.wasm'), args: ['wasi_accept', '3'], env: ['LISTEN_FDS=1'],
      stdio: ['null', 'capture', 'capture'], sockets: [l],
    });
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await exchange(port, `hello ${i}`));
    assert.deepEqual(replies, ['echo: hello 0', 'echo: hello 1', 'echo: hello 2']);
    const st = await p.exited;
    assert.equal(p.output(1).toString() + p.output(2).toString(), 'served 3\n');
    assert.equal(st.status, 0);
  } finally {
    await k.shutdown();
  }
});

test('isokernel run --listen: a listener as fd 3; --egress refuses what it does not allow', async () => {
  const cli = join(ROOT, 'bin', 'isokernel');
  // Find a free port, then let the CLI bind it.
  const probe = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => probe.once('listening', r));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((r) => probe.close(r));
  const { spawn } = await import('node:child_process');
  const child = spawn(cli, ['run', '--listen', `127.0.0.1:${port}`, join(BIN, 'wasi_accept.wasm'), '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  let reply = '';
  for (let i = 0; i < 100; i++) {
    try {
      reply = await exchange(port, 'from the host');
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const code = await new Promise((r) => child.on('exit', r));
  assert.equal(reply, 'echo: from the host');
  assert.equal(out, 'served 1\n');
  assert.equal(code, 0);

  // errors.wasm connects to 127.0.0.1 ports: with an egress rule for another port only, it fails.
  const r = spawnSync(cli, ['run', '--egress', '10.0.0.1:443', '--dir', `${BIN}::/t`, '/t/tcp_echo.wasm', '4'], { encoding: 'utf8', timeout: 30_000 });
  // The echo server's own listener is always reachable (a port of this kernel): the test still passes.
  assert.equal(r.stdout, 'tcp_echo 4: ok\n');
  const bad = spawnSync(cli, ['run', '--egress', 'exa_mple.com:80', join(BIN, 'errors.wasm')], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /egress rule "exa_mple.com:80": "exa_mple.com" is not an address, a CIDR, localhost or a DNS name/);
});
