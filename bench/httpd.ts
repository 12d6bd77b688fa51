// httpd against Apache 2.4 (issue 9 item 5):
//   node bench/httpd.ts [--quick] [--runs N] [--no-profile]
//
// In one run, on 127.0.0.1, each server loaded with `wrk -t2 -c16 -d10s --latency`:
// - Apache 2.4 (Debian's apache2), self-contained configs in bench/httpd/: event MPM with
//   mod_cgid, prefork MPM with mod_cgi; the CGI is examples/demo-image/src/cgi/hello.c
//   built natively with gcc; a static file of 1 KiB.
// - isokernel: /sbin/httpd.ts as a JS process of a kernel booted here, the same hello.c
//   built for wasm32-wasi (examples/demo-image/cgi-bin/hello), the same static file.
// Reports req/s and p99 (median of the runs), the ratios and the targets (CGI ≥ 3× mod_cgid
// with a lower p99; static ≥ 0.5× the event MPM), and where isokernel's time goes: host CPU
// per request (kernel thread + isolates), httpd's isolate CPU and system calls per request,
// and a CPU profile of the kernel thread (node:inspector) during one more CGI load, not
// counted in the figures: its top functions by self time. Apache is
// skipped, with a note, if it is not installed (apt-get install apache2 wrk); the whole
// bench is skipped without wrk. Writes bench/results-httpd.md. Reports; never fails.
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH_DIR);
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const RUNS = Number(argv[argv.indexOf('--runs') + 1]) > 0 && argv.includes('--runs') ? Number(argv[argv.indexOf('--runs') + 1]) : quick ? 1 : 2;
const DURATION = quick ? '3s' : '10s';
const NO_PROFILE = argv.includes('--no-profile');
const log = (m: string): void => void process.stderr.write(`bench/httpd: ${m}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function run(cmd: string, args: string[], o: { timeout?: number } = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: o.timeout ?? 120_000, maxBuffer: 8 << 20 }, (e, out, err) => {
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out, err });
    });
  });
}

const which = async (cmd: string): Promise<string | null> => {
  const r = await run('sh', ['-c', `command -v ${cmd}`]);
  return r.code === 0 ? r.out.trim() : null;
};

interface WrkResult {
  rps: number;
  p99ms: number;
  p50ms: number;
  errors: number;
  requests: number;
}

function ms(v: string, unit: string): number {
  const n = Number(v);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n;
}

async function wrkOnce(url: string): Promise<WrkResult> {
  const r = await run('wrk', ['-t2', '-c16', `-d${DURATION}`, '--latency', url], { timeout: 120_000 });
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(r.out);
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(r.out);
  const p50 = /^\s+50%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(r.out);
  const reqs = /(\d+) requests in/.exec(r.out);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(r.out);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(r.out);
  if (!rps || !p99 || !p50) throw new Error(`wrk gave no figures for ${url}: ${r.out}${r.err}`);
  return {
    rps: Number(rps[1]), p99ms: ms(p99[1]!, p99[2]!), p50ms: ms(p50[1]!, p50[2]!), requests: reqs ? Number(reqs[1]) : 0,
    errors: (non2xx ? Number(non2xx[1]) : 0) + (sock ? Number(sock[1]) + Number(sock[2]) + Number(sock[3]) + Number(sock[4]) : 0),
  };
}

/** Checks the URL answers 200 with `expect` in the body, then runs wrk RUNS times; the median run by req/s. */
async function load(name: string, url: string, expect: string, around?: { before(): void; after(r: WrkResult): void }): Promise<WrkResult & { runs: number[] }> {
  const body = await fetchText(url);
  if (!body.includes(expect)) throw new Error(`${name}: ${url} answered ${JSON.stringify(body.slice(0, 200))}`);
  const all: WrkResult[] = [];
  for (let i = 0; i < RUNS; i++) {
    around?.before();
    const r = await wrkOnce(url);
    around?.after(r);
    log(`${name}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50ms.toFixed(2)} ms, p99 ${r.p99ms.toFixed(2)} ms${r.errors ? `, ${r.errors} errors` : ''}`);
    all.push(r);
    await sleep(500);
  }
  const sorted = [...all].sort((a, b) => a.rps - b.rps);
  const mid = sorted[sorted.length >> 1]!;
  return { ...mid, rps: median(all.map((r) => r.rps)), p99ms: median(all.map((r) => r.p99ms)), runs: all.map((r) => r.rps) };
}

function fetchText(url: string): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port) });
    const out: Buffer[] = [];
    s.on('connect', () => s.write(`GET ${u.pathname} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`));
    s.on('data', (c: Buffer) => out.push(c));
    s.on('error', reject);
    s.on('close', () => resolve(Buffer.concat(out).toString('latin1')));
    s.setTimeout(10_000, () => s.destroy(new Error(`no answer from ${url}`)));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function waitPort(port: number, ms = 15_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() - t0 > ms) throw new Error(`nothing listening on ${port} after ${ms} ms`);
    await sleep(100);
  }
}

// ---- the content, the same for every server ----

const WORK = mkdtempSync(path.join(tmpdir(), 'isk-bench-httpd-'));
chmodSync(WORK, 0o755);
const STATIC = Buffer.alloc(1024, 'x');
STATIC.write('<!DOCTYPE html><title>bench</title>');

function content(dir: string, cgi: string): void {
  mkdirSync(path.join(dir, 'www'), { recursive: true });
  mkdirSync(path.join(dir, 'cgi-bin'), { recursive: true });
  writeFileSync(path.join(dir, 'www', 'index.html'), STATIC);
  cpSync(cgi, path.join(dir, 'cgi-bin', 'hello'));
  chmodSync(path.join(dir, 'cgi-bin', 'hello'), 0o755);
  for (const d of [dir, path.join(dir, 'www'), path.join(dir, 'cgi-bin')]) chmodSync(d, 0o755);
}

// ---- Apache ----

async function apache(kind: 'event' | 'prefork', nativeCgi: string): Promise<{ port: number; stop: () => Promise<void> } | null> {
  const dir = path.join(WORK, `apache-${kind}`);
  content(dir, nativeCgi);
  mkdirSync(path.join(dir, 'run'), { recursive: true });
  chmodSync(path.join(dir, 'run'), 0o777);
  const port = await freePort();
  const root = process.getuid?.() === 0;
  const conf = readFileSync(path.join(BENCH_DIR, 'httpd', `apache-${kind}.conf`), 'utf8')
    .replaceAll('@DIR@', dir).replaceAll('@PORT@', String(port))
    .replaceAll('@USER@', root ? 'www-data' : `#${process.getuid?.() ?? 0}`).replaceAll('@GROUP@', root ? 'www-data' : `#${process.getgid?.() ?? 0}`);
  const file = path.join(dir, 'httpd.conf');
  writeFileSync(file, conf);
  const r = await run('apache2', ['-f', file, '-k', 'start']);
  if (r.code !== 0) {
    log(`apache ${kind}: ${r.err || r.out}`);
    return null;
  }
  await waitPort(port);
  return {
    port,
    async stop() {
      await run('apache2', ['-f', file, '-k', 'stop']);
      for (let i = 0; i < 50 && existsSync(path.join(dir, 'run', 'httpd.pid')); i++) await sleep(100);
      const err = readFileSync(path.join(dir, 'error.log'), 'utf8').split('\n').filter((l) => /\[(error|crit|alert|emerg)\]|:error\]/.test(l));
      if (err.length) log(`apache ${kind} error.log: ${err.slice(0, 3).join(' | ')}`);
    },
  };
}

