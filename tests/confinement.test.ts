// Confinement (issue 5, item 8): a guest tries to leave a hostfs mount, and every attempt
// fails with the errno listed here. This file is the readable list; the machinery it rests
// on is tested in detail elsewhere and not repeated:
//   tests/unit/vfs-namespace.test.ts  the path walk: `..` at mount roots and the process
//                                     root, RESOLVE_BENEATH (namespace-beneath), symlinks
//                                     resolved in guest space (namespace-symlink-confined),
//                                     ELOOP/ENOTDIR/ENAMETOOLONG/EINVAL (namespace-errors),
//                                     EXDEV across mounts (namespace-ops-across-mounts)
//   tests/unit/vfs-hostfs.test.ts     the host side: symlinks never followed by the host,
//                                     names with '/' or NUL refused, a directory swapped for
//                                     a symlink behind the kernel's back
//   tests/hostile.test.ts             wild pointers and lengths, and a fuzzer, on hostfs
//
// The attempts come from a guest, tests/isolation/src/escape.c (raw WASI calls, so that a
// path may hold a NUL byte, and libisokernel's chdir, open and posix_spawn). Two rules apply:
//   - WASI path calls resolve *beneath* their directory descriptor (capabilities, as
//     wasmtime and openat2(RESOLVE_BENEATH)): `..` above it, an absolute path or an absolute
//     symlink is EPERM, however it is spelled.
//   - The isokernel calls (chdir, spawn) and paths relative to the cwd use POSIX rules from
//     the process's root: `..` at the root stays there, and what lies outside the guest's
//     namespace does not exist in it (ENOENT). The host directory above a mount is never in
//     the guest's namespace at all.
// After the attempts, the host is checked: the secret beside the mount is unread and
// unchanged, and nothing was created or renamed outside the mount.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { errnoName } from '../src/abi/wasi.ts';
import { Kernel } from '../src/kernel/kernel.ts';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const ESCAPE = path.join(root, 'tests/isolation/bin/escape.wasm');

/** [what is tried, the attempt (escape.c's syntax), what it must give]. */
type Attempt = [what: string, attempt: string[], expected: string];

const LONG_PATH = 'dir/'.repeat(1100) + 'file'; // 4404 bytes: over PATH_MAX (4096)
const LONG_NAME = 'n'.repeat(256); // over NAME_MAX (255)

