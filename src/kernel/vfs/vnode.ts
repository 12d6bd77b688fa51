// The VFS's contract with a filesystem. A Vnode is a file as the filesystem knows it (an
// inode); an open-file description (src/kernel/fd/) is a handle on one. The namespace layer
// (namespace.ts) walks paths, follows symlinks and crosses mounts, and calls these methods
// one component at a time, so a filesystem never sees a path with '/' in a name, never sees
// '.' or '..', and never follows a symlink itself (that is what confines hostfs).
//
// Every method either returns or throws a SysError via fail(errno). Methods a kind of vnode
// does not support keep the defaults below (ENOTDIR for directory operations on a
// non-directory, EINVAL for readlink on a non-symlink, EISDIR/EINVAL for open).
//
// Numbers: sizes and offsets are JS numbers (exact up to 2^53; larger offsets are refused
// with EFBIG/EINVAL above this layer); timestamps are bigint nanoseconds since the epoch.
import { E, FILETYPE } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';

/** What statvfs reports of a filesystem: blocksFree counts blocks reserved for root, blocksAvail does not. */
export interface StatFs {
  blockSize: number;
  blocks: number;
  blocksFree: number;
  blocksAvail: number;
  files: number;
  filesFree: number;
}

export interface Stat {
  dev: bigint;
  ino: bigint;
  filetype: number; // FILETYPE.*
  nlink: number;
  size: number;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
  mode: number; // permission bits (0o7777), as Unix
  uid: number;
  gid: number;
}

export interface DirEntry {
  name: string;
  ino: bigint;
  filetype: number;
}

/** A time to set: a value in ns, 'now', or null to leave it alone. */
export type TimeSpec = bigint | 'now' | null;

/** An open handle on a regular file or a device. Owned by exactly one open-file description. */
export interface FileHandle {
  /** Reads up to dst.length bytes at `pos` (ignored by devices). Returns the count; 0 is EOF. */
  read(dst: Uint8Array, pos: number): number;
  /** Writes src at `pos` (ignored by devices); returns the count written. */
  write(src: Uint8Array, pos: number): number;
  /** Sets the size; extending makes a hole that reads as zeros. */
  truncate(size: number): void;
  /** Ensures [offset, offset+len) is allocated (size grows if needed). */
  allocate(offset: number, len: number): void;
  sync(): void;
  datasync(): void;
  /** Releases host resources. Called once, when the last descriptor of the description closes. */
  close(): void;
}

export abstract class FileSystem {
  /** st_dev of every vnode here: unique per mounted filesystem instance. */
  readonly dev: bigint;
  readonly readOnly: boolean;
  abstract readonly type: string; // 'tmpfs' | 'hostfs' | 'devfs' | ...

  private static nextDev = 1n;

  constructor(readOnly = false) {
    this.dev = FileSystem.nextDev++;
    this.readOnly = readOnly;
  }

  abstract root(): Vnode;

  /** For df: total and free bytes, and inode counts. */
  statfs(): StatFs {
    return { blockSize: 4096, blocks: 0, blocksFree: 0, blocksAvail: 0, files: 0, filesFree: 0 };
  }
}

export abstract class Vnode {
  abstract readonly fs: FileSystem;
  abstract readonly filetype: number;
  /**
   * Identity within the filesystem, stable for the vnode's life: used as the key of mount
   * points (a mount covers name N in the directory whose key is K).
   */
  abstract readonly key: string | number;
  /**
   * Set on /dev/stdin, /dev/stdout, /dev/stderr (and /dev/fd/N): opening the vnode duplicates
   * the opening process's descriptor `aliasFd` instead of opening a new file.
   */
  aliasFd?: number;
  /**
   * Set on /dev/tty once a kernel terminal exists (tty/kernel-tty.ts): opening the vnode
   * gives this description (the caller's controlling terminal) instead of a FileHandle.
   */
  openFile?: (read: boolean, write: boolean, fdflags: number) => import('../fd/open-file.ts').OpenFile;

