// The kernel's tracer (src/kernel/trace/tracer.ts) without strace: back-pressure on a
// reader that does not keep up, attaching to a process asleep in a call (its exit comes
// "resumed"), detaching (the process runs on untraced), end of stream, no cost left behind.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NODE_PROGRAM } from '../../src/kernel/jsproc/program.ts';
import type { Kernel } from '../../src/kernel/kernel.ts';
import { traceCalls } from '../../src/kernel/trace/calls.ts';
import { HARD_BYTES, SOFT_BYTES, TRACE_FLAGS, TraceSession } from '../../src/kernel/trace/tracer.ts';
import type { Process } from '../../src/kernel/proc/process.ts';
import { GuestMemory } from '../../src/kernel/syscall/guest-memory.ts';
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

  it('records of any size go whole through the queue, across its 256 KiB chunks', async () => {
    // sizes around the chunk's size, with -s 65536: records from ~100 bytes to 64 KiB each;
    // the reader takes odd amounts, so records are cut between reads too
    const sizes: number[] = [];
    for (let i = 0; i < 120; i++) sizes.push([1, 700, 4093, 65536, 65537, 300000][i % 6]! + (i % 5));
    const p = k.spawn({ program: NODE_PROGRAM, args: ['node', '/js/bigwrite.mjs', sizes.join(',')], stdio: ['null', 'capture', 'capture'] });
    const s = new TraceSession(p, traceCalls(k.syscalls), 0, 65536);
    s.attach(p, 0);
    const recs: TraceRecord[] = [];
    const parser = new Parser();
    const take = (): void => {
      for (;;) {
        const b = new Uint8Array(7777);
        const n = s.read(b);
        if (n <= 0) return;
        recs.push(...parser.feed(b.subarray(0, n)));
      }
    };
    const iv = setInterval(take, 1);
    const st = await p.exited;
    clearInterval(iv);
    await until(() => s.finished, 5000, 'the session to end');
    take();
    assert.equal(st.status, 0, p.output(2).toString());
    assert.equal(parser.pending, 0);
    const names = traceCalls(k.syscalls);
    const writes = recs.filter((r) => r.type === 'enter' && names[r.call]!.name === 'fd_write' && r.caps.size > 0);
    const seen: number[] = [];
    for (const r of writes) {
      if (r.type !== 'enter') continue;
      const c = r.caps.get(1)!;
      const dv = new DataView(c.data.buffer, c.data.byteOffset, c.data.byteLength);
      const len = dv.getUint32(4, true);
      if (dv.getUint32(0, true) !== 1 || !sizes.includes(len)) continue; // the writev, the program's other writes (stdout)
      const n = dv.getUint32(8, true);
      assert.equal(n, Math.min(len, 65536));
      for (let i = 0; i < n; i += 997) assert.equal(c.data[12 + i], (i * 7 + len) & 255, `byte ${i} of a ${len}-byte write`);
      seen.push(len);
    }
    assert.deepEqual(seen, sizes);
    assert.equal(recs.filter((r) => r.type === 'lost').length, 0);
  });

  it('a record larger than a chunk, and an entry held across a chunk change, go whole', () => {
    // a stand-in for a WASI process: the tracer reads its pid, its memory and p.intr only
    const memory = new WebAssembly.Memory({ initial: 32 });
    const p = { pid: 77, ppid: 1, wchan: null, intr: 0, mem: new GuestMemory(memory), trace: null } as unknown as Process;
    const calls = traceCalls(k.syscalls);
    const write = calls.find((c) => c.name === 'fd_write')!;
    const s = new TraceSession(p, calls, 0, 65536);
    s.attach(p, 0);
    const dv = new DataView(memory.buffer);
    const u8 = new Uint8Array(memory.buffer);
    // five iovecs of 64 KiB at 0x10000...; the iovec array at 0x100, the result at 0x200
    for (let k = 0; k < 5; k++) {
      dv.setUint32(0x100 + k * 8, 0x10000 * (k + 1), true);
      dv.setUint32(0x100 + k * 8 + 4, 65536, true);
      u8.fill(k + 1, 0x10000 * (k + 1), 0x10000 * (k + 2));
    }
    const h = (_p: Process, _fd: unknown, _iov: unknown, n: unknown, ret: unknown): number => {
      dv.setUint32(Number(ret), 65536 * Number(n), true);
      return 0;
    };
    const recs: TraceRecord[] = [];
    const parser = new Parser();
    // small writes up to near a chunk's end, then the big one, then small ones again
    let made = 0;
    const small = (): void => {
      s.call(p, p, 0, write, h as never, [1, 0x100, 0, 0x200], false);
      made++;
    };
    while (s.queued < (256 << 10) - 200) small();
    assert.equal(s.call(p, p, 0, write, h as never, [1, 0x100, 5, 0x200], false), 0);
    for (let i = 0; i < 100; i++) small();
    drain(s, recs, parser);
    const writes = recs.filter((r) => r.type === 'enter' && r.call === write.id);
    assert.equal(writes.length, made + 1);
    const big = writes.find((r) => r.type === 'enter' && r.args[2] === 5n)!;
    assert.ok(big.type === 'enter');
    const c = big.caps.get(1)!;
    assert.equal(c.data.length, 4 + 5 * (8 + 65536));
    for (let k = 0; k < 5; k++) {
      const at = 4 + k * (8 + 65536);
      assert.equal(new DataView(c.data.buffer, c.data.byteOffset + at).getUint32(4, true), 65536);
      assert.ok(c.data.subarray(at + 8, at + 8 + 65536).every((b) => b === k + 1), `iovec ${k}`);
    }
    const exit = recs[recs.indexOf(big) + 1]!;
    assert.ok(exit.type === 'exit' && exit.result === 0 && exit.caps.get(3)!.data.length === 4);
    assert.equal(parser.pending, 0);
    s.close();
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
  it('records plain calls on the short path exactly as the general path does', async () => {
    // the same programs traced without times (plain calls — getppid, fd_close, umask,
    // fd_next, proc_exit — go the short path: TraceSession.call0..call4) and with TIMES
    // (every call the general way): the streams are the same bytes but for the times
    const stream = async (argv: string[], flags: number): Promise<Uint8Array> => {
      const t = await k.findProgram(argv[0]!, argv);
      const p = k.spawn({ program: t.program, args: t.argv, stdio: ['null', 'capture', 'capture'] });
      const s = new TraceSession(p, traceCalls(k.syscalls), flags, 32);
      s.attach(p, 0);
      const parts: Uint8Array[] = [];
      let done = false;
      void p.exited.then(() => { done = true; });
      for (;;) {
        const b = new Uint8Array(1 << 16);
        const n = s.read(b);
        if (n > 0) parts.push(b.subarray(0, n));
        else if (done && s.queued === 0) break;
        else await new Promise((r) => setImmediate(r));
      }
      s.close();
      const all = new Uint8Array(parts.reduce((a, b) => a + b.length, 0));
      let o = 0;
      for (const b of parts) {
        all.set(b, o);
        o += b.length;
      }
      // times out (the records' and what clock_time_get read); the pid (each run is a process of its own) out
      const dv = new DataView(all.buffer);
      const clock = traceCalls(k.syscalls).findIndex((c) => c.name === 'clock_time_get');
      let calls = 0;
      for (let at = 0; at < all.length; at += dv.getUint32(at, true)) {
        dv.setFloat64(at + 16, 0, true);
        dv.setUint32(at + 8, 0, true);
        const type = all[at + 4];
        if (type === 3 || type === 11) dv.setFloat64(at + 24, 0, true); // EXIT, CALL: the entry's time
        if (type === 11 && dv.getUint16(at + 6, true) === clock) dv.setFloat64(at + dv.getUint32(at, true) - 8, 0, true);
        if (type === 11) calls++;
      }
      assert.ok(calls > 10, `${calls} CALL records`);
      // sysloop's last line says how long the loop took: up to the end of its loop
      const getppid = traceCalls(k.syscalls).findIndex((c) => c.name === 'getppid');
      let end = all.length;
      if (argv[1] === 'getppid') {
        for (let at = 0; at < all.length; at += dv.getUint32(at, true)) if (dv.getUint16(at + 6, true) === getppid) end = at + dv.getUint32(at, true);
      }
      return all.subarray(0, end);
    };
    for (const argv of [['/t/known.wasm', 'basic'], ['/t/sysloop.wasm', 'getppid', '3000']]) {
      const short = await stream(argv, 0);
      const general = await stream(argv, TRACE_FLAGS.TIMES);
      assert.equal(short.length, general.length, argv.join(' '));
      let at = 0;
      while (at < short.length && short[at] === general[at]) at++;
      assert.equal(at, short.length, `${argv.join(' ')}: the streams differ at byte ${at}`);
    }
  });
});
