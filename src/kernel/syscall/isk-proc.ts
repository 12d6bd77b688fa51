// The isokernel module, processes: spawn (with file actions and attributes), wait, kill,
// process ids, groups and sessions, and the working directory. docs/abi.md ("The isokernel
// module") is the contract; errnos are checked in the order written there.
import { addChildTimes } from '../acct/acct.ts';
import { ALL_SIGNALS, DISPOSITION, sigbit, WAIT, waitStatus } from '../../abi/signals.ts';
import { E, FILETYPE, RIGHTS, RIGHTS_STREAM } from '../../abi/wasi.ts';
import type { OpenFile } from '../fd/open-file.ts';
import { Pipe } from '../fd/pipe.ts';
import { ExecImage, fail } from '../errors.ts';
import { DirectoryFile } from '../fd/open-file.ts';
import type { Kernel } from '../kernel.ts';
import type { Process } from '../proc/process.ts';
import { type Loc } from '../vfs/namespace.ts';
import { openAt } from '../vfs/ops.ts';
import type { SyscallTable } from './dispatch.ts';
import type { FdEntry } from '../fd/fd-table.ts';
import type { GuestMemory } from './guest-memory.ts';
import { rightsForKind } from './wasi-path.ts';
import { setLimit } from '../proc/rlimit.ts';

/** argv and environment together, at most (Linux's ARG_MAX is 2 MiB with the stack). */
const ARG_MAX = 1 << 20;
const MAX_FILE_ACTIONS = 4096;
const SPAWN_REQ_SIZE = 64;
const FILE_ACTION_SIZE = 32;

const SPAWN = { SETPGROUP: 1, SETSID: 2, SETSIGMASK: 4, SETSIGDEF: 8, SEARCH: 16, RESETIDS: 32 } as const;
const SPAWN_KNOWN = 63;
const ACTION = { OPEN: 1, CLOSE: 2, DUP2: 3, CHDIR: 4, FCHDIR: 5, SETRLIMIT: 6, SETIDS: 7, PIPE: 8 } as const;
/** PIPE: where the caller's end's descriptor is written, in the action. */
const PIPE_OUT = 24;
/** SETRLIMIT's argument: a struct rlimit (proc/rlimit.ts). */
const RLIMIT_SIZE = 16;

// wasi-libc's open() flags (fcntl.h): fdflags in the low 12 bits, oflags << 12, and these.
const O_NOFOLLOW = 0x01000000;
const O_READ = 0x04000000;
const O_WRITE = 0x10000000;
const O_SEARCH = 0x08000000;
const O_EXEC = 0x02000000;
/** APPEND DSYNC NONBLOCK RSYNC SYNC. */
const FDFLAGS_ALL = 0x1f;

interface FileAction {
  kind: number;
  fd: number;
  arg: number;
  path: string | null;
  /** SETRLIMIT: [soft, hard]. */
  rlim: [bigint, bigint] | null;
  /** The action's address (PIPE writes the caller's end there). */
  at: number;
}

/** PIPE: the caller's end of a pipe made for the child, installed once the spawn succeeds. */
interface PipeEnd {
  file: OpenFile;
  rights: number;
  at: number;
}

/** NUL-terminated strings back to back. */
function strings(m: GuestMemory, ptr: number, len: number): string[] {
  if (len === 0) return [];
  const s = m.string(ptr, len);
  if (!s.endsWith('\0')) fail(E.INVAL);
  return s.slice(0, -1).split('\0');
}

