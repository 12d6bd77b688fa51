// The tracer's overhead (issue 8, item 6), in one run on one machine; writes
// bench/results-trace.md. Reports, never fails.
//
// - One program, tests/trace/sysloop.c, times N calls of one kind inside itself (so startup
//   is not counted): getppid (the null call), a 1-byte write to /dev/null, a 1-byte read of
//   /dev/zero, open+close of /dev/null, fstat. Built for wasm32-wasi (committed) and
//   natively here (cc -O2).
// - isokernel: untraced; traced by strace writing its trace to /dev/null (every call
//   formatted); traced by strace -c (counted: the kernel counts, strace gets no call
//   records). Target: a traced call ≤ 5× an untraced one.
// - The host: the native build bare, and under the host's `strace -f -o /dev/null`
//   (ptrace), to put ptrace's cost beside ours.
// - Accounting (ACCT's per-call counts and sampled timing, on the same path as the trace
//   check): the untraced loop in this tree against the same loop in the commit before
//   accounting came in (git archive of BASE, see baseRef()), each in a Node process of its
//   own, alternating. Target: ≤ 5 % on the syscall path.
//
// Each figure is the median of REPS runs; the machine is shared (2 cores), so differences
// of a few percent are within the noise: the table says how wide the runs spread.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = join(BENCH_DIR, '..');
const TRACE_BIN = join(ROOT, 'tests', 'trace', 'bin');
/**
 * `--quick` (bench/run.ts, which gives each script 3 minutes): one run of each, half the
 * calls. Alone, 3 runs (TRACE_BENCH_REPS).
 */
const QUICK = process.argv.includes('--quick');
const REPS = QUICK ? 1 : Number(process.env.TRACE_BENCH_REPS ?? 3);
const CALLS: [string, number][] = [['getppid', 100_000], ['write', 50_000], ['read', 50_000], ['open', 10_000], ['fstat', 50_000]];
/** Under ptrace a call costs ~50 µs: a tenth of the iterations is enough. */
const PTRACE_SHARE = 10;
/**
 * Traced runs make 4× the calls: strace decodes in JavaScript, and its first ~100,000
 * records run while V8 is still compiling the decoder; a long trace is the steady state.
 */
const TRACED_SCALE = 4;
const TIMEOUT_MS = 300_000;
/** In results-trace.md: what follows this line is kept when the bench rewrites the file. */
const KEEP_MARK = '<!-- kept: bench/trace.ts rewrites the part above and keeps this part -->';

function log(s: string): void {
  process.stderr.write(`[trace bench] ${s}\n`);
}

function sh(cmd: string, args: string[], o: { cwd?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: o.cwd ?? ROOT, timeout: TIMEOUT_MS, maxBuffer: 64 << 20 }, (e, out, err) => {
      if (e) reject(new Error(`${cmd} ${args.join(' ')}: ${e.message}\n${err}`));
      else resolve(out);
    });
  });
}

/** The kernel side: boots the kernel of tree ROOT in a process of its own, runs argv in it. */
const RUNNER = `
const [root, ...argv] = process.argv.slice(2);
const { Kernel } = await import(root + '/src/kernel/kernel.ts');
const k = await Kernel.boot({});
const mk = (n) => { try { k.ns.root.vnode.mkdir(n, 0o755); } catch {} };
mk('t'); k.mount('/t', { type: 'hostfs', host: process.env.TRACE_BIN, readOnly: true });
const fs = await import('node:fs');
if (fs.existsSync(root + '/userland/sbin/strace')) { mk('sbin'); k.mount('/sbin', { type: 'hostfs', host: root + '/userland/sbin', readOnly: true }); }
const t = await k.findProgram(argv[0], argv);
const p = k.spawn({ program: t.program, args: t.argv, stdio: ['null', 'capture', 'capture'] });
const st = await p.exited;
process.stdout.write(p.output(1).toString());
if (st.status !== 0) process.stderr.write(p.output(2).toString());
await k.shutdown();
process.exit(st.status);
`;

