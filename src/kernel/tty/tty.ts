// Kernel terminals: a pseudo-terminal whose master end is the host side (a host terminal
// under `isokernel run`, the frames of a control socket `exec --tty`, a test) and whose
// slave end is a descriptor kind (TtySlave) that processes get as stdin/stdout/stderr.
//
// Design. A Tty holds the termios settings, the window size, the session it is the
// controlling terminal of and that session's foreground process group. Bytes from the
// master go through the line discipline (`input`): input flags (ICRNL, INLCR, IGNCR,
// ISTRIP), signal characters (ISIG: INTR, QUIT, SUSP → SIGINT, SIGQUIT, SIGTSTP to the
// foreground group, flushing input unless NOFLSH), flow control (IXON: STOP/START hold and
// release output), then either canonical editing (ICANON: ERASE and ^H, KILL, WERASE,
// REPRINT, LNEXT, EOF; a line is readable once it ends with NL, EOL, EOL2 or EOF) or the raw
// queue (read by VMIN/VTIME), with echo (ECHO, ECHOE, ECHOK, ECHOKE, ECHOCTL, ECHONL).
// What processes write goes through output processing (OPOST: ONLCR, OCRNL, ONOCR,
// ONLRET, OLCUC) to the master's sink; a sink that answers false holds writers until the
// master calls resumeOutput() (flow control toward a slow client). Echo is never held.
//
// Job control: a read from the controlling terminal by a process outside the foreground
// group sends SIGTTIN to its group (EIO when SIGTTIN is ignored or blocked); a write with
// TOSTOP set, SIGTTOU likewise (the write goes through when SIGTTOU is ignored or blocked).
// A window size change sends SIGWINCH to the foreground group. Hang-up (the master goes
// away): SIGHUP and SIGCONT to the foreground group; reads then see EOF, writes EIO.
//
// The input queue holds at most MAX_INPUT bytes (4096, as Linux's N_TTY). Past it, input
// waits unprocessed in a backlog that reads feed in as they make room (`backlogBytes`,
// `drained`: a master holds its source meanwhile, as a pty master's write would block);
// a canonical line longer than the queue is cut (the bytes are dropped, room is kept for
// its end), as Linux does.
import { E, FILETYPE } from '../../abi/wasi.ts';
import { SIG, sigbit } from '../../abi/signals.ts';
import { fail } from '../errors.ts';
import { OpenFile, WOULD_BLOCK } from '../fd/open-file.ts';
import { streamStat } from '../fd/stdio.ts';
import type { Process } from '../proc/process.ts';
import type { Stat } from '../vfs/vnode.ts';
import { WaitQueue } from '../wait-queue.ts';
import { copyTermios, defaultTermios, I, L, O, type Termios, V, type WinSize } from './termios.ts';

export const MAX_INPUT = 4096;

/** What a terminal needs from the kernel. */
export interface TtyHost {
  /** The process making the current call, if any (cpu.current). */
  current(): Process | null;
  /** Sends `sig` to every live process of group `pgid`. */
  signalGroup(pgid: number, sig: number): void;
  /** Whether a live process of group `pgid` is in session `sid`. */
  groupInSession(pgid: number, sid: number): boolean;
  /** Whether group `pgid` is orphaned (no member's parent is in another group of its session). */
  orphaned(pgid: number): boolean;
}

export interface TtyOptions {
  rows?: number;
  cols?: number;
  /** Where processed output goes; false holds further writes until resumeOutput(). */
  output: (bytes: Uint8Array) => boolean | void;
  name?: string;
}

let nextIndex = 0;

