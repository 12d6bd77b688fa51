import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { E, FILETYPE } from '../../src/abi/wasi.ts';
import { KernelError } from '../../src/kernel/errors.ts';
import {
  hostAccess, type HostCredentials, HostFs, hostErrno, type HostVnode, MAY_READ, MAY_WRITE,
} from '../../src/kernel/vfs/hostfs.ts';
import { TmpFs } from '../../src/kernel/vfs/tmpfs.ts';
import type { FileHandle } from '../../src/kernel/vfs/vnode.ts';
import { assertReadOnly, bytes, readAll, text, throwsErrno } from './vfs-helpers.ts';

const made: string[] = [];
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A fresh host directory holding `root/` (the hostfs root) and `outside/` (must stay unreachable). */
function sandbox(): { base: string; host: string; fs: HostFs; root: HostVnode } {
  const base = mkdtempSync(join(tmpdir(), 'isokernel-hostfs-'));
  made.push(base);
  const host = join(base, 'root');
  mkdirSync(host);
  mkdirSync(join(base, 'outside'));
  writeFileSync(join(base, 'outside', 'secret'), 'SECRET');
  const fs = new HostFs(host);
  return { base, host, fs, root: fs.root() };
}

describe('hostfs-root', () => {
  test('a missing root or a file root is a KernelError naming the host path', () => {
    const { base } = sandbox();
    const missing = join(base, 'no-such-dir');
    assert.throws(() => new HostFs(missing), (e: unknown) =>
      e instanceof KernelError && e.code === 'HOSTFS_ROOT' && e.message.includes(missing) && e.message.includes('does not exist'));
    const file = join(base, 'outside', 'secret');
    assert.throws(() => new HostFs(file), (e: unknown) =>
      e instanceof KernelError && e.message.includes(file) && e.message.includes('not a directory'));
  });

  test('type, root key, parent, statfs', () => {
    const { fs, root } = sandbox();
    assert.equal(fs.type, 'hostfs');
    assert.equal(root.key, '');
    assert.equal(root.parent(), null);
    const s = fs.statfs();
    assert.ok(s.blockSize > 0 && s.blocks > 0 && s.blocksFree <= s.blocks && s.files > 0);
  });
});

describe('hostfs-lookup', () => {
  test('stat: host ino and exact ns times, the filesystem\'s own dev', () => {
    const { host, fs, root } = sandbox();
    mkdirSync(join(host, 'd'));
    writeFileSync(join(host, 'd', 'f'), 'abc', { mode: 0o640 });
    const f = root.lookup('d').lookup('f');
    const st = f.stat();
    const real = lstatSync(join(host, 'd', 'f'), { bigint: true });
    assert.equal(st.dev, fs.dev);
    assert.equal(st.ino, real.ino);
    assert.equal(st.mtim, real.mtimeNs);
    assert.equal(st.ctim, real.ctimeNs);
    assert.equal(st.size, 3);
    assert.equal(st.mode, 0o640);
    assert.equal(st.filetype, FILETYPE.REGULAR_FILE);
    assert.equal(f.key, 'd/f');
    assert.equal(f.parent()?.key, 'd');
  });

  test('readdir lists names with host ino and type', () => {
    const { host, root } = sandbox();
    mkdirSync(join(host, 'sub'));
    writeFileSync(join(host, 'file'), '');
    symlinkSync('sub', join(host, 'link'));
    const entries = root.readdir().sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(entries.map((e) => [e.name, e.filetype]), [
      ['file', FILETYPE.REGULAR_FILE], ['link', FILETYPE.SYMBOLIC_LINK], ['sub', FILETYPE.DIRECTORY],
    ]);
    assert.equal(entries[2]?.ino, lstatSync(join(host, 'sub'), { bigint: true }).ino);
  });

  test('ENOENT, ENOTDIR, EINVAL for NUL, "/", "..", ENAMETOOLONG', () => {
    const { host, root } = sandbox();
    writeFileSync(join(host, 'f'), '');
    throwsErrno(() => root.lookup('missing'), E.NOENT);
    throwsErrno(() => root.lookup('f').lookup('x'), E.NOTDIR);
    throwsErrno(() => root.lookup('f\0'), E.INVAL);
    throwsErrno(() => root.create('a\0b', 0o644), E.INVAL);
    throwsErrno(() => root.lookup('../outside'), E.INVAL);
    throwsErrno(() => root.lookup('..'), E.INVAL);
    throwsErrno(() => root.mkdir('x'.repeat(256), 0o755), E.NAMETOOLONG);
  });
});

