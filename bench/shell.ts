// The shell and its commands (issue 4), against the host's dash and GNU commands in the same run:
//   node bench/shell.ts [--quick]
//
// - loop: a script that runs 1,000 short external commands (basename, dirname, expr, uname
//   in turn, each a process of its own in both shells) — target ≤ 1.0× the host's wall time;
// - pipeline: `cat BIG | grep PATTERN | wc -l` over 100 MB of text — target ≤ 2× the host's.
//
// The host's `dash SCRIPT` (with GNU commands) is timed as a whole command. isokernel is timed
// two ways: `/bin/sh SCRIPT` spawned in a booted kernel, from spawn to exit — what a cron job,
// a CGI script or an admin's command meets in a running image, and the figure the targets
// apply to — and `isokernel run /bin/sh SCRIPT` as a whole host command, which adds starting
// Node and loading the kernel (~0.1 s for `node -e 0` alone, ~0.2–0.3 s more to load the
// kernel's modules). Medians of several runs, the sides alternating so that load on the
// machine falls on all of them. The big file is made once in a temporary directory on the
// host and read through hostfs (mounted at its own path, as `isokernel run` does).
// Prints `NAME VALUE` lines and a table, and writes bench/results-shell.md. Reports; never fails.
import { execFile } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Kernel } from '../src/kernel/kernel.ts';

const BENCH_DIR = fileURLToPath(new URL('./', import.meta.url));
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ISOKERNEL = `${ROOT}bin/isokernel`;
const quick = process.argv.includes('--quick');
const RUNS = quick ? 1 : 5;
const BIG_MB = quick ? 10 : 100;
const LOOP_COMMANDS = 1000;

const log = (m: string): void => void process.stderr.write(`bench/shell: ${m}\n`);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface Timed {
  ms: number;
  stdout: string;
}

function timed(cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    execFile(cmd, args, { cwd, env, maxBuffer: 1 << 20, timeout: 600_000 }, (err, stdout, stderr) => {
      const ms = performance.now() - t0;
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve({ ms, stdout });
    });
  });
}

function which(name: string): Promise<string | null> {
  return new Promise((resolve) => execFile('sh', ['-c', `command -v ${name}`], (err, out) => resolve(err ? null : out.trim())));
}

/** BIG_MB of log-like lines, one in 100 holding the pattern: made by us, so the same each run. */
function makeBigFile(path: string): void {
  const fd = openSync(path, 'w');
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
  const target = BIG_MB * 1024 * 1024;
  let written = 0;
  let n = 0;
  const chunk: string[] = [];
  let chunkLen = 0;
  while (written + chunkLen < target) {
    const w1 = words[n % 10]!, w2 = words[(n * 7) % 10]!, w3 = words[(n * 3 + 1) % 10]!;
    const mark = n % 100 === 42 ? ' NEEDLE' : '';
    const line = `2026-12-03T03:${String(n % 60).padStart(2, '0')}:00Z host app[${n % 997}]: ${w1} ${w2} request ${n} took ${n % 1000} ms ${w3}${mark}\n`;
    chunk.push(line);
    chunkLen += line.length;
    n++;
    if (chunkLen > 1 << 20) {
      writeSync(fd, chunk.join(''));
      written += chunkLen;
      chunk.length = 0;
      chunkLen = 0;
    }
  }
  if (chunk.length) writeSync(fd, chunk.join(''));
  closeSync(fd);
}

const LOOP_SCRIPT = `i=0
while [ $i -lt ${LOOP_COMMANDS} ]; do
  case $((i % 4)) in
  0) basename /usr/lib/file$i.txt .txt ;;
  1) dirname /usr/lib/file$i.txt ;;
  2) expr $i + 1 ;;
  3) uname -s ;;
  esac
  i=$((i + 1))
done > /dev/null
echo done
`;

interface Row {
  key: string;
  label: string;
  host: number;
  iso: number;
  whole: number;
  target: number;
}

/** A kernel with the host directory `dir` mounted at its own path. */
async function bootWith(dir: string): Promise<Kernel> {
  const k = await Kernel.boot({});
  let cur = k.ns.root;
  for (const name of dir.split('/').filter(Boolean).slice(0, -1)) {
    try {
      cur = k.ns.child(cur, name);
    } catch {
      cur = { mount: cur.mount, vnode: cur.vnode.mkdir(name, 0o755) };
    }
  }
  k.mount(dir, { type: 'hostfs', host: dir });
  return k;
}

