// `isokernel service status [NAME] | start|stop|restart|reload NAME [--json] [--state DIR]`: init's
// services in the running kernel (control socket op `service`, forwarded to init); a table,
// or with --json the protocol's status objects.
import type { ServiceStatus } from '../image/init-channel.ts';
import { ControlClient, takeStateOption } from './control-client.ts';

const USAGE = 'usage: isokernel service status [NAME] [--json] [--state DIR]\n       isokernel service start|stop|restart|reload NAME [--json] [--state DIR]\n';

type Status = ServiceStatus;

function ago(ms: number): string {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600)}h`;
}

export function formatServices(list: Status[]): string {
  const rows = [['NAME', 'STATE', 'PID', 'RESTARTS', 'SINCE', 'LAST EXIT', '']];
  for (const s of list) {
    const last = s.lastExit ? (s.lastExit.signal ?? `status ${s.lastExit.code}`) : '-';
    rows.push([s.system ? `(${s.name})` : s.name, s.state, s.pid === null ? '-' : String(s.pid), String(s.restarts), ago(s.since), last, s.reason ?? '']);
  }
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}

export async function service(args: string[]): Promise<number> {
  const o = takeStateOption(args);
  if ('error' in o) {
    process.stderr.write(`isokernel service: ${o.error}\n${USAGE}`);
    return 2;
  }
  const json = o.rest.includes('--json');
  const [action, name, ...extra] = o.rest.filter((a) => a !== '--json');
  if (action === '-h' || action === '--help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!action || !['status', 'start', 'stop', 'restart', 'reload'].includes(action) || extra.length > 0 || (action !== 'status' && !name)) {
    process.stderr.write(USAGE);
    return 2;
  }
  let c: ControlClient;
  try {
    c = await ControlClient.connect(o.state);
  } catch (e) {
    process.stderr.write(`isokernel service: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    const r = await c.request('service', { action, ...(name ? { name } : {}) });
    const list = Array.isArray(r.services) ? (r.services as Status[]) : [];
    if (r.ok !== true) {
      process.stderr.write(`isokernel service: ${String(r.error)}\n`);
      if (list.length > 0) process.stderr.write(formatServices(list));
      return 1;
    }
    process.stdout.write(json ? JSON.stringify(list, null, 2) + '\n' : formatServices(list));
    // status NAME: 0 when it runs, 3 otherwise (as systemctl and LSB init scripts answer).
    if (action === 'status' && name) return list[0]?.state === 'running' ? 0 : 3;
    return 0;
  } catch (e) {
    process.stderr.write(`isokernel service: ${(e as Error).message}\n`);
    return 1;
  } finally {
    c.close();
  }
}
