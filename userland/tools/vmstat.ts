// vmstat: processes, memory, I/O, system and CPU, now and then every DELAY seconds.
//   vmstat [DELAY [COUNT]] [-n] [-w]
// The first line is since boot, as procps's; each later one covers the last DELAY seconds.
// In isokernel: r counts runnable processes (running, or waiting on the run queue); b is
// always 0 (nothing sleeps in disk I/O: hostfs I/O is synchronous); bi/bo are KiB/s read from
// and written to regular files; "in" is system calls per second (there are no interrupts);
// cs is context switches (sleeps) per second. docs/tools.md.
import { die, kstat, meminfo, type KStat, uptimeSeconds } from './lib/proc.ts';

const args = process.argv.slice(2).filter((a) => a !== '-n' && a !== '-w');
for (const a of args) if (!/^\d+$/.test(a)) die('vmstat', `bad argument ${a}\nusage: vmstat [DELAY [COUNT]]`);
const delay = args[0] !== undefined ? Number(args[0]) : 0;
if (args[0] !== undefined && delay === 0) die('vmstat', 'delay must be at least 1');
const count = args[1] !== undefined ? Number(args[1]) : delay > 0 ? Infinity : 1;

const head1 = 'procs -----------memory---------- ---swap-- -----io---- -system-- -------cpu-------';
const head2 = ' r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st gu';
process.stdout.write(head1 + '\n' + head2 + '\n');

let prev: { s: KStat; t: number } | null = null;
function line(): void {
  const s = kstat();
  const t = uptimeSeconds();
  const m = meminfo();
  const dt = prev ? Math.max(0.001, t - prev.t) : Math.max(0.001, t);
  const base = prev?.s;
  const d = (f: (k: KStat) => number) => f(s) - (base ? f(base) : 0);
  const fileR = (k: KStat) => k.io.file?.read ?? 0, fileW = (k: KStat) => k.io.file?.write ?? 0;
  const cu = d((k) => k.cpu.user), cs = d((k) => k.cpu.system), ci = d((k) => k.cpu.idle);
  const ctot = Math.max(1, cu + cs + ci);
  const pct = (x: number) => Math.round((x / ctot) * 100);
  const cells = [
    [s.running, 2], [s.blocked, 2], [0, 6], [Math.floor((m.MemFree ?? 0) / 1024), 6], [Math.floor((m.Buffers ?? 0) / 1024), 6],
    [Math.floor((m.Cached ?? 0) / 1024), 6], [0, 4], [0, 4], [Math.round(d(fileR) / 1024 / dt), 5], [Math.round(d(fileW) / 1024 / dt), 5],
    [Math.round(d((k) => k.syscalls) / dt), 4], [Math.round(d((k) => k.ctxt) / dt), 4],
    [pct(cu), 2], [pct(cs), 2], [pct(ci), 2], [0, 2], [0, 2], [0, 2],
  ] as const;
  process.stdout.write(cells.map(([v, w]) => String(v).padStart(w)).join(' ') + '\n');
  prev = { s, t };
}

let n = 0;
const tick = (): void => {
  line();
  if (++n < count) setTimeout(tick, delay * 1000);
};
tick();
