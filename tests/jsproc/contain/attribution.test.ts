// The watchdog's kill of an isolate that does not answer is attributed (src/kernel/jsproc/guard.ts,
// docs/jsproc.md "Containment"): a JS process silent in a long native call survives while
// a WASI neighbour and a JS neighbour legitimately grow the host by far more than its limit.
// (The kill of one that does grow while silent: guard.test.ts, on raw isolates — in a JS
// process the runtime refuses scrypt's and Argon2's tables past the limit first.)
import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { UNRESPONSIVE_MS } from '../../../src/kernel/jsproc/guard.ts';
import { dropJsSpares } from '../../../src/kernel/jsproc/pool.ts';
import { Kernel } from '../../../src/kernel/kernel.ts';
import type { FaultRecord } from '../../../src/kernel/proc/fault.ts';
import type { Limits, Process } from '../../../src/kernel/proc/process.ts';
import { nodeEval, outputHas, within } from '../../lib/js-kernel.ts';

const GROW = path.join(path.dirname(fileURLToPath(import.meta.url)), 'wasi', 'grow.wasm');
const DEADLINE_MS = 40_000;
/** 32 MiB: the silent processes' limit; the neighbours grow by 8 times that. */
const SMALL: Partial<Limits> = { memoryPages: 512 };

let kernel: Kernel;
const faults: FaultRecord[] = [];
const onFault = (r: unknown): void => void faults.push(r as FaultRecord);

function spawnJs(code: string, limits?: Partial<Limits>): Process {
  return nodeEval(kernel, code, { env: ['PATH=/bin'], ...(limits ? { limits } : {}) });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

before(async () => {
  kernel = await Kernel.boot({});
  dc.subscribe('isokernel:proc:fault', onFault);
});
after(async () => {
  dc.unsubscribe('isokernel:proc:fault', onFault);
  await kernel.shutdown();
  dropJsSpares();
});

describe('an isolate silent in a native call', () => {
  it('survives while a WASI and a JS neighbour grow the host by 8 times its limit, and finishes', async () => {
    // pbkdf2Sync for ~8 s of CPU (calibrated by the program): one native call, no interrupt
    // check, no memory. Before the attribution, this process was killed after 2 s.
    const silent = spawnJs(`const c = require('node:crypto');
      let t = performance.now(); c.pbkdf2Sync('p', 's', 1e5, 64, 'sha512'); const per = (performance.now() - t) / 1e5;
      console.log('start'); t = performance.now();
      c.pbkdf2Sync('p', 's', Math.ceil(8000 / per), 64, 'sha512');
      console.log('done', performance.now() - t > ${UNRESPONSIVE_MS} ? 'long' : 'short')`, SMALL);
    await outputHas(silent, 'start', DEADLINE_MS);
    await sleep(1500); // asked (a calm process: within CALM_MS), and the question found slow (SLOW_MS later)
    const wasi = kernel.spawn({ program: GROW, args: ['grow', '256', '8'], stdio: ['null', 'capture', 'capture'] });
    const js = spawnJs('const k = []; for (let i = 0; i < 64; i++) k.push(Buffer.alloc(4 << 20, 1)); console.log("grown"); setTimeout(() => console.log(k.length), 7000)',
      { memoryPages: 512 * 16 });
    await outputHas(wasi, 'grown 256', DEADLINE_MS);
    await outputHas(js, 'grown', DEADLINE_MS);
    const st = await within(silent.exited, DEADLINE_MS, 'the silent process');
    assert.equal(st.status, 0, `signal ${st.signal}: ${silent.fault?.message ?? silent.output(2).toString()}`);
    assert.equal(silent.output(1).toString(), 'start\ndone long\n');
    assert.equal(faults.filter((f) => f.pid === silent.pid).length, 0);
    assert.equal((await within(wasi.exited, DEADLINE_MS, 'grow')).status, 0, wasi.output(2).toString());
    assert.equal((await within(js.exited, DEADLINE_MS, 'the JS neighbour')).status, 0, js.output(2).toString());
    assert.equal(js.output(1).toString(), 'grown\n64\n');
  });

  it('scrypt\'s 512 MiB table under a 32 MiB limit is refused before it is made (memguard.ts); the neighbours live', async () => {
    // The kernel's kill of an isolate that grows while silent is tested on raw isolates
    // (guard.test.ts: a scrypt there has no runtime in the way); in a JS process the
    // runtime refuses the table first, as any allocation past the limit.
    const neighbour = spawnJs('let n = 0; const t = setInterval(() => { if (++n === 20) { clearInterval(t); console.log("neighbour", n); } }, 50)');
    const bad = spawnJs(`console.log('start'); require('node:crypto').scryptSync('p', 's', 16, { N: 2 ** 19, r: 8, p: 2, maxmem: 2 ** 30 }); console.log('survived')`, SMALL);
    const st = await within(bad.exited, DEADLINE_MS, 'the scrypt process');
    assert.equal(st.status, 1, bad.output(2).toString());
    assert.equal(bad.output(1).toString(), 'start\n');
    assert.match(bad.output(2).toString(), /RangeError: crypto\.scryptSync: allocation failed: 512\.0 MiB more would pass this process's memory limit of 32\.0 MiB/);
    assert.equal(faults.filter((f) => f.pid === bad.pid).length, 0);
    const ns = await within(neighbour.exited, DEADLINE_MS, 'neighbour');
    assert.equal(ns.status, 0);
    assert.equal(neighbour.output(1).toString(), 'neighbour 20\n');
  });
});
