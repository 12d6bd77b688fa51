// iostat: CPU and I/O by "device", now and every INTERVAL seconds.
//   iostat [-c] [-d] [-k|-m] [INTERVAL [COUNT]]
// A device in isokernel is a mount (/proc/stat's mountio lines): its read and write calls
// and bytes through regular files and devices opened on it. %iowait is always 0.
import { die, kstat, type KStat, uptimeSeconds } from './lib/proc.ts';

let showCpu = true, showDev = true, unit = 1024, unitName = 'kB';
const nums: number[] = [];
for (const a of process.argv.slice(2)) {
  if (a === '-c') showDev = false;
  else if (a === '-d') showCpu = false;
  else if (a === '-k') (unit = 1024), (unitName = 'kB');
  else if (a === '-m') (unit = 1024 * 1024), (unitName = 'MB');
  else if (/^\d+$/.test(a)) nums.push(Number(a));
  else die('iostat', `unknown option ${a}\nusage: iostat [-c] [-d] [-k|-m] [INTERVAL [COUNT]]`);
}
const interval = nums[0] ?? 0;
if (nums.length > 0 && interval === 0) die('iostat', 'interval must be at least 1');
const count = nums[1] ?? (interval > 0 ? Infinity : 1);

let prev: { s: KStat; t: number } | null = null;
function report(): void {
  const s = kstat();
  const t = uptimeSeconds();
  const dt = prev ? Math.max(0.001, t - prev.t) : Math.max(0.001, t);
  const out: string[] = [];
  if (showCpu) {
    const b = prev?.s.cpu;
    const u = s.cpu.user - (b?.user ?? 0), sy = s.cpu.system - (b?.system ?? 0), id = s.cpu.idle - (b?.idle ?? 0);
    const tot = Math.max(1, u + sy + id);
    const p = (x: number) => ((x / tot) * 100).toFixed(2).padStart(8);
    out.push('avg-cpu:  %user   %nice %system %iowait  %steal   %idle', `        ${p(u)}${p(0)}${p(sy)}${p(0)}${p(0)}${p(id)}`, '');
  }
  if (showDev) {
    out.push(`${'Device'.padEnd(16)}${'tps'.padStart(9)}${`${unitName}_read/s`.padStart(13)}${`${unitName}_wrtn/s`.padStart(13)}${`${unitName}_read`.padStart(12)}${`${unitName}_wrtn`.padStart(12)}`);
    for (const m of s.mounts) {
      const o = prev?.s.mounts.find((x) => x.path === m.path);
      const ops = m.reads + m.writes - (o ? o.reads + o.writes : 0);
      const r = m.readBytes - (o?.readBytes ?? 0), w = m.writeBytes - (o?.writeBytes ?? 0);
      out.push(`${m.path.padEnd(16)}${(ops / dt).toFixed(2).padStart(9)}${(r / unit / dt).toFixed(2).padStart(13)}${(w / unit / dt).toFixed(2).padStart(13)}` +
        `${String(Math.floor(r / unit)).padStart(12)}${String(Math.floor(w / unit)).padStart(12)}`);
    }
    out.push('');
  }
  process.stdout.write(out.join('\n') + '\n');
  prev = { s, t };
}

let n = 0;
const tick = (): void => {
  report();
  if (++n < count) setTimeout(tick, interval * 1000);
};
tick();
