// spawn's PIPE file action (docs/abi.md, "spawn"; isokernel.spawnPiped): the kernel makes
// the child's pipes and gives the caller its ends, close-on-exec — what httpd's CGI uses to
// save a pipe() and a close() per request. Through JS processes: data both ways, the ends
// not inherited by a later child, errors (a bad descriptor, a missing program) leaving no
// descriptor behind, and 'pipe' refused by plain spawn; and from a WASI caller (a handmade
// module): the end written at offset 24 of the action, EINVAL for a bad direction.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kernel } from '../../src/kernel/kernel.ts';
import { useKernel, runNodeEval } from '../lib/js-kernel.ts';
import { HEADER, i32, sec, sleb, str, uleb } from '../lib/wasm.ts';

let kernel: Kernel;
useKernel((k) => (kernel = k));

const run = (prog: string): Promise<string> => runNodeEval(kernel, prog);

const HELPERS = `
  const isk = require('isokernel');
  async function readAll(fd) {
    const out = [];
    for (;;) { const b = await isk.promises.read(fd, 65536); if (!b.length) break; out.push(Buffer.from(b)); }
    return Buffer.concat(out).toString();
  }
  // The two lowest free descriptors: a leak shows as higher numbers.
  function lowest() { const [r, w] = isk.pipe(); isk.close(r); isk.close(w); return [r, w].join(','); }
`;

describe('spawn with PIPE actions (spawnPiped)', () => {
  it("gives the caller its ends: a body in on stdin, the output back from stdout, status by wait", async () => {
    const out = await run(`${HELPERS}
      (async () => {
        const free = lowest();
        const { pid, pipes } = await isk.promises.spawnPiped('/bin/cat', ['cat'], { fds: { 0: 'pipe', 1: 'pipe' } });
        if (!(pipes[0] >= 0 && pipes[1] >= 0 && pipes[0] !== pipes[1])) throw new Error('ends ' + JSON.stringify(pipes));
        await isk.promises.write(pipes[0], 'hello through cat\\n');
        isk.close(pipes[0]);
        const text = await readAll(pipes[1]);
        isk.close(pipes[1]);
        const st = await isk.promises.wait(pid);
        console.log(JSON.stringify(text), st.code, lowest() === free);
        // The sync form, stdout only.
        const s = isk.spawnPiped('/bin/echo', ['echo', 'sync', 'form'], { fds: { 1: 'pipe' } });
        console.log(Object.keys(s.pipes).join(','), JSON.stringify(await readAll(s.pipes[1])));
        isk.close(s.pipes[1]);
        isk.wait(s.pid);
      })();`);
    assert.equal(out, '"hello through cat\\n" 0 true\n1 "sync form\\n"\n');
  });

  it('the caller\'s ends are close-on-exec: a later child does not hold a pipe open', async () => {
    // If the second cat inherited the first one's stdin write end, the first would never see
    // its end of file and this would hang (the test's timeout).
    const out = await run(`${HELPERS}
      (async () => {
        const a = await isk.promises.spawnPiped('/bin/cat', ['cat'], { fds: { 0: 'pipe', 1: 'pipe' } });
        const b = await isk.promises.spawnPiped('/bin/cat', ['cat'], { fds: { 0: 'pipe', 1: 'pipe' } });
        await isk.promises.write(a.pipes[0], 'first\\n');
        isk.close(a.pipes[0]);
        const ta = await readAll(a.pipes[1]);
        await isk.promises.wait(a.pid);
        isk.close(b.pipes[0]);
        const tb = await readAll(b.pipes[1]);
        await isk.promises.wait(b.pid);
        for (const fd of [a.pipes[1], b.pipes[1]]) isk.close(fd);
        console.log(JSON.stringify([ta, tb]));
      })();`);
    assert.equal(out, '["first\\n",""]\n');
  });

  it('a failing spawn leaves no descriptor behind (a bad fd: EBADF; no program: ENOENT)', async () => {
    const out = await run(`${HELPERS}
      (async () => {
        const free = lowest();
        const codes = [];
        for (const [path, fds] of [['/bin/cat', { 1: 'pipe', 99999: 'pipe' }], ['/no/such/program', { 0: 'pipe', 1: 'pipe' }], ['/bin/cat', { 1: 'pipe', 0: 12345 }]]) {
          try {
            await isk.promises.spawnPiped(path, ['x'], { fds });
            codes.push('ok');
          } catch (e) { codes.push(e.code); }
          try { isk.spawnPiped(path, ['x'], { fds }); codes.push('ok'); } catch (e) { codes.push(e.code); }
        }
        console.log(codes.join(' '), lowest() === free);
        try { isk.spawn('/bin/cat', ['cat'], { fds: { 1: 'pipe' } }); } catch (e) { console.log(e.code); }
      })();`);
    assert.equal(out, 'EBADF EBADF ENOENT ENOENT EBADF EBADF true\nERR_INVALID_ARG_VALUE\n');
  });

  it('EMFILE when the caller has no room for its ends; nothing is left open', async () => {
    const out = await run(`${HELPERS}
      (async () => {
        const held = [];
        try { for (;;) held.push(isk.open('/dev/null', 'r')); } catch (e) { if (e.code !== 'EMFILE') throw e; }
        isk.close(held.pop()); // one free number: two ends do not fit
        let code = 'ok';
        try { await isk.promises.spawnPiped('/bin/cat', ['cat'], { fds: { 0: 'pipe', 1: 'pipe' } }); } catch (e) { code = e.code; }
        const again = isk.open('/dev/null', 'r'); // the one free number is still free
        held.push(again);
        let more = 'none';
        try { held.push(isk.open('/dev/null', 'r')); more = 'leak'; } catch (e) { more = e.code; }
        for (const fd of held) isk.close(fd);
        console.log(code, more);
      })();`);
    assert.equal(out, 'EMFILE EMFILE\n');
  });
});

