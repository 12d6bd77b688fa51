// The control socket's exec with a tty (src/image/control-exec-tty.ts): the program runs on
// a kernel terminal whose master is the request's frames — isatty and the client's size,
// typed input through the line discipline, stdin EOF as ^D, resize frames as SIGWINCH, ^C.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ControlClient, type Frame } from '../../src/cli/control-client.ts';
import { type ControlServer, startControlServer } from '../../src/image/control.ts';
import { Kernel } from '../../src/kernel/kernel.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
let kernel: Kernel;
let server: ControlServer;
let client: ControlClient;
let state: string;

before(async () => {
  kernel = await Kernel.boot({});
  kernel.mount('/tmp', { type: 'hostfs', host: path.join(here, 'bin'), readOnly: true });
  state = path.join(mkdtempSync(path.join(tmpdir(), 'isk-tty-')), 'state');
  server = await startControlServer({ kernel, stateDir: state, init: null });
  client = await ControlClient.connect(state);
});
after(async () => {
  client?.close();
  await server?.close();
  await kernel?.shutdown();
  rmSync(path.dirname(state), { recursive: true, force: true });
});

/** Runs argv on a 30x100 terminal; `steps` get the output so far and the request's id. */
async function execTty(argv: string[], steps: (until: (re: RegExp) => Promise<void>, id: number) => Promise<void>): Promise<[string, Frame]> {
  let out = '';
  let wake: (() => void) | null = null;
  const { id, done } = client.stream('exec', { argv, tty: { rows: 30, cols: 100 } }, (f) => {
    if (typeof f.data === 'string') out += Buffer.from(f.data, 'base64').toString('latin1');
    wake?.();
  });
  const until = async (re: RegExp): Promise<void> => {
    const end = Date.now() + 20000;
    while (!re.test(out)) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${re} in ${JSON.stringify(out)}`);
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 200);
      });
    }
  };
  await steps(until, id);
  const end = await done;
  return [out, end];
}

test('exec --tty: the program is on a terminal of the client\'s size', async () => {
  const [out, end] = await execTty(['/tmp/ttytest.wasm', 'info'], async () => {});
  assert.equal(end.status, 0);
  assert.match(out, /^isatty=111 ttyname=pts icanon=1 echo=1 isig=1 onlcr=1 vmin=1 veof=4 size=30x100 fg=1 sid=1 /);
  assert.match(out, /devtty=1/);
});

test('exec --tty: typed input is edited and echoed; stdin EOF is ^D', async () => {
  const [out, end] = await execTty(['/tmp/ttytest.wasm', 'line'], async (until, id) => {
    await until(/ready/);
    client.send(id, { fd: 0, data: Buffer.from('abx\x7fc\r').toString('base64') });
    await until(/\[4:abc\]/);
    client.send(id, { fd: 0, eof: true });
  });
  assert.equal(end.status, 0);
  assert.equal(out, 'ready\r\nabx\b \bc\r\n[4:abc]\r\n[0:]\r\n');
});

test('exec --tty: a resize frame is SIGWINCH; ^C typed is SIGINT', async () => {
  const [out] = await execTty(['/tmp/ttytest.wasm', 'winch'], async (until, id) => {
    await until(/waiting/);
    client.send(id, { resize: { rows: 44, cols: 133 } });
  });
  assert.match(out, /winch 44x133/);
  const [out2, end2] = await execTty(['/tmp/ttytest.wasm', 'sigint'], async (until, id) => {
    await until(/waiting/);
    // again until the read reports (a ^C before the program reached its read was handled then)
    const again = setInterval(() => client.send(id, { fd: 0, data: Buffer.from('\x03').toString('base64') }), 1000);
    client.send(id, { fd: 0, data: Buffer.from('\x03').toString('base64') });
    await until(/read: /).finally(() => clearInterval(again));
  });
  assert.match(out2, /\^Cread: EINTR, signal 2/);
  assert.equal(end2.status, 0);
});

test('exec --tty: input larger than the terminal\'s queue arrives whole, in order', async () => {
  const text = Array.from({ length: 400 }, (_, i) => `${String(i).padStart(4, '0')} ${'y'.repeat(94)}\n`).join(''); // 40,000 bytes
  const [out, end] = await execTty(['wc', '-lc'], async (until, id) => {
    client.send(id, { fd: 0, data: Buffer.from(text).toString('base64') });
    await until(/0399 y+\r\n/); // the echo of the last line
    client.send(id, { fd: 0, eof: true });
  });
  assert.equal(end.status, 0, out.slice(-500));
  assert.match(out, /\s400\s+40000\r\n$/);
});
