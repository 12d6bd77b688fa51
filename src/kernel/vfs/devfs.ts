// devfs: the fixed /dev directory.
//
// One directory of character devices: null, zero, full, random, urandom (each a Device: how
// a read fills a buffer and how a write is taken), and stdin, stdout, stderr, which carry
// aliasFd 0/1/2 so the fd layer duplicates the opening process's descriptor instead of
// calling open(). Inode numbers are fixed by position, so they are stable for the run.
//
// The structure cannot change: creating, linking, removing or renaming entries fails with
// EPERM (EEXIST first for an existing name, ENOENT first for a missing one). Linux's
// devtmpfs would let root create files in /dev; ours is fixed so that /dev means the same in
// every image. Times live in memory and setTimes changes them. The kernel's own subsystems
// may add a device at boot (DevFs.addDevice: /dev/sa, metrics/device.ts); guests never can.
//
// As on Linux: truncate and fsync of a device fail with EINVAL, fallocate with ENODEV; the
// fd layer should ignore O_TRUNC on a device rather than call truncate.
import { randomFillSync } from 'node:crypto';
import { E, FILETYPE } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import { checkName, MemVnode } from './inode.ts';
import { FileSystem, type DirEntry, type FileHandle, type Vnode } from './vnode.ts';

/** What a device does with a read buffer and a written one; each returns the byte count. */
interface Device {
  read(dst: Uint8Array): number;
  write(src: Uint8Array): number;
}

const RANDOM_MAX = 1 << 30; // randomFillSync takes at most 2^31 - 1 bytes per call

const zeros = (dst: Uint8Array): number => (dst.fill(0), dst.length);
const swallow = (src: Uint8Array): number => src.length;
const random = (dst: Uint8Array): number => {
  for (let off = 0; off < dst.length; off += RANDOM_MAX) {
    randomFillSync(dst, off, Math.min(RANDOM_MAX, dst.length - off));
  }
  return dst.length;
};

const DEVICES: ReadonlyMap<string, Device> = new Map([
  ['null', { read: () => 0, write: swallow }],
  ['zero', { read: zeros, write: swallow }],
  ['full', { read: zeros, write: () => fail(E.NOSPC) }],
  ['random', { read: random, write: swallow }],
  ['urandom', { read: random, write: swallow }],
]);

const STDIO = ['stdin', 'stdout', 'stderr'];

export class DevFs extends FileSystem {
  readonly type = 'devfs';
  private readonly rootDir: DevDir;

  constructor() {
    super(false);
    this.rootDir = new DevDir(this);
  }

  root(): DevDir {
    return this.rootDir;
  }

  /**
   * Adds a device the kernel's host side provides (metrics/device.ts: /dev/sa), whose every
   * open gets a handle of its own. For the kernel's subsystems at boot, never for guests.
   * Errors: EEXIST for a name in use.
   */
  addDevice(name: string, open: (write: boolean) => FileHandle, mode = 0o666): void {
    this.rootDir.addNode(name, (ino) => new DevNode(this, ino, null, undefined, open, mode));
  }
}

export class DevNode extends MemVnode {
  readonly filetype = FILETYPE.CHARACTER_DEVICE;
  readonly fs: DevFs;
  private readonly device: Device | null;
  private readonly opener: ((write: boolean) => FileHandle) | null;

  constructor(fs: DevFs, ino: bigint, device: Device | null, aliasFd?: number,
    opener: ((write: boolean) => FileHandle) | null = null, mode = 0o666) {
    super(ino, mode);
    this.fs = fs;
    this.device = device;
    this.opener = opener;
    if (aliasFd !== undefined) this.aliasFd = aliasFd;
  }

  protected size(): number {
    return 0;
  }

  /** Errors: ENXIO for stdin/stdout/stderr (the fd layer duplicates aliasFd instead). */
  override open(write: boolean): FileHandle {
    if (this.opener !== null) return this.opener(write);
    return this.device === null ? fail(E.NXIO) : new DeviceHandle(this.device);
  }
}

