// tmpfs: a filesystem in kernel memory.
//
// Inodes are objects: TmpDir (a Map of entries in insertion order, which is the readdir
// order, and a link to its parent for '..'), TmpFile (a SparseData, see tmpfs-data.ts) and
// TmpSymlink. Link counts are Unix's: a file counts its names; a directory counts its entry
// in the parent, its own '.' and each subdirectory's '..'. A file's storage is freed when it
// has neither a name nor an open FileHandle; a removed directory has nlink 0 and refuses new
// entries (ENOENT), as Linux does for a deleted working directory.
//
// Every mutation either completes or changes nothing (there are no partial renames), and
// updates times as POSIX says: mtime/ctime of a file on write and truncate, ctime on link
// count, name and attribute changes, mtime/ctime of a directory when its entries change.
//
// A readOnly TmpFs refuses mutations through its vnodes with EROFS; images fill one first
// through the builder methods (add*), which skip that check (see tmpfs-populate.ts).
// Space: file bytes (allocated chunk buffers) are charged against `maxBytes`; inodes against
// `maxInodes`; past either, writes and creations fail with ENOSPC.
import { Buffer } from 'node:buffer';
import { totalmem } from 'node:os';
import { E, FILETYPE } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import { checkName, checkTarget, MemVnode } from './inode.ts';
import { SparseData, type SpacePool } from './tmpfs-data.ts';
import { FileSystem, type DirEntry, type FileHandle, type StatFs, type Vnode } from './vnode.ts';

export interface TmpFsOptions {
  /** Refuse every mutation with EROFS. Default false. */
  readOnly?: boolean;
  /** Bytes of file data; writes past it fail with ENOSPC. Default: half the host's RAM (as Linux). */
  maxBytes?: number;
  /** Inodes; creations past it fail with ENOSPC. Default: maxBytes / 4096. */
  maxInodes?: number;
}

const BLOCK_SIZE = 4096;
/** Linux tmpfs reports a directory's size as 20 bytes per entry, counting '.' and '..'. */
const DIRENT_SIZE = 20;

export class TmpFs extends FileSystem implements SpacePool {
  readonly type = 'tmpfs';
  readonly maxBytes: number;
  readonly maxInodes: number;
  private bytesUsed = 0;
  private inodesUsed = 0;
  private nextIno = 1n;
  private readonly rootDir: TmpDir;

  constructor(options: TmpFsOptions = {}) {
    super(options.readOnly ?? false);
    this.maxBytes = options.maxBytes ?? Math.floor(totalmem() / 2);
    this.maxInodes = options.maxInodes ?? Math.max(1, Math.floor(this.maxBytes / BLOCK_SIZE));
    this.rootDir = new TmpDir(this, this.allocIno(), 0o755, null);
  }

  root(): TmpDir {
    return this.rootDir;
  }

  override statfs(): StatFs {
    const blocks = Math.floor(this.maxBytes / BLOCK_SIZE);
    const free = Math.max(0, blocks - Math.ceil(this.bytesUsed / BLOCK_SIZE));
    return {
      blockSize: BLOCK_SIZE,
      blocks,
      blocksFree: free,
      blocksAvail: free,
      files: this.maxInodes,
      filesFree: Math.max(0, this.maxInodes - this.inodesUsed),
    };
  }

  /** Bytes of file data held now. */
  get usedBytes(): number {
    return this.bytesUsed;
  }

  /** Inodes alive now (named or open), the root included. */
  get usedInodes(): number {
    return this.inodesUsed;
  }

  reserve(bytes: number): boolean {
    if (this.bytesUsed + bytes > this.maxBytes) return false;
    this.bytesUsed += bytes;
    return true;
  }

  release(bytes: number): void {
    this.bytesUsed -= bytes;
  }

  /** A new inode number. Errors: ENOSPC past maxInodes. */
  allocIno(): bigint {
    if (this.inodesUsed >= this.maxInodes) fail(E.NOSPC);
    this.inodesUsed++;
    return this.nextIno++;
  }

