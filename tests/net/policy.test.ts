// The network policy (net/stack.ts, net/policy.ts): egress rules and their refusals (EACCES
// and a record on isokernel:net:refused), the ports of the same kernel always reachable, and
// guest ports mapped to host ports (the manifest's network.listen; 'ephemeral' for the rest).
import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Kernel } from '../../src/kernel/kernel.ts';
import { openListener } from '../../src/kernel/net/listen.ts';
import { EgressPolicy } from '../../src/kernel/net/policy.ts';
import type { NetworkOptions } from '../../src/kernel/net/stack.ts';

const BIN = join(dirname(fileURLToPath(import.meta.url)), 'bin');

/** A host echo server on 127.0.0.1 (outside any kernel): its port. */
async function hostServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const s = net.createServer((c) => c.pipe(c));
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { port: (s.address() as net.AddressInfo).port, close: () => new Promise((r) => s.close(() => r())) };
}

async function run(k: Kernel, args: string[]): Promise<string> {
  const p = k.spawn({ program: join(BIN, 'connect_to.wasm'), args: ['connect_to', ...args], stdio: ['null', 'capture', 'capture'] });
  await p.exited;
  return p.output(1).toString() + p.output(2).toString();
}

test('egress rules: parsing and matching', () => {
  const p = new EgressPolicy(['127.0.0.1:80', '10.0.0.0/8:443', '[::1]:*', 'localhost:5000-5010', '*:53']);
  const a = (address: string, port: number) => ({ family: address.includes(':') ? 'inet6' as const : 'inet' as const, address, port });
  assert.equal(p.allows(a('127.0.0.1', 80)), true);
  assert.equal(p.allows(a('127.0.0.1', 81)), false);
  assert.equal(p.allows(a('10.200.3.4', 443)), true);
  assert.equal(p.allows(a('11.0.0.1', 443)), false);
  assert.equal(p.allows(a('::1', 9)), true);
  assert.equal(p.allows(a('127.0.0.5', 5005)), true);
  assert.equal(p.allows(a('::ffff:127.0.0.1', 80)), true);
  assert.equal(p.allows(a('8.8.8.8', 53)), true);
  assert.equal(new EgressPolicy([]).allows(a('127.0.0.1', 80)), false);
  assert.equal(new EgressPolicy('any').allows(a('1.2.3.4', 1)), true);
});

test('egress rules: DNS names resolve when the kernel boots', async (t) => {
  // The host's own name, as its resolver gives it (skipped where it does not resolve).
  const name = hostname();
  let want: { address: string; family: number } | null = null;
  try {
    want = await lookup(name);
  } catch { /* no answer */ }
  const p = new EgressPolicy([`${name}:8080`, 'no-such-host.invalid:80']);
  await p.ready;
  assert.ok(p.unresolved.includes('no-such-host.invalid'));
  if (!want) return t.skip(`${name} does not resolve here`);
  const fam = want.family === 6 ? 'inet6' as const : 'inet' as const;
  assert.equal(p.allows({ family: fam, address: want.address, port: 8080 }), true);
  assert.equal(p.allows({ family: fam, address: want.address, port: 8081 }), false);
  for (const bad of ['exa_mple.com:80', '127.0.0.1', '::1:80', '127.0.0.1:99999', '10.0.0.0/40:1', '[::1]80', 'host/8:1']) {
    assert.throws(() => new EgressPolicy([bad]), /egress rule/);
  }
});

test('default deny: EACCES and a record on isokernel:net:refused; allowed destinations connect', async () => {
  const srv = await hostServer();
  const records: unknown[] = [];
  const on = (r: unknown): void => void records.push(r);
  dc.subscribe('isokernel:net:refused', on);
  const k = await Kernel.boot({ network: { egress: [] } });
  try {
    assert.equal(await run(k, ['127.0.0.1', String(srv.port)]), 'connect: EACCES\n');
    assert.equal(records.length, 1);
    assert.deepEqual({ ...(records[0] as object), time: 0, policy: '' },
      { time: 0, pid: 1, program: 'connect_to', proto: 'tcp', address: '127.0.0.1', port: srv.port, policy: '' });
  } finally {
    dc.unsubscribe('isokernel:net:refused', on);
    await k.shutdown();
  }
  const k2 = await Kernel.boot({ network: { egress: [`127.0.0.1:${srv.port}`] } });
  try {
    assert.equal(await run(k2, ['127.0.0.1', String(srv.port), 'hi']), 'connected\nhi');
    assert.equal(await run(k2, ['127.0.0.1', String(srv.port + 1)]), 'connect: EACCES\n');
  } finally {
    await k2.shutdown();
    await srv.close();
  }
});

test('ports of the same kernel are reachable whatever the egress policy; guest ports map to host ports', async () => {
  // The guest port 80 is bound on the host at 127.0.0.1:HOSTPORT; other ports at ports the host picks.
  const probe = await hostServer();
  const hostPort = probe.port;
  await probe.close();
  const network: NetworkOptions = { egress: [], listen: [{ port: 80, host: '127.0.0.1', hostPort }], unlisted: 'ephemeral' };
  const k = await Kernel.boot({ network });
  try {
    const l80 = await openListener(k, { family: 'inet', address: '0.0.0.0', port: 80 });
    const l81 = await openListener(k, { family: 'inet', address: '0.0.0.0', port: 8081 });
    assert.deepEqual(l80.localAddr(), { family: 'inet', address: '0.0.0.0', port: 80 });
    assert.deepEqual(l81.localAddr(), { family: 'inet', address: '0.0.0.0', port: 8081 });
    // A guest reaches both at their guest ports (port 80 from the host is at hostPort).
    const server = k.spawn({ program: join(BIN, 'wasi_accept.wasm'), args: ['wasi_accept', '2'], env: ['LISTEN_FDS=2'], stdio: ['null', 'capture', 'capture'], sockets: [l80] });
    assert.equal(await run(k, ['127.0.0.1', '80', 'guest']), 'connected\necho: guest');
    const fromHost = await new Promise<string>((resolve, reject) => {
      const c = net.connect({ port: hostPort, host: '127.0.0.1' }, () => c.end('host'));
      let got = '';
      c.on('data', (d) => (got += d));
      c.on('end', () => resolve(got));
      c.on('error', reject);
    });
    assert.equal(fromHost, 'echo: host');
    await server.exited;
    l81.close();
  } finally {
    await k.shutdown();
  }
});
