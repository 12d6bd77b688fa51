// Calls nobody waits for (jsrt/lanes.ts, callDetached; isokernel.closeLater): the close is
// done by the kernel (the number comes free), is counted like any call, a bad descriptor
// does not throw or stop the process, more than the lanes kept for them at once still all
// get served, the lanes are reused by later promise-form calls, and a process that ends
// right after them (or is killed with them in flight) ends as usual.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kernel } from '../../src/kernel/kernel.ts';
import { callTable } from '../../src/kernel/acct/acct.ts';
import { useKernel, nodeEval } from '../lib/js-kernel.ts';

let kernel: Kernel;
useKernel((k) => (kernel = k));

const start = (prog: string) => nodeEval(kernel, prog);

describe('closeLater (a detached call)', () => {
  it('closes: the number comes free; the closes are counted; a bad fd is not an error', async () => {
    const p = start(`
      const isk = require('isokernel');
      (async () => {
        const fds = [];
        for (let i = 0; i < 200; i++) fds.push(isk.open('/dev/null', 'r'));
        const low = Math.min(...fds);
        for (const fd of fds) isk.closeLater(fd);       // 200: more than the 64 detached lanes
        isk.closeLater(9999);                             // EBADF, dropped
        // Each is served soon: poll until the lowest number is free again.
        const t0 = Date.now();
        let again;
        for (;;) {
          again = isk.open('/dev/null', 'r');
          if (again === low) break;
          isk.close(again);
          if (Date.now() - t0 > 20000) throw new Error('the closes were not served');
          await isk.promises.sleep(1);
        }
        isk.close(again);
        // The lanes are reused by promise-form calls; every number is free once they are served.
        const w = isk.open('/dev/null', 'w');
        for (let r = 0; r < 50; r++) await Promise.all([1, 2, 3, 4].map(() => isk.promises.write(w, 'x')));
        isk.close(w);
        for (;;) {
          const probe = []; for (let i = 0; i < 200; i++) probe.push(isk.open('/dev/null', 'r'));
          const ok = Math.max(...probe) < low + 200;
          for (const fd of probe) isk.close(fd);
          if (ok) break;
          if (Date.now() - t0 > 20000) throw new Error('some closes were lost');
          await isk.promises.sleep(1);
        }
        console.log('ok');
      })();`);
    const st = await p.exited;
    assert.equal(st.status, 0, p.output(2).toString());
    assert.equal(p.output(1).toString(), 'ok\n');
    const closes = callTable(p.acct).find((c) => c.name === 'fd_close')?.calls ?? 0;
    assert.ok(closes >= 201, `fd_close counted ${closes} times`);
  });

  it('rejects a bad argument at once; a process ending or killed with closes in flight ends as usual', async () => {
    const p = start(`
      const isk = require('isokernel');
      try { isk.closeLater(-1); } catch (e) { console.log(e.code); }
      try { isk.closeLater(1.5); } catch (e) { console.log(e.code); }
      for (let i = 0; i < 20; i++) isk.closeLater(isk.open('/dev/null', 'r'));
      process.exitCode = 3;`);
    const st = await p.exited;
    assert.equal(st.status, 3, p.output(2).toString());
    assert.equal(p.output(1).toString(), 'ERR_OUT_OF_RANGE\nERR_OUT_OF_RANGE\n');
    const q = start(`
      const isk = require('isokernel');
      console.log('up');
      for (;;) { const fd = isk.open('/dev/null', 'r'); isk.closeLater(fd); }`);
    const t0 = Date.now();
    while (!q.output(1).toString().includes('up')) {
      assert.ok(Date.now() - t0 < 20000, 'started');
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 100));
    kernel.kill(q.pid, 9);
    assert.equal((await q.exited).signal, 9);
  });
});
