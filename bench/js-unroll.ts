// What V8's --no-turboshaft-loop-unrolling costs ordinary JavaScript (docs/jsproc.md,
// "Containment"): the kernel sets it process-wide so that an optimized loop always keeps its
// interrupt check (without it, `for (;;) a = new Array(1000)` ignores worker.terminate()).
// Each kernel of work runs in a fresh host `node` (V8 flags are per process) with and
// without the flag, interleaved; the figure is the median of the runs' thread CPU times.
// Writes bench/results-js-unroll.md. Usage: node bench/js-unroll.ts [runs=5]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const RUNS = Number(process.argv[2] ?? 5);

/** Small loops of the kinds unrolling helps most, and a mixed workload. */
const KERNELS: Record<string, string> = {
  'sum of a Float64Array': 'const a = new Float64Array(1 << 16).fill(1.5); let s = 0; for (let r = 0; r < 3000; r++) for (let i = 0; i < a.length; i++) s += a[i]; globalThis.x = s;',
  'int loop (xorshift)': 'let x = 1; for (let i = 0; i < 3e8; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; } globalThis.x = x;',
  'array push/index': 'let t = 0; for (let r = 0; r < 300; r++) { const a = []; for (let i = 0; i < 1e5; i++) a.push(i); for (let i = 0; i < a.length; i++) t += a[i]; } globalThis.x = t;',
  'string building': 'let n = 0; for (let r = 0; r < 300; r++) { let s = ""; for (let i = 0; i < 2e4; i++) s += String.fromCharCode(97 + (i % 26)); n += s.length; } globalThis.x = n;',
  'objects and JSON': 'let n = 0; for (let r = 0; r < 60; r++) { const o = []; for (let i = 0; i < 1e4; i++) o.push({ i, s: "v" + i, a: [i, i + 1] }); n += JSON.parse(JSON.stringify(o)).length; } globalThis.x = n;',
  'Uint8Array copy loop': 'const a = new Uint8Array(1 << 20), b = new Uint8Array(1 << 20); for (let r = 0; r < 400; r++) for (let i = 0; i < a.length; i++) b[i] = a[i] + r; globalThis.x = b[7];',
};

function once(code: string, flag: boolean): number {
  const prog = `${flag ? "require('v8').setFlagsFromString('--no-turboshaft-loop-unrolling');" : ''}
const c0 = process.threadCpuUsage(); ${code} const c = process.threadCpuUsage(c0); process.stdout.write(String((c.user + c.system) / 1000));`;
  return Number(execFileSync(process.execPath, ['-e', prog], { encoding: 'utf8' }));
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const rows: string[] = [];
for (const [name, code] of Object.entries(KERNELS)) {
  const on: number[] = [];
  const off: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    off.push(once(code, false));
    on.push(once(code, true));
  }
  const a = median(off);
  const b = median(on);
  rows.push(`| ${name} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${((b / a - 1) * 100).toFixed(1)} % |`);
  process.stdout.write(`${rows.at(-1)}\n`);
}
const md = `# --no-turboshaft-loop-unrolling: cost to ordinary JavaScript

\`node bench/js-unroll.ts ${RUNS}\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}): thread CPU ms of
each workload in a fresh host node, default flags against the flag the kernel sets, interleaved,
median of ${RUNS} runs each, on the shared 2-core machine (other work running).

| workload | default, ms | no unrolling, ms | change |
|---|---|---|---|
${rows.join('\n')}
`;
writeFileSync(path.join(ROOT, 'bench/results-js-unroll.md'), md);