export class Tty {
  readonly host: TtyHost;
  /** ttyname(3): /dev/pts/N (there is no such directory: the name is for display). */
  readonly name: string;
  termios: Termios = defaultTermios();
  winsize: WinSize;
  /** The session it is the controlling terminal of (0: none) and its foreground group. */
  session = 0;
  fgPgrp = 0;
  private readonly sink: (bytes: Uint8Array) => boolean | void;
  /** Completed canonical lines (an empty one is an EOF), or raw bytes in `raw`. */
  private lines: Uint8Array[] = [];
  private raw: number[] = [];
  /** The canonical line being edited. */
  private edit: number[] = [];
  private lnext = false;
  private column = 0;
  private stopped = false;
  private held = false;
  /** Input the full queue could not take yet, fed as reads make room (masters may hold their source meanwhile). */
  private backlog: Uint8Array[] = [];
  backlogBytes = 0;
  /** Woken when the backlog has gone into the queue. */
  readonly drained = new WaitQueue();
  private hung = false;
  private lastInputMs = 0;
  /** A VTIME read's deadline (ms), while one is waiting. */
  private readDeadline: number | null = null;
  readonly readable = new WaitQueue();
  readonly writable = new WaitQueue();
  /** Open slave descriptions (the master hears when the last goes). */
  slaves = 0;
  onSlavesClosed: (() => void) | null = null;

  constructor(host: TtyHost, o: TtyOptions) {
    this.host = host;
    this.sink = o.output;
    this.name = o.name ?? `/dev/pts/${nextIndex++}`;
    this.winsize = { rows: o.rows ?? 24, cols: o.cols ?? 80, xpixel: 0, ypixel: 0 };
  }

  /** A slave description (a descriptor kind for processes). */
  open(readable = true, writable = true, flags = 0): TtySlave {
    return new TtySlave(this, readable, writable, flags);
  }

  get hungUp(): boolean {
    return this.hung;
  }

  // ---- master side ----

  /** Bytes typed on the terminal, through the line discipline. */
  input(bytes: Uint8Array): void {
    if (this.hung) return;
    if (this.backlog.length > 0) {
      this.backlog.push(bytes.slice());
      this.backlogBytes += bytes.length;
      return;
    }
    const t = this.termios;
    let echo: number[] = [];
    const flushEcho = (): void => {
      if (echo.length > 0) this.emit(Uint8Array.from(echo), true);
      echo = [];
    };
    for (let i = 0; i < bytes.length; i++) {
      if (this.full()) {
        // The reader will make room: the rest waits, unprocessed (as a pty master's write).
        const rest = bytes.slice(i);
        this.backlog.push(rest);
        this.backlogBytes += rest.length;
        break;
      }
      let c = bytes[i]!;
      if (t.iflag & I.ISTRIP) c &= 0x7f;
      if (this.lnext) {
        this.lnext = false;
        if (t.lflag & L.ECHO && t.lflag & L.ECHOCTL) echo.push(0x08); // over the '^' shown
        this.store(c, echo);
        continue;
      }
      if (c === 0x0d) {
        if (t.iflag & I.IGNCR) continue;
        if (t.iflag & I.ICRNL) c = 0x0a;
      } else if (c === 0x0a && t.iflag & I.INLCR) c = 0x0d;
      const cc = t.cc;
      const is = (v: number): boolean => cc[v] !== 0 && c === cc[v];
      if (t.lflag & L.ISIG) {
        const sig = is(V.INTR) ? SIG.INT : is(V.QUIT) ? SIG.QUIT : is(V.SUSP) ? SIG.TSTP : 0;
        if (sig !== 0) {
          if (!(t.lflag & L.NOFLSH)) this.flushInput();
          if (t.lflag & L.ECHO) this.echoChar(c, echo);
          flushEcho();
          if (this.fgPgrp > 0) this.host.signalGroup(this.fgPgrp, sig);
          continue;
        }
      }
      if (t.iflag & I.IXON) {
        if (is(V.STOP)) {
          this.stopped = true;
          continue;
        }
        if (is(V.START)) {
          this.restart();
          continue;
        }
        if (this.stopped && t.iflag & I.IXANY) this.restart();
      }
      if (t.lflag & L.ICANON) {
        if (t.lflag & L.IEXTEN && is(V.LNEXT)) {
          this.lnext = true;
          if (t.lflag & L.ECHO && t.lflag & L.ECHOCTL) echo.push(0x5e); // '^'
          continue;
        }
        if (is(V.ERASE) || c === 0x08 || c === 0x7f) {
          this.erase(1, echo);
          continue;
        }
        if (t.lflag & L.IEXTEN && is(V.WERASE)) {
          this.erase(2, echo);
          continue;
        }
        if (is(V.KILL)) {
          // Erased on screen only with ECHOE, ECHOK and ECHOKE (as Linux); else KILL is echoed.
          const all = L.ECHOE | L.ECHOK | L.ECHOKE;
          if (t.lflag & L.ECHO && (t.lflag & all) !== all) {
            this.echoChar(c, echo);
            if (t.lflag & L.ECHOK) this.echoRaw(0x0a, echo);
            this.edit = [];
          } else this.erase(3, echo);
          continue;
        }
        if (t.lflag & L.IEXTEN && is(V.REPRINT)) {
          if (t.lflag & L.ECHO) {
            this.echoChar(c, echo);
            this.echoRaw(0x0a, echo);
            for (const b of this.edit) this.echoChar(b, echo);
          }
          continue;
        }
        if (is(V.EOF)) {
          this.lines.push(Uint8Array.from(this.edit));
          this.edit = [];
          continue;
        }
      }
      this.store(c, echo);
    }
    flushEcho();
    this.lastInputMs = Date.now();
    this.readable.wake();
  }