/** /bin/sh SCRIPT in the booted kernel, from spawn to exit. */
async function inKernel(k: Kernel, dir: string, script: string): Promise<Timed> {
  const target = await k.findProgram('/bin/sh', ['sh', script]);
  const t0 = performance.now();
  const p = k.spawn({ program: target.program, args: target.argv, cwd: dir, env: { PATH: '/bin' }, stdio: ['null', 'capture', 'inherit'] });
  const st = await p.exited;
  const ms = performance.now() - t0;
  if (st.code !== 0) throw new Error(`/bin/sh ${script} in the kernel: ${JSON.stringify(st)}`);
  return { ms, stdout: p.output(1).toString() };
}

async function main(): Promise<void> {
  const dash = await which('dash');
  if (!dash) {
    log('dash is not installed (apt-get install -y dash): skipped');
    return;
  }
  const dir = mkdtempSync(`${tmpdir()}/isokernel-bench-shell-`);
  try {
    const hostEnv = { PATH: '/usr/bin:/bin', LC_ALL: 'C' };
    writeFileSync(`${dir}/loop.sh`, LOOP_SCRIPT);
    writeFileSync(`${dir}/pipe.sh`, 'cat big.txt | grep NEEDLE | wc -l\n');
    log(`making a ${BIG_MB} MB text file`);
    makeBigFile(`${dir}/big.txt`);

    const rows: Row[] = [];
    const kernel = await bootWith(dir);
    const sides = async (key: string, label: string, script: string, target: number, expect: string): Promise<void> => {
      log(`${key}: dash and GNU commands, /bin/sh in a booted kernel, isokernel run (${RUNS} runs each)`);
      const host: number[] = [];
      const iso: number[] = [];
      const whole: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        const h = await timed(dash, [script], dir, hostEnv);
        const i = await inKernel(kernel, dir, script);
        const w = await timed(ISOKERNEL, ['run', '/bin/sh', script], dir);
        for (const [side, out] of [['host', h.stdout], ['kernel', i.stdout], ['isokernel run', w.stdout]]) {
          if (out!.trim() !== expect) throw new Error(`${key}: ${side} printed ${JSON.stringify(out)}, expected ${expect}`);
        }
        host.push(h.ms);
        iso.push(i.ms);
        whole.push(w.ms);
      }
      rows.push({ key, label, host: median(host), iso: median(iso), whole: median(whole), target });
      process.stdout.write(`shell_${key}_host_ms ${median(host).toFixed(1)}\nshell_${key}_isokernel_ms ${median(iso).toFixed(1)}\n` +
        `shell_${key}_isokernel_run_ms ${median(whole).toFixed(1)}\n`);
    };
    // Each run's output is checked against the host's count: the figure is for the same work.
    const count = (await timed(dash, ['pipe.sh'], dir, hostEnv)).stdout.trim();
    await sides('loop', `${LOOP_COMMANDS} short commands in a loop (script)`, 'loop.sh', 1.0, 'done');
    await sides('pipeline', `cat ${BIG_MB} MB \\| grep \\| wc -l`, 'pipe.sh', 2.0, count);
    await kernel.shutdown();

    const engine = median(await Promise.all([0].map(() => timed(process.execPath, ['-e', '0'], dir).then((t) => t.ms))));
    const lines = [
      '# Shell and commands: benchmark results',
      '',
      `\`node bench/shell.ts\` (also run by \`npm run bench\`), ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ` +
        `${cpus()[0]?.model.split(' ').slice(0, 2).join(' ')} ×${cpus().length}, Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the end.`,
      '',
      `Wall time, median of ${RUNS}: the host's \`dash SCRIPT\` with GNU commands; \`/bin/sh SCRIPT\` spawned in a booted kernel, ` +
        `spawn to exit (the figure the targets apply to: a script in a running image); and \`isokernel run /bin/sh SCRIPT\` as a whole ` +
        `host command, which adds starting Node and loading the kernel (\`node -e 0\` alone takes ${engine.toFixed(0)} ms here).`,
      '',
      '| figure | host dash | isokernel (booted) | ratio | target | met? | `isokernel run` (whole command) | ratio |',
      '|---|---:|---:|---:|---|---|---:|---:|',
      ...rows.map((r) => {
        const ratio = r.iso / r.host;
        return `| ${r.label} | ${r.host.toFixed(0)} ms | ${r.iso.toFixed(0)} ms | ${ratio.toFixed(2)}× | ≤ ${r.target.toFixed(1)}× | ` +
          `${ratio <= r.target ? 'yes' : 'NO'} | ${r.whole.toFixed(0)} ms | ${(r.whole / r.host).toFixed(2)}× |`;
      }),
      '',
    ];
    const table = lines.join('\n');
    writeFileSync(`${BENCH_DIR}results-shell.md`, table);
    process.stdout.write(`\n${table}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
