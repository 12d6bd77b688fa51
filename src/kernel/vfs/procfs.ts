// procfs: the kernel's processes and figures as files, mounted at /proc by Kernel.boot.
//
//   /proc/{meminfo,loadavg,uptime,stat,mounts}     kernel-wide
//   /proc/self                                     a link to the caller's own directory
//   /proc/PID/{stat,statm,status,cmdline,environ,io,limits,wchan,acct,syscalls}
//   /proc/PID/fd/N                                 links: a path, pipe:[N], socket:[N], anon_inode:[...]
//   /proc/PID/{cwd,root}                           links to directories
//
// Files are generated when opened, and what one open description reads stays as it was at
// open (as Linux's seq files keep what one read() made). Formats are Linux's (proc(5)) where
// a Linux tool parses them: the 52 fields of /proc/PID/stat, `Key:\tvalue` lines of status,
// `key: value` lines of io; the numbers mean what docs/tools.md says they mean here.
// `acct` and `syscalls` are isokernel's own: CPU split, bytes by kind and mount, calls and
// time by syscall name.
//
// Who asks: the calling process is the kernel CPU's current one (a handler always runs with
// it set). environ is readable by its owner and root only (EACCES), as Linux's ptrace check
// has it; everything else is world-readable. Nothing is writable (EACCES on open for writing;
// creating, linking, removing: EACCES/EPERM as Linux answers). A process that ends between
// lookup and open gives ENOENT; its directory disappears once it is reaped.
import { Buffer } from 'node:buffer';
import { E, FILETYPE } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import type { Kernel } from '../kernel.ts';
import type { Process } from '../proc/process.ts';
import { checkName, nowNs } from './inode.ts';
import {
  acct, describe, io, kstat, limits, loadavg, meminfo, procStat, status, statm, syscalls, uptime,
} from './procfs-files.ts';
import { FileSystem, Vnode, type DirEntry, type FileHandle, type Stat } from './vnode.ts';

export { describe, memoryOf, stateLetter } from './procfs-files.ts';

// ---- the filesystem ----

export class ProcFs extends FileSystem {
  readonly type = 'proc';
  readonly k: Kernel;
  private readonly rootDir: ProcRoot;

  constructor(k: Kernel) {
    super(true);
    this.k = k;
    this.rootDir = new ProcRoot(this);
  }

  root(): ProcRoot {
    return this.rootDir;
  }

  /** The process making the current call, or null (the host). */
  caller(): Process | null {
    return this.k.cpu.current;
  }

  /** A live or zombie process, or ENOENT. */
  proc(pid: number): Process {
    return this.k.procs.get(pid) ?? fail(E.NOENT);
  }
}

const BOOT_NS = nowNs();

abstract class ProcNode extends Vnode {
  readonly fs: ProcFs;
  readonly key: string;
  readonly ino: bigint;
  constructor(fs: ProcFs, key: string, ino: bigint) {
    super();
    this.fs = fs;
    this.key = key;
    this.ino = ino;
  }
  protected abstract mode(): number;
  protected owner(): [number, number] {
    return [0, 0];
  }
  stat(): Stat {
    const [uid, gid] = this.owner();
    return {
      dev: this.fs.dev, ino: this.ino, filetype: this.filetype, nlink: this.filetype === FILETYPE.DIRECTORY ? 2 : 1,
      size: 0, atim: BOOT_NS, mtim: BOOT_NS, ctim: BOOT_NS, mode: this.mode(), uid, gid,
    };
  }
  override setTimes(): void {
    fail(E.ACCES);
  }
  override chmod(): void {
    fail(E.PERM);
  }
  override truncate(): void {
    fail(E.ACCES);
  }
}

/** Refusals of a fixed directory, as Linux's procfs answers them. */
abstract class ProcDir extends ProcNode {
  readonly filetype = FILETYPE.DIRECTORY;
  protected mode(): number {
    return 0o555;
  }
  override create(name: string): Vnode {
    return this.refuse(name);
  }
  override mkdir(name: string): Vnode {
    return this.refuse(name);
  }
  override symlink(name: string): void {
    this.refuse(name);
  }
  override link(name: string, target: Vnode): void {
    if (target.fs !== this.fs) fail(E.XDEV);
    this.refuse(name);
  }
  override unlink(name: string): void {
    this.lookup(name);
    fail(E.ACCES);
  }
  override rmdir(name: string): void {
    this.lookup(name);
    fail(E.ACCES);
  }
  override rename(name: string, toDir: Vnode): void {
    if (toDir.fs !== this.fs) fail(E.XDEV);
    this.lookup(name);
    fail(E.ACCES);
  }
  private refuse(name: string): never {
    checkName(name);
    let exists = true;
    try {
      this.lookup(name);
    } catch {
      exists = false;
    }
    return fail(exists ? E.EXIST : E.ACCES);
  }
}