  /** An inode is gone (no name, not open). */
  freeIno(): void {
    this.inodesUsed--;
  }

  /** Errors: EROFS on a read-only filesystem. */
  checkWritable(): void {
    if (this.readOnly) fail(E.ROFS);
  }
}

export type TmpNode = TmpFile | TmpDir | TmpSymlink | TmpSocket;

function isTmpNode(v: Vnode, fs: TmpFs): v is TmpNode {
  return v.fs === fs && (v instanceof TmpFile || v instanceof TmpDir || v instanceof TmpSymlink || v instanceof TmpSocket);
}

export class TmpFile extends MemVnode {
  readonly filetype = FILETYPE.REGULAR_FILE;
  readonly fs: TmpFs;
  readonly data: SparseData;
  /** Open FileHandles: the storage outlives the last name while one is open. */
  private opens = 0;

  constructor(fs: TmpFs, ino: bigint, mode: number) {
    super(ino, mode);
    this.fs = fs;
    this.data = new SparseData(fs);
  }

  protected size(): number {
    return this.data.size;
  }

  /** Errors: EROFS, EINVAL (negative), EFBIG, ENOSPC. */
  override truncate(size: number): void {
    this.fs.checkWritable();
    this.data.truncate(size);
    this.modified();
  }

  /** Errors: EROFS when `write` on a read-only filesystem. */
  override open(write: boolean): FileHandle {
    if (write) this.fs.checkWritable();
    this.opens++;
    return new TmpFileHandle(this, write);
  }

  /** Lost a name or a handle: frees the storage and the inode once nothing holds the file. */
  release(closing: boolean): void {
    if (closing) this.opens--;
    if (this.nlink === 0 && this.opens === 0) {
      this.data.clear();
      this.fs.freeIno();
    }
  }
}

/** An open tmpfs file. A handle opened without `write` refuses writes with EBADF. */
class TmpFileHandle implements FileHandle {
  private readonly file: TmpFile;
  private readonly writable: boolean;
  private closed = false;

  constructor(file: TmpFile, writable: boolean) {
    this.file = file;
    this.writable = writable;
  }

  read(dst: Uint8Array, pos: number): number {
    this.live();
    return this.file.data.read(dst, pos);
  }

  write(src: Uint8Array, pos: number): number {
    this.live(true);
    const n = this.file.data.write(src, pos);
    if (n > 0) this.file.modified();
    return n;
  }

  truncate(size: number): void {
    this.live(true);
    this.file.data.truncate(size);
    this.file.modified();
  }

  allocate(offset: number, len: number): void {
    this.live(true);
    const before = this.file.data.size;
    this.file.data.allocate(offset, len);
    if (this.file.data.size !== before) this.file.modified();
  }

  sync(): void {
    this.live();
  }

  datasync(): void {
    this.live();
  }

  close(): void {
    this.live();
    this.closed = true;
    this.file.release(true);
  }

  private live(write = false): void {
    if (this.closed || (write && !this.writable)) fail(E.BADF);
  }
}

export class TmpSymlink extends MemVnode {
  readonly filetype = FILETYPE.SYMBOLIC_LINK;
  readonly fs: TmpFs;
  readonly target: string;

  constructor(fs: TmpFs, ino: bigint, target: string) {
    super(ino, 0o777);
    this.fs = fs;
    this.target = target;
  }

  protected size(): number {
    return Buffer.byteLength(this.target, 'utf8');
  }

  override readlink(): string {
    return this.target;
  }

  /** A symlink is never opened itself (O_NOFOLLOW on a symlink). */
  override open(_write: boolean): FileHandle {
    return fail(E.LOOP);
  }
}

/** A socket inode: the name a Unix-domain socket is bound to (net/unix.ts keeps what is bound there). */
export class TmpSocket extends MemVnode {
  readonly filetype = FILETYPE.SOCKET_STREAM;
  readonly fs: TmpFs;

