// The kernel's read_eof (isokernel.promises.readEof): fd_read that also tells whether the
// descriptor is at its end now — a pipe, empty, with no writer left — so a reader can skip
// the read that would give nothing (httpd's CGI). Data with and without the end, the end
// alone, a wait for data from a child, a descriptor that is not a pipe (never says so), and
// errors as fd_read's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kernel } from '../../src/kernel/kernel.ts';
import { useKernel, runNodeEval } from '../lib/js-kernel.ts';

let kernel: Kernel;
useKernel((k) => (kernel = k));

describe('read_eof', () => {
  it('tells the end of a pipe with the last data, and alone; waits as read does; not a pipe: never', async () => {
    const out = await runNodeEval(kernel, `
      const isk = require('isokernel');
      const show = (r) => JSON.stringify([Buffer.from(r.data).toString(), r.eof]);
      (async () => {
        const out = [];
        let [r, w] = isk.pipe();
        isk.write(w, 'abc');
        out.push(show(await isk.promises.readEof(r, 2)));    // part of it, writer open
        out.push(show(await isk.promises.readEof(r)));       // the rest, writer open
        isk.close(w);
        out.push(show(await isk.promises.readEof(r)));       // the end alone
        isk.close(r);
        [r, w] = isk.pipe();
        isk.write(w, 'xyz');
        isk.close(w);
        out.push(show(await isk.promises.readEof(r)));       // the last data and the end
        isk.close(r);
        // Waits for data from a child, as read does; the end once the child has exited.
        const c = await isk.promises.spawnPiped('/bin/echo', ['echo', 'hi'], { fds: { 1: 'pipe' } });
        await isk.promises.wait(c.pid);
        out.push(show(await isk.promises.readEof(c.pipes[1])));
        isk.close(c.pipes[1]);
        const n = isk.open('/dev/null', 'r');
        out.push(show(await isk.promises.readEof(n)));       // not a pipe: no claim
        isk.close(n);
        try { await isk.promises.readEof(n); } catch (e) { out.push(e.code); }
        console.log(out.join(' '));
      })();`);
    assert.equal(out, '["ab",false] ["c",false] ["",true] ["xyz",true] ["hi\\n",true] ["",false] EBADF\n');
  });
});
