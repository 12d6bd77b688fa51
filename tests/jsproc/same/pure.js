// The pure modules: path, url, util, events, buffer, string_decoder, querystring, assert,
// crypto, zlib, timers and the order of ticks.
const path = require('node:path');
const url = require('url');
const util = require('util');
const { EventEmitter, once } = require('events');
const { StringDecoder } = require('string_decoder');
const qs = require('querystring');
const assert = require('assert');
const crypto = require('crypto');
const zlib = require('zlib');
const os = require('os');
console.log(path.join('/a/b', '../c', 'd.txt'), path.basename('/x/y.tar.gz', '.gz'), path.extname('a.b.c'), path.relative('/a/b/c', '/a/d'), path.parse('/h/f.txt').name);
console.log(url.fileURLToPath('file:///x/y%20z'), new URL('../q?a=1#h', 'http://h.example/p/r').href, url.format({ protocol: 'http', host: 'h', pathname: '/p' }));
console.log(util.format('%s=%d %j %o', 'k', 42, { a: [1] }, 'x'), util.inspect({ a: { b: { c: { d: 1 } } }, s: new Set([1]) }, { depth: 1 }));
console.log(util.types.isPromise(Promise.resolve()), util.isDeepStrictEqual({ a: 1 }, { a: 1 }), typeof util.promisify(setTimeout));
const e = new EventEmitter();
e.on('x', (v) => console.log('event', v));
e.emit('x', 1);
console.log(Buffer.from('héllo').toString('base64'), Buffer.from('68656c6c6f', 'hex').toString(), Buffer.concat([Buffer.from('a'), Buffer.alloc(2, 'b')]).toString());
const d = new StringDecoder('utf8');
console.log(d.write(Buffer.from([0xe2, 0x82])) + d.write(Buffer.from([0xac])));
console.log(qs.stringify({ a: [1, 2], b: 'x y' }), qs.parse('a=1&b=2').b);
try { assert.strictEqual(1, 2); } catch (err) { console.log(err.code, err.message.split('\n')[0]); }
try { assert.ok(1 === 2); } catch (err) { console.log(err.code, JSON.stringify(err.message)); }
assert.deepStrictEqual({ a: [1, 2] }, { a: [1, 2] });
console.log(crypto.createHash('sha256').update('abc').digest('hex'), crypto.randomBytes(8).length, typeof crypto.randomUUID());
console.log(zlib.gunzipSync(zlib.gzipSync('compressed text')).toString(), zlib.inflateSync(zlib.deflateSync(Buffer.alloc(1000, 7))).length);
console.log(os.EOL === '\n', typeof os.tmpdir(), typeof os.hostname(), os.endianness());
const order = [];
process.nextTick(() => order.push('tick'));
Promise.resolve().then(() => order.push('micro'));
queueMicrotask(() => order.push('micro2'));
once(e, 'late').then(() => order.push('once'));
setTimeout(() => { e.emit('late'); setTimeout(() => console.log(order.join(' ')), 10); }, 20);
