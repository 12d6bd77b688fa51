// Path operations on plain values: what path_open, mkdir, unlink, rename ... do once the
// syscall layer has decoded the guest's arguments. Each takes the namespace, the process's
// root (for absolute paths and symlinks) and the directory a relative path starts from.
// Rules follow Linux's *at() calls; the Errors paragraph of each names what it throws.
import { E, FILETYPE } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import { DirectoryFile, type OpenFile, VnodeFile } from '../fd/open-file.ts';
import { type Loc, type Namespace, type ParentLoc, rootOf, sameLoc, type Scope } from './namespace.ts';
import type { DirEntry, Stat, TimeSpec } from './vnode.ts';

export interface OpenOptions {
  follow: boolean;
  create: boolean;
  exclusive: boolean;
  truncate: boolean;
  directory: boolean;
  read: boolean;
  write: boolean;
  /** FDFLAGS for the new description. */
  fdflags: number;
  mode: number;
}

export type OpenResult = { file: OpenFile } | { aliasFd: number };

/**
 * Opens (and with `create`, creates) a file or directory.
 * Errors: ENOENT, EEXIST (exclusive create of an existing name, even a dangling link),
 * ENOTDIR (`directory` on a non-directory, a trailing '/' on a file), EISDIR (writing or
 * creating a directory), ELOOP (a symlink as last component without `follow`), EROFS.
 */
export function openAt(ns: Namespace, root: Loc | Scope, base: Loc, path: string, o: OpenOptions): OpenResult {
  let loc: Loc;
  if (o.create) {
    // Linux: O_CREAT|O_DIRECTORY is EINVAL; O_CREAT never opens a directory (EISDIR).
    if (o.directory) fail(E.INVAL);
    const pl = ns.resolveParent(root, base, path);
    if (pl.name === '.' || pl.name === '..') fail(E.ISDIR);
    let existing: Loc | null = null;
    try {
      existing = ns.lookupLast(root, pl);
    } catch (e) {
      if ((e as { errno?: number }).errno !== E.NOENT) throw e;
    }
    if (existing === null) {
      if (pl.trailingSlash) fail(E.ISDIR);
      const vnode = pl.dir.vnode.create(pl.name, o.mode);
      loc = { mount: pl.dir.mount, vnode };
    } else {
      if (o.exclusive) fail(E.EXIST);
      loc = existing.vnode.filetype === FILETYPE.SYMBOLIC_LINK
        ? resolveLink(ns, root, pl, existing, o.follow)
        : existing;
      if (loc.vnode.filetype === FILETYPE.DIRECTORY || pl.trailingSlash) fail(E.ISDIR);
    }
  } else {
    loc = ns.resolve(root, base, path, o.follow);
    if (loc.vnode.filetype === FILETYPE.SYMBOLIC_LINK) fail(o.directory ? E.NOTDIR : E.LOOP);
  }
  const type = loc.vnode.filetype;
  if (type === FILETYPE.SYMBOLIC_LINK) fail(E.LOOP);
  if (type === FILETYPE.DIRECTORY) {
    if (o.write || o.truncate) fail(E.ISDIR);
    return { file: new DirectoryFile(loc, o.fdflags) };
  }
  if (o.directory) fail(E.NOTDIR);
  if (loc.vnode.aliasFd !== undefined) return { aliasFd: loc.vnode.aliasFd };
  if (loc.vnode.openFile !== undefined) return { file: loc.vnode.openFile(o.read, o.write, o.fdflags) };
  // Linux truncates even when the file is opened read-only; so do we.
  if (o.truncate && type === FILETYPE.REGULAR_FILE) loc.vnode.truncate(0);
  const handle = loc.vnode.open(o.write);
  return { file: new VnodeFile(loc, handle, o.read, o.write, o.fdflags) };
}

/** O_CREAT met an existing symlink: follow it (creating its target if absent), or ELOOP. */
function resolveLink(ns: Namespace, root: Loc | Scope, pl: ParentLoc, link: Loc, follow: boolean): Loc {
  if (!follow) fail(E.LOOP);
  const target = link.vnode.readlink();
  // The link's target continues the same walk: a `beneath` walk keeps its depth.
  try {
    return ns.resolve(root, pl.dir, target, true, pl.depth);
  } catch (e) {
    if ((e as { errno?: number }).errno !== E.NOENT) throw e;
    // A dangling link: create what it names, as Linux's open(O_CREAT) does.
    const tl = ns.resolveParent(root, pl.dir, target, pl.depth);
    if (tl.name === '.' || tl.name === '..') fail(E.ISDIR);
    return { mount: tl.dir.mount, vnode: tl.dir.vnode.create(tl.name, 0o644) };
  }
}

/** Errors: EEXIST (including '.', '..', a mount point), ENOENT, ENOTDIR, EROFS. */
export function mkdirAt(ns: Namespace, root: Loc | Scope, base: Loc, path: string, mode: number): void {
  const pl = ns.resolveParent(root, base, path);
  if (pl.name === '.' || pl.name === '..' || ns.mountAt(pl.dir, pl.name)) fail(E.EXIST);
  pl.dir.vnode.mkdir(pl.name, mode);
}

export function statAt(ns: Namespace, root: Loc | Scope, base: Loc, path: string, follow: boolean): Stat {
  return ns.resolve(root, base, path, follow).vnode.stat();
}

export function setTimesAt(
  ns: Namespace, root: Loc | Scope, base: Loc, path: string, follow: boolean, atim: TimeSpec, mtim: TimeSpec,
): void {
  ns.resolve(root, base, path, follow).vnode.setTimes(atim, mtim);
}

