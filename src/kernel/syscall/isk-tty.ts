// The isokernel module's terminal calls (docs/abi.md, "Terminals"). A terminal descriptor is
// the slave end of a kernel terminal (tty/tty.ts); each call takes one and answers ENOTTY
// for anything else (EBADF for no descriptor).
//
//   tty_isatty(fd) -> errno                          0 for a terminal
//   tty_getattr(fd, termios*) -> errno               struct termios, Linux's 60-byte layout
//   tty_setattr(fd, action, termios*) -> errno       TCSANOW 0, TCSADRAIN 1, TCSAFLUSH 2
//   tty_getwinsize(fd, winsize*) -> errno            u16 rows, cols, xpixel, ypixel
//   tty_setwinsize(fd, winsize*) -> errno            SIGWINCH to the foreground group on change
//   tty_getpgrp(fd, out u32*) -> errno               tcgetpgrp: the foreground group
//   tty_setpgrp(fd, pgid) -> errno                   tcsetpgrp
//   tty_getsid(fd, out u32*) -> errno                tcgetsid: the session it controls
//   tty_flush(fd, queue) -> errno                    tcflush: TCIFLUSH 0, TCOFLUSH 1, TCIOFLUSH 2
//   tty_name(fd, buf, len, out_len*) -> errno        ttyname_r: ERANGE if it does not fit
//   tty_set_raw(fd, on) -> errno                     Node's setRawMode: libuv's raw mode
//
// tcgetpgrp, tcsetpgrp and tcgetsid need the caller's controlling terminal (ENOTTY for
// another); tcsetpgrp wants a group of the caller's session (EPERM, EINVAL for a negative
// one). tcsetattr and tcsetpgrp from a background group send it SIGTTOU unless the caller
// ignores or blocks it (the call restarts after SIGCONT, or is EINTR for a caught SIGTTOU).
// tty_set_raw also works on a host terminal descriptor without a kernel terminal (raw mode
// of the host's tty driver), as before kernel terminals existed.
import { DISPOSITION, SIG } from '../../abi/signals.ts';
import { E } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import { RESTART, type Process } from '../proc/process.ts';
import { copyTermios, decodeTermios, encodeTermios, makeRaw, TCSAFLUSH, type Termios, TERMIOS_SIZE, WINSIZE_SIZE } from '../tty/termios.ts';
import { type Tty, TtySlave } from '../tty/tty.ts';
import type { SyscallTable } from './dispatch.ts';
import { encodeUtf8 } from './guest-memory.ts';

function ttyOf(p: Process, fd: number): Tty {
  const f = p.fds.get(fd).file;
  if (!(f instanceof TtySlave)) return fail(E.NOTTY);
  return f.tty;
}

/** The caller's controlling terminal behind fd, or ENOTTY. */
function ctty(p: Process, fd: number): Tty {
  const t = ttyOf(p, fd);
  if (!t.controls(p)) fail(E.NOTTY);
  return t;
}

/**
 * After SIGTTOU went to the caller's group: restart after SIGCONT (the gate does, for a
 * program on the kernel's own thread), or EINTR (a handler; JS processes and threads, whose
 * call paths have no restart).
 */
function ttou(p: Process): number {
  const gated = p.instance instanceof WebAssembly.Instance;
  return gated && p.sig.action(SIG.TTOU).disposition === DISPOSITION.DEFAULT ? RESTART : E.INTR;
}

/** The settings before each descriptor's tty_set_raw(on), for tty_set_raw(off). */
const saved = new WeakMap<Tty, Termios>();

