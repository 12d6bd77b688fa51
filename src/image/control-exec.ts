// The control socket's `exec` op: runs a program inside the running kernel for a host
// command (`isokernel ps ARGS` once /bin/ps exists, `top`, `free`, `strace -p` ...), with
// its stdio carried in frames (docs/services.md, "Control socket").
//
//   request  { id, op: 'exec', argv: [...], env?: {K: V} | ['K=V'], cwd?, uid?, gid?,
//              tty?: { rows, cols } }
//   client → { id, fd: 0, data: BASE64 } | { id, fd: 0, eof: true } | { id, signal: 'SIGINT' }
//            | { id, resize: { rows, cols } }
//   server → { id, fd: 1|2, data: BASE64 } ... then { id, end: true, status, code, signal }
//
// argv[0] is searched in PATH (the request's, else /bin:/usr/bin:/sbin). The process is a
// child of no one (ppid 0: the kernel reaps it) in a session of its own. `tty` gives the
// program TERM, LINES and COLUMNS and a kernel terminal as stdin, stdout and stderr
// (control-exec-tty.ts: line discipline, window size from `resize` frames, isatty() true,
// output in fd 1 frames). When the client goes away
// the process gets SIGHUP, then SIGKILL a second later. `status` is the shell's ($?: 128+N
// for signal N); 127 when the program is not found, 126 when it cannot run.
import { SIG } from '../abi/signals.ts';
import { errnoName } from '../abi/wasi.ts';
import { SysError } from '../kernel/errors.ts';
import type { Process } from '../kernel/proc/process.ts';
import { type ControlContext, registerControlOp } from './control.ts';
import { closeEnd, drain, hostReadPipe, hostWritePipe, writeAll } from './host-pipe.ts';
import { execOnTerminal } from './control-exec-tty.ts';

const DEFAULT_PATH = '/bin:/usr/bin:/sbin';
/** stdin bytes received and not yet in the program's pipe, above which the client waits. */
const STDIN_HIGH_WATER = 1 << 20;

function strings(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw new Error(`exec: ${what} must be an array of strings`);
  return v as string[];
}

function envList(v: unknown): string[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return strings(v, 'env');
  if (typeof v !== 'object' || v === null) throw new Error('exec: env must be an object or an array of "K=V"');
  return Object.entries(v as Record<string, unknown>).map(([k, x]) => {
    if (typeof x !== 'string') throw new Error(`exec: env ${k} must be a string`);
    return `${k}=${x}`;
  });
}

function id(v: unknown, what: string): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0x7fffffff) throw new Error(`exec: ${what} must be an id (a non-negative integer)`);
  return v;
}

function size(v: unknown): { rows: number; cols: number } | null {
  if (v === undefined || v === null || v === false) return null;
  const t = v as { rows?: unknown; cols?: unknown };
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0 && n < 10000;
  if (typeof v !== 'object' || !ok(t.rows) || !ok(t.cols)) throw new Error('exec: tty must be { rows, cols } (positive integers)');
  return { rows: t.rows, cols: t.cols };
}

