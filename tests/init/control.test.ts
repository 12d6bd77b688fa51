// The control socket (src/image/control.ts, control-exec.ts): the socket's modes, another
// user refused, the ps, service and exec ops, flow control, bad requests, registered ops, a
// stale or busy socket. The commands that use it: cli.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ControlError, type ControlServer, registerControlOp, startControlServer } from '../../src/image/control.ts';
import { ControlClient, ControlClientError, type Frame } from '../../src/cli/control-client.ts';
import { boot, type Booted, manifest, ROOT, runHost, service, until } from './harness.ts';

const NODE = path.join(ROOT, 'node_modules/.bin/node');

const run = runHost;

let b: Booted;
let state: string;
let server: ControlServer;
let client: ControlClient;

before(async () => {
  state = path.join(mkdtempSync(path.join(tmpdir(), 'isk-ctl-')), 'state');
  b = await boot(manifest({ services: [service('a'), service('b', { dependsOn: ['a'] })] }));
  server = await startControlServer({ kernel: b.kernel, stateDir: state, init: b.channel });
  client = await ControlClient.connect(state);
  await until(async () => (await b.status('b')).state === 'running', 'b running', 30_000, b.log);
});
after(async () => {
  client?.close();
  await server?.close();
  await b?.stop();
  rmSync(path.dirname(state), { recursive: true, force: true });
});

/** exec through the client: [status, stdout, stderr, end frame]. */
async function exec(argv: string[], o: { input?: string; signalAfterMs?: number; tty?: boolean } = {}): Promise<[number, string, string, Frame]> {
  let out = '';
  let err = '';
  const { id, done } = client.stream('exec', { argv, ...(o.tty ? { tty: { rows: 30, cols: 100 } } : {}) }, (f) => {
    const s = Buffer.from(String(f.data), 'base64').toString();
    if (f.fd === 2) err += s;
    else out += s;
  });
  if (o.input !== undefined) client.send(id, { fd: 0, data: Buffer.from(o.input).toString('base64') });
  client.send(id, { fd: 0, eof: true });
  if (o.signalAfterMs !== undefined) setTimeout(() => client.send(id, { signal: 'SIGTERM' }), o.signalAfterMs);
  const end = await done;
  return [end.status as number, out, err, end];
}

describe('control socket: access', () => {
  it('is a socket of mode 0600 in a directory of mode 0700', () => {
    assert.equal(statSync(state).mode & 0o777, 0o700);
    const st = statSync(path.join(state, 'control.sock'));
    assert.ok(st.isSocket());
    assert.equal(st.mode & 0o777, 0o600);
  });

  it('refuses another user (nobody) at the filesystem', { skip: process.getuid?.() !== 0 && 'needs root to switch users' }, async () => {
    const sock = path.join(state, 'control.sock');
    const probe = `require('net').connect(${JSON.stringify(sock)}).on('connect', () => { console.log('CONNECTED'); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(3); })`;
    const r = await run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', NODE, '-e', probe]);
    assert.equal(r.out.trim(), 'EACCES', r.err);
    assert.equal(r.code, 3);
    // The same probe as root connects: the refusal is the user's.
    const ok = await run(NODE, ['-e', probe]);
    assert.equal(ok.out.trim(), 'CONNECTED');
  });

  it('refuses a second server on a live socket, replaces a stale one', async () => {
    await assert.rejects(startControlServer({ kernel: b.kernel, stateDir: state }), (e: ControlError) => e.code === 'ECONTROL_BUSY');
    const other = path.join(path.dirname(state), 'stale');
    const s1 = await startControlServer({ kernel: b.kernel, stateDir: other });
    // A kernel that died leaves its socket: simulate by a plain file of that name.
    await s1.close();
    writeFileSync(path.join(other, 'control.sock'), '');
    const s2 = await startControlServer({ kernel: b.kernel, stateDir: other });
    assert.ok(statSync(path.join(other, 'control.sock')).isSocket());
    await s2.close();
  });

  it('a client without a kernel gets a clear error', async () => {
    await assert.rejects(ControlClient.connect(path.join(path.dirname(state), 'none')), (e: ControlClientError) => e.code === 'ECONTROL_NOSOCK' && /no kernel is running/.test(e.message));
  });
});

