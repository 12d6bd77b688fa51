// isokernel.promises.readInto (src/jsrt/isokernel.ts): reads into the caller's buffer — how
// strace reads its trace descriptor without a new array per read.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NODE_PROGRAM } from '../../src/kernel/jsproc/program.ts';
import type { Kernel } from '../../src/kernel/kernel.ts';
import { traceKernel } from './harness.ts';

describe('readInto', () => {
  let k: Kernel;
  before(async () => {
    k = await traceKernel();
  });
  after(async () => {
    await k.shutdown();
  });

  it('fills the buffer it is given, read after read; 0 at the end; a bad buffer is a TypeError', async () => {
    const p = k.spawn({ program: NODE_PROGRAM, args: ['node', '/js/readinto.mjs'], stdio: ['null', 'capture', 'capture'] });
    const st = await p.exited;
    assert.equal(st.status, 0, p.output(2).toString());
    assert.equal(p.output(1).toString(), '"abcdefghijklmnopqrstuvwxyz\\n" 7,7,7,6,0 ERR_INVALID_ARG_TYPE\n');
  });
});