  /** The window size changed: SIGWINCH to the foreground group. */
  resize(rows: number, cols: number, xpixel = 0, ypixel = 0): void {
    const w = this.winsize;
    if (w.rows === rows && w.cols === cols && w.xpixel === xpixel && w.ypixel === ypixel) return;
    this.winsize = { rows, cols, xpixel, ypixel };
    if (this.fgPgrp > 0) this.host.signalGroup(this.fgPgrp, SIG.WINCH);
  }

  /** The master has gone: SIGHUP (and SIGCONT) to the foreground group; EOF for readers, EIO for writers. */
  hangup(): void {
    if (this.hung) return;
    this.hung = true;
    this.backlog = [];
    this.backlogBytes = 0;
    this.drained.wake();
    this.readable.wake();
    this.writable.wake();
    if (this.fgPgrp > 0) {
      this.host.signalGroup(this.fgPgrp, SIG.HUP);
      this.host.signalGroup(this.fgPgrp, SIG.CONT);
    }
  }

  /** The master's sink has room again. */
  resumeOutput(): void {
    this.held = false;
    if (!this.stopped) this.writable.wake();
  }

  // ---- settings ----

  /** tcsetattr: TCSAFLUSH drops pending input (output is never queued here, so DRAIN is NOW). */
  setAttr(t: Termios, flush: boolean): void {
    const wasCanon = (this.termios.lflag & L.ICANON) !== 0;
    this.termios = copyTermios(t);
    this.readDeadline = null;
    const canon = (t.lflag & L.ICANON) !== 0;
    if (flush) this.flushInput();
    else if (wasCanon && !canon) {
      // Lines not yet read, then the line being edited, become raw input.
      for (const l of this.lines) this.raw.push(...l);
      this.raw.push(...this.edit);
      this.lines = [];
      this.edit = [];
    } else if (!wasCanon && canon) {
      const bytes = this.raw;
      this.raw = [];
      for (const b of bytes) {
        this.edit.push(b);
        if (b === 0x0a) {
          this.lines.push(Uint8Array.from(this.edit));
          this.edit = [];
        }
      }
    }
    if (!(t.iflag & I.IXON) && this.stopped) this.restart();
    this.readable.wake();
  }

  /** tcflush(TCIFLUSH). */
  flushInput(): void {
    this.lines = [];
    this.raw = [];
    this.edit = [];
    this.lnext = false;
    this.backlog = [];
    this.backlogBytes = 0;
    this.drained.wake();
  }