// The guest sees the host directory JAIL (below) at /jail, as descriptor 3, and a tmpfs at
// /other, as descriptor 4; fd 5 is '/'. Beside JAIL on the host lies outside/secret.
const MOUNTED: Attempt[] = [
  ['a file inside the mount (the control)', ['open', '3', 'file'], 'ok: inside'],
  // `..` chains
  ['`..` out of the mount', ['open', '3', '../outside/secret'], 'EPERM'],
  ['`..` after a directory, out of the mount', ['open', '3', 'dir/../../outside/secret'], 'EPERM'],
  ['`..` chain through the `/` descriptor', ['open', '5', 'jail/../../outside/secret'], 'EPERM'],
  ['an absolute path through the mount\'s descriptor', ['open', '3', '/etc/passwd'], 'EPERM'],
  ['a directory made with `..`', ['mkdir', '3', '../newdir'], 'EPERM'],
  // symlinks to `..`, to `/`, out of the mount, and loops
  ['a symlink to `..`, then a path on', ['open', '3', 'up/outside/secret'], 'EPERM'],
  ['a symlink to `../..`', ['open', '3', 'upup'], 'EPERM'],
  ['stat through a symlink to `..`', ['stat', '3', 'up'], 'EPERM'],
  ['a symlink to `/`', ['open', '3', 'root'], 'EPERM'],
  ['a relative symlink climbing out of the mount', ['open', '3', 'out'], 'EPERM'],
  ['a symlink in a subdirectory climbing out', ['open', '3', 'dir/deep/secret'], 'EPERM'],
  ['a symlink holding the secret\'s absolute host path', ['open', '3', 'hostabs'], 'EPERM'],
  ['a symlink the guest plants itself, pointing out', ['symlink', '../outside/secret', '3', 'planted'], 'ok'],
  ['... followed', ['open', '3', 'planted'], 'EPERM'],
  ['a final symlink not followed (O_NOFOLLOW)', ['open-nofollow', '3', 'out'], 'ELOOP'],
  ['a symlink to itself', ['open', '3', 'loop'], 'ELOOP'],
  ['two symlinks to each other', ['open', '3', 'a'], 'ELOOP'],
  // rename and hard link out of the mount
  ['rename into another mount', ['rename', '3', 'file', '4', 'x'], 'EXDEV'],
  ['hard link into another mount', ['link', '3', 'file', '4', 'x'], 'EXDEV'],
  ['rename with `..` out of the mount', ['rename', '3', 'file', '3', '../x'], 'EPERM'],
  ['hard link with `..` out of the mount', ['link', '3', 'file', '3', '../x'], 'EPERM'],
  // NUL bytes, very long paths, paths through a file
  ['a NUL byte, then a path out', ['open', '3', 'file\\0/../../outside/secret'], 'EINVAL'],
  ['a NUL byte in a new name', ['mkdir', '3', 'new\\0dir'], 'EINVAL'],
  ['a path over PATH_MAX (4096 bytes)', ['open', '3', LONG_PATH], 'ENAMETOOLONG'],
  ['a name over NAME_MAX (255 bytes)', ['open', '3', LONG_NAME], 'ENAMETOOLONG'],
  ['a path through a file', ['open', '3', 'file/x'], 'ENOTDIR'],
  ['`..` after a file', ['open', '3', 'file/..'], 'ENOTDIR'],
  // POSIX rules (the kernel's chdir and spawn, paths relative to the cwd)
  ['chdir with more `..` than there are levels', ['chdir', '/jail/../../..'], 'ok: /'],
  ['... then the secret relative to that cwd', ['cwd-open', 'outside/secret'], 'ENOENT'],
  ['chdir through a symlink to `..`', ['chdir', '/jail/up'], 'ok: /'],
  ['chdir through a symlink to `../..`', ['chdir', '/jail/upup'], 'ok: /'],
  ['chdir through a symlink to `/`', ['chdir', '/jail/root'], 'ok: /'],
  ['chdir through a symlink to `..`, twice', ['chdir', '/jail/up/up'], 'ENOENT'],
  ['chdir through a file', ['chdir', '/jail/file'], 'ENOTDIR'],
  ['spawn through a symlink climbing out', ['spawn', '/jail/out'], 'ENOENT'],
  ['spawn through the secret\'s absolute host path', ['spawn', '/jail/hostabs'], 'ENOENT'],
  ['open(2) of an absolute path with `..` (libisokernel resolves it from `/`)', ['cwd-open', '/jail/../outside/secret'], 'ENOENT'],
  ['open(2) through the symlink climbing out (a WASI call beneath /jail)', ['cwd-open', '/jail/out'], 'EPERM'],
];

// The same host directory as the guest's root (`isokernel run --dir JAIL::/`): fd 3 is '/'.
const AS_ROOT: Attempt[] = [
  ['a file at the root (the control)', ['open', '3', 'file'], 'ok: inside'],
  ['`..` above the root', ['open', '3', '../outside/secret'], 'EPERM'],
  ['a symlink to `..` at the root', ['open', '3', 'up/outside/secret'], 'EPERM'],
  ['chdir above the root stays at the root', ['chdir', '/../../..'], 'ok: /'],
  ['... where the host directory above does not exist', ['cwd-open', 'outside/secret'], 'ENOENT'],
  ['chdir through a symlink to `..` at the root', ['chdir', '/up'], 'ok: /'],
  ['spawn through a symlink climbing out', ['spawn', '/out'], 'ENOENT'],
  ['open(2) through a symlink to `../..` (a WASI call beneath `/`)', ['cwd-open', '/upup/outside/secret'], 'EPERM'],
];

let host: string;
let jail: string;

