// The isokernel module, descriptors: pipe, dup, dup2/dup3, close-on-exec, umask.
import { E, FDFLAGS, RIGHTS, RIGHTS_STREAM } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import { Pipe } from '../fd/pipe.ts';
import type { Kernel } from '../kernel.ts';
import type { Process } from '../proc/process.ts';
import type { SyscallTable } from './dispatch.ts';

const CLOEXEC = 1;
const FD_CLOEXEC = 1;

export function iskFdSyscalls(_k: Kernel): SyscallTable {
  return {
    pipe: {
      params: ['i32', 'i32'],
      handler: (p: Process, out: number, flags: number) => {
        const m = p.mem!;
        m.check(out, 8);
        if (flags & ~(CLOEXEC | FDFLAGS.NONBLOCK)) fail(E.INVAL);
        if (p.fds.size + 2 > p.fds.limit) fail(E.MFILE);
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
