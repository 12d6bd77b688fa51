// The tracer's cheap paths (bench/trace.ts measures them): a call whose exit follows its
// entry goes as one CALL record, and strace prints it straight from the bytes
// (Parser.feedTo, Formatter.call/pair) — the same lines as decoding every record into
// objects (Parser.feed, Formatter.push); a count-only session (SUMMARY, strace -c) writes
// no call records, only COUNTS before each EXITED or DETACHED.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kernel } from '../../src/kernel/kernel.ts';
import { traceCalls } from '../../src/kernel/trace/calls.ts';
import { HEADER_BYTES, REC, TRACE_FLAGS, TraceSession } from '../../src/kernel/trace/tracer.ts';
import { Formatter } from '../../userland/sbin/lib/strace/format.ts';
import { LineBytes } from '../../userland/sbin/lib/strace/out.ts';
import { Parser } from '../../userland/sbin/lib/strace/records.ts';
import { traceKernel, until } from './harness.ts';

/** Traces argv from its start; returns the raw stream once it has ended. */
async function rawTrace(k: Kernel, argv: string[], flags = 0, strsize = 32): Promise<Uint8Array> {
  // spawned and attached in one turn: it starts in a microtask
  const t = await k.findProgram(argv[0]!, argv);
  const p = k.spawn({ program: t.program, args: t.argv, stdio: ['null', 'capture', 'capture'] });
  const s = new TraceSession(p, traceCalls(k.syscalls), flags, strsize);
  s.attach(p, 0);
  const parts: Uint8Array[] = [];
  const drain = (): void => {
    for (;;) {
      const b = new Uint8Array(1 << 16);
      const n = s.read(b);
      if (n <= 0) return;
      parts.push(b.subarray(0, n));
    }
  };
  const iv = setInterval(drain, 2);
  await p.exited;
  clearInterval(iv);
  await until(() => s.finished, 5000, 'the session to end');
  drain();
  return Buffer.concat(parts);
}

function recordTypes(raw: Uint8Array): number[] {
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out: number[] = [];
  for (let o = 0; o + HEADER_BYTES <= raw.length; o += dv.getUint32(o, true)) out.push(raw[o + 4]!);
  return out;
}

/**
 * strace's text for the stream, fed in pieces of `piece` bytes, by the fast path or the
 * general one; `bytes`: the fast path's lines written as bytes (out.ts, as strace does);
 * `reuse`: every piece read into the same buffer, scribbled over once fed (strace reads into
 * two buffers by turns: nothing may keep a view of what it was fed).
 */
function text(raw: Uint8Array, piece: number, fast: boolean, o: ConstructorParameters<typeof Formatter>[0] = {}, bytes = false, reuse = false): string {
  let out = '';
  const lb = new LineBytes();
  const take = (): void => {
    out += new TextDecoder().decode(lb.view());
    lb.clear();
  };
  const fmt = new Formatter(o, (l) => {
    out += l;
  }, (l) => {
    if (bytes) take();
    out += `NOTE ${l}`;
  });
  if (bytes) fmt.writeBytesTo(lb);
  const parser = new Parser();
  const shared = new Uint8Array(piece);
  for (let at = 0; at < raw.length; at += piece) {
    // each piece in a buffer of its own, or in the same one each time
    let b = raw.slice(at, at + piece);
    if (reuse) {
      shared.set(b);
      b = shared.subarray(0, b.length);
    }
    if (fast) parser.feedTo(b, fmt);
    else for (const r of parser.feed(b)) fmt.push(r);
    if (reuse) shared.fill(0xa5);
    if (bytes) take();
  }
  assert.equal(parser.pending, 0);
  return out;
}

