// Shared by the vfs-*.test.ts files: errno assertions, byte helpers, checks every filesystem passes.
import assert from 'node:assert/strict';
import { E, errnoName } from '../../src/abi/wasi.ts';
import { isSysError } from '../../src/kernel/errors.ts';
import { nowNs } from '../../src/kernel/vfs/inode.ts';
import type { Vnode } from '../../src/kernel/vfs/vnode.ts';

/** Asserts that fn throws the SysError `errno` (and names both errnos when it does not). */
export function throwsErrno(fn: () => unknown, errno: number): void {
  try {
    fn();
  } catch (e) {
    if (!isSysError(e)) throw e;
    assert.equal(errnoName(e.errno), errnoName(errno));
    return;
  }
  assert.fail(`expected ${errnoName(errno)}, but the call returned`);
}

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
export const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Waits until the ns clock has moved on, so a later timestamp is strictly greater. */
export function tick(): bigint {
  const t = nowNs();
  while (nowNs() === t);
  return nowNs();
}

/** The whole contents of a regular file, read through a handle. */
export function readAll(v: Vnode): string {
  const h = v.open(false);
  const buf = new Uint8Array(v.stat().size);
  const n = h.read(buf, 0);
  h.close();
  return text(buf.subarray(0, n));
}

/**
 * Asserts that every mutation under a read-only `root` fails EROFS (EEXIST first for an
 * existing name), given its regular file `f` and empty directory `d`; and that reads work.
 */
export function assertReadOnly(root: Vnode, expectedContents: string): void {
  const f = root.lookup('f');
  throwsErrno(() => root.create('new', 0o644), E.ROFS);
  throwsErrno(() => root.create('f', 0o644), E.EXIST);
  throwsErrno(() => root.mkdir('new', 0o755), E.ROFS);
  throwsErrno(() => root.symlink('new', 'x'), E.ROFS);
  throwsErrno(() => root.link('new', f), E.ROFS);
  throwsErrno(() => root.unlink('f'), E.ROFS);
  throwsErrno(() => root.rmdir('d'), E.ROFS);
  throwsErrno(() => root.rename('f', root, 'g'), E.ROFS);
  throwsErrno(() => f.truncate(0), E.ROFS);
  throwsErrno(() => f.setTimes('now', 'now'), E.ROFS);
  throwsErrno(() => f.open(true), E.ROFS);
  assert.equal(readAll(f), expectedContents);
  assert.equal(root.fs.readOnly, true);
}
