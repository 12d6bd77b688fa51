// The namespace: a mount table and the path walk (Linux's path_resolution(7) rules).
//
// A Loc is a position in the namespace: a vnode and the mount it was reached through. A
// mount covers the name N in a directory D of its parent mount; the walk checks the
// covering table before asking D's filesystem, so a mount point need not exist in the
// filesystem below (hostfs mounted at / still shows /dev). '..' at a mount's root climbs to
// the directory holding the mount point, and '..' at the process's root stays there. Symlinks
// are followed here, in guest space, never by a filesystem: an absolute target starts again
// from the process's root, so no filesystem can be escaped through a link.
//
// Errors (thrown as SysError): ENOENT (empty path, missing component, empty link target),
// ENOTDIR (a non-directory used as one), ELOOP (more than 40 links), ENAMETOOLONG (path over
// 4096 bytes or a name over 255), EINVAL (a NUL byte). EILSEQ is the ABI layer's: it decodes
// the guest's UTF-8.
import { E, FILETYPE } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import type { FileSystem, Vnode } from './vnode.ts';

export const PATH_MAX = 4096;
export const NAME_MAX = 255;
export const SYMLOOP_MAX = 40;

export class Mount {
  readonly fs: FileSystem;
  readonly root: Vnode;
  /** The mount this one is attached in, and where: null for the root mount. */
  readonly parent: Mount | null;
  readonly at: Vnode | null;
  readonly name: string;
  /** The guest path it was mounted at, for /proc/mounts and df. */
  readonly path: string;
  /** Mounts attached below this one, keyed by `${directory key}/${name}`. */
  readonly covered = new Map<string, Mount>();

  constructor(fs: FileSystem, parent: Mount | null, at: Vnode | null, name: string, path: string) {
    this.fs = fs;
    this.root = fs.root();
    this.parent = parent;
    this.at = at;
    this.name = name;
    this.path = path;
  }
}

export interface Loc {
  readonly mount: Mount;
  readonly vnode: Vnode;
}

/**
 * Where a walk may go. `root` is the process's root (absolute paths and absolute links start
 * there; '..' stops there). With `beneath`, as Linux's openat2(RESOLVE_BENEATH) and as
 * WASI's capability model has it, a walk may not leave the directory it starts from: an
 * absolute path, an absolute link, or '..' above the start is EPERM (wasmtime's answer).
 */
export interface Scope {
  readonly root: Loc;
  readonly beneath: boolean;
}

function scopeOf(x: Loc | Scope): Scope {
  return 'vnode' in x ? { root: x, beneath: false } : x;
}

export function rootOf(x: Loc | Scope): Loc {
  return 'vnode' in x ? x : x.root;
}

/** The parent directory of a path's last component, and that component. */
export interface ParentLoc {
  dir: Loc;
  /** The last component: may be '.' or '..' (callers decide: EEXIST, EISDIR, EINVAL, ...). */
  name: string;
  /** How far below a `beneath` walk's start `dir` lies (a '..' in `name` at 0 would leave it). */
  depth: number;
  /** The path ended in '/': the named object must be (or become) a directory. */
  trailingSlash: boolean;
}

function coverKey(dir: Vnode, name: string): string {
  return `${dir.key}/${name}`;
}

export function sameLoc(a: Loc, b: Loc): boolean {
  return a.mount === b.mount && a.vnode.key === b.vnode.key;
}


/**
 * Whether a path's last component must be a directory: it ends in `/`, or its last
 * component is `.` ("file/." is ENOTDIR, as "file/" is; `..` is checked as it is walked).
 */
function namesDir(path: string): boolean {
  const n = path.length;
  if (n === 0) return false;
  const last = path.charCodeAt(n - 1);
  if (last === 47) return true;
  return last === 46 && (n === 1 || path.charCodeAt(n - 2) === 47);
}
export class Namespace {
  root: Loc;
  private readonly mounts: Mount[] = [];

  constructor(rootFs: FileSystem) {
    const m = new Mount(rootFs, null, null, '', '/');
    this.mounts.push(m);
    this.root = { mount: m, vnode: m.root };
  }

  /** Every mount, in the order mounted (for /proc/mounts and df). */
  list(): readonly Mount[] {
    return this.mounts;
  }

