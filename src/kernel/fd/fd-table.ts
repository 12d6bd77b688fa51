// A process's descriptor table: small integers → (open-file description, rights).
// Kept as a dense array (descriptors are small and looked up on every I/O call); holes are
// undefined and the lowest free number is reused, as POSIX requires of open().
//
// Ownership: install() takes a reference on the description; close() drops it and calls the
// description's close() when the last reference goes.
import { E } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import type { OpenFile } from './open-file.ts';

export interface FdEntry {
  readonly file: OpenFile;
  /** WASI rights: what this descriptor may do, and what descriptors opened from it may. */
  rightsBase: number;
  rightsInheriting: number;
  /**
   * Rights the guest gave up (fd_fdstat_set_rights, or a directory's inheriting rights at
   * path_open): using one is ENOTCAPABLE. A right the descriptor never had because of its
   * kind or open mode gets the errno Linux and wasmtime give instead (EBADF, ESPIPE).
   */
  dropped: number;
  /** For preopened directories: the name the guest sees (fd_prestat_dir_name). */
  readonly preopen: string | null;
  /** FD_CLOEXEC: not passed to spawned children. */
  cloexec?: boolean;
}

export const DEFAULT_FD_LIMIT = 1024;

export class FdTable {
  private readonly entries: (FdEntry | undefined)[] = [];
  private count = 0;
  /** RLIMIT_NOFILE: descriptors are numbered below it. */
  limit: number;

  constructor(limit = DEFAULT_FD_LIMIT) {
    this.limit = limit;
  }

  /** The entry for fd, or EBADF. `fd` comes from the guest as an i32 (negative = huge u32). */
  get(fd: number): FdEntry {
    const e = this.entries[fd];
    if (e === undefined) return fail(E.BADF);
    return e;
  }

  /** The lowest open descriptor at or above `fd`, or -1. */
  nextOpen(fd: number): number {
    for (let i = Math.max(0, fd); i < this.entries.length; i++) if (this.entries[i] !== undefined) return i;
    return -1;
  }

  has(fd: number): boolean {
    return this.entries[fd] !== undefined;
  }

  get size(): number {
    return this.count;
  }

  /**
   * Whether `n` new descriptors fit: free numbers below the limit. Descriptors at or above
   * a lowered limit stay open but take no room below it, so `size` alone cannot say.
   */
  hasRoom(n = 1): boolean {
    if (this.count + n <= this.limit) return true; // even if every open one were below the limit
    let free = 0;
    for (let fd = 0; fd < this.limit; fd++) if (this.entries[fd] === undefined && ++free >= n) return true;
    return false;
  }

  /** Installs `file` at the lowest free number ≥ min. EMFILE when none is below the limit. */
  install(file: OpenFile, rightsBase: number, rightsInheriting: number, preopen: string | null = null, min = 0,
    dropped = 0, cloexec = false): number {
    let fd = min;
    while (this.entries[fd] !== undefined) fd++;
    if (fd >= this.limit) fail(E.MFILE);
    this.setAt(fd, { file, rightsBase, rightsInheriting, preopen, dropped, cloexec });
    return fd;
  }

  /** Puts an entry at exactly `fd`, closing what was there. */
  setAt(fd: number, entry: FdEntry): void {
    if (fd < 0 || fd >= this.limit) fail(E.BADF);
    entry.file.refs++;
    const old = this.entries[fd];
    this.entries[fd] = entry;
    if (old) release(old);
    else this.count++;
  }

  close(fd: number): void {
    const e = this.get(fd);
    this.entries[fd] = undefined;
    this.count--;
    while (this.entries.length > 0 && this.entries[this.entries.length - 1] === undefined) this.entries.pop();
    release(e);
  }

  /**
   * fd_renumber: moves `from` onto `to`, closing what `to` held; both must be open, as WASI
   * requires. `from` is vacated before the old description is released, so a failing
   * release cannot leave one entry under two numbers.
   */
  renumber(from: number, to: number): void {
    const e = this.get(from);
    const old = this.get(to);
    if (from === to) return;
    this.entries[from] = undefined;
    this.count--;
    this.entries[to] = e;
    while (this.entries.length > 0 && this.entries[this.entries.length - 1] === undefined) this.entries.pop();
    release(old);
  }

  /**
   * dup / F_DUPFD: a new descriptor ≥ min for the same description, close-on-exec as asked.
   * EBADF (fd not open), EINVAL (min negative or at least the limit: POSIX's and Linux's
   * errno for F_DUPFD), EMFILE (no number free from min up to the limit).
   */
  dup(fd: number, min = 0, cloexec = false): number {
    const e = this.get(fd);
    if (min < 0 || min >= this.limit) fail(E.INVAL);
    return this.install(e.file, e.rightsBase, e.rightsInheriting, e.preopen, min, e.dropped, cloexec);
  }

  /** dup2 / dup3: `newfd` refers to `fd`'s description, closing what it held. */
  dup2(fd: number, newfd: number, cloexec = false): void {
    const e = this.get(fd);
    if (newfd < 0 || newfd >= this.limit) fail(E.BADF);
    if (fd === newfd) return;
    this.setAt(newfd, { ...e, cloexec });
  }

  /**
   * A child's table at spawn: every entry but the close-on-exec ones, at the same numbers.
   * (The file actions may still name a close-on-exec descriptor of the parent: see
   * parentEntry in syscall/isk-proc.ts.)
   */
  inheritFrom(parent: FdTable): void {
    for (let fd = 0; fd < parent.entries.length; fd++) {
      const e = parent.entries[fd];
      if (!e || e.cloexec) continue;
      // Also at or above the limit (a lowered RLIMIT_NOFILE): fork and execve keep those.
      e.file.refs++;
      if (this.entries[fd] === undefined) this.count++;
      else release(this.entries[fd]!);
      this.entries[fd] = { ...e };
    }
  }

  /** Every open descriptor, in order. */
  *list(): IterableIterator<[number, FdEntry]> {
    for (let fd = 0; fd < this.entries.length; fd++) {
      const e = this.entries[fd];
      if (e) yield [fd, e];
    }
  }

  /** Closes the close-on-exec descriptors (exec). */
  closeOnExec(): void {
    for (let fd = 0; fd < this.entries.length; fd++) {
      const e = this.entries[fd];
      if (e?.cloexec) this.close(fd);
    }
  }

  /** Closes everything (process exit). */
  closeAll(): void {
    for (let fd = 0; fd < this.entries.length; fd++) {
      const e = this.entries[fd];
      if (e) {
        this.entries[fd] = undefined;
        release(e);
      }
    }
    this.entries.length = 0;
    this.count = 0;
  }
}

function release(e: FdEntry): void {
  if (--e.file.refs === 0) e.file.close();
}
