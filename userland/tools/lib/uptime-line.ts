// uptime's line, which top's first line repeats.
import { loadavg } from './proc.ts';

const two = (n: number) => String(n).padStart(2, '0');

export function uptimeLine(upS: number): string {
  const now = new Date();
  const d = Math.floor(upS / 86400), h = Math.floor((upS % 86400) / 3600), m = Math.floor((upS % 3600) / 60);
  const upText = (d > 0 ? `${d} day${d === 1 ? '' : 's'}, ` : '') + (h > 0 ? `${String(h).padStart(2)}:${two(m)}` : `${m} min`);
  const l = loadavg().map((x) => x.toFixed(2)).join(', ');
  return ` ${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())} up ${upText},  0 users,  load average: ${l}`;
}