describe('hostfs-confinement', () => {
  test('symlinks to "/" and "../.." are symlink vnodes, never followed', () => {
    const { host, root } = sandbox();
    symlinkSync('/', join(host, 'slash'));
    symlinkSync('../..', join(host, 'up'));
    symlinkSync('../outside/secret', join(host, 'secret'));
    for (const [name, target] of [['slash', '/'], ['up', '../..'], ['secret', '../outside/secret']] as const) {
      const v = root.lookup(name);
      assert.equal(v.filetype, FILETYPE.SYMBOLIC_LINK);
      assert.equal(v.readlink(), target);
      assert.equal(v.stat().filetype, FILETYPE.SYMBOLIC_LINK);
      throwsErrno(() => v.lookup('etc'), E.NOTDIR);
      throwsErrno(() => v.readdir(), E.NOTDIR);
    }
  });

  test('open of a symlink fails ELOOP', () => {
    const { host, root } = sandbox();
    symlinkSync('../outside/secret', join(host, 'secret'));
    throwsErrno(() => root.lookup('secret').open(false), E.LOOP);
    throwsErrno(() => root.lookup('secret').open(true), E.LOOP);
  });

  test('a directory vnode whose path became a symlink does not lead outside', () => {
    const { base, host, root } = sandbox();
    mkdirSync(join(host, 'a'));
    writeFileSync(join(host, 'a', 'secret'), 'inside');
    const a = root.lookup('a');
    const inner = a.lookup('secret');
    // The guest's way (through the kernel): this bumps the tree generation, so no check is skipped.
    root.rename('a', root, 'a2');
    root.symlink('a', join(base, 'outside'));
    throwsErrno(() => a.lookup('secret'), E.NOENT);
    throwsErrno(() => a.readdir(), E.NOENT);
    throwsErrno(() => a.create('x', 0o644), E.NOENT);
    throwsErrno(() => inner.open(false), E.NOENT); // the file it names now is outside/secret
    throwsErrno(() => inner.stat(), E.NOENT);
    assert.equal(readFileSync(join(base, 'outside', 'secret'), 'utf8'), 'SECRET');
  });

  test('a file vnode whose path now holds another file refuses to open it', () => {
    const { host, root } = sandbox();
    writeFileSync(join(host, 'f'), 'one');
    const f = root.lookup('f');
    writeFileSync(join(host, 'other'), 'two'); // made while f lives, so not reusing its inode
    root.rename('other', root, 'f');
    throwsErrno(() => f.open(false), E.NOENT);
    assert.equal(readAll(root.lookup('f')), 'two');
  });

  test('a host-side swap is caught once the 1 ms trust of a passed check has run out', () => {
    const { base, host, root } = sandbox();
    mkdirSync(join(host, 'a'));
    writeFileSync(join(host, 'a', 'secret'), 'inside');
    writeFileSync(join(host, 'f'), 'one');
    const a = root.lookup('a');
    const inner = a.lookup('secret');
    const f = root.lookup('f');
    renameSync(join(host, 'a'), join(host, 'a2')); // by a host process: no generation bump
    symlinkSync(join(base, 'outside'), join(host, 'a'));
    writeFileSync(join(host, 'other'), 'two');
    renameSync(join(host, 'other'), join(host, 'f'));
    const until = performance.now() + 3;
    while (performance.now() < until); // past VERIFIED_FOR_MS
    throwsErrno(() => a.lookup('secret'), E.NOENT);
    throwsErrno(() => a.readdir(), E.NOENT);
    throwsErrno(() => inner.open(false), E.NOENT);
    throwsErrno(() => f.open(false), E.NOENT);
  });

  test('a guest rename of a held directory forces the check at once, through a second mount too', () => {
    const { base, host, fs } = sandbox();
    mkdirSync(join(host, 'a'));
    writeFileSync(join(host, 'a', 'secret'), 'inside');
    const other = new HostFs(host).root(); // an overlapping mount of the same host directory
    const a = fs.root().lookup('a');
    assert.equal(readAll(a.lookup('secret')), 'inside'); // a was just checked: trusted for 1 ms
    other.rename('a', other, 'a2'); // the attack, through the other mount
    other.symlink('a', join(base, 'outside'));
    throwsErrno(() => a.lookup('secret'), E.NOENT);
    throwsErrno(() => a.readdir(), E.NOENT);
    // unlink and rmdir bump too: a fresh file vnode whose name was unlinked and re-made refuses.
    writeFileSync(join(host, 'g'), 'one');
    const g = fs.root().lookup('g');
    writeFileSync(join(host, 'h'), 'two');
    other.unlink('g');
    other.link('g', other.lookup('h'));
    throwsErrno(() => g.open(false), E.NOENT);
    assert.equal(readFileSync(join(base, 'outside', 'secret'), 'utf8'), 'SECRET');
  });

  test('a host FIFO is listed but not opened', (t) => {
    const { host, root } = sandbox();
    try {
      execFileSync('mkfifo', [join(host, 'fifo')]);
    } catch {
      t.skip('mkfifo not available');
      return;
    }
    const v = root.lookup('fifo');
    assert.equal(v.filetype, FILETYPE.UNKNOWN);
    throwsErrno(() => v.open(false), E.ACCES);
  });
});

