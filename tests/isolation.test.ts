// Isolation (issue 5, item 7): a hostile process beside a neighbour that keeps serving. Each
// scenario boots a kernel, starts the neighbour (tests/isolation/src/neighbour.c: every 5 ms
// it sends a line through a pipe to an echo child and copies the echo to its stdout, and
// spawns a fresh echo child every 25 lines), and runs the hostile program again and again
// until the neighbour is done. Then:
//   - every hostile run was contained and reported: the signal and fault record, or the
//     errno it met, that the scenario expects (never SIGSYS, a kernel bug);
//   - the neighbour lost nothing: every line, in order, every spawn, exit 0;
//   - the kernel lives: no exception escaped a syscall handler (isokernel:kernel:bug), no
//     rejection went unhandled, no process is left over, and a fresh program runs.
//
// The guests are in tests/isolation/src (rebuild with tests/isolation/build.sh), served
// read-only at /t so that they can spawn themselves; spin and recurse come from
// tests/protect, badargs and fuzz from tests/hostile.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SIG } from '../src/abi/signals.ts';
import { Kernel, type SpawnOptions } from '../src/kernel/kernel.ts';
import type { ExitStatus, Process } from '../src/kernel/proc/process.ts';
import { kernelBug } from '../src/kernel/trace/channels.ts';
import { createTerminal, spawnOnTerminal } from '../src/kernel/tty/kernel-tty.ts';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BIN = path.join(root, 'tests/isolation/bin');
const host = (name: string): string => path.join(BIN, `${name}.wasm`);
const protect = (name: string): string => path.join(root, 'tests/protect/bin', `${name}.wasm`);
const hostile = (name: string): string => path.join(root, 'tests/hostile/bin', `${name}.wasm`);
const HELLO = path.join(root, 'tests/guest/bin/hello.wasm');

const LINES = 200;
const PERIOD_MS = 5;
/** A hostile run still going after this long is killed (and that is its outcome). */
const RUN_DEADLINE_MS = 3000;

const bugs: string[] = [];
const escaped: string[] = [];
const onBug = (m: unknown): void => {
  const { pid, error } = m as { pid: number; error: Error };
  bugs.push(`pid ${pid}: ${error.stack ?? error.message}`);
};
const onRejection = (e: unknown): void => void escaped.push(e instanceof Error ? e.stack ?? e.message : String(e));
before(() => {
  kernelBug.subscribe(onBug);
  process.on('unhandledRejection', onRejection);
});
after(() => {
  kernelBug.unsubscribe(onBug);
  process.off('unhandledRejection', onRejection);
});

interface Outcome {
  argv: readonly string[];
  status: ExitStatus;
  fault: Process['fault'];
  stdout: string;
  stderr: string;
}

async function outcome(p: Process, deadlineMs = RUN_DEADLINE_MS): Promise<Outcome> {
  const timer = setTimeout(() => killQuietly(p), deadlineMs);
  const status = await p.exited;
  clearTimeout(timer);
  return { argv: p.argv, status, fault: p.fault, stdout: p.output(1).toString('latin1'), stderr: p.output(2).toString('latin1') };
}

let current: Kernel | null = null;
function killQuietly(p: Process): void {
  if (p.exitStatus) return;
  try {
    current?.kill(p.pid, SIG.KILL);
  } catch { /* gone */ }
}

/** Boots a kernel with the guests at /t, runs `body`, then checks that the kernel lives. */
async function scenario(t: TestContext, body: (k: Kernel) => Promise<void>): Promise<void> {
  bugs.length = 0;
  escaped.length = 0;
  const k = await Kernel.boot({});
  current = k;
  k.mount('/t', { type: 'hostfs', host: BIN, readOnly: true });
  try {
    await body(k);
    // Nothing left running or unreaped.
    const left = [...k.procs.values()].map((p) => `${p.pid} ${p.argv.join(' ')} (${p.state})`);
    assert.deepEqual(left, [], 'processes left over');
    // The kernel still spawns and runs a fresh program.
    const p = k.spawn({ program: HELLO, args: ['hello'], stdio: ['null', 'capture', 'capture'] });
    assert.deepEqual(await p.exited, { code: 0, signal: null, status: 0, core: false });
    assert.equal(p.output(1).toString(), 'hello, world\n');
    assert.deepEqual(bugs, [], `kernel bugs (an exception escaped a syscall handler):\n${bugs.join('\n\n')}`);
    assert.deepEqual(escaped, [], `unhandled rejections:\n${escaped.join('\n\n')}`);
  } finally {
    await k.shutdown();
    current = null;
  }
  t.diagnostic('the kernel lives: a fresh hello ran after the scenario');
}

