// wasi_snapshot_preview1 fd_*: argument checking, rights, and guest memory; the work is done
// by the open-file description (fd/open-file.ts). Rights: a descriptor starts with every
// right its kind supports; fd_fdstat_set_rights can only drop rights, and a call whose right
// was dropped gets ENOTCAPABLE. Whether the file was opened for reading or writing is the
// description's business (EBADF), as on Linux.
import { countIo } from '../acct/acct.ts';
import {
  ADVICE_MAX, E, FDFLAGS, FILETYPE, FSTFLAGS, RIGHTS, RIGHTS_ALL, SIZEOF_DIRENT,
  SIZEOF_FDSTAT, SIZEOF_FILESTAT, WHENCE,
} from '../../abi/wasi.ts';
import { SIG } from '../../abi/signals.ts';
import { fail, SysError } from '../errors.ts';
import { type FdEntry } from '../fd/fd-table.ts';
import { MAX_OFFSET, type OpenFile, WOULD_BLOCK } from '../fd/open-file.ts';
import type { Process } from '../proc/process.ts';
import type { Stat, TimeSpec } from '../vfs/vnode.ts';
import { listDir } from '../vfs/ops.ts';
import type { SyscallTable } from './dispatch.ts';
import { encodeUtf8, type GuestMemory } from './guest-memory.ts';
import type { Kernel } from '../kernel.ts';
import { checkFileSize, fileRoom } from '../proc/rlimit.ts';

/** Largest byte count one read or write moves (Linux's MAX_RW_COUNT). */
const MAX_RW = 0x7ffff000;

/**
 * Checks the descriptor holds `right`. Missing it is ENOTCAPABLE if the guest dropped it,
 * and otherwise (the kind or the open mode never allowed it) `kindErrno`: EBADF by default,
 * as Linux and wasmtime answer a read of a write-only file or a readdir of a file.
 */
export function need(e: FdEntry, right: number, kindErrno: number = E.BADF): FdEntry {
  if ((e.rightsBase & right) === 0) fail((e.dropped & right) !== 0 ? E.NOTCAPABLE : kindErrno);
  return e;
}

/** Data operations on a directory descriptor are EBADF (as wasmtime answers), before any right. */
function notDir(e: FdEntry): FdEntry {
  if (e.file.filetype === FILETYPE.DIRECTORY) fail(E.BADF);
  return e;
}

export function writeFilestat(m: GuestMemory, ptr: number, st: Stat): void {
  const p = m.check(ptr, SIZEOF_FILESTAT);
  const dv = m.dv;
  dv.setBigUint64(p, st.dev, true);
  dv.setBigUint64(p + 8, st.ino, true);
  dv.setUint8(p + 16, st.filetype);
  for (let i = 17; i < 24; i++) dv.setUint8(p + i, 0);
  dv.setBigUint64(p + 24, BigInt(st.nlink), true);
  dv.setBigUint64(p + 32, BigInt(st.size), true);
  dv.setBigUint64(p + 40, st.atim, true);
  dv.setBigUint64(p + 48, st.mtim, true);
  dv.setBigUint64(p + 56, st.ctim, true);
}

/** Decodes fst_flags and times into TimeSpecs. EINVAL for unknown bits or X and X_NOW together. */
export function timeSpecs(atim: bigint, mtim: bigint, fst: number): [TimeSpec, TimeSpec] {
  if (fst & ~15) fail(E.INVAL);
  if ((fst & FSTFLAGS.ATIM) && (fst & FSTFLAGS.ATIM_NOW)) fail(E.INVAL);
  if ((fst & FSTFLAGS.MTIM) && (fst & FSTFLAGS.MTIM_NOW)) fail(E.INVAL);
  const a: TimeSpec = fst & FSTFLAGS.ATIM_NOW ? 'now' : fst & FSTFLAGS.ATIM ? atim : null;
  const m: TimeSpec = fst & FSTFLAGS.MTIM_NOW ? 'now' : fst & FSTFLAGS.MTIM ? mtim : null;
  return [a, m];
}

/**
 * Checks an iovec array and returns its buffers as views, capped at MAX_RW bytes in all.
 * Every range is checked before any I/O, so a bad pointer never loses data.
 */