describe('hostfs-dentry-cache', () => {
  const pastTrust = () => {
    const until = performance.now() + 3;
    while (performance.now() < until); // past VERIFIED_FOR_MS
  };

  test('a lookup within the trust window is the same vnode; after it, the host is asked again', () => {
    const { host, root } = sandbox();
    writeFileSync(join(host, 'f'), 'one');
    const f = root.lookup('f');
    // Two lookups inside one millisecond meet the same vnode (tried again if the machine
    // was too busy to make both within it).
    let same = false;
    for (let i = 0; i < 100 && !same; i++) {
      const a = root.lookup('f');
      same = root.lookup('f') === a;
    }
    assert.ok(same);
    rmSync(join(host, 'f')); // by a host process: seen once the window has passed
    pastTrust();
    throwsErrno(() => root.lookup('f'), E.NOENT);
    writeFileSync(join(host, 'f'), 'two');
    const g = root.lookup('f');
    assert.notEqual(g, f);
    assert.equal(readAll(g), 'two');
  });

  test('a kernel unlink, rename or rmdir is seen at once, through another mount too', () => {
    const { host, fs } = sandbox();
    const other = new HostFs(host).root();
    writeFileSync(join(host, 'f'), 'one');
    mkdirSync(join(host, 'd'));
    writeFileSync(join(host, 'd', 'x'), 'x');
    const root = fs.root();
    root.lookup('f');
    root.lookup('d').lookup('x');
    other.unlink('f');
    throwsErrno(() => root.lookup('f'), E.NOENT);
    writeFileSync(join(host, 'g'), 'g');
    root.lookup('g');
    other.rename('g', other, 'h');
    throwsErrno(() => root.lookup('g'), E.NOENT);
    other.lookup('d').unlink('x');
    throwsErrno(() => root.lookup('d').lookup('x'), E.NOENT);
    other.rmdir('d');
    throwsErrno(() => root.lookup('d'), E.NOENT);
  });

  test('a missing name is never cached: a file made by the host is found at once', () => {
    const { host, root } = sandbox();
    throwsErrno(() => root.lookup('late'), E.NOENT);
    writeFileSync(join(host, 'late'), 'here');
    assert.equal(readAll(root.lookup('late')), 'here');
  });

  test('chmod through the kernel changes what the cached vnode shows and allows at open', (t) => {
    const { host, root } = sandbox();
    writeFileSync(join(host, 'f'), 'one');
    const f = root.lookup('f');
    f.chmod(0o000);
    assert.equal(f.stat().mode, 0o000);
    if (process.geteuid?.() !== 0) throwsErrno(() => root.lookup('f').open(false), E.ACCES);
    else t.diagnostic('running as root: mode 000 opens; the non-root rules are tested on hostAccess');
    f.chmod(0o640);
    assert.equal(root.lookup('f').stat().mode, 0o640);
    assert.equal(readAll(root.lookup('f')), 'one');
  });
});

