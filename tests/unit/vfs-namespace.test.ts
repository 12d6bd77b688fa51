// The namespace: mount covering, '..' across mounts and at the root, symlinks followed in
// guest space, and the path rules of path_resolution(7).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { E, FILETYPE } from '../../src/abi/wasi.ts';
import { HostFs } from '../../src/kernel/vfs/hostfs.ts';
import { type Loc, Namespace } from '../../src/kernel/vfs/namespace.ts';
import { openAt, renameAt, linkAt, mkdirAt, unlinkAt, rmdirAt, listDir } from '../../src/kernel/vfs/ops.ts';
import { TmpFs } from '../../src/kernel/vfs/tmpfs.ts';
import { throwsErrno } from './vfs-helpers.ts';

function setup(): { ns: Namespace; root: Loc; host: string } {
  const ns = new Namespace(new TmpFs());
  const root = ns.root;
  root.vnode.mkdir('etc', 0o755).create('passwd', 0o644);
  root.vnode.mkdir('mnt', 0o755);
  const host = fs.mkdtempSync(path.join(os.tmpdir(), 'isokernel-ns-'));
  fs.mkdirSync(path.join(host, 'sub'));
  fs.writeFileSync(path.join(host, 'sub', 'file'), 'data');
  fs.symlinkSync('/', path.join(host, 'to-root'));
  fs.symlinkSync('../../..', path.join(host, 'sub', 'up'));
  fs.symlinkSync('loop2', path.join(host, 'loop1'));
  fs.symlinkSync('loop1', path.join(host, 'loop2'));
  ns.mount('/mnt/host', new HostFs(host));
  return { ns, root, host };
}

describe('namespace', () => {
  const hosts: string[] = [];
  after(() => hosts.forEach((h) => fs.rmSync(h, { recursive: true, force: true })));

  it('namespace-mount-cover: a mount point need not exist below and shows in listings', () => {
    const { ns, root, host } = setup();
    hosts.push(host);
    const sub = ns.resolve(root, root, '/mnt/host/sub', true);
    assert.equal(sub.vnode.filetype, FILETYPE.DIRECTORY);
    const names = listDir(ns, root, ns.resolve(root, root, '/mnt', true)).map((e) => e.name);
    assert.deepEqual(names, ['.', '..', 'host']);
  });

  it('namespace-pathof: the path of a directory, through the hostfs shortcut and across mounts and a chroot', () => {
    const { ns, root, host } = setup();
    hosts.push(host);
    fs.mkdirSync(path.join(host, 'sub', 'deep', 'er'), { recursive: true });
    const deep = ns.resolve(root, root, '/mnt/host/sub/deep/er', true);
    assert.equal(ns.pathOf(deep, root), '/mnt/host/sub/deep/er');
    // reached through a symlink: the path is the directory's own, not the link's
    fs.symlinkSync('sub/deep', path.join(host, 'link'));
    assert.equal(ns.pathOf(ns.resolve(root, root, '/mnt/host/link/er', true), root), '/mnt/host/sub/deep/er');
    assert.equal(ns.pathOf(ns.resolve(root, root, '/mnt/host', true), root), '/mnt/host');
    // a process root inside the same hostfs mount: the walk stops there
    const jail = ns.resolve(root, root, '/mnt/host/sub', true);
    assert.equal(ns.pathOf(deep, jail), '/deep/er');
    assert.equal(ns.pathOf(ns.resolve(root, root, '/etc', true), root), '/etc');
  });

  it('namespace-dotdot: .. at a mount root climbs to the covering directory; at the root stays', () => {
    const { ns, root, host } = setup();
    hosts.push(host);
    const etc = ns.resolve(root, root, '/mnt/host/sub/../../../etc/passwd', true);
    assert.equal(etc.vnode.filetype, FILETYPE.REGULAR_FILE);
    const r = ns.resolve(root, root, '/../../..', true);
    assert.equal(r.vnode.key, root.vnode.key);
  });

  it('namespace-symlink-confined: host symlinks resolve in guest space, never on the host', () => {
    const { ns, root, host } = setup();
    hosts.push(host);
    // to-root -> '/' is the guest's root, not the host's: /etc/passwd here is the tmpfs one.
    const viaLink = ns.resolve(root, root, '/mnt/host/to-root/etc/passwd', true);
    assert.equal(viaLink.mount, root.mount);
    // sub/up -> ../../.. climbs out of the mount into the guest tree, never the host's.
    const up = ns.resolve(root, root, '/mnt/host/sub/up', true);
    assert.equal(up.vnode.key, root.vnode.key);
    // A process whose root is the host mount cannot leave it by '..' or links.
    const jail = ns.resolve(root, root, '/mnt/host', true);
    const out = ns.resolve(jail, jail, '/sub/up/../../..', true);
    assert.equal(out.vnode.key, jail.vnode.key);
    assert.equal(ns.resolve(jail, jail, 'to-root', true).vnode.key, jail.vnode.key);
  });

  it('namespace-errors: ELOOP, ENOTDIR, ENOENT, ENAMETOOLONG, EINVAL for NUL', () => {
    const { ns, root, host } = setup();
    hosts.push(host);
    throwsErrno(() => ns.resolve(root, root, '/mnt/host/loop1', true), E.LOOP);
    throwsErrno(() => ns.resolve(root, root, '/etc/passwd/x', true), E.NOTDIR);
    throwsErrno(() => ns.resolve(root, root, '/etc/passwd/', true), E.NOTDIR);
    throwsErrno(() => ns.resolve(root, root, '', true), E.NOENT);
    throwsErrno(() => ns.resolve(root, root, '/nope', true), E.NOENT);
    throwsErrno(() => ns.resolve(root, root, '/' + 'a'.repeat(256), true), E.NAMETOOLONG);
    throwsErrno(() => ns.resolve(root, root, '/' + 'a/'.repeat(2100), true), E.NAMETOOLONG);
    throwsErrno(() => ns.resolve(root, root, '/etc\0/passwd', true), E.INVAL);
    // Without follow, the link itself is the answer.
    assert.equal(ns.resolve(root, root, '/mnt/host/loop1', false).vnode.filetype, FILETYPE.SYMBOLIC_LINK);
  });

  it('namespace-ops-across-mounts: rename and link across mounts are EXDEV; mount points are busy', () => {
    const { ns, root, host } = setup();
    hosts.push(host);
    throwsErrno(() => renameAt(ns, root, root, '/etc/passwd', root, '/mnt/host/passwd'), E.XDEV);
    throwsErrno(() => linkAt(ns, root, root, '/etc/passwd', false, root, '/mnt/host/passwd'), E.XDEV);
    throwsErrno(() => rmdirAt(ns, root, root, '/mnt/host'), E.BUSY);
    throwsErrno(() => unlinkAt(ns, root, root, '/mnt/host'), E.BUSY);
    throwsErrno(() => mkdirAt(ns, root, root, '/mnt/host', 0o755), E.EXIST);
    throwsErrno(() => renameAt(ns, root, root, '/mnt/host', root, '/mnt/other'), E.BUSY);
  });

  it('namespace-open-rules: O_CREAT|O_EXCL, O_DIRECTORY, nofollow and trailing slashes', () => {
    const { ns, root, host } = setup();
    hosts.push(host);
    const o = { follow: true, create: false, exclusive: false, truncate: false, directory: false, read: true, write: false, fdflags: 0, mode: 0o644 };
    throwsErrno(() => openAt(ns, root, root, '/etc/passwd', { ...o, create: true, exclusive: true }), E.EXIST);
    throwsErrno(() => openAt(ns, root, root, '/etc/passwd', { ...o, directory: true }), E.NOTDIR);
    throwsErrno(() => openAt(ns, root, root, '/etc', { ...o, write: true }), E.ISDIR);
    throwsErrno(() => openAt(ns, root, root, '/mnt/host/to-root', { ...o, follow: false }), E.LOOP);
    throwsErrno(() => openAt(ns, root, root, '/etc/newdir/', { ...o, create: true, write: true }), E.ISDIR);
    // A dangling link with O_CREAT creates its target, as Linux does.
    fs.symlinkSync('made-by-link', path.join(host, 'dangling'));
    const r = openAt(ns, root, root, '/mnt/host/dangling', { ...o, create: true, write: true });
    assert.ok('file' in r);
    r.file.close();
    assert.ok(fs.existsSync(path.join(host, 'made-by-link')));
  });
});

