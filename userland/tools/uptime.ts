// uptime: the time, how long the kernel has run, and the load averages (/proc/uptime, /proc/loadavg).
//   uptime [-p|--pretty] [-s|--since]
import { die, uptimeSeconds } from './lib/proc.ts';
import { uptimeLine } from './lib/uptime-line.ts';

const arg = process.argv[2];
const up = uptimeSeconds();
const two = (n: number) => String(n).padStart(2, '0');
if (arg === '-s' || arg === '--since') {
  const d = new Date(Date.now() - up * 1000);
  process.stdout.write(`${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}\n`);
} else if (arg === '-p' || arg === '--pretty') {
  const d = Math.floor(up / 86400), h = Math.floor((up % 86400) / 3600), m = Math.floor((up % 3600) / 60);
  const parts = [[d, 'day'], [h, 'hour'], [m, 'minute']].filter(([v]) => (v as number) > 0)
    .map(([v, u]) => `${v} ${u}${v === 1 ? '' : 's'}`);
  process.stdout.write(`up ${parts.length ? parts.join(', ') : '0 minutes'}\n`);
} else if (arg !== undefined) {
  die('uptime', `unknown option ${arg}\nusage: uptime [-p] [-s]`);
} else {
  process.stdout.write(uptimeLine(up) + '\n');
}
