// httpd's pure parts in plain Node: the request parser (RFC 9112), CGI meta-variables and
// output (RFC 3875), static-file helpers (paths, validators, ranges), the access-log format
// and the configuration.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkedDecoder, DEFAULT_LIMITS, HttpError, bodyDecoder, header, keepAlive, parseHead, type RequestHead } from '../../userland/sbin/httpd/parser.ts';
import { cgiEnv, cgiHeaderEnd, CgiOutputError, parseCgiHeaders, scriptCandidates } from '../../userland/sbin/httpd/cgi.ts';
import { checkPreconditions, decodePath, etagFor, ifRangeHolds, parseEtags, parseRange, within } from '../../userland/sbin/httpd/static.ts';
import { combinedLine, escapeLog } from '../../userland/sbin/httpd/accesslog.ts';
import { applyArgs, configFileArgs, ConfigError, defaults, parseAddr, parseDuration } from '../../userland/sbin/httpd/config.ts';
import { httpDate, parseHttpDate } from '../../userland/sbin/httpd/response.ts';
import { parseResponseHead } from '../../userland/sbin/httpd/proxy.ts';
import { mimeType } from '../../userland/sbin/httpd/mime.ts';

const b = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const head = (s: string): RequestHead => {
  const r = parseHead(b(s));
  assert.ok(r, 'complete head');
  return r.head;
};
function status(s: string, limits = DEFAULT_LIMITS): number {
  try {
    const r = parseHead(b(s), limits);
    if (r) bodyDecoder(r.head, limits);
    return r ? 0 : -1;
  } catch (e) {
    assert.ok(e instanceof HttpError, String(e));
    return e.status;
  }
}

describe('parser-head', () => {
  it('parses a request with fields, lowercased names, trimmed values', () => {
    const r = parseHead(b('GET /a?b=1 HTTP/1.1\r\nHost: x\r\nX-Foo:  bar  \r\n\r\nrest'))!;
    assert.equal(r.head.method, 'GET');
    assert.equal(r.head.target, '/a?b=1');
    assert.equal(r.head.version, 'HTTP/1.1');
    assert.deepEqual(r.head.headers, [['host', 'x'], ['x-foo', 'bar']]);
    assert.equal(Buffer.from(b('GET /a?b=1 HTTP/1.1\r\nHost: x\r\nX-Foo:  bar  \r\n\r\nrest').subarray(r.used)).toString(), 'rest');
  });
  it('waits for more bytes', () => {
    assert.equal(parseHead(b('GET / HTTP/1.1\r\nHost: x\r\n')), null);
    assert.equal(parseHead(b('GET / HTT')), null);
    assert.equal(parseHead(b('GET / HTTP/1.1\r')), null);
  });
  it('skips one or two leading empty lines', () => {
    assert.equal(head('\r\nGET / HTTP/1.0\r\n\r\n').method, 'GET');
  });
  it('refuses malformed request lines with 400', () => {
    for (const s of ['GET  / HTTP/1.1\r\nHost: x\r\n\r\n', 'GET / HTTP/1.1 \r\nHost: x\r\n\r\n', 'GET /\r\n\r\n', 'G(T / HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET / FOO/1.1\r\nHost: x\r\n\r\n', 'GET a HTTP/1.1\r\nHost: x\r\n\r\n', 'GET /\x7f HTTP/1.1\r\nHost: x\r\n\r\n', ' GET / HTTP/1.1\r\n\r\n',
      'GET / HTTP/1.10\r\nHost: x\r\n\r\n', 'GET /é HTTP/1.1\r\nHost: x\r\n\r\n']) {
      assert.equal(status(s), 400, JSON.stringify(s));
    }
  });
  it('refuses bad fields with 400', () => {
    for (const f of ['Foo : bar', 'Foo', ': bar', 'F(o: bar', 'Foo: a\x01b', ' Folded: x', 'Foo: a\x00b']) {
      assert.equal(status(`GET / HTTP/1.1\r\nHost: x\r\n${f}\r\n\r\n`), 400, JSON.stringify(f));
    }
  });
  it('refuses bare LF and bare CR', () => {
    assert.equal(status('GET / HTTP/1.1\nHost: x\n\n'), 400);
    assert.equal(status('GET / HTTP/1.1\r\nHost: x\rY: z\r\n\r\n'), 400);
  });
  it('needs exactly one Host in HTTP/1.1', () => {
    assert.equal(status('GET / HTTP/1.1\r\n\r\n'), 400);
    assert.equal(status('GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'), 400);
    assert.equal(status('GET / HTTP/1.0\r\n\r\n'), 0);
  });
  it('answers 505 to HTTP/2.0 and 414 / 431 to big heads', () => {
    assert.equal(status('GET / HTTP/2.0\r\nHost: x\r\n\r\n'), 505);
    assert.equal(status(`GET /${'a'.repeat(9000)} HTTP/1.1\r\nHost: x\r\n\r\n`), 414);
    assert.equal(status(`GET / HTTP/1.1\r\nHost: x\r\nX: ${'a'.repeat(20000)}\r\n\r\n`), 431);
    assert.equal(status(`GET / HTTP/1.1\r\nHost: x\r\nX: ${'a'.repeat(20000)}`), 431, 'before the end arrives');
    assert.equal(status(`GET / HTTP/1.1\r\nHost: x\r\n${'X: y\r\n'.repeat(101)}\r\n`), 431);
  });
  it('accepts absolute-form, asterisk-form for OPTIONS, authority-form for CONNECT', () => {
    assert.equal(head('GET http://h/x HTTP/1.1\r\nHost: h\r\n\r\n').target, 'http://h/x');
    assert.equal(status('OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n'), 0);
    assert.equal(status('GET * HTTP/1.1\r\nHost: h\r\n\r\n'), 400);
    assert.equal(status('CONNECT h:443 HTTP/1.1\r\nHost: h\r\n\r\n'), 0);
  });
  it('joins repeated fields and decides keep-alive', () => {
    const h = head('GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nA: 2\r\nConnection: Close\r\n\r\n');
    assert.equal(header(h, 'a'), '1, 2');
    assert.equal(keepAlive(h), false);
    assert.equal(keepAlive(head('GET / HTTP/1.0\r\n\r\n')), false);
    assert.equal(keepAlive(head('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n')), true);
    assert.equal(keepAlive(head('GET / HTTP/1.1\r\nHost: x\r\n\r\n')), true);
  });
});

