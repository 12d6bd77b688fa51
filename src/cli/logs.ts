// `isokernel logs [--state DIR] [-f] [-n N] [SERVICE]`: the running image's log lines
// (/var/log, as syslogd wrote them), through the control socket's `logs` op
// (src/image/logs-op.ts; docs/logging.md, "isokernel logs"). -f follows new lines until
// interrupted; -n N prints the last N lines (from rotated files too when needed). With no
// kernel running, the files are read from STATE/var/log directly (no -f).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { lines, type LogReadFn, readLastLines } from '../image/log-files.ts';
import { ControlClient, ControlClientError, takeStateOption } from './control-client.ts';

const USAGE = 'usage: isokernel logs [--state DIR] [-f] [-n N] [SERVICE]\n';

export interface LogsArgs {
  follow: boolean;
  n?: number;
  service?: string;
}

/** Parses logs' arguments (after --state was taken out); a string is the error. */
export function parseLogsArgs(args: string[]): LogsArgs | string {
  const o: LogsArgs = { follow: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-f' || a === '--follow') o.follow = true;
    else if (a === '-n' || a === '--lines' || /^-n\d+$/.test(a) || a.startsWith('--lines=')) {
      const v = a === '-n' || a === '--lines' ? args[++i] : a.startsWith('--lines=') ? a.slice(8) : a.slice(2);
      if (v === undefined || !/^\d{1,7}$/.test(v)) return `-n needs a number of lines (got ${v === undefined ? 'nothing' : `'${v}'`})`;
      o.n = Number(v);
    } else if (a === '-fn' && args[i + 1] !== undefined) {
      o.follow = true;
      const v = args[++i]!;
      if (!/^\d{1,7}$/.test(v)) return `-n needs a number of lines (got '${v}')`;
      o.n = Number(v);
    } else if (a === '-h' || a === '--help') return 'help';
    else if (a.startsWith('-') && a !== '-') return `unknown option '${a}'`;
    else if (o.service !== undefined) return `one service at most (got '${o.service}' and '${a}')`;
    else o.service = a;
  }
  return o;
}

export async function logs(argv: string[]): Promise<number> {
  const st = takeStateOption(argv);
  if ('error' in st) {
    process.stderr.write(`isokernel logs: ${st.error}\n${USAGE}`);
    return 2;
  }
  const o = parseLogsArgs(st.rest);
  if (o === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (typeof o === 'string') {
    process.stderr.write(`isokernel logs: ${o}\n${USAGE}`);
    return 2;
  }
  let c: ControlClient;
  try {
    c = await ControlClient.connect(st.state);
  } catch (e) {
    const dir = path.join(path.resolve(st.state), 'var', 'log');
    if (e instanceof ControlClientError && e.code === 'ECONTROL_NOSOCK' && !o.follow && existsSync(dir)) return local(dir, o);
    process.stderr.write(`isokernel logs: ${(e as Error).message}\n`);
    return 1;
  }
  const onInt = (): void => c.close();
  process.once('SIGINT', onInt);
  try {
    const r = c.stream('logs', { ...(o.service ? { service: o.service } : {}), ...(o.n !== undefined ? { n: o.n } : {}), follow: o.follow }, (f) => {
      if (f.fd === 1 && typeof f.text === 'string') process.stdout.write(f.text);
    });
    const end = await r.done;
    if (end.ok === false || typeof end.error === 'string') {
      process.stderr.write(`isokernel logs: ${String(end.error)}\n`);
      return 1;
    }
    return typeof end.status === 'number' ? end.status : 0;
  } catch (e) {
    // -f ends with ^C: the connection closed under us.
    if (o.follow) return 0;
    process.stderr.write(`isokernel logs: ${(e as Error).message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onInt);
    c.close();
  }
}

/**
 * No kernel running: STATE/var/log read on the host. Without the image's manifest the file
 * is found by name: SERVICE.log, else the first of messages.log, all.log and the other
 * *.log files with a line of SERVICE; without a service, messages.log, all.log, or the first.
 */
function local(dir: string, o: LogsArgs): number {
  const read: LogReadFn = (p, to = Infinity) => {
    try {
      const b = readFileSync(p);
      return to < b.length ? b.subarray(0, to) : b;
    } catch {
      return null;
    }
  };
  const names = readdirSync(dir).filter((n) => n.endsWith('.log')).map((n) => n.slice(0, -4)).sort();
  const ordered = [...['messages', 'all'].filter((n) => names.includes(n)), ...names.filter((n) => n !== 'messages' && n !== 'all')];
  let name: string | undefined;
  if (o.service === undefined) name = ordered[0];
  else if (names.includes(o.service)) name = o.service;
  else {
    name = ordered.find((n) => {
      const b = read(path.join(dir, `${n}.log`));
      return b !== null && lines(Buffer.from(b).toString(), o.service).whole.length > 0;
    });
  }
  if (name === undefined) {
    process.stderr.write(`isokernel logs: no kernel is running and ${dir} has no log${o.service ? ` with lines of ${o.service}` : ''}\n`);
    return 1;
  }
  process.stderr.write(`isokernel logs: no kernel is running; reading ${path.join(dir, `${name}.log`)}\n`);
  if (o.n === undefined) {
    // Without -n: the current file only, as with a running kernel.
    const cur = read(path.join(dir, `${name}.log`));
    const whole = cur ? lines(Buffer.from(cur).toString(), o.service).whole : [];
    process.stdout.write(whole.map((l) => l + '\n').join(''));
    return 0;
  }
  process.stdout.write(readLastLines(read, dir, name, o.service, o.n).map((l) => l + '\n').join(''));
  return 0;
}