async function exec(req: Record<string, unknown>, ctx: ControlContext): Promise<void> {
  const argv = strings(req.argv, 'argv');
  if (argv.length === 0 || argv[0] === '') throw new Error('exec: argv must name a program');
  const env = envList(req.env);
  const tty = size(req.tty);
  const cwd = req.cwd === undefined ? '/' : typeof req.cwd === 'string' ? req.cwd : (() => { throw new Error('exec: cwd must be a string'); })();
  const uid = id(req.uid, 'uid');
  const gid = id(req.gid, 'gid');
  const has = (k: string): boolean => env.some((e) => e.startsWith(`${k}=`));
  if (!has('PATH')) env.push(`PATH=${DEFAULT_PATH}`);
  if (!has('HOME')) env.push('HOME=/');
  if (tty) {
    if (!has('TERM')) env.push('TERM=xterm-256color');
    env.push(`LINES=${tty.rows}`, `COLUMNS=${tty.cols}`);
  }
  const pathVar = env.findLast((e) => e.startsWith('PATH='))!.slice(5);

  const k = ctx.kernel;
  let target;
  try {
    target = await k.findProgram(argv[0]!, [...argv], argv[0]!.includes('/') ? null : pathVar);
  } catch (e) {
    const code = e instanceof SysError ? errnoName(e.errno) : (e as Error).message;
    const status = e instanceof SysError && errnoName(e.errno) === 'ENOENT' ? 127 : 126;
    ctx.send({ fd: 2, data: Buffer.from(`${argv[0]}: ${code === 'ENOENT' ? 'not found' : code}\n`).toString('base64') });
    ctx.end(status, { code: status, signal: null });
    return;
  }
  // A terminal: the program runs on a kernel terminal fed by the frames (control-exec-tty.ts).
  if (tty) return execOnTerminal(ctx, target, { env, cwd, uid, gid, rows: tty.rows, cols: tty.cols });
  const stdin = hostWritePipe();
  const stdout = hostReadPipe();
  const stderr = tty ? null : hostReadPipe();
  let p: Process;
  try {
    p = k.spawn({
      program: target.program, args: target.argv, env, cwd, uid, gid,
      stdio: [stdin.guest, stdout.guest, stderr ? stderr.guest : stdout.guest],
    });
  } catch (e) {
    for (const end of [stdin.host, stdout.host, stdin.guest, stdout.guest, ...(stderr ? [stderr.host, stderr.guest] : [])]) closeEnd(end);
    throw e;
  }
  // A session of its own: a signal from the client reaches it and whatever it starts.
  p.sid = p.pid;
  p.pgid = p.pid;

  // stdin in order; past 1 MiB not yet taken by the program, the client is held back.
  let inputs = Promise.resolve();
  let pending = 0;
  let holding = false;
  ctx.onFrame((f) => {
    if (f.fd === 0 && typeof f.data === 'string') {
      const data = Buffer.from(f.data, 'base64');
      pending += data.length;
      if (!holding && pending > STDIN_HIGH_WATER) {
        holding = true;
        ctx.holdInput(true);
      }
      inputs = inputs.then(() => writeAll(stdin.host, data)).catch(() => { /* no reader any more */ }).then(() => {
        pending -= data.length;
        if (holding && pending <= STDIN_HIGH_WATER / 2) {
          holding = false;
          ctx.holdInput(false);
        }
      });
    } else if (f.fd === 0 && f.eof === true) {
      inputs = inputs.then(() => closeEnd(stdin.host));
    } else if (typeof f.signal === 'string' || typeof f.signal === 'number') {
      const n = typeof f.signal === 'number' ? f.signal : SIG[f.signal.replace(/^SIG/, '') as keyof typeof SIG];
      if (n !== undefined) {
        for (const q of k.procs.values()) {
          if (q.pgid === p.pgid && !q.exitStatus) k.signal(q, n);
        }
      }
    }
  });
  const hangup = (): void => {
    if (p.exitStatus) return;
    try {
      k.kill(p.pid, SIG.HUP);
    } catch { /* gone */ }
    setTimeout(() => {
      if (!p.exitStatus) k.kill(p.pid, SIG.KILL);
    }, 1000).unref();
  };
  ctx.signal.addEventListener('abort', hangup, { once: true });

  // Output as fast as the client takes it: a slow client makes the program wait on its pipe.
  const forward = (fd: number) => (b: Uint8Array): Promise<void> => {
    ctx.send({ fd, data: Buffer.from(b).toString('base64') });
    return ctx.writable();
  };
  const out = drain(stdout.host, forward(1));
  const err = stderr ? drain(stderr.host, forward(2)) : Promise.resolve();
  const st = await p.exited;
  closeEnd(stdin.host);
  // What it wrote is read to the end; but something it left running may keep the pipes open:
  // once they have been empty for 2 s after the exit, the request ends.
  const drained = Promise.all([out, err]).then(() => true);
  for (;;) {
    const done = await Promise.race([drained, new Promise<false>((r) => setTimeout(() => r(false), 2000).unref())]);
    if (done || (stdout.host.pipe.size === 0 && (stderr?.host.pipe.size ?? 0) === 0)) break;
  }
  closeEnd(stdout.host);
  if (stderr) closeEnd(stderr.host);
  ctx.signal.removeEventListener('abort', hangup);
  let sigName: string | null = null;
  if (st.signal !== null) sigName = `SIG${Object.entries(SIG).find(([, n]) => n === st.signal)?.[0] ?? st.signal}`;
  ctx.end(st.status, { code: st.code, signal: sigName });
}

registerControlOp('exec', exec);
