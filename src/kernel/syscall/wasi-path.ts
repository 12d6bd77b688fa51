// wasi_snapshot_preview1 path_*: decode the guest's path, check the directory descriptor's
// rights, and call the path operations in vfs/ops.ts. A path is resolved from the directory
// the descriptor names, with POSIX *at() rules: '..' may climb above it (to the process's
// root, never beyond), absolute paths and absolute symlinks start at the process's root.
import {
  E, FDFLAGS, FDFLAGS_ALL, FILETYPE, LOOKUPFLAGS, OFLAGS, RIGHTS, RIGHTS_DIRECTORY,
  RIGHTS_REGULAR_FILE, RIGHTS_STREAM,
} from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import type { FdEntry } from '../fd/fd-table.ts';
import type { Process } from '../proc/process.ts';
import type { Loc, Scope } from '../vfs/namespace.ts';
import {
  linkAt, mkdirAt, openAt, readlinkAt, renameAt, rmdirAt, setTimesAt, statAt, symlinkAt, unlinkAt,
} from '../vfs/ops.ts';
import type { SyscallTable } from './dispatch.ts';
import { encodeUtf8 } from './guest-memory.ts';
import { need, timeSpecs, writeFilestat } from './wasi-fd.ts';
import type { Kernel } from '../kernel.ts';

/** The rights a descriptor of this kind can have at most. */
export function rightsForKind(filetype: number): number {
  switch (filetype) {
    case FILETYPE.DIRECTORY: return RIGHTS_DIRECTORY;
    case FILETYPE.REGULAR_FILE: return RIGHTS_REGULAR_FILE;
    case FILETYPE.CHARACTER_DEVICE: case FILETYPE.BLOCK_DEVICE:
      // Seekable, so that wasi-libc's isatty() is false for /dev/null as on Linux.
      return RIGHTS_STREAM | RIGHTS.FD_SEEK | RIGHTS.FD_TELL | RIGHTS.FD_ADVISE;
    default: return RIGHTS_STREAM;
  }
}

const WRITE_RIGHTS = RIGHTS.FD_WRITE | RIGHTS.FD_ALLOCATE | RIGHTS.FD_FILESTAT_SET_SIZE;