export function iskProcSyscalls(k: Kernel): SyscallTable {
  const ns = k.ns;
  const posix = (p: Process) => ({ root: p.root, beneath: false });

  /** A directory for chdir: ENOTDIR, and EACCES without search (x) permission. */
  const dirAt = (p: Process, base: Loc, path: string): Loc => {
    const loc = ns.resolve(posix(p), base, path, true);
    const st = loc.vnode.stat();
    if (st.filetype !== FILETYPE.DIRECTORY) fail(E.NOTDIR);
    if (p.uid !== 0 && (st.mode & 0o111) === 0) fail(E.ACCES);
    return loc;
  };
  const joinPath = (base: string, path: string): string => {
    const parts = path.startsWith('/') ? [] : base.split('/').filter(Boolean);
    for (const c of path.split('/')) {
      if (c === '' || c === '.') continue;
      if (c === '..') parts.pop();
      else parts.push(c);
    }
    return '/' + parts.join('/');
  };

  const decodeActions = (m: GuestMemory, ptr: number, count: number): FileAction[] => {
    if (count > MAX_FILE_ACTIONS) fail(E.INVAL);
    const base = m.check(ptr, count * FILE_ACTION_SIZE);
    const out: FileAction[] = [];
    for (let i = 0; i < count; i++) {
      const o = base + i * FILE_ACTION_SIZE;
      const kind = m.dv.getUint32(o, true);
      const fd = m.dv.getInt32(o + 4, true);
      const arg = m.dv.getInt32(o + 8, true);
      const pp = m.dv.getUint32(o + 12, true);
      const pl = m.dv.getUint32(o + 16, true);
      if (kind < ACTION.OPEN || kind > ACTION.PIPE) fail(E.INVAL);
      if (kind === ACTION.PIPE && arg !== 0 && arg !== 1) fail(E.INVAL);
      const path = kind === ACTION.OPEN || kind === ACTION.CHDIR ? m.string(pp, pl) : null;
      if (kind === ACTION.SETRLIMIT && pl !== RLIMIT_SIZE) fail(E.INVAL);
      const rlim: [bigint, bigint] | null = kind === ACTION.SETRLIMIT ? [m.u64(pp), m.u64(pp + 8)] : null;
      out.push({ kind, fd, arg, path, rlim, at: o });
    }
    return out;
  };

  /** The child's cwd after the actions, computed without side effects (program lookup). */
  const cwdAfter = (p: Process, start: Loc, actions: FileAction[]): Loc => {
    let cwd = start;
    for (const a of actions) {
      if (a.kind === ACTION.CHDIR) cwd = dirAt(p, cwd, a.path!);
      else if (a.kind === ACTION.FCHDIR && p.fds.has(a.fd)) {
        const loc = p.fds.get(a.fd).file.loc;
        if (loc) cwd = loc;
      }
    }
    return cwd;
  };

  /**
   * The file actions run, as in a forked child, before exec closes the close-on-exec
   * descriptors; the child's table leaves those out from the start (a parent with many of
   * them would otherwise make every spawn copy and close them all), so a dup2 whose source
   * is one of them takes it from the parent — unless an earlier action touched that number.
   */
  const sourceEntry = (p: Process, c: Process, fd: number, touched: Set<number>): FdEntry | null => {
    if (c.fds.has(fd)) return c.fds.get(fd);
    if (!touched.has(fd) && p.fds.has(fd)) return p.fds.get(fd);
    return null;
  };

  const applyAction = (p: Process, c: Process, a: FileAction, touched: Set<number>, ends: PipeEnd[]): void => {
    if (a.kind === ACTION.OPEN || a.kind === ACTION.CLOSE || a.kind === ACTION.PIPE) touched.add(a.fd);
    if (a.kind === ACTION.DUP2) {
      const src = sourceEntry(p, c, a.fd, touched);
      if (!src) fail(E.BADF);
      if (a.arg < 0 || a.arg >= c.fds.limit) fail(E.BADF);
      // onto itself: the descriptor stays, with close-on-exec cleared (it is inherited)
      if (a.fd !== a.arg || !c.fds.has(a.fd)) c.fds.setAt(a.arg, { ...src, cloexec: false });
      touched.add(a.arg);
      return;
    }
    switch (a.kind) {
      case ACTION.OPEN: {
        if (a.fd < 0 || a.fd >= c.fds.limit) fail(E.BADF);
        const fl = a.arg;
        const oflags = (fl >> 12) & 0xfff;
        const r = openAt(ns, posix(c), c.cwd, a.path!, {
          follow: (fl & O_NOFOLLOW) === 0,
          create: (oflags & 1) !== 0,
          directory: (oflags & 2) !== 0,
          exclusive: (oflags & 4) !== 0,
          truncate: (oflags & 8) !== 0,
          read: (fl & (O_READ | O_SEARCH | O_EXEC)) !== 0,
          write: (fl & O_WRITE) !== 0,
          fdflags: fl & FDFLAGS_ALL,
          mode: 0o666 & ~c.umask,
        });
        if ('aliasFd' in r) {
          c.fds.dup2(r.aliasFd, a.fd);
          return;
        }
        let rights = r.file.isTerminal ? RIGHTS_STREAM : rightsForKind(r.file.filetype);
        if (!r.file.readable) rights &= ~RIGHTS.FD_READ;
        if (!r.file.writable) rights &= ~RIGHTS.FD_WRITE;
        try {
          c.fds.setAt(a.fd, { file: r.file, rightsBase: rights, rightsInheriting: rights, preopen: null, dropped: 0 });
        } catch (e) {
          r.file.close();
          throw e;
        }
        return;
      }
      case ACTION.CLOSE:
        c.fds.close(a.fd);
        return;
      case ACTION.PIPE: {
        // A new pipe: the child's end at `fd` (it reads with arg 1, writes with arg 0); the
        // caller's end is installed, close-on-exec, once the whole spawn has succeeded.
        if (a.fd < 0 || a.fd >= c.fds.limit) fail(E.BADF);
        const [r, w] = Pipe.create(0);
        const childReads = a.arg === 1;
        const readRights = RIGHTS_STREAM & ~RIGHTS.FD_WRITE;
        const writeRights = RIGHTS_STREAM & ~RIGHTS.FD_READ;
        ends.push({ file: childReads ? w : r, rights: childReads ? writeRights : readRights, at: a.at });
        c.fds.setAt(a.fd, { file: childReads ? r : w, rightsBase: childReads ? readRights : writeRights, rightsInheriting: 0, preopen: null, dropped: 0 });
        return;
      }
      case ACTION.CHDIR:
        c.cwd = dirAt(c, c.cwd, a.path!);
        c.cwdPath = ns.pathOf(c.cwd, c.root) ?? joinPath(c.cwdPath, a.path!);
        return;
      case ACTION.FCHDIR: {
        const src = sourceEntry(p, c, a.fd, touched);
        if (!src) return fail(E.BADF);
        const f = src.file;
        if (!(f instanceof DirectoryFile) || f.loc === null) fail(E.NOTDIR);
        c.cwd = f.loc;
        c.cwdPath = ns.pathOf(f.loc, c.root) ?? c.cwdPath;
        return;
      }
      case ACTION.SETRLIMIT: // the child's limits, as setrlimit() between fork and exec
        setLimit(c, a.fd, a.rlim![0], a.rlim![1], c.uid === 0);
        return;
      case ACTION.SETIDS: // the child's user and group, as setgid()+setuid() between fork and exec
        if (a.fd < 0 || a.arg < 0) fail(E.INVAL);
        if (c.uid !== 0 && (a.fd !== c.uid || a.arg !== c.gid)) fail(E.PERM);
        c.uid = a.fd;
        c.gid = a.arg;
        return;
    }
  };

  /** kill()'s permission rule: itself, its descendants, its session, or anything for uid 0. */
  const maySignal = (p: Process, t: Process): boolean => {
    if (p.uid === 0 || t === p || t.sid === p.sid) return true;
    for (let q: Process | undefined = t; q && q.ppid !== 0; q = k.procs.get(q.ppid)) {
      if (q.ppid === p.pid) return true;
    }
    return false;
  };

  /** getpgid/getsid: the group or session of `pid` (0: the caller). ESRCH. */
  const idOf = (p: Process, pid: number, out: number, which: 'pgid' | 'sid'): number => {
    p.mem!.check(out, 4);
    const t = pid === 0 ? p : k.procs.get(pid);
    if (!t) fail(E.SRCH);
    p.mem!.setU32(out, t[which]);
    return 0;
  };

  const matches = (p: Process, c: Process, pid: number): boolean =>
    pid > 0 ? c.pid === pid : pid === -1 ? true : pid === 0 ? c.pgid === p.pgid : c.pgid === -pid;

  return {
    spawn: {
      params: ['i32', 'i32'], blocking: true,
      handler: (p: Process, req: number, pidOut: number) => {
        const m = p.mem!;
        const b = m.check(req, SPAWN_REQ_SIZE);
        m.check(pidOut, 4);
        const u = (o: number): number => m.dv.getUint32(b + o, true);
        const flags = u(32), pgroup = m.dv.getInt32(b + 36, true), sigmask = u(40), sigdef = u(44);
        const path = m.string(u(0), u(4));
        if (u(12) + u(20) > ARG_MAX) fail(E['2BIG']);
        const argv = strings(m, u(8), u(12));
        const env = strings(m, u(16), u(20));
        const actions = decodeActions(m, u(24), u(28));
        if ((flags & ~SPAWN_KNOWN) !== 0 || pgroup < 0) fail(E.INVAL);
        if ((flags & SPAWN.SETSIGMASK && sigmask & ~ALL_SIGNALS) || (flags & SPAWN.SETSIGDEF && sigdef & ~ALL_SIGNALS)) fail(E.INVAL);
        const search = flags & SPAWN.SEARCH ? m.string(u(48), u(52)) : null;
        const cwdArg = u(60) > 0 ? m.string(u(56), u(60)) : null;

        const start = cwdArg !== null ? dirAt(p, p.cwd, cwdArg) : p.cwd;
        const found = k.exec.find(p.root, cwdAfter(p, start, actions), path, argv, search);
        // An uncached module compiles: a caught signal meanwhile waits for it (posix_spawn and
        // execve have no EINTR, and no program retries them on it); a fatal one still acts.
        if (found instanceof Promise) return p.blockThrough(found);

        let pg: number | null = null;
        if (flags & SPAWN.SETPGROUP && pgroup !== 0) {
          const leader = [...k.procs.values()].some((q) => q.pgid === pgroup && !q.exitStatus);
          if (!leader) fail(E.PERM);
          if ([...k.procs.values()].some((q) => q.pgid === pgroup && q.sid !== p.sid)) fail(E.PERM);
          pg = pgroup;
        }
        const c = k.createChild(p, found, env);
        const ends: PipeEnd[] = [];
        try {
          if (cwdArg !== null) {
            c.cwd = start;
            c.cwdPath = ns.pathOf(start, c.root) ?? joinPath(p.cwdPath, cwdArg);
          }
          if (flags & SPAWN.SETSID) {
            c.sid = c.pid;
            c.pgid = c.pid;
          }
          if (flags & SPAWN.SETPGROUP) c.pgid = pg ?? c.pid;
          if (flags & SPAWN.SETSIGMASK) c.sig.setMask(sigmask);
          if (flags & SPAWN.SETSIGDEF) {
            for (let sig = 1; sig < 32; sig++) {
              if (sigdef & sigbit(sig)) c.sig.setAction(sig, { disposition: DISPOSITION.DEFAULT, mask: 0, flags: 0 });
            }
          }
          const touched = new Set<number>();
          for (const a of actions) applyAction(p, c, a, touched, ends);
          if (ends.length > 0) {
            if (!p.fds.hasRoom(ends.length)) fail(E.MFILE);
            for (let i = 0; i < ends.length; i++) {
              const e = ends[i]!;
              m.dv.setInt32(e.at + PIPE_OUT, p.fds.install(e.file, e.rights, 0, null, 0, 0, true), true);
              ends[i] = { ...e, at: -1 }; // installed: the table owns it now
            }
          }
        } catch (e) {
          k.discardChild(c);
          for (const end of ends) if (end.at >= 0) end.file.close();
          throw e;
        }
        k.startChild(p, c, found.program);
        m.setU32(pidOut, c.pid);
        return 0;
      },
    },

    // exec: the same request as spawn, without file actions or attributes (flags may hold
    // only SEARCH). On success it does not return: ExecImage unwinds the old program and the
    // kernel starts the new one in this process (Kernel.execImage).
    exec: {
      params: ['i32'], blocking: true,
      handler: (p: Process, req: number) => {
        const m = p.mem!;
        const b = m.check(req, SPAWN_REQ_SIZE);
        const u = (o: number): number => m.dv.getUint32(b + o, true);
        const flags = u(32);
        const path = m.string(u(0), u(4));
        if (u(12) + u(20) > ARG_MAX) fail(E['2BIG']);
        const argv = strings(m, u(8), u(12));
        const env = strings(m, u(16), u(20));
        if ((flags & ~SPAWN.SEARCH) !== 0 || u(28) !== 0 || u(60) !== 0) fail(E.INVAL);
        const search = flags & SPAWN.SEARCH ? m.string(u(48), u(52)) : null;
        const found = k.exec.find(p.root, p.cwd, path, argv, search);
        if (found instanceof Promise) return p.blockThrough(found); // as spawn's
        throw new ExecImage(found, env);
      },
    },

    wait: {
      params: ['i32', 'i32', 'i32', 'i32'], blocking: true, restartable: true,
      handler: (p: Process, pid: number, options: number, statusOut: number, pidOut: number) => {
        const m = p.mem!;
        if (statusOut !== 0) m.check(statusOut, 4);
        m.check(pidOut, 4);
        if (options & ~(WAIT.NOHANG | WAIT.UNTRACED | WAIT.CONTINUED)) fail(E.INVAL);
        if (pid === -0x80000000) fail(E.SRCH); // the group -INT_MIN does not exist: Linux's ESRCH
        let any = false;
        for (const c of p.children) {
          if (!matches(p, c, pid)) continue;
          any = true;
          let status: number | null = null;
          if (c.exitStatus) {
            const s = c.exitStatus;
            status = s.signal !== null ? waitStatus.killed(s.signal, s.core) : waitStatus.exited(s.code!);
            addChildTimes(p.acct, c.acct); // cutime, cstime (acct/acct.ts)
            k.reap(c);
          } else if (options & WAIT.UNTRACED && c.reportStop !== 0) {
            status = waitStatus.stopped(c.reportStop);
            c.reportStop = 0;
          } else if (options & WAIT.CONTINUED && c.reportContinued) {
            status = waitStatus.continued;
            c.reportContinued = false;
          }
          if (status !== null) {
            if (statusOut !== 0) m.setU32(statusOut, status);
            m.setU32(pidOut, c.pid);
            return 0;
          }
        }
        if (!any) fail(E.CHILD);
        if (options & WAIT.NOHANG) {
          m.setU32(pidOut, 0);
          return 0;
        }
        return p.block(p.nextChildEvent());
      },
    },

    kill: {
      params: ['i32', 'i32'], gate: true,
      handler: (p: Process, pid: number, sig: number) => {
        if (sig < 0 || sig > 31) fail(E.INVAL);
        let targets: Process[];
        if (pid > 0) {
          const t = k.procs.get(pid);
          if (!t) fail(E.SRCH);
          targets = [t];
        } else {
          const all = [...k.procs.values()];
          targets = pid === 0 ? all.filter((t) => t.pgid === p.pgid)
            : pid === -1 ? all.filter((t) => t.pid !== 1 && t !== p)
            : all.filter((t) => t.pgid === -pid);
          if (pid === -1 && targets.every((t) => !maySignal(p, t))) targets = [];
          if (targets.length === 0) fail(E.SRCH);
        }
        const allowed = targets.filter((t) => maySignal(p, t));
        if (allowed.length === 0) fail(E.PERM);
        if (sig !== 0) for (const t of allowed) k.signal(t, sig);
        return 0;
      },
    },

    getpid: { params: ['i32'], handler: (p: Process, out: number) => (p.mem!.setU32(out, p.pid), 0) },
    getppid: { params: ['i32'], handler: (p: Process, out: number) => (p.mem!.setU32(out, p.ppid), 0) },
    getpgid: { params: ['i32', 'i32'], handler: (p: Process, pid: number, out: number) => idOf(p, pid, out, 'pgid') },
    getsid: { params: ['i32', 'i32'], handler: (p: Process, pid: number, out: number) => idOf(p, pid, out, 'sid') },
    setpgid: {
      params: ['i32', 'i32'],
      handler: (p: Process, pid: number, pgid: number) => {
        if (pgid < 0) fail(E.INVAL);
        const t = pid === 0 || pid === p.pid ? p : k.procs.get(pid);
        if (!t || (t !== p && t.ppid !== p.pid)) fail(E.SRCH);
        // A child has always run its program (spawn is fork and exec in one): EACCES, as Linux
        // answers for a child after execve.
        if (t !== p) fail(E.ACCES);
        if (t.sid === t.pid) fail(E.PERM);
        const target = pgid === 0 ? t.pid : pgid;
        if (target !== t.pid) {
          const members = [...k.procs.values()].filter((q) => q.pgid === target && !q.exitStatus);
          if (members.length === 0 || members.some((q) => q.sid !== t.sid)) fail(E.PERM);
        }
        t.pgid = target;
        return 0;
      },
    },
    setsid: {
      params: ['i32'],
      handler: (p: Process, out: number) => {
        p.mem!.check(out, 4);
        if (p.pgid === p.pid || [...k.procs.values()].some((q) => q !== p && q.pgid === p.pid)) fail(E.PERM);
        p.sid = p.pid;
        p.pgid = p.pid;
        p.mem!.setU32(out, p.sid);
        return 0;
      },
    },

    chdir: {
      params: ['i32', 'i32'],
      handler: (p: Process, ptr: number, len: number) => {
        const path = p.mem!.string(ptr, len);
        p.cwd = dirAt(p, p.cwd, path);
        p.cwdPath = ns.pathOf(p.cwd, p.root) ?? joinPath(p.cwdPath, path);
        return 0;
      },
    },
    fchdir: {
      params: ['i32'],
      handler: (p: Process, fd: number) => {
        const f = p.fds.get(fd).file;
        if (f.filetype !== FILETYPE.DIRECTORY || f.loc === null) fail(E.NOTDIR);
        p.cwd = f.loc;
        p.cwdPath = ns.pathOf(f.loc, p.root) ?? p.cwdPath;
        return 0;
      },
    },
    getcwd: {
      params: ['i32', 'i32', 'i32'],
      handler: (p: Process, buf: number, len: number, lenOut: number) => {
        const m = p.mem!;
        m.check(lenOut, 4);
        const bytes = new TextEncoder().encode(p.cwdPath + '\0');
        m.setU32(lenOut, bytes.length);
        if (bytes.length > len >>> 0) fail(E.RANGE);
        m.write(buf, bytes);
        return 0;
      },
    },
  };
}