function spawnNeighbour(k: Kernel, extra: Partial<SpawnOptions> = {}): Process {
  return k.spawn({
    program: host('neighbour'), args: ['/t/neighbour.wasm', String(LINES), String(PERIOD_MS)],
    stdio: ['null', 'capture', 'capture'], ...extra,
  });
}

/** The neighbour served every line, in order, through all its spawns, and exited 0. */
async function checkNeighbour(t: TestContext, p: Process): Promise<void> {
  const o = await outcome(p, 60_000);
  assert.equal(o.stderr, '', 'the neighbour complained');
  assert.deepEqual(o.status, { code: 0, signal: null, status: 0, core: false });
  const lines = o.stdout.split('\n');
  const summary = lines.at(-2)!;
  const expected = Array.from({ length: LINES }, (_, i) => `line ${i}`);
  assert.deepEqual(lines.slice(0, LINES), expected, 'the neighbour lost or garbled output');
  assert.match(summary, new RegExp(`^neighbour: lines=${LINES} spawns=${Math.ceil(LINES / 25)} late_max_ms=\\d+$`));
  t.diagnostic(`neighbour (uid ${p.uid}): ${summary}`);
}

/**
 * Runs `start()` again each time its process ends (after a timer tick, as an operator's
 * loop would), until `until` settles; returns every run's outcome (at least one run).
 */
async function hammer(until: Promise<unknown>, start: (i: number) => Process): Promise<Outcome[]> {
  let done = false;
  void until.then(() => (done = true));
  const out: Outcome[] = [];
  for (let i = 0; !done || out.length === 0; i++) {
    out.push(await outcome(start(i)));
    await new Promise((r) => setTimeout(r, 1));
  }
  return out;
}

const describeStatus = (o: Outcome): string =>
  `${o.argv.join(' ')}: ${JSON.stringify(o.status)} ${o.fault ? `${o.fault.kind}: ${o.fault.message}` : ''} ${o.stderr}`;

function spawnHostile(k: Kernel, program: string, args: string[], extra: Partial<SpawnOptions> = {}): Process {
  return k.spawn({ program, args, stdio: ['null', 'capture', 'capture'], ...extra });
}