function makeJail(): void {
  host = mkdtempSync(path.join(tmpdir(), 'isokernel-confinement-'));
  mkdirSync(path.join(host, 'outside'));
  writeFileSync(path.join(host, 'outside/secret'), 'SECRET\n');
  jail = path.join(host, 'jail');
  mkdirSync(path.join(jail, 'dir'), { recursive: true });
  writeFileSync(path.join(jail, 'file'), 'inside\n');
  symlinkSync('..', path.join(jail, 'up'));
  symlinkSync('../..', path.join(jail, 'upup'));
  symlinkSync('/', path.join(jail, 'root'));
  symlinkSync('../outside/secret', path.join(jail, 'out'));
  symlinkSync(path.join(host, 'outside/secret'), path.join(jail, 'hostabs'));
  symlinkSync('loop', path.join(jail, 'loop'));
  symlinkSync('b', path.join(jail, 'a'));
  symlinkSync('a', path.join(jail, 'b'));
  symlinkSync('../../outside', path.join(jail, 'dir/deep'));
}

/** Runs the attempts in one guest; returns each one's result ("ok…" or an errno name). */
async function attempt(kernel: Kernel, attempts: Attempt[], preopens: string[]): Promise<string[]> {
  const argv = ['escape', ...attempts.flatMap(([, a], i) => (i > 0 ? [';', ...a] : a))];
  const p = kernel.spawn({ program: ESCAPE, args: argv, preopens, stdio: ['null', 'capture', 'capture'] });
  const st = await p.exited;
  assert.equal(p.output(2).toString(), '');
  assert.deepEqual(st, { code: 0, signal: null, status: 0, core: false });
  const lines = p.output(1).toString().split('\n').slice(0, -1);
  assert.equal(lines.length, attempts.length);
  return lines.map((l) => l.replace(/^errno (\d+)$/, (_, n: string) => errnoName(Number(n))));
}

function check(attempts: Attempt[], got: string[]): void {
  const wrong = attempts.flatMap(([what, a, expected], i) =>
    got[i] === expected ? [] : [`${what} (${a.join(' ').slice(0, 60)}): got ${got[i]}, expected ${expected}`]);
  assert.deepEqual(wrong, []);
}

/** Nothing outside the jail was read into the guest, changed or created. */
function hostUntouched(): void {
  assert.deepEqual(readdirSync(host).sort(), ['jail', 'outside']);
  assert.deepEqual(readdirSync(path.join(host, 'outside')), ['secret']);
  assert.equal(readFileSync(path.join(host, 'outside/secret'), 'utf8'), 'SECRET\n');
  assert.equal(existsSync(path.join(host, 'x')), false);
  assert.equal(existsSync(path.join(host, 'newdir')), false);
}

describe('confinement: hostfs escape attempts, each with its errno', () => {
  before(makeJail);
  after(() => rmSync(host, { recursive: true, force: true }));

  it('confinement-mounted: a host directory mounted at /jail cannot be left', async () => {
    const kernel = await Kernel.boot({});
    try {
      kernel.ns.root.vnode.mkdir('jail', 0o755);
      kernel.ns.root.vnode.mkdir('other', 0o755);
      kernel.mount('/jail', { type: 'hostfs', host: jail });
      kernel.mount('/other', { type: 'tmpfs' });
      const got = await attempt(kernel, MOUNTED, ['/jail', '/other']);
      check(MOUNTED, got);
      // The one thing that succeeded left only a symlink inside the mount.
      assert.equal(existsSync(path.join(jail, 'planted')), true);
      assert.ok(!got.some((g) => g.includes('SECRET')));
      hostUntouched();
    } finally {
      await kernel.shutdown();
      rmSync(path.join(jail, 'planted'), { force: true });
    }
  });

  it('confinement-root: the same directory as the guest\'s root cannot be left either', async () => {
    const kernel = await Kernel.boot({ root: { type: 'hostfs', host: jail } });
    try {
      const got = await attempt(kernel, AS_ROOT, []);
      check(AS_ROOT, got);
      hostUntouched();
    } finally {
      await kernel.shutdown();
    }
  });
});