describe('hostfs-io', () => {
  test('create, positioned write and read, truncate, allocate, sync', () => {
    const { host, root } = sandbox();
    const f = root.create('f', 0o600);
    assert.equal(lstatSync(join(host, 'f')).mode & 0o777, 0o600);
    const h = f.open(true);
    assert.equal(h.write(bytes('hello world'), 0), 11);
    assert.equal(h.write(bytes('W'), 6), 1);
    const buf = new Uint8Array(5);
    assert.equal(h.read(buf, 6), 5);
    assert.equal(text(buf), 'World');
    assert.equal(h.read(buf, 11), 0);
    h.truncate(5);
    assert.equal(f.stat().size, 5);
    h.allocate(0, 100);
    assert.equal(f.stat().size, 100);
    h.allocate(10, 10); // inside: no change
    assert.equal(f.stat().size, 100);
    h.sync();
    h.datasync();
    h.close();
    throwsErrno(() => h.read(buf, 0), E.BADF);
    f.truncate(2);
    assert.equal(readFileSync(join(host, 'f'), 'utf8'), 'he');
    throwsErrno(() => root.truncate(0), E.ISDIR);
  });

  test('a handle opened for reading cannot write (EBADF from the host)', () => {
    const { host, root } = sandbox();
    writeFileSync(join(host, 'f'), 'x');
    const h = root.lookup('f').open(false);
    throwsErrno(() => h.write(bytes('y'), 0), E.BADF);
    h.close();
  });

  test('an open file follows its inode across rename and unlink: I/O, stat, setTimes, truncate', () => {
    const { host, root } = sandbox();
    writeFileSync(join(host, 'f'), 'abc');
    const f = root.lookup('f');
    const h = f.open(true);
    const buf = new Uint8Array(3);
    h.read(buf, 0); // takes the host descriptor: from here on, host-side renames do not matter
    renameSync(join(host, 'f'), join(host, 'g'));
    assert.equal(h.read(buf, 0), 3);
    assert.equal(text(buf), 'abc');
    assert.equal(f.stat().size, 3);
    f.truncate(2);
    assert.equal(readFileSync(join(host, 'g'), 'utf8'), 'ab');
    rmSync(join(host, 'g'));
    f.setTimes(null, 5_000_000_000n);
    assert.equal(f.stat().mtim, 5_000_000_000n);
    assert.equal(f.stat().nlink, 0);
    h.close();
    throwsErrno(() => f.stat(), E.NOENT);
  });

  test('EEXIST, EISDIR for open of a directory', () => {
    const { root } = sandbox();
    root.create('f', 0o644);
    root.mkdir('d', 0o755);
    throwsErrno(() => root.create('f', 0o644), E.EXIST);
    throwsErrno(() => root.mkdir('d', 0o755), E.EXIST);
    throwsErrno(() => root.lookup('d').open(false), E.ISDIR);
  });
});

/** How many descriptors this process has open. */
const openFds = (): number => readdirSync('/proc/self/fd').length;