function iovecs(m: GuestMemory, iovs: number, count: number): Uint8Array[] {
  const base = m.check(iovs, (count >>> 0) * 8);
  const out: Uint8Array[] = [];
  let budget = MAX_RW;
  for (let i = 0; i < count >>> 0 && budget > 0; i++) {
    const ptr = m.dv.getUint32(base + i * 8, true);
    let len = m.dv.getUint32(base + i * 8 + 4, true);
    const view = m.bytes(ptr, len);
    if (len > budget) len = budget;
    budget -= len;
    if (len > 0) out.push(len === view.length ? view : view.subarray(0, len));
  }
  return out;
}

function offsetOf(v: bigint): number {
  if (v < 0n || v > BigInt(MAX_OFFSET)) fail(E.INVAL);
  return Number(v);
}

export function fdSyscalls(k: Kernel): SyscallTable {
  const rw = (p: Process, fd: number, iovs: number, count: number, outPtr: number, write: boolean): number => {
    const e = need(p.fds.get(fd), write ? RIGHTS.FD_WRITE : RIGHTS.FD_READ);
    const m = p.mem!;
    m.check(outPtr, 4);
    const file = e.file;
    // A retry after a sleep: if the descriptor was closed meanwhile (by a signal handler,
    // another thread, another lane of a JS process) and its number reused, the call must not
    // go on with the new file: it fails as the old one was closed under it.
    // (completeWrite keeps a byte count in p.restart instead, and has the same gap.)
    if (typeof p.restart === 'object' && p.restart !== null && p.restart !== file) fail(E.BADF);
    if (write && file.completesWrites) return completeWrite(p, file, iovecs(m, iovs, count), outPtr);
    // RLIMIT_FSIZE: a write to a regular file moves bytes up to the limit; at it, SIGXFSZ and
    // EFBIG. Looked at (room -1 → its value) once there is a byte to write, as Linux does.
    let room = write && p.limits.fileBytes !== Infinity && file.filetype === FILETYPE.REGULAR_FILE ? -1 : Infinity;
    let total = 0;
    // The common case, one iovec, without building an array.
    const bufs = count === 1 ? null : iovecs(m, iovs, count);
    const n1 = bufs ? bufs.length : 1;
    for (let i = 0; i < n1; i++) {
      let buf: Uint8Array;
      if (bufs) buf = bufs[i]!;
      else {
        const b = m.check(iovs, 8);
        const len = Math.min(m.dv.getUint32(b + 4, true), MAX_RW);
        buf = m.bytes(m.dv.getUint32(b, true), len);
        if (len === 0) break;
      }
      if (room < 0) room = fileRoom(k, p, file.flags & FDFLAGS.APPEND ? file.stat().size : file.tell());
      if (buf.length > room) buf = buf.subarray(0, room);
      const n = write ? writeOrSigpipe(p, file, buf) : file.read(buf);
      if (n === WOULD_BLOCK) {
        if (total > 0) break;
        if (file.flags & FDFLAGS.NONBLOCK) fail(E.AGAIN);
        p.restart = file;
        return p.block(write ? file.waitWritable() : file.waitReadable());
      }
      total += n;
      room -= n;
      if (n < buf.length || room <= 0) break;
    }
    countIo(p.acct, file, total, write);
    m.setU32(outPtr, total);
    return 0;
  };

  /** A write to a pipe (or socket) whose reader has gone: EPIPE, and SIGPIPE to the writer. */
  const writeOrSigpipe = (p: Process, file: OpenFile, buf: Uint8Array): number => {
    try {
      return file.write(buf, p);
    } catch (err) {
      if (err instanceof SysError && err.errno === E.PIPE) k.signal(p, SIG.PIPE);
      throw err;
    }
  };

  /**
   * A blocking write to a pipe moves every byte before it returns (POSIX), waiting for room
   * as often as needed; p.restart counts what earlier attempts of this call moved. A caught
   * signal ends the wait: the count so far is returned, or EINTR if it is 0. A non-blocking
   * write moves what it can (EAGAIN for nothing).
   */
  const completeWrite = (p: Process, file: OpenFile, bufs: Uint8Array[], outPtr: number): number => {
    const done = typeof p.restart === 'number' ? p.restart : 0;
    let skip = done;
    let moved = 0;
    outer: for (let buf of bufs) {
      if (skip >= buf.length) {
        skip -= buf.length;
        continue;
      }
      if (skip > 0) {
        buf = buf.subarray(skip);
        skip = 0;
      }
      while (buf.length > 0) {
        let n: number;
        try {
          n = writeOrSigpipe(p, file, buf);
        } catch (err) {
          if (done + moved > 0) break outer; // report what went before the reader left
          throw err;
        }
        if (n === WOULD_BLOCK) {
          countIo(p.acct, file, moved, true);
          const total = done + moved;
          if ((file.flags & FDFLAGS.NONBLOCK) || (p.intr !== 0 && total > 0)) {
            if (total === 0) fail(E.AGAIN);
            p.mem!.setU32(outPtr, total);
            return 0;
          }
          p.restart = total;
          return p.block(file.waitWritable());
        }
        moved += n;
        buf = buf.subarray(n);
      }
    }
    countIo(p.acct, file, moved, true);
    p.mem!.setU32(outPtr, done + moved);
    return 0;
  };

  const prw = (p: Process, fd: number, iovs: number, count: number, off: bigint, outPtr: number, write: boolean): number => {
    const e = need(p.fds.get(fd), write ? RIGHTS.FD_WRITE : RIGHTS.FD_READ);
    need(e, RIGHTS.FD_SEEK, E.SPIPE);
    const m = p.mem!;
    m.check(outPtr, 4);
    let pos = offsetOf(off);
    const bufs = iovecs(m, iovs, count);
    const file = e.file;
    let room = write && p.limits.fileBytes !== Infinity && file.filetype === FILETYPE.REGULAR_FILE ? -1 : Infinity;
    let total = 0;
    for (let buf of bufs) {
      if (room < 0) room = fileRoom(k, p, file.flags & FDFLAGS.APPEND ? file.stat().size : pos);
      if (buf.length > room) buf = buf.subarray(0, room);
      const n = write ? file.pwrite(buf, pos) : file.pread(buf, pos);
      total += n;
      pos += n;
      room -= n;
      if (n < buf.length || room <= 0) break;
    }
    countIo(p.acct, file, total, write);
    m.setU32(outPtr, total);
    return 0;
  };

  return {
    fd_read: {
      params: ['i32', 'i32', 'i32', 'i32'], blocking: true, restartable: true,
      handler: (p: Process, fd: number, iovs: number, n: number, out: number) => rw(p, fd, iovs, n, out, false),
    },
    fd_write: {
      params: ['i32', 'i32', 'i32', 'i32'], blocking: true, restartable: true,
      handler: (p: Process, fd: number, iovs: number, n: number, out: number) => rw(p, fd, iovs, n, out, true),
    },
    fd_pread: {
      params: ['i32', 'i32', 'i32', 'i64', 'i32'], blocking: true, restartable: true,
      handler: (p: Process, fd: number, iovs: number, n: number, off: bigint, out: number) => prw(p, fd, iovs, n, off, out, false),
    },
    fd_pwrite: {
      params: ['i32', 'i32', 'i32', 'i64', 'i32'], blocking: true, restartable: true,
      handler: (p: Process, fd: number, iovs: number, n: number, off: bigint, out: number) => prw(p, fd, iovs, n, off, out, true),
    },
    fd_close: {
      params: ['i32'],
      handler: (p: Process, fd: number) => {
        p.fds.close(fd);
        return 0;
      },
    },
    fd_renumber: {
      params: ['i32', 'i32'],
      handler: (p: Process, from: number, to: number) => {
        p.fds.renumber(from, to);
        return 0;
      },
    },
    fd_seek: {
      params: ['i32', 'i64', 'i32', 'i32'],
      handler: (p: Process, fd: number, off: bigint, whence: number, out: number) => {
        const e = notDir(p.fds.get(fd));
        need(e, off === 0n && whence === WHENCE.CUR ? RIGHTS.FD_TELL | RIGHTS.FD_SEEK : RIGHTS.FD_SEEK, E.SPIPE);
        p.mem!.check(out, 8);
        if (whence < 0 || whence > 2) fail(E.INVAL);
        if (off > BigInt(MAX_OFFSET) || off < -BigInt(MAX_OFFSET)) fail(E.INVAL);
        p.mem!.setU64n(out, e.file.seek(Number(off), whence));
        return 0;
      },
    },
    fd_tell: {
      params: ['i32', 'i32'],
      handler: (p: Process, fd: number, out: number) => {
        const e = need(notDir(p.fds.get(fd)), RIGHTS.FD_TELL, E.SPIPE);
        p.mem!.check(out, 8);
        p.mem!.setU64n(out, e.file.tell());
        return 0;
      },
    },
    fd_fdstat_get: {
      params: ['i32', 'i32'],
      handler: (p: Process, fd: number, out: number) => {
        const e = p.fds.get(fd);
        const m = p.mem!;
        const at = m.check(out, SIZEOF_FDSTAT);
        m.dv.setUint8(at, e.file.filetype);
        m.dv.setUint8(at + 1, 0);
        m.dv.setUint16(at + 2, e.file.flags, true);
        m.dv.setUint32(at + 4, 0, true);
        m.dv.setBigUint64(at + 8, BigInt(e.rightsBase), true);
        m.dv.setBigUint64(at + 16, BigInt(e.rightsInheriting), true);
        return 0;
      },
    },
    fd_fdstat_set_flags: {
      params: ['i32', 'i32'],
      handler: (p: Process, fd: number, flags: number) => {
        const e = need(p.fds.get(fd), RIGHTS.FD_FDSTAT_SET_FLAGS);
        // Only APPEND and NONBLOCK can change after open (wasmtime: EINVAL for the sync flags).
        if (flags & ~(FDFLAGS.APPEND | FDFLAGS.NONBLOCK)) fail(E.INVAL);
        e.file.flags = (e.file.flags & ~(FDFLAGS.APPEND | FDFLAGS.NONBLOCK)) | flags;
        return 0;
      },
    },
    fd_fdstat_set_rights: {
      params: ['i32', 'i64', 'i64'],
      handler: (p: Process, fd: number, base: bigint, inheriting: bigint) => {
        const e = p.fds.get(fd);
        const all = BigInt(RIGHTS_ALL);
        if ((base & ~all) !== 0n || (inheriting & ~all) !== 0n) fail(E.NOTCAPABLE);
        const b = Number(base);
        const i = Number(inheriting);
        if ((b & ~e.rightsBase) !== 0 || (i & ~e.rightsInheriting) !== 0) fail(E.NOTCAPABLE);
        e.dropped |= e.rightsBase & ~b;
        e.rightsBase = b;
        e.rightsInheriting = i;
        return 0;
      },
    },
    fd_filestat_get: {
      params: ['i32', 'i32'],
      handler: (p: Process, fd: number, out: number) => {
        const e = need(p.fds.get(fd), RIGHTS.FD_FILESTAT_GET);
        p.mem!.check(out, SIZEOF_FILESTAT);
        writeFilestat(p.mem!, out, e.file.stat());
        return 0;
      },
    },
    fd_filestat_set_size: {
      // Through the gate: SIGXFSZ (RLIMIT_FSIZE) is delivered as it returns.
      params: ['i32', 'i64'], gate: true,
      handler: (p: Process, fd: number, size: bigint) => {
        const e = need(p.fds.get(fd), RIGHTS.FD_FILESTAT_SET_SIZE);
        if (size < 0n) fail(E.INVAL); // a u64 past 2^63: a negative off_t to ftruncate
        if (size > BigInt(MAX_OFFSET)) fail(E.FBIG);
        if (e.file.filetype === FILETYPE.DIRECTORY) fail(E.BADF);
        if (p.limits.fileBytes !== Infinity && e.file.filetype === FILETYPE.REGULAR_FILE && e.file.writable) {
          checkFileSize(k, p, Number(size), e.file.stat().size);
        }
        e.file.setSize(Number(size));
        return 0;
      },
    },
    fd_filestat_set_times: {
      params: ['i32', 'i64', 'i64', 'i32'],
      handler: (p: Process, fd: number, atim: bigint, mtim: bigint, fst: number) => {
        const e = need(p.fds.get(fd), RIGHTS.FD_FILESTAT_SET_TIMES);
        const [a, m] = timeSpecs(atim, mtim, fst);
        e.file.setTimes(a, m);
        return 0;
      },
    },
    fd_advise: {
      params: ['i32', 'i64', 'i64', 'i32'],
      handler: (p: Process, fd: number, off: bigint, len: bigint, advice: number) => {
        const e = need(p.fds.get(fd), RIGHTS.FD_ADVISE);
        if (advice < 0 || advice > ADVICE_MAX) fail(E.INVAL);
        // Both are u64: a negative i64 is past 2^63, out of range like any other.
        if (off < 0n || len < 0n || off + len > BigInt(MAX_OFFSET)) fail(E.INVAL);
        if (e.file.filetype === FILETYPE.DIRECTORY) fail(E.BADF);
        if (!e.file.seekable) fail(E.SPIPE);
        e.file.advise(Number(off), Number(len), advice);
        return 0;
      },
    },
    fd_allocate: {
      params: ['i32', 'i64', 'i64'], gate: true, // gated as fd_filestat_set_size
      handler: (p: Process, fd: number, off: bigint, len: bigint) => {
        const e = need(p.fds.get(fd), RIGHTS.FD_ALLOCATE);
        // As Linux's fallocate: a u64 past 2^63 is a negative loff_t there, EINVAL.
        if (off < 0n || len <= 0n) fail(E.INVAL);
        if (off + len > BigInt(MAX_OFFSET)) fail(E.FBIG);
        if (e.file.filetype === FILETYPE.DIRECTORY) fail(E.BADF);
        if (p.limits.fileBytes !== Infinity && e.file.filetype === FILETYPE.REGULAR_FILE && e.file.writable) {
          checkFileSize(k, p, Number(off + len), e.file.stat().size);
        }
        e.file.allocate(Number(off), Number(len));
        return 0;
      },
    },
    fd_sync: {
      params: ['i32'],
      handler: (p: Process, fd: number) => {
        need(p.fds.get(fd), RIGHTS.FD_SYNC).file.sync();
        return 0;
      },
    },
    fd_datasync: {
      params: ['i32'],
      handler: (p: Process, fd: number) => {
        need(p.fds.get(fd), RIGHTS.FD_DATASYNC).file.datasync();
        return 0;
      },
    },
    fd_prestat_get: {
      params: ['i32', 'i32'],
      handler: (p: Process, fd: number, out: number) => {
        const e = p.fds.get(fd);
        if (e.preopen === null) {
          // A listening socket the host gave (net/listen.ts): a preopen, of a kind that is not
          // a directory (tag 1), so that wasi-libc's scan passes over it to the directories.
          if ((e.file as { preopened?: boolean }).preopened !== true) fail(E.BADF);
          const at = p.mem!.check(out, 8);
          p.mem!.dv.setUint32(at, 1, true);
          p.mem!.dv.setUint32(at + 4, 0, true);
          return 0;
        }
        const m = p.mem!;
        const at = m.check(out, 8);
        m.dv.setUint32(at, 0, true); // tag DIR, padding
        m.dv.setUint32(at + 4, encodeUtf8(e.preopen).length, true);
        return 0;
      },
    },
    fd_prestat_dir_name: {
      params: ['i32', 'i32', 'i32'],
      handler: (p: Process, fd: number, buf: number, len: number) => {
        const e = p.fds.get(fd);
        if (e.preopen === null) fail(E.NOTDIR); // wasmtime's answer for an open non-preopen
        const name = encodeUtf8(e.preopen);
        if ((len >>> 0) < name.length) fail(E.NAMETOOLONG);
        p.mem!.write(buf, name);
        return 0;
      },
    },
    fd_readdir: {
      params: ['i32', 'i32', 'i32', 'i64', 'i32'],
      handler: (p: Process, fd: number, buf: number, len: number, cookie: bigint, out: number) => {
        const e = need(p.fds.get(fd), RIGHTS.FD_READDIR);
        const loc = e.file.loc;
        if (e.file.filetype !== FILETYPE.DIRECTORY || loc === null) fail(E.BADF);
        const m = p.mem!;
        m.check(out, 4);
        const dest = m.bytes(buf, len);
        const entries = listDir(k.ns, p.root, loc);
        let used = 0;
        const head = new Uint8Array(SIZEOF_DIRENT);
        const hv = new DataView(head.buffer);
        // The cookie is a u64: a negative i64 is past every entry too.
        const start = cookie < 0n || cookie > BigInt(entries.length) ? entries.length : Number(cookie);
        for (let i = start; i < entries.length && used < dest.length; i++) {
          const ent = entries[i]!;
          const name = encodeUtf8(ent.name);
          hv.setBigUint64(0, BigInt(i + 1), true);
          hv.setBigUint64(8, ent.ino, true);
          hv.setUint32(16, name.length, true);
          hv.setUint32(20, ent.filetype, true); // d_type and padding
          // Whatever does not fit is cut: the guest sees a full buffer and asks again.
          const h = Math.min(SIZEOF_DIRENT, dest.length - used);
          dest.set(head.subarray(0, h), used);
          used += h;
          const nlen = Math.min(name.length, dest.length - used);
          dest.set(name.subarray(0, nlen), used);
          used += nlen;
        }
        m.setU32(out, used);
        return 0;
      },
    },
  };
}
