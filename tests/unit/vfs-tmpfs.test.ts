import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { E, FILETYPE } from '../../src/abi/wasi.ts';
import { KernelError } from '../../src/kernel/errors.ts';
import { CHUNK_SIZE } from '../../src/kernel/vfs/tmpfs-data.ts';
import { copyHostTree, dir, file, populate, symlink, tmpfsFromHost, tmpfsFromTree } from '../../src/kernel/vfs/tmpfs-populate.ts';
import { TmpDir, TmpFile, TmpFs } from '../../src/kernel/vfs/tmpfs.ts';
import { assertReadOnly, bytes, readAll, text, throwsErrno, tick } from './vfs-helpers.ts';

function setup(options = {}): { fs: TmpFs; root: TmpDir } {
  const fs = new TmpFs(options);
  return { fs, root: fs.root() };
}

function writeFile(d: TmpDir, name: string, contents: string): TmpFile {
  const f = d.create(name, 0o644);
  const h = f.open(true);
  assert.equal(h.write(bytes(contents), 0), contents.length);
  h.close();
  return f;
}

describe('tmpfs-names', () => {
  test('create, lookup and readdir in insertion order', () => {
    const { fs, root } = setup();
    const b = root.create('b', 0o644);
    root.mkdir('a', 0o755);
    root.symlink('c', '/x');
    assert.equal(root.lookup('b'), b);
    assert.deepEqual(root.readdir().map((e) => e.name), ['b', 'a', 'c']);
    assert.deepEqual(root.readdir().map((e) => e.filetype), [FILETYPE.REGULAR_FILE, FILETYPE.DIRECTORY, FILETYPE.SYMBOLIC_LINK]);
    assert.equal(root.readdir()[0]?.ino, b.stat().ino);
    root.unlink('b');
    root.create('b', 0o644);
    assert.deepEqual(root.readdir().map((e) => e.name), ['a', 'c', 'b']);
    assert.equal(fs.type, 'tmpfs');
  });

  test('inode numbers are unique; key is the inode number; dev is the filesystem', () => {
    const { fs, root } = setup();
    const inos = [root, root.create('f', 0o644), root.mkdir('d', 0o755)].map((v) => v.stat().ino);
    assert.equal(new Set(inos).size, 3);
    const f = root.lookup('f');
    assert.equal(f.key, Number(f.stat().ino));
    assert.equal(f.stat().dev, fs.dev);
    assert.notEqual(new TmpFs().dev, fs.dev);
  });

  test('modes and owners are stored', () => {
    const { root } = setup();
    root.create('f', 0o640);
    root.mkdir('d', 0o700);
    root.symlink('l', 'f');
    assert.equal(root.lookup('f').stat().mode, 0o640);
    assert.equal(root.lookup('d').stat().mode, 0o700);
    assert.equal(root.lookup('l').stat().mode, 0o777);
    assert.equal(root.stat().mode, 0o755);
    assert.equal(root.lookup('f').stat().uid, 0);
    assert.equal(root.lookup('f').stat().gid, 0);
  });

  test('bad names: ENOENT, EEXIST, EINVAL, ENAMETOOLONG counted in UTF-8 bytes', () => {
    const { root } = setup();
    root.create('f', 0o644);
    throwsErrno(() => root.lookup('missing'), E.NOENT);
    throwsErrno(() => root.create('f', 0o644), E.EXIST);
    throwsErrno(() => root.mkdir('f', 0o755), E.EXIST);
    throwsErrno(() => root.symlink('f', 'x'), E.EXIST);
    throwsErrno(() => root.create('a\0b', 0o644), E.INVAL);
    throwsErrno(() => root.create('a/b', 0o644), E.INVAL);
    throwsErrno(() => root.lookup('..'), E.INVAL);
    root.create('x'.repeat(255), 0o644);
    throwsErrno(() => root.create('x'.repeat(256), 0o644), E.NAMETOOLONG);
    throwsErrno(() => root.create('é'.repeat(128), 0o644), E.NAMETOOLONG); // 256 bytes
    root.create('é'.repeat(127), 0o644); // 254 bytes
    throwsErrno(() => root.symlink('s', ''), E.NOENT);
  });

  test('directory-only operations on a file fail ENOTDIR', () => {
    const { root } = setup();
    const f = root.create('f', 0o644);
    throwsErrno(() => f.lookup('x'), E.NOTDIR);
    throwsErrno(() => f.create('x', 0o644), E.NOTDIR);
    throwsErrno(() => f.readdir(), E.NOTDIR);
  });
});

