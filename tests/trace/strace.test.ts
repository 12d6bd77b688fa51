// strace (userland/sbin/strace) against the kernel's tracer (src/kernel/trace/): the
// transcript of a known program line for line, -T, -c, -f with a child, -e, -o, -p attach
// and detach while the program runs (and it runs on unaffected), a JS process, and the
// permission and errno rules of trace_attach.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Kernel } from '../../src/kernel/kernel.ts';
import { run, type Run, start, TRACE_DIR, traceKernel, until } from './harness.ts';

const expected = (name: string): string => readFileSync(join(TRACE_DIR, 'expected', name), 'utf8');
const lines = (s: string): string[] => s.split('\n').filter((l) => l !== '');

/** strace ARGS in a kernel of its own: the transcripts assume a fresh one (pids, /tmp). */
async function fresh(args: string[]): Promise<Run> {
  const k = await traceKernel();
  try {
    return await run(k, ['/sbin/strace', ...args]);
  } finally {
    await k.shutdown();
  }
}

describe('strace', () => {
  let k: Kernel;
  before(async () => {
    k = await traceKernel();
  });
  after(async () => {
    await k.shutdown();
  });

  it('the test programs are built from their sources (tests/trace/build.sh)', () => {
    for (const line of lines(readFileSync(join(TRACE_DIR, 'bin', 'sources.sha256'), 'utf8'))) {
      const [hash, file] = line.split(/\s+/);
      const now = createHash('sha256').update(readFileSync(join(TRACE_DIR, file!))).digest('hex');
      assert.equal(now, hash, `${file} changed since bin/ was built: run tests/trace/build.sh`);
    }
  });

  it('prints a known program\'s calls line for line', async () => {
    const r = await fresh(['/t/known.wasm', 'basic']);
    assert.equal(r.status, 3, r.stderr);
    assert.equal(r.stdout, 'hello, trace\n');
    assert.deepEqual(lines(r.stderr), lines(expected('basic.txt')));
  });

  it('-T adds the time in each call', async () => {
    const r = await fresh(['-T', '/t/known.wasm', 'basic']);
    assert.equal(r.status, 3);
    const got = lines(r.stderr);
    for (const l of got) if (/^[a-z_]+\(/.test(l) && !l.endsWith('= ?')) assert.match(l, / <\d+\.\d{6}>$/, l);
    const norm = got.map((l) => l.replace(/ <\d+\.\d{6}>$/, ''));
    assert.deepEqual(norm, lines(expected('basic.txt')));
  });

  it('-tt and -r stamp each line', async () => {
    const tt = await fresh(['-tt', '-e', 'trace=path_open', '/t/known.wasm', 'basic']);
    const want = lines(expected('basic.txt')).filter((l) => l.startsWith('path_open(') || l.startsWith('+++'));
    assert.deepEqual(lines(tt.stderr).map((l) => l.replace(/^\d\d:\d\d:\d\d\.\d{6} /, '')), want);
    const r = await fresh(['-r', '-e', 'trace=path_open', '/t/known.wasm', 'basic']);
    const got = lines(r.stderr);
    for (const l of got) assert.match(l, /^ {5}\d\.\d{6} /, l);
    assert.match(got[0]!, /^ {5}0\.000000 /);
    assert.deepEqual(got.map((l) => l.slice(14)), want);
  });

  it('-c prints the summary table as strace -c', async () => {
    const r = await fresh(['-c', '/t/known.wasm', 'basic']);
    assert.equal(r.status, 3);
    const t = lines(r.stderr);
    assert.equal(t[0], '% time     seconds  usecs/call     calls    errors syscall');
    assert.equal(t[1], '------ ----------- ----------- --------- --------- ----------------');
    assert.equal(t[t.length - 2], t[1]);
    const row = /^ *(\d+\.\d\d) +(\d+\.\d{6}) +(\d+) +(\d+) +(\d*) (\S+)$/;
    const rows = new Map<string, { pct: number; calls: number; errors: number }>();
    for (const l of [...t.slice(2, -2), t[t.length - 1]!]) {
      const m = row.exec(l);
      assert.ok(m, `not a row of the table: ${JSON.stringify(l)}`);
      rows.set(m[6]!, { pct: Number(m[1]), calls: Number(m[4]), errors: m[5] === '' ? 0 : Number(m[5]) });
    }
    // each call's count and errors as the transcript has them (known.wasm's C library's calls too)
    const want = new Map<string, { calls: number; errors: number }>();
    for (const l of lines(expected('basic.txt')).filter((l) => /^[a-z_]+\(/.test(l) && !l.endsWith('= ?'))) {
      const name = l.slice(0, l.indexOf('('));
      const w = want.get(name) ?? { calls: 0, errors: 0 };
      w.calls++;
      if (/\) = -1 E[A-Z0-9]+ \(/.test(l)) w.errors++;
      want.set(name, w);
    }
    assert.ok((want.get('path_open')?.errors ?? 0) > 0 && want.get('fd_write')!.calls === 2, 'the transcript has the calls this test is about');
    for (const [name, w] of want) assert.deepEqual({ calls: rows.get(name)?.calls, errors: rows.get(name)?.errors }, w, name);
    assert.equal(rows.size, want.size + 1, 'one row per call made, and the total');
    const total = rows.get('total')!;
    assert.equal(total.calls, [...want.values()].reduce((s, w) => s + w.calls, 0));
    assert.equal(total.errors, [...want.values()].reduce((s, w) => s + w.errors, 0));
    assert.equal(total.pct, 100);
    const sum = [...rows].filter(([n]) => n !== 'total').reduce((s, [, v]) => s + v.pct, 0);
    assert.ok(Math.abs(sum - 100) < 0.2, `percentages sum to ${sum}`);
  });

  it('-f follows a child: [pid N] prefixes, <unfinished ...> and resumed', async () => {
    const r = await fresh(['-f', '/t/known.wasm', 'spawn']);
    assert.equal(r.status, 7, r.stderr);
    assert.equal(r.stdout, 'child here\nparent done\n');
    // a fresh kernel: strace is pid 1, the program 2, its child 3, as in the transcript
    assert.deepEqual(lines(r.stderr), lines(expected('spawn-f.txt')));
  });

  it('-e trace= shows only the calls asked for, by name and by class', async () => {
    const r = await fresh(['-e', 'trace=path_open,fd_close', '/t/known.wasm', 'basic']);
    assert.equal(r.status, 3);
    const want = lines(expected('basic.txt')).filter((l) => /^(path_open|fd_close)\(/.test(l) || l.startsWith('+++'));
    assert.deepEqual(lines(r.stderr), want);
    const f = await fresh(['-e', 'trace=%file', '/t/known.wasm', 'basic']);
    const names = new Set(lines(f.stderr).filter((l) => !l.startsWith('+++')).map((l) => l.slice(0, l.indexOf('('))));
    assert.deepEqual([...names].sort(), ['path_open']);
    const neg = await fresh(['-e', 'trace=!%desc,%process', '/t/known.wasm', 'basic']);
    for (const l of lines(neg.stderr)) assert.doesNotMatch(l, /^(fd_|path_open|proc_exit)/, l);
    const none = await fresh(['-e', 'trace=none', '/t/known.wasm', 'basic']);
    assert.deepEqual(lines(none.stderr), ['+++ exited with 3 +++']);
    const bad = await run(k, ['/sbin/strace', '-e', 'trace=nosuchcall', '/t/known.wasm', 'basic']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /strace: invalid system call 'nosuchcall'/);
  });

  it('-s sets the string size; -o writes the trace to a file', async () => {
    const r = await run(k, ['/sbin/strace', '-s', '8', '-o', '/tmp/strace.out', '/t/known.wasm', 'basic']);
    assert.equal(r.status, 3);
    assert.equal(r.stderr, '');
    const out = await run(k, ['/bin/cat', '/tmp/strace.out']);
    assert.match(out.stdout, /fd_write\(4, \[\{iov_base="01234567"\.\.\., iov_len=47\}\], 1\) = 47\n/);
    assert.match(out.stdout, /path_open\(3, "tmp\/trace-known\.txt", O_RDONLY, \.\.\.\) = 4\n/);
  });

  it('-p attaches to a running program and Ctrl-C detaches it; the program runs on unaffected', async () => {
    // long enough for strace (a JS process: an isolate to boot) to attach on a loaded machine
    const prog = await start(k, ['/t/known.wasm', 'ticks', '300', '20']);
    await until(() => prog.output(1).toString().includes('tick 3\n'), 20000, 'the program to start');
    const st = await start(k, ['/sbin/strace', '-p', String(prog.pid)]);
    const poll = /\npoll_oneoff\(\[\{userdata=0, type=EVENTTYPE_CLOCK, clock_id=CLOCK_MONOTONIC, timeout=20000000, precision=0, flags=0\}\], \[\{userdata=0, error=0, type=EVENTTYPE_CLOCK\}\], 1\) = 1\n/;
    await until(() => /fd_write\(1, \[\{iov_base="tick \d+\\n"/.test(st.output(2).toString()) && poll.test(st.output(2).toString()),
      20000, 'strace to show a tick and a sleep');
    assert.equal(prog.trace !== null, true);
    k.kill(st.pid, 2); // SIGINT
    const s = await st.exited;
    assert.equal(s.status, 0, st.output(2).toString());
    const err = st.output(2).toString();
    assert.match(err, new RegExp(`^strace: Process ${prog.pid} attached\n`));
    assert.match(err, new RegExp(`strace: Process ${prog.pid} detached\n$`));
    assert.equal(prog.trace, null);
    const done = await prog.exited;
    assert.equal(done.status, 0);
    const out = prog.output(1).toString();
    assert.equal(out, Array.from({ length: 300 }, (_, i) => `tick ${i + 1}\n`).join('') + 'sum 45150\n');
  });

  it('-p PID,PID attaches to several processes; each line says whose it is', async () => {
    const a = await start(k, ['/t/known.wasm', 'ticks', '300', '20']);
    const b = await start(k, ['/t/known.wasm', 'ticks', '300', '20']);
    const st = await start(k, ['/sbin/strace', '-e', 'trace=fd_write', '-p', `${a.pid},${b.pid}`]);
    const err = (): string => st.output(2).toString();
    await until(() => err().includes(`[pid ${a.pid}] fd_write(1`) && err().includes(`[pid ${b.pid}] fd_write(1`), 30000, 'lines of both');
    k.kill(st.pid, 2);
    assert.equal((await st.exited).status, 0, err());
    assert.match(err(), new RegExp(`strace: Process ${a.pid} detached\n`));
    assert.match(err(), new RegExp(`strace: Process ${b.pid} detached\n`));
    assert.equal(a.trace, null);
    assert.equal(b.trace, null);
    for (const p of [a, b]) {
      assert.equal((await p.exited).status, 0);
      assert.match(p.output(1).toString(), /tick 300\nsum 45150\n$/);
    }
  });

  it('traces a JS process', async () => {
    const r = await run(k, ['/sbin/strace', '/js/hello.mjs']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'hi from js: written by js\n');
    const t = lines(r.stderr);
    const want = [
      'path_open(3, "tmp/js-trace.txt", O_WRONLY|O_CREAT|O_TRUNC, ...) = 4',
      'fd_write(4, [{iov_base="written by js\\n", iov_len=14}], 1) = 14',
      'path_open(3, "tmp/js-trace.txt", O_RDONLY, ...) = 4',
      'fd_read(4, [{iov_base="written by js\\n", iov_len=65536}], 1) = 14',
      'fd_write(1, [{iov_base="hi from js: written by js\\n", iov_len=26}], 1) = 26',
      '+++ exited with 0 +++',
    ];
    let at = 0;
    for (const l of t) if (l === want[at]) at++;
    assert.equal(at, want.length, `missing, in order: ${want[at]}\n${r.stderr}`);
  });

  it('isokernel strace PROGRAM: a fresh kernel runs it traced (the host command)', async () => {
    const cli = join(TRACE_DIR, '..', '..', 'src', 'cli', 'main.ts');
    const r = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      execFile(process.execPath, [cli, 'strace', '-e', 'trace=path_open,fd_read', join(TRACE_DIR, 'bin', 'known.wasm'), 'basic'],
        { timeout: 60000 }, (e, out, err) => resolve({ code: e ? (e as { code?: number }).code ?? null : 0, out, err }));
    });
    assert.equal(r.code, 3, r.err);
    assert.equal(r.out, 'hello, trace\n');
    assert.deepEqual(lines(r.err), lines(expected('basic.txt')).filter((l) => /^(path_open|fd_read)\(/.test(l) || l.startsWith('+++')));
  });

  it('trace_attach: ESRCH, EPERM for another user and for a traced process', async () => {
    const none = await run(k, ['/sbin/strace', '-p', '99999']);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /strace: attach: trace_attach\(99999\): ESRCH/);
    const prog = await start(k, ['/t/known.wasm', 'ticks', '1000', '20']);
    const other = await run(k, ['/sbin/strace', '-p', String(prog.pid)], { uid: 1000, gid: 1000 });
    assert.equal(other.status, 1);
    assert.match(other.stderr, /EPERM/);
    const first = await start(k, ['/sbin/strace', '-p', String(prog.pid)]);
    await until(() => prog.trace !== null, 20000, 'the first strace to attach');
    const second = await run(k, ['/sbin/strace', '-p', String(prog.pid)]);
    assert.equal(second.status, 1);
    assert.match(second.stderr, /EPERM/);
    k.kill(first.pid, 15);
    await first.exited;
    assert.equal(prog.trace, null);
    k.kill(prog.pid, 9);
    await prog.exited;
  });
});