/**
 * A WASI command that makes one spawn of /bin/true with a PIPE action (`fd`, `arg`) and exits
 * with the errno, or with 100 + the descriptor the kernel wrote at offset 24 of the action.
 */
function pipeSpawner(fd: number, arg: number): Uint8Array {
  const bytes = (t: string): number[] => [...new TextEncoder().encode(t)];
  const seg = (at: number, b: number[]): number[] => [0, 0x41, ...sleb(at), 0x0b, ...uleb(b.length), ...b];
  const action = [...i32(8), ...i32(fd), ...i32(arg), ...new Array(20).fill(0)];
  const req = [...i32(0x100), ...i32(9), ...i32(0x200), ...i32(5), ...i32(0), ...i32(0), ...i32(0x300), ...i32(1), ...new Array(32).fill(0)];
  // types: 0 (i32, i32) -> i32 (spawn), 1 (i32) -> () (proc_exit), 2 () -> () (_start)
  const type = sec(1, [3, 0x60, 2, 0x7f, 0x7f, 1, 0x7f, 0x60, 1, 0x7f, 0, 0x60, 0, 0]);
  const imp = sec(2, [2, ...str('isokernel'), ...str('spawn'), 0, 0, ...str('wasi_snapshot_preview1'), ...str('proc_exit'), 0, 1]);
  const func = sec(3, [1, 2]);
  const mem = sec(5, [1, 0, 1]);
  const exp = sec(7, [2, ...str('memory'), 2, 0, ...str('_start'), 0, 2]);
  const body = [1, 1, 0x7f, // one i32 local
    0x41, ...sleb(0x400), 0x41, ...sleb(0x500), 0x10, 0, 0x21, 0, // local 0 = spawn(req, pid_out)
    0x20, 0, 0x04, 0x40, 0x20, 0, 0x10, 1, 0x0b, // if (local 0) proc_exit(local 0)
    0x41, ...sleb(0x300 + 24), 0x28, 2, 0, 0x41, ...sleb(100), 0x6a, 0x10, 1, // proc_exit(100 + end)
    0x0b];
  const code = sec(10, [1, ...uleb(body.length), ...body]);
  const data = sec(11, [4, ...seg(0x100, bytes('/bin/true')), ...seg(0x200, [...bytes('true'), 0]), ...seg(0x300, action), ...seg(0x400, req)]);
  return new Uint8Array([...HEADER, ...type, ...imp, ...func, ...mem, ...exp, ...code, ...data]);
}

describe('the PIPE action from a WASI caller', () => {
  it('writes the caller\'s end at offset 24; a bad direction is EINVAL, a bad fd EBADF', async () => {
    const status = async (fd: number, arg: number): Promise<number | null> => {
      const p = kernel.spawn({ program: pipeSpawner(fd, arg), args: ['spawner'], stdio: ['null', 'capture', 'capture'] });
      const st = await p.exited;
      assert.notEqual(st.code, 126, String((p as { error?: Error }).error?.message));
      return st.signal !== null ? -st.signal : st.code;
    };
    // fds 0-2 are the caller's stdio and 3 its preopened root: its end is the lowest free, 4.
    assert.equal(await status(1, 0), 104);
    assert.equal(await status(0, 1), 104);
    assert.equal(await status(1, 2), 28); // EINVAL
    assert.equal(await status(-1, 0), 8); // EBADF
  });
});