/**
 * What every open character device answers alike (devfs's and the ones subsystems add,
 * such as /dev/sa): no truncate, allocate or sync (Linux's errnos), EBADF once closed.
 */
export abstract class CharDeviceHandle implements FileHandle {
  protected closed = false;

  abstract read(dst: Uint8Array, pos: number): number;
  abstract write(src: Uint8Array, pos: number): number;

  truncate(_size: number): void {
    this.live();
    fail(E.INVAL);
  }

  allocate(_offset: number, _len: number): void {
    this.live();
    fail(E.NODEV);
  }

  sync(): void {
    this.live();
    fail(E.INVAL);
  }

  datasync(): void {
    this.live();
    fail(E.INVAL);
  }

  close(): void {
    this.live();
    this.closed = true;
  }

  protected live(): void {
    if (this.closed) fail(E.BADF);
  }
}

/** An open device; positions are ignored. */
class DeviceHandle extends CharDeviceHandle {
  private readonly device: Device;

  constructor(device: Device) {
    super();
    this.device = device;
  }

  read(dst: Uint8Array, _pos: number): number {
    this.live();
    return this.device.read(dst);
  }

  write(src: Uint8Array, _pos: number): number {
    this.live();
    return this.device.write(src);
  }
}

export class DevDir extends MemVnode {
  readonly filetype = FILETYPE.DIRECTORY;
  readonly fs: DevFs;
  private readonly entries = new Map<string, DevNode>();

  constructor(fs: DevFs) {
    super(1n, 0o755);
    this.fs = fs;
    this.nlink = 2;
    let ino = 2n;
    for (const [name, device] of DEVICES) this.entries.set(name, new DevNode(fs, ino++, device));
    STDIO.forEach((name, fd) => this.entries.set(name, new DevNode(fs, ino++, null, fd)));
    // No process has a controlling terminal: opening /dev/tty is ENXIO, as on Linux without one.
    this.entries.set('tty', new DevNode(fs, ino++, null));
  }

  protected size(): number {
    return 0;
  }

  /** A device added after boot (DevFs.addDevice), with the next inode number. EEXIST if taken. */
  addNode(name: string, make: (ino: bigint) => DevNode): void {
    checkName(name);
    if (this.entries.has(name)) fail(E.EXIST);
    let ino = 2n;
    for (const n of this.entries.values()) if (n.ino >= ino) ino = n.ino + 1n;
    this.entries.set(name, make(ino));
  }

  /** Errors: ENOENT, EINVAL/ENAMETOOLONG (bad name). */
  override lookup(name: string): DevNode {
    checkName(name);
    return this.entries.get(name) ?? fail(E.NOENT);
  }

  override readdir(): DirEntry[] {
    return [...this.entries].map(([name, node]) => ({ name, ino: node.ino, filetype: node.filetype }));
  }

  override create(name: string, _mode: number): Vnode {
    return this.refuseNew(name);
  }

  override mkdir(name: string, _mode: number): Vnode {
    return this.refuseNew(name);
  }

  override symlink(name: string, _target: string): void {
    this.refuseNew(name);
  }

  override link(name: string, target: Vnode): void {
    if (target.fs !== this.fs) fail(E.XDEV);
    this.refuseNew(name);
  }

  override unlink(name: string): void {
    this.lookup(name);
    fail(E.PERM);
  }

  override rmdir(name: string): void {
    this.lookup(name);
    fail(E.NOTDIR);
  }

  override rename(name: string, toDir: Vnode, _toName: string): void {
    if (toDir.fs !== this.fs) fail(E.XDEV);
    this.lookup(name);
    fail(E.PERM);
  }

  /** Errors: EEXIST for an existing name, else EPERM (the structure is fixed). */
  private refuseNew(name: string): never {
    checkName(name);
    return fail(this.entries.has(name) ? E.EXIST : E.PERM);
  }
}
