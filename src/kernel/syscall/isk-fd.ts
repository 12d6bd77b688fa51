// The isokernel module, descriptors: pipe, dup, dup2/dup3, close-on-exec, umask.
import { E, FDFLAGS, RIGHTS, RIGHTS_STREAM } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import { Pipe, PipeReader } from '../fd/pipe.ts';
import type { Kernel } from '../kernel.ts';
import type { Process } from '../proc/process.ts';
import type { SyscallTable } from './dispatch.ts';

const CLOEXEC = 1;
const FD_CLOEXEC = 1;

export function iskFdSyscalls(k: Kernel): SyscallTable {
  return {
    // fd_read, telling also whether the descriptor is at its end now — a pipe that is empty
    // with no writer left, so that the next read would return 0 at once: a reader that
    // knows it skips that read (httpd's CGI: the script has usually exited by its first read).
    read_eof: {
      params: ['i32', 'i32', 'i32', 'i32', 'i32'], blocking: true, restartable: true,
      handler: (p: Process, fd: number, iovs: number, n: number, out: number, eofOut: number) => {
        p.mem!.check(eofOut, 4);
        const r = (k.syscalls.wasi_snapshot_preview1!.fd_read!.handler as (p: Process, ...a: number[]) => number)(p, fd, iovs, n, out);
        if (r !== 0) return r; // an errno, or BLOCK (retried as fd_read is)
        const f = p.fds.get(fd).file;
        p.mem!.setU32(eofOut, f instanceof PipeReader && f.readReady() === 0 ? 1 : 0);
        return 0;
      },
    },
    pipe: {
      params: ['i32', 'i32'],
      handler: (p: Process, out: number, flags: number) => {
        const m = p.mem!;
        m.check(out, 8);
        if (flags & ~(CLOEXEC | FDFLAGS.NONBLOCK)) fail(E.INVAL);
        if (!p.fds.hasRoom(2)) fail(E.MFILE);
        const [r, w] = Pipe.create(flags & FDFLAGS.NONBLOCK);
        const cloexec = (flags & CLOEXEC) !== 0;
        const rfd = p.fds.install(r, RIGHTS_STREAM & ~RIGHTS.FD_WRITE, 0, null, 0, 0, cloexec);
        let wfd: number;
        try {
          wfd = p.fds.install(w, RIGHTS_STREAM & ~RIGHTS.FD_READ, 0, null, 0, 0, cloexec);
        } catch (e) {
          p.fds.close(rfd);
          throw e;
        }
        m.setU32(out, rfd);
        m.setU32(out + 4, wfd);
        return 0;
      },
    },
    dup: {
      params: ['i32', 'i32'],
      handler: (p: Process, fd: number, out: number) => {
        p.mem!.check(out, 4);
        p.mem!.setU32(out, p.fds.dup(fd));
        return 0;
      },
    },
    dup2: {
      params: ['i32', 'i32', 'i32'],
      handler: (p: Process, fd: number, newfd: number, flags: number) => {
        if (flags & ~CLOEXEC) fail(E.INVAL);
        p.fds.get(fd);
        if (fd === newfd) {
          if (flags !== 0) fail(E.INVAL); // dup3
          return 0;
        }
        p.fds.dup2(fd, newfd, (flags & CLOEXEC) !== 0);
        return 0;
      },
    },
    dupfd: {
      params: ['i32', 'i32', 'i32', 'i32'],
      handler: (p: Process, fd: number, min: number, flags: number, out: number) => {
        p.mem!.check(out, 4);
        if (flags & ~CLOEXEC) fail(E.INVAL);
        p.mem!.setU32(out, p.fds.dup(fd, min, (flags & CLOEXEC) !== 0));
        return 0;
      },
    },
    fd_getfd: {
      params: ['i32', 'i32'],
      handler: (p: Process, fd: number, out: number) => {
        const e = p.fds.get(fd);
        p.mem!.setU32(out, e.cloexec ? FD_CLOEXEC : 0);
        return 0;
      },
    },
    // The lowest open descriptor ≥ fd (EBADF: none): lets a program list its descriptors in
    // as many calls as it has, not one per number (libisokernel's preopen scan).
    fd_next: {
      params: ['i32', 'i32'],
      handler: (p: Process, fd: number, out: number) => {
        const m = p.mem!;
        m.check(out, 4);
        if (fd < 0) fail(E.BADF);
        const next = p.fds.nextOpen(fd);
        if (next < 0) fail(E.BADF);
        m.setU32(out, next);
        return 0;
      },
    },
    fd_setfd: {
      params: ['i32', 'i32'],
      handler: (p: Process, fd: number, flags: number) => {
        p.fds.get(fd).cloexec = (flags & FD_CLOEXEC) !== 0;
        return 0;
      },
    },
    umask: {
      params: ['i32', 'i32'],
      handler: (p: Process, mask: number, out: number) => {
        p.mem!.check(out, 4);
        p.mem!.setU32(out, p.umask);
        p.umask = mask & 0o777;
        return 0;
      },
    },
  };
}
