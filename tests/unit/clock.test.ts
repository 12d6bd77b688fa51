// The kernel's clocks (src/kernel/clock.ts): realtime follows the host's wall clock, steps
// with it, and is not moved by a preemption between two clock reads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Clock } from '../../src/kernel/clock.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const msOf = (ns: bigint) => Number(ns / 1_000_000n);

test('realtime is the host wall clock to within a few ms; monotonic never goes back', () => {
  const c = new Clock();
  assert.ok(Math.abs(msOf(c.realtime()) - Date.now()) < 50);
  let last = c.monotonic();
  for (let i = 0; i < 10_000; i++) {
    const m = c.monotonic();
    assert.ok(m >= last);
    last = m;
  }
});

test('a host clock step shows in realtime within about a second; a small difference does not move it', async (t) => {
  const c = new Clock();
  const real = Date.now;
  t.after(() => { Date.now = real; });
  // A wall clock 20 ms off (below a step, as a preempted read would seem): realtime stays.
  Date.now = () => real() + 20;
  await sleep(1100);
  let r = c.realtime();
  r = c.realtime();
  assert.ok(Math.abs(msOf(r) - real()) < 15, `realtime moved for a 20 ms difference: ${msOf(r) - real()} ms`);
  // An hour's step: followed at the next check.
  Date.now = () => real() + 3_600_000;
  await sleep(1100);
  c.realtime();
  r = c.realtime();
  assert.ok(Math.abs(msOf(r) - (real() + 3_600_000)) < 50, `realtime after a step is ${msOf(r) - real()} ms ahead`);
  // And back.
  Date.now = real;
  await sleep(1100);
  c.realtime();
  assert.ok(Math.abs(msOf(c.realtime()) - real()) < 50);
});
