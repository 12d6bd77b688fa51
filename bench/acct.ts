// The cost of per-process accounting on the syscall path (issue 8, item 6: ≤ 5%).
//
//   node bench/acct.ts [ROUNDS [CALL,...]]     (default 31 rounds; getppid,write)
//
// One Node process boots two kernels of this tree: one with accounting on the syscall
// path (as always), one with it off (setSyscallAccounting(false) before it boots: the
// import wrappers neither count nor sample calls; acct/acct.ts). Both run
// tests/trace/bin/sysloop.wasm (N getppid calls — the null call —, or N 1-byte writes to
// /dev/null) in turns, ROUNDS times (default 31; the order alternates), ~0.1 s a run. The
// difference is accounting alone: the rest of the two kernels is the same code.
//
// A shared machine moves a run's time by ±10 % from one run to the next, more than what is
// measured (a nanosecond or so on ~22 ns), so each round's two runs are compared with each
// other (a paired ratio: load that lasts longer than a round cancels out), and the figure is
// the median of the rounds' ratios, with the middle half of them as its spread. Two clocks:
// the loop's own (sysloop times itself: wall time, fine-grained, but it counts the time the
// host took the CPU away) and the kernel thread's CPU time (process.threadCpuUsage: blind to
// other load, but it moves in scheduler ticks, 4 ms here — a run is ~25 of them — and counts
// the spawn and exit too, taken off as the median of one-call runs). The minimum of each side
// is beside them: the run least disturbed. It reports; it never fails.
//
// Exported for bench/trace.ts (its runner, in a process of its own): acctAB().
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setSyscallAccounting } from '../src/kernel/acct/acct.ts';
import { Kernel } from '../src/kernel/kernel.ts';

const here = path.resolve(import.meta.dirname, '..');
const SYSLOOP = path.join(here, 'tests/trace/bin/sysloop.wasm');
/** Calls per run: ~0.1 s each. */
export const ACCT_CALLS: Readonly<Record<string, number>> = { getppid: 4_000_000, write: 1_600_000, read: 1_600_000, open: 40_000, fstat: 2_000_000 };

export interface AcctFigure {
  call: string;
  /** ns per call, medians and minimums of the rounds: the loop's own (wall) and thread CPU. */
  offWall: number;
  onWall: number;
  offWallMin: number;
  onWallMin: number;
  offCpu: number;
  onCpu: number;
  /** (on / off - 1) × 100, the median of the rounds' paired ratios, and its quartiles. */
  wallPct: number;
  wallPctLo: number;
  wallPctHi: number;
  cpuPct: number;
  cpuPctLo: number;
  cpuPctHi: number;
  /** (min on / min off - 1) × 100 (wall). */
  minPct: number;
  rounds: number;
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (at - lo);
};
export const median = (xs: number[]): number => quantile(xs, 0.5);

interface Run {
  /** sysloop's ns per call. */
  wall: number;
  /** ns of the kernel thread's CPU for the whole run (spawn to exit). */
  cpu: number;
}

async function run(k: Kernel, call: string, n: number): Promise<Run> {
  const t0 = process.threadCpuUsage();
  const p = k.spawn({ program: SYSLOOP, args: ['sysloop', call, String(n)], env: [], stdio: ['null', 'capture', 'inherit'] });
  const st = await p.exited;
  const t = process.threadCpuUsage(t0);
  if (st.status !== 0) throw new Error(`sysloop ${call} ended with ${st.status}`);
  const m = / ([\d.]+)$/m.exec(p.output(1).toString().trim());
  if (m === null) throw new Error(`sysloop ${call}: no result in ${JSON.stringify(p.output(1).toString())}`);
  return { wall: Number(m[1]), cpu: (t.user + t.system) * 1000 };
}

/**
 * The A/B on each of `calls` (sysloop's kinds), `rounds` rounds each; `scale` multiplies the
 * calls per run (bench/trace.ts's quick mode: less).
 */
export async function acctAB(calls: readonly string[], rounds: number, scale = 1): Promise<AcctFigure[]> {
  setSyscallAccounting(false);
  const off = await Kernel.boot({});
  setSyscallAccounting(true);
  const on = await Kernel.boot({});
  const out: AcctFigure[] = [];
  try {
    for (const call of calls) {
      const n = Math.max(1000, Math.round((ACCT_CALLS[call] ?? 1_000_000) * scale));
      await run(off, call, n); // both warm before counting
      await run(on, call, n);
      const fixed = { off: [] as number[], on: [] as number[] };
      const big = { off: [] as Run[], on: [] as Run[] };
      for (let r = 0; r < rounds; r++) {
        for (const side of r % 2 === 0 ? ['off', 'on'] as const : ['on', 'off'] as const) {
          const k = side === 'off' ? off : on;
          big[side].push(await run(k, call, n));
          if (r < 7) fixed[side].push((await run(k, call, 1)).cpu); // spawn, load, exit: the same on both sides
        }
      }
      const f = { off: median(fixed.off), on: median(fixed.on) };
      const cpu = (side: 'off' | 'on', x: Run): number => (x.cpu - f[side]) / n;
      const wallR = big.off.map((o, i) => (100 * (big.on[i]!.wall - o.wall)) / o.wall);
      const cpuR = big.off.map((o, i) => (100 * (cpu('on', big.on[i]!) - cpu('off', o))) / cpu('off', o));
      const offWallMin = Math.min(...big.off.map((x) => x.wall));
      const onWallMin = Math.min(...big.on.map((x) => x.wall));
      out.push({
        call, rounds,
        offWall: median(big.off.map((x) => x.wall)), onWall: median(big.on.map((x) => x.wall)), offWallMin, onWallMin,
        offCpu: median(big.off.map((x) => cpu('off', x))), onCpu: median(big.on.map((x) => cpu('on', x))),
        wallPct: median(wallR), wallPctLo: quantile(wallR, 0.25), wallPctHi: quantile(wallR, 0.75),
        cpuPct: median(cpuR), cpuPctLo: quantile(cpuR, 0.25), cpuPctHi: quantile(cpuR, 0.75),
        minPct: (100 * (onWallMin - offWallMin)) / offWallMin,
      });
    }
  } finally {
    await off.shutdown();
    await on.shutdown();
  }
  return out;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rounds = Number(process.argv[2] ?? 31);
  const pct = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(1)} %`;
  const calls = process.argv[3]?.split(',') ?? ['getppid', 'write'];
  for (const f of await acctAB(calls, rounds)) {
    process.stdout.write(`${f.call.padEnd(8)} ${f.rounds} rounds, ns per call, without → with accounting:\n` +
      `  loop's clock  median ${f.offWall.toFixed(2)} → ${f.onWall.toFixed(2)}, min ${f.offWallMin.toFixed(2)} → ${f.onWallMin.toFixed(2)} (${pct(f.minPct)})\n` +
      `  thread CPU    median ${f.offCpu.toFixed(2)} → ${f.onCpu.toFixed(2)}\n` +
      `  paired rounds: loop's clock ${pct(f.wallPct)} (quartiles ${pct(f.wallPctLo)} … ${pct(f.wallPctHi)}), ` +
      `thread CPU ${pct(f.cpuPct)} (${pct(f.cpuPctLo)} … ${pct(f.cpuPctHi)})\n`);
  }
}
