// Sockets (issue 9 item 1): round trips and throughput through the kernel's sockets against
// the same C program run natively.
//   node bench/net.ts [--quick]
// - TCP and Unix-domain round trips of 64 bytes and a one-way stream of 64 KiB writes:
//   bench/net/rtt.c, a server and the client it spawns, natively (gcc, if there is one) and
//   as WASI processes of a kernel (rtt.wasm, built here if missing or stale).
// - TCP round trip from JS processes (bench/net/rtt.mjs): a synchronous isokernel client
//   against a promise-form isokernel server, and node:net on both sides.
// Prints `NAME VALUE` lines and writes bench/results-net.md. Reports; never fails.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_PROGRAM } from '../src/kernel/jsproc/program.ts';
import { Kernel } from '../src/kernel/kernel.ts';

const DIR = fileURLToPath(new URL('./net/', import.meta.url));
const ROOT = path.join(DIR, '..', '..');
const quick = process.argv.includes('--quick');
const N = quick ? 500 : 3000;
const MB = quick ? 32 : 128;
const results: [string, string, string][] = [];
const log = (m: string): void => void process.stderr.write(`bench/net: ${m}\n`);

function parse(out: string): Record<string, number> {
  const r: Record<string, number> = {};
  for (const [, k, v] of out.matchAll(/^(\w+) ([\d.]+)$/gm)) r[k!] = Number(v);
  return r;
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 300_000 }, (err, out, errOut) => resolve(err ? `error ${err.message} ${errOut}` : out));
  });
}

async function inKernel(args: string[], js = false, loopbackViaHost = false): Promise<string> {
  const k = await Kernel.boot({ mounts: [{ path: '/b', fs: { type: 'hostfs', host: DIR, readOnly: true } }], network: { loopbackViaHost } });
  try {
    const p = k.spawn(js
      ? { program: NODE_PROGRAM, args: ['node', '/b/rtt.mjs', ...args], stdio: ['null', 'capture', 'capture'] }
      : { program: path.join(DIR, 'rtt.wasm'), args: ['/b/rtt.wasm', ...args], stdio: ['null', 'capture', 'capture'] });
    await p.exited;
    return p.output(1).toString() + p.output(2).toString();
  } finally {
    await k.shutdown();
  }
}

const wasm = path.join(DIR, 'rtt.wasm');
const src = path.join(DIR, 'rtt.c');
if (!existsSync(wasm) || statSync(wasm).mtimeMs < statSync(src).mtimeMs) {
  log('building rtt.wasm');
  spawnSync('clang-14', ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-I', path.join(ROOT, 'include'), '-Wl,--strip-debug',
    src, '-L', path.join(ROOT, 'lib'), '-lisokernel', '-o', wasm]);
}
const tmp = mkdtempSync(path.join(tmpdir(), 'isk-bench-net-'));
const native = path.join(tmp, 'rtt');
const cc = spawnSync('gcc', ['-O2', '-I', path.join(ROOT, 'include'), src, '-o', native]);
const haveNative = cc.status === 0;

for (const [kind, label, viaHost] of [['tcp', 'tcp (joined in the kernel)', false], ['tcp', 'tcp (through the host)', true], ['unix', 'unix', false]] as const) {
  const args = [kind, String(N), '64', String(MB)];
  log(`${label}: native`);
  const n = haveNative ? parse(await run(native, args)) : {};
  log(`${label}: WASI in isokernel`);
  const w = parse(await inKernel(args, false, viaHost));
  const row = (what: string, key: string, unit: string): void => {
    const a = w[key], b = n[key];
    const ratio = a !== undefined && b !== undefined ? (key === 'mbps' ? a / b : a / b).toFixed(2) + '×' : '';
    results.push([`${label} ${what}`, a !== undefined ? `${a} ${unit}` : 'failed', b !== undefined ? `${b} ${unit} (${ratio})` : 'no gcc']);
    const tag = `${kind}${viaHost ? '_host' : ''}`;
    process.stdout.write(`net_${tag}_${key}_isokernel ${a}\nnet_${tag}_${key}_native ${b}\n`);
  };
  row('round trip, 64 B', 'rtt_us', 'µs');
  row(`one way, ${MB} MiB in 64 KiB writes`, 'mbps', 'MiB/s');
}
log('JS processes');
const j = parse(await inKernel([String(quick ? 300 : 1000), '64'], true));
results.push(['TCP round trip, 64 B: JS sync isokernel client ⇄ JS promise-form server', `${j.rtt_us} µs`, '']);
results.push(['TCP round trip, 64 B: node:net ⇄ node:net (one JS process)', `${j.node_net_rtt_us} µs`, '']);
process.stdout.write(`net_js_rtt_us ${j.rtt_us}\nnet_js_node_net_rtt_us ${j.node_net_rtt_us}\n`);
rmSync(tmp, { recursive: true, force: true });

const md = `# Sockets benchmark (bench/net.ts)

Run on ${new Date().toISOString().slice(0, 16)}Z, ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}
(the machine is shared: figures move by 2× between runs under load). Loopback only.

| what | isokernel | native (ratio isokernel/native) |
|---|---|---|
${results.map((r) => `| ${r.join(' | ')} |`).join('\n')}

The C program is the same source (bench/net/rtt.c) for both columns: a server and the client
it spawns, TCP_NODELAY, blocking calls. In isokernel both are WASI processes on the kernel
thread. Their TCP connection is joined inside the kernel (a loopback connection to a port the
kernel listens on), or with \`loopbackViaHost\` goes through the host's loopback (node:net),
as a connection to or from outside does; Unix-domain sockets never leave the kernel. A JS process's every socket call is a round trip to the
kernel thread (docs/jsproc.md, "Performance").
`;
writeFileSync(fileURLToPath(new URL('./results-net.md', import.meta.url)), md);
console.log(md);
