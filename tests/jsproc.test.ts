// JavaScript and TypeScript processes (issue 6; docs/jsproc.md): the same small Node programs
// run on the host and inside isokernel give the same output; the isokernel module; exec of
// scripts; signals; and bad behaviour contained (a heap bomb, a spinner, an uncaught
// exception, reaching for the host). The programs are in tests/jsproc/; the kernel sees that
// directory at its own host path (hostfs), so both runs name the same files.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import dc from 'node:diagnostics_channel';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { dropJsSpares } from '../src/kernel/jsproc/pool.ts';
import { NODE_PROGRAM } from '../src/kernel/jsproc/program.ts';
import { Kernel, USERLAND_BIN } from '../src/kernel/kernel.ts';
import type { FaultRecord } from '../src/kernel/proc/fault.ts';
import type { Limits, Process } from '../src/kernel/proc/process.ts';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const DIR = path.join(ROOT, 'tests/jsproc');
const HAVE_SH = existsSync(path.join(USERLAND_BIN, 'sh'));

interface Result {
  out: string;
  err: string;
  status: number;
}

let kernel: Kernel;
const hostWork: string[] = [];

/** Programs made at run time (a .ts file here would be type-checked with the project). */
const GEN = mkdtempSync(path.join(tmpdir(), 'isk-jsgen-'));
writeFileSync(path.join(GEN, 'enum.ts'), 'enum Color { Red, Green }\nconsole.log(Color.Green);\n');

async function bootKernel(): Promise<Kernel> {
  const k = await Kernel.boot({ mounts: [{ path: '/gen', fs: { type: 'hostfs', host: GEN } }] });
  let cur = k.ns.root;
  for (const name of path.dirname(DIR).split('/').filter(Boolean)) {
    try {
      cur = k.ns.child(cur, name);
    } catch {
      cur = { mount: cur.mount, vnode: cur.vnode.mkdir(name, 0o755) };
    }
  }
  k.mount(DIR, { type: 'hostfs', host: DIR });
  return k;
}

/** Runs `node ARGS...` as a JS process of the kernel. */
function spawnJs(args: string[], o: { env?: string[]; limits?: Partial<Limits>; stdin?: Uint8Array } = {}): Process {
  return kernel.spawn({
    program: NODE_PROGRAM, args: ['node', ...args], cwd: DIR, env: o.env ?? ['PATH=/bin:/usr/bin', 'WORK=/tmp'],
    stdio: [o.stdin ?? 'null', 'capture', 'capture'], ...(o.limits ? { limits: o.limits } : {}),
  });
}

async function inKernel(args: string[], o: Parameters<typeof spawnJs>[1] = {}): Promise<Result & { p: Process }> {
  const p = spawnJs(args, o);
  const st = await p.exited;
  return { out: p.output(1).toString(), err: p.output(2).toString(), status: st.status, p };
}

function onHost(args: string[], env: Record<string, string>): Promise<Result> {
  return new Promise((resolve) => {
    const c = execFile(process.execPath, args, { cwd: DIR, env }, (_e, out, err) => resolve({ out, err, status: c.exitCode ?? -1 }));
  });
}