describe('parser-body', () => {
  it('Content-Length rules (RFC 9112 6.3)', () => {
    assert.equal(status('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n'), 0);
    assert.equal(status('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n'), 400);
    assert.equal(status('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 4\r\n\r\n'), 400);
    assert.equal(status('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n'), 400);
    assert.equal(status('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0x10\r\n\r\n'), 400);
    assert.equal(status('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n'), 413);
    assert.equal(status('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n'), 400);
    assert.equal(status('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n'), 501);
    assert.equal(status('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n'), 501);
    assert.equal(status('POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n'), 400);
  });
  it('reads a Content-Length body and leaves the rest', () => {
    const d = bodyDecoder(head('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n'))!;
    let r = d.push(b('he'));
    assert.equal(r.done, false);
    r = d.push(b('lloGET'));
    assert.equal(r.done, true);
    assert.equal(Buffer.from(r.data[0]!).toString(), 'llo');
    assert.equal(Buffer.from(r.rest).toString(), 'GET');
  });
  it('decodes chunked bodies split anywhere, with extensions and trailers', () => {
    const wire = '4;name=val\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: 1\r\n\r\nNEXT';
    for (let cut = 0; cut < wire.length - 4; cut++) {
      const d = new ChunkedDecoder(1000);
      const out: Uint8Array[] = [];
      let r = d.push(b(wire.slice(0, cut)));
      out.push(...r.data);
      assert.equal(r.done, false);
      r = d.push(b(wire.slice(cut)));
      out.push(...r.data);
      assert.equal(r.done, true);
      assert.equal(Buffer.concat(out).toString(), 'Wikipedia in\r\n\r\nchunks.');
      assert.equal(Buffer.from(r.rest).toString(), 'NEXT');
    }
  });
  it('refuses malformed chunked bodies and big ones', () => {
    for (const w of ['g\r\n', '4\r\nWikiX\r\n', '4\nWiki\r\n', '-1\r\n', '1234567890abcdef0\r\n', '4;=x\r\n']) {
      assert.throws(() => new ChunkedDecoder(1000).push(b(w)), (e: unknown) => e instanceof HttpError && e.status === 400, JSON.stringify(w));
    }
    assert.throws(() => new ChunkedDecoder(10).push(b('b\r\n')), (e: unknown) => e instanceof HttpError && e.status === 413);
  });
});