describe('control socket: ops', () => {
  it('ps: the kernel process table', async () => {
    const r = await client.request('ps');
    assert.equal(r.ok, true);
    const procs = r.processes as { pid: number; ppid: number; uid: number; state: string; start: number; argv: string[]; cpuMs: number; memBytes: number }[];
    const init = procs.find((p) => p.pid === 1)!;
    assert.equal(init.argv[0], 'node');
    assert.match(init.argv[1]!, /^\/sbin\/init\.(mjs|ts)$/);
    assert.equal(init.uid, 0);
    assert.ok(Math.abs(init.start - Date.now()) < 600_000);
    const a = (await b.status('a')).pid!;
    const pa = procs.find((p) => p.pid === a)!;
    assert.equal(pa.ppid, 1);
    assert.match(pa.state, /^[RS]$/);
    assert.ok(pa.memBytes > 0);
  });

  it('service: forwarded to init', async () => {
    const r = await client.request('service', { action: 'status' });
    assert.equal(r.ok, true);
    assert.deepEqual((r.services as { name: string }[]).map((s) => s.name), ['a', 'b']);
    const bad = await client.request('service', { action: 'frobnicate' });
    assert.equal(bad.ok, false);
    assert.match(String(bad.error), /status, start, stop, restart or reload/);
    const none = await client.request('service', { action: 'stop', name: 'zzz' });
    assert.equal(none.ok, false);
    assert.match(String(none.error), /no service zzz/);
  });

  it('exec: stdout, stderr, stdin, status; missing programs; signals', async () => {
    assert.deepEqual((await exec(['echo', 'hello', 'world'])).slice(0, 3), [0, 'hello world\n', '']);
    assert.deepEqual((await exec(['sh', '-c', 'echo out; echo err >&2; exit 3'])).slice(0, 3), [3, 'out\n', 'err\n']);
    assert.deepEqual((await exec(['cat'], { input: 'through stdin\n' })).slice(0, 2), [0, 'through stdin\n']);
    const [st, , err] = await exec(['no-such-program']);
    assert.equal(st, 127);
    assert.match(err, /no-such-program: not found/);
    const [sst, , , end] = await exec(['sleep', '100'], { signalAfterMs: 300 });
    assert.equal(sst, 128 + 15);
    assert.equal(end.signal, 'SIGTERM');
    const [, tout, terr] = await exec(['sh', '-c', 'echo $COLUMNS x $LINES; echo e >&2'], { tty: true });
    assert.equal(tout, '100 x 30\r\ne\r\n', 'tty: one stream, through a kernel terminal (ONLCR)');
    assert.equal(terr, '');
  });

  it('bad requests get errors; registered ops are served', async () => {
    registerControlOp('test-echo', (req) => ({ echoed: req.value }));
    const r = await client.request('test-echo', { value: [1, 'two'] });
    assert.deepEqual([r.ok, r.echoed], [true, [1, 'two']]);
    registerControlOp('test-throw', () => {
      throw new Error('it broke');
    });
    const t = await client.request('test-throw');
    assert.deepEqual([t.ok, t.error], [false, 'it broke']);
    const u = await client.request('no-such-op');
    assert.equal(u.ok, false);
    assert.match(String(u.error), /unknown op "no-such-op"; ops: .*exec.*ps.*service/);
    const e = await client.request('exec', { argv: 'ls' });
    assert.match(String(e.error), /argv must be an array of strings/);
    // Raw lines: not JSON, no id.
    const net = await import('node:net');
    const s = net.connect(path.join(state, 'control.sock'));
    const lines: string[] = [];
    s.setEncoding('utf8');
    s.on('data', (d: string) => lines.push(...d.split('\n').filter(Boolean)));
    s.write('this is not json\n{"op":"ps"}\n');
    await until(() => lines.length >= 2, 'two errors');
    s.destroy();
    assert.match(lines[0]!, /"id":null,"ok":false,"error":"bad request/);
    assert.match(lines[1]!, /needs an \\"id\\"/);
  });
});

describe('control socket: exec output', () => {
  it('carries large output whole, at the client\'s pace', async () => {
    // 4 MiB through the pipe, the socket and base64 frames.
    const [st, out] = await exec(['sh', '-c', 'yes 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde | head -n 65536']);
    assert.equal(st, 0);
    assert.equal(out.length, 65536 * 64);
    assert.equal(out, '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n'.repeat(65536));
  });

  it('carries large input whole (the client is held back while the program reads)', async () => {
    const line = 'the quick brown fox jumps over the lazy dog, 0123456789 ABCDEFGHIJKLMNOPQRS\n';
    const input = line.repeat(65536); // 5 MiB
    const [st, out] = await exec(['sh', '-c', 'wc -c; echo done'], { input });
    assert.equal(st, 0);
    assert.match(out, new RegExp(`^ *${input.length}\n`));
  });

  it('ends a request whose program left something holding its output', async () => {
    const t0 = Date.now();
    const [st, out] = await exec(['sh', '-c', 'echo started; sleep 30 & exit 0']);
    assert.equal(st, 0);
    assert.equal(out, 'started\n');
    assert.ok(Date.now() - t0 < 20_000);
  });
});