export function iskTtySyscalls(): SyscallTable {
  return {
    tty_isatty: {
      params: ['i32'],
      handler: (p: Process, fd: number): number => (ttyOf(p, fd), 0),
    },
    tty_getattr: {
      params: ['i32', 'i32'],
      handler: (p: Process, fd: number, ptr: number): number => {
        const t = ttyOf(p, fd);
        const m = p.mem!;
        const at = m.check(ptr, TERMIOS_SIZE);
        encodeTermios(t.termios, m.dv, at);
        return 0;
      },
    },
    tty_setattr: {
      params: ['i32', 'i32', 'i32'], gate: true,
      handler: (p: Process, fd: number, action: number, ptr: number): number => {
        const t = ttyOf(p, fd);
        const m = p.mem!;
        const at = m.check(ptr, TERMIOS_SIZE);
        if (action < 0 || action > TCSAFLUSH) fail(E.INVAL);
        if (!t.checkTtou(p)) return ttou(p);
        t.setAttr(decodeTermios(m.dv, at), action === TCSAFLUSH);
        return 0;
      },
    },
    tty_getwinsize: {
      params: ['i32', 'i32'],
      handler: (p: Process, fd: number, ptr: number): number => {
        const t = ttyOf(p, fd);
        const m = p.mem!;
        const at = m.check(ptr, WINSIZE_SIZE);
        const w = t.winsize;
        m.dv.setUint16(at, w.rows, true);
        m.dv.setUint16(at + 2, w.cols, true);
        m.dv.setUint16(at + 4, w.xpixel, true);
        m.dv.setUint16(at + 6, w.ypixel, true);
        return 0;
      },
    },
    tty_setwinsize: {
      params: ['i32', 'i32'],
      handler: (p: Process, fd: number, ptr: number): number => {
        const t = ttyOf(p, fd);
        const m = p.mem!;
        const at = m.check(ptr, WINSIZE_SIZE);
        t.resize(m.dv.getUint16(at, true), m.dv.getUint16(at + 2, true), m.dv.getUint16(at + 4, true), m.dv.getUint16(at + 6, true));
        return 0;
      },
    },
    tty_getpgrp: {
      params: ['i32', 'i32'],
      handler: (p: Process, fd: number, out: number): number => {
        const t = ctty(p, fd);
        p.mem!.setU32(out, t.fgPgrp);
        return 0;
      },
    },
    tty_setpgrp: {
      params: ['i32', 'i32'], gate: true,
      handler: (p: Process, fd: number, pgid: number): number => {
        const t = ctty(p, fd);
        if (pgid < 0) fail(E.INVAL);
        if (!t.host.groupInSession(pgid, p.sid)) fail(E.PERM);
        if (!t.checkTtou(p)) return ttou(p);
        t.fgPgrp = pgid;
        return 0;
      },
    },
    tty_getsid: {
      params: ['i32', 'i32'],
      handler: (p: Process, fd: number, out: number): number => {
        const t = ctty(p, fd);
        p.mem!.setU32(out, t.session);
        return 0;
      },
    },
    tty_flush: {
      params: ['i32', 'i32'],
      handler: (p: Process, fd: number, queue: number): number => {
        const t = ttyOf(p, fd);
        if (queue < 0 || queue > 2) fail(E.INVAL);
        if (queue !== 1) t.flushInput();
        return 0;
      },
    },
    tty_name: {
      params: ['i32', 'i32', 'i32', 'i32'],
      handler: (p: Process, fd: number, buf: number, len: number, outLen: number): number => {
        const t = ttyOf(p, fd);
        const m = p.mem!;
        m.check(outLen, 4);
        const name = encodeUtf8(t.name);
        if (name.length + 1 > (len >>> 0)) fail(E.RANGE);
        m.check(buf, name.length + 1); // the name and its NUL: a buffer straddling the end gets nothing
        m.write(buf, name);
        m.setU8(buf + name.length, 0);
        m.setU32(outLen, name.length);
        return 0;
      },
    },
    tty_set_raw: {
      params: ['i32', 'i32'], gate: true,
      handler: (p: Process, fd: number, on: number): number => {
        const file = p.fds.get(fd).file as { setRaw?: (on: boolean) => void };
        if (file instanceof TtySlave) {
          const t = file.tty;
          if (!t.checkTtou(p)) return ttou(p);
          if (on !== 0) {
            if (!saved.has(t)) saved.set(t, copyTermios(t.termios));
            const raw = copyTermios(t.termios);
            makeRaw(raw, true); // libuv keeps output processing (ONLCR) in raw mode
            t.setAttr(raw, false);
          } else {
            const before = saved.get(t);
            saved.delete(t);
            if (before) t.setAttr(before, false);
          }
          return 0;
        }
        if (typeof file.setRaw !== 'function') fail(E.NOTTY);
        file.setRaw(on !== 0);
        return 0;
      },
    },
  };
}
