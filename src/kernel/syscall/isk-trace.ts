// The isokernel module, tracing: trace_attach and trace_detach, what strace is built on
// (docs/abi.md, "Tracing"; the tracer itself is trace/tracer.ts).
import { E, RIGHTS, RIGHTS_STREAM } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import type { Kernel } from '../kernel.ts';
import type { Process } from '../proc/process.ts';
import { traceCalls } from '../trace/calls.ts';
import {
  ATTACH_HOW, DEFAULT_STRSIZE, MAX_STRSIZE, TRACE_FLAGS, TRACE_FLAGS_ALL, TraceFile, TraceSession,
} from '../trace/tracer.ts';
import type { SyscallTable } from './dispatch.ts';

/** ptrace's rule: the same user, or root; never itself, nor the process tracing the caller. */
function mayTrace(p: Process, t: Process): boolean {
  if (t === p) return false;
  if (p.trace !== null && p.trace.owner === t) return false;
  return p.uid === 0 || p.uid === t.uid;
}

export function iskTraceSyscalls(k: Kernel): SyscallTable {
  return {
    trace_attach: {
      params: ['i32', 'i32', 'i32', 'i32'],
      gate: true,
      handler: (p: Process, pid: number, flags: number, strsize: number, fdOut: number) => {
        const m = p.mem!;
        m.check(fdOut, 4);
        if ((flags & ~TRACE_FLAGS_ALL) !== 0) fail(E.INVAL);
        if (strsize < 0 || strsize > MAX_STRSIZE) fail(E.INVAL);
        const next = (flags & TRACE_FLAGS.NEXT_CHILD) !== 0;
        let target: Process | null = null;
        if (next) {
          if (pid !== 0) fail(E.INVAL);
          if (TraceSession.armedFor(p)) fail(E.BUSY); // one NEXT_CHILD session at a time
        } else {
          const t = pid > 0 ? k.procs.get(pid) : undefined;
          if (!t || t.exitStatus !== null) fail(E.SRCH);
          if (!mayTrace(p, t)) fail(E.PERM);
          if (t.trace !== null) fail(E.PERM); // already traced (ptrace: EPERM)
          target = t;
        }
        const session = new TraceSession(p, traceCalls(k.syscalls), flags, strsize === 0 ? DEFAULT_STRSIZE : strsize);
        const file = new TraceFile(session);
        const fd = p.fds.install(file, RIGHTS_STREAM & ~RIGHTS.FD_WRITE, 0, null, 0, 0, (flags & TRACE_FLAGS.CLOEXEC) !== 0);
        if (target !== null) session.attach(target, ATTACH_HOW.ATTACH);
        else session.arm(p);
        m.setU32(fdOut, fd);
        return 0;
      },
    },
    trace_filter: {
      params: ['i32', 'i32', 'i32'],
      gate: true,
      handler: (p: Process, fd: number, names: number, len: number) => {
        const f = p.fds.get(fd).file; // the descriptor's errno first (EBADF, EINVAL), then EFAULT
        if (!(f instanceof TraceFile)) fail(E.INVAL);
        // len 0: every call; else NUL-separated names (none: a lone NUL records no call)
        const list = len === 0 ? null : p.mem!.string(names, len).split('\0').filter((n) => n !== '');
        if (f.session.setFilter(list).length > 0) fail(E.INVAL);
        return 0;
      },
    },
    trace_detach: {
      params: ['i32', 'i32'],
      gate: true,
      handler: (p: Process, fd: number, pid: number) => {
        const f = p.fds.get(fd).file;
        if (!(f instanceof TraceFile)) fail(E.INVAL);
        const s = f.session;
        if (pid === 0) {
          for (const t of [...s.procs]) s.detach(t);
          return 0;
        }
        const t = k.procs.get(pid);
        if (!t || t.trace !== s) fail(E.SRCH);
        s.detach(t);
        return 0;
      },
    },
  };
}
