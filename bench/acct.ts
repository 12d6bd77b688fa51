// The cost of per-process accounting on the syscall path (issue 8, item 6: ≤ 5%).
//
//   node bench/acct.ts BASE_TREE [ROUNDS]
//
// BASE_TREE is a checkout of the tree without accounting (e.g. `git archive REV | tar -x -C
// DIR`, with node_modules linked in; ACCT_TREE=DIR compares another tree than this one).
// Both kernels are loaded into this one Node process and run tests/acct/bin/calls.wasm
// (N null calls, or N 1-byte writes to /dev/null) alternately, ROUNDS times (default 15).
// Each run is timed by the host thread's own CPU clock (process.threadCpuUsage), not wall
// time, so other load on the machine matters less; the minimum of each side is the figure.
// Prints both and the difference. It reports; it never fails.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const base = process.argv[2];
const rounds = Number(process.argv[3] ?? 15);
if (!base) {
  process.stderr.write('usage: node bench/acct.ts BASE_TREE [ROUNDS]\n');
  process.exit(0);
}
const here = path.resolve(import.meta.dirname, '..');
const CALLS = path.join(here, 'tests/acct/bin/calls.wasm');
const N = 4_000_000;
const FIGURES = { null_call: 'null', write_devnull: 'write' } as const;

type Kernel = import('../src/kernel/kernel.ts').Kernel;
async function load(tree: string): Promise<Kernel> {
  const mod = await import(pathToFileURL(path.join(tree, 'src/kernel/kernel.ts')).href) as typeof import('../src/kernel/kernel.ts');
  return mod.Kernel.boot({});
}

/** ns of the host thread's CPU time per call, for one run of N calls. */
async function once(k: Kernel, kind: string): Promise<number> {
  const p = k.spawn({ program: CALLS, args: ['calls', kind, String(N)], env: [], stdio: ['null', 'null', 'inherit'] });
  const t0 = process.threadCpuUsage();
  const st = await p.exited;
  const t = process.threadCpuUsage(t0);
  if (st.status !== 0) throw new Error(`calls ${kind} ended with ${st.status}`);
  return ((t.user + t.system) * 1000) / N;
}

const sides = { base: await load(path.resolve(base)), acct: await load(process.env.ACCT_TREE ?? here) };
for (const [figure, kind] of Object.entries(FIGURES)) {
  const best = { base: Infinity, acct: Infinity };
  for (let r = 0; r < rounds; r++) {
    for (const side of r % 2 === 0 ? ['base', 'acct'] as const : ['acct', 'base'] as const) {
      best[side] = Math.min(best[side], await once(sides[side], kind));
    }
  }
  process.stdout.write(`${figure.padEnd(16)} base ${best.base.toFixed(2).padStart(7)} ns   with accounting ${best.acct.toFixed(2).padStart(7)} ns   ` +
    `${((best.acct / best.base - 1) * 100).toFixed(1).padStart(5)} %\n`);
}
await sides.base.shutdown();
await sides.acct.shutdown();
