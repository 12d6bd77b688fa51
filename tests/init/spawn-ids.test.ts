// The spawn attributes init uses to start a service as its user with its limits: the file
// actions SETIDS (kind 7) and SETRLIMIT through the JS isokernel.spawn options uid, gid and
// limits (docs/abi.md "spawn", docs/jsproc.md). Only uid 0 may give other ids.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { NODE_PROGRAM } from '../../src/kernel/jsproc/program.ts';
import { Kernel } from '../../src/kernel/kernel.ts';

let k: Kernel;
before(async () => {
  k = await Kernel.boot({});
});
after(() => k.shutdown());

async function js(code: string, uid = 0, gid = 0): Promise<{ out: string; err: string; code: number | null }> {
  const p = k.spawn({ program: NODE_PROGRAM, args: ['node', '-e', code], uid, gid, stdio: ['null', 'capture', 'capture'] });
  const st = await p.exited;
  return { out: p.output(1).toString(), err: p.output(2).toString(), code: st.code };
}

it('uid 0 starts a child as another user and group, with limits', async () => {
  const r = await js(`
    const isk = require('isokernel');
    const pid = isk.spawn('/bin/sh', ['sh', '-c', 'id; ulimit -n; ulimit -t; ulimit -f'], { uid: 7, gid: 8, limits: { openFiles: 50, cpuMs: 2500, fileBytes: Infinity } });
    console.log('status', isk.wait(pid).code);
  `);
  assert.equal(r.err, '');
  assert.equal(r.out, 'uid=7(7) gid=8(8) groups=8(8)\n50\n3\nunlimited\nstatus 0\n');
});

it('another user may keep its own ids but not take others (EPERM); bad limits are refused', async () => {
  const r = await js(`
    const isk = require('isokernel');
    for (const o of [{ uid: 0 }, { gid: 0 }, { uid: 1000, gid: 1000 }, { uid: 1000, gid: 1000, limits: { openFiles: 10 } }]) {
      try {
        const pid = isk.spawn('/bin/true', ['true'], o);
        console.log(JSON.stringify(o), 'ok', isk.wait(pid).code);
      } catch (e) { console.log(JSON.stringify(o), e.code); }
    }
    try { isk.spawn('/bin/true', ['true'], { limits: { stack: 1 } }); } catch (e) { console.log('stack', e.code); }
    try { isk.spawn('/bin/true', ['true'], { limits: { openFiles: -1 } }); } catch (e) { console.log('negative', e.code); }
    try { isk.spawn('/bin/true', ['true'], { limits: { openFiles: 1 << 30 } }); } catch (e) { console.log('above the hard limit', e.code); }
  `, 1000, 1000);
  assert.equal(r.err, '');
  assert.equal(r.out, [
    '{"uid":0} EPERM', '{"gid":0} EPERM', '{"uid":1000,"gid":1000} ok 0', '{"uid":1000,"gid":1000,"limits":{"openFiles":10}} ok 0',
    'stack ERR_INVALID_ARG_VALUE', 'negative ERR_INVALID_ARG_VALUE', 'above the hard limit EPERM', '',
  ].join('\n'));
});
