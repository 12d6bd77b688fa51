// iotop: I/O by process, as rates over each interval (from /proc/PID/io), busiest first.
//   iotop [-b] [-o] [-n ITERATIONS] [-d SECONDS] [-p PID] [-P]
// Columns: DISK READ / DISK WRITE are bytes per second through regular files (read_bytes,
// write_bytes: the storage kind); I/O READ / I/O WRITE all bytes (rchar, wchar: pipes,
// sockets, terminals and devices too). -o shows only processes doing I/O. A process whose
// io file the caller may not read (another user's, unless root) is left out, as on Linux.
// Full screen on a terminal unless -b; q quits.
import { allProcs, die, human, userName } from './lib/proc.ts';

const o = { batch: false, only: false, iterations: Infinity, delay: 1, pids: null as number[] | null };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!;
  const val = () => (a.length > 2 && !a.startsWith('--') ? a.slice(2) : argv[++i] ?? die('iotop', `option ${a} needs an argument`));
  if (a === '-b' || a === '--batch') o.batch = true;
  else if (a === '-o' || a === '--only') o.only = true;
  else if (a === '-P' || a === '--processes') continue;
  else if (a.startsWith('-n')) {
    o.iterations = Number(val());
    if (!(o.iterations >= 1)) die('iotop', 'bad iterations');
  } else if (a.startsWith('-d')) {
    o.delay = Number(val());
    if (!(o.delay > 0)) die('iotop', 'bad delay');
  } else if (a.startsWith('-p')) o.pids = [...(o.pids ?? []), ...val().split(',').map(Number)];
  else die('iotop', `unknown option ${a}\nusage: iotop [-b] [-o] [-n N] [-d SECONDS] [-p PID]`);
}
const out = process.stdout as typeof process.stdout & { isTTY?: boolean; rows?: number };
// A terminal, or TERM and LINES in the environment (the control socket's exec: top.ts).
const screen = !o.batch && (out.isTTY === true || (!!process.env.TERM && process.env.TERM !== 'dumb' && !!process.env.LINES));

type Io = { r: number; w: number; rc: number; wc: number };
let prev = new Map<number, Io>();
let prevAt = performance.now();
let n = 0;

function rate(b: number): string {
  return `${human(Math.max(0, Math.round(b))).replace(/([A-Z])$/, ' $1')}/s`.replace(/^(\d+)B\/s$/, '$1 B/s');
}

function frame(): void {
  const now = performance.now();
  const dt = Math.max(0.001, (now - prevAt) / 1000);
  const next = new Map<number, Io>();
  const rows: { pid: number; user: string; d: Io; cmd: string }[] = [];
  let tr = 0, tw = 0;
  for (const p of allProcs(true)) {
    if (p.io.rchar === undefined) continue; // not ours to read
    if (o.pids && !o.pids.includes(p.pid)) continue;
    const cur: Io = { r: p.io.read_bytes ?? 0, w: p.io.write_bytes ?? 0, rc: p.io.rchar ?? 0, wc: p.io.wchar ?? 0 };
    next.set(p.pid, cur);
    const b = prev.get(p.pid) ?? (n === 0 ? cur : { r: 0, w: 0, rc: 0, wc: 0 });
    const d: Io = { r: (cur.r - b.r) / dt, w: (cur.w - b.w) / dt, rc: (cur.rc - b.rc) / dt, wc: (cur.wc - b.wc) / dt };
    tr += d.r;
    tw += d.w;
    if (o.only && d.rc + d.wc === 0) continue;
    rows.push({ pid: p.pid, user: userName(p.uid), d, cmd: p.args.join(' ') || p.comm });
  }
  rows.sort((a, b) => b.d.rc + b.d.wc - (a.d.rc + a.d.wc) || a.pid - b.pid);
  prev = next;
  prevAt = now;
  const lines = [
    `Total DISK READ: ${rate(tr).padStart(12)} | Total DISK WRITE: ${rate(tw).padStart(12)}`,
    `${'PID'.padStart(7)}  ${'USER'.padEnd(8)} ${'DISK READ'.padStart(12)} ${'DISK WRITE'.padStart(12)} ${'I/O READ'.padStart(12)} ${'I/O WRITE'.padStart(12)}  COMMAND`,
  ];
  const room = screen ? Math.max(0, (Number(process.env.LINES) || out.rows || 24) - 3) : rows.length;
  for (const r of rows.slice(0, room)) {
    lines.push(`${String(r.pid).padStart(7)}  ${r.user.slice(0, 8).padEnd(8)} ${rate(r.d.r).padStart(12)} ${rate(r.d.w).padStart(12)} ` +
      `${rate(r.d.rc).padStart(12)} ${rate(r.d.wc).padStart(12)}  ${r.cmd}`);
  }
  process.stdout.write(screen ? '\x1b[H' + lines.map((l) => l + '\x1b[K').join('\n') + '\x1b[J' : lines.join('\n') + '\n');
  n++;
}

function quit(): void {
  if (screen) process.stdout.write('\x1b[?25h\x1b[?1049l');
  process.exit(0);
}

if (screen) {
  process.stdout.write('\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J');
  const stdin = process.stdin as typeof process.stdin & { setRawMode?: (on: boolean) => unknown };
  try {
    stdin.setRawMode?.(true);
  } catch { /* line mode */ }
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (s: string) => {
    if (s.includes('q') || s.includes('\x03')) quit();
  });
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, quit);
}
const tick = (): void => {
  frame();
  if (n < o.iterations) setTimeout(tick, o.delay * 1000);
  else if (screen) quit();
};
tick();
