// Receive buffers are bounded: a TCP socket whose guest does not read pauses its host socket
// once SO_RCVBUF bytes wait (the host's TCP window then holds the sender back), and resumes
// as the guest reads; nothing is lost. Driven through the socket itself (net/tcp.ts).
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { Kernel } from '../../src/kernel/kernel.ts';
import { AF, SOCK } from '../../src/kernel/net/addr.ts';
import type { Process } from '../../src/kernel/proc/process.ts';
import { WOULD_BLOCK } from '../../src/kernel/net/socket.ts';

const TOTAL = 64 * 1024 * 1024;

test('a guest that does not read holds the sender back; then everything arrives', async () => {
  let sender: net.Socket | null = null;
  const srv = net.createServer((c) => {
    sender = c;
    const chunk = Buffer.alloc(1 << 20, 1);
    let sent = 0;
    const pump = (): void => {
      while (sent < TOTAL) {
        sent += chunk.length;
        if (!c.write(chunk)) return void c.once('drain', pump);
      }
      c.end();
    };
    pump();
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  const k = await Kernel.boot({});
  try {
    const s = k.net.create(AF.INET, SOCK.STREAM, 0, 0);
    const p = null as unknown as Process;
    await s.connect(p, { family: 'inet', address: '127.0.0.1', port });
    assert.equal(s.opResult(), 0);
    await new Promise((r) => setTimeout(r, 700));
    // Not read: at most SO_RCVBUF (and one host chunk) waits in the kernel; the rest is the sender's problem.
    const queued = s.readReady();
    assert.ok(queued > 0 && queued <= s.opt.rcvbuf + 65536, `queued ${queued}`);
    assert.ok(sender !== null && (sender as net.Socket).writableLength > 0, 'the sender is held back');
    // Read it all.
    const buf = new Uint8Array(1 << 16);
    let got = 0;
    for (;;) {
      const r = s.recvfrom(buf, 0);
      if (r === WOULD_BLOCK) {
        await s.waitReadable();
        continue;
      }
      if (r.n === 0) break;
      got += r.n;
    }
    assert.equal(got, TOTAL);
    s.close();
  } finally {
    await k.shutdown();
    srv.close();
  }
});
