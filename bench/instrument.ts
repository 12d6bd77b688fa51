// The cost and the effect of the kernel's instrumentation (issue 5; src/kernel/proc/instrument.ts):
//   node bench/instrument.ts [--reps N] [--quick]
//
// - Compute overhead: bench/wasm/compute.wasm (CRC-32 of 64 MiB; quicksort of 16 Mi keys)
//   run as an isokernel process with the instrumentation off, with preemption checks only,
//   with the null-page guard (and stack check) only, and with everything (the default).
//   Two figures per run: the fastest round as the program times it (wall clock, steady-
//   state TurboFan code), and the kernel thread's CPU time for the whole run
//   (process.threadCpuUsage: the fill, every round, compilation tiers), which other work on
//   the machine disturbs much less. Variants are run interleaved, N times each, in
//   rotating order; the fastest of the N best rounds and the median of the N CPU times are
//   compared (interference from other work only ever adds time).
// - Preemption latency: three processes spinning without syscalls beside one that sleeps
//   1 ms in a loop (tests/protect/bin/latency.wasm) and reports how late it woke: p50,
//   p99, max. The same process alone, for reference.
// Prints `NAME VALUE` lines and a table, and writes bench/results-protect.md. Reports;
// never fails.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Kernel } from '../src/kernel/kernel.ts';
import { DEFAULT_INSTRUMENT, NO_INSTRUMENT, type InstrumentOptions } from '../src/kernel/proc/instrument.ts';

const BENCH_DIR = fileURLToPath(new URL('./', import.meta.url));
const COMPUTE = `${BENCH_DIR}wasm/compute.wasm`;
const SPIN = fileURLToPath(new URL('../tests/protect/bin/spin.wasm', import.meta.url));
const LATENCY = fileURLToPath(new URL('../tests/protect/bin/latency.wasm', import.meta.url));

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const repsAt = argv.indexOf('--reps');
const REPS = repsAt >= 0 ? Math.max(1, Number(argv[repsAt + 1])) : quick ? 1 : 3;

const VARIANTS: [string, InstrumentOptions][] = [
  ['none', { ...NO_INSTRUMENT }],
  ['preempt', { ...NO_INSTRUMENT, preempt: true }],
  ['guard', { ...NO_INSTRUMENT, nullGuard: DEFAULT_INSTRUMENT.nullGuard, stackCheck: true }],
  ['all', { ...DEFAULT_INSTRUMENT }],
];
const TASKS: [string, string, string][] = [
  ['crc32_64mib', 'crc', quick ? '3' : '8'],
  ['sort_64mib', 'sort', quick ? '1' : '3'],
];