describe('tmpfs-io', () => {
  test('write then read; EOF; positioned I/O', () => {
    const { root } = setup();
    const f = writeFile(root, 'f', 'hello world');
    assert.equal(f.stat().size, 11);
    assert.equal(readAll(f), 'hello world');
    const h = f.open(true);
    h.write(bytes('W'), 6);
    const buf = new Uint8Array(5);
    assert.equal(h.read(buf, 6), 5);
    assert.equal(text(buf), 'World');
    assert.equal(h.read(buf, 11), 0);
    assert.equal(h.read(buf, 1000), 0);
    assert.equal(h.read(buf, 9), 2);
    h.close();
  });

  test('handles: a read-only handle refuses writes, a closed one everything', () => {
    const { root } = setup();
    const f = writeFile(root, 'f', 'abc');
    const h = f.open(false);
    throwsErrno(() => h.write(bytes('x'), 0), E.BADF);
    throwsErrno(() => h.truncate(0), E.BADF);
    h.close();
    throwsErrno(() => h.read(new Uint8Array(1), 0), E.BADF);
    throwsErrno(() => h.close(), E.BADF);
    assert.equal(readAll(f), 'abc');
  });

  test('sparse: 1 TiB with one byte written costs one chunk; holes read as zeros', () => {
    const { fs, root } = setup();
    const f = root.create('big', 0o644);
    const h = f.open(true);
    const TiB = 2 ** 40;
    h.write(Uint8Array.of(7), TiB - 1);
    assert.equal(f.stat().size, TiB);
    assert.ok(fs.usedBytes > 0 && fs.usedBytes <= CHUNK_SIZE, `used ${fs.usedBytes}`);
    const buf = new Uint8Array(16).fill(0xff);
    assert.equal(h.read(buf, TiB - 16), 16);
    assert.deepEqual([...buf], [...new Array(15).fill(0), 7]);
    buf.fill(0xff);
    assert.equal(h.read(buf, 12345), 16);
    assert.ok(buf.every((b) => b === 0));
    h.close();
  });

  test('sparse: reads and writes across chunk boundaries', () => {
    const { root } = setup();
    const f = root.create('f', 0o644);
    const h = f.open(true);
    const data = new Uint8Array(CHUNK_SIZE + 100).map((_, i) => (i % 251) + 1);
    h.write(data, CHUNK_SIZE - 50);
    const back = new Uint8Array(data.length + 100);
    assert.equal(h.read(back, CHUNK_SIZE - 100), data.length + 50);
    assert.ok(back.subarray(0, 50).every((b) => b === 0));
    assert.deepEqual(back.subarray(50, 50 + data.length), data);
    h.close();
  });

  test('truncate shrinks (freeing chunks), and growing again shows zeros', () => {
    const { fs, root } = setup();
    const f = root.create('f', 0o644);
    const h = f.open(true);
    h.write(new Uint8Array(3 * CHUNK_SIZE).fill(9), 0);
    assert.equal(fs.usedBytes, 3 * CHUNK_SIZE);
    h.truncate(10);
    assert.equal(f.stat().size, 10);
    assert.equal(fs.usedBytes, CHUNK_SIZE);
    f.truncate(20);
    const buf = new Uint8Array(20);
    assert.equal(h.read(buf, 0), 20);
    assert.deepEqual([...buf], [...new Array(10).fill(9), ...new Array(10).fill(0)]);
    h.truncate(0);
    assert.equal(fs.usedBytes, 0);
    throwsErrno(() => h.truncate(-1), E.INVAL);
    throwsErrno(() => root.truncate(0), E.ISDIR);
    h.close();
  });

  test('allocate grows the size and reserves space; ENOSPC when it cannot', () => {
    const { fs, root } = setup({ maxBytes: 4 * CHUNK_SIZE });
    const f = root.create('f', 0o644);
    const h = f.open(true);
    h.allocate(100, 2 * CHUNK_SIZE);
    assert.equal(f.stat().size, 100 + 2 * CHUNK_SIZE);
    assert.equal(fs.usedBytes, 3 * CHUNK_SIZE);
    h.allocate(0, 10); // already allocated: nothing changes
    assert.equal(f.stat().size, 100 + 2 * CHUNK_SIZE);
    throwsErrno(() => h.allocate(0, 10 * CHUNK_SIZE), E.NOSPC);
    assert.equal(fs.usedBytes, 3 * CHUNK_SIZE);
    assert.equal(f.stat().size, 100 + 2 * CHUNK_SIZE);
    h.close();
  });

  test('size limit: a write that does not fit is short, then ENOSPC', () => {
    const { fs, root } = setup({ maxBytes: 2 * CHUNK_SIZE });
    const h = root.create('f', 0o644).open(true);
    assert.equal(h.write(new Uint8Array(3 * CHUNK_SIZE), 0), 2 * CHUNK_SIZE);
    throwsErrno(() => h.write(new Uint8Array(10), 2 * CHUNK_SIZE), E.NOSPC);
    h.write(new Uint8Array(10), 0); // overwriting held space still works
    assert.equal(fs.statfs().blocksFree, 0);
    h.close();
  });

  test('inode limit: ENOSPC on creation, freed by unlink', () => {
    const { root } = setup({ maxInodes: 3 });
    root.create('a', 0o644);
    root.mkdir('b', 0o755);
    throwsErrno(() => root.create('c', 0o644), E.NOSPC);
    root.unlink('a');
    root.create('c', 0o644);
  });

  test('statfs reports real totals', () => {
    const { fs, root } = setup({ maxBytes: 1 << 20, maxInodes: 100 });
    const before = fs.statfs();
    assert.deepEqual(before, { blockSize: 4096, blocks: 256, blocksFree: 256, blocksAvail: 256, files: 100, filesFree: 99 });
    writeFile(root, 'f', 'x'.repeat(5000));
    const after = fs.statfs();
    assert.ok(after.blocksFree < 256 && after.blocksFree >= 256 - 2, String(after.blocksFree));
    assert.equal(after.filesFree, 98);
  });
});

