// `isokernel sar [--state DIR] [SAR-ARGS...]`: sysstat's sar for a booted image (docs/tools.md).
// History reports read STATE/sa.db here, in this process, read-only — whether the image runs
// or not (the database is in WAL mode: readers never block the collector), so a long report
// costs the kernel nothing; `-f FILE` reads another activity database. Live reports
// (`sar 1 5`) need the running kernel's counters: they run there, through the control
// socket's `sar` op.
import path from 'node:path';
import { isLiveReport, SarSession, runSession, type SarSource } from '../metrics/sar.ts';
import { SaStore } from '../metrics/store.ts';
import { ControlClient, ControlClientError, takeStateOption } from './control-client.ts';

const USAGE = 'usage: isokernel sar [--state DIR] [-f FILE] [SAR-OPTIONS] [INTERVAL [COUNT]]   (isokernel sar -h: the options)\n';

const write = (fd: 1 | 2, text: string): void => {
  (fd === 1 ? process.stdout : process.stderr).write(text);
};

/** Reads a database file for one report; the store stays open until the report is done. */
function fileSource(stores: SaStore[]): SarSource['openFile'] {
  return (file) => {
    const s = new SaStore(file, { readOnly: true });
    stores.push(s);
    return (from, to, devices, limit) => s.range(from, to, { devices, limit });
  };
}

async function local(args: string[], state: string): Promise<number> {
  const stores: SaStore[] = [];
  const open = fileSource(stores)!;
  const src: SarSource = { openFile: open };
  const db = path.join(path.resolve(state), 'sa.db');
  src.history = (from, to, devices, limit) => open(db)(from, to, devices, limit);
  const ac = new AbortController();
  const onInt = (): void => ac.abort();
  process.once('SIGINT', onInt);
  try {
    return await runSession(new SarSession(args, src), write, ac.signal);
  } finally {
    process.off('SIGINT', onInt);
    for (const s of stores) s.close();
  }
}

async function remote(c: ControlClient, args: string[]): Promise<number> {
  let id = -1;
  const onInt = (): void => {
    if (id >= 0) c.send(id, { signal: 'SIGINT' });
  };
  process.on('SIGINT', onInt);
  try {
    const r = c.stream('sar', { args }, (f) => {
      if ((f.fd === 1 || f.fd === 2) && typeof f.text === 'string') write(f.fd, f.text);
    });
    id = r.id;
    const end = await r.done;
    if (end.ok === false) {
      process.stderr.write(`isokernel sar: ${String(end.error)}\n`);
      return 1;
    }
    return typeof end.status === 'number' ? end.status : 1;
  } finally {
    process.off('SIGINT', onInt);
    c.close();
  }
}

export async function sar(argv: string[]): Promise<number> {
  const o = takeStateOption(argv);
  if ('error' in o) {
    process.stderr.write(`isokernel sar: ${o.error}\n${USAGE}`);
    return 2;
  }
  const args = o.rest;
  if (!isLiveReport(args)) return local(args, o.state);
  let c: ControlClient;
  try {
    c = await ControlClient.connect(o.state);
  } catch (e) {
    if (e instanceof ControlClientError && e.code === 'ECONTROL_NOSOCK') return local(args, o.state);
    process.stderr.write(`isokernel sar: ${(e as Error).message}\n`);
    return 1;
  }
  return remote(c, args);
}