describe('hostfs-lazy-open', () => {
  test('open and close without I/O take no host descriptor; the first I/O does', () => {
    const { host, root } = sandbox();
    writeFileSync(join(host, 'f'), 'abc');
    const before = openFds();
    const handles = [];
    for (let i = 0; i < 20; i++) handles.push(root.lookup('f').open(i % 2 === 0));
    assert.equal(openFds(), before);
    for (const h of handles) h.close();
    assert.equal(openFds(), before);
    const h = root.lookup('f').open(false);
    const buf = new Uint8Array(3);
    assert.equal(h.read(buf, 0), 3);
    assert.equal(text(buf), 'abc');
    assert.equal(openFds(), before + 1);
    h.close();
    assert.equal(openFds(), before);
    throwsErrno(() => h.close(), E.BADF);
    throwsErrno(() => h.read(buf, 0), E.BADF);
  });

  test('a lazy handle opened for writing writes and reads (O_RDWR); every kind of I/O takes the descriptor', () => {
    const { host, root } = sandbox();
    writeFileSync(join(host, 'f'), 'abc');
    const h = root.lookup('f').open(true);
    assert.equal(h.write(bytes('X'), 1), 1);
    const buf = new Uint8Array(3);
    assert.equal(h.read(buf, 0), 3);
    assert.equal(text(buf), 'aXc');
    h.close();
    // Each of truncate, allocate, sync, datasync takes the descriptor on its own.
    const uses: ((x: FileHandle) => void)[] = [(x) => x.truncate(1), (x) => x.allocate(0, 4), (x) => x.sync(), (x) => x.datasync()];
    for (const use of uses) {
      const before = openFds();
      const g = root.lookup('f').open(true);
      use(g);
      assert.equal(openFds(), before + 1);
      g.close();
      assert.equal(openFds(), before);
    }
    assert.equal(readFileSync(join(host, 'f'), 'utf8'), 'a\0\0\0');
  });

  test('a kernel rename of the file, or of a directory above it, leaves a lazy handle on the original', () => {
    const { host, root } = sandbox();
    mkdirSync(join(host, 'd'));
    mkdirSync(join(host, 'd', 'e'));
    writeFileSync(join(host, 'd', 'e', 'f'), 'one');
    writeFileSync(join(host, 'd', 'e', 'k'), 'kay');
    writeFileSync(join(host, 'g'), 'gee');
    const d = root.lookup('d');
    const h1 = d.lookup('e').lookup('f').open(false);
    const h2 = d.lookup('e').lookup('k').open(false);
    const h3 = root.lookup('g').open(false);
    d.lookup('e').rename('f', d, 'f2'); // the file itself
    writeFileSync(join(host, 'd', 'e', 'f'), 'two'); // a new file at its old name: not ours
    root.rename('d', root, 'd2'); // the directory two levels above k
    mkdirSync(join(host, 'd', 'e'), { recursive: true });
    writeFileSync(join(host, 'd', 'e', 'k'), 'new'); // a new file at k's old path: not ours
    writeFileSync(join(host, 'other'), 'other');
    root.rename('other', root, 'g'); // replaces the file h3 was opened on
    const buf = new Uint8Array(5);
    assert.equal(text(buf.subarray(0, h1.read(buf, 0))), 'one');
    assert.equal(text(buf.subarray(0, h2.read(buf, 0))), 'kay');
    assert.equal(text(buf.subarray(0, h3.read(buf, 0))), 'gee');
    for (const h of [h1, h2, h3]) h.close();
  });

  test('a kernel unlink leaves a lazy handle on the original file, as Unix does; through another mount too', () => {
    const { host, fs } = sandbox();
    writeFileSync(join(host, 'f'), 'abc');
    const f = fs.root().lookup('f');
    const h = f.open(true);
    const other = new HostFs(host).root(); // an overlapping mount: lazy handles are matched by host path
    other.unlink('f');
    writeFileSync(join(host, 'f'), 'new');
    const buf = new Uint8Array(3);
    assert.equal(h.read(buf, 0), 3);
    assert.equal(text(buf), 'abc');
    assert.equal(f.stat().nlink, 0); // through the handle's descriptor
    assert.equal(h.write(bytes('Z'), 0), 1);
    h.close();
    assert.equal(readFileSync(join(host, 'f'), 'utf8'), 'new');
  });

  test('a file a host process swapped behind the kernel fails ESTALE at first use, not another file', () => {
    const { host, root } = sandbox();
    writeFileSync(join(host, 'f'), 'one');
    writeFileSync(join(host, 'g'), 'gee');
    const h = root.lookup('f').open(false);
    const hg = root.lookup('g').open(false);
    writeFileSync(join(host, 'other'), 'two');
    renameSync(join(host, 'other'), join(host, 'f')); // by a host process: no materialization
    renameSync(join(host, 'g'), join(host, 'g2'));
    const before = openFds();
    const buf = new Uint8Array(3);
    throwsErrno(() => h.read(buf, 0), E.STALE);
    throwsErrno(() => hg.read(buf, 0), E.NOENT);
    assert.equal(openFds(), before); // the wrong file's descriptor was closed again
    h.close();
    hg.close();
    // A swap found when the kernel materializes before its own unlink breaks the handle for good.
    writeFileSync(join(host, 'x'), 'ex');
    const hx = root.lookup('x').open(false);
    writeFileSync(join(host, 'other'), 'two');
    renameSync(join(host, 'other'), join(host, 'x'));
    root.unlink('x'); // goes ahead
    throwsErrno(() => hx.read(buf, 0), E.STALE);
    throwsErrno(() => hx.read(buf, 0), E.STALE);
    hx.close();
    throwsErrno(() => hx.read(buf, 0), E.BADF);
  });

  test('permission at open comes from the looked-up mode (root may do anything)', (t) => {
    const { host, root } = sandbox();
    writeFileSync(join(host, 'f'), 'abc');
    chmodSync(join(host, 'f'), 0o000);
    if (process.geteuid?.() !== 0) {
      throwsErrno(() => root.lookup('f').open(false), E.ACCES);
      throwsErrno(() => root.lookup('f').open(true), E.ACCES);
      return;
    }
    t.diagnostic('running as root: mode 000 opens; the non-root rules are tested on hostAccess');
    const h = root.lookup('f').open(true);
    const buf = new Uint8Array(3);
    assert.equal(h.read(buf, 0), 3);
    h.close();
  });

  test('hostAccess: root, then owner, group (primary or supplementary), others; write-only files', () => {
    const RW = MAY_READ | MAY_WRITE;
    const user: HostCredentials = { uid: 1000, gid: 100, groups: [100, 20] };
    const root: HostCredentials = { uid: 0, gid: 0, groups: [0] };
    assert.equal(hostAccess(0o000, 1000, 100, root), RW);
    assert.equal(hostAccess(0o000, 5, 5, root), RW);
    assert.equal(hostAccess(0o000, 1000, 100, user), 0);
    assert.equal(hostAccess(0o600, 1000, 7, user), RW);
    assert.equal(hostAccess(0o400, 1000, 7, user), MAY_READ);
    assert.equal(hostAccess(0o200, 1000, 7, user), MAY_WRITE);
    assert.equal(hostAccess(0o755, 1000, 7, user), RW);
    // The owner class decides even when the group or others would allow more.
    assert.equal(hostAccess(0o077, 1000, 100, user), 0);
    assert.equal(hostAccess(0o466, 1000, 100, user), MAY_READ);
    // Group: the primary group, or a supplementary one; the group class decides over others.
    assert.equal(hostAccess(0o060, 1, 100, user), RW);
    assert.equal(hostAccess(0o040, 1, 20, user), MAY_READ);
    assert.equal(hostAccess(0o007, 1, 20, user), 0);
    // Others.
    assert.equal(hostAccess(0o664, 1, 7, user), MAY_READ);
    assert.equal(hostAccess(0o666, 1, 7, user), RW);
    assert.equal(hostAccess(0o002, 1, 7, user), MAY_WRITE);
    // Execute and the special bits give nothing here.
    assert.equal(hostAccess(0o7111, 1000, 100, user), 0);
    // No credentials (not a POSIX host): the host decides at first use.
    assert.equal(hostAccess(0o000, 1, 1, null), RW);
  });
});