const log = (m: string) => process.stderr.write(`bench/instrument: ${m}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const kernel = await Kernel.boot({});

let lastCpuMs = 0;
async function run(program: string, args: string[], protect: InstrumentOptions): Promise<string> {
  const c0 = process.threadCpuUsage();
  const p = kernel.spawn({ program, args, env: [], stdio: ['null', 'capture', 'capture'], protect });
  const st = await p.exited;
  const c1 = process.threadCpuUsage(c0);
  lastCpuMs = (c1.user + c1.system) / 1000;
  if (st.status !== 0) throw new Error(`${args.join(' ')}: status ${st.status}: ${p.output(2).toString().trim()}`);
  return p.output(1).toString();
}

const times = new Map<string, number[]>(); // `${task}/${variant}` -> ms
const cpuTimes = new Map<string, number[]>();
for (const [, opts] of VARIANTS) await kernel.load(COMPUTE, opts); // compile outside the timing
for (let rep = 0; rep < REPS; rep++) {
  for (const [task, arg, rounds] of TASKS) {
    for (let i = 0; i < VARIANTS.length; i++) {
      const [name, opts] = VARIANTS[(i + rep) % VARIANTS.length]!;
      const out = await run(COMPUTE, ['compute', arg, rounds], opts);
      const ms = Number(/ ([\d.]+)/.exec(out)?.[1]);
      const key = `${task}/${name}`;
      times.set(key, [...(times.get(key) ?? []), ms]);
      cpuTimes.set(key, [...(cpuTimes.get(key) ?? []), lastCpuMs]);
      log(`rep ${rep + 1}/${REPS} ${task} ${name}: best round ${ms.toFixed(1)} ms, run ${lastCpuMs.toFixed(0)} ms CPU`);
    }
  }
}

/** Wake-up lateness of latency.wasm (`n` sleeps of 1 ms) beside `spinners` spinning processes. */
async function latency(spinners: number, n: number): Promise<{ p50: number; p99: number; max: number }> {
  const spin = Array.from({ length: spinners }, () => kernel.spawn({ program: SPIN, stdio: ['null', 'null', 'null'] }));
  try {
    const out = await run(LATENCY, ['latency', String(n)], { ...DEFAULT_INSTRUMENT });
    const m = /p50 (\d+) p99 (\d+) max (\d+)/.exec(out);
    if (!m) throw new Error(`latency: unexpected output ${out}`);
    return { p50: Number(m[1]) / 1000, p99: Number(m[2]) / 1000, max: Number(m[3]) / 1000 };
  } finally {
    for (const s of spin) kernel.kill(s.pid, 9);
    await Promise.all(spin.map((s) => s.exited));
  }
}

const SAMPLES = quick ? 300 : 1000;
log(`latency: ${SAMPLES} sleeps of 1 ms, alone`);
const alone = await latency(0, SAMPLES);
log(`latency: ${SAMPLES} sleeps of 1 ms beside 3 spinning processes`);
const loaded = await latency(3, SAMPLES);
await kernel.shutdown();

const lines: string[] = [];
const rows: string[][] = [];
const pct = (x: number, base: number) => `${((x / base - 1) * 100).toFixed(1)} %`;
for (const [task] of TASKS) {
  const base = Math.min(...times.get(`${task}/none`)!);
  const cbase = median(cpuTimes.get(`${task}/none`)!);
  for (const [name] of VARIANTS) {
    const t = Math.min(...times.get(`${task}/${name}`)!);
    const ct = median(cpuTimes.get(`${task}/${name}`)!);
    lines.push(`${task}_${name} ${t.toFixed(1)}`, `${task}_${name}_cpu ${ct.toFixed(1)}`);
    rows.push([
      task, name, `${t.toFixed(1)} ms`, name === 'none' ? '' : pct(t, base), `${ct.toFixed(0)} ms`, name === 'none' ? '' : pct(ct, cbase),
      times.get(`${task}/${name}`)!.map((x) => x.toFixed(0)).join(', '),
    ]);
  }
}
lines.push(`latency_alone_p50_ms ${alone.p50.toFixed(2)}`, `latency_alone_p99_ms ${alone.p99.toFixed(2)}`);
lines.push(`latency_3spin_p50_ms ${loaded.p50.toFixed(2)}`, `latency_3spin_p99_ms ${loaded.p99.toFixed(2)}`, `latency_3spin_max_ms ${loaded.max.toFixed(2)}`);
console.log(lines.join('\n'));

const context = [
  `date: ${new Date().toISOString()}`,
  `CPU: ${cpus()[0]?.model ?? 'unknown'} (${cpus().length} CPUs); Node ${process.version}`,
  `load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on the machine skews figures)`,
  `${REPS} interleaved run(s) per variant; best round: the fastest of all runs; run CPU time: the median`,
];
const overhead = (task: string, v: string) =>
  `${pct(Math.min(...times.get(`${task}/${v}`)!), Math.min(...times.get(`${task}/none`)!))} (best round), ` +
  `${pct(median(cpuTimes.get(`${task}/${v}`)!), median(cpuTimes.get(`${task}/none`)!))} (run CPU)`;
const md = [
  '# Instrumentation: cost and preemption latency',
  '',
  'Written by `node bench/instrument.ts` (also run by `npm run bench`). Variants: `none` (not',
  'instrumented), `preempt` (fuel checks in loops and calling functions), `guard` (null-page',
  'guard and stack-pointer check), `all` (both, and memory.grow through the kernel: the default).',
  '',
  ...context.map((c) => `- ${c}`),
  '',
  '| benchmark | variant | best round | vs none | run CPU time | vs none | best rounds (ms) |',
  '|---|---|---:|---:|---:|---:|---|',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
  '',
  `Preemption target (≤ 10 %): crc32 ${overhead('crc32_64mib', 'preempt')}, sort ${overhead('sort_64mib', 'preempt')}.`,
  '',
  '| interactive process, 1 ms sleeps | p50 | p99 | max | target |',
  '|---|---:|---:|---:|---|',
  `| alone | ${alone.p50.toFixed(2)} ms | ${alone.p99.toFixed(2)} ms | ${alone.max.toFixed(2)} ms | |`,
  `| beside 3 spinning processes | ${loaded.p50.toFixed(2)} ms | ${loaded.p99.toFixed(2)} ms | ${loaded.max.toFixed(2)} ms | p99 < 20 ms: ${loaded.p99 < 20 ? 'yes' : 'NO'} |`,
  '',
].join('\n');
writeFileSync(`${BENCH_DIR}results-protect.md`, md);
log('wrote bench/results-protect.md');