  constructor(fs: TmpFs, ino: bigint, mode: number) {
    super(ino, mode);
    this.fs = fs;
  }

  protected size(): number {
    return 0;
  }

  /** open(2) of a socket is ENXIO, as Linux. */
  override open(_write: boolean): FileHandle {
    return fail(E.NXIO);
  }
}

export class TmpDir extends MemVnode {
  readonly filetype = FILETYPE.DIRECTORY;
  readonly fs: TmpFs;
  /** The entries, in insertion order (the readdir order). */
  private readonly entries = new Map<string, TmpNode>();
  /** '..': null at the root. */
  private parentDir: TmpDir | null;

  constructor(fs: TmpFs, ino: bigint, mode: number, parent: TmpDir | null) {
    super(ino, mode);
    this.fs = fs;
    this.parentDir = parent;
    this.nlink = 2;
  }

  protected size(): number {
    return DIRENT_SIZE * (this.entries.size + 2);
  }

  override parent(): TmpDir | null {
    return this.parentDir;
  }

  get entryCount(): number {
    return this.entries.size;
  }

  /** Errors: EINVAL, ENAMETOOLONG (bad name), ENOENT. */
  override lookup(name: string): TmpNode {
    checkName(name);
    return this.entries.get(name) ?? fail(E.NOENT);
  }

  /** The entry `name`, or undefined: lookup without the errno. */
  entry(name: string): TmpNode | undefined {
    return this.entries.get(name);
  }

  override readdir(): DirEntry[] {
    const out: DirEntry[] = [];
    for (const [name, node] of this.entries) out.push({ name, ino: node.ino, filetype: node.filetype });
    return out;
  }

  /** Errors: EEXIST, EROFS, ENOENT (this directory was removed), ENOSPC, EINVAL, ENAMETOOLONG. */
  override create(name: string, mode: number): TmpFile {
    this.checkNew(name);
    return this.addFile(name, mode);
  }

  /** Errors: as create. */
  override mkdir(name: string, mode: number): TmpDir {
    this.checkNew(name);
    return this.addDir(name, mode);
  }

  /** Errors: as create. */
  override mksock(name: string, mode: number): TmpSocket {
    this.checkNew(name);
    const node = new TmpSocket(this.fs, this.fs.allocIno(), mode);
    this.attach(name, node);
    return node;
  }

  /** Errors: as create; for the target ENOENT (empty), EINVAL (NUL), ENAMETOOLONG. */
  override symlink(name: string, target: string): void {
    checkTarget(target);
    this.checkNew(name);
    this.addSymlink(name, target);
  }

  /**
   * Errors: EXDEV (target on another filesystem), EPERM (target is a directory), ENOENT
   * (target has no name left), and as create.
   */
  override link(name: string, target: Vnode): void {
    if (!isTmpNode(target, this.fs)) fail(E.XDEV);
    if (target instanceof TmpDir) fail(E.PERM);
    this.checkNew(name);
    if (target.nlink === 0) fail(E.NOENT);
    target.nlink++;
    target.changed();
    this.attach(name, target);
  }

  /** Errors: EROFS, ENOENT, EISDIR (a directory), EINVAL, ENAMETOOLONG. */
  override unlink(name: string): void {
    this.fs.checkWritable();
    const node = this.lookup(name);
    if (node instanceof TmpDir) fail(E.ISDIR);
    this.detach(name);
    this.unlinked(node);
  }

  /** Errors: EROFS, ENOENT, ENOTDIR, ENOTEMPTY, EINVAL, ENAMETOOLONG. */
  override rmdir(name: string): void {
    this.fs.checkWritable();
    const node = this.lookup(name);
    if (!(node instanceof TmpDir)) fail(E.NOTDIR);
    if (node.entries.size > 0) fail(E.NOTEMPTY);
    this.detach(name);
    this.unlinked(node);
  }

