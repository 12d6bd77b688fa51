// `isokernel ps [--state DIR]`: the running kernel's processes, through the control socket.
// When the image has /bin/ps (ACCT's userland), `isokernel ps ARGS` is `exec /bin/ps ARGS`
// inside the kernel; until then this prints the kernel's table itself.
import type { PsEntry } from '../image/control.ts';
import { ControlClient, ControlClientError, takeStateOption } from './control-client.ts';
import { execRemote } from './exec.ts';

const USAGE = 'usage: isokernel ps [--state DIR] [PS-ARGS...]\n';

function fmtTime(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function fmtStart(ms: number): string {
  const d = new Date(ms);
  return Date.now() - ms < 86_400_000 ? d.toISOString().slice(11, 19) : d.toISOString().slice(0, 10);
}

function fmtMem(b: number): string {
  return b === 0 ? '-' : b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)}M` : `${Math.round(b / 1024)}K`;
}

export function formatPs(list: PsEntry[]): string {
  const rows = [['PID', 'PPID', 'UID', 'S', 'START', 'TIME', 'MEM', 'COMMAND']];
  for (const p of list) {
    rows.push([String(p.pid), String(p.ppid), String(p.uid), p.state, fmtStart(p.start), fmtTime(p.cpuMs), fmtMem(p.memBytes), p.argv.join(' ')]);
  }
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : i === 3 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join(' ')).join('\n') + '\n';
}

export async function ps(args: string[]): Promise<number> {
  const o = takeStateOption(args);
  if ('error' in o) {
    process.stderr.write(`isokernel ps: ${o.error}\n${USAGE}`);
    return 2;
  }
  if (o.rest.includes('-h') || o.rest.includes('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  let c: ControlClient;
  try {
    c = await ControlClient.connect(o.state);
  } catch (e) {
    process.stderr.write(`isokernel ps: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    // The image's own ps, when it has one, gets the arguments.
    const probe = await c.request('exec', { argv: ['/bin/test', '-x', '/bin/ps'] }).catch(() => null);
    if (probe && probe.status === 0) {
      c.close();
      return execRemote(o.state, ['/bin/ps', ...o.rest]);
    }
    if (o.rest.length > 0) {
      process.stderr.write(`isokernel ps: this image has no /bin/ps for the arguments ${o.rest.join(' ')}\n`);
      return 2;
    }
    const r = await c.request('ps');
    if (r.ok !== true) throw new Error(String(r.error));
    process.stdout.write(formatPs(r.processes as PsEntry[]));
    return 0;
  } catch (e) {
    process.stderr.write(`isokernel ps: ${e instanceof ControlClientError ? e.message : (e as Error).message}\n`);
    return 1;
  } finally {
    c.close();
  }
}
