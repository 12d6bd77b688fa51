// node:http server and client in one program: GET, POST with a body (chunked and with a
// length), keep-alive requests on one connection, HEAD, 404, headers; the same output on the
// host and in isokernel.
const http = require('http');
const net = require('net');

const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    if (req.url === '/missing') {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('not here\n');
    }
    res.setHeader('X-Method', req.method);
    res.setHeader('Set-Cookie', ['a=1', 'b=2']);
    if (req.url === '/stream') {
      res.write('part 1,');
      setTimeout(() => res.end(' part 2'), 10);
      return;
    }
    res.end(`${req.method} ${req.url} v${req.httpVersion} ua=${req.headers['user-agent']} body=${body}`);
  });
});

function get(path, opts = {}) {
  return new Promise((resolve, reject) => {
    const r = http.request({ port: server.address().port, host: '127.0.0.1', path, headers: { 'User-Agent': 'isk-test' }, ...opts }, (res) => {
      let b = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (b += d));
      res.on('end', () => resolve({ status: res.statusCode, msg: res.statusMessage, headers: res.headers, body: b }));
    });
    r.on('error', reject);
    if (opts.body !== undefined) r.write(opts.body);
    r.end();
  });
}

function raw(text) {
  return new Promise((resolve) => {
    const c = net.connect(server.address().port, '127.0.0.1', () => c.end(text));
    let b = '';
    c.on('data', (d) => (b += d));
    c.on('close', () => resolve(b.replace(/Date: [^\r]+\r\n/g, '')));
  });
}

server.listen(0, '127.0.0.1', async () => {
  let r = await get('/hello?x=1');
  console.log(r.status, r.msg, r.body, r.headers['x-method'], r.headers['set-cookie'], r.headers['content-length']);
  r = await get('/post', { method: 'POST', body: 'a=1&b=2' });
  console.log(r.status, r.body, r.headers['transfer-encoding']);
  r = await get('/post', { method: 'PUT', body: 'sized', headers: { 'Content-Length': '5', 'User-Agent': 'x' } });
  console.log(r.status, r.body);
  r = await get('/stream');
  console.log(r.status, r.body, r.headers['transfer-encoding']);
  r = await get('/missing');
  console.log(r.status, r.msg, JSON.stringify(r.body), r.headers['content-type']);
  r = await get('/hello', { method: 'HEAD' });
  console.log(r.status, JSON.stringify(r.body), r.headers['content-length']);
  // Two requests on one connection, then a bad one.
  console.log(JSON.stringify(await raw('GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')));
  console.log(JSON.stringify(await raw('NOT A REQUEST\r\n\r\n')));
  server.close(() => console.log('closed'));
});
