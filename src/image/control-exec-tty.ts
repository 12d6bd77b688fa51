// The control socket's `exec` with `tty: { rows, cols }` (control-exec.ts): the program runs
// on a kernel terminal (tty/tty.ts) whose master is the request's frames — stdin frames are
// typed keys (through the line discipline: ^C is SIGINT to the foreground group, echo,
// line editing), output comes back as fd 1 frames, `resize` frames set the window size
// (SIGWINCH), `signal` frames go to the terminal's foreground group, stdin EOF is typed as
// the terminal's EOF character (^D), as `script` does. The program leads a session of its own
// whose controlling terminal it is. When the program ends the terminal hangs up (SIGHUP to
// what is left in its foreground); when the client goes away, that happens at once and
// SIGKILL follows a second later if the program is still there.
import { SIG } from '../abi/signals.ts';
import type { ExecTarget } from '../kernel/proc/exec.ts';
import { createTerminal, releaseTerminal, spawnOnTerminal } from '../kernel/tty/kernel-tty.ts';
import { V } from '../kernel/tty/termios.ts';
import type { ControlContext } from './control.ts';

export interface TtyExecOptions {
  env: string[];
  cwd: string;
  uid: number;
  gid: number;
  rows: number;
  cols: number;
}

const BACKLOG_HIGH_WATER = 1 << 20;
const validSize = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0 && n < 10000;

export async function execOnTerminal(ctx: ControlContext, target: ExecTarget, o: TtyExecOptions): Promise<void> {
  const k = ctx.kernel;
  const tty = createTerminal(k, {
    rows: o.rows, cols: o.cols,
    output: (b) => {
      ctx.send({ fd: 1, data: Buffer.from(b).toString('base64') });
      // Writers wait for the connection to take it (a slow client slows the program).
      ctx.writable().then(() => tty.resumeOutput(), () => tty.resumeOutput());
      return false;
    },
  });
  const p = spawnOnTerminal(k, tty, { program: target.program, args: target.argv, env: o.env, cwd: o.cwd, uid: o.uid, gid: o.gid });

  // Input the terminal's queue cannot take yet waits in its backlog; past 1 MiB of it the
  // client is held back until the program has read it in.
  let holding = false;
  const typed = (b: Uint8Array): void => {
    tty.input(b);
    if (!holding && tty.backlogBytes > BACKLOG_HIGH_WATER) {
      holding = true;
      ctx.holdInput(true);
      void tty.drained.wait().then(() => {
        holding = false;
        ctx.holdInput(false);
      });
    }
  };
  ctx.onFrame((f) => {
    if (f.fd === 0 && typeof f.data === 'string') typed(Buffer.from(f.data, 'base64'));
    else if (f.fd === 0 && f.eof === true) {
      const eof = tty.termios.cc[V.EOF] ?? 4;
      if (eof !== 0) typed(Uint8Array.of(eof));
    } else if (typeof f.signal === 'string' || typeof f.signal === 'number') {
      const n = typeof f.signal === 'number' ? f.signal : SIG[f.signal.replace(/^SIG/, '') as keyof typeof SIG];
      const pgid = tty.fgPgrp || p.pgid;
      if (n !== undefined) for (const q of k.procs.values()) if (q.pgid === pgid && !q.exitStatus) k.signal(q, n);
    } else if (typeof f.resize === 'object' && f.resize !== null) {
      const r = f.resize as { rows?: unknown; cols?: unknown };
      if (validSize(r.rows) && validSize(r.cols)) tty.resize(r.rows, r.cols);
    }
  });
  const hangup = (): void => {
    tty.hangup();
    setTimeout(() => {
      if (!p.exitStatus) k.kill(p.pid, SIG.KILL);
    }, 1000).unref();
  };
  ctx.signal.addEventListener('abort', hangup, { once: true });
  const st = await p.exited;
  ctx.signal.removeEventListener('abort', hangup);
  tty.hangup();
  releaseTerminal(k, tty);
  let sigName: string | null = null;
  if (st.signal !== null) sigName = `SIG${Object.entries(SIG).find(([, n]) => n === st.signal)?.[0] ?? st.signal}`;
  ctx.end(st.status, { code: st.code, signal: sigName });
}