// ---- isokernel ----

interface IskServer {
  port: number;
  stop: () => Promise<void>;
  /** Host CPU (this process: kernel thread + isolates) and httpd's system calls, between marks. */
  mark: () => { cpuUs: number; syscalls: number; httpdCpuNs: number };
}

async function isokernel(wasmCgi: string): Promise<IskServer | { skipped: string }> {
  const { Kernel } = await import('../src/kernel/kernel.ts');
  const { NODE_PROGRAM } = await import('../src/kernel/jsproc/program.ts');
  const dir = path.join(WORK, 'isokernel');
  content(dir, wasmCgi);
  const port = await freePort();
  const kernel = await Kernel.boot({ mounts: [] });
  const mk = (p: string): void => {
    let cur = kernel.ns.root;
    for (const name of p.split('/').filter(Boolean)) {
      try {
        cur = kernel.ns.child(cur, name);
      } catch {
        cur = { mount: cur.mount, vnode: cur.vnode.mkdir(name, 0o755) };
      }
    }
  };
  mk('/sbin');
  kernel.mount('/sbin', { type: 'hostfs', host: path.join(ROOT, 'userland/sbin'), readOnly: true });
  mk('/srv');
  kernel.mount('/srv', { type: 'hostfs', host: dir, readOnly: true });
  const p = kernel.spawn({
    program: NODE_PROGRAM,
    args: ['node', '/sbin/httpd.ts', '--listen', `127.0.0.1:${port}`, '--root', '/srv/www', '--cgi-bin', '/cgi-bin=/srv/cgi-bin', '--cgi-timeout', '10s'],
    cwd: '/', env: ['PATH=/bin:/usr/bin'], stdio: ['null', 'capture', 'capture'],
  });
  const t0 = Date.now();
  while (!p.output(1).toString().includes('httpd: ready')) {
    if (p.exitStatus) return { skipped: `httpd ended (status ${p.exitStatus.status}): ${p.output(2).toString().trim().split('\n').slice(-3).join(' | ')}` };
    if (Date.now() - t0 > 20_000) return { skipped: `httpd not ready after 20 s: ${p.output(2).toString().trim()}` };
    await sleep(50);
  }
  let cpu0 = process.cpuUsage();
  let sc0 = p.acct.syscalls;
  let hc0 = p.acct.cpuNs;
  return {
    port,
    mark() {
      const c = process.cpuUsage(cpu0);
      const out = { cpuUs: c.user + c.system, syscalls: p.acct.syscalls - sc0, httpdCpuNs: p.acct.cpuNs - hc0 };
      cpu0 = process.cpuUsage();
      sc0 = p.acct.syscalls;
      hc0 = p.acct.cpuNs;
      return out;
    },
    async stop() {
      kernel.kill(p.pid, 15);
      const t = setTimeout(() => kernel.kill(p.pid, 9), 5000);
      await p.exited;
      clearTimeout(t);
      const err = p.output(2).toString().trim();
      if (err) log(`isokernel httpd stderr (last lines): ${err.split('\n').slice(-3).join(' | ')}`);
      await (kernel as unknown as { shutdown?: () => Promise<void> }).shutdown?.();
    },
  };
}

