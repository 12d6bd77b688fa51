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
// - Accounting: two kernels of this tree in one process, accounting on the syscall path off
//   (acct/acct.ts, setSyscallAccounting: a bench-only switch) and on, running the untraced
//   loop in turns (bench/acct.ts): each round's two runs compared with each other (paired),
//   by the loop's own timing and by the kernel thread's CPU time, the median over rounds.
//   Target: ≤ 5 % on the syscall path.
// - The two sides of a traced call apart, by thread CPU time: the kernel's (the loop traced
//   by a host-side reader on the kernel's thread, against the loop untraced) and strace's
//   (its parser and formatter, in a fresh process, on the stream that run recorded).
//
// Each figure is the median of REPS runs; the machine is shared (2 cores), so differences
// of a few percent are within the noise: the table says how wide the runs spread.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AcctFigure } from './acct.ts';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = join(BENCH_DIR, '..');
const TRACE_BIN = join(ROOT, 'tests', 'trace', 'bin');
/**
 * `--quick` (bench/run.ts, which gives each script 3 minutes): one run of each (the same
 * number of calls: with half, a traced run was mostly its first ~100,000 calls, while V8
 * still compiles the kernel's side and strace's). Alone, 3 runs (TRACE_BENCH_REPS).
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
/**
 * Paired rounds of the accounting A/B (bench/acct.ts: off and on in turns, ~0.1 s a run —
 * shorter runs are mostly the thread CPU clock's 4 ms steps), once per call.
 */
const ACCT_ROUNDS = QUICK ? 11 : 21;
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

/**
 * The kernel side: boots the kernel of tree ROOT in a process of its own, and
 *   run ARGV...            runs ARGV (sysloop's line on stdout)
 *   acct R CALL SCALE      bench/acct.ts's A/B (two kernels, accounting off and on, R paired
 *                          rounds of sysloop CALL): an "acct JSON" line (its AcctFigure)
 *   share R FILE ARGV...   ARGV untraced and traced by a host-side reader on the kernel's
 *                          thread (trace/tracer.ts, no strace), alternately R times: "share
 *                          plain|traced CPU" lines (thread CPU ns per call); then one more
 *                          traced run's stream is saved in FILE for the strace side (REPLAY)
 */
const RUNNER = `
const [root, mode, ...rest] = process.argv.slice(2);
const { Kernel } = await import(root + '/src/kernel/kernel.ts');
const fs = await import('node:fs');
const boot = async () => {
  const k = await Kernel.boot({});
  const mk = (n) => { try { k.ns.root.vnode.mkdir(n, 0o755); } catch {} };
  mk('t'); k.mount('/t', { type: 'hostfs', host: process.env.TRACE_BIN, readOnly: true });
  if (fs.existsSync(root + '/userland/sbin/strace')) { mk('sbin'); k.mount('/sbin', { type: 'hostfs', host: root + '/userland/sbin', readOnly: true }); }
  return k;
};
const cpu = () => { const u = process.threadCpuUsage(); return (u.user + u.system) * 1000; };
const spawn = async (k, argv) => {
  const t = await k.findProgram(argv[0], argv);
  return k.spawn({ program: t.program, args: t.argv, stdio: ['null', 'capture', 'capture'] });
};
const nsOf = (p) => Number(/ ([\\d.]+)$/m.exec(p.output(1).toString().trim())[1]);
if (mode === 'run') {
  const k = await boot();
  const p = await spawn(k, rest);
  const st = await p.exited;
  process.stdout.write(p.output(1).toString());
  if (st.status !== 0) process.stderr.write(p.output(2).toString());
  await k.shutdown();
  process.exit(st.status);
} else if (mode === 'acct') {
  // bench/acct.ts's A/B: two kernels, accounting off and on, paired rounds
  const { acctAB } = await import(root + '/bench/acct.ts');
  const [r, call, scale] = rest;
  for (const f of await acctAB([call], Number(r), Number(scale))) process.stdout.write('acct ' + JSON.stringify(f) + '\\n');
} else if (mode === 'share') {
  const { TraceSession } = await import(root + '/src/kernel/trace/tracer.ts');
  const { traceCalls } = await import(root + '/src/kernel/trace/calls.ts');
  const [r, file, ...argv] = rest;
  const n = Number(argv[2]);
  const k = await boot();
  const buf = new Uint8Array(1 << 18);
  const one = async (traced, keep) => {
    const c0 = cpu();
    const p = await spawn(k, argv);
    const parts = [];
    if (traced) {
      const s = new TraceSession(p, traceCalls(k.syscalls), 0, 32);
      s.attach(p, 0);
      let done = false;
      p.exited.then(() => { done = true; });
      for (;;) {
        const got = s.read(buf);
        if (got > 0) { if (keep) parts.push(buf.slice(0, got)); continue; }
        if (done && s.queued === 0) break;
        await new Promise((res) => setImmediate(res));
      }
      s.close();
    }
    await p.exited;
    const c = cpu() - c0;
    if (keep) fs.writeFileSync(file, Buffer.concat(parts));
    return c / n;
  };
  await one(false, false);
  await one(true, false);
  // a run of one call: what a run costs besides its calls (spawn, load, exit), taken off both
  const fixed = [];
  for (let i = 0; i < 3; i++) {
    const c0 = cpu();
    const p = await spawn(k, [argv[0], argv[1], '1']);
    await p.exited;
    fixed.push((cpu() - c0) / n);
  }
  fixed.sort((a, b) => a - b);
  const f = fixed[1];
  for (let i = 0; i < Number(r); i++) {
    process.stdout.write('share plain ' + ((await one(false, false)) - f).toFixed(1) + '\\n');
    process.stdout.write('share traced ' + ((await one(true, false)) - f).toFixed(1) + '\\n');
  }
  await one(true, true); // the stream, for the strace side (not timed: keeping it costs)
  await k.shutdown();
}
`;

