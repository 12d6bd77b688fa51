// Shared by the benchmark driver (run.ts) and the sides it starts (sides/*.ts).
//
// A side is a child process that measures some figures and prints one line per figure on
// stdout: `NAME VALUE` (ns per op; KiB for the memory figures; MB/s for pipe_throughput), or
// `NAME n/a REASON` when it cannot measure it. bench.c and proc.c print the same format, so
// native output (and proc.wasm's, forwarded by the isokernel side) is read the same way.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));

/** The figures bench.c measures in one process. */
export const MICRO_FIGURES = [
  'null_call',
  'clock',
  'write_devnull',
  'open_close_tmpfs',
  'open_close_hostfs',
] as const;

/** How many idle processes the memory figure holds at once. */
export const IDLE_COUNT = 1000;

/** The process figures proc.c measures, one per run of it (`proc FIGURE ...`). */
export const PROC_FIGURES = ['proc_spawn', 'pipe_pingpong', 'pipe_throughput', 'pipe_blocked_memory'] as const;

/** How many processes pipe_blocked_memory holds blocked in a pipe read at once. */
export const BLOCKED_COUNT = 10_000;

export function wasmPath(program: 'bench' | 'hello' | 'sleeper' | 'proc'): string {
  return `${BENCH_DIR}wasm/${program}.wasm`;
}

/** A side's command line: `--data HOSTDIR --tmp TMPFSDIR FIGURE...`. */
export interface SideArgs {
  data: string;
  tmp: string;
  figures: string[];
}

export function sideArgs(): SideArgs {
  const { values, positionals } = parseArgs({
    options: { data: { type: 'string' }, tmp: { type: 'string' } },
    allowPositionals: true,
  });
  if (!values.data || !values.tmp) throw new Error('usage: SIDE --data DIR --tmp DIR FIGURE...');
  return { data: values.data, tmp: values.tmp, figures: positionals };
}

export function report(name: string, value: number): void {
  process.stdout.write(`${name} ${value.toFixed(2)}\n`);
}

export function unavailable(name: string, reason: string): void {
  process.stdout.write(`${name} n/a ${reason.replace(/\s+/g, ' ')}\n`);
}

/** A measured figure, or why there is none. */
export type Result = { value: number } | { missing: string };

/** Parses side output (see the top of this file) into results by figure name. */
export function parseResults(text: string): Map<string, Result> {
  const results = new Map<string, Result>();
  for (const line of text.split('\n')) {
    const m = /^(\w+) (?:n\/a (.*)|(-?[\d.]+(?:e[+-]?\d+)?))$/.exec(line.trim());
    if (!m) continue;
    results.set(m[1]!, m[2] !== undefined ? { missing: m[2] } : { value: Number(m[3]) });
  }
  return results;
}

const REPS = 5;
const TARGET_NS = 2e8;
const CALIBRATED_NS = 2e7;

/**
 * The same method as bench/src/measure.h, for loops driven from JS: calibrate n so one
 * repetition of fn(n) takes ~200 ms, run 5 repetitions, return the median ns per op.
 */
export async function measure(fn: (n: number) => unknown): Promise<number> {
  const time = async (n: number): Promise<number> => {
    const t0 = process.hrtime.bigint();
    await fn(n);
    return Number(process.hrtime.bigint() - t0);
  };
  let n = 1;
  let t: number;
  while ((t = await time(n)) < CALIBRATED_NS) n *= 4;
  n = Math.max(1, Math.floor((n * TARGET_NS) / t));
  const perOp: number[] = [];
  for (let i = 0; i < REPS; i++) perOp.push((await time(n)) / n);
  perOp.sort((a, b) => a - b);
  return perOp[REPS >> 1]!;
}

/** Resident set size of this process in bytes, after forcing full garbage collections. */
export async function settledRss(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run node with --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage.rss();
}