/** Resolves when `p` has written `text` to fd 1. */
async function outputHas(p: Process, text: string, ms = 30_000): Promise<void> {
  const t0 = performance.now();
  while (!p.output(1).toString().includes(text)) {
    if (p.exitStatus) throw new Error(`process ended (${p.exitStatus.status}) before writing ${JSON.stringify(text)}: ${p.output(2)}`);
    if (performance.now() - t0 > ms) throw new Error(`no ${JSON.stringify(text)} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

before(async () => {
  kernel = await bootKernel();
});
after(async () => {
  await kernel.shutdown();
  dropJsSpares();
  for (const d of [...hostWork, GEN]) rmSync(d, { recursive: true, force: true });
});

describe('the same Node program on the host and in isokernel', () => {
  const programs = ['fs-sync.js', 'fs-async.mjs', 'pure.js', 'process.js', 'child.js', 'esm-ts.mts', 'modules.mjs', ...(HAVE_SH ? ['shell.js'] : [])];
  for (const name of programs) {
    it(`${name}: same stdout and status`, async () => {
      const file = path.join(DIR, 'same', name);
      const work = mkdtempSync(path.join(tmpdir(), 'isk-jsproc-'));
      hostWork.push(work);
      const args = [file, 'arg1', 'arg two'];
      const host = await onHost(args, { WORK: work, GREETING: 'hi', PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` });
      const k = await inKernel(args, { env: ['WORK=/tmp', 'GREETING=hi', 'PATH=/bin:/usr/bin'] });
      assert.equal(host.err.includes('Error'), false, `host run failed: ${host.err}`);
      assert.equal(k.out, host.out, `kernel stderr: ${k.err}`);
      assert.equal(k.status, host.status, k.err);
      assert.equal(k.err.includes('Warning'), false, k.err);
    });
  }

  it('uncaught.js: the stack on stderr and status 1, as Node prints it', async () => {
    const file = path.join(DIR, 'same/uncaught.js');
    const host = await onHost([file], {});
    const k = await inKernel([file]);
    assert.equal(host.status, 1);
    assert.equal(k.status, 1);
    assert.equal(k.out, host.out);
    for (const r of [host, k]) {
      assert.match(r.err, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3\n  throw new TypeError\\('nobody catches this'\\);\n  \\^\n\nTypeError: nobody catches this\n    at (Timeout\\.)?inner (\\[as _onTimeout\\] )?\\(${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:9\\)`), r.err);
      assert.match(r.err, /\n\nNode\.js v\d+\.\d+\.\d+\n$/);
    }
  });
});

describe('the isokernel module', () => {
  it('descriptors, pipes, files, spawn, wait, kill, signals and time, sync and async', async () => {
    const r = await inKernel([path.join(DIR, 'isk.js'), 'x', 'y']);
    assert.equal(r.err, '');
    assert.equal(r.status, 0);
    assert.deepEqual(r.out.trim().split('\n'), [
      `true true ${path.join(DIR, 'isk.js')} x y`, 'slept true bigint', 'through a pipe', 'file data 9 directory', 'true',
      'ENOENT open', 'true 6 null', 'SIGKILL', 'async read "late\\n"', 'async wait 0', 'handler SIGUSR1', 'uname isokernel',
    ]);
  });
});

describe('exec: which programs are JavaScript', () => {
  it('a #!/usr/bin/env node script, a .js file with an execute bit, and `node` by PATH, spawned from a process', async () => {
    const prog = `const cp = require('child_process');
      process.stdout.write(cp.execFileSync(${JSON.stringify(path.join(DIR, 'script-shebang'))}, ['a', 'b']));
      process.stdout.write(cp.execFileSync(${JSON.stringify(path.join(DIR, 'ext-run.js'))}, ['c']));
      process.stdout.write(cp.execFileSync('node', ['-p', '6 * 7']));`;
    const r = await inKernel(['-e', prog]);
    assert.equal(r.err, '');
    assert.equal(r.out, 'shebang script a b\nrun by extension c\n42\n');
  });

  it('the host finds a script by its path in the namespace', async () => {
    const t = await kernel.findProgram(path.join(DIR, 'script-shebang'), ['script-shebang', 'q']);
    assert.equal(t.program, NODE_PROGRAM);
    assert.deepEqual(t.argv, ['node', path.join(DIR, 'script-shebang'), 'q']);
  });

  it('a WASI shell finds node through the marker /usr/local/bin/node', { skip: HAVE_SH ? false : 'needs userland/bin/sh (not built)' }, async () => {
    const t = await kernel.findProgram('/bin/sh', ['sh', '-c', 'node -e "console.log(process.argv.length)" && echo after']);
    const p = kernel.spawn({ program: t.program, args: t.argv, env: ['PATH=/bin:/usr/local/bin'], stdio: ['null', 'capture', 'capture'] });
    const st = await p.exited;
    assert.equal(st.status, 0, p.output(2).toString());
    assert.equal(p.output(1).toString(), '1\nafter\n');
  });

  it('a host file given to Kernel.spawn runs as the main module (TypeScript stripped)', async () => {
    const p = kernel.spawn({ program: path.join(DIR, 'same/shapes.mts'), stdio: ['null', 'capture', 'capture'] });
    const st = await p.exited;
    assert.equal(st.status, 0, p.output(2).toString());
    const q = kernel.spawn({ program: path.join(GEN, 'enum.ts'), stdio: ['null', 'capture', 'capture'] });
    const sq = await q.exited;
    assert.equal(sq.status, 126);
    assert.match(q.error?.message ?? '', /enum is not supported/);
  });
});

describe('TypeScript', () => {
  it('`isokernel run app.mts` runs it directly, as the host runs it', async () => {
    const file = path.join(DIR, 'same/esm-ts.mts');
    const cli = await new Promise<Result>((resolve) => {
      const c = execFile(process.execPath, [path.join(ROOT, 'src/cli/main.ts'), 'run', file], { cwd: DIR }, (_e, out, err) => resolve({ out, err, status: c.exitCode ?? -1 }));
    });
    const host = await onHost([file], {});
    assert.equal(cli.status, 0, cli.err);
    assert.equal(cli.out, host.out);
  });

  it('syntax that cannot be stripped is a SyntaxError (status 1)', async () => {
    const r = await inKernel(['/gen/enum.ts']);
    assert.equal(r.status, 1);
    assert.match(r.err, /SyntaxError: TypeScript enum is not supported in strip-only mode/);
  });
});

describe('signals', () => {
  it("process.on('SIGTERM') gets a signal sent by the kernel while the program waits", async () => {
    const p = spawnJs([path.join(DIR, 'bad/sigterm.js')]);
    await outputHas(p, 'waiting');
    kernel.kill(p.pid, 15);
    const st = await p.exited;
    assert.equal(st.status, 0, p.output(2).toString());
    assert.equal(p.output(1).toString(), 'waiting\ngot SIGTERM\n');
  });

  it('a signal without a listener acts by default (SIGINT: status 130)', async () => {
    const p = spawnJs(['-e', 'setInterval(() => {}, 1000); console.log("up")']);
    await outputHas(p, 'up');
    kernel.kill(p.pid, 2);
    assert.equal((await p.exited).status, 130);
  });
});

describe('bad behaviour is contained', () => {
  it('a heap bomb reaches its heap limit and dies with SIGABRT and a fault record; a neighbour lives', async () => {
    const faults: FaultRecord[] = [];
    const onFault = (r: unknown): void => void faults.push(r as FaultRecord);
    dc.subscribe('isokernel:proc:fault', onFault);
    try {
      const neighbour = spawnJs(['-e', 'let n = 0; const t = setInterval(() => { if (++n === 20) { clearInterval(t); console.log("neighbour", n); } }, 10)']);
      const bomb = spawnJs([path.join(DIR, 'bad/bomb.js')], { limits: { memoryPages: 512 } });
      const st = await bomb.exited;
      assert.deepEqual(st, { code: null, signal: 6, status: 134, core: true });
      assert.match(bomb.fault?.kind ?? '', /JavaScript heap out of memory \(limit 32 MiB\)/);
      assert.equal(faults.filter((f) => f.pid === bomb.pid).length, 1);
      const ns = await neighbour.exited;
      assert.equal(ns.status, 0);
      assert.equal(neighbour.output(1).toString(), 'neighbour 20\n');
    } finally {
      dc.unsubscribe('isokernel:proc:fault', onFault);
    }
  });

  it('a spinner is killed by kill(): its isolate is terminated mid-computation', async () => {
    const p = spawnJs([path.join(DIR, 'bad/spin.js')]);
    await outputHas(p, 'spinning');
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    kernel.kill(p.pid, 15);
    const st = await p.exited;
    assert.deepEqual(st, { code: null, signal: 15, status: 143, core: false });
    assert.ok(performance.now() - t0 < 5000, `took ${performance.now() - t0} ms`);
  });

  it('a spinner reaches its CPU limit (RLIMIT_CPU) without making a system call', async () => {
    const p = spawnJs(['-e', 'for (;;) {}'], { limits: { cpuMs: 300 } });
    const st = await p.exited;
    assert.deepEqual(st, { code: null, signal: 9, status: 137, core: false });
    assert.ok(p.acct.cpuNs >= 300e6, `cpu ${p.acct.cpuNs / 1e6} ms`);
  });

  it('every way out to the host fails with a clear error', async () => {
    const r = await inKernel([path.join(DIR, 'bad/reach.js')], { env: ['ONLY=this'] });
    assert.equal(r.status, 0, r.err);
    const lines = r.out.trim().split('\n');
    for (const l of lines.filter((x) => !x.startsWith('globals') && !x.startsWith('host env'))) {
      assert.match(l, / (ERR_ISOKERNEL_HOST_ACCESS|EvalError)$/, l);
    }
    assert.ok(lines.includes('globals undefined undefined undefined undefined undefined undefined undefined undefined'), r.out);
    assert.ok(lines.includes('host env ONLY'), r.out);
    assert.ok(lines.includes('import(vm) ERR_ISOKERNEL_HOST_ACCESS'), r.out);
  });

  it('a missing script is reported as Node reports it (status 1)', async () => {
    const r = await inKernel([path.join(DIR, 'no-such-script.js')]);
    assert.equal(r.status, 1);
    assert.match(r.err, /Error: Cannot find module '.*no-such-script\.js'/);
  });
});

describe('a JS process as the kernel sees it', () => {
  it('is accounted like any process: syscalls, CPU time, name, exit status', async () => {
    const r = await inKernel(['-e', 'require("fs").readdirSync("/tmp"); console.log("ok")']);
    assert.equal(r.out, 'ok\n');
    assert.ok(r.p.acct.syscalls > 3, `syscalls ${r.p.acct.syscalls}`);
    assert.ok(r.p.acct.cpuNs > 0);
    assert.equal(r.p.name, 'node');
    assert.equal(r.p.state, 'zombie');
  });

  it('reads its stdin and writes its stdout through descriptors 0 and 1', async () => {
    const r = await inKernel(['-e', 'let s = ""; process.stdin.on("data", (d) => s += d).on("end", () => process.stdout.write(s.split("").reverse().join("")))'],
      { stdin: new TextEncoder().encode('abc') });
    assert.equal(r.out, 'cba');
  });
});
