// free: memory as procps's free shows it, from /proc/meminfo.
//   free [-b|-k|-m|-g|-h] [--si] [-t] [-s SECONDS] [-c COUNT]
// In isokernel, total and free are the host's (the kernel's processes live in the host's
// memory); "used" is total − free − buff/cache, as procps computes it. docs/tools.md.
import { die, human, meminfo } from './lib/proc.ts';

let unit = 1024, hum = false, totals = false, delay = 0, count = 1;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!;
  if (a === '-b' || a === '--bytes') unit = 1;
  else if (a === '-k' || a === '--kibi') unit = 1024;
  else if (a === '-m' || a === '--mebi') unit = 1024 ** 2;
  else if (a === '-g' || a === '--gibi') unit = 1024 ** 3;
  else if (a === '-h' || a === '--human') hum = true;
  else if (a === '-t' || a === '--total') totals = true;
  else if (a === '-s' || a === '-c') {
    const v = Number(argv[++i]);
    if (!(v > 0)) die('free', `${a} needs a positive number`);
    if (a === '-s') {
      delay = v;
      if (count === 1) count = Infinity;
    } else count = Math.floor(v);
  } else die('free', `unknown option ${a}\nusage: free [-b|-k|-m|-g|-h] [-t] [-s SECONDS] [-c COUNT]`);
}

function show(): void {
  const m = meminfo();
  const total = m.MemTotal ?? 0, free = m.MemFree ?? 0, cache = (m.Buffers ?? 0) + (m.Cached ?? 0) + (m.SReclaimable ?? 0);
  const used = Math.max(0, total - free - cache);
  const fmt = (b: number) => (hum ? human(b) : String(Math.floor(b / unit))).padStart(12);
  const lines = [
    `${''.padEnd(7)}${['total', 'used', 'free', 'shared', 'buff/cache', 'available'].map((h) => h.padStart(12)).join('')}`,
    `${'Mem:'.padEnd(7)}${[total, used, free, m.Shmem ?? 0, cache, m.MemAvailable ?? free].map(fmt).join('')}`,
    `${'Swap:'.padEnd(7)}${[m.SwapTotal ?? 0, 0, m.SwapFree ?? 0].map(fmt).join('')}`,
  ];
  if (totals) lines.push(`${'Total:'.padEnd(7)}${[total + (m.SwapTotal ?? 0), used, free + (m.SwapFree ?? 0)].map(fmt).join('')}`);
  process.stdout.write(lines.join('\n') + '\n');
}

let n = 0;
const tick = (): void => {
  show();
  if (++n < count) {
    process.stdout.write('\n');
    setTimeout(tick, delay * 1000);
  }
};
tick();
