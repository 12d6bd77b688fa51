// What the filesystems share: the check every name passes before a filesystem touches it,
// the nanosecond wall clock for timestamps, and MemVnode, the attribute block (ino, mode,
// owner, link count, times) of an inode that lives in kernel memory (tmpfs, devfs).
import { Buffer } from 'node:buffer';
import { E } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import { Vnode, type Stat, type TimeSpec } from './vnode.ts';

/** NAME_MAX: the longest name, in UTF-8 bytes. */
export const NAME_MAX = 255;
/** PATH_MAX: the longest symlink target, in UTF-8 bytes, counting the terminating NUL. */
export const PATH_MAX = 4096;

/**
 * Checks one path component. The namespace layer never passes '', '.', '..' or a name with
 * '/'; refusing them here too is defence in depth.
 * Errors: EINVAL (empty, '.', '..', '/' or NUL in the name), ENAMETOOLONG (over NAME_MAX bytes).
 */
export function checkName(name: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    fail(E.INVAL);
  }
  if (name.length > NAME_MAX / 3 && Buffer.byteLength(name, 'utf8') > NAME_MAX) fail(E.NAMETOOLONG);
}

/** Checks a symlink target. Errors: ENOENT (empty), EINVAL (NUL), ENAMETOOLONG (PATH_MAX). */
export function checkTarget(target: string): void {
  if (target === '') fail(E.NOENT);
  if (target.includes('\0')) fail(E.INVAL);
  if (Buffer.byteLength(target, 'utf8') >= PATH_MAX) fail(E.NAMETOOLONG);
}

// hrtime is monotonic with ns resolution; anchoring it once to the wall clock gives
// timestamps that never go backwards within a run.
const EPOCH_OFFSET = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

/** Wall-clock time in ns since the Unix epoch. */
export function nowNs(): bigint {
  return EPOCH_OFFSET + process.hrtime.bigint();
}

/** A TimeSpec made concrete: 'now' is `now`, null keeps `current`. */
export function resolveTime(spec: TimeSpec, current: bigint, now: bigint): bigint {
  return spec === null ? current : spec === 'now' ? now : spec;
}

/** An inode held in kernel memory: its attributes live in the object itself. */
export abstract class MemVnode extends Vnode {
  readonly ino: bigint;
  readonly key: number;
  mode: number;
  uid = 0;
  gid = 0;
  nlink = 1;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;

  constructor(ino: bigint, mode: number) {
    super();
    this.ino = ino;
    this.key = Number(ino);
    this.mode = mode & 0o7777;
    this.atim = this.mtim = this.ctim = nowNs();
  }

  /** st_size as the filesystem reports it. */
  protected abstract size(): number;

  /** The contents changed: mtime and ctime become now. */
  modified(): void {
    this.mtim = this.ctim = nowNs();
  }

  /** The attributes changed (links, name, times): ctime becomes now. */
  changed(): void {
    this.ctim = nowNs();
  }

  stat(): Stat {
    return {
      dev: this.fs.dev, ino: this.ino, filetype: this.filetype, nlink: this.nlink,
      size: this.size(), atim: this.atim, mtim: this.mtim, ctim: this.ctim,
      mode: this.mode, uid: this.uid, gid: this.gid,
    };
  }

  /** Errors: EROFS on a read-only filesystem. */
  override chmod(mode: number): void {
    if (this.fs.readOnly) fail(E.ROFS);
    this.mode = mode & 0o7777;
    this.ctim = nowNs();
  }

  /** Errors: EROFS on a read-only filesystem. */
  override setTimes(atim: TimeSpec, mtim: TimeSpec): void {
    if (this.fs.readOnly) fail(E.ROFS);
    const now = nowNs();
    this.atim = resolveTime(atim, this.atim, now);
    this.mtim = resolveTime(mtim, this.mtim, now);
    this.ctim = now;
  }
}