describe('cgi-env', () => {
  const h = head('POST /cgi-bin/s/x/y?a=1&b=%20 HTTP/1.1\r\nHost: example.org:8080\r\nContent-Type: application/x-www-form-urlencoded\r\n'
    + 'Content-Length: 3\r\nCookie: a=1\r\nCookie: b=2\r\nAuthorization: Basic eDp5\r\nProxy: evil\r\nX_Under: 1\r\nUser-Agent: t\r\nAccept: a\r\nAccept: b\r\n\r\n');
  const env = cgiEnv({
    head: h, scriptName: '/cgi-bin/s', pathInfo: '/x/y', scriptFile: '/srv/cgi/s', query: 'a=1&b=%20', requestUri: h.target,
    contentLength: 3, remoteAddr: '10.0.0.2', remotePort: 5555, serverAddr: '10.0.0.1', serverPort: 8080, serverName: 'example.org',
    docRoot: '/srv/www', software: 'sw/1',
  });
  it('sets all seventeen RFC 3875 meta-variables', () => {
    for (const k of ['AUTH_TYPE', 'CONTENT_LENGTH', 'CONTENT_TYPE', 'GATEWAY_INTERFACE', 'PATH_INFO', 'PATH_TRANSLATED', 'QUERY_STRING', 'REMOTE_ADDR',
      'REMOTE_HOST', 'REMOTE_IDENT', 'REMOTE_USER', 'REQUEST_METHOD', 'SCRIPT_NAME', 'SERVER_NAME', 'SERVER_PORT', 'SERVER_PROTOCOL', 'SERVER_SOFTWARE']) {
      assert.ok(Object.hasOwn(env, k), k);
    }
    assert.equal(env.CONTENT_LENGTH, '3');
    assert.equal(env.CONTENT_TYPE, 'application/x-www-form-urlencoded');
    assert.equal(env.GATEWAY_INTERFACE, 'CGI/1.1');
    assert.equal(env.PATH_INFO, '/x/y');
    assert.equal(env.PATH_TRANSLATED, '/srv/www/x/y');
    assert.equal(env.QUERY_STRING, 'a=1&b=%20');
    assert.equal(env.REMOTE_HOST, '10.0.0.2');
    assert.equal(env.REQUEST_METHOD, 'POST');
    assert.equal(env.SCRIPT_NAME, '/cgi-bin/s');
    assert.equal(env.SERVER_PORT, '8080');
    assert.equal(env.SERVER_PROTOCOL, 'HTTP/1.1');
  });
  it('maps header fields to HTTP_*, minus credentials, Proxy, CONTENT_* and underscored names', () => {
    assert.equal(env.HTTP_HOST, 'example.org:8080');
    assert.equal(env.HTTP_COOKIE, 'a=1; b=2');
    assert.equal(env.HTTP_ACCEPT, 'a, b');
    assert.equal(env.HTTP_USER_AGENT, 't');
    for (const k of ['HTTP_AUTHORIZATION', 'HTTP_PROXY', 'HTTP_X_UNDER', 'HTTP_CONTENT_LENGTH', 'HTTP_CONTENT_TYPE']) assert.ok(!(k in env), k);
  });
  it('no PATH_TRANSLATED without PATH_INFO; empty CONTENT_LENGTH without body', () => {
    const e = cgiEnv({
      head: head('GET /c HTTP/1.0\r\n\r\n'), scriptName: '/c', pathInfo: '', scriptFile: '/c', query: '', requestUri: '/c', contentLength: null,
      remoteAddr: '::1', remotePort: 1, serverAddr: '::1', serverPort: 80, serverName: 'h', docRoot: '/', software: 's',
    });
    assert.ok(!('PATH_TRANSLATED' in e));
    assert.equal(e.CONTENT_LENGTH, '');
    assert.equal(e.SERVER_PROTOCOL, 'HTTP/1.0');
  });
  it('script candidates split SCRIPT_NAME and PATH_INFO', () => {
    assert.deepEqual(scriptCandidates({ url: '/cgi-bin', dir: '/srv/cgi' }, '/cgi-bin/a/b/c/'), [
      { scriptName: '/cgi-bin/a', file: '/srv/cgi/a', pathInfo: '/b/c/' },
      { scriptName: '/cgi-bin/a/b', file: '/srv/cgi/a/b', pathInfo: '/c/' },
      { scriptName: '/cgi-bin/a/b/c', file: '/srv/cgi/a/b/c', pathInfo: '/' },
    ]);
    assert.equal(scriptCandidates({ url: '/cgi-bin', dir: '/srv/cgi' }, '/cgi-binx/a'), null);
  });
});