describe('tmpfs-links', () => {
  test('hard links share the inode and count names', () => {
    const { root } = setup();
    const f = writeFile(root, 'a', 'data');
    const d = root.mkdir('d', 0o755);
    d.link('b', f);
    assert.equal(d.lookup('b'), f);
    assert.equal(f.stat().nlink, 2);
    root.unlink('a');
    assert.equal(f.stat().nlink, 1);
    assert.equal(readAll(d.lookup('b')), 'data');
  });

  test('an unlinked file lives while a handle is open, then is freed', () => {
    const { fs, root } = setup();
    const inodes = fs.usedInodes;
    const f = writeFile(root, 'f', 'x'.repeat(1000));
    const h = f.open(false);
    root.unlink('f');
    assert.equal(f.stat().nlink, 0);
    const buf = new Uint8Array(1000);
    assert.equal(h.read(buf, 0), 1000);
    assert.ok(fs.usedBytes > 0);
    assert.equal(fs.usedInodes, inodes + 1);
    throwsErrno(() => root.link('again', f), E.NOENT);
    h.close();
    assert.equal(fs.usedBytes, 0);
    assert.equal(fs.usedInodes, inodes);
  });

  test('link errors: EPERM for a directory, EXDEV across filesystems, EEXIST', () => {
    const { root } = setup();
    const d = root.mkdir('d', 0o755);
    const f = root.create('f', 0o644);
    throwsErrno(() => root.link('d2', d), E.PERM);
    throwsErrno(() => new TmpFs().root().link('x', f), E.XDEV);
    throwsErrno(() => root.link('d', f), E.EXIST);
  });

  test('symlinks hold the target verbatim and are not opened', () => {
    const { root } = setup();
    root.symlink('l', '../../etc/../passwd');
    const l = root.lookup('l');
    assert.equal(l.filetype, FILETYPE.SYMBOLIC_LINK);
    assert.equal(l.readlink(), '../../etc/../passwd');
    assert.equal(l.stat().size, 19);
    throwsErrno(() => l.open(false), E.LOOP);
    throwsErrno(() => root.create('f', 0o644).readlink(), E.INVAL);
  });

  test('unlink: EISDIR for a directory, ENOENT when missing', () => {
    const { root } = setup();
    root.mkdir('d', 0o755);
    throwsErrno(() => root.unlink('d'), E.ISDIR);
    throwsErrno(() => root.unlink('nope'), E.NOENT);
  });

  test('rmdir: ENOTEMPTY, ENOTDIR, and directory link counts', () => {
    const { root } = setup();
    assert.equal(root.stat().nlink, 2);
    const d = root.mkdir('d', 0o755);
    assert.equal(root.stat().nlink, 3);
    assert.equal(d.stat().nlink, 2);
    d.mkdir('e', 0o755);
    assert.equal(d.stat().nlink, 3);
    root.create('f', 0o644);
    throwsErrno(() => root.rmdir('d'), E.NOTEMPTY);
    throwsErrno(() => root.rmdir('f'), E.NOTDIR);
    throwsErrno(() => root.rmdir('nope'), E.NOENT);
    d.rmdir('e');
    root.rmdir('d');
    assert.equal(root.stat().nlink, 2);
    assert.equal(d.stat().nlink, 0);
    throwsErrno(() => d.create('x', 0o644), E.NOENT); // a removed working directory
  });

  test('parent() is the directory\'s ".." and null at the root', () => {
    const { root } = setup();
    const d = root.mkdir('d', 0o755);
    const e = d.mkdir('e', 0o755);
    assert.equal(e.parent(), d);
    assert.equal(d.parent(), root);
    assert.equal(root.parent(), null);
  });
});

