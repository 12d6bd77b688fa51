// node:fs, synchronous: files, directories, links, descriptors, errors.
const fs = require('fs');
const path = require('path');
const w = fs.mkdtempSync(path.join(process.env.WORK, 'fs-'));
const f = path.join(w, 'a.txt');
fs.writeFileSync(f, 'hello\n');
fs.appendFileSync(f, 'world\n');
console.log(JSON.stringify(fs.readFileSync(f, 'utf8')), fs.readFileSync(f).length, fs.existsSync(f), fs.existsSync(f + 'x'));
const st = fs.statSync(f);
console.log(st.isFile(), st.isDirectory(), st.size, (st.mode & 0o777).toString(8), typeof st.mtimeMs, st.mtime instanceof Date);
console.log(fs.mkdirSync(path.join(w, 'd/e/f'), { recursive: true }) === path.join(w, 'd'));
fs.writeFileSync(path.join(w, 'd/e/g.txt'), Buffer.from([1, 2, 3]));
console.log(fs.readdirSync(w).sort(), fs.readdirSync(path.join(w, 'd'), { recursive: true }).sort());
console.log(fs.readdirSync(w, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1).map((d) => `${d.name}:${d.isDirectory() ? 'dir' : d.isFile() ? 'file' : '?'}`));
fs.renameSync(f, path.join(w, 'b.txt'));
fs.copyFileSync(path.join(w, 'b.txt'), path.join(w, 'c.txt'));
fs.symlinkSync('c.txt', path.join(w, 'link'));
console.log(fs.readlinkSync(path.join(w, 'link')), fs.lstatSync(path.join(w, 'link')).isSymbolicLink(), fs.statSync(path.join(w, 'link')).isFile());
console.log(fs.realpathSync(path.join(w, 'link')) === fs.realpathSync(path.join(w, 'c.txt')));
const fd = fs.openSync(path.join(w, 'c.txt'), 'r+');
const buf = Buffer.alloc(5);
console.log(fs.readSync(fd, buf, 0, 5, 6), buf.toString(), fs.writeSync(fd, 'HELLO', 0), fs.fstatSync(fd).size);
// read and write spans: positional, and as an options object
const span = Buffer.alloc(8, 0x2e);
console.log(fs.readSync(fd, span, { offset: 2, length: 3, position: 1 }), span.toString(), fs.readSync(fd, span, 1, 2, 0), span.toString());
console.log(fs.writeSync(fd, Buffer.from('xyzw'), 1, 2, 7), fs.writeSync(fd, Buffer.from('pq'), { offset: 1, position: 9 }), fs.readFileSync(path.join(w, 'c.txt'), 'utf8'));
fs.ftruncateSync(fd, 3);
fs.closeSync(fd);
console.log(JSON.stringify(fs.readFileSync(path.join(w, 'c.txt'), 'latin1')));
for (const fn of [() => fs.readFileSync(path.join(w, 'nope')), () => fs.mkdirSync(w), () => fs.rmdirSync(path.join(w, 'd')), () => fs.readdirSync(path.join(w, 'b.txt')), () => fs.openSync(path.join(w, 'd'), 'w'),
  // a directory opens; reading it is EISDIR from 'read' (the kernel's EBADF, as Node says it)
  () => fs.readFileSync(path.join(w, 'd')), () => fs.readSync(fs.openSync(path.join(w, 'd'), 'r'), Buffer.alloc(4))]) {
  try { fn(); } catch (e) { console.log(e.code, e.syscall, e.errno, e.message.replace(w, 'W')); }
}
fs.chmodSync(path.join(w, 'b.txt'), 0o600);
console.log((fs.statSync(path.join(w, 'b.txt')).mode & 0o777).toString(8));
fs.unlinkSync(path.join(w, 'b.txt'));
fs.rmSync(w, { recursive: true });
console.log(fs.existsSync(w));
