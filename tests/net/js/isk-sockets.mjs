// The isokernel module's sockets (kernel only): sync and promise forms, a server that accepts
// in a loop while serving, UDP and Unix datagrams, options, errors.
import isk from 'isokernel';

const ls = isk.socket('inet', 'stream');
isk.setsockopt(ls, 'reuseaddr', true);
isk.bind(ls, { address: '127.0.0.1', port: 0 });
isk.listen(ls, 16);
const { port } = isk.getsockname(ls);
console.log('acceptconn', isk.getsockopt(ls, 'acceptconn'));

// A server that accepts in a loop and serves each connection concurrently.
let served = 0;
const serving = (async () => {
  const conns = [];
  for (let i = 0; i < 5; i++) {
    const { fd } = await isk.promises.accept(ls);
    conns.push((async () => {
      let all = '';
      for (;;) {
        const b = await isk.promises.recv(fd, 4096);
        if (b.length === 0) break;
        all += Buffer.from(b).toString();
      }
      await isk.promises.send(fd, all.toUpperCase());
      isk.close(fd);
      served++;
    })());
  }
  await Promise.all(conns);
})();
const clients = [];
for (let i = 0; i < 5; i++) {
  clients.push((async () => {
    const c = isk.socket('inet');
    await isk.promises.connect(c, { address: '127.0.0.1', port });
    await isk.promises.send(c, `client ${i}`);
    isk.shutdown(c, 'write');
    let r = '';
    for (;;) {
      const b = await isk.promises.recv(c);
      if (b.length === 0) break;
      r += Buffer.from(b).toString();
    }
    isk.close(c);
    return r;
  })());
}
console.log((await Promise.all(clients)).join(','));
await serving;
console.log('served', served);

// UDP.
const u = isk.socket('inet', 'dgram');
isk.bind(u, { address: '127.0.0.1', port: 0 });
const up = isk.getsockname(u).port;
const v = isk.socket('inet', 'dgram');
isk.sendto(v, 'datagram', { address: '127.0.0.1', port: up });
const got = await isk.promises.recvfrom(u);
console.log('udp', Buffer.from(got.data).toString(), got.addr.family, got.addr.address);
// A non-blocking socket's first datagrams go though it is not bound yet (Linux autobinds).
const nb = isk.socket('inet', 'dgram', { nonblock: true });
isk.sendto(nb, 'one', { address: '127.0.0.1', port: up });
isk.sendto(nb, 'two', { address: '127.0.0.1', port: up });
isk.close(nb);
console.log('udp nonblock', Buffer.from(isk.recv(u)).toString(), Buffer.from(isk.recv(u)).toString());

// Unix datagrams and stream pairs.
const path = `/tmp/isk-${isk.getpid()}.sock`;
const d = isk.socket('unix', 'dgram');
isk.bind(d, { path });
const e = isk.socket('unix', 'dgram');
isk.sendto(e, 'to a path', { path });
console.log('unix dgram', Buffer.from(isk.recv(d)).toString(), isk.stat(path).type);
isk.unlink(path);
const [a, b] = isk.socketpair('stream');
isk.send(a, 'pair');
console.log('pair', Buffer.from(isk.recv(b)).toString());

// Options and errors.
isk.setsockopt(b, 'rcvtimeo', 30);
console.log('rcvtimeo', isk.getsockopt(b, 'rcvtimeo'));
try { isk.recv(b); } catch (err) { console.log('timeout', err.code); }
try { isk.recv(b, 10, { dontwait: true }); } catch (err) { console.log('dontwait', err.code); }
try { isk.listen(u); } catch (err) { console.log('listen dgram', err.code); }
try { isk.bind(isk.socket('inet'), { address: '::1', port: 0 }); } catch (err) { console.log('family', err.code); }
try { isk.setsockopt(a, 'nosuch', 1); } catch (err) { console.log('option', err.code); }
isk.close(a);
console.log('eof', isk.recv(b).length);
isk.close(ls);
