// hostfs: a host directory, confined.
//
// A vnode is (fs, relative path from the root, filetype, host identity). It is made only by
// lookup, which lstat()s one name in a directory vnode, so every vnode's path is a chain of
// names looked up one by one from the root, none of them '.', '..', empty, or holding '/' or
// NUL (checkName refuses those: EINVAL). The host is never asked to follow a symlink: lookup
// and stat use lstat, open passes O_NOFOLLOW (a symlink fails with ELOOP), readlink returns
// the target verbatim, setTimes uses lutimes, link(2) does not follow, mkdir/rename/unlink
// act on the name itself. Following symlinks is the namespace layer's job, in guest space.
//
// Paths alone are not enough: a guest holding a directory vnode could rename that directory
// away and put a symlink to '/' at its old path; the host would then follow it when
// resolving the old path's intermediate components. So every vnode records the host (dev,
// ino, filetype) it had at lookup, and every operation first re-checks that the vnode's path
// still reaches that same inode (a descriptor, once opened, is checked with fstat). A directory
// has one place in the tree, so reaching the same directory inode means reaching the place
// that was looked up inside the root. A vnode whose path no longer leads there fails with
// ENOENT (unlike Linux, a descriptor on a renamed directory does not follow it). An open
// file holds a host descriptor and does follow: while a vnode has handles holding one, its
// stat, setTimes and truncate go through one of them (fstat, futimes, ftruncate), so they
// keep working after the file is renamed or unlinked.
//
// Lazy open. Opening a regular file (open(); O_TRUNC was done before it by truncate(), O_CREAT
// by create()) asks the host nothing: a host open+close costs twice a native one, and most
// opens that matter to speed are open, fstat, close. open() checks that the path still reaches
// the inode (verify, skipped while fresh) and decides permission from the mode, uid and gid of
// the last lstat and the host process's euid, egid and groups, read once at load: root may
// read and write anything; otherwise the owner's, the group's or the others' bits decide
// (hostAccess). ACLs, capabilities other than root's, a host read-only mount, immutable files
// and the like are not consulted: the host's errno comes at first use instead. The handle
// takes its descriptor at its first read, write, truncate, allocate, sync or datasync, with
// O_NOFOLLOW|O_NONBLOCK|O_NOCTTY and the access chosen at open (O_RDWR when writing and
// reading are both allowed, else O_WRONLY; O_RDONLY to read), then fstats it: another (dev,
// ino) is closed again and fails ESTALE; a failure at first use goes to that call and leaves
// the handle lazy. stat() and setTimes() of the vnode need no descriptor (they use the path
// until a handle has one). Close of a handle that never did I/O asks the host nothing.
// What a lazy handle names must not change through the kernel: before the kernel renames
// (source and target), unlinks or rmdirs a host path, every lazy handle on that path or
// below it (a directory takes its subtree along) takes its descriptor (materializeAt; the
// registry of lazy handles is one for the Node process, matched by absolute host path, since
// mounts may overlap). So a file opened and then renamed or unlinked by any guest is read as
// on Unix. If that early open fails for good (ESTALE, ENOENT ...) the handle keeps the errno
// for every later use and the kernel's operation goes on; if it fails for want of resources
// (EMFILE, ENFILE, ENOMEM) the kernel's operation fails with that errno before it changes
// anything. link, create, mkdir and symlink change no existing name, so they materialize
// nothing. Only a host process changing the tree behind the kernel can make a lazy handle
// meet another inode (ESTALE) or none (ENOENT): the host-side race of hole (1), now caught
// at first use rather than at open, and never yielding another file's data.
//
// The re-check is skipped when it cannot fail for a guest's doing. Guests change the host tree
// only through the kernel, and a name can only come to lead to a different inode by rename,
// unlink or rmdir (create, mkdir, symlink and link refuse an existing name; no operation
// replaces a directory in place). Each of those bumps `treeGeneration` before it asks the host
// (one counter for every HostFs in this Node process, since two mounts may overlap). A vnode
// remembers the generation at which its path was last seen to reach its inode (at lookup, or
// by a check that passed), and when; while the generation is unchanged, no guest has moved
// it, so for VERIFIED_FOR_MS (1 ms) after a check verify is a no-op and truncate's open skips
// the fstat (a lazy handle's first open never skips it).
// The time bound keeps a host-side change a race, as before: a directory vnode held for long
// (an open directory, a preopen) is re-checked once the millisecond has passed, so a host
// process swapping a directory for a symlink must do it within 1 ms of a check, not any time.
// Any rename/unlink/rmdir by any guest forces the full check again, so the
// rename-a-directory-and-plant-a-symlink attack is still caught. A host process changing the
// tree is hole (1) below, as before; without the fstat, such a change can also hand
// truncate's open the host's new inode at the final name (never a symlink there: O_NOFOLLOW;
// never blocking: O_NONBLOCK), which stays inside the root.
//
// The same trust makes a dentry cache: lookup of a name whose vnode is still fresh returns
// that vnode without an lstat (HostFs.dentries), so an open+close of a file just looked up
// asks the host nothing. Names that do not exist are not cached.
//
// The holes, neither of which a guest can open alone: (1) a *host* process racing to swap a
// directory on the path for a symlink between our check and our use (guests cannot race:
// every hostfs call is synchronous on the kernel thread, so no guest code runs in between);
// (2) inode reuse: if a looked-up directory is deleted and a host process creates a
// directory outside the root that reuses its inode number, a stale vnode reached through a
// guest-made symlink would pass the check.
//
// Also: host FIFOs, sockets and devices show up in readdir and stat but cannot be opened
// (EACCES, as on a nodev mount); opening a symlink vnode fails ELOOP without asking the host;
// timestamps are set through Node's lutimes, which takes seconds as a double, so a set time
// keeps about microsecond precision, not nanoseconds;
// allocate() only extends the file (Node has no fallocate), so it cannot promise space.
import {
  closeSync, constants, fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, futimesSync, linkSync, lstatSync,
  lutimesSync, mkdirSync, openSync, readdirSync, readlinkSync, readSync, renameSync, rmdirSync,
  realpathSync, statfsSync, chmodSync, fchmodSync, statSync, symlinkSync, unlinkSync, writeSync, type BigIntStats,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { E, ERRNO_NAMES, FILETYPE } from '../../abi/wasi.ts';
import { fail, isSysError, KernelError } from '../errors.ts';
import { checkName, checkTarget } from './inode.ts';
import { FileSystem, Vnode, type DirEntry, type FileHandle, type Stat, type StatFs, type TimeSpec } from './vnode.ts';

export interface HostFsOptions {
  /** Refuse every mutation with EROFS. Default false. */
  readOnly?: boolean;
}

// Host error codes (err.code) to WASI errnos. WASI's names are POSIX's, so each maps to
// itself; the few host aliases are added by hand.
const HOST_ERRNO = new Map<string, number>(ERRNO_NAMES.map((name, errno) => ['E' + name, errno]));
HOST_ERRNO.delete('ESUCCESS');
HOST_ERRNO.delete('ENOTCAPABLE');
HOST_ERRNO.set('EWOULDBLOCK', E.AGAIN);
HOST_ERRNO.set('EOPNOTSUPP', E.NOTSUP);
HOST_ERRNO.set('EDEADLOCK', E.DEADLK);

/** The WASI errno for a host error: by err.code, EIO when unknown. */
export function hostErrno(err: unknown): number {
  const code = (err as { code?: unknown } | null)?.code;
  return (typeof code === 'string' && HOST_ERRNO.get(code)) || E.IO;
}

function isHostError(err: unknown): boolean {
  return err instanceof Error && typeof (err as { errno?: unknown }).errno === 'number';
}

/** Runs a host call; a host error becomes its errno (anything else is a kernel bug and is rethrown). */
function host<T>(call: () => T): T {
  try {
    return call();
  } catch (err) {
    if (isHostError(err)) fail(hostErrno(err));
    throw err;
  }
}

function filetypeOf(st: BigIntStats): number {
  if (st.isFile()) return FILETYPE.REGULAR_FILE;
  if (st.isDirectory()) return FILETYPE.DIRECTORY;
  if (st.isSymbolicLink()) return FILETYPE.SYMBOLIC_LINK;
  if (st.isCharacterDevice()) return FILETYPE.CHARACTER_DEVICE;
  if (st.isBlockDevice()) return FILETYPE.BLOCK_DEVICE;
  if (st.isSocket()) return FILETYPE.SOCKET_STREAM;
  return FILETYPE.UNKNOWN; // FIFOs: WASI has no type for them
}

/**
 * Bumped before every rename, unlink and rmdir the kernel asks of the host, through any
 * HostFs: while it is unchanged, no guest has changed which inode a path in a hostfs reaches.
 */
let treeGeneration = 0;

/** lstat that turns a host error into its errno, without a closure on the hot path. */
function hostLstat(path: string): BigIntStats {
  try {
    return lstatSync(path, BIGINT);
  } catch (err) {
    if (isHostError(err)) fail(hostErrno(err));
    throw err;
  }
}
const BIGINT = { bigint: true } as const;
/** How long a passed check is trusted while treeGeneration stands: bounds hole (1) to a race. */
const VERIFIED_FOR_MS = 1;
/** Entries in a hostfs's dentry cache before it is emptied (they live 1 ms: a bound on memory only). */
const DENTRY_CACHE_MAX = 4096;
const O_NOFOLLOW_NONBLOCK = constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const seconds = (ns: bigint): number => Number(ns / 1000n) / 1e6; // to the µs: all a double holds

export class HostFs extends FileSystem {
  readonly type = 'hostfs';
  /** The root, absolute, with symlinks resolved once by the operator's say-so. */
  readonly hostRoot: string;
  /** hostRoot with one trailing '/': a vnode's host path is this and its key (keys hold no '.' or '..'). */
  readonly hostPrefix: string;
  private readonly rootNode: HostVnode;
  /**
   * The dentry cache: vnodes by key, as lookup made them. An entry answers a lookup only
   * while its vnode is fresh() (no guest rename/unlink/rmdir since, and within
   * VERIFIED_FOR_MS of its lstat), so it trusts a lookup exactly as long as verify() trusts a
   * check: a host process changing the tree shows up within that bound (FUSE's entry_timeout,
   * 1 ms here). Only names that exist are kept; at DENTRY_CACHE_MAX entries it starts over.
   */
  private readonly dentries = new Map<string, HostVnode>();

  /** Errors: KernelError 'HOSTFS_ROOT' when `hostRoot` is missing or not a directory. */
  constructor(hostRoot: string, options: HostFsOptions = {}) {
    super(options.readOnly ?? false);
    let st: BigIntStats;
    try {
      this.hostRoot = realpathSync(resolve(hostRoot));
      st = statSync(this.hostRoot, { bigint: true });
    } catch (err) {
      const why = (err as { code?: unknown }).code === 'ENOENT' ? 'does not exist' : `cannot be read (${String(err)})`;
      throw new KernelError('HOSTFS_ROOT', `hostfs: host directory ${hostRoot} ${why}`);
    }
    if (!st.isDirectory()) throw new KernelError('HOSTFS_ROOT', `hostfs: host path ${hostRoot} is not a directory`);
    this.hostPrefix = this.hostRoot.endsWith('/') ? this.hostRoot : this.hostRoot + '/';
    this.rootNode = new HostVnode(this, '', null, st);
  }

  root(): HostVnode {
    return this.rootNode;
  }

  override statfs(): StatFs {
    const s = host(() => statfsSync(this.hostRoot));
    return { blockSize: s.bsize, blocks: s.blocks, blocksFree: s.bfree, blocksAvail: s.bavail, files: s.files, filesFree: s.ffree };
  }

  /** Errors: EROFS on a read-only filesystem. */
  checkWritable(): void {
    if (this.readOnly) fail(E.ROFS);
  }

  /** The cached vnode for `key` if it is still fresh (see `dentries`). */
  cachedLookup(key: string): HostVnode | undefined {
    const v = this.dentries.get(key);
    return v !== undefined && v.fresh() ? v : undefined;
  }

  remember(key: string, v: HostVnode): void {
    if (this.dentries.size >= DENTRY_CACHE_MAX) this.dentries.clear();
    this.dentries.set(key, v);
  }
}

export class HostVnode extends Vnode {
  readonly fs: HostFs;
  readonly filetype: number;
  /** The path relative to the root ('' for the root); also the key. */
  readonly key: string;
  private readonly parentNode: HostVnode | null;
  private readonly hostDev: bigint;
  private readonly hostIno: bigint;
  /** Permission bits, owner and group as last seen by lstat (lookup or verify): open checks them. */
  private hostMode: number;
  private hostUid: number;
  private hostGid: number;
  /** The treeGeneration at which, and the time (performance.now()) when, this vnode's path was last seen to reach its inode. */
  private verifiedGen: number;
  private verifiedAt: number;
  /** Materialized handles on this vnode: their descriptors name the inode whatever its path. */
  private readonly handles = new Set<HostFileHandle>();

  constructor(fs: HostFs, rel: string, parent: HostVnode | null, st: BigIntStats) {
    super();
    this.fs = fs;
    this.key = rel;
    this.parentNode = parent;
    this.filetype = filetypeOf(st);
    this.hostDev = st.dev;
    this.hostIno = st.ino;
    this.hostMode = Number(st.mode);
    this.hostUid = Number(st.uid);
    this.hostGid = Number(st.gid);
    // Made from an lstat just now (lookup, or the constructor's stat of the root): verified.
    this.verifiedGen = treeGeneration;
    this.verifiedAt = performance.now();
  }

  override pathFromRoot(): string {
    return this.key;
  }

  /** The absolute host path. */
  get hostPath(): string {
    return this.key === '' ? this.fs.hostRoot : this.fs.hostPrefix + this.key;
  }

  stat(): Stat {
    const fd = this.openFd();
    const st = fd !== undefined ? host(() => fstatSync(fd, { bigint: true })) : this.verify();
    return {
      dev: this.fs.dev, ino: st.ino, filetype: this.filetype, nlink: Number(st.nlink),
      size: Number(st.size), atim: st.atimeNs, mtim: st.mtimeNs, ctim: st.ctimeNs,
      mode: Number(st.mode) & 0o7777, uid: Number(st.uid), gid: Number(st.gid),
    };
  }

  /** Errors: EROFS, ENOENT (moved or gone), host errors. Precision: see the file's note. */
  override setTimes(atim: TimeSpec, mtim: TimeSpec): void {
    this.fs.checkWritable();
    const cur = this.stat();
    const now = Date.now() / 1000;
    const secs = (t: TimeSpec, keep: bigint): number => (t === null ? seconds(keep) : t === 'now' ? now : seconds(t));
    const a = secs(atim, cur.atim);
    const m = secs(mtim, cur.mtim);
    const fd = this.openFd();
    host(() => (fd !== undefined ? futimesSync(fd, a, m) : lutimesSync(this.hostPath, a, m)));
  }

  /** Errors: EROFS, ENOENT (moved), host errors. A symlink's own mode cannot change (Linux). */
  override chmod(mode: number): void {
    this.fs.checkWritable();
    if (this.filetype === FILETYPE.SYMBOLIC_LINK) fail(E.NOTSUP);
    const fd = this.openFd();
    if (fd !== undefined) host(() => fchmodSync(fd, mode & 0o7777));
    else {
      this.verify(); // then by path: only a host process racing us could swap it (see the note)
      host(() => chmodSync(this.hostPath, mode & 0o7777));
    }
    this.hostMode = (this.hostMode & ~0o7777) | (mode & 0o7777); // open's permission check reads it
  }

  /** Errors: EROFS, EISDIR, EINVAL (not a regular file), ENOENT, host errors. */
  override truncate(size: number): void {
    if (this.filetype !== FILETYPE.REGULAR_FILE) return super.truncate(size);
    this.fs.checkWritable();
    if (size < 0) fail(E.INVAL);
    const writer = this.openFd(true);
    if (writer !== undefined) return host(() => ftruncateSync(writer, size));
    const fd = this.openChecked(constants.O_WRONLY, false);
    try {
      host(() => ftruncateSync(fd, size));
    } finally {
      closeSync(fd);
    }
  }

  override parent(): HostVnode | null {
    return this.parentNode;
  }

  // ---- directories ----

  /** Errors: ENOTDIR, EINVAL/ENAMETOOLONG (bad name), ENOENT, host errors. */
  override lookup(name: string): HostVnode {
    this.checkDir(name);
    const rel = this.child(name);
    const cached = this.fs.cachedLookup(rel);
    if (cached !== undefined) return cached;
    const v = new HostVnode(this.fs, rel, this, hostLstat(this.fs.hostPrefix + rel));
    this.fs.remember(rel, v);
    return v;
  }

  /** Host entries whose names are not UTF-8 are left out: a guest could not name them. */
  override readdir(): DirEntry[] {
    this.checkDir();
    const names = host(() => readdirSync(this.hostPath, { encoding: 'buffer' }));
    const out: DirEntry[] = [];
    for (const raw of names) {
      let name: string;
      try {
        name = utf8.decode(raw);
      } catch {
        continue;
      }
      const st = host(() => lstatSync(join(this.hostPath, name), { bigint: true, throwIfNoEntry: false }));
      if (st !== undefined) out.push({ name, ino: st.ino, filetype: filetypeOf(st) });
    }
    return out;
  }

  /** Errors: EEXIST (checked before EROFS), EROFS, ENOENT, host errors. */
  override create(name: string, mode: number): HostVnode {
    this.checkCreate(name);
    const flags = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW;
    const path = join(this.fs.hostRoot, this.child(name));
    closeSync(host(() => openSync(path, flags, mode & 0o7777)));
    return this.lookup(name);
  }

  /** Errors: as create. */
  override mkdir(name: string, mode: number): HostVnode {
    this.checkCreate(name);
    host(() => mkdirSync(join(this.fs.hostRoot, this.child(name)), { mode: mode & 0o7777 }));
    return this.lookup(name);
  }

  /** Errors: as create; ENOENT/EINVAL/ENAMETOOLONG for a bad target. */
  override symlink(name: string, target: string): void {
    checkTarget(target);
    this.checkCreate(name);
    host(() => symlinkSync(target, join(this.fs.hostRoot, this.child(name))));
  }

  /** Errors: EXDEV (other filesystem), EPERM (directory), as create, host errors. */
  override link(name: string, target: Vnode): void {
    if (!(target instanceof HostVnode) || target.fs !== this.fs) fail(E.XDEV);
    if (target.filetype === FILETYPE.DIRECTORY) fail(E.PERM);
    this.checkCreate(name);
    target.verify();
    host(() => linkSync(target.hostPath, join(this.fs.hostRoot, this.child(name))));
  }

  /** Errors: EROFS, ENOENT, EISDIR, host errors. */
  override unlink(name: string): void {
    const path = this.checkRemove(name);
    if (host(() => lstatSync(path)).isDirectory()) fail(E.ISDIR);
    materializeAt(path);
    treeGeneration++;
    host(() => unlinkSync(path));
  }

  /** Errors: EROFS, ENOENT, ENOTDIR, ENOTEMPTY, host errors. */
  override rmdir(name: string): void {
    const path = this.checkRemove(name);
    materializeAt(path);
    treeGeneration++;
    host(() => rmdirSync(path));
  }

  /** rename(2) by the host, which applies its rules. Errors: see Vnode.rename; EROFS. */
  override rename(name: string, toDir: Vnode, toName: string): void {
    if (!(toDir instanceof HostVnode) || toDir.fs !== this.fs) fail(E.XDEV);
    const from = this.checkRemove(name);
    toDir.checkDir(toName);
    const to = join(this.fs.hostRoot, toDir.child(toName));
    materializeAt(from); // what `from` names moves, and with a directory, all below it
    materializeAt(to); // what `to` named is replaced
    treeGeneration++;
    try {
      renameSync(from, to);
    } catch (err) {
      // POSIX lets a filesystem say EEXIST for a non-empty target directory; we say ENOTEMPTY.
      if (isHostError(err)) fail(hostErrno(err) === E.EXIST ? E.NOTEMPTY : hostErrno(err));
      throw err;
    }
  }

  // ---- symlinks ----

  override readlink(): string {
    if (this.filetype !== FILETYPE.SYMBOLIC_LINK) return super.readlink();
    this.verify();
    return host(() => readlinkSync(this.hostPath));
  }

  // ---- files ----

  /**
   * A regular file is opened lazily: checked here (its path still reaches it; the permission
   * bits allow the access), opened on the host at its first I/O (see the file's note).
   * Errors: EROFS (write on a read-only filesystem), EISDIR, ELOOP (a symlink), EACCES
   * (the permission bits; a FIFO, socket or device), ENOENT (moved or gone), host errors.
   */
  override open(write: boolean): FileHandle {
    if (write) this.fs.checkWritable();
    if (this.filetype === FILETYPE.REGULAR_FILE) {
      this.checkPlace();
      const allowed = hostAccess(this.hostMode, this.hostUid, this.hostGid);
      if (!(allowed & (write ? MAY_WRITE : MAY_READ))) fail(E.ACCES);
      // Writing asks for O_RDWR when reading is allowed too, else O_WRONLY (a 0o200 file).
      const access = !write ? constants.O_RDONLY : allowed & MAY_READ ? constants.O_RDWR : constants.O_WRONLY;
      return new HostFileHandle(this, access, write, this.handles);
    }
    if (this.filetype === FILETYPE.DIRECTORY) fail(E.ISDIR);
    if (this.filetype !== FILETYPE.SYMBOLIC_LINK) fail(E.ACCES);
    // A symlink: what open(O_NOFOLLOW) says of one. The host is not asked at all.
    return fail(E.LOOP);
  }

  // ---- internals ----

  /**
   * For a lazy handle's first use: openChecked() that always checks the inode, whatever
   * the tree generation says. Errors: ESTALE (another inode: a host process changed the
   * tree), ELOOP, ENOENT, EACCES and other host errors.
   */
  openIdentified(access: number): number {
    return this.openChecked(access, true);
  }

  /** The descriptor of an open handle on this vnode (a writable one if asked), if any. */
  private openFd(writable = false): number | undefined {
    for (const h of this.handles) if (!writable || h.writable) return h.fd;
    return undefined;
  }

  /**
   * lstat of this vnode's path, checked to be the inode that was looked up.
   * Errors: ENOENT when the path is gone or now leads elsewhere.
   */
  private verify(): BigIntStats {
    const gen = treeGeneration;
    const st = hostLstat(this.hostPath);
    if (!this.isSame(st)) fail(E.NOENT);
    this.hostMode = Number(st.mode);
    this.hostUid = Number(st.uid);
    this.hostGid = Number(st.gid);
    this.verifiedGen = gen;
    this.verifiedAt = performance.now();
    return st;
  }

  /** Whether a verify now could only fail by a host process's doing: see the file's note. */
  fresh(): boolean {
    return this.verifiedGen === treeGeneration && performance.now() - this.verifiedAt < VERIFIED_FOR_MS;
  }

  /** verify(), skipped while fresh(). */
  private checkPlace(): void {
    if (!this.fresh()) this.verify();
  }

  private isSame(st: BigIntStats): boolean {
    return st.ino === this.hostIno && st.dev === this.hostDev && filetypeOf(st) === this.filetype;
  }

  /**
   * Opens this vnode's path without following a final symlink, blocking on a FIFO or taking
   * a terminal, and checks the descriptor is the inode that was looked up: skipped while
   * fresh() unless `always`; a mismatch is ESTALE for a lazy handle (`always`) and ENOENT
   * otherwise. Errors: ELOOP, ENOENT, ESTALE, host errors.
   */
  private openChecked(access: number, always: boolean): number {
    const skip = !always && this.fresh();
    const gen = treeGeneration;
    let fd: number;
    try {
      fd = openSync(this.hostPath, access | O_NOFOLLOW_NONBLOCK);
    } catch (err) {
      if (isHostError(err)) fail(hostErrno(err));
      throw err;
    }
    if (skip) return fd; // the path still reaches the inode: see the file's note
    try {
      if (!this.isSame(fstatSync(fd, BIGINT))) fail(always ? E.STALE : E.NOENT);
    } catch (err) {
      try {
        closeSync(fd);
      } catch { /* the check's error is the one to report */ }
      if (isHostError(err)) fail(hostErrno(err));
      throw err;
    }
    if (!always) {
      this.verifiedGen = gen;
      this.verifiedAt = performance.now();
    }
    return fd;
  }

  /** The relative path of `name` here. */
  private child(name: string): string {
    return this.key === '' ? name : this.key + '/' + name;
  }

  /** This is a directory that is still where it was; `name`, if given, is a valid name. */
  private checkDir(name?: string): void {
    if (this.filetype !== FILETYPE.DIRECTORY) fail(E.NOTDIR);
    if (name !== undefined) checkName(name);
    this.checkPlace();
  }

  /** For a new entry: EEXIST first (as Linux, even on a read-only filesystem), then EROFS. */
  private checkCreate(name: string): void {
    this.checkDir(name);
    if (!this.fs.readOnly) return;
    const exists = host(() => lstatSync(join(this.fs.hostRoot, this.child(name)), { throwIfNoEntry: false }));
    fail(exists !== undefined ? E.EXIST : E.ROFS);
  }

  /** For removing or renaming an entry: EROFS, then the directory and name. Returns its host path. */
  private checkRemove(name: string): string {
    this.fs.checkWritable();
    this.checkDir(name);
    return join(this.fs.hostRoot, this.child(name));
  }
}

/** fd values of a HostFileHandle that hold no descriptor. */
const CLOSED = -1;
const LAZY = -2;
const BROKEN = -3;

/**
 * Lazy handles not yet given a descriptor, on every HostFs of this Node process (two mounts
 * may overlap, so they are matched by absolute host path). Empty in the common case.
 */
const lazyHandles = new Set<HostFileHandle>();

/** Host errors that say "not now" rather than "never": a materialization failing with one is retried. */
const TRANSIENT = new Set<number>([E.MFILE, E.NFILE, E.NOMEM, E.INTR, E.AGAIN]);

/**
 * Called just before the kernel renames, unlinks or rmdirs the absolute host path `path`:
 * every lazy handle on `path` or below it takes its descriptor now, so that it keeps the
 * file it was opened on (as an open descriptor would have). Errors: EMFILE, ENFILE, ENOMEM
 * (no descriptor to be had: the kernel's operation is refused, before it changes anything).
 */
function materializeAt(path: string): void {
  if (lazyHandles.size === 0) return;
  const below = path + '/';
  for (const h of lazyHandles) {
    const p = h.vnode.hostPath;
    if (p === path || p.startsWith(below)) h.materializeEarly();
  }
}

/**
 * An open host file: positioned I/O on a host descriptor, taken lazily. A handle made by
 * open() holds none (fd LAZY, listed in lazyHandles); its first read, write, truncate,
 * allocate, sync or datasync opens the vnode's path with the access chosen at open and
 * checks the inode (HostVnode.openIdentified). Once it has a descriptor it is listed in its
 * vnode's set of handles until closed. Closing a lazy handle asks nothing of the host.
 */
class HostFileHandle implements FileHandle {
  /** A host descriptor, or CLOSED, LAZY, BROKEN. */
  fd: number;
  readonly writable: boolean;
  readonly vnode: HostVnode;
  /** O_RDONLY, O_WRONLY or O_RDWR: what the lazy open asks for. */
  private readonly access: number;
  private readonly owner: Set<HostFileHandle>;
  /** For BROKEN: the errno every use gets (an early materialization failed for good). */
  private error = 0;

  constructor(vnode: HostVnode, access: number, writable: boolean, owner: Set<HostFileHandle>) {
    this.vnode = vnode;
    this.access = access;
    this.writable = writable;
    this.owner = owner;
    this.fd = LAZY;
    lazyHandles.add(this);
  }

  read(dst: Uint8Array, pos: number): number {
    const fd = this.live();
    return host(() => readSync(fd, dst, 0, dst.length, pos));
  }

  write(src: Uint8Array, pos: number): number {
    const fd = this.live();
    return host(() => writeSync(fd, src, 0, src.length, pos));
  }

  truncate(size: number): void {
    if (size < 0) fail(E.INVAL);
    const fd = this.live();
    host(() => ftruncateSync(fd, size));
  }

  /** Emulated: grows the file to offset+len when smaller (no space is reserved). */
  allocate(offset: number, len: number): void {
    if (offset < 0 || len <= 0) fail(E.INVAL);
    const fd = this.live();
    const size = host(() => fstatSync(fd)).size;
    if (size < offset + len) host(() => ftruncateSync(fd, offset + len));
  }

  sync(): void {
    const fd = this.live();
    host(() => fsyncSync(fd));
  }

  datasync(): void {
    const fd = this.live();
    host(() => fdatasyncSync(fd));
  }

  close(): void {
    const fd = this.fd;
    if (fd === CLOSED) fail(E.BADF);
    this.fd = CLOSED;
    if (fd === LAZY) {
      lazyHandles.delete(this);
      return;
    }
    if (fd === BROKEN) return;
    this.owner.delete(this);
    host(() => closeSync(fd));
  }

  /**
   * Before the kernel changes what this handle's path names. A failure that a later try
   * could not mend (ESTALE, ENOENT, EACCES ...: a host process changed the tree, or the
   * host refuses what the permission bits allowed) breaks the handle: every later use gets
   * that errno. A transient one (EMFILE ...) is thrown, refusing the kernel's operation.
   */
  materializeEarly(): void {
    try {
      this.materialize();
    } catch (err) {
      if (!isSysError(err) || TRANSIENT.has(err.errno)) throw err;
      lazyHandles.delete(this);
      this.fd = BROKEN;
      this.error = err.errno;
    }
  }

  /** The descriptor, taken now if lazy. Errors: EBADF (closed), the lazy open's errors. */
  private live(): number {
    const fd = this.fd;
    if (fd >= 0) return fd;
    if (fd === LAZY) return this.materialize();
    return fail(fd === BROKEN ? this.error : E.BADF);
  }

  /** Takes the descriptor. A failure leaves the handle lazy: the next use tries again. */
  private materialize(): number {
    const fd = this.vnode.openIdentified(this.access);
    lazyHandles.delete(this);
    this.fd = fd;
    this.owner.add(this);
    return fd;
  }
}

/** Bits of hostAccess's answer. */
export const MAY_READ = 4;
export const MAY_WRITE = 2;

/** Who the host process is, for the permission check: read once, at load (each call is a syscall). */
export interface HostCredentials {
  uid: number;
  gid: number;
  groups: readonly number[];
}
const HOST_CREDENTIALS: HostCredentials | null = typeof process.geteuid === 'function'
  ? { uid: process.geteuid(), gid: process.getegid!(), groups: process.getgroups!() }
  : null;

/**
 * What open(2) would let `cred` do to a file with permission bits `mode`, owner `uid` and
 * group `gid`: MAY_READ | MAY_WRITE bits. Root may read and write anything; otherwise the
 * owner's, the group's or the others' bits decide, the first class that matches. ACLs, and
 * capabilities other than root's, are not consulted (see the file's note). Without host
 * credentials (not a POSIX host) everything is allowed and the host decides at first use.
 */
export function hostAccess(mode: number, uid: number, gid: number, cred: HostCredentials | null = HOST_CREDENTIALS): number {
  if (cred === null || cred.uid === 0) return MAY_READ | MAY_WRITE;
  let bits: number;
  if (cred.uid === uid) bits = mode >> 6;
  else if (cred.gid === gid || cred.groups.includes(gid)) bits = mode >> 3;
  else bits = mode;
  return bits & (MAY_READ | MAY_WRITE);
}
