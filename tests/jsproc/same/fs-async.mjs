// node:fs callbacks, fs/promises with FileHandle, and streams.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
const w = await fsp.mkdtemp(path.join(process.env.WORK, 'fsa-'));
await fsp.writeFile(path.join(w, 'p.txt'), 'promised');
console.log(await fsp.readFile(path.join(w, 'p.txt'), 'utf8'));
const h = await fsp.open(path.join(w, 'h.txt'), 'w+');
await h.write('abcdef');
const { bytesRead, buffer } = await h.read(Buffer.alloc(3), 0, 3, 2);
console.log(bytesRead, buffer.toString(), (await h.stat()).size);
await h.close();
await new Promise((res) => fs.writeFile(path.join(w, 'cb.txt'), 'callback', () => fs.readFile(path.join(w, 'cb.txt'), 'utf8', (err, d) => { console.log(err, d); res(); })));
await new Promise((res) => fs.stat(path.join(w, 'missing'), (err) => { console.log(err.code, err.syscall); res(); }));
// options left out or given, before the callback
await new Promise((res) => fs.appendFile(path.join(w, 'cb.txt'), '+more', (err) => fs.appendFile(path.join(w, 'cb.txt'), Buffer.from('!'), { flag: 'a' }, (err2) => fs.readFile(path.join(w, 'cb.txt'), (err3, d) => { console.log(err, err2, err3, d.toString()); res(); }))));
await new Promise((res) => fs.writeFile(path.join(w, 'cb.txt'), 'w', { encoding: 'utf8' }, (...a) => { console.log(a.length, a[0]); res(); }));
// streams on a descriptor (autoClose off, then on) and on a FileHandle
const sfd = fs.openSync(path.join(w, 'cb.txt'), 'r');
await pipeline(fs.createReadStream(null, { fd: sfd, autoClose: false }), fs.createWriteStream(path.join(w, 'copy1.txt')));
console.log('fd still open', fs.fstatSync(sfd).size);
await new Promise((res) => fs.createReadStream(null, { fd: sfd, start: 0 }).on('close', res).resume());
try { fs.fstatSync(sfd); console.log('fd open'); } catch (e) { console.log('fd closed', e.code); }
const fh = await fsp.open(path.join(w, 'cb.txt'));
let closed = false;
fh.on('close', () => { closed = true; });
for await (const c of fh.createReadStream({ encoding: 'utf8' })) console.log('handle stream', c);
await new Promise((r) => setImmediate(r));
console.log('handle closed', closed);
const ws = fs.createWriteStream(path.join(w, 'close.txt'));
ws.write('x');
await new Promise((res) => ws.close(res));
console.log('write stream closed', ws.closed, fs.readFileSync(path.join(w, 'close.txt'), 'utf8'));
const out = fs.createWriteStream(path.join(w, 's.txt'));
for (let i = 0; i < 1000; i++) out.write(`line ${i}\n`);
await new Promise((res) => out.end(res));
let lines = 0;
for await (const chunk of fs.createReadStream(path.join(w, 's.txt'), { encoding: 'utf8', highWaterMark: 1024 })) lines += chunk.split('\n').length - 1;
console.log('lines', lines);
await pipeline(fs.createReadStream(path.join(w, 's.txt'), { start: 5, end: 12 }), fs.createWriteStream(path.join(w, 'cut.txt')));
console.log(JSON.stringify(await fsp.readFile(path.join(w, 'cut.txt'), 'utf8')));
console.log((await fsp.readdir(w)).sort().join(' '));
// a directory read: EISDIR from 'read', the path in the promise form's message (as Node)
await fsp.mkdir(path.join(w, 'dir'));
await fsp.readFile(path.join(w, 'dir')).catch((e) => console.log(e.code, e.syscall, e.message.replace(w, 'W')));
await new Promise((res) => fs.read(fs.openSync(path.join(w, 'dir'), 'r'), Buffer.alloc(4), 0, 4, null, (e) => { console.log(e.code, e.syscall, e.message); res(); }));
await fsp.writeFile(path.join(w, 'flushed.txt'), 'flushed', { flush: true });
console.log(await fsp.readFile(path.join(w, 'flushed.txt'), 'utf8'));
await fsp.rm(w, { recursive: true, force: true });
console.log('done');