describe('namespace beneath', () => {
  it('namespace-beneath: EPERM for absolute paths, absolute links and .. above the start; links inside are fine', () => {
    const ns = new Namespace(new TmpFs());
    const root = ns.root;
    const top = root.vnode.mkdir('top', 0o755);
    const sub = top.mkdir('sub', 0o755);
    top.create('f', 0o644);
    sub.symlink('up', '../f');
    sub.symlink('abs', '/top/f');
    sub.symlink('out', '../../etc');
    const start: Loc = { mount: root.mount, vnode: top };
    const scope = { root, beneath: true };
    throwsErrno(() => ns.resolve(scope, start, '/top/f', true), E.PERM);
    throwsErrno(() => ns.resolve(scope, start, '../top/f', true), E.PERM);
    throwsErrno(() => ns.resolve(scope, start, 'sub/abs', true), E.PERM);
    throwsErrno(() => ns.resolve(scope, start, 'sub/out', true), E.PERM);
    throwsErrno(() => ns.resolveParent(scope, start, '..'), E.PERM);
    assert.equal(ns.resolve(scope, start, 'sub/up', true).vnode.filetype, FILETYPE.REGULAR_FILE);
    assert.equal(ns.resolve(scope, start, 'sub/../f', true).vnode.filetype, FILETYPE.REGULAR_FILE);
    // O_CREAT through a link that climbs, but stays beneath, opens the existing target.
    const o = { follow: true, create: true, exclusive: false, truncate: false, directory: false, read: true, write: true, fdflags: 0, mode: 0o644 };
    const r = openAt(ns, scope, start, 'sub/up', o);
    assert.ok('file' in r);
    r.file.close();
    // Without beneath, the same walks go where POSIX says.
    assert.equal(ns.resolve(root, start, '/top/f', true).vnode.filetype, FILETYPE.REGULAR_FILE);
  });
});