describe('cgi-output', () => {
  it('finds the end of the header block with LF or CRLF', () => {
    assert.equal(cgiHeaderEnd(b('Content-Type: a\n\nbody')), 17);
    assert.equal(cgiHeaderEnd(b('Content-Type: a\r\n\r\nbody')), 19);
    assert.equal(cgiHeaderEnd(b('Content-Type: a\r\n')), -1);
    assert.equal(cgiHeaderEnd(b('\nbody')), 1);
  });
  it('document, status, client redirect, local redirect', () => {
    assert.deepEqual(parseCgiHeaders('Content-Type: text/plain\nX-A: 1\n\n'), { kind: 'document', status: 200, reason: null, headers: [['content-type', 'text/plain'], ['x-a', '1']], length: null });
    const s = parseCgiHeaders('Status: 404 Nope\r\nContent-Type: text/html\r\nContent-Length: 3\r\n\r\n');
    assert.equal(s.kind, 'document');
    assert.equal(s.kind === 'document' && s.status, 404);
    assert.equal(s.kind === 'document' && s.length, 3);
    const cr = parseCgiHeaders('Location: http://example.org/x\n\n');
    assert.equal(cr.kind, 'client-redirect');
    assert.equal(cr.kind === 'client-redirect' && cr.status, 302);
    assert.deepEqual(parseCgiHeaders('Location: /other?x=1\n\n'), { kind: 'local-redirect', location: '/other?x=1' });
    const s301 = parseCgiHeaders('Status: 301 Moved\nLocation: /elsewhere\n\n');
    assert.equal(s301.kind === 'client-redirect' && s301.status, 301);
  });
  it('drops hop-by-hop fields the script sends', () => {
    const r = parseCgiHeaders('Content-Type: a\nConnection: close\nTransfer-Encoding: chunked\n\n');
    assert.deepEqual(r.kind === 'document' && r.headers, [['content-type', 'a']]);
  });
  it('malformed output is an error (502)', () => {
    for (const blk of ['hello world\n\n', 'X-Only: 1\n\n', 'Status: abc\n\n', 'Status: 99 x\n\n', 'Status: 100 Continue\n\n', 'Content-Type: a\nContent-Type: b\n\n',
      'Bad Name: x\nContent-Type: a\n\n', 'Location: not a uri\n\n', 'Content-Type: a\nContent-Length: x\n\n', '\n']) {
      assert.throws(() => parseCgiHeaders(blk), CgiOutputError, JSON.stringify(blk));
    }
  });
});

