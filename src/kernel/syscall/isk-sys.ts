// The isokernel module, what WASI preview1 leaves out that the userland needs: chmod and
// fchmod, uname (with the kernel's hostname), statvfs, and the process's user and group ids.
import { E, FILETYPE } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import type { Kernel } from '../kernel.ts';
import type { Process } from '../proc/process.ts';
import type { OpenFile } from '../fd/open-file.ts';
import { PipeReader, PipeWriter } from '../fd/pipe.ts';
import type { Stat } from '../vfs/vnode.ts';
import type { SyscallTable } from './dispatch.ts';
import { encodeUtf8 } from './guest-memory.ts';

const UTS_FIELD = 65;
const UTS_FIELDS = 6;
const STATVFS_SIZE = 88;
/** chmod's flags: AT_SYMLINK_NOFOLLOW (wasi-libc's value). Linux refuses it (EOPNOTSUPP). */
const AT_SYMLINK_NOFOLLOW = 1;
const NAME_MAX = 255;
const STAT_SIZE = 72;
/** File type bits as wasi-libc's <sys/stat.h> has them (its S_IFIFO equals S_IFSOCK). */
const S_IF: Record<number, number> = {
  [FILETYPE.BLOCK_DEVICE]: 0x6000, [FILETYPE.CHARACTER_DEVICE]: 0x2000, [FILETYPE.DIRECTORY]: 0x4000,
  [FILETYPE.REGULAR_FILE]: 0x8000, [FILETYPE.SYMBOLIC_LINK]: 0xa000,
  [FILETYPE.SOCKET_DGRAM]: 0xc000, [FILETYPE.SOCKET_STREAM]: 0xc000,
};
const S_IFIFO = 0xc000;

/**
 * The stat WASI's filestat lacks the mode for: { dev u64, ino u64, filetype u32, mode u32
 * (type bits | permissions), nlink u64, size u64, atim u64, mtim u64, ctim u64, uid u32, gid u32 }.
 */
function writeStat(p: Process, buf: number, st: Stat, file: OpenFile | null): void {
  const m = p.mem!;
  const b = m.check(buf, STAT_SIZE);
  const type = S_IF[st.filetype] ?? (file instanceof PipeReader || file instanceof PipeWriter ? S_IFIFO : 0);
  const dv = m.dv;
  dv.setBigUint64(b, st.dev, true);
  dv.setBigUint64(b + 8, st.ino, true);
  dv.setUint32(b + 16, st.filetype, true);
  dv.setUint32(b + 20, type | (st.mode & 0o7777), true);
  dv.setBigUint64(b + 24, BigInt(st.nlink), true);
  dv.setBigUint64(b + 32, BigInt(st.size), true);
  dv.setBigUint64(b + 40, st.atim, true);
  dv.setBigUint64(b + 48, st.mtim, true);
  dv.setBigUint64(b + 56, st.ctim, true);
  dv.setUint32(b + 64, st.uid, true);
  dv.setUint32(b + 68, st.gid, true);
}

export function iskSysSyscalls(k: Kernel): SyscallTable {
  return {
    fstat: {
      params: ['i32', 'i32'],
      handler: (p: Process, fd: number, buf: number) => {
        const f = p.fds.get(fd).file;
        p.mem!.check(buf, STAT_SIZE);
        writeStat(p, buf, f.stat(), f);
        return 0;
      },
    },
    fstatat: {
      params: ['i32', 'i32', 'i32', 'i32', 'i32'],
      handler: (p: Process, dirfd: number, path: number, len: number, flags: number, buf: number) => {
        const name = p.mem!.string(path, len);
        p.mem!.check(buf, STAT_SIZE);
        if (flags & ~AT_SYMLINK_NOFOLLOW) fail(E.INVAL);
        const dir = p.fds.get(dirfd).file;
        if (dir.loc === null) fail(E.BADF);
        if (dir.filetype !== FILETYPE.DIRECTORY) fail(E.NOTDIR);
        const loc = k.ns.resolve({ root: p.root, beneath: true }, dir.loc, name, (flags & AT_SYMLINK_NOFOLLOW) === 0);
        writeStat(p, buf, loc.vnode.stat(), null);
        return 0;
      },
    },
    chmod: {
      params: ['i32', 'i32', 'i32', 'i32', 'i32'],
      handler: (p: Process, dirfd: number, path: number, len: number, mode: number, flags: number) => {
        const name = p.mem!.string(path, len);
        if (flags & ~AT_SYMLINK_NOFOLLOW) fail(E.INVAL);
        if (flags & AT_SYMLINK_NOFOLLOW) fail(E.NOTSUP);
        const dir = p.fds.get(dirfd).file;
        if (dir.loc === null) fail(E.BADF);
        if (dir.filetype !== FILETYPE.DIRECTORY) fail(E.NOTDIR);
        // As the WASI path calls: beneath the directory descriptor (wasi-libc sends paths so).
        const loc = k.ns.resolve({ root: p.root, beneath: true }, dir.loc, name, true);
        loc.vnode.chmod(mode & 0o7777);
        return 0;
      },
    },
    fchmod: {
      params: ['i32', 'i32'],
      handler: (p: Process, fd: number, mode: number) => {
        const loc = p.fds.get(fd).file.loc;
        if (loc === null) fail(E.BADF); // a pipe or host stream: nothing to change
        loc.vnode.chmod(mode & 0o7777);
        return 0;
      },
    },
    uname: {
      params: ['i32'],
      handler: (p: Process, buf: number) => {
        const m = p.mem!;
        const base = m.check(buf, UTS_FIELD * UTS_FIELDS);
        const fields = ['isokernel', k.hostname, k.release, k.version, 'wasm32', '(none)'];
        m.u8.fill(0, base, base + UTS_FIELD * UTS_FIELDS);
        fields.forEach((f, i) => m.u8.set(encodeUtf8(f).subarray(0, UTS_FIELD - 1), base + i * UTS_FIELD));
        return 0;
      },
    },
    statvfs: {
      params: ['i32', 'i32'],
      handler: (p: Process, fd: number, buf: number) => {
        const m = p.mem!;
        m.check(buf, STATVFS_SIZE);
        const loc = p.fds.get(fd).file.loc;
        if (loc === null) fail(E.BADF);
        const fs = loc.mount.fs;
        const s = fs.statfs();
        const vals = [s.blockSize, s.blockSize, s.blocks, s.blocksFree, s.blocksAvail, s.files, s.filesFree, s.filesFree,
          Number(fs.dev), fs.readOnly ? 1 : 0, NAME_MAX];
        vals.forEach((v, i) => m.setU64n(buf + i * 8, Math.max(0, Math.floor(v))));
        return 0;
      },
    },
    getids: {
      params: ['i32'],
      handler: (p: Process, out: number) => {
        const m = p.mem!;
        m.check(out, 16);
        [p.uid, p.uid, p.gid, p.gid].forEach((v, i) => m.setU32(out + i * 4, v));
        return 0;
      },
    },
  };
}