describe('isolation: a hostile process beside a neighbour that keeps serving', () => {
  it('isolation-scribble: writing random bytes over all of its own memory ends in SIGSEGV (a fault record) or its own mess', async (t) => {
    await scenario(t, async (k) => {
      const n = spawnNeighbour(k);
      const oob = await hammer(n.exited, (i) => spawnHostile(k, host('scribble'), ['scribble', 'oob', String(i + 1)]));
      for (const o of oob) {
        assert.equal(o.status.signal, SIG.SEGV, describeStatus(o));
        assert.equal(o.fault?.kind, 'out-of-bounds memory access', describeStatus(o));
      }
      await checkNeighbour(t, n);
      // With libc's state destroyed, what the process does next is its own affair: any
      // ending will do but SIGSYS (a kernel bug), and a trap must leave a fault record.
      const n2 = spawnNeighbour(k);
      const libc = await hammer(n2.exited, (i) => spawnHostile(k, host('scribble'), ['scribble', 'libc', String(i + 100)]));
      for (const o of libc) {
        assert.notEqual(o.status.signal, SIG.SYS, describeStatus(o));
        if (o.status.signal !== null && o.status.signal !== SIG.KILL) assert.ok(o.fault, describeStatus(o));
      }
      await checkNeighbour(t, n2);
      t.diagnostic(`${oob.length} runs into the end of memory (SIGSEGV), ${libc.length} runs through libc's wreck: ` +
        [...new Set(libc.map((o) => o.fault?.kind ?? `status ${o.status.status}`))].join(', '));
    });
  });

  it('isolation-grow: growing memory without bound is refused at the page limit (set by the spawner, or by setrlimit(RLIMIT_AS))', async (t) => {
    await scenario(t, async (k) => {
      const n = spawnNeighbour(k);
      const runs = await hammer(n.exited, (i) => (i % 2 === 0
        ? spawnHostile(k, host('grow'), ['grow'], { limits: { memoryPages: 256 } })
        : spawnHostile(k, host('grow'), ['grow', 'as', String(8 << 20)])));
      runs.forEach((o, i) => {
        assert.equal(o.status.code, 0, describeStatus(o));
        assert.match(o.stdout, new RegExp(`^grow: refused at ${i % 2 === 0 ? 256 : 128} pages, malloc NULL after \\d+ MiB\\n$`));
      });
      await checkNeighbour(t, n);
      t.diagnostic(`${runs.length} runs: ${runs[0]!.stdout.trim()}; ${runs[1]?.stdout.trim()}`);
    });
  });

  it('isolation-recurse: unbounded recursion is SIGSEGV "stack overflow" with a fault record', async (t) => {
    await scenario(t, async (k) => {
      const n = spawnNeighbour(k);
      const runs = await hammer(n.exited, (i) => spawnHostile(k, protect('recurse'), ['recurse', i % 2 === 0 ? 'frames' : 'plain']));
      for (const o of runs) {
        assert.equal(o.status.signal, SIG.SEGV, describeStatus(o));
        assert.equal(o.fault?.kind, 'stack overflow', describeStatus(o));
      }
      await checkNeighbour(t, n);
      t.diagnostic(`${runs.length} overflows`);
    });
  });

  it('isolation-spin: a process spinning forever is preempted, then killed (by the host, or by its CPU limit: SIGXCPU)', async (t) => {
    await scenario(t, async (k) => {
      const n = spawnNeighbour(k);
      const spinner = spawnHostile(k, protect('spin'), ['spin']);
      const limited = await hammer(n.exited, () => spawnHostile(k, protect('spin'), ['spin'], { limits: { cpuMs: 100 }, hardLimits: { cpuMs: 10_000 } }));
      await checkNeighbour(t, n);
      assert.ok(k.cpu.cpuTimeNs(spinner) > 100e6, 'the spinner never ran');
      k.kill(spinner.pid, SIG.KILL);
      const o = await outcome(spinner);
      assert.deepEqual(o.status, { code: null, signal: SIG.KILL, status: 128 + SIG.KILL, core: false });
      for (const l of limited) assert.deepEqual(l.status, { code: null, signal: SIG.XCPU, status: 128 + SIG.XCPU, core: true }, describeStatus(l));
      t.diagnostic(`${limited.length} spinners killed by SIGXCPU at 100 ms of CPU; one killed by the host`);
    });
  });

  it('isolation-forkbomb: a fork bomb stops at its uid\'s process limit (EAGAIN); neighbours of other uids spawn on', async (t) => {
    await scenario(t, async (k) => {
      const LIMIT = 64;
      const bomb = spawnHostile(k, host('forkbomb'), ['/t/forkbomb.wasm'], { uid: 1000, gid: 1000, limits: { userProcesses: LIMIT } });
      const n0 = spawnNeighbour(k); // uid 0
      const n2 = spawnNeighbour(k, { uid: 2000, gid: 2000 });
      await Promise.all([checkNeighbour(t, n0), checkNeighbour(t, n2)]);
      assert.equal(bomb.exitStatus, null);
      assert.match(bomb.output(1).toString(), /^forkbomb: spawned \d+, then EAGAIN\n$/);
      assert.equal(k.userProcessCount(1000), LIMIT);
      const bombs = [...k.procs.values()].filter((p) => p.uid === 1000);
      assert.equal(bombs.length, LIMIT);
      for (const p of bombs) k.kill(p.pid, SIG.KILL);
      await Promise.all(bombs.map((p) => p.exited));
      assert.equal(k.userProcessCount(1000), 0);
      t.diagnostic(`${bomb.output(1).toString().trim()}; ${LIMIT} processes of uid 1000 at most`);
    });
  });

  it('isolation-fdbomb: opening descriptors without bound meets EMFILE at RLIMIT_NOFILE', async (t) => {
    await scenario(t, async (k) => {
      const n = spawnNeighbour(k);
      const runs = await hammer(n.exited, (i) => spawnHostile(k, host('fdbomb'), ['fdbomb'], i % 2 === 0 ? {} : { limits: { openFiles: 64 } }));
      runs.forEach((o, i) => {
        assert.equal(o.status.code, 0, describeStatus(o));
        // 0-2 are stdio and 3 the / preopen: the rest up to the limit are files.
        const files = i % 2 === 0 ? 1020 : 60;
        assert.match(o.stdout, new RegExp(`^fdbomb: ${files} files then EMFILE; \\d+ pipes then EMFILE\\n$`));
      });
      await checkNeighbour(t, n);
      t.diagnostic(`${runs.length} runs: ${runs[0]!.stdout.trim()}; ${runs[1]?.stdout.trim()}`);
    });
  });

  it('isolation-hostile-pointers: every syscall given hostile pointers answers EFAULT (isokernel module, preview1, and the fuzzer)', async (t) => {
    await scenario(t, async (k) => {
      k.mount('/fuzz', { type: 'tmpfs', maxBytes: 8 << 20 });
      k.mount('/fuzz2', { type: 'tmpfs', maxBytes: 8 << 20 });
      const n = spawnNeighbour(k);
      const runs = await hammer(n.exited, (i) => {
        switch (i % 3) {
          case 0: // every other run with a terminal as stdin, which it controls: the tty calls' pointers
            return i % 2 === 0 ? spawnOnTerminal(k, createTerminal(k, { output: () => {} }),
              { program: host('iskbad'), args: ['iskbad'], stdio: ['null', 'capture', 'capture'] }, new Set([0]))
              : spawnHostile(k, host('iskbad'), ['iskbad']);
          case 1: { // a fresh directory each time (badargs creates fixed names), named as /tmp is long
            const dir = `b${(i % 1296).toString(36).padStart(2, '0')}`;
            k.ns.root.vnode.mkdir(dir, 0o777);
            return spawnHostile(k, hostile('badargs'), ['badargs'], { env: ['HOSTILE=1'], preopens: [`/${dir}`] });
          }
          default: return spawnHostile(k, hostile('fuzz'), ['fuzz', String(i), '20000', '300'], { preopens: ['/fuzz', '/fuzz2'], rootPreopen: false });
        }
      });
      const isk = k.syscalls.isokernel!;
      for (const o of runs) {
        assert.notEqual(o.status.signal, SIG.SYS, describeStatus(o));
        const failed = o.stdout.split('\n').filter((l) => l.startsWith('FAIL'));
        assert.deepEqual(failed, [], `${o.argv[0]}: wrong errnos`);
        if (o.argv[0] === 'fuzz') {
          if (o.status.signal !== null) assert.ok(o.fault, describeStatus(o)); // its own trap, recorded
          else assert.equal(o.status.code, 0, describeStatus(o));
          continue;
        }
        assert.equal(o.status.code, 0, describeStatus(o));
        if (o.argv[0] === 'iskbad') {
          assert.match(o.stdout, /\niskbad: \d+ checks, 0 failed\n$/);
          // Every call of the module was tried, but the rewriter's two fault calls (which kill).
          const missing = Object.keys(isk).filter((name) => !['fault_null', 'fault_stack'].includes(name) &&
            !new RegExp(`^ok ${name}[ (]`, 'm').test(o.stdout));
          assert.deepEqual(missing, [], 'isokernel calls iskbad never tried');
        }
      }
      const onTty = runs.filter((o) => o.argv[0] === 'iskbad' && /^ok tty_getattr termios\(/m.test(o.stdout)).length;
      assert.ok(onTty > 0, 'no iskbad run checked the terminal calls on a terminal');
      await checkNeighbour(t, n);
      t.diagnostic(`${runs.length} runs of iskbad (${onTty} on a terminal), badargs and fuzz`);
    });
  });
});