// ---- where the kernel thread's time goes ----

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Top functions by self time in a CPU profile of this thread (the kernel's) while `work` runs. */
async function profiled(work: () => Promise<unknown>): Promise<{ name: string; pct: number }[]> {
  const { Session } = await import('node:inspector/promises');
  const s = new Session();
  s.connect();
  await s.post('Profiler.enable');
  await s.post('Profiler.setSamplingInterval', { interval: 500 });
  await s.post('Profiler.start');
  let profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  try {
    await work();
  } finally {
    profile = ((await s.post('Profiler.stop')) as { profile: typeof profile }).profile;
    s.disconnect();
  }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const n = byId.get(id)!;
    const t = profile.timeDeltas[i] ?? 0;
    total += t;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'}${f.url ? ` ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + t);
  });
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([name, t]) => ({ name, pct: (100 * t) / total }));
}

// ---- main ----

interface Row {
  server: string;
  what: 'static' | 'cgi';
  r: (WrkResult & { runs: number[] }) | null;
  note?: string;
  perReq?: { cpuUs: number; syscalls: number; httpdCpuUs: number };
}

let cgiProfile: { name: string; pct: number }[] | null = null;

async function main(): Promise<void> {
  const rows: Row[] = [];
  const notes: string[] = [];
  if (!(await which('wrk'))) {
    const msg = 'wrk is not installed (apt-get install -y wrk): nothing measured';
    log(msg);
    writeFileSync(path.join(BENCH_DIR, 'results-httpd.md'), `# httpd: benchmark results\n\n${msg}.\n`);
    return;
  }
  const nativeDir = path.join(WORK, 'native');
  const b = await run('bash', [path.join(ROOT, 'examples/demo-image/src/cgi/build.sh'), '--native', nativeDir]);
  const nativeCgi = path.join(nativeDir, 'hello');
  const wasmCgi = path.join(ROOT, 'examples/demo-image/cgi-bin/hello');
  const haveApache = b.code === 0 && (await which('apache2')) !== null;
  if (b.code !== 0) notes.push(`the native CGI did not build (gcc): ${b.err.trim().split('\n')[0]}`);
  if (!haveApache) notes.push('Apache skipped: apache2 is not installed (apt-get install -y apache2).');

  if (haveApache) {
    for (const kind of ['event', 'prefork'] as const) {
      const label = kind === 'event' ? 'Apache event + mod_cgid' : 'Apache prefork + mod_cgi';
      log(`${label}: starting`);
      const a = await apache(kind, nativeCgi);
      if (!a) {
        rows.push({ server: label, what: 'cgi', r: null, note: 'did not start' });
        continue;
      }
      try {
        if (kind === 'event') rows.push({ server: 'Apache event', what: 'static', r: await load(`${label} static`, `http://127.0.0.1:${a.port}/index.html`, 'bench') });
        rows.push({ server: label, what: 'cgi', r: await load(`${label} CGI`, `http://127.0.0.1:${a.port}/cgi-bin/hello`, 'hello') });
      } catch (e) {
        notes.push(`${label}: ${(e as Error).message}`);
      } finally {
        await a.stop();
      }
    }
  }

  log('isokernel httpd: starting');
  const iso = await isokernel(wasmCgi);
  if ('skipped' in iso) {
    notes.push(`isokernel skipped: ${iso.skipped}`);
    log(iso.skipped);
  } else {
    try {
      for (const [what, url, expect] of [['static', '/index.html', 'bench'], ['cgi', '/cgi-bin/hello', 'hello']] as const) {
        let acc = { cpuUs: 0, syscalls: 0, httpdCpuNs: 0, requests: 0 };
        const r = await load(`isokernel ${what}`, `http://127.0.0.1:${iso.port}${url}`, expect, {
          before: () => void iso.mark(),
          after: (w) => {
            const m = iso.mark();
            acc = { cpuUs: acc.cpuUs + m.cpuUs, syscalls: acc.syscalls + m.syscalls, httpdCpuNs: acc.httpdCpuNs + m.httpdCpuNs, requests: acc.requests + w.requests };
          },
        });
        const n = Math.max(1, acc.requests);
        rows.push({ server: 'isokernel httpd', what, r, perReq: { cpuUs: acc.cpuUs / n, syscalls: acc.syscalls / n, httpdCpuUs: acc.httpdCpuNs / 1000 / n } });
      }
      if (!NO_PROFILE) {
        log('isokernel CGI: one more load (5 s), profiling the kernel thread');
        const url = `http://127.0.0.1:${iso.port}/cgi-bin/hello`;
        cgiProfile = await profiled(() => run('wrk', ['-t2', '-c16', '-d5s', url]));
      }
    } catch (e) {
      notes.push(`isokernel: ${(e as Error).message}`);
    } finally {
      await iso.stop();
    }
  }
  rmSync(WORK, { recursive: true, force: true });
  report(rows, notes);
}