  // ---- slave side ----

  /** Whether `p` is in the session this terminal controls. */
  controls(p: Process): boolean {
    return this.session !== 0 && p.sid === this.session;
  }

  /** Job control for a read: SIGTTIN to a background group, or EIO. */
  private checkRead(p: Process | null): boolean {
    if (p === null || !this.controls(p) || this.fgPgrp === 0 || p.pgid === this.fgPgrp) return true;
    if (p.sig.ignores(SIG.TTIN) || (p.sig.mask & sigbit(SIG.TTIN)) !== 0 || this.host.orphaned(p.pgid)) fail(E.IO);
    this.host.signalGroup(p.pgid, SIG.TTIN);
    return false;
  }

  /** Job control for a write with TOSTOP: SIGTTOU to a background group (through when it is ignored or blocked). */
  checkWrite(p: Process | null): boolean {
    if (!(this.termios.lflag & L.TOSTOP)) return true;
    return this.checkTtou(p);
  }

  /** tcsetpgrp/tcsetattr from the background: SIGTTOU unless ignored or blocked. */
  checkTtou(p: Process | null): boolean {
    if (p === null || !this.controls(p) || this.fgPgrp === 0 || p.pgid === this.fgPgrp) return true;
    if (p.sig.ignores(SIG.TTOU) || (p.sig.mask & sigbit(SIG.TTOU)) !== 0) return true;
    this.host.signalGroup(p.pgid, SIG.TTOU);
    return false;
  }

  read(dst: Uint8Array): number {
    if (!this.checkRead(this.host.current())) return WOULD_BLOCK;
    if (dst.length === 0) return 0;
    const t = this.termios;
    if (t.lflag & L.ICANON) {
      const line = this.lines[0];
      if (line === undefined) return this.hung ? 0 : WOULD_BLOCK;
      const n = Math.min(dst.length, line.length);
      dst.set(line.subarray(0, n));
      if (n === line.length) this.lines.shift();
      else this.lines[0] = line.subarray(n);
      this.refill();
      return n;
    }
    const min = t.cc[V.MIN]!;
    const time = t.cc[V.TIME]! * 100;
    const avail = this.raw.length;
    const want = Math.min(min, dst.length);
    if (this.hung || (avail > 0 && avail >= want)) return this.takeRaw(dst);
    if (time === 0) return min === 0 ? 0 : WOULD_BLOCK;
    const now = Date.now();
    if (min === 0) {
      // A read timer: a byte, or 0 once TIME has passed.
      if (avail > 0) return this.takeRaw(dst);
      if (this.readDeadline === null) this.readDeadline = now + time;
      else if (now >= this.readDeadline) {
        this.readDeadline = null;
        return 0;
      }
      return WOULD_BLOCK;
    }
    // An inter-byte timer, started by the first byte.
    if (avail === 0) return WOULD_BLOCK;
    if (now - this.lastInputMs >= time) return this.takeRaw(dst);
    this.readDeadline = this.lastInputMs + time;
    return WOULD_BLOCK;
  }

  private takeRaw(dst: Uint8Array): number {
    this.readDeadline = null;
    const n = Math.min(dst.length, this.raw.length);
    for (let i = 0; i < n; i++) dst[i] = this.raw[i]!;
    this.raw.splice(0, n);
    this.refill();
    return n;
  }