describe('tmpfs-rename', () => {
  test('moves an entry, keeping the inode', () => {
    const { root } = setup();
    const f = writeFile(root, 'a', 'x');
    const d = root.mkdir('d', 0o755);
    root.rename('a', d, 'b');
    throwsErrno(() => root.lookup('a'), E.NOENT);
    assert.equal(d.lookup('b'), f);
    assert.equal(f.stat().nlink, 1);
  });

  test('replaces a file, which is freed', () => {
    const { fs, root } = setup();
    const a = writeFile(root, 'a', 'new');
    const b = writeFile(root, 'b', 'old'.repeat(100));
    const used = fs.usedInodes;
    root.rename('a', root, 'b');
    assert.equal(root.lookup('b'), a);
    assert.equal(b.stat().nlink, 0);
    assert.equal(fs.usedInodes, used - 1);
    assert.deepEqual(root.readdir().map((e) => e.name), ['b']);
  });

  test('a directory moves with its ".." and link counts', () => {
    const { root } = setup();
    const a = root.mkdir('a', 0o755);
    const b = root.mkdir('b', 0o755);
    const c = a.mkdir('c', 0o755);
    a.rename('c', b, 'c2');
    assert.equal(c.parent(), b);
    assert.equal(a.stat().nlink, 2);
    assert.equal(b.stat().nlink, 3);
    assert.equal(b.lookup('c2'), c);
  });

  test('a directory replaces an empty directory, not a full one', () => {
    const { root } = setup();
    const a = root.mkdir('a', 0o755);
    const empty = root.mkdir('empty', 0o755);
    const full = root.mkdir('full', 0o755);
    full.create('f', 0o644);
    throwsErrno(() => root.rename('a', root, 'full'), E.NOTEMPTY);
    root.rename('a', root, 'empty');
    assert.equal(root.lookup('empty'), a);
    assert.equal(empty.stat().nlink, 0);
    assert.equal(root.stat().nlink, 4); // '.', its entry, and a's and full's '..'
  });

  test('kind mismatches: EISDIR and ENOTDIR', () => {
    const { root } = setup();
    root.create('f', 0o644);
    root.mkdir('d', 0o755);
    throwsErrno(() => root.rename('f', root, 'd'), E.ISDIR);
    throwsErrno(() => root.rename('d', root, 'f'), E.NOTDIR);
  });

  test('a directory into its own subtree: EINVAL', () => {
    const { root } = setup();
    const a = root.mkdir('a', 0o755);
    const b = a.mkdir('b', 0o755);
    throwsErrno(() => root.rename('a', b, 'x'), E.INVAL);
    throwsErrno(() => root.rename('a', a, 'x'), E.INVAL);
    assert.equal(root.lookup('a'), a);
  });

  test('onto itself, or onto another name of the same inode: a no-op', () => {
    const { root } = setup();
    const f = root.create('f', 0o644);
    root.link('g', f);
    root.rename('f', root, 'f');
    root.rename('f', root, 'g');
    assert.deepEqual(root.readdir().map((e) => e.name), ['f', 'g']);
    assert.equal(f.stat().nlink, 2);
    const d = root.mkdir('d', 0o755);
    root.rename('d', root, 'd');
    assert.equal(root.lookup('d'), d);
  });

  test('errors: ENOENT, EXDEV, ENAMETOOLONG; nothing changes', () => {
    const { root } = setup();
    root.create('f', 0o644);
    throwsErrno(() => root.rename('nope', root, 'x'), E.NOENT);
    throwsErrno(() => root.rename('f', new TmpFs().root(), 'f'), E.XDEV);
    throwsErrno(() => root.rename('f', root, 'y'.repeat(256)), E.NAMETOOLONG);
    throwsErrno(() => root.rename('f', root.lookup('f'), 'x'), E.NOTDIR);
    assert.deepEqual(root.readdir().map((e) => e.name), ['f']);
  });
});

