// Threads (wasi-threads): processes whose threads run on worker threads, in parallel, with a
// shared memory; futex waits that block only their thread; proc_exit, traps and kill() that
// end the whole process. The programs are hand-written WAT in tests/threads (build.sh).
import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Kernel } from '../src/kernel/kernel.ts';
import type { Limits, Process } from '../src/kernel/proc/process.ts';
import { threadsOf, type ThreadFaultRecord } from '../src/kernel/proc/threads.ts';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const prog = (name: string): string => path.join(root, 'tests/threads', `${name}.wasm`);
const guest = (name: string): string => path.join(root, 'tests/guest/bin', `${name}.wasm`);

/** Resolves when `p` has written `text` to fd 1, or rejects after `ms`. */
async function outputHas(p: Process, text: string, ms = 20_000): Promise<void> {
  const t0 = performance.now();
  while (!p.output(1).toString().includes(text)) {
    if (p.exitStatus) throw new Error(`process ended (${p.exitStatus.status}) before writing ${JSON.stringify(text)}`);
    if (performance.now() - t0 > ms) throw new Error(`no ${JSON.stringify(text)} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('threads (wasi-threads)', () => {
  let kernel: Kernel;
  before(async () => {
    kernel = await Kernel.boot({});
  });
  after(async () => {
    await kernel.shutdown();
  });

  const run = (name: string, opts: { args?: string[]; limits?: Partial<Limits> } = {}): Process =>
    kernel.spawn({ program: prog(name), stdio: ['null', 'capture', 'capture'], ...opts });

  it('threads-mutex-counter: 4 threads add 10000 each under an atomics mutex; main joins on a futex', async () => {
    const p = run('counter');
    const st = await p.exited;
    assert.deepEqual(st, { code: 0, signal: null, status: 0, core: false }, p.error?.message);
    assert.equal(p.output(1).toString(), 't\nt\nt\nt\n40000\n');
    // Accounting: main's spawns and write, each thread's write; nothing broke on the way.
    assert.ok(p.acct.syscalls >= 9, `syscalls ${p.acct.syscalls}`);
    assert.equal(p.acct.bytesWritten, 14);
    assert.deepEqual(threadsOf(p), []);
  });

  it('threads-proc-exit: proc_exit(7) in a thread ends the process while main sleeps in poll_oneoff', async () => {
    const t0 = performance.now();
    const p = run('exit');
    const st = await p.exited;
    assert.deepEqual(st, { code: 7, signal: null, status: 7, core: false });
    assert.ok(performance.now() - t0 < 9000, 'main slept its 10 s out');
  });

  it('threads-trap: unreachable in a thread kills the process with SIGILL; the record names the thread', async () => {
    const records: ThreadFaultRecord[] = [];
    const onFault = (r: unknown): void => void records.push(r as ThreadFaultRecord);
    dc.subscribe('isokernel:proc:fault', onFault);
    try {
      const p = run('trap');
      const st = await p.exited;
      assert.deepEqual(st, { code: null, signal: 4, status: 132, core: true });
      const f = p.fault as ThreadFaultRecord;
      assert.equal(f.tid, 1);
      assert.equal(f.signalName, 'SIGILL');
      assert.equal(f.kind, 'unreachable executed');
      assert.equal(f.pid, p.pid);
      assert.equal(f.frames[0]?.name, 'crash');
      assert.deepEqual(records.filter((r) => r.pid === p.pid).map((r) => r.tid), [1]);
    } finally {
      dc.unsubscribe('isokernel:proc:fault', onFault);
    }
  });

  it('threads-parallel: two threads that spin waiting for each other (no futex, no syscall) both finish', async () => {
    const p = run('pingpong');
    const st = await p.exited;
    assert.equal(st.status, 0, 'a spin gave up: the threads did not run at once');
    // Both spun on their own OS threads; the workers' CPU time reached the process's account.
    assert.ok(p.acct.cpuNs > 0, 'no CPU time accounted');
  });

  it('threads-futex-blocks-only-its-thread: a thread in a futex wait stops neither its siblings nor a neighbour', async () => {
    await kernel.load(guest('hello'));
    const p = run('futex');
    await outputHas(p, 'tick\n'); // thread 1 waits on its futex by now; thread 2 makes syscalls
    const neighbour = kernel.spawn({ program: guest('hello'), stdio: ['null', 'capture', 'null'] });
    const hst = await neighbour.exited;
    assert.equal(hst.status, 0);
    assert.equal(neighbour.output(1).toString(), 'hello, world\n');
    assert.equal(p.exitStatus, null, 'the neighbour waited for the futex');
    assert.ok(!p.output(1).toString().includes('woke'), 'the futex was woken before the neighbour ran');
    const st = await p.exited;
    assert.equal(st.status, 0);
    assert.equal(p.output(1).toString(), 'tick\n'.repeat(5) + 'woke\ndone\n');
  });

  it('threads-sleepers: threads asleep in poll_oneoff at once each keep their own deadline', async () => {
    const t0 = performance.now();
    const p = run('sleepers');
    const st = await p.exited;
    const elapsed = performance.now() - t0;
    assert.equal(st.status, 0);
    assert.equal(p.output(1).toString(), 'b\nb\nb\nb\nb\na\nm\n');
    assert.ok(elapsed >= 500, `the 500 ms sleep took ${elapsed} ms`);
    assert.ok(p.acct.voluntarySwitches >= 7, `voluntary switches ${p.acct.voluntarySwitches}`);
  });

  it('threads-limit: thread-spawn returns -EAGAIN (-6) past limits.threads; main returning ends waiting threads', async () => {
    const p = run('limit', { limits: { threads: 3 } as Partial<Limits> });
    const st = await p.exited;
    assert.equal(st.status, 0);
    assert.equal(p.output(1).toString(), '1\n2\n-6\n');
  });

  it('threads-main-returns: returning from _start ends the process and its busy threads', async () => {
    const p = run('busy');
    const st = await p.exited;
    assert.deepEqual(st, { code: 0, signal: null, status: 0, core: false });
  });

  it('threads-kill: kill() ends a process whose threads all spin', async () => {
    const p = run('busy', { args: ['busy', 'forever'] });
    while (threadsOf(p).length < 2) await new Promise((r) => setTimeout(r, 10));
    assert.equal(p.state, 'running');
    kernel.kill(p.pid, 15);
    const st = await p.exited;
    assert.deepEqual(st, { code: null, signal: 15, status: 143, core: false });
    assert.deepEqual(threadsOf(p), []);
  });

  it('threads-stop-cont: SIGSTOP holds each thread at its next system call; SIGCONT lets them go on', async () => {
    const p = run('futex');
    await outputHas(p, 'tick\n');
    kernel.kill(p.pid, 19);
    assert.equal(p.state, 'stopped');
    await new Promise((r) => setTimeout(r, 150)); // a tick in flight may still land
    const held = p.output(1).toString();
    await new Promise((r) => setTimeout(r, 400)); // thread 2 would tick 4 times meanwhile
    assert.equal(p.output(1).toString(), held);
    assert.equal(p.exitStatus, null);
    kernel.kill(p.pid, 18);
    const st = await p.exited;
    assert.equal(st.status, 0);
    assert.equal(p.output(1).toString(), 'tick\n'.repeat(5) + 'woke\ndone\n');
  });

  it('threads-load-errors: an unshared imported memory, thread-spawn without wasi_thread_start, a compiled module, a memory over the limit: 126', async () => {
    const unshared = run('bad_unshared');
    assert.equal((await unshared.exited).status, 126);
    assert.match(unshared.error!.message, /imports memory "env"\."memory", which is not shared/);
    const noStart = run('bad_no_thread_start');
    assert.equal((await noStart.exited).status, 126);
    assert.match(noStart.error!.message, /exports no wasi_thread_start/);
    // A compiled module does not tell its memory's limits; its bytes do.
    const bytes = new Uint8Array(await readFile(prog('counter')));
    const compiled = kernel.spawn({ program: new WebAssembly.Module(bytes), stdio: ['null', 'null', 'null'] });
    assert.equal((await compiled.exited).status, 126);
    assert.match(compiled.error!.message, /must be loaded from its bytes or path/);
    // The memory the kernel creates must fit the process's page limit.
    const big = run('counter', { limits: { memoryPages: 0 } as Partial<Limits> });
    assert.equal((await big.exited).status, 126);
    assert.match(big.error!.message, /memory starts at 1 pages; the process may have 0/);
    const fromBytes = kernel.spawn({ program: bytes, stdio: ['null', 'capture', 'null'] });
    assert.equal((await fromBytes.exited).status, 0);
    assert.equal(fromBytes.output(1).toString(), 't\nt\nt\nt\n40000\n');
  });
});
