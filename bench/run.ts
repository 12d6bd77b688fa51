// `npm run bench`: the kernel-core figures measured natively (gcc -O2), under Node's
// node:wasi and under isokernel, in one run on one machine; prints a table of the figures,
// their ratios and the targets, and writes it to bench/results.md. Benchmarks report; they
// never fail the build, so this exits 0 whatever it finds.
//
// Each side runs in child processes of its own, one after another (see bench/README.md).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { BENCH_DIR, BLOCKED_COUNT, IDLE_COUNT, MICRO_FIGURES, parseResults, PROC_FIGURES, type Result } from './common.ts';

const BUILD = `${BENCH_DIR}.build/`;
const TMPFS_MAGIC = 0x01021994;
const CHILD_TIMEOUT_MS = 180_000;

type Side = 'native' | 'nodewasi' | 'isokernel';
const SIDES: Side[] = ['native', 'nodewasi', 'isokernel'];

/**
 * A target on isokernel's figure: at most `native`× native, `nodewasi`× node:wasi, `absolute`.
 * With `higherIsBetter` (a rate, such as MB/s) each part is a minimum instead: at least
 * `native`× native, and so on.
 */
interface Target {
  native?: number;
  nodewasi?: number;
  absolute?: number;
  higherIsBetter?: boolean;
}

interface Figure {
  key: string;
  label: string;
  unit: 'ns' | 'µs' | 'KiB' | 'MB/s';
  target: Target;
}

const FIGURES: Figure[] = [
  { key: 'null_call', label: 'null syscall (args_sizes_get / getppid)', unit: 'ns', target: { native: 0.15, nodewasi: 1 } },
  { key: 'clock', label: 'clock_time_get MONOTONIC / clock_gettime', unit: 'ns', target: { nodewasi: 1 } },
  { key: 'write_devnull', label: 'fd_write 1 byte to /dev/null', unit: 'ns', target: { native: 1 } },
  { key: 'open_close_tmpfs', label: 'path_open + fd_close, tmpfs', unit: 'ns', target: { native: 0.5 } },
  { key: 'open_close_hostfs', label: 'path_open + fd_close, hostfs', unit: 'ns', target: { native: 2 } },
  { key: 'spawn_hello', label: 'spawn + run hello + exit (cached module)', unit: 'µs', target: { native: 0.25 } },
  { key: 'idle_memory', label: `idle process memory, ${IDLE_COUNT} sleepers`, unit: 'KiB', target: { absolute: 64 } },
  { key: 'proc_spawn', label: 'posix_spawn + waitpid hello, from a process', unit: 'µs', target: { native: 0.25 } },
  { key: 'pipe_pingpong', label: '1-byte ping-pong with a child, 2 pipes', unit: 'ns', target: { native: 0.5 } },
  {
    key: 'pipe_throughput', label: 'pipe throughput, 64 KiB writes (higher is better)', unit: 'MB/s',
    target: { native: 1, higherIsBetter: true },
  },
  {
    key: 'pipe_blocked_memory', label: `process memory, ${BLOCKED_COUNT.toLocaleString('en')} blocked in a pipe read`, unit: 'KiB',
    target: { absolute: 64 },
  },
];

const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : a / b);

function targetText(t: Target, unit: string): string {
  const op = t.higherIsBetter ? '≥' : '≤';
  const parts: string[] = [];
  if (t.native !== undefined) parts.push(`${op} ${t.native}× native`);
  if (t.nodewasi !== undefined) parts.push(t.nodewasi === 1 ? `${op} node:wasi` : `${op} ${t.nodewasi}× node:wasi`);
  if (t.absolute !== undefined) parts.push(`${op} ${t.absolute} ${unit} each`);
  return parts.join(', ');
}

/** yes/NO when every part of the target can be judged or one part already fails; else '?'. */
function judge(t: Target, v: Record<Side, number | undefined>): string {
  const checks = [
    [ratio(v.isokernel, v.native), t.native],
    [ratio(v.isokernel, v.nodewasi), t.nodewasi],
    [v.isokernel, t.absolute],
  ].filter(([, limit]) => limit !== undefined);
  const misses = (x: number, limit: number) => (t.higherIsBetter ? x < limit : x > limit);
  if (checks.some(([x, limit]) => x !== undefined && misses(x, limit!))) return 'NO';
  return checks.every(([x]) => x !== undefined) ? 'yes' : '?';
}

/** Runs a command; resolves with its stdout, or with `n/a` lines for `figures` if it fails. */
function runChild(cmd: string, args: string[], figures: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: CHILD_TIMEOUT_MS, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (stderr.trim()) process.stderr.write(stderr.replace(/^.*ExperimentalWarning.*\n.*--trace-warnings.*\n?/m, ''));
      if (!err) return resolve(stdout);
      const why = err.killed ? `timed out after ${CHILD_TIMEOUT_MS / 1000} s` : `${cmd.split('/').pop()} failed: ${err.message.split('\n')[0]}`;
      // Keep what the child did report; mark only the rest as missing.
      const got = parseResults(stdout);
      resolve(stdout + figures.filter((f) => !got.has(f)).map((f) => `${f} n/a ${why}\n`).join(''));
    });
  });
}