  waitReadable(): Promise<void> {
    const w = this.readable.wait();
    const d = this.readDeadline;
    if (d === null) return w;
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, d - Date.now()) + 1);
      w.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** For poll: bytes a read would return now, or -1. */
  readReady(): number {
    if (this.hung) return 0;
    if (this.termios.lflag & L.ICANON) return this.lines.length > 0 ? this.lines[0]!.length : -1;
    return this.raw.length > 0 ? this.raw.length : -1;
  }

  write(src: Uint8Array, writer?: Process): number {
    if (this.hung) fail(E.IO);
    if (!this.checkWrite(writer ?? this.host.current())) return WOULD_BLOCK;
    if (this.stopped || this.held) return WOULD_BLOCK;
    if (src.length === 0) return 0;
    this.emit(src, false);
    return src.length;
  }

  writeReady(): boolean {
    return this.hung || !(this.stopped || this.held);
  }

  // ---- internals ----

  private restart(): void {
    this.stopped = false;
    if (!this.held) this.writable.wake();
  }

  /** A byte for the input queue (canonical: the edit line, a line end delivers it). */
  private store(c: number, echo: number[]): void {
    const t = this.termios;
    if (t.lflag & L.ICANON) {
      const eol = c === 0x0a || (t.cc[V.EOL] !== 0 && c === t.cc[V.EOL]) || (t.cc[V.EOL2] !== 0 && c === t.cc[V.EOL2]);
      if (!eol && this.queued() + this.edit.length >= MAX_INPUT - 1) return; // room for the end
      if (t.lflag & L.ECHO) this.echoChar(c, echo);
      else if (c === 0x0a && t.lflag & L.ECHONL) this.echoRaw(0x0a, echo);
      this.edit.push(c);
      if (eol) {
        this.lines.push(Uint8Array.from(this.edit));
        this.edit = [];
      }
      return;
    }
    if (this.raw.length >= MAX_INPUT) return;
    if (t.lflag & L.ECHO) this.echoChar(c, echo);
    this.raw.push(c);
  }

  /** The queue is full and a read will make room (a partial canonical line alone never waits: it is cut, as Linux's). */
  private full(): boolean {
    if (this.termios.lflag & L.ICANON) return this.lines.length > 0 && this.queued() + this.edit.length >= MAX_INPUT - 1;
    return this.raw.length >= MAX_INPUT;
  }

  /** After a read: what waited goes in now. */
  private refill(): void {
    if (this.backlog.length === 0) return;
    const all = this.backlog.length === 1 ? this.backlog[0]! : Buffer.concat(this.backlog);
    this.backlog = [];
    this.backlogBytes = 0;
    this.input(all);
    if (this.backlog.length === 0) this.drained.wake();
  }

  private queued(): number {
    let n = 0;
    for (const l of this.lines) n += l.length;
    return n;
  }

  /** Erase: 1 a character, 2 a word, 3 the line. */
  private erase(kind: number, echo: number[]): void {
    const t = this.termios;
    const visual = (t.lflag & L.ECHO) !== 0 && (t.lflag & L.ECHOE) !== 0;
    let seenWord = false;
    while (this.edit.length > 0) {
      // A whole UTF-8 character: continuation bytes go with their lead byte.
      let start = this.edit.length - 1;
      if (t.iflag & I.IUTF8) while (start > 0 && (this.edit[start]! & 0xc0) === 0x80) start--;
      const c = this.edit[start]!;
      if (kind === 2) {
        const space = c === 0x20 || c === 0x09;
        if (space && seenWord) break;
        if (!space) seenWord = true;
      }
      this.edit.length = start;
      if (visual) {
        const w = c < 0x20 || c === 0x7f ? (c === 0x09 ? 1 : t.lflag & L.ECHOCTL ? 2 : 0) : 1;
        for (let i = 0; i < w; i++) echo.push(0x08, 0x20, 0x08);
      } else if (t.lflag & L.ECHO && kind === 1) this.echoChar(t.cc[V.ERASE]!, echo);
      if (kind === 1) break;
    }
  }

  private echoRaw(c: number, echo: number[]): void {
    echo.push(c);
  }

  /** Echo of a typed character: control characters as ^X with ECHOCTL (not TAB, NL, START, STOP). */
  private echoChar(c: number, echo: number[]): void {
    const t = this.termios;
    if (t.lflag & L.ECHOCTL && (c < 0x20 || c === 0x7f) && c !== 0x09 && c !== 0x0a && c !== 0x11 && c !== 0x13) {
      echo.push(0x5e, c === 0x7f ? 0x3f : c + 0x40);
      return;
    }
    echo.push(c);
  }

  /** Output processing, then the sink. */
  private emit(src: Uint8Array, isEcho: boolean): void {
    const t = this.termios;
    let out = src;
    if ((t.oflag & (O.OPOST | O.OLCUC | O.OCRNL | O.ONOCR | O.ONLRET)) === O.OPOST) {
      // The common case (ONLCR or nothing): NL → CR NL by segments, the column roughly
      // (bytes since the last line end: ONOCR is the only user).
      if (t.oflag & O.ONLCR) out = onlcr(src);
      const end = Math.max(src.lastIndexOf(0x0a), src.lastIndexOf(0x0d));
      this.column = end >= 0 ? src.length - end - 1 : this.column + src.length;
    } else if (t.oflag & O.OPOST) {
      const o: number[] = [];
      for (let c of src) {
        if (t.oflag & O.OLCUC && c >= 0x61 && c <= 0x7a) c -= 0x20;
        if (c === 0x0a) {
          if (t.oflag & O.ONLCR) {
            o.push(0x0d, 0x0a);
            this.column = 0;
            continue;
          }
          if (t.oflag & O.ONLRET) this.column = 0;
        } else if (c === 0x0d) {
          if (t.oflag & O.ONOCR && this.column === 0) continue;
          if (t.oflag & O.OCRNL) {
            o.push(0x0a);
            if (t.oflag & O.ONLRET) this.column = 0;
            continue;
          }
          this.column = 0;
        } else if (c === 0x08) {
          if (this.column > 0) this.column--;
        } else if (c === 0x09) this.column = (this.column | 7) + 1;
        else if (c >= 0x20 && (c & 0xc0) !== 0x80) this.column++;
        o.push(c);
      }
      out = Uint8Array.from(o);
    }
    if (out.length === 0) return;
    if (this.sink(out) === false && !isEcho) this.held = true;
  }
}