  /** rename(2), atomically. Errors: see Vnode.rename; also EROFS, EINVAL, ENAMETOOLONG. */
  override rename(name: string, toDir: Vnode, toName: string): void {
    this.fs.checkWritable();
    if (toDir.fs !== this.fs) fail(E.XDEV);
    if (!(toDir instanceof TmpDir)) fail(E.NOTDIR);
    const node = this.lookup(name);
    checkName(toName);
    if (toDir.nlink === 0) fail(E.NOENT);
    const old = toDir.entries.get(toName);
    if (old === node) return;
    if (node instanceof TmpDir && toDir.isWithin(node)) fail(E.INVAL);
    if (old !== undefined) {
      if (node instanceof TmpDir && !(old instanceof TmpDir)) fail(E.NOTDIR);
      if (!(node instanceof TmpDir) && old instanceof TmpDir) fail(E.ISDIR);
      if (old instanceof TmpDir && old.entries.size > 0) fail(E.NOTEMPTY);
    }
    // Checks done: from here nothing fails.
    this.detach(name);
    if (old !== undefined) {
      toDir.detach(toName);
      toDir.unlinked(old);
    }
    toDir.attach(toName, node);
    node.changed();
  }

  // ---- builder methods: no EROFS check (images fill read-only filesystems with these) ----

  /** Errors: EEXIST, ENOSPC, EINVAL, ENAMETOOLONG. */
  addFile(name: string, mode: number, contents?: Uint8Array): TmpFile {
    this.checkFree(name);
    const file = new TmpFile(this.fs, this.fs.allocIno(), mode);
    if (contents !== undefined && contents.length > 0) {
      try {
        if (file.data.write(contents, 0) < contents.length) fail(E.NOSPC);
      } catch (e) {
        file.data.clear();
        this.fs.freeIno();
        throw e;
      }
    }
    this.attach(name, file);
    return file;
  }

  /** Errors: EEXIST, ENOSPC, EINVAL, ENAMETOOLONG. */
  addDir(name: string, mode: number): TmpDir {
    this.checkFree(name);
    const dir = new TmpDir(this.fs, this.fs.allocIno(), mode, this);
    this.attach(name, dir);
    return dir;
  }

  /** Errors: EEXIST, ENOSPC, EINVAL, ENAMETOOLONG. */
  addSymlink(name: string, target: string): TmpSymlink {
    this.checkFree(name);
    const link = new TmpSymlink(this.fs, this.fs.allocIno(), target);
    this.attach(name, link);
    return link;
  }

  // ---- internals ----

  /** True if this directory is `dir` or lies below it. */
  private isWithin(dir: TmpDir): boolean {
    for (let d: TmpDir | null = this; d !== null; d = d.parentDir) {
      if (d === dir) return true;
    }
    return false;
  }

  /** Checks for a new entry: a valid, unused name in a live directory. */
  private checkFree(name: string): void {
    checkName(name);
    if (this.nlink === 0) fail(E.NOENT);
    if (this.entries.has(name)) fail(E.EXIST);
  }

  /** checkFree, then EROFS: creating an existing name reports EEXIST even when read-only. */
  private checkNew(name: string): void {
    this.checkFree(name);
    this.fs.checkWritable();
  }

  /** Adds the entry; a directory gets this as its '..'. */
  private attach(name: string, node: TmpNode): void {
    this.entries.set(name, node);
    if (node instanceof TmpDir) {
      node.parentDir = this;
      this.nlink++;
    }
    this.modified();
  }

  /** Removes the entry; the node's own link count is the caller's (see unlinked). */
  private detach(name: string): void {
    const node = this.entries.get(name);
    this.entries.delete(name);
    if (node instanceof TmpDir) this.nlink--;
    this.modified();
  }

  /** A node lost its entry in this directory for good. */
  private unlinked(node: TmpNode): void {
    if (node instanceof TmpDir) {
      node.nlink = 0;
      node.changed();
      this.fs.freeIno();
    } else {
      node.nlink--;
      node.changed();
      if (node instanceof TmpFile) node.release(false);
      else if (node.nlink === 0) this.fs.freeIno();
    }
  }
}
