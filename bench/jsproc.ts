// JavaScript processes (issue 6; docs/jsproc.md):
//   node bench/jsproc.ts [--quick]
//
// - spawn → run → exit of a small JS program, against `node -e 0` started as a host process
//   in the same run (target: ≤ 0.25×). isokernel's figure is with a booted isolate waiting in
//   the pool (the kernel keeps two; each spawn starts the boot of a replacement, and the
//   run waits until it is there before the next spawn); beside it, the same with no spare
//   isolate (a cold spawn: the boot is in the figure) and back-to-back spawns (the pool
//   cannot keep up: the rate is the boot rate).
// - memory per idle JS process: host RSS growth over N processes idle in their event loop.
// - a system call from JS, sync (Atomics.wait on lane 0) and async (an async lane), against
//   the same call from a WASI process of the same kernel (bench.wasm).
// Prints `NAME VALUE` lines and a table, and writes bench/results-jsproc.md. Reports; never fails.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { jsPoolReady, setJsPoolSize, dropJsSpares } from '../src/kernel/jsproc/pool.ts';
import { NODE_PROGRAM } from '../src/kernel/jsproc/program.ts';
import { Kernel } from '../src/kernel/kernel.ts';
import type { Process } from '../src/kernel/proc/process.ts';

const BENCH_DIR = fileURLToPath(new URL('./', import.meta.url));
const quick = process.argv.includes('--quick');
const N = quick ? 5 : 20;
const IDLE = quick ? 5 : 20;
const log = (m: string): void => void process.stderr.write(`bench/jsproc: ${m}\n`);
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

function hostNode(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    execFile(process.execPath, ['-e', '0'], (err) => (err ? reject(err) : resolve(performance.now() - t0)));
  });
}

const kernel = await Kernel.boot({ mounts: [{ path: '/bench', fs: { type: 'hostfs', host: BENCH_DIR, readOnly: true } }] });

async function jsRun(args: string[]): Promise<number> {
  const t0 = performance.now();
  const p = kernel.spawn({ program: NODE_PROGRAM, args: ['node', ...args], stdio: ['null', 'null', 'null'] });
  const st = await p.exited;
  if (st.status !== 0) throw new Error(`node ${args.join(' ')}: status ${st.status}`);
  return performance.now() - t0;
}

// ---- spawn → run → exit ----
log(`spawn: host node -e 0, ${N} runs`);
await hostNode();
const host: number[] = [];
for (let i = 0; i < N; i++) host.push(await hostNode());
report('host_node_e0_ms', median(host));

log('spawn: isokernel, a booted isolate waiting');
setJsPoolSize(2);
await jsPoolReady();
await jsRun(['-e', '0']); // the runtime's first compile of its own code paths
const warm: number[] = [];
const file: number[] = [];
kernel.ns.root.vnode.lookup('tmp').create('hello.js', 0o755).open(true).write(new TextEncoder().encode("console.log('hello, world');\n"), 0);
for (let i = 0; i < N; i++) {
  await jsPoolReady();
  await sleep(20);
  warm.push(await jsRun(['-e', '0']));
  await jsPoolReady();
  await sleep(20);
  file.push(await jsRun(['/tmp/hello.js']));
}
report('js_spawn_e0_ms', median(warm));
report('js_spawn_hello_ms', median(file));

log('spawn: back to back');
const t0 = performance.now();
const b2b: number[] = [];
for (let i = 0; i < N; i++) b2b.push(await jsRun(['-e', '0']));
report('js_spawn_b2b_ms', median(b2b));
report('js_spawn_b2b_per_s', (N * 1000) / (performance.now() - t0));

log('spawn: cold (no spare isolate)');
setJsPoolSize(0);
await sleep(200);
const cold: number[] = [];
for (let i = 0; i < Math.min(N, 8); i++) cold.push(await jsRun(['-e', '0']));
report('js_spawn_cold_ms', median(cold));

// ---- idle memory ----
log(`memory: ${IDLE} idle JS processes`);
dropJsSpares();
await sleep(300);
(globalThis as { gc?: () => void }).gc?.();
const rss0 = process.memoryUsage().rss;
const idle: Process[] = [];
for (let i = 0; i < IDLE; i++) {
  const p = kernel.spawn({ program: NODE_PROGRAM, args: ['node', '-e', 'setInterval(() => {}, 1e9); console.log("up")'], stdio: ['null', 'capture', 'null'] });
  idle.push(p);
  while (!p.output(1).toString().includes('up')) {
    if (p.exitStatus) throw new Error('an idle process ended');
    await sleep(5);
  }
}
await sleep(500);
(globalThis as { gc?: () => void }).gc?.();
report('js_idle_kib', (process.memoryUsage().rss - rss0) / IDLE / 1024);
for (const p of idle) kernel.kill(p.pid, 9);
await Promise.all(idle.map((p) => p.exited));

