// Hostile input: programs that pass every wild value the ABI allows, fuzz the syscall layer,
// or are not programs at all. Whatever they do, the kernel goes on: no exception escapes a
// syscall handler (that would be SIGSYS and a message on isokernel:kernel:bug), no
// rejection goes unhandled, nothing hangs the kernel thread, and a well-behaved process
// beside them computes exactly what it computes alone.
//
// Each kernel runs in a worker (hostile/kernel-worker.ts): a kernel that hangs or crashes
// fails the test at its deadline instead of stopping it. The guests are in hostile/src
// (rebuild with hostile/build.sh).
//
// HOSTILE_SEEDS=1,2,3 (comma-separated) replaces the fuzz seeds; HOSTILE_FUZZ_CALLS and
// HOSTILE_FUZZ_MS raise the per-fuzzer bounds for a longer hunt. HOSTILE_ISK_SEEDS does the
// same for the isokernel module's fuzzer (fuzz_isk), which shares the bounds.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { crc32 } from 'node:zlib';
import { SIG } from '../src/abi/signals.ts';
import type { Outcome, Plan, Report, Spawn } from './hostile/kernel-worker.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = (name: string): string => path.join(here, 'hostile/bin', `${name}.wasm`);

const SEEDS = (process.env.HOSTILE_SEEDS ?? '1,2,3,4,5,6').split(',').map((s) => s.trim());
const FUZZ_CALLS = process.env.HOSTILE_FUZZ_CALLS ?? '80000';
const FUZZ_MS = process.env.HOSTILE_FUZZ_MS ?? '3000';
const ISK_SEEDS = (process.env.HOSTILE_ISK_SEEDS ?? '1,2,3,4').split(',').map((s) => s.trim());

/**
 * Runs `plan` in a kernel of its own and returns what happened. Fails if the kernel does not
 * finish within `ms` (naming the processes still running), if it crashed, or if a syscall
 * raised a kernel bug or a rejection went unhandled (with the handler's stack).
 */
function runKernel(plan: Plan, ms: number): Promise<Report> {
  const worker = new Worker(new URL('./hostile/kernel-worker.ts', import.meta.url), { workerData: plan });
  const exited: string[] = [];
  return new Promise<Report>((resolve, reject) => {
    const timer = setTimeout(() => {
      const all = plan.steps.flat().map((s) => (s.args ?? [String(s.program)]).join(' '));
      const running = all.filter((a) => !exited.includes(a));
      void worker.terminate();
      reject(new Error(`the kernel hung: after ${ms} ms, still running: ${running.join('; ')}`));
    }, ms);
    worker.on('message', (m: { exited?: Outcome; done?: Report }) => {
      if (m.exited) exited.push(m.exited.argv.join(' '));
      if (!m.done) return;
      clearTimeout(timer);
      void worker.terminate();
      resolve(m.done);
    });
    worker.on('error', (e: Error) => {
      clearTimeout(timer);
      reject(new Error(`the kernel crashed: ${e.stack ?? e.message}`));
    });
  }).then((r) => {
    assert.deepEqual(r.bugs, [], `kernel bugs (an exception escaped a syscall handler):\n${r.bugs.join('\n\n')}`);
    assert.deepEqual(r.escaped, [], `unhandled rejections:\n${r.escaped.join('\n\n')}`);
    return r;
  });
}

// ---- the neighbour: a CRC of patterns written to a file and read back ----

/** What hostile/src/neighbour.c prints after `rounds` rounds. */
function neighbourOutput(rounds: number): string {
  let crc = 0;
  let bytes = 0;
  for (let r = 0; r < rounds; r++) {
    const data = Buffer.alloc(1000 + ((r * 337) % 7000));
    for (let i = 0; i < data.length; i++) data[i] = (r * 31 + i * 7 + (i >> 8)) & 0xff;
    crc = crc32(data, crc);
    bytes += data.length;
  }
  return `neighbour: rounds=${rounds} bytes=${bytes} crc=${crc.toString(16).padStart(8, '0')}\n`;
}

function neighbour(file: string, rounds: number): Spawn {
  return { program: bin('neighbour'), args: ['neighbour', file, String(rounds)], preopens: ['/tmp'] };
}