/**
 * The strace side: strace's own parser and formatter (userland/sbin/lib/strace) in a fresh
 * process, as strace runs them — the warm-up first (warm.ts), then the recorded stream of a
 * traced run (RUNNER share) fed in strace's reads' pieces, its lines encoded as a write
 * would — timed by the thread's CPU clock: "strace CPU_NS_PER_RECORD RECORDS".
 */
const REPLAY = `
const [root, file] = process.argv.slice(2);
const fs = await import('node:fs');
const { Formatter } = await import(root + '/userland/sbin/lib/strace/format.ts');
const { Parser } = await import(root + '/userland/sbin/lib/strace/records.ts');
let warmUp = null;
let LineBytes = null;
try { ({ warmUp } = await import(root + '/userland/sbin/lib/strace/warm.ts')); } catch {}
try { ({ LineBytes } = await import(root + '/userland/sbin/lib/strace/out.ts')); } catch {}
const all = new Uint8Array(fs.readFileSync(file));
const options = { timing: false, stamps: 0, relative: false, verbose: false, summary: false, filter: null };
// the output as strace makes it: lines as bytes (out.ts), or (an older strace) one string encoded per read
const out = new Uint8Array(4 << 20);
const enc = new TextEncoder();
let text = '';
const bytes = LineBytes === null ? null : new LineBytes();
const fmt = new Formatter(options, (line) => { text += line; }, () => {});
if (bytes !== null) fmt.writeBytesTo(bytes);
const parser = new Parser();
const READ = 1 << 18;
const feed = (b) => {
  parser.feedTo(b, fmt);
  if (bytes !== null) { out.set(bytes.view().subarray(0, out.length)); bytes.clear(); }
  if (text !== '') { enc.encodeInto(text, out); text = ''; }
};
// the schema (the first record) first, then the warm-up as strace makes it, then the stream
const schemaEnd = new DataView(all.buffer, all.byteOffset).getUint32(0, true);
feed(all.slice(0, schemaEnd));
if (warmUp !== null && fmt.streamSchema) {
  const make = () => {
    const wf = new Formatter(options, () => {}, () => {});
    if (bytes !== null) wf.writeBytesTo(bytes);
    wf.push({ type: 'schema', pid: 0, tid: 0, time: 0, schema: fmt.streamSchema });
    return wf;
  };
  warmUp(make(), fmt.streamSchema.calls, () => { if (bytes !== null) bytes.clear(); }, make);
  await new Promise((r) => setTimeout(r, 20));
}
let records = 0;
const dv = new DataView(all.buffer, all.byteOffset, all.byteLength);
for (let o = schemaEnd; o + 24 <= all.length; o += dv.getUint32(o, true)) records++;
// the pieces cut before the clock starts (strace reads into buffers it reuses: cutting 256 KiB
// pieces here, an allocation each, cost from 0.2 to 3 ms a piece from run to run)
const pieces = [];
for (let o = schemaEnd; o < all.length; o += READ) pieces.push(all.slice(o, Math.min(all.length, o + READ)));
const u = process.threadCpuUsage();
for (const piece of pieces) feed(piece);
const c = process.threadCpuUsage(u);
process.stdout.write('strace ' + (((c.user + c.system) * 1000) / records).toFixed(1) + ' ' + records + '\\n');
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
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const spread = (xs: number[]): string => {
  const m = median(xs);
  return `±${((100 * (Math.max(...xs) - Math.min(...xs))) / 2 / m).toFixed(0)}%`;
};

/** "KEY JSON" lines of a runner's output: the objects. */
function linesOfJson(out: string, key: string): AcctFigure[] {
  return out.split('\n').filter((l) => l.startsWith(key + ' ')).map((l) => JSON.parse(l.slice(key.length + 1)) as AcctFigure);
}

/** "KEY VALUE..." lines of a runner's output, by key: the numbers after it. */
function linesOf(out: string, key: string): number[][] {
  return out.split('\n').filter((l) => l.startsWith(key + ' ')).map((l) => l.slice(key.length + 1).split(' ').map(Number));
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'isokernel-trace-bench-'));
  try {
    const runner = join(tmp, 'runner.mjs');
    writeFileSync(runner, RUNNER);
    const replay = join(tmp, 'replay.mjs');
    writeFileSync(replay, REPLAY);
    process.env.TRACE_BIN = TRACE_BIN;
    const node = process.execPath;
    const kernelRun = (argv: string[]) => sh(node, [runner, ROOT, 'run', ...argv]);

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
    const cpuRows: string[][] = [];
    const notes: string[] = [];
    const only = process.env.TRACE_BENCH_CALLS?.split(',') ?? null; // e.g. getppid,write
    for (const [call, full] of CALLS.filter(([c]) => only === null || only.includes(c))) {
      const n = full;
      const wasm = ['/t/sysloop.wasm', call, String(n)];
      const long = ['/t/sysloop.wasm', call, String(n * TRACED_SCALE)];
      const r: Record<string, number[]> = {
        plain: [], traced: [], counted: [], filtered: [], native: [], ptrace: [],
        kPlain: [], kTraced: [], strace: [],
      };
      // accounting off and on, in one process (paired rounds: bench/acct.ts)
      log(`${call} accounting A/B`);
      const [acct] = linesOfJson(await sh(node, [runner, ROOT, 'acct', String(ACCT_ROUNDS), call, '1']), 'acct');
      const stream = join(tmp, `${call}.trace`);
      for (let i = 0; i < REPS; i++) {
        log(`${call} rep ${i + 1}/${REPS}`);
        r.plain!.push(nsOf(await kernelRun(wasm)));
        r.traced!.push(nsOf(await kernelRun(['/sbin/strace', '-o', '/dev/null', ...long])));
        r.counted!.push(nsOf(await kernelRun(['/sbin/strace', '-c', '-o', '/dev/null', ...long])));
        r.filtered!.push(nsOf(await kernelRun(['/sbin/strace', '-e', 'trace=proc_raise', '-o', '/dev/null', ...wasm])));
        // the kernel's share of a traced call (a host-side reader) and strace's (its code on the recorded stream)
        const share = await sh(node, [runner, ROOT, 'share', '2', stream, ...long]);
        for (const [v] of linesOf(share, 'share plain')) r.kPlain!.push(v!);
        for (const [v] of linesOf(share, 'share traced')) r.kTraced!.push(v!);
        const [st] = linesOf(await sh(node, [replay, ROOT, stream]), 'strace');
        if (st) r.strace!.push(st[0]!);
        if (nativeOk) {
          r.native!.push(nsOf(await sh(native, [call, String(n)])));
          if (hostStrace) r.ptrace!.push(nsOf(await sh(hostStrace, ['-f', '-o', '/dev/null', native, call, String(n / PTRACE_SHARE)])));
        }
      }
      // CPU figures: the mean (each run's thread CPU is whole scheduler ticks; the mean of
      // runs averages that out, a median would keep it); wall figures: the median
      const CPU_KEYS = new Set(['kPlain', 'kTraced', 'strace']);
      const m = (k: string): number | null => (r[k]!.length ? (CPU_KEYS.has(k) ? mean(r[k]!) : median(r[k]!)) : null);
      const f = (k: string): string => (m(k) === null ? '—' : `${m(k)!.toFixed(0)} ${spread(r[k]!)}`);
      const x = (a: string, b: string): string => (m(a) === null || m(b) === null ? '—' : `${(m(a)! / m(b)!).toFixed(1)}×`);
      const sg = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
      const acctCols = acct === undefined ? ['—', '—', '—', '—', '—']
        : [`${acct.offWall.toFixed(1)} (min ${acct.offWallMin.toFixed(1)})`, `${acct.onWall.toFixed(1)} (min ${acct.onWallMin.toFixed(1)})`,
          `${sg(acct.wallPct)} [${sg(acct.wallPctLo)}, ${sg(acct.wallPctHi)}]`, `${sg(acct.cpuPct)} [${sg(acct.cpuPctLo)}, ${sg(acct.cpuPctHi)}]`, sg(acct.minPct)];
      rows.push([call, f('plain'), f('traced'), x('traced', 'plain'), f('counted'), x('counted', 'plain'),
        f('filtered'), x('filtered', 'plain'), f('native'), f('ptrace'), x('ptrace', 'native')]);
      const kShare = m('kTraced') === null || m('kPlain') === null ? null : m('kTraced')! - m('kPlain')!;
      cpuRows.push([call, ...acctCols,
        f('kPlain'), f('kTraced'), kShare === null ? '—' : kShare.toFixed(0), f('strace'),
        kShare === null || m('strace') === null || m('kPlain') === null ? '—' : `${(Math.max(m('kTraced')!, m('strace')!) / m('kPlain')!).toFixed(1)}×`]);
    }
    notes.push(
      `isokernel: the loop in a WASI process (tests/trace/bin/sysloop.wasm), timed inside it (wall time); traced = \`strace -o /dev/null\` (every call decoded and formatted by strace, a JS process on its own thread), counted = \`strace -c -o /dev/null\` (a count-only session: the kernel counts, no call records), filtered out = \`strace -e trace=proc_raise -o /dev/null\` (traced, but the kernel records none of these calls: trace_filter). Traced and counted runs make ${TRACED_SCALE}× the calls.`,
      `host: the same C source built with cc -O2, bare and (a tenth of the iterations) under \`${hostStrace ?? 'strace (missing)'} -f -o /dev/null\` (ptrace: two stops and context switches per call).`,
      'Median of ' + REPS + ' runs each; ± is half the spread of the runs around the median (in the CPU table: the mean, ± the spread around it).',
    );
    const cpuNotes = [
      `accounting (bench/acct.ts): one process boots two kernels of this tree, accounting on the syscall path off (acct/acct.ts, setSyscallAccounting(false): the import wrappers neither count nor sample calls) and on, and runs the untraced loop in each in turns, ${ACCT_ROUNDS} rounds of ~0.1 s a side (the order alternating); "acct off/on ns": the loop's own timing per call, median of the rounds (the fastest run in parentheses); "acct, paired": the median over rounds of each round's on/off ratio [its quartiles] — by the loop's clock and by the kernel thread's CPU time (process.threadCpuUsage, less a one-call run); "acct, fastest runs": the fastest run with accounting against the fastest without (the least disturbed runs).`,
      `kernel's share: the traced loop with a host-side reader on the kernel's thread taking the records as they come (no strace), against the untraced loop, in one process: thread CPU per call, everything the kernel thread does (the guest's loop too); the difference is the tracer's part of a traced call (records encoded, captures copied, the reader's copy).`,
      `strace's share: strace's parser and formatter (userland/sbin/lib/strace) in a fresh process on the stream recorded above: the schema, strace's warm-up (warm.ts), then the stream in 256 KiB pieces, its lines written as strace writes them (thread CPU per record; the channel's reads and writes not counted). "by CPU ×": the larger of the traced loop's kernel thread (untraced + kernel share) and strace, over the untraced loop — what a traced call costs when the kernel and strace each have a core (the slower of the two sets the pace), in CPU time, which load inflates less than wall time; "traced ×" in the table above is what it did cost in this run.`,
    ];
    const header = ['call', 'isokernel ns', 'traced ns', 'traced ×', 'strace -c ns', '-c ×',
      'filtered out ns', 'filtered ×', 'native ns', 'native+strace ns', 'ptrace ×'];
    const cpuHeader = ['call', 'acct off ns', 'acct on ns', 'acct, paired (loop)', 'acct, paired (CPU)', 'acct, fastest runs', 'untraced CPU ns', 'traced (host reader) CPU ns', 'kernel share ns', 'strace share ns', 'by CPU ×'];
    const table = (h: string[], rs: string[][]): string[] => [
      `| ${h.join(' | ')} |`,
      `|${h.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
      ...rs.map((row) => `| ${row.join(' | ')} |`),
    ];
    const md = [
      '# Tracing overhead (bench/trace.ts)',
      '',
      `Targets: a traced call ≤ 5× an untraced one; accounting ≤ 5 % on the syscall path. Machine: ${cpus().length}× ${cpus()[0]?.model ?? '?'}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end; Node ${process.version}; ${new Date().toISOString()}.`,
      '',
      ...table(header, rows),
      '',
      ...notes.map((n) => `- ${n}`),
      '',
      '## Accounting, and the two sides of a traced call, by thread CPU time',
      '',
      ...table(cpuHeader, cpuRows),
      '',
      ...cpuNotes.map((n) => `- ${n}`),
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