describe('hostfs-names', () => {
  test('symlink stores the target verbatim; hard links count', () => {
    const { host, root } = sandbox();
    root.symlink('l', '/etc/../passwd');
    assert.equal(lstatSync(join(host, 'l')).isSymbolicLink(), true);
    assert.equal(root.lookup('l').readlink(), '/etc/../passwd');
    const f = root.create('f', 0o644);
    root.mkdir('d', 0o755);
    root.lookup('d').link('g', f);
    assert.equal(f.stat().nlink, 2);
    assert.equal(root.lookup('d').lookup('g').stat().ino, f.stat().ino);
    throwsErrno(() => root.link('d2', root.lookup('d')), E.PERM);
    throwsErrno(() => root.link('f', f), E.EXIST);
    throwsErrno(() => root.link('x', new TmpFs().root().create('t', 0o644)), E.XDEV);
    throwsErrno(() => new HostFs(host).root().link('x', f), E.XDEV);
    throwsErrno(() => root.lookup('f').readlink(), E.INVAL);
  });

  test('unlink and rmdir errors', () => {
    const { root } = sandbox();
    const d = root.mkdir('d', 0o755);
    d.create('f', 0o644);
    root.create('f', 0o644);
    throwsErrno(() => root.unlink('d'), E.ISDIR);
    throwsErrno(() => root.unlink('nope'), E.NOENT);
    throwsErrno(() => root.rmdir('d'), E.NOTEMPTY);
    throwsErrno(() => root.rmdir('f'), E.NOTDIR);
    d.unlink('f');
    root.rmdir('d');
    throwsErrno(() => root.lookup('d'), E.NOENT);
  });

  test('rename rules', () => {
    const { host, root } = sandbox();
    const a = root.mkdir('a', 0o755);
    const b = a.mkdir('b', 0o755);
    root.mkdir('empty', 0o755);
    root.mkdir('full', 0o755).create('x', 0o644);
    root.create('f', 0o644);
    root.create('g', 0o644);
    throwsErrno(() => root.rename('a', b, 'x'), E.INVAL);
    throwsErrno(() => root.rename('f', root, 'a'), E.ISDIR);
    throwsErrno(() => root.rename('a', root, 'f'), E.NOTDIR);
    throwsErrno(() => root.rename('a', root, 'full'), E.NOTEMPTY);
    throwsErrno(() => root.rename('nope', root, 'x'), E.NOENT);
    throwsErrno(() => root.rename('f', new TmpFs().root(), 'f'), E.XDEV);
    root.rename('f', root, 'f');
    root.rename('f', root, 'g');
    assert.equal(readFileSync(join(host, 'g'), 'utf8'), '');
    throwsErrno(() => root.lookup('f'), E.NOENT);
    root.rename('a', root, 'empty');
    assert.equal(root.lookup('empty').lookup('b').filetype, FILETYPE.DIRECTORY);
  });
});