describe('tmpfs-times', () => {
  test('write and truncate set mtime and ctime, not atime', () => {
    const { root } = setup();
    const f = root.create('f', 0o644);
    const s0 = f.stat();
    tick();
    const h = f.open(true);
    h.write(bytes('x'), 0);
    const s1 = f.stat();
    assert.ok(s1.mtim > s0.mtim && s1.ctim > s0.ctim);
    assert.equal(s1.atim, s0.atim);
    tick();
    h.truncate(0);
    assert.ok(f.stat().mtim > s1.mtim);
    h.close();
  });

  test('directory mtime/ctime change with entries; link and rename change ctime', () => {
    const { root } = setup();
    const d = root.mkdir('d', 0o755);
    const d0 = d.stat();
    tick();
    const f = d.create('f', 0o644);
    assert.ok(d.stat().mtim > d0.mtim && d.stat().ctim > d0.ctim);
    const f0 = f.stat();
    tick();
    d.link('g', f);
    const f1 = f.stat();
    assert.ok(f1.ctim > f0.ctim);
    assert.equal(f1.mtim, f0.mtim);
    tick();
    d.rename('g', root, 'h');
    assert.ok(f.stat().ctim > f1.ctim);
    tick();
    const r = root.stat();
    root.unlink('h');
    assert.ok(root.stat().mtim > r.mtim);
  });

  test('setTimes: exact ns values, now, null keeps; ctime becomes now', () => {
    const { root } = setup();
    const f = root.create('f', 0o644);
    f.setTimes(1_234_567_890_123_456_789n, 42n);
    let s = f.stat();
    assert.equal(s.atim, 1_234_567_890_123_456_789n);
    assert.equal(s.mtim, 42n);
    const t = tick();
    f.setTimes(null, 'now');
    s = f.stat();
    assert.equal(s.atim, 1_234_567_890_123_456_789n);
    assert.ok(s.mtim >= t);
    assert.ok(s.ctim >= s.mtim);
  });
});

