// The host's own terminal as the master of a kernel terminal (`isokernel run` with stdin a
// terminal): the host terminal goes into raw mode, so every key reaches the kernel's line
// discipline as typed (^C included: the line discipline makes it SIGINT for the foreground
// group); what the kernel terminal outputs is written to the host terminal; the host's
// SIGWINCH (Node's 'resize' on the output stream) becomes the kernel terminal's window size.
// The host's own output processing is turned off (stty -opost), as the kernel terminal
// does it. stop() puts the host terminal back in its mode, also when the host process exits.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import tty from 'node:tty';
import type { Kernel } from '../kernel.ts';
import { createTerminal } from './kernel-tty.ts';
import type { Tty } from './tty.ts';

export class HostTerminal {
  readonly tty: Tty;
  /** Host fds that are terminals (the guest gets the kernel terminal for these). */
  readonly ttyFds: ReadonlySet<number>;
  private readonly outFd: number;
  private readonly input: tty.ReadStream;
  private readonly size: tty.WriteStream | null;
  private pending: Buffer[] = [];
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly restore = (): void => this.stop();
  private readonly onData = (b: Buffer): void => {
    this.tty.input(b);
    // A paste larger than the kernel terminal's queue: the host terminal waits (its own
    // buffer fills and its writer blocks) until the program has read the backlog in.
    if (this.tty.backlogBytes > 0 && !this.input.isPaused()) {
      this.input.pause();
      void this.tty.drained.wait().then(() => {
        if (!this.stopped) this.input.resume();
      });
    }
  };
  private readonly onEnd = (): void => this.tty.hangup();
  private readonly onResize = (): void => {
    const [cols, rows] = this.size!.getWindowSize();
    if (rows > 0 && cols > 0) this.tty.resize(rows, cols);
  };

  /**
   * Whether `isokernel run` should make one: the host's stdin is a terminal and this process
   * is in its foreground (from the background, changing the terminal's mode would stop us
   * with SIGTTOU, or change it under the foreground job: keys are then left to that job).
   */
  static wanted(): boolean {
    if (!tty.isatty(0)) return false;
    try {
      // /proc/self/stat: "pid (comm) state ppid pgrp session tty_nr tpgid ..."
      const st = fs.readFileSync('/proc/self/stat', 'latin1');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      const pgrp = Number(f[2]);
      const tpgid = Number(f[5]);
      return !(tpgid > 0 && pgrp !== tpgid);
    } catch {
      return true; // no procfs: assume the foreground
    }
  }

  constructor(kernel: Kernel) {
    const fds = new Set<number>([0]);
    for (const fd of [1, 2]) if (tty.isatty(fd)) fds.add(fd);
    this.ttyFds = fds;
    this.outFd = fds.has(1) ? 1 : fds.has(2) ? 2 : 0;
    this.size = this.outFd === 1 ? process.stdout as tty.WriteStream : this.outFd === 2 ? process.stderr as tty.WriteStream : null;
    let rows = 24;
    let cols = 80;
    if (this.size) [cols, rows] = this.size.getWindowSize();
    this.tty = createTerminal(kernel, { rows: rows || 24, cols: cols || 80, output: (b) => this.write(b) });
    this.input = process.stdin as tty.ReadStream;
  }

  start(): void {
    this.input.setRawMode(true);
    // libuv's raw mode keeps the host's output processing (NL → CR NL), which the kernel
    // terminal already does: turned off here (setRawMode(false) restores the saved mode).
    spawnSync('stty', ['-opost'], { stdio: [0, 'ignore', 'ignore'], timeout: 2000 });
    process.once('exit', this.restore);
    this.input.on('data', this.onData);
    this.input.on('end', this.onEnd);
    this.input.resume();
    this.size?.on('resize', this.onResize);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    process.off('exit', this.restore);
    this.flush();
    try {
      this.input.setRawMode(false);
    } catch { /* the terminal has gone */ }
    this.input.off('data', this.onData);
    this.input.off('end', this.onEnd);
    this.input.pause();
    this.size?.off('resize', this.onResize);
    if (this.retry) clearTimeout(this.retry);
  }

  /** The kernel terminal's output: written now, or queued (false holds writers) while the host terminal is full. */
  private write(b: Uint8Array): boolean {
    this.pending.push(Buffer.from(b));
    this.flush();
    if (this.pending.length === 0) return true;
    this.retry ??= setTimeout(() => {
      this.retry = null;
      this.flush();
      if (this.pending.length === 0) this.tty.resumeOutput();
      else this.write(new Uint8Array(0));
    }, 5);
    return false;
  }

  private flush(): void {
    while (this.pending.length > 0) {
      const b = this.pending[0]!;
      let n: number;
      try {
        n = fs.writeSync(this.outFd, b);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') return;
        this.pending = []; // the terminal has gone: output is lost, as on a hung-up line
        return;
      }
      if (n < b.length) this.pending[0] = b.subarray(n);
      else this.pending.shift();
    }
  }
}