describe('static-helpers', () => {
  it('decodes and normalizes paths; refuses escapes', () => {
    assert.equal(decodePath('/a/./b//c'), '/a/b/c');
    assert.equal(decodePath('/a%20b/'), '/a b/');
    assert.equal(decodePath('/%C3%A9'), '/é');
    assert.equal(decodePath('/'), '/');
    for (const p of ['/../etc/passwd', '/a/../../b', '/%2e%2e/x', '/a%2fb', '/a%5cb', '/a\\b', '/%00', '/%zz', '/%C3', '/a/..']) {
      assert.throws(() => decodePath(p), (e: unknown) => e instanceof HttpError && e.status === 400, p);
    }
  });
  it('within() compares whole components', () => {
    assert.ok(within('/srv/www', '/srv/www'));
    assert.ok(within('/srv/www', '/srv/www/a'));
    assert.ok(!within('/srv/www', '/srv/wwwx/a'));
    assert.ok(within('/', '/x'));
  });
  it('ranges', () => {
    assert.deepEqual(parseRange('bytes=0-9', 100), [{ start: 0, end: 10 }]);
    assert.deepEqual(parseRange('bytes=90-', 100), [{ start: 90, end: 100 }]);
    assert.deepEqual(parseRange('bytes=-10', 100), [{ start: 90, end: 100 }]);
    assert.deepEqual(parseRange('bytes=-200', 100), [{ start: 0, end: 100 }]);
    assert.deepEqual(parseRange('bytes=95-200', 100), [{ start: 95, end: 100 }]);
    assert.deepEqual(parseRange('bytes=0-0,5-6', 100), [{ start: 0, end: 1 }, { start: 5, end: 7 }]);
    assert.equal(parseRange('bytes=100-', 100), 'unsatisfiable');
    assert.equal(parseRange('bytes=-0', 100), 'unsatisfiable');
    assert.equal(parseRange('bytes=5-1', 100), null);
    assert.equal(parseRange('items=0-1', 100), null);
    assert.equal(parseRange('bytes=a-b', 100), null);
    assert.equal(parseRange(`bytes=${'1-2,'.repeat(20)}1-2`, 100), null);
  });
  it('preconditions in RFC 9110 order', () => {
    const v = { etag: etagFor(10, 1_700_000_000_123), mtimeMs: 1_700_000_000_123 };
    const req = (f: string, m = 'GET'): RequestHead => head(`${m} / HTTP/1.1\r\nHost: x\r\n${f}\r\n\r\n`);
    assert.equal(checkPreconditions(req(`If-None-Match: ${v.etag}`), v), 304);
    assert.equal(checkPreconditions(req(`If-None-Match: W/${v.etag}`), v), 304, 'weak comparison');
    assert.equal(checkPreconditions(req('If-None-Match: "other"'), v), null);
    assert.equal(checkPreconditions(req('If-None-Match: *', 'PUT'), v), 412);
    assert.equal(checkPreconditions(req(`If-Modified-Since: ${httpDate(v.mtimeMs)}`), v), 304);
    assert.equal(checkPreconditions(req(`If-Modified-Since: ${httpDate(v.mtimeMs - 5000)}`), v), null);
    assert.equal(checkPreconditions(req(`If-None-Match: "other"\r\nIf-Modified-Since: ${httpDate(v.mtimeMs)}`), v), null, 'INM wins over IMS');
    assert.equal(checkPreconditions(req('If-Match: "other"'), v), 412);
    assert.equal(checkPreconditions(req(`If-Match: W/${v.etag}`), v), 412, 'strong comparison');
    assert.equal(checkPreconditions(req(`If-Unmodified-Since: ${httpDate(v.mtimeMs - 5000)}`), v), 412);
    assert.ok(ifRangeHolds(req(`If-Range: ${v.etag}`), v));
    assert.ok(!ifRangeHolds(req('If-Range: "x"'), v));
    assert.ok(ifRangeHolds(req(`If-Range: ${httpDate(v.mtimeMs)}`), v));
    assert.deepEqual(parseEtags('"a", W/"b" ,"c"'), ['"a"', 'W/"b"', '"c"']);
  });
  it('HTTP dates in all three forms', () => {
    const t = Date.UTC(1994, 10, 6, 8, 49, 37);
    assert.equal(httpDate(t), 'Sun, 06 Nov 1994 08:49:37 GMT');
    assert.equal(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT'), t);
    assert.equal(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT'), t);
    assert.equal(parseHttpDate('Sun Nov  6 08:49:37 1994'), t);
    assert.ok(Number.isNaN(parseHttpDate('yesterday')));
  });
  it('MIME types by extension', () => {
    assert.equal(mimeType('/a/b.HTML'), 'text/html; charset=utf-8');
    assert.equal(mimeType('/a/b.tar.gz'), 'application/gzip');
    assert.equal(mimeType('/a/.bashrc'), 'application/octet-stream');
    assert.equal(mimeType('/a/x.foo', { foo: 'text/foo' }), 'text/foo');
  });
});

describe('access-log', () => {
  it('combined format, escaped', () => {
    const line = combinedLine({
      remoteAddr: '127.0.0.1', time: Date.UTC(2000, 9, 10, 13, 55, 36), line: 'GET /a"b HTTP/1.1', status: 200, bytes: 2326,
      referer: 'http://x/', userAgent: 'ua\x01\\',
    });
    assert.equal(line, '127.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /a\\"b HTTP/1.1" 200 2326 "http://x/" "ua\\x01\\\\"\n');
    assert.match(combinedLine({ remoteAddr: '::1', time: 0, line: '', status: 408, bytes: 0 }), /^::1 - - \[01\/Jan\/1970:00:00:00 \+0000\] "" 408 - "-" "-"\n$/);
    assert.equal(escapeLog('é'), '\\xe9');
  });
});

describe('config', () => {
  it('parses the documented options', () => {
    const c = applyArgs(defaults(), ['--listen', '8080', '--listen=[::1]:81', '--root', '/srv/www', '--cgi-bin', '/cgi-bin=/srv/cgi-bin',
      '--proxy', '/api=unix:/run/api.sock|127.0.0.1:9000', '--access-log', '/var/log/httpd/access.log', '--cgi-timeout', '10s', '--autoindex',
      '--max-body-bytes', '1m', '--mime', '.foo=text/foo']);
    assert.deepEqual(c.listen, [{ host: '0.0.0.0', port: 8080 }, { host: '::1', port: 81 }]);
    assert.deepEqual(c.cgi, [{ url: '/cgi-bin', dir: '/srv/cgi-bin' }]);
    assert.deepEqual(c.proxy[0]!.target, { path: '/run/api.sock' });
    assert.equal(c.cgiTimeoutMs, 10_000);
    assert.equal(c.autoindex, true);
    assert.equal(c.limits.maxBodyBytes, 1 << 20);
    assert.equal(c.mime.foo, 'text/foo');
  });
  it('refuses bad options with a message naming them', () => {
    assert.throws(() => applyArgs(defaults(), ['--nope']), ConfigError);
    assert.throws(() => applyArgs(defaults(), ['--listen']), /--listen needs a value/);
    assert.throws(() => applyArgs(defaults(), ['--listen', 'x:y']), /bad address/);
    assert.throws(() => applyArgs(defaults(), ['--cgi-timeout', '10 parsecs']), /bad duration/);
    assert.throws(() => applyArgs(defaults(), ['--cgi-bin', '/x=rel']), /absolute/);
    assert.throws(() => parseAddr('70000', 'x'), /out of range/);
  });
  it('durations and config files', () => {
    assert.equal(parseDuration('250ms', 'x'), 250);
    assert.equal(parseDuration('2m', 'x'), 120_000);
    assert.equal(parseDuration('3', 'x'), 3000);
    assert.deepEqual(configFileArgs('# c\n--listen 80  # port\n--autoindex\n\n--root /a b\n'), ['--listen', '80', '--autoindex', '--root', '/a b']);
  });
});

describe('proxy-head', () => {
  it('parses upstream heads, refuses bad ones', () => {
    const r = parseResponseHead(b('HTTP/1.1 201 Created\r\nX-A: 1\r\nContent-Length: 2\r\n\r\nok'))!;
    assert.equal(r.status, 201);
    assert.deepEqual(r.headers, [['x-a', '1'], ['content-length', '2']]);
    assert.equal(parseResponseHead(b('HTTP/1.1 200 OK\r\n')), null);
    assert.throws(() => parseResponseHead(b('HTTP/2 200\r\n\r\n')));
    assert.throws(() => parseResponseHead(b('HTTP/1.1 200 OK\r\nbad line\r\n\r\n')));
  });
});