  /**
   * Its path from its filesystem's root ('' for the root, names joined by '/'), when the
   * filesystem knows it without searching (hostfs does); null otherwise. Namespace.pathOf
   * uses it to skip reading every directory on the way up.
   */
  pathFromRoot(): string | null {
    return null;
  }

  abstract stat(): Stat;

  /** Sets atime/mtime (ctime becomes now). EROFS on a read-only filesystem. */
  setTimes(_atim: TimeSpec, _mtim: TimeSpec): void {
    fail(E.NOTSUP);
  }

  /** Sets the permission bits (chmod; ctime becomes now). EROFS on a read-only filesystem. */
  chmod(_mode: number): void {
    fail(E.PERM);
  }

  /** Sets the size of a regular file (path_filestat_set_size, O_TRUNC). */
  truncate(_size: number): void {
    fail(this.filetype === FILETYPE.DIRECTORY ? E.ISDIR : E.INVAL);
  }

  // ---- directories ----
  /** The entry `name` (never '.', '..' or containing '/'). ENOENT if absent. */
  lookup(_name: string): Vnode {
    return fail(E.NOTDIR);
  }
  /** Creates a regular file. EEXIST if `name` exists (whatever it is). */
  create(_name: string, _mode: number): Vnode {
    return fail(E.NOTDIR);
  }
  /** EEXIST if `name` exists. */
  mkdir(_name: string, _mode: number): Vnode {
    return fail(E.NOTDIR);
  }
  /**
   * Creates a socket inode (bind(2) of a Unix-domain socket, net/unix.ts). EEXIST if `name`
   * exists; EOPNOTSUPP on a filesystem that cannot hold one.
   */
  mksock(_name: string, _mode: number): Vnode {
    return fail(this.filetype === FILETYPE.DIRECTORY ? E.NOTSUP : E.NOTDIR);
  }
  /** Creates a symlink holding `target` verbatim. EEXIST if `name` exists. */
  symlink(_name: string, _target: string): void {
    fail(E.NOTDIR);
  }
  /** A new name for `target` (not a directory: EPERM). EXDEV across filesystems; EEXIST. */
  link(_name: string, _target: Vnode): void {
    fail(E.NOTDIR);
  }
  /** Removes a non-directory entry. ENOENT; EISDIR if `name` is a directory. */
  unlink(_name: string): void {
    fail(E.NOTDIR);
  }
  /** Removes an empty directory. ENOENT; ENOTDIR if not a directory; ENOTEMPTY. */
  rmdir(_name: string): void {
    fail(E.NOTDIR);
  }
  /**
   * rename(2) semantics within one filesystem: replaces a non-directory with a non-directory
   * or an empty directory with a directory, atomically. Errors: ENOENT (source), EXDEV (other
   * filesystem), EISDIR (dir over non-dir... target is a dir, source is not), ENOTDIR (source
   * is a dir, target is not), ENOTEMPTY (target dir not empty), EINVAL (directory moved into
   * its own subtree). Renaming a name onto itself (same vnode) is a no-op.
   */
  rename(_name: string, _toDir: Vnode, _toName: string): void {
    fail(E.NOTDIR);
  }
  /** The entries, without '.' and '..', in a stable order for an unchanged directory. */
  readdir(): DirEntry[] {
    return fail(E.NOTDIR);
  }
  /** The parent directory within this filesystem, or null at the filesystem's root. */
  parent(): Vnode | null {
    return null;
  }

  // ---- symlinks ----
  readlink(): string {
    return fail(E.INVAL);
  }

  // ---- files and devices ----
  /**
   * Opens a regular file or device for I/O. `write` says whether the caller needs to write
   * (EROFS on a read-only filesystem, ETXTBSY never). EISDIR for directories.
   */
  open(_write: boolean): FileHandle {
    return fail(this.filetype === FILETYPE.DIRECTORY ? E.ISDIR : E.INVAL);
  }
}