/** NL → CR NL. */
function onlcr(src: Uint8Array): Uint8Array {
  let n = 0;
  for (let i = src.indexOf(0x0a); i >= 0; i = src.indexOf(0x0a, i + 1)) n++;
  if (n === 0) return src;
  const out = new Uint8Array(src.length + n);
  let from = 0;
  let to = 0;
  for (let i = src.indexOf(0x0a); i >= 0; i = src.indexOf(0x0a, i + 1)) {
    out.set(src.subarray(from, i), to);
    to += i - from;
    out[to++] = 0x0d;
    out[to++] = 0x0a;
    from = i + 1;
  }
  out.set(src.subarray(from), to);
  return out;
}

/** The slave end as an open-file description: a terminal (isatty() true). */
export class TtySlave extends OpenFile {
  readonly filetype = FILETYPE.CHARACTER_DEVICE;
  readonly tty: Tty;

  constructor(tty: Tty, readable: boolean, writable: boolean, flags: number) {
    super(readable, writable, flags);
    this.tty = tty;
    tty.slaves++;
  }
  override get isTerminal(): boolean {
    return true;
  }
  override read(dst: Uint8Array): number {
    if (!this.readable) fail(E.BADF);
    return this.tty.read(dst);
  }
  override write(src: Uint8Array, writer?: Process): number {
    if (!this.writable) fail(E.BADF);
    return this.tty.write(src, writer);
  }
  override waitReadable(): Promise<void> {
    return this.tty.waitReadable();
  }
  override waitWritable(): Promise<void> {
    return this.tty.writable.wait();
  }
  override readReady(): number {
    return this.tty.readReady();
  }
  override writeReady(): boolean {
    return this.tty.writeReady();
  }
  override hangup(): boolean {
    return this.tty.hungUp;
  }
  override stat(): Stat {
    return { ...streamStat(FILETYPE.CHARACTER_DEVICE), mode: 0o620 };
  }
  override close(): void {
    if (--this.tty.slaves === 0) this.tty.onSlavesClosed?.();
  }
}
