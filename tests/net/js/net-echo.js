// A TCP echo over node:net: server and client in one program; the same output on the host and in isokernel.
const net = require('net');
const server = net.createServer((c) => {
  // (Logged at the end: whether the client sees 'connect' before the server sees the connection is a race.)
  const from = `${c.remoteFamily} ${typeof c.remotePort}`;
  c.on('data', (d) => c.write('echo:' + d));
  c.on('end', () => { console.log('server: end of a connection from', from); c.end(); });
  c.on('close', (hadError) => console.log('server: close', hadError));
});
server.on('listening', () => console.log('listening'));
server.listen(0, '127.0.0.1', () => {
  const { port, family, address } = server.address();
  console.log('address', family, address, port > 0);
  const c = net.connect(port, '127.0.0.1', () => {
    console.log('client: connect', c.remoteAddress, c.remotePort === port);
    c.setNoDelay(true);
    c.write('hello');
  });
  let got = '';
  c.on('data', (d) => { got += d; if (got === 'echo:hello') c.end(); });
  c.on('end', () => console.log('client: end', got));
  c.on('close', (hadError) => {
    console.log('client: close', hadError);
    server.close(() => console.log('server closed'));
    const bad = net.connect(1, '127.0.0.1');
    bad.on('error', (e) => console.log('error', e.code, e.syscall, e.address, e.port, e.message));
    bad.on('close', (h) => console.log('bad close', h));
  });
});