describe('hostfs-times', () => {
  test('setTimes keeps values to the microsecond; null keeps; now is now', () => {
    const { root } = sandbox();
    const f = root.create('f', 0o644);
    const t = 1_700_000_000_123_456_789n;
    f.setTimes(t, t + 1_000_000_000n);
    let st = f.stat();
    assert.ok(st.atim >= t - 1000n && st.atim <= t + 1000n, String(st.atim));
    assert.ok(st.mtim >= t + 999_999_000n && st.mtim <= t + 1_000_001_000n, String(st.mtim));
    const before = BigInt(Date.now() - 1000) * 1_000_000n;
    f.setTimes(null, 'now');
    st = f.stat();
    assert.ok(st.atim >= t - 1000n && st.atim <= t + 1000n, String(st.atim));
    assert.ok(st.mtim >= before, String(st.mtim));
  });
});

describe('hostfs-readonly', () => {
  let host = '';
  let fs: HostFs;
  before(() => {
    host = sandbox().host;
    writeFileSync(join(host, 'f'), 'data');
    mkdirSync(join(host, 'd'));
    fs = new HostFs(host, { readOnly: true });
  });

  test('every mutation fails EROFS; EEXIST wins for an existing name; reads work', () => {
    assertReadOnly(fs.root(), 'data');
    assert.equal(readFileSync(join(host, 'f'), 'utf8'), 'data');
  });
});

describe('hostfs-errno', () => {
  test('host codes map by name; aliases; unknown is EIO', () => {
    const err = (code: string): Error => Object.assign(new Error(code), { code, errno: -1 });
    assert.equal(hostErrno(err('ENOENT')), E.NOENT);
    assert.equal(hostErrno(err('EACCES')), E.ACCES);
    assert.equal(hostErrno(err('ELOOP')), E.LOOP);
    assert.equal(hostErrno(err('ETXTBSY')), E.TXTBSY);
    assert.equal(hostErrno(err('EWOULDBLOCK')), E.AGAIN);
    assert.equal(hostErrno(err('EOPNOTSUPP')), E.NOTSUP);
    assert.equal(hostErrno(err('ESOMETHING')), E.IO);
    assert.equal(hostErrno(err('ENOTCAPABLE')), E.IO);
    assert.equal(hostErrno(new Error('no code')), E.IO);
  });
});
