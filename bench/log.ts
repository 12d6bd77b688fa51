// The log path's throughput (docs/logging.md): W writer processes write N lines to log
// streams, syslogd (userland/sbin/syslogd.ts) writes them to /var/log with rotation every
// MiB and gzip; reports lines per second and where the CPU went (writers, syslogd, the
// kernel thread). Writes bench/results-log.md. Reports, never fails.
//
//   node bench/log.ts [LINES] [WRITERS]
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropJsSpares } from '../src/kernel/jsproc/pool.ts';
import { bootTestKernel, spawnJsSource } from '../tests/log/helpers.ts';
import { startSyslogd, stopSyslogd, writeManifest } from '../tests/log/syslogd-helpers.ts';

const LINES = Number(process.argv[2] ?? 400_000);
const WRITERS = Number(process.argv[3] ?? 4);
const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results-log.md');

const t = await bootTestKernel({ hold: true, hostname: 'bench' });
try {
  writeManifest(t, { files: [{ name: 'b', match: ['*'], minSeverity: 7, rotate: { maxBytes: 1 << 20, maxAgeMs: 0, keep: 1000, compress: true } }] });
  const d = await startSyslogd(t);
  const per = Math.floor(LINES / WRITERS);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const ws = Array.from({ length: WRITERS }, (_, w) => spawnJsSource(t, `
    import isk from 'isokernel';
    const fd = isk.openlog('w${w}');
    let buf = '';
    for (let i = 0; i < ${per}; i++) {
      buf += 'request ' + i + ' served in 3 ms\\n';
      if (buf.length > 16000) { isk.write(fd, buf); buf = ''; }
    }
    isk.write(fd, buf);
  `));
  for (const p of ws) await p.exited;
  const dCpuBefore = d.acct.cpuNs;
  await stopSyslogd(t, d);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const writersMs = ws.reduce((a, p) => a + p.acct.cpuNs / 1e6, 0);
  const syslogdMs = Math.max(d.acct.cpuNs, dCpuBefore) / 1e6;
  const rows = [
    ['lines', String(per * WRITERS)],
    ['writers', String(WRITERS)],
    ['wall time', `${(ms / 1000).toFixed(2)} s`],
    ['throughput', `${Math.round((per * WRITERS) / (ms / 1000)).toLocaleString('en')} lines/s`],
    ['writers CPU (isolates + their calls)', `${Math.round(writersMs)} ms`],
    ['syslogd CPU (isolate + its calls)', `${Math.round(syslogdMs)} ms`],
    ['host process CPU (all threads)', `${Math.round((cpu.user + cpu.system) / 1000)} ms`],
  ];
  const md = `# Log path throughput (bench/log.ts)\n\n${new Date().toISOString()}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ` +
    `load ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n\n| figure | value |\n|---|---|\n${rows.map(([a, b]) => `| ${a} | ${b} |`).join('\n')}\n`;
  writeFileSync(OUT, md);
  process.stdout.write(md);
} finally {
  await t.cleanup();
  dropJsSpares();
}
