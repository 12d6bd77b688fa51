// The syscall channel's cost (src/kernel/syscall/channel.ts; docs/jsproc.md, "The channel's
// cost"):
//   node bench/channel.ts [--quick]
//
// 1. The transport alone, on plain worker threads (no kernel): a worker makes calls back
//    to back on a slot as ChannelClient/lanes.ts do; the main thread answers each at once.
//    Variants: the worker sleeps in Atomics.wait (what the channel does) or first spins up
//    to 16/64 µs; the main thread waits with one Atomics.waitAsync per slot (what it does)
//    or with one doorbell for all slots (workers bump a shared counter; the main thread
//    scans the slots when it fires). Figures: wall µs per call, and the main thread's CPU
//    per call (process.threadCpuUsage) — the kernel thread's cost, which bounds everything.
// 2. Through the kernel: JS processes making null calls (getppid) back to back, 1 and 3 at
//    once, and promise-form writes to /dev/null: calls/s and the kernel thread's CPU per call
//    (the same processes' spawn and exit, measured with no loop, subtracted). `--kernel-only`
//    skips part 1.
// Runs each variant in several interleaved rounds and reports medians (the machine may be
// shared). Prints `NAME VALUE` lines and writes bench/results-channel.md. Never fails.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { dropJsSpares, jsPoolReady, setJsPoolSize } from '../src/kernel/jsproc/pool.ts';
import { NODE_PROGRAM } from '../src/kernel/jsproc/program.ts';
import { Kernel } from '../src/kernel/kernel.ts';

const BENCH_DIR = fileURLToPath(new URL('./', import.meta.url));
const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 1 : 3;
const CALLS = quick ? 5000 : 20000;
const log = (m: string): void => void process.stderr.write(`bench/channel: ${m}\n`);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const results = new Map<string, number[]>();
const add = (name: string, v: number): void => void (results.get(name) ?? results.set(name, []).get(name)!).push(v);

// ---- 1. the transport alone ----

const WORKER = `
const { workerData: { slot, bell, n, spinUs }, parentPort } = require('node:worker_threads');
const i32 = new Int32Array(slot);
const b = bell ? new Int32Array(bell) : null;
let seq = 0;
for (let k = 0; k < n; k++) {
  const before = seq;
  seq = (seq + 1) | 0;
  Atomics.store(i32, 0, seq);
  if (b) { Atomics.add(b, 0, 1); Atomics.notify(b, 0); } else Atomics.notify(i32, 0);
  if (spinUs > 0) {
    const end = performance.now() + spinUs / 1000;
    for (let j = 1; Atomics.load(i32, 1) === before; j++) {
      if ((j & 15) === 0 && performance.now() >= end) break;
      Atomics.pause();
    }
  }
  while (Atomics.load(i32, 1) === before) Atomics.wait(i32, 1, before);
}
parentPort.postMessage('done');`;

interface Slot {
  i32: Int32Array;
  seq: number;
}

/** `workers` workers × `n` calls; returns [wall µs per call, main-thread CPU µs per call]. */
async function transport(workers: number, n: number, spinUs: number, doorbell: boolean): Promise<[number, number]> {
  const bell = doorbell ? new Int32Array(new SharedArrayBuffer(8)) : null;
  const slots: Slot[] = [];
  const ws: Worker[] = [];
  for (let j = 0; j < workers; j++) {
    const slot = new SharedArrayBuffer(64);
    slots.push({ i32: new Int32Array(slot), seq: 0 });
    ws.push(new Worker(WORKER, { eval: true, workerData: { slot, bell: bell?.buffer ?? null, n, spinUs } }));
  }
  await new Promise((r) => setTimeout(r, 50)); // the workers are up
  let stopped = false;
  const serve = (s: Slot): void => {
    const v = Atomics.load(s.i32, 0);
    if (v === s.seq) return;
    s.seq = v;
    Atomics.store(s.i32, 1, v);
    Atomics.notify(s.i32, 1);
  };
  const c0 = process.threadCpuUsage();
  const t0 = performance.now();
  const done = Promise.all(ws.map((w) => new Promise((r) => w.once('message', r))));
  if (bell) {
    const drain = (): void => {
      for (let turn = 0; turn < 64 && !stopped; turn++) {
        const seen = Atomics.load(bell, 0);
        for (const s of slots) serve(s);
        const r = Atomics.waitAsync(bell, 0, seen);
        if (r.async) return void r.value.then(drain);
      }
      if (!stopped) setImmediate(drain);
    };
    drain();
  } else {
    for (const s of slots) {
      const arm = (): void => {
        for (;;) {
          if (stopped) return;
          if (Atomics.load(s.i32, 0) !== s.seq) {
            serve(s);
            continue;
          }
          const r = Atomics.waitAsync(s.i32, 0, s.seq);
          if (r.async) return void r.value.then(arm);
        }
      };
      arm();
    }
  }
  await done;
  const wall = ((performance.now() - t0) * 1000) / (n * workers);
  const c = process.threadCpuUsage(c0);
  stopped = true;
  if (bell) Atomics.notify(bell, 0);
  for (const s of slots) Atomics.notify(s.i32, 0);
  await Promise.all(ws.map((w) => w.terminate()));
  return [wall, (c.user + c.system) / (n * workers)];
}

