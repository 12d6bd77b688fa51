// The JS memory watchdog (src/kernel/jsproc/guard.ts; docs/jsproc.md "Containment"):
//   node bench/jsguard.ts [--quick]
//
// - Overshoot: a bomb that allocates 4 MiB Uint8Arrays, filled, through the class memguard
//   does not see (Node's FastBuffer's parent: the original Uint8Array), under a 64 MiB
//   limit; how far past limit + GARBAGE_SLACK its heap + external memory was when the
//   watchdog decided (the fault record's figures), and the time from spawn to its end —
//   with the watchdog looking every WATCH_MS only ('fixed', as before) and adaptively
//   ('adaptive'), interleaved.
// - Cost: the kernel thread's CPU time (process.threadCpuUsage) per second, and questions
//   asked per second, with 20 busy JS processes (modest: a loop that allocates small arrays)
//   and with 20 idle ones, watchdog 'off' / 'fixed' / 'adaptive', interleaved, median of
//   rounds; and the CPU a question costs the isolate (one asleep in Atomics.wait, asked
//   2000 times: its thread's CPU time; a busy isolate pays about the same in lost time).
// Prints `NAME VALUE` lines and a table, and writes bench/results-jsguard.md. Reports; never fails.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { GARBAGE_SLACK, guardStats, guardTuning } from '../src/kernel/jsproc/guard.ts';
import { dropJsSpares, jsPoolReady } from '../src/kernel/jsproc/pool.ts';
import { NODE_PROGRAM } from '../src/kernel/jsproc/program.ts';
import { Kernel } from '../src/kernel/kernel.ts';
import type { Process } from '../src/kernel/proc/process.ts';

const BENCH_DIR = fileURLToPath(new URL('./', import.meta.url));
const quick = process.argv.includes('--quick');
const BOMBS = quick ? 3 : 7;
const ROUNDS = quick ? 2 : 4;
const WINDOW_MS = quick ? 1000 : 2000;
const N = 20;
const MIB = 1 << 20;
const log = (m: string): void => void process.stderr.write(`bench/jsguard: ${m}\n`);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const results = new Map<string, number>();
const report = (name: string, v: number): void => {
  results.set(name, v);
  process.stdout.write(`${name} ${v.toFixed(2)}\n`);
};

const kernel = await Kernel.boot({});
const spawnJs = (code: string, memoryPages?: number): Process => kernel.spawn({
  program: NODE_PROGRAM, args: ['node', '-e', code], env: ['PATH=/bin'], stdio: ['null', 'null', 'capture'],
  ...(memoryPages ? { limits: { memoryPages } } : {}),
});

// ---- overshoot ----
const BOMB = 'const U = Object.getPrototypeOf(Buffer.prototype).constructor; const k = []; for (;;) k.push(new U(4 << 20).fill(1))';
const over: Record<string, number[]> = { fixed: [], adaptive: [] };
const took: Record<string, number[]> = { fixed: [], adaptive: [] };
for (let i = 0; i < BOMBS; i++) {
  for (const mode of ['fixed', 'adaptive'] as const) {
    guardTuning.mode = mode;
    await jsPoolReady();
    const t0 = performance.now();
    const p = spawnJs(BOMB, 1024);
    const st = await p.exited;
    const m = /heap in use ([\d.]+) MiB \+ external memory \([^)]*\) ([\d.]+) MiB/.exec(p.fault?.message ?? '');
    if (st.signal !== 9 || !m) {
      log(`${mode}: the bomb ended otherwise (status ${st.status}): ${p.fault?.message ?? p.output(2)}`);
      continue;
    }
    over[mode]!.push(Number(m[1]) + Number(m[2]) - (64 + GARBAGE_SLACK / MIB));
    took[mode]!.push(performance.now() - t0);
  }
}
for (const mode of ['fixed', 'adaptive']) {
  report(`overshoot_${mode}_median_mib`, median(over[mode]!));
  report(`overshoot_${mode}_max_mib`, Math.max(...over[mode]!));
  report(`bomb_${mode}_ms`, median(took[mode]!));
}

