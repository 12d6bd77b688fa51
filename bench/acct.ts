// The cost of per-process accounting on the syscall path (issue 8, item 6: ≤ 5%).
//
//   node bench/acct.ts [ROUNDS]
//
// One Node process boots two kernels of this tree: one with accounting on the syscall
// path (as always), one with it off (setSyscallAccounting(false) before it boots: the
// import wrappers neither count nor sample calls; acct/acct.ts). Both run
// tests/acct/bin/calls.wasm (N null calls, or N 1-byte writes to /dev/null), alternately,
// ROUNDS times (default 9), ~0.3 s a run. Each run is timed by the host thread's own CPU clock
// (process.threadCpuUsage), not wall time, so other load on the machine matters less, less
// what a run of one call costs (spawn, load, exit); the median of each side is the figure
// (the minimum beside it). The difference is accounting alone: the rest of the two kernels
// is the same code. It reports; it never fails.
//
// Exported for bench/trace.ts: acctAB(rounds) → the figures as a table's rows.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setSyscallAccounting } from '../src/kernel/acct/acct.ts';
import { Kernel } from '../src/kernel/kernel.ts';

const here = path.resolve(import.meta.dirname, '..');
const CALLS = path.join(here, 'tests/acct/bin/calls.wasm');
/**
 * Calls per run: enough for ~0.3 s, since the thread CPU clock moves in scheduler ticks
 * (4 ms here): a run of 2M null calls (~45 ms) was ±9 % from the clock alone.
 */
const FIGURES = { null_call: ['null', 16_000_000], write_devnull: ['write', 6_000_000] } as const;

export interface AcctFigure {
  figure: string;
  /** ns of thread CPU per call: medians and minimums of the rounds. */
  off: number;
  on: number;
  offMin: number;
  onMin: number;
  /** (on / off - 1) × 100, from the medians. */
  pct: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** ns of the host thread's CPU time for one run of n calls. */
async function run(k: Kernel, kind: string, n: number): Promise<number> {
  const t0 = process.threadCpuUsage();
  const p = k.spawn({ program: CALLS, args: ['calls', kind, String(n)], env: [], stdio: ['null', 'null', 'inherit'] });
  const st = await p.exited;
  const t = process.threadCpuUsage(t0);
  if (st.status !== 0) throw new Error(`calls ${kind} ended with ${st.status}`);
  return (t.user + t.system) * 1000;
}

/** ns per call of a run of n calls, less what a run of one costs (spawn, load, exit: `fixed`). */
async function once(k: Kernel, kind: string, n: number, fixed: number): Promise<number> {
  return ((await run(k, kind, n)) - fixed) / n;
}

async function fixedCost(k: Kernel, kind: string): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < 5; i++) xs.push(await run(k, kind, 1));
  return median(xs);
}

export async function acctAB(rounds: number): Promise<AcctFigure[]> {
  setSyscallAccounting(false);
  const off = await Kernel.boot({});
  setSyscallAccounting(true);
  const on = await Kernel.boot({});
  const out: AcctFigure[] = [];
  try {
    for (const [figure, [kind, n]] of Object.entries(FIGURES)) {
      const runs = { off: [] as number[], on: [] as number[] };
      await run(off, kind, n); // both warm before counting
      await run(on, kind, n);
      const fixed = { off: await fixedCost(off, kind), on: await fixedCost(on, kind) };
      for (let r = 0; r < rounds; r++) {
        for (const side of r % 2 === 0 ? ['off', 'on'] as const : ['on', 'off'] as const) {
          runs[side].push(await once(side === 'off' ? off : on, kind, n, fixed[side]));
        }
      }
      const mOff = median(runs.off);
      const mOn = median(runs.on);
      out.push({ figure, off: mOff, on: mOn, offMin: Math.min(...runs.off), onMin: Math.min(...runs.on), pct: (mOn / mOff - 1) * 100 });
    }
  } finally {
    await off.shutdown();
    await on.shutdown();
  }
  return out;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rounds = Number(process.argv[2] ?? 9);
  for (const f of await acctAB(rounds)) {
    process.stdout.write(`${f.figure.padEnd(14)} without accounting ${f.off.toFixed(2).padStart(7)} ns (min ${f.offMin.toFixed(2)})   ` +
      `with ${f.on.toFixed(2).padStart(7)} ns (min ${f.onMin.toFixed(2)})   ${f.pct.toFixed(1).padStart(5)} %\n`);
  }
}
