// Kernel terminals as the kernel's host side makes them (isokernel run in a host terminal,
// the control socket's exec --tty, tests): createTerminal() makes a Tty whose master is the
// caller's (output sink in, input()/resize()/hangup() out), and attachTerminal() makes a
// process the session leader it controls, with the terminal as its stdin/stdout/stderr.
//
// Controlling terminals are found by session id (a session has at most one, a terminal
// controls at most one session); the session loses it when its leader ends. /dev/tty opens the caller's; ENXIO when it has none —
// the devfs node learns to do so when the kernel's first terminal is made.
import { DISPOSITION, SIG } from '../../abi/signals.ts';
import { E, RIGHTS } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import type { Kernel, SpawnOptions } from '../kernel.ts';
import type { Process } from '../proc/process.ts';
import { Tty, type TtyHost, type TtyOptions } from './tty.ts';

interface KernelTtys {
  bySession: Map<number, Tty>;
  host: TtyHost;
}

const tables = new WeakMap<Kernel, KernelTtys>();

function table(k: Kernel): KernelTtys {
  let t = tables.get(k);
  if (t) return t;
  const host: TtyHost = {
    current: () => k.cpu.current,
    signalGroup: (pgid, sig) => {
      // A terminal's stop signals to an orphaned group stop no one (POSIX): only a process
      // that catches one gets it. (`isokernel run PROGRAM`: ^Z must not leave it stopped
      // with no shell to continue it.)
      const stop = sig === SIG.TSTP || sig === SIG.TTIN || sig === SIG.TTOU;
      const drop = stop && orphaned(pgid);
      for (const q of [...k.procs.values()]) {
        if (q.pgid !== pgid || q.exitStatus) continue;
        if (drop && q.sig.action(sig).disposition !== DISPOSITION.CATCH) continue;
        k.signal(q, sig);
      }
    },
    orphaned: (pgid) => orphaned(pgid),
    groupInSession: (pgid, sid) => {
      for (const q of k.procs.values()) if (q.pgid === pgid && q.sid === sid && !q.exitStatus) return true;
      return false;
    },
  };
  /** POSIX: no member has a parent in another group of the same session. */
  function orphaned(pgid: number): boolean {
    for (const q of k.procs.values()) {
      if (q.pgid !== pgid || q.exitStatus) continue;
      const parent = k.procs.get(q.ppid);
      if (parent && !parent.exitStatus && parent.pgid !== pgid && parent.sid === q.sid) return false;
    }
    return true;
  }
  t = { bySession: new Map(), host };
  tables.set(k, t);
  let devTty;
  try {
    devTty = k.ns.resolve(k.ns.root, k.ns.root, '/dev/tty', false).vnode;
  } catch {
    return t; // no /dev in this namespace
  }
  devTty.openFile = (read, write, flags) => {
    const p = k.cpu.current;
    const tty = p ? controllingTerminal(k, p) : null;
    if (!tty) return fail(E.NXIO);
    return tty.open(read, write, flags);
  };
  return t;
}

/** A new terminal of `k` whose master is the caller. */
export function createTerminal(k: Kernel, o: TtyOptions): Tty {
  return new Tty(table(k).host, o);
}

/** The process's controlling terminal, or null. */
export function controllingTerminal(k: Kernel, p: Process): Tty | null {
  const tty = tables.get(k)?.bySession.get(p.sid);
  if (!tty || tty.session !== p.sid) return null;
  return tty;
}

/**
 * Makes `tty` the controlling terminal of `p`'s session (p must lead it) with p's group in
 * the foreground. Errors: EPERM (p is not a session leader, or the terminal controls
 * another live session).
 */
export function setControllingTerminal(k: Kernel, p: Process, tty: Tty): void {
  const t = table(k);
  if (p.sid !== p.pid) fail(E.PERM);
  if (tty.session !== 0 && tty.session !== p.sid && [...k.procs.values()].some((q) => q.sid === tty.session && !q.exitStatus)) fail(E.PERM);
  if (tty.session !== 0) t.bySession.delete(tty.session);
  tty.session = p.sid;
  tty.fgPgrp = p.pgid;
  t.bySession.set(p.sid, tty);
  // The controlling process ends: its foreground group gets SIGHUP and SIGCONT and the
  // session loses the terminal (POSIX; what is left of it reads and writes on, without
  // job control).
  const sid = p.sid;
  void p.exited.then(() => {
    if (tty.session !== sid || t.bySession.get(sid) !== tty) return;
    const fg = tty.fgPgrp;
    releaseTerminal(k, tty);
    if (fg > 0) {
      t.host.signalGroup(fg, SIG.HUP);
      t.host.signalGroup(fg, SIG.CONT);
    }
  });
}

/** Forgets the terminal's session (the master has gone). */
export function releaseTerminal(k: Kernel, tty: Tty): void {
  const t = tables.get(k);
  if (t && tty.session !== 0 && t.bySession.get(tty.session) === tty) t.bySession.delete(tty.session);
  tty.session = 0;
  tty.fgPgrp = 0;
}

/**
 * Spawns a process as the leader of a new session whose controlling terminal is `tty`, with
 * the terminal as its stdin, stdout and stderr (one read-write description, as a login's) —
 * or, with `onTty`, as those of fds 0..2 it lists, the others inherited from the host.
 */
export function spawnOnTerminal(k: Kernel, tty: Tty, o: SpawnOptions, onTty: ReadonlySet<number> = new Set([0, 1, 2])): Process {
  const slave = tty.open(true, true);
  let p: Process;
  try {
    p = k.spawn({ ...o, stdio: [0, 1, 2].map((fd) => (onTty.has(fd) ? slave : o.stdio?.[fd] ?? 'inherit')) });
  } finally {
    if (slave.refs === 0) slave.close();
  }
  // Unlike the host's stdio (wasmtime's EBADF), a terminal takes O_NONBLOCK from fcntl.
  for (const fd of onTty) if (p.fds.has(fd)) p.fds.get(fd).rightsBase |= RIGHTS.FD_FDSTAT_SET_FLAGS;
  p.sid = p.pid;
  p.pgid = p.pid;
  setControllingTerminal(k, p, tty);
  return p;
}