describe('tracer fast paths', () => {
  let k: Kernel;
  before(async () => {
    k = await traceKernel();
  });
  after(async () => {
    await k.shutdown();
  });

  it('writes a call with nothing between its entry and exit as one CALL record', async () => {
    const raw = await rawTrace(k, ['/t/sysloop.wasm', 'write', '200']);
    const types = recordTypes(raw);
    assert.equal(types[0], REC.SCHEMA);
    assert.ok(types.filter((t) => t === REC.CALL).length >= 200, 'the loop\'s writes are CALL records');
    assert.equal(types.filter((t) => t === REC.ENTER).length, 0, 'no call slept or was interrupted');
    assert.equal(types[types.length - 1], REC.EXITED);
    // the general parser splits each CALL into the ENTER and EXIT it stands for
    const recs = new Parser().feed(raw);
    const writes = recs.filter((r) => r.type === 'exit' && r.call === traceCalls(k.syscalls).findIndex((c) => c.name === 'fd_write'));
    assert.ok(writes.length >= 200);
    assert.equal(recs.filter((r) => r.type === 'enter').length, recs.filter((r) => r.type === 'exit').length);
  });

  it('prints the same lines from the bytes as from decoded records, however the stream is cut', async () => {
    for (const argv of [['/t/known.wasm', 'basic'], ['/t/sysloop.wasm', 'open', '50'], ['/t/sysloop.wasm', 'fstat', '50'], ['/t/known.wasm', 'spawn']]) {
      const raw = await rawTrace(k, argv, TRACE_FLAGS.FOLLOW | TRACE_FLAGS.TIMES, 16);
      const want = text(raw, raw.length, false, { timing: true });
      assert.ok(want.split('\n').length > 10, want);
      for (const piece of [raw.length, 4096, 61, 7]) {
        assert.equal(text(raw, piece, true, { timing: true }), want, `${argv.join(' ')} in pieces of ${piece}`);
        assert.equal(text(raw, piece, true, { timing: true }, true), want, `${argv.join(' ')} in pieces of ${piece}, as bytes`);
        assert.equal(text(raw, piece, true, { verbose: true }), text(raw, raw.length, false, { verbose: true }));
        assert.equal(text(raw, piece, true, { verbose: true }, true), text(raw, raw.length, false, { verbose: true }));
        assert.equal(text(raw, piece, true, { timing: true }, true, true), want, `${argv.join(' ')} in pieces of ${piece}, one buffer`);
        assert.equal(text(raw, piece, false, { timing: true }, false, true), want, `${argv.join(' ')} in pieces of ${piece}, decoded, one buffer`);
      }
    }
  });

  it('a count-only session (strace -c) records no calls, and counts them all', async () => {
    const raw = await rawTrace(k, ['/t/sysloop.wasm', 'open', '300'], TRACE_FLAGS.SUMMARY | TRACE_FLAGS.TIMES);
    const types = recordTypes(raw);
    assert.deepEqual(types.filter((t) => t === REC.ENTER || t === REC.EXIT || t === REC.CALL), []);
    assert.ok(types.indexOf(REC.COUNTS) === types.length - 2 && types[types.length - 1] === REC.EXITED, 'COUNTS, then EXITED');
    const fmt = new Formatter({ summary: true }, () => {});
    new Parser().feedTo(raw, fmt);
    // sysloop's open mode: path_open + fd_close N times (and a few calls of its own)
    assert.equal(fmt.stats.get('path_open')!.calls >= 300, true);
    assert.equal(fmt.stats.get('fd_close')!.calls >= 300, true);
    assert.ok(fmt.stats.get('path_open')!.ms > 0, 'with TIMES: time in the calls');
    // the same counts as a full trace of the same program
    const full = new Formatter({}, () => {});
    new Parser().feedTo(await rawTrace(k, ['/t/sysloop.wasm', 'open', '300']), full);
    for (const name of ['path_open', 'fd_close', 'fd_write']) {
      assert.equal(fmt.stats.get(name)?.calls, full.stats.get(name)?.calls, name);
      assert.equal(fmt.stats.get(name)?.errors, full.stats.get(name)?.errors, name);
    }
  });
});