/** A file whose contents are made at open. */
class GenFile extends ProcNode {
  readonly filetype = FILETYPE.REGULAR_FILE;
  private readonly gen: () => string | Buffer;
  private readonly perm: number;
  private readonly who: () => [number, number];
  private readonly check: (() => void) | null;
  constructor(fs: ProcFs, key: string, ino: bigint, gen: () => string | Buffer, perm = 0o444,
    who: () => [number, number] = () => [0, 0], check: (() => void) | null = null) {
    super(fs, key, ino);
    this.gen = gen;
    this.perm = perm;
    this.who = who;
    this.check = check;
  }
  protected mode(): number {
    return this.perm;
  }
  protected override owner(): [number, number] {
    return this.who();
  }
  /** Errors: EACCES for writing or, for environ, when the caller is neither its owner nor root; ENOENT if the process is gone. */
  override open(write: boolean): FileHandle {
    if (write) fail(E.ACCES);
    this.check?.();
    this.fs.k.cpu.flushCalls(); // the caller's calls of its running slice, so that it sees them
    const g = this.gen();
    return new SnapshotHandle(typeof g === 'string' ? Buffer.from(g, 'utf8') : g);
  }
}

class SnapshotHandle implements FileHandle {
  private readonly data: Buffer;
  private closed = false;
  constructor(data: Buffer) {
    this.data = data;
  }
  read(dst: Uint8Array, pos: number): number {
    if (this.closed) fail(E.BADF);
    if (pos >= this.data.length) return 0;
    return this.data.copy(dst, 0, pos, Math.min(this.data.length, pos + dst.length));
  }
  write(): number {
    return fail(E.BADF);
  }
  truncate(): void {
    fail(E.INVAL);
  }
  allocate(): void {
    fail(E.NODEV);
  }
  sync(): void {}
  datasync(): void {}
  close(): void {
    this.closed = true;
  }
}

class ProcLink extends ProcNode {
  readonly filetype = FILETYPE.SYMBOLIC_LINK;
  private readonly target: () => string;
  constructor(fs: ProcFs, key: string, ino: bigint, target: () => string) {
    super(fs, key, ino);
    this.target = target;
  }
  protected mode(): number {
    return 0o777;
  }
  override readlink(): string {
    return this.target();
  }
}

// ---- /proc ----

const ROOT_FILES = ['meminfo', 'loadavg', 'uptime', 'stat', 'mounts'] as const;

class ProcRoot extends ProcDir {
  private readonly files = new Map<string, Vnode>();
  constructor(fs: ProcFs) {
    super(fs, 'root', 1n);
    const k = fs.k;
    const gens: Record<(typeof ROOT_FILES)[number], () => string> = {
      meminfo: () => meminfo(k),
      loadavg: () => loadavg(k),
      uptime: () => uptime(k),
      stat: () => kstat(k),
      mounts: () => k.ns.list().map((m) => `${m.fs.type} ${m.path} ${m.fs.type} ${m.fs.readOnly ? 'ro' : 'rw'} 0 0\n`).join(''),
    };
    let ino = 2n;
    for (const name of ROOT_FILES) this.files.set(name, new GenFile(fs, name, ino++, gens[name]));
    this.files.set('self', new ProcLink(fs, 'self', ino++, () => {
      const c = fs.caller();
      return c ? String(c.pid) : fail(E.NOENT);
    }));
  }
  /** Errors: ENOENT for a name that is not a file here or a live (or zombie) pid. */
  override lookup(name: string): Vnode {
    checkName(name);
    const f = this.files.get(name);
    if (f) return f;
    if (!/^[1-9][0-9]{0,9}$/.test(name)) fail(E.NOENT);
    const p = this.fs.proc(Number(name));
    return new PidDir(this.fs, p);
  }
  override readdir(): DirEntry[] {
    const out: DirEntry[] = [];
    for (const [name, v] of this.files) out.push({ name, ino: (v as ProcNode).ino, filetype: v.filetype });
    for (const pid of [...this.fs.k.procs.keys()].sort((a, b) => a - b)) {
      out.push({ name: String(pid), ino: pidIno(pid, 0), filetype: FILETYPE.DIRECTORY });
    }
    return out;
  }
}

const pidIno = (pid: number, n: number): bigint => (BigInt(pid) << 16n) | BigInt(n);

// ---- /proc/PID ----

const PID_FILES = ['stat', 'statm', 'status', 'cmdline', 'environ', 'io', 'limits', 'wchan', 'acct', 'syscalls'] as const;
const PID_LINKS = ['cwd', 'root'] as const;

