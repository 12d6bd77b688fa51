// `isokernel exec [--state DIR] [--tty] PROGRAM [ARGS...]`: runs a program inside the running
// kernel (control socket op `exec`), with this process's stdin, stdout and stderr carried in
// frames; exits with the program's status. SIGINT, SIGTERM, SIGHUP and SIGQUIT here are sent
// to it. With --tty it runs on a kernel terminal: this terminal goes raw meanwhile (keys go
// as typed; ^C is SIGINT by the kernel's line discipline) and its size changes are sent. The host commands that are programs of the image (ps, top, free ...) go through this.
import { ControlClient, takeStateOption } from './control-client.ts';

const USAGE = 'usage: isokernel exec [--state DIR] [--tty] PROGRAM [ARGS...]\n';

/** Runs argv in the kernel of `state`; resolves with its status. */
export async function execRemote(state: string, argv: string[], o: { tty?: boolean } = {}): Promise<number> {
  const c = await ControlClient.connect(state);
  const tty = o.tty ? { rows: process.stdout.rows || 24, cols: process.stdout.columns || 80 } : undefined;
  const writes: Promise<void>[] = [];
  const out = (stream: NodeJS.WriteStream, data: Buffer): void => {
    writes.push(new Promise((r) => stream.write(data, () => r())));
  };
  const { id, done } = c.stream('exec', { argv, ...(tty ? { tty } : {}) }, (f) => {
    if (typeof f.data !== 'string') return;
    out(f.fd === 2 ? process.stderr : process.stdout, Buffer.from(f.data, 'base64'));
  });
  const onSig = (sig: NodeJS.Signals): void => c.send(id, { signal: sig });
  const sigs: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];
  for (const s of sigs) process.on(s, onSig);
  const onData = (b: Buffer): void => c.send(id, { fd: 0, data: b.toString('base64') });
  const onEnd = (): void => c.send(id, { fd: 0, eof: true });
  // stdin only when it is not a terminal or the program gets a tty: a plain `isokernel ps`
  // in a shell must not wait for the keyboard.
  const stdin = !process.stdin.isTTY || tty ? process.stdin : null;
  if (stdin) {
    stdin.on('data', onData);
    stdin.on('end', onEnd);
  } else onEnd();
  // With --tty the program has a kernel terminal, which edits and echoes: this terminal
  // passes keys as typed (raw), and its size changes follow.
  const raw = tty !== undefined && process.stdin.isTTY === true;
  if (raw) process.stdin.setRawMode(true);
  const onResize = (): void => c.send(id, { resize: { rows: process.stdout.rows || 24, cols: process.stdout.columns || 80 } });
  if (tty && process.stdout.isTTY) process.stdout.on('resize', onResize);
  try {
    const end = await done;
    await Promise.all(writes);
    if (end.ok === false) {
      process.stderr.write(`isokernel exec: ${String(end.error)}\n`);
      return 1;
    }
    return typeof end.status === 'number' ? end.status : 1;
  } finally {
    if (raw) process.stdin.setRawMode(false);
    process.stdout.off('resize', onResize);
    for (const s of sigs) process.off(s, onSig);
    if (stdin) {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.pause();
      stdin.unref?.();
    }
    c.close();
  }
}

export async function exec(args: string[]): Promise<number> {
  // Options come before the program: what follows it is the program's.
  let tty = false;
  let state: string | null = null;
  let i = 0;
  for (; i < args.length && args[i]!.startsWith('-'); i++) {
    const a = args[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (a === '--tty' || a === '-t') tty = true;
    else if (a === '--state') {
      state = args[++i] ?? null;
      if (state === null) {
        process.stderr.write(`isokernel exec: --state needs a directory\n${USAGE}`);
        return 2;
      }
    } else if (a.startsWith('--state=')) state = a.slice(8);
    else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE);
      return 0;
    } else {
      process.stderr.write(`isokernel exec: unknown option ${a}\n${USAGE}`);
      return 2;
    }
  }
  const rest = args.slice(i);
  if (rest.length === 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  const o = takeStateOption(state === null ? [] : ['--state', state]);
  if ('error' in o) return 2;
  try {
    return await execRemote(o.state, rest, { tty });
  } catch (e) {
    process.stderr.write(`isokernel exec: ${(e as Error).message}\n`);
    return 1;
  }
}