// ---- cost ----
async function cost(label: string, code: string): Promise<void> {
  guardTuning.mode = 'adaptive';
  const ps: Process[] = [];
  for (let i = 0; i < N; i++) {
    await jsPoolReady();
    ps.push(spawnJs(code));
  }
  await sleep(1000);
  const cpu: Record<string, number[]> = { off: [], fixed: [], adaptive: [] };
  const asks: Record<string, number[]> = { off: [], fixed: [], adaptive: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const mode of ['off', 'fixed', 'adaptive'] as const) {
      guardTuning.mode = mode;
      await sleep(300);
      const a0 = guardStats().asked;
      const c0 = process.threadCpuUsage();
      const t0 = performance.now();
      await sleep(WINDOW_MS);
      const c = process.threadCpuUsage(c0);
      const s = (performance.now() - t0) / 1000;
      cpu[mode]!.push((c.user + c.system) / 1000 / s); // ms of CPU per second
      asks[mode]!.push((guardStats().asked - a0) / s);
    }
  }
  for (const mode of ['off', 'fixed', 'adaptive']) {
    report(`${label}_kernel_cpu_${mode}_ms_per_s`, median(cpu[mode]!));
    report(`${label}_asks_${mode}_per_s`, median(asks[mode]!));
  }
  for (const p of ps) kernel.signal(p, 9);
  await Promise.all(ps.map((p) => p.exited));
  guardTuning.mode = 'adaptive';
}
log(`cost: ${N} busy JS processes`);
await cost('busy', 'let x = 0; for (;;) { for (let i = 0; i < 1e4; i++) x += i; globalThis.y = new Array(16) }');
log(`cost: ${N} idle JS processes`);
await cost('idle', 'setInterval(() => {}, 1000)');

// ---- what a question costs the isolate ----
{
  const w = new Worker('const i = new Int32Array(new SharedArrayBuffer(4)); require("node:worker_threads").parentPort.once("message", () => { for (;;) Atomics.wait(i, 0, 0) })', { eval: true });
  await new Promise((r) => w.once('online', r));
  w.postMessage('go');
  await sleep(200);
  for (let i = 0; i < 100; i++) await w.getHeapStatistics();
  const u0 = await w.cpuUsage();
  const m0 = process.threadCpuUsage();
  const K = 2000;
  for (let i = 0; i < K; i++) await w.getHeapStatistics();
  const u1 = await w.cpuUsage();
  const m1 = process.threadCpuUsage(m0);
  report('ask_isolate_cpu_us', (u1.user + u1.system - u0.user - u0.system) / K);
  report('ask_kernel_cpu_us', (m1.user + m1.system) / K);
  await w.terminate();
}

await kernel.shutdown();
dropJsSpares();

const f = (k: string, d = 1): string => (results.get(k) ?? NaN).toFixed(d);
const md = `# The JS memory watchdog: benchmark results

\`node bench/jsguard.ts\`${quick ? ' --quick' : ''}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus()[0]?.model.split(' ').slice(0, 2).join(' ')} ×${cpus().length}, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end.
'fixed' is the watchdog as it was (a look every 100 ms); 'adaptive' is guard.ts now (a tick every 20 ms while an isolate runs, 100 ms while all are idle, that sweeps when the host's RSS grew 32 MiB; each isolate looked at every 500 ms, 100 ms when growing towards its bound, 20 ms near it); 'off' does not look.

| figure | off | fixed | adaptive |
|---|---:|---:|---:|
| bomb past limit + slack at the decision, median (max) of ${BOMBS}, MiB |  | ${f('overshoot_fixed_median_mib')} (${f('overshoot_fixed_max_mib')}) | ${f('overshoot_adaptive_median_mib')} (${f('overshoot_adaptive_max_mib')}) |
| bomb spawn → end, median, ms |  | ${f('bomb_fixed_ms', 0)} | ${f('bomb_adaptive_ms', 0)} |
| kernel thread CPU, ${N} busy JS processes, ms/s | ${f('busy_kernel_cpu_off_ms_per_s', 2)} | ${f('busy_kernel_cpu_fixed_ms_per_s', 2)} | ${f('busy_kernel_cpu_adaptive_ms_per_s', 2)} |
| questions asked, ${N} busy, per s | ${f('busy_asks_off_per_s', 0)} | ${f('busy_asks_fixed_per_s', 0)} | ${f('busy_asks_adaptive_per_s', 0)} |
| kernel thread CPU, ${N} idle JS processes, ms/s | ${f('idle_kernel_cpu_off_ms_per_s', 2)} | ${f('idle_kernel_cpu_fixed_ms_per_s', 2)} | ${f('idle_kernel_cpu_adaptive_ms_per_s', 2)} |
| questions asked, ${N} idle, per s | ${f('idle_asks_off_per_s', 0)} | ${f('idle_asks_fixed_per_s', 0)} | ${f('idle_asks_adaptive_per_s', 0)} |

A question costs the isolate ${f('ask_isolate_cpu_us')} µs of its thread's CPU (one asleep in Atomics.wait, 2000 questions) and the kernel thread ${f('ask_kernel_cpu_us')} µs.
Kernel CPU is the median of ${ROUNDS} interleaved ${WINDOW_MS / 1000} s windows per mode (the machine is shared: differences under ~1 ms/s are noise).
`;
writeFileSync(`${BENCH_DIR}results-jsguard.md`, md);
log('wrote bench/results-jsguard.md');
process.stdout.write(md);