describe('tmpfs-readonly', () => {
  test('every mutation fails EROFS; EEXIST wins for an existing name; reads work', () => {
    const fs = tmpfsFromTree({ f: 'data', d: {} }, { readOnly: true });
    assertReadOnly(fs.root(), 'data');
  });
});

describe('tmpfs-populate', () => {
  const hostDirs: string[] = [];
  after(() => {
    for (const d of hostDirs) rmSync(d, { recursive: true, force: true });
  });

  test('from a plain object: files, modes, nested paths, symlinks, merges', () => {
    const fs = tmpfsFromTree({
      'etc/motd': 'hi',
      etc: { passwd: file('root:x:0:0\n', 0o600) },
      bin: dir({ sh: file(Uint8Array.of(0, 97, 115, 109), 0o755) }, 0o711),
      lnk: symlink('/etc/motd'),
    });
    const etc = fs.root().lookup('etc');
    assert.deepEqual(etc.readdir().map((e) => e.name), ['motd', 'passwd']);
    assert.equal(readAll(etc.lookup('motd')), 'hi');
    assert.equal(etc.lookup('passwd').stat().mode, 0o600);
    assert.equal(fs.root().lookup('bin').stat().mode, 0o711);
    assert.equal(fs.root().lookup('bin').lookup('sh').stat().size, 4);
    assert.equal(fs.root().lookup('lnk').readlink(), '/etc/motd');
  });

  test('a clash is a KernelError naming the path', () => {
    const fs = tmpfsFromTree({ a: 'file' });
    assert.throws(() => populate(fs.root(), { 'a/b': 'x' }), (e: unknown) => {
      return e instanceof KernelError && e.code === 'TMPFS_POPULATE' && e.message.includes('/a') && e.message.includes('EEXIST');
    });
  });

  test('from a host tree: contents, modes, mtimes, symlinks verbatim', () => {
    const host = mkdtempSync(join(tmpdir(), 'isokernel-tmpfs-'));
    hostDirs.push(host);
    mkdirSync(join(host, 'sub'), { mode: 0o750 });
    writeFileSync(join(host, 'sub', 'f.txt'), 'hello', { mode: 0o640 });
    utimesSync(join(host, 'sub', 'f.txt'), 1000, 2000);
    symlinkSync('/etc/passwd', join(host, 'escape'));
    const { fs, skipped } = tmpfsFromHost(host, { readOnly: true });
    assert.deepEqual(skipped, []);
    const f = fs.root().lookup('sub').lookup('f.txt') as TmpFile;
    assert.equal(readAll(f), 'hello');
    assert.equal(f.stat().mode, 0o640);
    assert.equal(f.stat().mtim, 2000n * 1_000_000_000n);
    assert.equal(fs.root().lookup('sub').stat().mode, 0o750);
    assert.equal(fs.root().lookup('escape').readlink(), '/etc/passwd');
    const again = new TmpFs();
    copyHostTree(host, again.root().mkdir('in', 0o755));
    assert.equal(again.root().lookup('in').lookup('sub').lookup('f.txt').stat().size, 5);
    assert.throws(() => tmpfsFromHost(join(host, 'missing')), (e: unknown) => e instanceof KernelError && e.message.includes('missing'));
  });
});