  /**
   * Attaches `fs` at the absolute guest path `path`. The parent directory must exist; the
   * last component need not (it is created as a synthetic mount point). Mounting at '/'
   * replaces the root. EBUSY if something is already mounted exactly there.
   */
  mount(path: string, fs: FileSystem): Mount {
    if (!path.startsWith('/')) fail(E.INVAL);
    const parts = path.split('/').filter((s) => s !== '' && s !== '.');
    if (parts.length === 0) {
      const m = new Mount(fs, null, null, '', '/');
      this.mounts.push(m);
      this.root = { mount: m, vnode: m.root };
      return m;
    }
    const { dir, name } = this.resolveParent(this.root, this.root, path);
    if (name === '..') fail(E.INVAL);
    const key = coverKey(dir.vnode, name);
    if (dir.mount.covered.has(key)) fail(E.BUSY);
    const m = new Mount(fs, dir.mount, dir.vnode, name, '/' + parts.join('/'));
    dir.mount.covered.set(key, m);
    this.mounts.push(m);
    return m;
  }

  /** The mount attached at name `name` of directory `dir`, if any. */
  mountAt(dir: Loc, name: string): Mount | undefined {
    const covered = dir.mount.covered;
    return covered.size === 0 ? undefined : covered.get(coverKey(dir.vnode, name));
  }

  /** Names of mount points in `dir` (readdir lists them even where the fs below has none). */
  mountNames(dir: Loc): string[] {
    const out: string[] = [];
    for (const m of dir.mount.covered.values()) if (m.at?.key === dir.vnode.key) out.push(m.name);
    return out;
  }

  /** One step down: `name` in directory `dir`, crossing into a mount that covers it. */
  child(dir: Loc, name: string): Loc {
    const m = this.mountAt(dir, name);
    if (m) return { mount: m, vnode: m.root };
    return { mount: dir.mount, vnode: dir.vnode.lookup(name) };
  }

  /** One step up, within `root` (the process's root never climbs). */
  parentOf(loc: Loc, root: Loc): Loc {
    if (sameLoc(loc, root)) return loc;
    if (loc.vnode.key !== loc.mount.root.key) {
      const p = loc.vnode.parent();
      return p ? { mount: loc.mount, vnode: p } : loc;
    }
    // At a mount's root: the parent is the directory holding the mount point.
    const m = loc.mount;
    return m.parent && m.at ? { mount: m.parent, vnode: m.at } : loc;
  }

  /**
   * The absolute path of directory `loc` as seen from `root` (getcwd): each name found by
   * looking for the directory's inode in its parent, as getcwd(3) once did. Null if it is
   * not reachable from `root` (moved out of it, or removed).
   */
  pathOf(loc: Loc, root: Loc): string | null {
    const names: string[] = [];
    let cur = loc;
    for (let depth = 0; !sameLoc(cur, root); depth++) {
      if (depth > PATH_MAX / 2) return null;
      // A filesystem that knows the path within it (hostfs): straight to its root, unless
      // the process's root lies inside the same mount (the walk must stop there).
      if (cur.mount !== root.mount && cur.vnode.key !== cur.mount.root.key) {
        const rel = cur.vnode.pathFromRoot();
        if (rel) {
          names.push(...rel.split('/').reverse());
          cur = { mount: cur.mount, vnode: cur.mount.root };
          continue;
        }
      }
      const up = this.parentOf(cur, root);
      if (sameLoc(up, cur)) return null;
      let name: string | undefined;
      if (cur.vnode.key === cur.mount.root.key && cur.mount.at) name = cur.mount.name;
      else {
        const ino = cur.vnode.stat().ino;
        name = up.vnode.readdir().find((e) => e.ino === ino && this.mountAt(up, e.name) === undefined)?.name;
      }
      if (name === undefined) return null;
      names.push(name);
      cur = up;
    }
    return '/' + names.reverse().join('/');
  }

  /**
   * Resolves `path` from `start` (or from `root` when absolute). With `follow`, a symlink in
   * the last component is followed too; a trailing '/' always follows and requires a directory.
   */
  resolve(scope: Loc | Scope, start: Loc, path: string, follow: boolean, depth = 0): Loc {
    checkPath(path);
    const walk = new Walk(this, scopeOf(scope), start, path, depth);
    return walk.run(follow);
  }

