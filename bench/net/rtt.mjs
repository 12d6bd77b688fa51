// The JS side of the socket benchmark (bench/net.ts): `node rtt.mjs N SIZE` — a server (this
// process: promise-form accept/recv/send, as a JS server would) and a client it spawns
// (synchronous send/recv); prints "rtt_us X" (mean round trip, from the client) and
// "node_net_rtt_us X" (the same through node:net on both sides).
import isk from 'isokernel';
import net from 'node:net';

const [mode, a1, a2, a3] = process.argv.slice(2);
if (mode === 'client') {
  const [port, n, size] = [Number(a1), Number(a2), Number(a3)];
  const fd = isk.socket('inet', 'stream');
  isk.connect(fd, { address: '127.0.0.1', port });
  isk.setsockopt(fd, 'nodelay', true);
  const buf = new Uint8Array(size);
  const round = () => {
    isk.send(fd, buf);
    let got = 0;
    while (got < size) got += isk.recv(fd, size - got).length;
  };
  for (let i = 0; i < n / 10; i++) round();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) round();
  console.log(`rtt_us ${(Number(process.hrtime.bigint() - t0) / 1000 / n).toFixed(2)}`);
  isk.close(fd);
} else {
  const [n, size] = [Number(a1 ?? 2000), Number(a2 ?? 64)];
  const ls = isk.socket('inet', 'stream');
  isk.bind(ls, { address: '127.0.0.1', port: 0 });
  isk.listen(ls);
  const { port } = isk.getsockname(ls);
  const me = new URL(import.meta.url).pathname;
  const pid = isk.spawn('/usr/local/bin/node', ['node', me, 'client', String(port), String(n), String(size)], { fds: {} });
  const { fd } = await isk.promises.accept(ls);
  isk.setsockopt(fd, 'nodelay', true);
  for (;;) {
    const b = await isk.promises.recv(fd, 65536);
    if (b.length === 0) break;
    await isk.promises.send(fd, b);
  }
  isk.close(fd);
  await isk.promises.wait(pid);
  // node:net on both sides, in this process.
  const srv = net.createServer((c) => { c.setNoDelay(true); c.on('data', (d) => c.write(d)); });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const c = net.connect(srv.address().port, '127.0.0.1');
  c.setNoDelay(true);
  await new Promise((r) => c.on('connect', r));
  const buf = Buffer.alloc(size);
  const m = Math.max(200, n >> 2);
  let done = 0, want = size;
  const t0 = process.hrtime.bigint();
  await new Promise((resolve) => {
    c.on('data', (d) => {
      want -= d.length;
      if (want > 0) return;
      if (++done === m) return resolve();
      want = size;
      c.write(buf);
    });
    c.write(buf);
  });
  console.log(`node_net_rtt_us ${(Number(process.hrtime.bigint() - t0) / 1000 / m).toFixed(2)}`);
  c.destroy();
  srv.close();
}