/** What limits isokernel's figures: from the profiles taken while writing httpd (see the table above for this run's). */
const ANALYSIS = `## Where isokernel's time goes

- **Per system call from httpd, not per byte.** httpd is a JS process: each call is a round trip
  between its isolate and the kernel thread over a lane (docs/jsproc.md), which costs CPU on both
  sides — \`Atomics.notify\` and a fresh \`Atomics.waitAsync\` per reply on the kernel thread
  (\`reply\`/\`listen\` in syscall/channel.ts are the top kernel-side entries), and the promise
  machinery in the isolate (the "httpd isolate CPU / req" column divided by the syscalls column is
  the isolate's cost of one call: tens of µs, far above the 23 µs wall time bench/jsproc.ts
  measures on an idle machine). So httpd makes as few calls as it can: a hot static file costs 2
  (the read of the request and the write of the response: paths, stats and small files are cached
  for 1 s); a CGI request 6 (read; spawn, which makes the script's stdout pipe and gives httpd its
  end — the spawn's PIPE action, no pipe() before it nor close() of the script's end after it;
  read, which also tells that the pipe is at its end — the kernel's read_eof: a script has
  usually exited by then, so the read at end of file is not made; wait; write; and the close
  of httpd's end, sent with \`closeLater\`, which nobody waits for — a synchronous close held
  the isolate for a round trip behind whatever the kernel thread was doing). The script's
  stat is cached.
- **CGI: spawning the WASI process**: the module is compiled once and cached; its instance is
  new for each request, and its memory comes from the kernel's pool (proc/memory-pool.ts: a
  fresh wasm memory, created and then freed by the GC, cost ~200 µs of a core per request, most
  of \`Instance\` and much of the garbage collector's time in the profile above before the pool).
  A spawn that names a cwd also makes the kernel work out the cwd's path by reading directories
  (\`pathOf\`, a readdir per level on hostfs): httpd works in its CGI directory so that spawns
  need no cwd.
- **Measured and not taken** (docs/jsproc.md, "The channel's cost"): spinning before sleeping on
  either side of the channel, and a reply doorbell in the isolate (one \`waitAsync\` for all its
  async lanes): no lower CPU per request on this shared 2-vCPU machine.
- **Suggested kernel changes** (for the lead; not made here): (1) the wait could come with the
  end of the output (a spawn option that reaps the child and reports its status on its pipe's
  end); (2) cache a process's cwd path instead of
  recomputing it with readdirs (\`pathOf\`); (3) hostfs: cache lstat results for read-only image
  mounts (\`lstat\` in the profile: the script's path, resolved at each spawn); (4) the kernel
  thread's remaining per-request costs are the TCP write to the client (\`writeBuffer\`), the
  notify of each reply (\`reply\`) and the GC of each process's objects (\`Accounting\` and the
  instance).
- **The machine**: 2 vCPUs shared by wrk, the server and, here, other work (the load average is in
  the header). Apache's CGI figures are fork+exec bound: ../shared/baselines measured mod_cgid at
  ~1,000 req/s on an earlier kernel of this VM; on 2026-12-03 it served ~165–207 req/s with the
  machine otherwise idle (a sequential curl: ~5.5 ms per CGI request against ~0.75 ms for a static
  file; native getppid ~1 µs and posix_spawn ~1.6 ms there, against 287 ns and 0.7 ms in the
  baselines). Compare ratios within one run.`;