/**
 * A new name `newPath` for what `oldPath` names.
 * Errors: EPERM (a directory), EXDEV (another mount), EEXIST, ENOENT (a trailing '/' on a
 * new name, or the old one missing).
 */
export function linkAt(
  ns: Namespace, root: Loc | Scope, oldBase: Loc, oldPath: string, follow: boolean, newBase: Loc, newPath: string,
): void {
  const src = ns.resolve(root, oldBase, oldPath, follow);
  const pl = ns.resolveParent(root, newBase, newPath);
  if (pl.name === '.' || pl.name === '..' || ns.mountAt(pl.dir, pl.name)) fail(E.EXIST);
  if (src.vnode.filetype === FILETYPE.DIRECTORY) fail(E.PERM);
  if (pl.trailingSlash) fail(exists(ns, root, pl) ? E.EXIST : E.NOENT);
  if (src.mount !== pl.dir.mount) fail(E.XDEV);
  pl.dir.vnode.link(pl.name, src.vnode);
}

function isDir(ns: Namespace, root: Loc | Scope, pl: ParentLoc): number {
  try {
    return ns.lookupLast(root, pl).vnode.filetype === FILETYPE.DIRECTORY ? E.EXIST : E.NOTDIR;
  } catch {
    return E.NOENT;
  }
}

function exists(ns: Namespace, root: Loc | Scope, pl: ParentLoc): boolean {
  try {
    ns.lookupLast(root, pl);
    return true;
  } catch {
    return false;
  }
}

/** Errors: EINVAL (not a symlink), ENOENT. */
export function readlinkAt(ns: Namespace, root: Loc | Scope, base: Loc, path: string): string {
  return ns.resolve(root, base, path, false).vnode.readlink();
}

/** Errors: EINVAL ('.'), ENOTEMPTY ('..' or entries), EBUSY (a mount point), ENOTDIR, ENOENT. */
export function rmdirAt(ns: Namespace, root: Loc | Scope, base: Loc, path: string): void {
  const pl = ns.resolveParent(root, base, path);
  if (pl.name === '.') fail(E.INVAL);
  if (pl.name === '..') fail(E.NOTEMPTY);
  if (ns.mountAt(pl.dir, pl.name)) fail(E.BUSY);
  pl.dir.vnode.rmdir(pl.name);
}

/** Errors: EISDIR (a directory, '.', '..'), ENOTDIR (a trailing '/' on a file), EBUSY, ENOENT. */
export function unlinkAt(ns: Namespace, root: Loc | Scope, base: Loc, path: string): void {
  const pl = ns.resolveParent(root, base, path);
  if (pl.name === '.' || pl.name === '..') fail(E.ISDIR);
  if (ns.mountAt(pl.dir, pl.name)) fail(E.BUSY);
  if (pl.trailingSlash) {
    const t = ns.lookupLast(root, pl);
    fail(t.vnode.filetype === FILETYPE.DIRECTORY ? E.ISDIR : E.NOTDIR);
  }
  pl.dir.vnode.unlink(pl.name);
}

/**
 * rename(2). Errors: EXDEV (across mounts), EBUSY ('.', '..' or a mount point), ENOTDIR (a
 * trailing '/' on a non-directory), and what Vnode.rename throws.
 */
export function renameAt(ns: Namespace, root: Loc | Scope, oldBase: Loc, oldPath: string, newBase: Loc, newPath: string): void {
  const from = ns.resolveParent(root, oldBase, oldPath);
  const to = ns.resolveParent(root, newBase, newPath);
  for (const pl of [from, to]) {
    if (pl.name === '.' || pl.name === '..') fail(E.BUSY);
    if (ns.mountAt(pl.dir, pl.name)) fail(E.BUSY);
  }
  const src = ns.lookupLast(root, from);
  if (from.dir.mount !== to.dir.mount) fail(E.XDEV);
  if ((from.trailingSlash || to.trailingSlash) && src.vnode.filetype !== FILETYPE.DIRECTORY) fail(E.NOTDIR);
  from.dir.vnode.rename(from.name, to.dir.vnode, to.name);
}

/** Errors: EEXIST (the name exists, even as a dangling link), ENOENT, EROFS. */
export function symlinkAt(ns: Namespace, root: Loc | Scope, target: string, base: Loc, path: string): void {
  if (target.length === 0) fail(E.NOENT);
  if (target.includes('\0')) fail(E.INVAL);
  const pl = ns.resolveParent(root, base, path);
  if (pl.name === '.' || pl.name === '..' || ns.mountAt(pl.dir, pl.name)) fail(E.EXIST);
  // A trailing '/' names a directory: an existing file is ENOTDIR (wasmtime), a directory
  // EEXIST, nothing ENOENT.
  if (pl.trailingSlash) fail(isDir(ns, root, pl));
  pl.dir.vnode.symlink(pl.name, target);
}

/** A directory's entries with '.' and '..' first and mount points shown as directories. */
export function listDir(ns: Namespace, root: Loc | Scope, dir: Loc): DirEntry[] {
  const self = dir.vnode.stat();
  const r = rootOf(root);
  const parent = sameLoc(dir, r) ? self : ns.parentOf(dir, r).vnode.stat();
  const out: DirEntry[] = [
    { name: '.', ino: self.ino, filetype: FILETYPE.DIRECTORY },
    { name: '..', ino: parent.ino, filetype: FILETYPE.DIRECTORY },
  ];
  const mounted = ns.mountNames(dir);
  const entries = dir.vnode.readdir();
  for (const e of entries) {
    if (mounted.includes(e.name)) continue;
    out.push(e);
  }
  for (const name of mounted) {
    const st = ns.child(dir, name).vnode.stat();
    out.push({ name, ino: st.ino, filetype: FILETYPE.DIRECTORY });
  }
  return out;
}