const VARIANTS: [string, number, number, boolean][] = [
  ['wait_lane_1w', 1, 0, false],
  ['spin16_lane_1w', 1, 16, false],
  ['spin64_lane_1w', 1, 64, false],
  ['wait_lane_3w', 3, 0, false],
  ['wait_bell_3w', 3, 0, true],
  ['spin16_lane_3w', 3, 16, false],
];
for (let r = 0; r < (process.argv.includes('--kernel-only') ? 0 : ROUNDS); r++) {
  for (const [name, w, spin, bell] of VARIANTS) {
    log(`transport ${name}, round ${r + 1}`);
    const [wall, cpu] = await transport(w, CALLS, spin, bell);
    add(`${name}_wall_us`, wall);
    add(`${name}_cpu_us`, cpu);
  }
}

// ---- 2. through the kernel ----

const LOAD = `
const isk = require('isokernel');
const [dur, mode] = [Number(process.argv[1]), process.argv[2]];
const fd = isk.open('/dev/null', 'w');
const one = new Uint8Array(1);
(async () => {
  let n = 0;
  const t0 = Date.now();
  if (mode === 'sync') while (Date.now() - t0 < dur) { for (let i = 0; i < 100; i++) isk.getppid(); n += 100; }
  else while (Date.now() - t0 < dur) { await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(() => isk.promises.write(fd, one))); n += 8; }
  process.stdout.write('count ' + n + '\\n');
})();`;
const kernel = await Kernel.boot({});
setJsPoolSize(3);
const KCASES: [string, number, string][] = [['k_sync_1p', 1, 'sync'], ['k_sync_3p', 3, 'sync'], ['k_async8_2p', 2, 'async']];
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, procs, mode] of KCASES) {
    log(`kernel ${name}, round ${r + 1}`);
    // The same processes with no loop first: their spawn and exit are subtracted.
    const once = async (ms: number): Promise<[number, number, number]> => {
      await jsPoolReady();
      const c0 = process.threadCpuUsage();
      const t0 = performance.now();
      const ps = [];
      for (let i = 0; i < procs; i++) ps.push(kernel.spawn({ program: NODE_PROGRAM, args: ['node', '-e', LOAD, String(ms), mode], stdio: ['null', 'capture', 'capture'] }));
      await Promise.all(ps.map((p) => p.exited));
      const c = process.threadCpuUsage(c0);
      let n = 0;
      for (const p of ps) n += Number(/count (\d+)/.exec(p.output(1).toString())?.[1] ?? NaN);
      return [n, performance.now() - t0, c.user + c.system];
    };
    const [n0, dt0, cpu0] = await once(0);
    const [n, dt, cpu] = await once(quick ? 300 : 1000);
    add(`${name}_calls_per_s`, ((n - n0) / Math.max(1, dt - dt0)) * 1000);
    add(`${name}_cpu_us`, (cpu - cpu0) / (n - n0));
  }
}
await kernel.shutdown();
dropJsSpares();

// ---- report ----
const m = (k: string): number => median(results.get(k) ?? [NaN]);
for (const k of results.keys()) process.stdout.write(`${k} ${m(k).toFixed(2)}\n`);
const f = (v: number, d = 2): string => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
const rows = [
  ...VARIANTS.map(([name, w, spin, bell]) => [
    `transport, ${w} worker${w > 1 ? 's' : ''}: ${spin ? `spin ${spin} µs, then Atomics.wait` : 'Atomics.wait'}; main thread: ${bell ? 'one doorbell' : 'a waitAsync per slot'}`,
    `${f(m(`${name}_wall_us`))} µs`, `${f(m(`${name}_cpu_us`))} µs`,
  ]),
  ...KCASES.map(([name, procs, mode]) => [
    `kernel: ${procs} JS process${procs > 1 ? 'es' : ''}, ${mode === 'sync' ? 'sync getppid back to back' : '8 promise-form writes to /dev/null at a time'}`,
    `${f(m(`${name}_calls_per_s`) / 1000, 1)} k calls/s`, `${f(m(`${name}_cpu_us`))} µs`,
  ]),
];
const md = [
  '# The syscall channel: benchmark results',
  '',
  `\`node bench/channel.ts\`, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ` +
    `${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}, Node ${process.version}, medians of ${ROUNDS} interleaved round${ROUNDS > 1 ? 's' : ''}, ` +
    `load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the end.`,
  '',
  '| case | wall per call / rate | main (kernel) thread CPU per call |',
  '|---|---:|---:|',
  ...rows.map((x) => `| ${x.join(' | ')} |`),
  '',
].join('\n');
console.log(`\n${md}`);
writeFileSync(`${BENCH_DIR}results-channel.md`, md);
log('wrote bench/results-channel.md');