/** ns per call from sysloop's line "CALL N NS". */
function nsOf(out: string): number {
  const m = /^\w+ \d+ ([\d.]+)$/m.exec(out);
  if (!m) throw new Error(`no result in: ${out}`);
  return Number(m[1]);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const spread = (xs: number[]): string => {
  const m = median(xs);
  return `±${((100 * (Math.max(...xs) - Math.min(...xs))) / 2 / m).toFixed(0)}%`;
};

/** The commit before accounting: the parent of the one that added src/kernel/acct/acct.ts, or HEAD. */
function baseRef(): string {
  if (process.env.TRACE_BENCH_BASE) return process.env.TRACE_BENCH_BASE;
  try {
    const added = execFileSync('git', ['log', '--diff-filter=A', '--format=%H', '--', 'src/kernel/acct/acct.ts'], { cwd: ROOT }).toString().trim().split('\n').pop();
    if (added) return `${added}^`;
  } catch { /* not a git checkout */ }
  return 'HEAD';
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'isokernel-trace-bench-'));
  try {
    const runner = join(tmp, 'runner.mjs');
    writeFileSync(runner, RUNNER);
    process.env.TRACE_BIN = TRACE_BIN;
    const node = process.execPath;
    const kernelRun = (root: string, argv: string[]) => sh(node, [runner, root, ...argv]);

    // the base tree for the accounting comparison
    const base = baseRef();
    const baseDir = join(tmp, 'base');
    let baseOk = false;
    try {
      execFileSync('sh', ['-c', `mkdir -p "${baseDir}" && git archive "${base}" | tar -x -C "${baseDir}"`], { cwd: ROOT });
      symlinkSync(join(ROOT, 'node_modules'), join(baseDir, 'node_modules'));
      baseOk = existsSync(join(baseDir, 'src', 'kernel', 'kernel.ts'));
    } catch (e) {
      log(`no base tree (${(e as Error).message.split('\n')[0]}): accounting not compared`);
    }

    const native = join(tmp, 'sysloop');
    let nativeOk = true;
    try {
      await sh('cc', ['-O2', '-o', native, join(ROOT, 'tests', 'trace', 'sysloop.c')]);
    } catch (e) {
      nativeOk = false;
      log(`no native build: ${(e as Error).message.split('\n')[0]}`);
    }
    let hostStrace = existsSync('/usr/bin/strace') ? '/usr/bin/strace' : null;
    if (hostStrace === null) {
      try {
        hostStrace = (await sh('sh', ['-c', 'command -v strace'])).trim() || null;
      } catch { /* none */ }
    }

    const rows: string[][] = [];
    const notes: string[] = [];
    const only = process.env.TRACE_BENCH_CALLS?.split(',') ?? null; // e.g. getppid,write
    for (const [call, full] of CALLS.filter(([c]) => only === null || only.includes(c))) {
      const n = QUICK ? full / 2 : full;
      const wasm = ['/t/sysloop.wasm', call, String(n)];
      const long = ['/t/sysloop.wasm', call, String(n * TRACED_SCALE)];
      const r: Record<string, number[]> = { plain: [], base: [], traced: [], counted: [], filtered: [], native: [], ptrace: [] };
      for (let i = 0; i < REPS; i++) {
        log(`${call} rep ${i + 1}/${REPS}`);
        // this tree and the base alternate which goes first, so that neither always runs warmer
        if (baseOk && i % 2 === 1) r.base!.push(nsOf(await kernelRun(baseDir, wasm)));
        r.plain!.push(nsOf(await kernelRun(ROOT, wasm)));
        if (baseOk && i % 2 === 0) r.base!.push(nsOf(await kernelRun(baseDir, wasm)));
        r.traced!.push(nsOf(await kernelRun(ROOT, ['/sbin/strace', '-o', '/dev/null', ...long])));
        r.counted!.push(nsOf(await kernelRun(ROOT, ['/sbin/strace', '-c', '-o', '/dev/null', ...long])));
        r.filtered!.push(nsOf(await kernelRun(ROOT, ['/sbin/strace', '-e', 'trace=proc_raise', '-o', '/dev/null', ...wasm])));
        if (nativeOk) {
          r.native!.push(nsOf(await sh(native, [call, String(n)])));
          if (hostStrace) r.ptrace!.push(nsOf(await sh(hostStrace, ['-f', '-o', '/dev/null', native, call, String(n / PTRACE_SHARE)])));
        }
      }
      const m = (k: string): number | null => (r[k]!.length ? median(r[k]!) : null);
      const f = (k: string): string => (m(k) === null ? '—' : `${m(k)!.toFixed(0)} ${spread(r[k]!)}`);
      const x = (a: string, b: string): string => (m(a) === null || m(b) === null ? '—' : `${(m(a)! / m(b)!).toFixed(1)}×`);
      const pct = m('base') === null ? '—' : `${((100 * (m('plain')! - m('base')!)) / m('base')!).toFixed(1)}%`;
      rows.push([call, f('plain'), f('base'), pct, f('traced'), x('traced', 'plain'), f('counted'), x('counted', 'plain'),
        f('filtered'), x('filtered', 'plain'), f('native'), f('ptrace'), x('ptrace', 'native')]);
    }
    notes.push(
      `isokernel: the loop in a WASI process (tests/trace/bin/sysloop.wasm); traced = \`strace -o /dev/null\` (every call decoded and formatted by strace, a JS process on its own thread), counted = \`strace -c -o /dev/null\` (a count-only session: the kernel counts, no call records), filtered out = \`strace -e trace=proc_raise -o /dev/null\` (traced, but the kernel records none of these calls: trace_filter). Traced and counted runs make ${TRACED_SCALE}× the calls (a long trace: strace's decoder, JavaScript, past V8's warm-up).`,
      `accounting: "before" is the same loop in the tree of ${baseOk ? `\`${base}\`` : '(no base tree)'} (git archive), before per-process accounting and the tracer's check were on the syscall path. The difference is everything that changed between the two trees on these paths (a negative one: the newer tree is faster there), in wall time on a shared machine: a rough check. bench/acct.ts measures accounting alone, by thread CPU time.`,
      `host: the same C source built with cc -O2, bare and (a tenth of the iterations) under \`${hostStrace ?? 'strace (missing)'} -f -o /dev/null\` (ptrace: two stops and context switches per call).`,
      `Median of ${REPS} runs each; ± is half the spread of the runs around the median.`,
    );
    const header = ['call', 'isokernel ns', 'before acct ns', 'acct cost', 'traced ns', 'traced ×', 'strace -c ns', '-c ×',
      'filtered out ns', 'filtered ×', 'native ns', 'native+strace ns', 'ptrace ×'];
    const md = [
      '# Tracing overhead (bench/trace.ts)',
      '',
      `Targets: a traced call ≤ 5× an untraced one; accounting ≤ 5 % on the syscall path. Machine: ${cpus().length}× ${cpus()[0]?.model ?? '?'}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end; Node ${process.version}; ${new Date().toISOString()}.`,
      '',
      `| ${header.join(' | ')} |`,
      `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
      ...rows.map((r) => `| ${r.join(' | ')} |`),
      '',
      ...notes.map((n) => `- ${n}`),
      '',
    ].join('\n');
    // notes written by hand below the marker (history: before/after a change) are kept
    const resultsFile = join(BENCH_DIR, 'results-trace.md');
    const old = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
    const kept = old.indexOf(KEEP_MARK);
    writeFileSync(resultsFile, kept >= 0 ? `${md}\n${old.slice(kept)}` : md);
    console.log(md);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