function build(what: 'native' | 'wasm'): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('bash', [`${BENCH_DIR}build.sh`, what], (err, _out, stderr) =>
      resolve(err ? `build.sh ${what} failed: ${(stderr.trim().split('\n').pop() ?? err.message).slice(0, 200)}` : undefined),
    );
  });
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return `${m[1]!.trim()} (${cpus().length} CPUs)`;
  } catch {}
  return `${cpus()[0]?.model ?? 'unknown'} (${cpus().length} CPUs)`;
}

function format(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

async function main(): Promise<void> {
  const started = new Date();
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

  // A host directory for hostfs (on the checkout's own filesystem) and a tmpfs directory
  // for native and node:wasi (isokernel's /tmp is its own tmpfs).
  const hostDir = `${BUILD}data`;
  mkdirSync(hostDir, { recursive: true });
  const tmpDir = mkdtempSync('/dev/shm/isokernel-bench-');
  const tmpNote = statfsSync(tmpDir).type === TMPFS_MAGIC ? '' : ` (${tmpDir} is not tmpfs)`;
  // Native bench opens these host files; the WASI builds open /tmp/... and /data/...
  const nativePaths: Partial<Record<string, string>> = {
    open_close_tmpfs: `${tmpDir}/bench-file.txt`,
    open_close_hostfs: `${hostDir}/bench-file.txt`,
  };

  const outputs: Record<Side, string[]> = { native: [], nodewasi: [], isokernel: [] };
  const micro = [...MICRO_FIGURES];
  const missing = (figs: string[], why: string) => figs.map((f) => `${f} n/a ${why}\n`).join('');

  if (!['bench', 'hello', 'sleeper', 'proc'].every((w) => existsSync(`${BENCH_DIR}wasm/${w}.wasm`))) {
    log('building WASI modules');
    const err = await build('wasm');
    if (err) log(`${err}; the WASI sides will say what they could not run`);
  }

  log('building native programs (gcc)');
  const nativeErr = await build('native');

  // Group by group, the three sides one after another, so that whatever else the machine is
  // doing meanwhile weighs on the three columns of a row alike. Every WASI group gets a
  // Node process (a fresh heap) of its own; each group's native run is `program args`.
  const procArgs: Record<(typeof PROC_FIGURES)[number], string[]> = {
    proc_spawn: [`${BUILD}hello`],
    pipe_pingpong: [`${BUILD}proc`],
    pipe_throughput: [`${BUILD}proc`],
    pipe_blocked_memory: [`${BUILD}proc`, String(BLOCKED_COUNT)],
  };
  const groups: { figs: string[]; program: string; args: string[] }[] = [
    { figs: micro, program: 'bench', args: micro.map((f) => (nativePaths[f] ? `${f}=${nativePaths[f]}` : f)) },
    { figs: ['spawn_hello'], program: 'spawn', args: ['run', `${BUILD}hello`] },
    { figs: ['idle_memory'], program: 'spawn', args: ['idle', `${BUILD}sleeper`, String(IDLE_COUNT)] },
    ...PROC_FIGURES.map((f) => ({ figs: [f], program: 'proc', args: [f, ...procArgs[f]] })),
  ];
  for (const { figs, program, args: nativeArgs } of groups) {
    log(`${figs.join(', ')}: native, node:wasi, isokernel`);
    outputs.native.push(nativeErr ? missing(figs, nativeErr) : await runChild(`${BUILD}${program}`, nativeArgs, figs));
    for (const side of ['nodewasi', 'isokernel'] as const) {
      const args = ['--expose-gc', `${BENCH_DIR}sides/${side}.ts`, '--data', hostDir, '--tmp', tmpDir, ...figs];
      outputs[side].push(await runChild(process.execPath, args, [...figs]));
    }
  }
  rmSync(tmpDir, { recursive: true, force: true });

  const results = Object.fromEntries(SIDES.map((s) => [s, parseResults(outputs[s].join(''))])) as Record<Side, Map<string, Result>>;
  const header = ['figure', 'native', 'node:wasi', 'isokernel', 'isokernel/native', 'isokernel/node:wasi', 'target', 'met?'];
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const fig of FIGURES) {
    const scale = fig.unit === 'µs' ? 1000 : 1;
    const v = {} as Record<Side, number | undefined>;
    const cells = SIDES.map((side) => {
      const r = results[side].get(fig.key);
      if (r && 'value' in r) {
        v[side] = r.value / scale;
        return `${format(v[side])} ${fig.unit}`;
      }
      const why = r?.missing ?? 'no result';
      if (!notes.includes(why)) notes.push(why);
      return `n/a [${notes.indexOf(why) + 1}]`;
    });
    const r1 = ratio(v.isokernel, v.native);
    const r2 = ratio(v.isokernel, v.nodewasi);
    rows.push([
      fig.label + (fig.key === 'open_close_tmpfs' ? tmpNote : ''),
      ...cells,
      r1 === undefined ? '–' : `${r1.toFixed(2)}×`,
      r2 === undefined ? '–' : `${r2.toFixed(2)}×`,
      targetText(fig.target, fig.unit),
      judge(fig.target, v),
    ]);
  }

  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i >= 1 && i <= 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  const context = [
    `date: ${started.toISOString()}`,
    `CPU: ${cpuModel()}`,
    `Node: ${process.version} (V8 ${process.versions.v8})`,
    `load average at start: ${load}, at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on the machine skews figures)`,
  ];
  // The floor under every system call (bench/jspi-floor.ts): an empty import from a JSPI
  // stack, as every isokernel process runs, against the same from a plain export.
  const floor = parseResults(await runChild(process.execPath, [`${BENCH_DIR}jspi-floor.ts`], ['jspi_floor_plain', 'jspi_floor_promising']));
  const fp = floor.get('jspi_floor_plain'), fj = floor.get('jspi_floor_promising');
  if (fp && 'value' in fp && fj && 'value' in fj) {
    notes.push(`V8's floor under a system call, this run: an empty wasm→JS import costs ${format(fp.value)} ns from a plain export ` +
      `and ${format(fj.value)} ns from a stack JSPI can suspend, as every isokernel process runs (V8 switches to the central ` +
      'stack for each JS import call; bench/jspi-floor.ts). node:wasi runs on the central stack and cannot block one process alone.');
  }
  const noteLines = notes.map((n, i) => `[${i + 1}] ${n}`);
  console.log([...context, '', line(header), ...rows.map(line), '', ...noteLines].join('\n'));

  const md = [
    '# isokernel benchmark results',
    '',
    'Written by `npm run bench` (bench/run.ts); see bench/README.md for what each figure measures.',
    'Medians; compare ratios from one run, not absolute times across runs or machines.',
    '',
    ...context.map((c) => `- ${c}`),
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i >= 1 && i <= 5 ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    ...noteLines.map((n) => `${n}  `),
    '',
  ].join('\n');
  writeFileSync(`${BENCH_DIR}results.md`, md);
  log('wrote bench/results.md');

  // The instrumentation's cost and preemption latency (issue 5): a script of its own, which
  // prints its table and writes bench/results-protect.md.
  log('instrumentation: compute overhead, preemption latency (bench/instrument.ts)');
  console.log(`\n${await runChild(process.execPath, [`${BENCH_DIR}instrument.ts`], [])}`);

  // JavaScript processes (issue 6): spawn against `node -e 0`, idle memory, syscalls from JS;
  // a script of its own, which prints its table and writes bench/results-jsproc.md.
  log('JS processes: spawn, idle memory, system calls (bench/jsproc.ts)');
  console.log(`\n${await runChild(process.execPath, ['--expose-gc', `${BENCH_DIR}jsproc.ts`], [])}`);

  // Sockets (issue 9): TCP and Unix-domain round trips and streams, WASI against the same C
  // program natively, and from JS processes; writes bench/results-net.md.
  log('sockets: round trips and throughput (bench/net.ts)');
  console.log(`\n${await runChild(process.execPath, [`${BENCH_DIR}net.ts`], [])}`);

  // Image boot (issue 7): the demo image to every service ready, against `node -e 0`;
  // writes bench/results-boot.md.
  log('image boot: the demo image to all services ready (bench/boot.ts)');
  console.log(`\n${await runChild(process.execPath, [`${BENCH_DIR}boot.ts`], [])}`);

  // The shell and its commands (issue 4): a loop of 1,000 commands and a 100 MB pipeline
  // against the host's dash and GNU commands; writes bench/results-shell.md.
  log('shell: 1,000 commands in a loop, cat | grep | wc -l over 100 MB (bench/shell.ts)');
  console.log(`\n${await runChild(process.execPath, [`${BENCH_DIR}shell.ts`], [])}`);

  // The system-call tracer (issue 8): untraced, traced by strace and by strace -c, against
  // the native loop bare and under the host's strace; accounting off and on in one process;
  // the kernel's and strace's shares of a traced call by thread CPU; writes bench/results-trace.md.
  log('tracing: strace overhead against ptrace, accounting overhead (bench/trace.ts)');
  console.log(`\n${await runChild(process.execPath, [`${BENCH_DIR}trace.ts`, '--quick'], [])}`);

  // The log path (issue 7): writer processes → log streams → syslogd → /var/log with
  // rotation and gzip; lines per second and CPU; writes bench/results-log.md.
  log('logging: 400,000 lines from 4 writers through syslogd (bench/log.ts)');
  console.log(`\n${await runChild(process.execPath, [`${BENCH_DIR}log.ts`], [])}`);

  // The web server (issue 9): httpd's static files and CGI against Apache 2.4 (event +
  // mod_cgid, prefork + mod_cgi) under wrk; Apache skipped if absent; writes
  // bench/results-httpd.md.
  log('httpd: static and CGI against Apache under wrk (bench/httpd.ts)');
  console.log(`\n${await runChild(process.execPath, [`${BENCH_DIR}httpd.ts`], [])}`);
}

await main();