function report(rows: Row[], notes: string[]): void {
  const find = (server: string, what: string) => rows.find((r) => r.server === server && r.what === what)?.r ?? null;
  const isoCgi = find('isokernel httpd', 'cgi');
  const isoStatic = find('isokernel httpd', 'static');
  const cgid = find('Apache event + mod_cgid', 'cgi');
  const ev = find('Apache event', 'static');
  const fmt = (n: number | undefined, d = 0): string => (n === undefined ? '' : n.toFixed(d));
  const lines = [
    '# httpd: benchmark results',
    '',
    `\`node bench/httpd.ts\` (also run by \`npm run bench\`), ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus()[0]?.model ?? '?'} ×${cpus().length}, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end.`,
    `\`wrk -t2 -c16 -d${DURATION} --latency\` on 127.0.0.1, ${RUNS} run${RUNS > 1 ? 's' : ''} each (median req/s and p99); wrk shares the 2 vCPUs with the server. The same hello.c CGI (examples/demo-image/src/cgi/hello.c): gcc -O2 for Apache, wasm32-wasi for isokernel; a 1 KiB static file.`,
    '',
    '| server | load | req/s | p50 | p99 | errors | host CPU / req | httpd isolate CPU / req | httpd syscalls / req |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.server} | ${r.what} | ${r.r ? fmt(r.r.rps) : r.note ?? ''} | ${r.r ? `${fmt(r.r.p50ms, 2)} ms` : ''} | ${r.r ? `${fmt(r.r.p99ms, 2)} ms` : ''} | ${r.r?.errors ?? ''} | ${r.perReq ? `${fmt(r.perReq.cpuUs)} µs` : ''} | ${r.perReq ? `${fmt(r.perReq.httpdCpuUs)} µs` : ''} | ${r.perReq ? fmt(r.perReq.syscalls, 1) : ''} |`),
    '',
    '| target | isokernel | Apache | ratio | met? |',
    '|---|---:|---:|---:|---|',
  ];
  if (isoCgi && cgid) {
    const ratio = isoCgi.rps / cgid.rps;
    lines.push(`| CGI req/s ≥ 3× mod_cgid | ${fmt(isoCgi.rps)} | ${fmt(cgid.rps)} | ${ratio.toFixed(2)}× | ${ratio >= 3 ? 'yes' : 'no'} |`);
    lines.push(`| CGI p99 < mod_cgid's | ${fmt(isoCgi.p99ms, 2)} ms | ${fmt(cgid.p99ms, 2)} ms | ${(isoCgi.p99ms / cgid.p99ms).toFixed(2)}× | ${isoCgi.p99ms < cgid.p99ms ? 'yes' : 'no'} |`);
  } else lines.push('| CGI vs mod_cgid | | | | not measured |');
  if (isoStatic && ev) {
    const ratio = isoStatic.rps / ev.rps;
    lines.push(`| static req/s ≥ 0.5× event MPM | ${fmt(isoStatic.rps)} | ${fmt(ev.rps)} | ${ratio.toFixed(2)}× | ${ratio >= 0.5 ? 'yes' : 'no'} |`);
  } else lines.push('| static vs event MPM | | | | not measured |');
  const isoCgiRow = rows.find((r) => r.server === 'isokernel httpd' && r.what === 'cgi');
  if (isoCgiRow?.perReq && isoCgiRow.r) {
    const bound = (cpus().length * 1e6) / isoCgiRow.perReq.cpuUs;
    notes.push(`A load-independent view of isokernel's CGI: ${fmt(isoCgiRow.perReq.cpuUs)} µs of host CPU per request (kernel thread, httpd's isolate and the WASI process together) bounds it to ~${fmt(bound)} req/s with all ${cpus().length} CPUs to itself (and wrk needs some). For scale: ../shared/baselines measured Apache mod_cgid at ~1,000 req/s on an earlier kernel of this VM; isokernel's figure above is ${(isoCgiRow.r.rps / 999).toFixed(1)}× that.`);
  }
  const cgi = find('Apache prefork + mod_cgi', 'cgi');
  if (isoCgi && cgi) lines.push(`| (CGI against prefork + mod_cgi) | ${fmt(isoCgi.rps)} | ${fmt(cgi.rps)} | ${(isoCgi.rps / cgi.rps).toFixed(2)}× | |`);
  if (notes.length) lines.push('', ...notes.map((n) => `- ${n}`));
  if (cgiProfile) {
    lines.push('', 'Kernel thread during one more isokernel CGI load (5 s, not in the figures), top functions by self time:', '',
      '| function | self |', '|---|---:|', ...cgiProfile.map((p) => `| \`${p.name}\` | ${p.pct.toFixed(1)}% |`));
  }
  lines.push('', ANALYSIS);
  lines.push('');
  const md = lines.join('\n');
  writeFileSync(path.join(BENCH_DIR, 'results-httpd.md'), md);
  process.stdout.write(md);
  log('wrote bench/results-httpd.md');
}

await main();