/** The neighbour computed exactly what it computes alone. */
function assertNeighbour(o: Outcome, rounds: number): void {
  assert.equal(o.stderr, '');
  assert.deepEqual(o.status, { code: 0, signal: null, status: 0, core: false });
  assert.equal(o.stdout, neighbourOutput(rounds));
}

describe('hostile input', () => {
  it('hostile-bad-arguments: every preview1 function answers wild pointers, huge lengths, bad fds and overlaps with the exact errno', async () => {
    const r = await runKernel({
      mounts: [],
      steps: [
        [{ program: bin('badargs'), args: ['badargs'], env: ['HOSTILE=1'], preopens: ['/tmp'] }],
        [neighbour('/tmp/after', 20)], // then a second process runs normally
      ],
    }, 10_000);
    const o = r.steps[0]![0]!;
    const lines = o.stdout.split('\n');
    assert.equal(o.fault, null, `badargs died after:\n${lines.slice(-3).join('\n')}\n${JSON.stringify(o.fault)}`);
    const failed = lines.filter((l) => l.startsWith('FAIL'));
    assert.deepEqual(failed, [], `wrong errnos:\n${failed.join('\n')}\nstderr: ${o.stderr}`);
    assert.deepEqual(o.status, { code: 0, signal: null, status: 0, core: false });
    assert.ok(lines.includes('PASS: 0 failed'));
    // Every function of the ABI was called: the kernel's own import table names them all
    // (46: the "45" often quoted leaves out sock_accept, added to preview1 later).
    const missing = r.imports.filter((n) => n !== 'proc_exit' && !o.stdout.includes(`raw_${n}(`));
    assert.deepEqual(missing, [], 'functions badargs never called'); // proc_exit ended it
    assert.ok(lines.filter((l) => l.startsWith('ok ')).length > 300, 'too few checks ran');
    assertNeighbour(r.steps[1]![0]!, 20);
  });

  describe('fuzz', () => {
    let host: string;
    before(() => {
      host = mkdtempSync(path.join(tmpdir(), 'isokernel-fuzz-'));
    });
    after(() => rmSync(host, { recursive: true, force: true }));

    it(`hostile-fuzz: random syscalls from ${SEEDS.length} seeds beside a neighbour; no SIGSYS, the neighbour unharmed`, async (t: TestContext) => {
      const rounds = 400;
      const r = await runKernel({
        mounts: [
          { path: '/fuzz', spec: { type: 'tmpfs', maxBytes: 8 << 20 } },
          { path: '/fuzzhost', spec: { type: 'hostfs', host } },
        ],
        steps: [
          [neighbour('/tmp/neighbour', rounds), ...SEEDS.map((seed): Spawn => ({
            program: bin('fuzz'), args: ['fuzz', seed, FUZZ_CALLS, FUZZ_MS],
            preopens: ['/fuzz', '/fuzzhost'], rootPreopen: false,
          }))],
          [neighbour('/tmp/after', 20)],
        ],
      }, Number(FUZZ_MS) + 8000);
      const [beside, ...fuzzers] = r.steps[0]!;
      fuzzers.forEach((o, i) => {
        const seed = SEEDS[i]!;
        assert.notEqual(o.status.signal, SIG.SYS, `seed ${seed}: SIGSYS, a kernel bug: ${o.fault?.message}`);
        if (o.status.signal !== null) {
          // A trap in the fuzzer is its own affair, if it left a fault record.
          assert.ok(o.fault, `seed ${seed}: killed by signal ${o.status.signal} without a fault record`);
          t.diagnostic(`seed ${seed}: fuzzer trapped: ${o.fault.kind} (${o.fault.message})`);
          return;
        }
        assert.equal(o.status.code, 0, `seed ${seed}: exit ${o.status.code}: ${o.stderr}`);
        const summary = o.stdout.match(/fuzz: seed=\S+ calls=\d+ ok=\d+ pairs=\d+/g);
        assert.ok(summary, `seed ${seed}: no summary line`);
        t.diagnostic(summary.at(-1)!);
      });
      assertNeighbour(beside!, rounds);
      assertNeighbour(r.steps[1]![0]!, 20);
    });
  });

  describe('fuzz the isokernel module', () => {
    // fuzz_isk (hostile/src/fuzz_isk.c) calls the `isokernel` imports directly: spawn with
    // wild file actions and attributes, wait, kill, signals and timers, pipes and dups,
    // groups and sessions, limits, stat/chmod, sockets, logging, terminal calls on
    // non-terminals, tracing. Each fuzzer runs in a session of its own, signals only itself
    // and its children, keeps its paths under /isk-SEED (a tmpfs of its own) and spawns
    // itself from /hostile (read-only). Guest ports map to ephemeral host ports and nothing
    // may leave the kernel (egress none), so its sockets meet only each other.
    it(`hostile-fuzz-isk: random isokernel calls from ${ISK_SEEDS.length} seeds beside a neighbour; no SIGSYS, the neighbour unharmed`, async (t: TestContext) => {
      const rounds = 400;
      const r = await runKernel({
        mounts: [
          { path: '/hostile', spec: { type: 'hostfs', host: path.join(here, 'hostile/bin'), readOnly: true } },
          ...ISK_SEEDS.map((seed) => ({ path: `/isk-${seed}`, spec: { type: 'tmpfs' as const, maxBytes: 4 << 20 } })),
        ],
        network: { egress: [], unlisted: 'ephemeral' },
        quietLog: true, // log records go to the host's stderr while no reader attaches
        steps: [
          [neighbour('/tmp/neighbour', rounds), ...ISK_SEEDS.map((seed): Spawn => ({
            program: bin('fuzz_isk'), args: ['fuzz_isk', seed, FUZZ_CALLS, FUZZ_MS],
            preopens: [`/isk-${seed}`], rootPreopen: false,
          }))],
          [neighbour('/tmp/after', 20)],
        ],
      }, Number(FUZZ_MS) + 12_000);
      const [beside, ...fuzzers] = r.steps[0]!;
      fuzzers.forEach((o, i) => {
        const seed = ISK_SEEDS[i]!;
        assert.notEqual(o.status.signal, SIG.SYS, `seed ${seed}: SIGSYS, a kernel bug: ${o.fault?.message}`);
        // Stricter than fuzz.c's judgement: fuzz_isk never traps by itself (it keeps the
        // signals that reach it caught or ignored, and its pointers honest), so a signal here
        // is the kernel's doing (a write into its memory where no call pointed, a signal it
        // should not have got).
        assert.ok(o.fault || o.status.signal === null, `seed ${seed}: killed by signal ${o.status.signal} without a fault record`);
        assert.equal(o.status.signal, null, `seed ${seed}: killed by signal ${o.status.signal}: ${JSON.stringify(o.fault)}`);
        // Exit 4: a failing call changed the fuzzer's state (descriptors, cwd, mask, umask,
        // limits, group), or the kernel wrote into its constant tables; stderr says which call.
        assert.equal(o.status.code, 0, `seed ${seed}: exit ${o.status.code}: ${o.stderr.slice(-2000)}`);
        const summary = o.stdout.match(/fuzz_isk: seed=\S+ calls=\d+ ok=\d+ pairs=\d+ children=\d+ signals=\d+/g);
        assert.ok(summary, `seed ${seed}: no summary line`);
        t.diagnostic(summary.at(-1)!);
      });
      assertNeighbour(beside!, rounds);
      assertNeighbour(r.steps[1]![0]!, 20);
    });
  });

  // What fuzz_isk found, each checked with exact errnos: descriptors left above a lowered
  // RLIMIT_NOFILE made pipe, socketpair, log_open, path_open and spawn's PIPE action fail
  // with EMFILE though numbers below the limit were free, and were lost by spawned children;
  // a caught signal (SIGCHLD) while bind or listen waited for the host, or spawn for a
  // compile, made them fail with EINTR (and the socket could not listen again); dupfd with
  // min at or above the limit is EINVAL (was EMFILE). (It also found preempt() returning
  // EINTR, taken as fuel, in a traced process held for its reader and then signalled: not
  // reproducible on demand, so only the fuzz test's EINTR judgement watches it.)
  it('hostile-isk-regressions: what fuzz_isk found, checked with exact errnos (fuzz_isk check)', async () => {
    const r = await runKernel({
      mounts: [
        { path: '/hostile', spec: { type: 'hostfs', host: path.join(here, 'hostile/bin'), readOnly: true } },
        { path: '/isk-check', spec: { type: 'tmpfs', maxBytes: 1 << 20 } },
      ],
      quietLog: true,
      steps: [[{ program: bin('fuzz_isk'), args: ['fuzz_isk', 'check'], preopens: ['/isk-check'], rootPreopen: false }]],
    }, 10_000);
    const o = r.steps[0]![0]!;
    const lines = o.stdout.split('\n');
    const failed = lines.filter((l) => l.startsWith('FAIL'));
    assert.deepEqual(failed, [], `wrong errnos:\n${failed.join('\n')}\nstderr: ${o.stderr}`);
    assert.ok(lines.filter((l) => l.startsWith('ok ')).length >= 16, `too few checks ran:\n${o.stdout}${o.stderr}`);
    assert.ok(lines.includes('PASS: 0 failed'));
    assert.deepEqual(o.status, { code: 0, signal: null, status: 0, core: false });
  });

  describe('bad programs', () => {
    let dir: string;
    const file = (name: string): string => path.join(dir, name);
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'isokernel-badprog-'));
      // Deterministic "random" bytes (a linear congruential generator).
      let x = 12345;
      const noise = Buffer.alloc(4096).map(() => ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
      writeFileSync(file('random.wasm'), noise);
      writeFileSync(file('header-then-noise.wasm'), Buffer.concat([Buffer.from('\0asm\x01\0\0\0', 'latin1'), noise]));
      writeFileSync(file('truncated.wasm'), readFileSync(bin('neighbour')).subarray(0, 100));
      writeFileSync(file('empty.wasm'), '');
      mkdirSync(file('directory.wasm'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('hostile-bad-programs: a program that cannot run ends with 126 (127 if missing) and a clear p.error; the kernel goes on', async () => {
      const cases: [what: string, program: string | Uint8Array, status: number, reason: RegExp][] = [
        ['truncated (the first 100 bytes of a valid one)', file('truncated.wasm'), 126, /invalid WebAssembly module/],
        ['the same 100 bytes given as bytes', readFileSync(file('truncated.wasm')), 126, /invalid WebAssembly module/],
        ['random bytes', file('random.wasm'), 126, /not a WebAssembly module/],
        ['a valid header, then random bytes', file('header-then-noise.wasm'), 126, /invalid WebAssembly module/],
        ['an empty file', file('empty.wasm'), 126, /not a WebAssembly module/],
        ['a directory', file('directory.wasm'), 126, /is a directory/],
        ['a missing file', file('missing.wasm'), 127, /no such file/],
        ['a module importing env.foo', bin('bad_import_env'), 126, /imports function "env"\."foo", which isokernel does not provide/],
        ['a module with no _start', bin('bad_no_start'), 126, /exports no _start/],
        ['a module with no memory', bin('bad_no_memory'), 126, /exports no memory/],
        ['fd_write imported with the wrong signature', bin('bad_import_signature'), 126, /cannot instantiate.*fd_write/],
        ['a data segment out of bounds', bin('bad_data_segment'), 126, /cannot instantiate.*data segment/],
        ['a start function that makes a system call', bin('bad_start_syscall'), 126, /cannot instantiate: its start function makes a system call/],
      ];
      const r = await runKernel({
        mounts: [],
        steps: [...cases.map(([, program]) => [{ program }]), [neighbour('/tmp/after', 20)]],
      }, 10_000);
      cases.forEach(([what, program, status, reason], i) => {
        const o = r.steps[i]![0]!;
        assert.deepEqual(o.status, { code: status, signal: null, status, core: false }, what);
        assert.ok(o.error, `${what}: no p.error`);
        assert.equal(o.error.code, status === 127 ? 'ENOENT' : 'ENOEXEC', what);
        const name = typeof program === 'string' ? program : '<bytes>';
        assert.ok(o.error.message.startsWith(`${name}: `), `${what}: the message names the program: ${o.error.message}`);
        assert.match(o.error.message, reason, what);
        assert.equal(o.fault, null, what);
      });
      assertNeighbour(r.steps.at(-1)![0]!, 20);
    });
  });
});
