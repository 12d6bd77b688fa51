import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { E, FILETYPE } from '../../src/abi/wasi.ts';
import { DevFs } from '../../src/kernel/vfs/devfs.ts';
import { TmpFs } from '../../src/kernel/vfs/tmpfs.ts';
import { bytes, throwsErrno } from './vfs-helpers.ts';

const NAMES = ['null', 'zero', 'full', 'random', 'urandom', 'stdin', 'stdout', 'stderr', 'tty'];

describe('devfs-structure', () => {
  test('lists the fixed devices as character devices, mode 0o666, stable distinct inodes', () => {
    const fs = new DevFs();
    const root = fs.root();
    assert.equal(fs.type, 'devfs');
    assert.deepEqual(root.readdir().map((e) => e.name), NAMES);
    assert.ok(root.readdir().every((e) => e.filetype === FILETYPE.CHARACTER_DEVICE));
    const inos = NAMES.map((n) => root.lookup(n).stat().ino);
    assert.equal(new Set([...inos, root.stat().ino]).size, NAMES.length + 1);
    assert.deepEqual(NAMES.map((n) => root.lookup(n).stat().ino), inos);
    assert.deepEqual(root.readdir().map((e) => e.ino), inos);
    for (const n of NAMES) {
      const st = root.lookup(n).stat();
      assert.equal(st.mode, 0o666);
      assert.equal(st.dev, fs.dev);
      assert.equal(st.filetype, FILETYPE.CHARACTER_DEVICE);
    }
    assert.equal(root.stat().filetype, FILETYPE.DIRECTORY);
    assert.equal(root.parent(), null);
    throwsErrno(() => root.lookup('tty0'), E.NOENT);
    throwsErrno(() => root.lookup('fd'), E.NOENT);
  });

  test('stdin, stdout, stderr alias descriptors 0, 1, 2 and are not opened', () => {
    const root = new DevFs().root();
    assert.deepEqual(['stdin', 'stdout', 'stderr'].map((n) => root.lookup(n).aliasFd), [0, 1, 2]);
    assert.equal(root.lookup('null').aliasFd, undefined);
    throwsErrno(() => root.lookup('stdout').open(true), E.NXIO);
  });

  test('the structure is fixed: EPERM, or EEXIST / ENOENT / ENOTDIR / EXDEV first', () => {
    const fs = new DevFs();
    const root = fs.root();
    throwsErrno(() => root.create('new', 0o644), E.PERM);
    throwsErrno(() => root.create('null', 0o644), E.EXIST);
    throwsErrno(() => root.mkdir('dir', 0o755), E.PERM);
    throwsErrno(() => root.symlink('l', 'null'), E.PERM);
    throwsErrno(() => root.link('n2', root.lookup('null')), E.PERM);
    throwsErrno(() => root.link('n2', new TmpFs().root().create('f', 0o644)), E.XDEV);
    throwsErrno(() => root.unlink('null'), E.PERM);
    throwsErrno(() => root.unlink('nope'), E.NOENT);
    throwsErrno(() => root.rmdir('zero'), E.NOTDIR);
    throwsErrno(() => root.rename('zero', root, 'z'), E.PERM);
    throwsErrno(() => root.rename('zero', new TmpFs().root(), 'z'), E.XDEV);
    throwsErrno(() => root.lookup('a/b'), E.INVAL);
    assert.equal(root.readdir().length, NAMES.length);
  });

  test('setTimes updates the in-memory times', () => {
    const n = new DevFs().root().lookup('null');
    n.setTimes(5n, 7n);
    assert.equal(n.stat().atim, 5n);
    assert.equal(n.stat().mtim, 7n);
  });
});

describe('devfs-devices', () => {
  const open = (name: string) => new DevFs().root().lookup(name).open(true);

  test('null: reads EOF, writes succeed in full', () => {
    const h = open('null');
    assert.equal(h.read(new Uint8Array(10), 0), 0);
    assert.equal(h.write(bytes('discarded'), 123), 9);
  });

  test('zero: reads zeros in full, writes succeed', () => {
    const h = open('zero');
    const buf = new Uint8Array(100_000).fill(1);
    assert.equal(h.read(buf, 5), buf.length);
    assert.ok(buf.every((b) => b === 0));
    assert.equal(h.write(bytes('x'), 0), 1);
  });

  test('full: reads zeros, writes fail ENOSPC', () => {
    const h = open('full');
    const buf = new Uint8Array(8).fill(1);
    assert.equal(h.read(buf, 0), 8);
    assert.ok(buf.every((b) => b === 0));
    throwsErrno(() => h.write(bytes('x'), 0), E.NOSPC);
  });

  test('random and urandom: requests served in full with random bytes', () => {
    for (const name of ['random', 'urandom']) {
      const h = open(name);
      const a = new Uint8Array(70_000);
      const b = new Uint8Array(70_000);
      assert.equal(h.read(a, 0), a.length);
      assert.equal(h.read(b, 0), b.length);
      assert.notDeepEqual(a, b);
      assert.ok(new Set(a.subarray(0, 4096)).size > 200); // all 256 values, almost surely
      assert.ok(a.subarray(65_536).some((x) => x !== 0)); // the tail was filled too
      assert.equal(h.write(bytes('entropy'), 0), 7);
    }
  });

  test('truncate, allocate, sync fail as Linux; a closed handle is EBADF', () => {
    const h = open('null');
    throwsErrno(() => h.truncate(0), E.INVAL);
    throwsErrno(() => h.allocate(0, 1), E.NODEV);
    throwsErrno(() => h.sync(), E.INVAL);
    throwsErrno(() => h.datasync(), E.INVAL);
    h.close();
    throwsErrno(() => h.read(new Uint8Array(1), 0), E.BADF);
    throwsErrno(() => h.write(new Uint8Array(1), 0), E.BADF);
    throwsErrno(() => new DevFs().root().lookup('zero').truncate(0), E.INVAL);
  });
});