  /**
   * Resolves all but the last component of `path`. The last component is returned as a name
   * (after stripping trailing slashes); '.' and '..' are returned as they are.
   */
  resolveParent(scope: Loc | Scope, start: Loc, path: string, depth = 0): ParentLoc {
    checkPath(path);
    const sc = scopeOf(scope);
    let end = path.length;
    while (end > 1 && path.charCodeAt(end - 1) === 47 /* / */) end--;
    const trailingSlash = end < path.length;
    const trimmed = path.slice(0, end);
    const slash = trimmed.lastIndexOf('/');
    let name: string;
    let dirPath: string;
    if (slash < 0) {
      name = trimmed;
      dirPath = '.';
    } else {
      name = trimmed.slice(slash + 1);
      dirPath = trimmed.slice(0, slash) || '/';
    }
    if (name === '') name = '.'; // the path was '/' or '//'
    if (utf8Length(name) > NAME_MAX) fail(E.NAMETOOLONG);
    const walk = new Walk(this, sc, start, dirPath, depth);
    const dir = walk.run(true);
    if (dir.vnode.filetype !== FILETYPE.DIRECTORY) fail(E.NOTDIR);
    if (sc.beneath && name === '..' && walk.depth === 0) fail(E.PERM);
    return { dir, name, trailingSlash, depth: walk.depth };
  }

  /**
   * Looks up the last component as resolveParent left it: '.' and '..' resolved, a mount
   * crossed, ENOENT thrown if absent. Symlinks are not followed.
   */
  lookupLast(scope: Loc | Scope, p: ParentLoc): Loc {
    if (p.name === '.') return p.dir;
    if (p.name === '..') return this.parentOf(p.dir, rootOf(scope));
    return this.child(p.dir, p.name);
  }
}

function checkPath(path: string): void {
  if (path.length === 0) fail(E.NOENT);
  if (path.length > PATH_MAX && utf8Length(path) > PATH_MAX) fail(E.NAMETOOLONG);
  if (path.includes('\0')) fail(E.INVAL);
}

function utf8Length(s: string): number {
  // Fast path: ASCII strings are their own length.
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) {
      n = Buffer.byteLength(s, 'utf8');
      break;
    }
  }
  return n;
}

/** One path walk: a stack of components still to visit, spliced when a symlink is met. */
class Walk {
  private readonly ns: Namespace;
  private readonly root: Loc;
  private readonly beneath: boolean;
  /** Directories entered below the start (for `beneath`). */
  depth = 0;
  private cur: Loc;
  /** Components left, last component first (so pop() gives the next one). */
  private readonly todo: string[];
  private mustBeDir: boolean;
  private links = 0;

  /** `depth`: how far below the walk's start `start` already lies (continuing a walk). */
  constructor(ns: Namespace, scope: Scope, start: Loc, path: string, depth = 0) {
    this.ns = ns;
    this.depth = depth;
    this.root = scope.root;
    this.beneath = scope.beneath;
    if (this.beneath && path.charCodeAt(0) === 47) fail(E.PERM);
    this.cur = path.charCodeAt(0) === 47 ? scope.root : start;
    this.todo = [];
    this.mustBeDir = namesDir(path);
    this.push(path);
  }

  private push(path: string): void {
    const parts = path.split('/');
    for (let i = parts.length - 1; i >= 0; i--) {
      const s = parts[i]!;
      if (s === '' || s === '.') continue;
      if (s.length > NAME_MAX && utf8Length(s) > NAME_MAX) fail(E.NAMETOOLONG);
      this.todo.push(s);
    }
  }

  run(followLast: boolean): Loc {
    const ns = this.ns;
    while (this.todo.length > 0) {
      const name = this.todo.pop()!;
      if (this.cur.vnode.filetype !== FILETYPE.DIRECTORY) fail(E.NOTDIR);
      if (name === '..') {
        if (this.beneath) {
          if (this.depth === 0) fail(E.PERM);
          this.depth--;
        }
        this.cur = ns.parentOf(this.cur, this.root);
        continue;
      }
      const next = ns.child(this.cur, name);
      if (next.vnode.filetype === FILETYPE.SYMBOLIC_LINK) {
        const last = this.todo.length === 0;
        if (!last || followLast || this.mustBeDir) {
          if (++this.links > SYMLOOP_MAX) fail(E.LOOP);
          const target = next.vnode.readlink();
          if (target.length === 0) fail(E.NOENT);
          if (target.charCodeAt(0) === 47) {
            if (this.beneath) fail(E.PERM);
            this.cur = this.root;
          }
          if (last && namesDir(target)) this.mustBeDir = true;
          this.push(target);
          continue;
        }
      }
      this.cur = next;
      this.depth++;
    }
    if (this.mustBeDir && this.cur.vnode.filetype !== FILETYPE.DIRECTORY) fail(E.NOTDIR);
    return this.cur;
  }
}