class PidDir extends ProcDir {
  readonly p: Process;
  constructor(fs: ProcFs, p: Process) {
    super(fs, `pid:${p.pid}`, pidIno(p.pid, 0));
    this.p = p;
  }
  protected override owner(): [number, number] {
    return [this.p.uid, this.p.gid];
  }
  override parent(): Vnode {
    return this.fs.root();
  }
  /** The process, or ENOENT once it has been reaped (or its pid reused). */
  private live(): Process {
    if (this.fs.k.procs.get(this.p.pid) !== this.p) fail(E.NOENT);
    return this.p;
  }
  override lookup(name: string): Vnode {
    checkName(name);
    const p = this.live();
    const fs = this.fs;
    const k = fs.k;
    const who = (): [number, number] => [p.uid, p.gid];
    const i = PID_FILES.indexOf(name as (typeof PID_FILES)[number]);
    if (i >= 0) {
      const key = `${p.pid}/${name}`;
      const ino = pidIno(p.pid, i + 1);
      const gen = (f: (p: Process, k: Kernel) => string | Buffer) => () => f(this.live(), k);
      switch (name as (typeof PID_FILES)[number]) {
        case 'stat': return new GenFile(fs, key, ino, gen(procStat), 0o444, who);
        case 'statm': return new GenFile(fs, key, ino, gen(statm), 0o444, who);
        case 'status': return new GenFile(fs, key, ino, gen(status), 0o444, who);
        case 'cmdline': return new GenFile(fs, key, ino, gen((q) => q.exitStatus ? '' : q.argv.map((a) => a + '\0').join('')), 0o444, who);
        case 'environ': return new GenFile(fs, key, ino, gen((q) => q.exitStatus ? '' : q.env.map((a) => a + '\0').join('')), 0o400, who, () => {
          const c = fs.caller();
          if (c !== null && c.uid !== 0 && c.uid !== p.uid) fail(E.ACCES);
        });
        case 'io': return new GenFile(fs, key, ino, gen(io), 0o400, who, () => {
          const c = fs.caller();
          if (c !== null && c.uid !== 0 && c.uid !== p.uid) fail(E.ACCES);
        });
        case 'limits': return new GenFile(fs, key, ino, gen(limits), 0o444, who);
        case 'wchan': return new GenFile(fs, key, ino, gen((q) => (q.exitStatus ? '0' : q.wchan ?? '0')), 0o444, who);
        case 'acct': return new GenFile(fs, key, ino, gen(acct), 0o444, who);
        case 'syscalls': return new GenFile(fs, key, ino, gen(syscalls), 0o444, who);
      }
    }
    const j = PID_LINKS.indexOf(name as (typeof PID_LINKS)[number]);
    if (j >= 0) {
      return new ProcLink(fs, `${p.pid}/${name}`, pidIno(p.pid, 32 + j), () => {
        const q = this.live();
        return name === 'cwd' ? q.cwdPath : k.ns.pathOf(q.root, k.ns.root) ?? '/';
      });
    }
    if (name === 'fd') return new FdDir(fs, this);
    return fail(E.NOENT);
  }
  override readdir(): DirEntry[] {
    const p = this.live();
    return [
      ...PID_FILES.map((name, i) => ({ name, ino: pidIno(p.pid, i + 1), filetype: FILETYPE.REGULAR_FILE })),
      ...PID_LINKS.map((name, j) => ({ name, ino: pidIno(p.pid, 32 + j), filetype: FILETYPE.SYMBOLIC_LINK })),
      { name: 'fd', ino: pidIno(p.pid, 40), filetype: FILETYPE.DIRECTORY },
    ];
  }
  liveProcess(): Process {
    return this.live();
  }
}

class FdDir extends ProcDir {
  private readonly dir: PidDir;
  constructor(fs: ProcFs, dir: PidDir) {
    super(fs, `${dir.p.pid}/fd`, pidIno(dir.p.pid, 40));
    this.dir = dir;
  }
  protected override mode(): number {
    return 0o500;
  }
  protected override owner(): [number, number] {
    return [this.dir.p.uid, this.dir.p.gid];
  }
  override parent(): Vnode {
    return this.dir;
  }
  override lookup(name: string): Vnode {
    checkName(name);
    const p = this.dir.liveProcess();
    if (!/^(0|[1-9][0-9]{0,9})$/.test(name)) fail(E.NOENT);
    const fd = Number(name);
    if (!p.fds.has(fd)) fail(E.NOENT);
    const ns = this.fs.k.ns;
    return new ProcLink(this.fs, `${p.pid}/fd/${fd}`, pidIno(p.pid, 1024 + fd), () => {
      const q = this.dir.liveProcess();
      if (!q.fds.has(fd)) fail(E.NOENT);
      return describe(q.fds.get(fd).file, ns, q.root);
    });
  }
  override readdir(): DirEntry[] {
    const p = this.dir.liveProcess();
    return [...p.fds.list()].map(([fd]) => ({ name: String(fd), ino: pidIno(p.pid, 1024 + fd), filetype: FILETYPE.SYMBOLIC_LINK }));
  }
}