export function pathSyscalls(k: Kernel): SyscallTable {
  const ns = k.ns;
  /** The directory an fd names, after checking it holds `right`. ENOTDIR for non-directories. */
  const dirOf = (p: Process, fd: number, right: number): Loc => dirEntry(p, fd, right, E.BADF).file.loc!;
  /**
   * The entry of a directory descriptor holding `right`. Not a directory: EBADF for a
   * stream, and for a file `fileErrno` — wasmtime answers ENOTDIR in path_open and EBADF in
   * the other path calls.
   */
  const dirEntry = (p: Process, fd: number, right: number, fileErrno: number): FdEntry => {
    const e = p.fds.get(fd);
    if (e.file.loc === null) fail(E.BADF);
    if (e.file.filetype !== FILETYPE.DIRECTORY) fail(fileErrno);
    return need(e, right);
  };
  const str = (p: Process, ptr: number, len: number): string => p.mem!.string(ptr, len);
  /** WASI paths stay beneath the directory descriptor they start from (wasmtime: EPERM). */
  const scope = (p: Process): Scope => ({ root: p.root, beneath: true });

  return {
    path_open: {
      params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i64', 'i64', 'i32', 'i32'],
      handler: (p: Process, dirfd: number, dirflags: number, path: number, pathLen: number, oflags: number,
        base: bigint, inheriting: bigint, fdflags: number, out: number) => {
        const de = dirEntry(p, dirfd, RIGHTS.PATH_OPEN, E.NOTDIR);
        if (oflags & ~15 || fdflags & ~FDFLAGS_ALL) fail(E.INVAL);
        // wasmtime: O_DIRECTORY with CREAT, EXCL or TRUNC is EINVAL.
        if (oflags & OFLAGS.DIRECTORY && oflags & (OFLAGS.CREAT | OFLAGS.EXCL | OFLAGS.TRUNC)) fail(E.INVAL);
        if (oflags & OFLAGS.CREAT) need(de, RIGHTS.PATH_CREATE_FILE);
        if (oflags & OFLAGS.TRUNC) need(de, RIGHTS.PATH_FILESTAT_SET_SIZE);
        p.mem!.check(out, 4);
        const name = str(p, path, pathLen);
        // Read/write intent comes from the rights asked for (as wasi-libc sends O_ACCMODE).
        const b = Number(base & 0x3fffffffn);
        const inh = Number(inheriting & 0x3fffffffn) & de.rightsInheriting;
        // Fail EMFILE before O_CREAT or O_TRUNC has changed anything.
        if (!p.fds.hasRoom()) fail(E.MFILE);
        const r = openAt(ns, scope(p), de.file.loc!, name, {
          follow: (dirflags & LOOKUPFLAGS.SYMLINK_FOLLOW) !== 0,
          create: (oflags & OFLAGS.CREAT) !== 0,
          exclusive: (oflags & OFLAGS.EXCL) !== 0,
          truncate: (oflags & OFLAGS.TRUNC) !== 0,
          directory: (oflags & OFLAGS.DIRECTORY) !== 0,
          read: (b & (RIGHTS.FD_READ | RIGHTS.FD_READDIR)) !== 0,
          write: (b & WRITE_RIGHTS & de.rightsInheriting) !== 0,
          fdflags,
          mode: 0o666 & ~p.umask,
        });
        let fd: number;
        if ('file' in r) {
          r.file.openedFrom = de.file.loc;
          r.file.openedName = name;
        }
        if ('aliasFd' in r) {
          const src = p.fds.get(r.aliasFd);
          fd = p.fds.install(src.file, src.rightsBase, src.rightsInheriting, null, 0, src.dropped);
        } else {
          // The kind's rights, less what the directory does not pass on (dropped: those give
          // ENOTCAPABLE), less reading or writing where the file is not open for it
          // (wasi-libc derives O_ACCMODE from them; those give EBADF).
          // A terminal is a stream (no seek/tell): wasi-libc's isatty() looks for that.
          const kind = r.file.isTerminal ? RIGHTS_STREAM : rightsForKind(r.file.filetype);
          const dropped = kind & ~de.rightsInheriting;
          let rb = kind;
          if (!r.file.readable) rb &= ~RIGHTS.FD_READ;
          if (!r.file.writable) rb &= ~RIGHTS.FD_WRITE;
          try {
            fd = p.fds.install(r.file, rb & ~dropped, inh, null, 0, dropped);
          } catch (e) {
            r.file.close();
            throw e;
          }
        }
        p.mem!.setU32(out, fd);
        return 0;
      },
    },
    path_create_directory: {
      params: ['i32', 'i32', 'i32'],
      handler: (p: Process, fd: number, path: number, len: number) => {
        mkdirAt(ns, scope(p), dirOf(p, fd, RIGHTS.PATH_CREATE_DIRECTORY), str(p, path, len), 0o777 & ~p.umask);
        return 0;
      },
    },
    path_filestat_get: {
      params: ['i32', 'i32', 'i32', 'i32', 'i32'],
      handler: (p: Process, fd: number, flags: number, path: number, len: number, out: number) => {
        const dir = dirOf(p, fd, RIGHTS.PATH_FILESTAT_GET);
        p.mem!.check(out, 64);
        const st = statAt(ns, scope(p), dir, str(p, path, len), (flags & LOOKUPFLAGS.SYMLINK_FOLLOW) !== 0);
        writeFilestat(p.mem!, out, st);
        return 0;
      },
    },
    path_filestat_set_times: {
      params: ['i32', 'i32', 'i32', 'i32', 'i64', 'i64', 'i32'],
      handler: (p: Process, fd: number, flags: number, path: number, len: number, atim: bigint, mtim: bigint, fst: number) => {
        const dir = dirOf(p, fd, RIGHTS.PATH_FILESTAT_SET_TIMES);
        const [a, m] = timeSpecs(atim, mtim, fst);
        setTimesAt(ns, scope(p), dir, str(p, path, len), (flags & LOOKUPFLAGS.SYMLINK_FOLLOW) !== 0, a, m);
        return 0;
      },
    },
    path_link: {
      params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'],
      handler: (p: Process, oldFd: number, oldFlags: number, oldPath: number, oldLen: number, newFd: number, newPath: number, newLen: number) => {
        // wasmtime refuses to follow a link here (linkat's AT_SYMLINK_FOLLOW): EINVAL.
        if (oldFlags & LOOKUPFLAGS.SYMLINK_FOLLOW) fail(E.INVAL);
        const from = dirOf(p, oldFd, RIGHTS.PATH_LINK_SOURCE);
        const to = dirOf(p, newFd, RIGHTS.PATH_LINK_TARGET);
        linkAt(ns, scope(p), from, str(p, oldPath, oldLen), (oldFlags & LOOKUPFLAGS.SYMLINK_FOLLOW) !== 0, to, str(p, newPath, newLen));
        return 0;
      },
    },
    path_readlink: {
      params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'],
      handler: (p: Process, fd: number, path: number, len: number, buf: number, bufLen: number, out: number) => {
        const dir = dirOf(p, fd, RIGHTS.PATH_READLINK);
        const m = p.mem!;
        m.check(out, 4);
        const dest = m.bytes(buf, bufLen);
        const target = encodeUtf8(readlinkAt(ns, scope(p), dir, str(p, path, len)));
        // Like readlink(2), a short buffer gets a truncated target and no error.
        const n = Math.min(target.length, dest.length);
        dest.set(target.subarray(0, n));
        m.setU32(out, n);
        return 0;
      },
    },
    path_remove_directory: {
      params: ['i32', 'i32', 'i32'],
      handler: (p: Process, fd: number, path: number, len: number) => {
        rmdirAt(ns, scope(p), dirOf(p, fd, RIGHTS.PATH_REMOVE_DIRECTORY), str(p, path, len));
        return 0;
      },
    },
    path_rename: {
      params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'],
      handler: (p: Process, fd: number, oldPath: number, oldLen: number, newFd: number, newPath: number, newLen: number) => {
        const from = dirOf(p, fd, RIGHTS.PATH_RENAME_SOURCE);
        const to = dirOf(p, newFd, RIGHTS.PATH_RENAME_TARGET);
        renameAt(ns, scope(p), from, str(p, oldPath, oldLen), to, str(p, newPath, newLen));
        return 0;
      },
    },
    path_symlink: {
      params: ['i32', 'i32', 'i32', 'i32', 'i32'],
      handler: (p: Process, oldPath: number, oldLen: number, fd: number, newPath: number, newLen: number) => {
        const target = str(p, oldPath, oldLen);
        symlinkAt(ns, scope(p), target, dirOf(p, fd, RIGHTS.PATH_SYMLINK), str(p, newPath, newLen));
        return 0;
      },
    },
    path_unlink_file: {
      params: ['i32', 'i32', 'i32'],
      handler: (p: Process, fd: number, path: number, len: number) => {
        unlinkAt(ns, scope(p), dirOf(p, fd, RIGHTS.PATH_UNLINK_FILE), str(p, path, len));
        return 0;
      },
    },
  };
}