// ---- system calls ----
log('system calls: from JS (bench/jsproc/syscalls.js) and from WASI (bench.wasm)');
setJsPoolSize(1);
await jsPoolReady();
const js = kernel.spawn({ program: NODE_PROGRAM, args: ['node', '/bench/jsproc/syscalls.js'], stdio: ['null', 'capture', 'capture'] });
await js.exited;
const wasi = kernel.spawn({ program: `${BENCH_DIR}wasm/bench.wasm`, args: ['bench', 'null_call', 'write_devnull'], stdio: ['null', 'capture', 'capture'] });
await wasi.exited;
for (const line of (js.output(1).toString() + wasi.output(1).toString()).split('\n')) {
  const m = /^(\w+) ([\d.]+)$/.exec(line);
  if (m) report(m[1] === 'null_call' || m[1] === 'write_devnull' ? `wasi_${m[1]}` : m[1]!, Number(m[2]));
}
if (js.exitStatus?.status !== 0) log(`syscalls.js: ${js.output(2)}`);
await kernel.shutdown();
dropJsSpares();

// ---- table ----
const r = (k: string): number => results.get(k) ?? NaN;
const f = (v: number, d = 2): string => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
const ratio = r('js_spawn_e0_ms') / r('host_node_e0_ms');
const rows = [
  ['spawn → run → exit, `node -e 0` (booted isolate waiting)', `${f(r('js_spawn_e0_ms'))} ms`, `host \`node -e 0\`: ${f(r('host_node_e0_ms'))} ms`, `${f(ratio)}×`, '≤ 0.25×', ratio <= 0.25 ? 'yes' : 'NO'],
  ['spawn → run → exit, hello.js from tmpfs (booted isolate)', `${f(r('js_spawn_hello_ms'))} ms`, '', `${f(r('js_spawn_hello_ms') / r('host_node_e0_ms'))}×`, '', ''],
  ['spawn → exit back to back (the pool cannot keep up)', `${f(r('js_spawn_b2b_ms'))} ms`, `${f(r('js_spawn_b2b_per_s'), 1)} spawns/s`, '', '', ''],
  ['spawn → exit, no spare isolate (boot included)', `${f(r('js_spawn_cold_ms'))} ms`, '', '', '', ''],
  [`memory per idle JS process (${IDLE} in their event loops)`, `${f(r('js_idle_kib') / 1024)} MiB`, '', '', '', ''],
  ['null syscall: JS sync `getppid` / WASI `args_sizes_get`', `${f(r('js_sync_null') / 1000)} µs`, `WASI: ${f(r('wasi_null_call'))} ns`, `${f(r('js_sync_null') / r('wasi_null_call'), 0)}×`, '', ''],
  ['write 1 byte to /dev/null: JS sync (isokernel.write)', `${f(r('js_sync_write') / 1000)} µs`, `WASI fd_write: ${f(r('wasi_write_devnull'))} ns`, `${f(r('js_sync_write') / r('wasi_write_devnull'), 0)}×`, '', ''],
  ['write 1 byte to /dev/null: JS fs.writeSync', `${f(r('js_fs_writesync') / 1000)} µs`, '', `${f(r('js_fs_writesync') / r('wasi_write_devnull'), 0)}×`, '', ''],
  ['write 1 byte to /dev/null: JS async (isokernel.promises.write)', `${f(r('js_async_write') / 1000)} µs`, '', `${f(r('js_async_write') / r('wasi_write_devnull'), 0)}×`, '', ''],
];
const md = [
  '# JavaScript processes: benchmark results',
  '',
  `\`node bench/jsproc.ts\` (also run by \`npm run bench\`), ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ` +
    `${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}, Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the end.`,
  '',
  '| figure | isokernel | against | ratio | target | met? |',
  '|---|---:|---:|---:|---|---|',
  ...rows.map((x) => `| ${x.join(' | ')} |`),
  '',
].join('\n');
console.log(`\n${md}`);
writeFileSync(`${BENCH_DIR}results-jsproc.md`, md);
log('wrote bench/results-jsproc.md');
