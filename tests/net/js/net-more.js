// node:net beyond the echo: Unix-domain paths, EADDRINUSE, allowHalfOpen, a large transfer
// with backpressure, setTimeout, destroy; the same output on the host and in isokernel.
const net = require('net');
const path = require('path');
const os = require('os');
const dir = process.env.WORK || os.tmpdir();
const sock = path.join(dir, `net-more-${process.pid}.sock`);

function step1(next) {
  const srv = net.createServer({ allowHalfOpen: true }, (c) => {
    let n = 0;
    c.on('data', (d) => (n += d.length));
    c.on('end', () => {
      // The client half-closed; we may still write.
      c.end(`got ${n} bytes`);
    });
  });
  srv.listen(sock, () => {
    console.log('unix address is the path:', srv.address() === sock);
    const c = net.connect(sock);
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    let reply = '';
    c.on('connect', () => {
      const ok = c.write(big);
      console.log('write returned', ok);
      c.end();
    });
    c.on('data', (d) => (reply += d));
    c.on('close', () => {
      console.log('reply:', reply);
      srv.close(() => {
        console.log('unix server closed; path removed:', !require('fs').existsSync(sock));
        next();
      });
    });
  });
}

function step2(next) {
  const a = net.createServer().listen(0, '127.0.0.1', () => {
    const port = a.address().port;
    const b = net.createServer();
    b.on('error', (e) => {
      console.log('second listen:', e.code, e.syscall, e.message.replace(String(port), 'PORT'));
      a.close(next);
    });
    b.listen(port, '127.0.0.1');
  });
}

function step3(next) {
  const srv = net.createServer((c) => {
    c.setTimeout(50, () => {
      console.log('server: idle timeout');
      c.destroy();
    });
  }).listen(0, '127.0.0.1', () => {
    const c = net.connect({ port: srv.address().port, host: '127.0.0.1' });
    c.on('end', () => console.log('client: end after the server destroyed'));
    c.on('close', () => srv.close(next));
  });
}

function step4() {
  const c = net.connect({ port: 80, host: 'no-such-host.invalid' });
  c.on('error', (e) => console.log('lookup:', e.code, e.syscall));
  c.on('close', () => console.log('done'));
}

step1(() => step2(() => step3(step4)));
