// The kernel's tracer (src/kernel/trace/tracer.ts) without strace: back-pressure on a
// reader that does not keep up, attaching to a process asleep in a call (its exit comes
// "resumed"), detaching (the process runs on untraced), end of stream, no cost left behind.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NODE_PROGRAM } from '../../src/kernel/jsproc/program.ts';
import type { Kernel } from '../../src/kernel/kernel.ts';
import { traceCalls } from '../../src/kernel/trace/calls.ts';
import { HARD_BYTES, SOFT_BYTES, TRACE_FLAGS, TraceSession } from '../../src/kernel/trace/tracer.ts';
import { Parser, type TraceRecord } from '../../userland/sbin/lib/strace/records.ts';
import { start, traceKernel, until } from './harness.ts';

function drain(s: TraceSession, into: TraceRecord[], parser: Parser): number {
  let total = 0;
  for (;;) {
    const b = new Uint8Array(1 << 16);
    const n = s.read(b);
    if (n <= 0) return total;
    total += n;
    into.push(...parser.feed(b.subarray(0, n)));
  }
}

describe('tracer', () => {
  let k: Kernel;
  before(async () => {
    k = await traceKernel();
  });
  after(async () => {
    await k.shutdown();
  });

  it('holds a traced process back when its reader does not keep up, and loses nothing', async () => {
    // attached before it starts: spawn and attach in one turn (it starts in a microtask)
    const t = await k.findProgram('/t/sysloop.wasm', ['sysloop', 'write', '40000']);
    const p = k.spawn({ program: t.program, args: t.argv, stdio: ['null', 'capture', 'capture'] });
    const s = new TraceSession(p, traceCalls(k.syscalls), 0, 32);
    s.attach(p, 0);
    await until(() => s.queued >= SOFT_BYTES && p.state === 'sleeping', 30000, 'the queue to fill');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(p.exitStatus, null, 'the process waits for the reader');
    assert.ok(s.queued <= HARD_BYTES);
    const recs: TraceRecord[] = [];
    const parser = new Parser();
    const iv = setInterval(() => drain(s, recs, parser), 2);
    const st = await p.exited;
    clearInterval(iv);
    drain(s, recs, parser);
    assert.equal(st.status, 0);
    assert.equal(recs.filter((r) => r.type === 'lost').length, 0);
    const names = traceCalls(k.syscalls);
    const writes = recs.filter((r) => r.type === 'exit' && names[r.call]!.name === 'fd_write' && (r.args[0] === 3n || r.args[0] === 4n));
    assert.equal(writes.length, 40000);
    assert.equal(recs[recs.length - 1]!.type, 'exited');
    assert.equal(s.read(new Uint8Array(16)), 0, 'end of stream once the process is gone');
  });

  it('holds a JS process back too, between its calls', async () => {
    const p = k.spawn({ program: NODE_PROGRAM, args: ['node', '/js/jsloop.mjs', '30000'], stdio: ['null', 'capture', 'capture'] });
    const s = new TraceSession(p, traceCalls(k.syscalls), 0, 32);
    s.attach(p, 0);
    await until(() => s.queued >= SOFT_BYTES, 60000, 'the queue to fill');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(p.exitStatus, null, 'the process waits for the reader');
    assert.ok(s.queued < SOFT_BYTES + (64 << 10), `${s.queued} bytes queued: at most a call's records past the mark`);
    const recs: TraceRecord[] = [];
    const parser = new Parser();
    const iv = setInterval(() => drain(s, recs, parser), 2);
    const st = await p.exited;
    clearInterval(iv);
    drain(s, recs, parser);
    assert.equal(st.status, 0, p.output(2).toString());
    assert.equal(p.output(1).toString(), 'done 30000\n');
    assert.equal(recs.filter((r) => r.type === 'lost').length, 0);
  });

  it('attaches to a process asleep in a call: its exit comes resumed; detach leaves it untraced', async () => {
    const p = await start(k, ['/t/known.wasm', 'ticks', '12', '40']);
    await until(() => p.output(1).toString().includes('tick 2\n') && p.wchan !== null, 20000, 'the program to sleep');
    const s = new TraceSession(p, traceCalls(k.syscalls), TRACE_FLAGS.TIMES, 32);
    s.attach(p, 0);
    const recs: TraceRecord[] = [];
    const parser = new Parser();
    await until(() => {
      drain(s, recs, parser);
      return recs.some((r) => r.type === 'enter');
    }, 20000, 'a call after the attach');
    const calls = recs.filter((r) => r.type === 'enter' || r.type === 'exit');
    const first = calls[0]!;
    assert.equal(first.type, 'exit');
    assert.equal(first.type === 'exit' && first.resumed, true);
    assert.ok(first.type === 'exit' && Number.isNaN(first.t0));
    assert.equal(recs[1]!.type, 'attached');
    s.detach(p);
    assert.equal(p.trace, null);
    drain(s, recs, parser);
    assert.equal(recs[recs.length - 1]!.type, 'detached');
    assert.equal(s.read(new Uint8Array(16)), 0, 'nothing more after the detach');
    const st = await p.exited;
    assert.equal(st.status, 0);
    assert.match(p.output(1).toString(), /tick 12\nsum 78\n$/);
  });

  it('a filter records only the calls named; the others are not recorded at all', async () => {
    const t = await k.findProgram('/t/known.wasm', ['known', 'basic']);
    const p = k.spawn({ program: t.program, args: t.argv, stdio: ['null', 'capture', 'capture'] });
    const s = new TraceSession(p, traceCalls(k.syscalls), 0, 32);
    assert.deepEqual(s.setFilter(['path_open', 'no_such_call']), ['no_such_call']);
    assert.deepEqual(s.setFilter(['path_open']), []);
    s.attach(p, 0);
    await p.exited;
    const recs: TraceRecord[] = [];
    drain(s, recs, new Parser());
    const names = traceCalls(k.syscalls);
    const called = recs.filter((r) => r.type === 'enter' || r.type === 'exit').map((r) => names[(r as { call: number }).call]!.name);
    assert.ok(called.length >= 6, called.join(' '));
    assert.deepEqual([...new Set(called)], ['path_open']);
  });

  it('follows children with FOLLOW, and a closed session detaches everything', async () => {
    const t = await k.findProgram('/t/known.wasm', ['known', 'spawn', '/t/known.wasm']);
    const p = k.spawn({ program: t.program, args: t.argv, stdio: ['null', 'capture', 'capture'] });
    const s = new TraceSession(p, traceCalls(k.syscalls), TRACE_FLAGS.FOLLOW, 32);
    s.attach(p, 0);
    const recs: TraceRecord[] = [];
    const parser = new Parser();
    await until(() => {
      drain(s, recs, parser);
      return recs.filter((r) => r.type === 'exited').length === 2;
    }, 20000, 'both processes to end');
    const attached = recs.filter((r) => r.type === 'attached');
    assert.equal(attached.length, 2);
    assert.equal(attached[1]!.type === 'attached' && attached[1]!.how, 'follow');
    assert.equal(attached[1]!.type === 'attached' && attached[1]!.ppid, p.pid);
    const q = await start(k, ['/t/known.wasm', 'ticks', '3', '30']);
    const s2 = new TraceSession(q, traceCalls(k.syscalls), 0, 32);
    s2.attach(q, 0);
    s2.close();
    assert.equal(q.trace, null);
    assert.equal((await q.exited).status, 0);
  });
});
