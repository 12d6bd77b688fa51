// A JS process's node:crypto work stays off the host's libuv thread pool (src/jsrt/crypto-pool.ts;
// docs/jsproc.md "Containment"): the callback forms give what Node gives, their work is in
// the process's CPU time, and four long ones, the process killed, do not hold up the
// kernel's own asynchronous work (before: a WASI spawn waited 32 s for the pool).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dropJsSpares } from '../../../src/kernel/jsproc/pool.ts';
import { Kernel, USERLAND_BIN } from '../../../src/kernel/kernel.ts';
import type { Process } from '../../../src/kernel/proc/process.ts';
import { nodeEval, within } from '../../lib/js-kernel.ts';

const DEADLINE_MS = 40_000;
let kernel: Kernel;

function spawnJs(code: string): Process {
  return nodeEval(kernel, code, { env: ['PATH=/bin'] });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

before(async () => {
  kernel = await Kernel.boot({});
});
after(async () => {
  await kernel.shutdown();
  dropJsSpares();
});

describe('node:crypto\'s callback forms in a JS process', () => {
  it('give what Node gives, later, with bad arguments thrown at the call', async () => {
    const p = spawnJs(`const c = require('node:crypto');
      const out = [];
      let sync = true;
      c.pbkdf2('p', 's', 1000, 16, 'sha256', (e, k) => out.push(['pbkdf2', e, k.equals(c.pbkdf2Sync('p', 's', 1000, 16, 'sha256')), sync]));
      c.scrypt('p', 's', 16, (e, k) => out.push(['scrypt', e, k.equals(c.scryptSync('p', 's', 16))]));
      c.hkdf('sha256', 'k', 's', 'i', 16, (e, k) => out.push(['hkdf', e, k instanceof ArrayBuffer, Buffer.from(k).equals(Buffer.from(c.hkdfSync('sha256', 'k', 's', 'i', 16)))]));
      c.generateKeyPair('ec', { namedCurve: 'P-256' }, (e, pub, priv) => out.push(['generateKeyPair', e, pub.type, priv.type]));
      c.generateKey('hmac', { length: 64 }, (e, k) => out.push(['generateKey', e, k.symmetricKeySize]));
      c.generatePrime(32, (e, p) => out.push(['generatePrime', e, c.checkPrimeSync(p)]));
      c.checkPrime(7n, (e, r) => out.push(['checkPrime', e, r]));
      c.randomBytes(8, (e, b) => out.push(['randomBytes', e, b.length]));
      c.randomFill(new Uint8Array(4), (e, b) => out.push(['randomFill', e, b.length]));
      c.randomInt(10, (e, n) => out.push(['randomInt', e, n >= 0 && n < 10]));
      const { privateKey, publicKey } = c.generateKeyPairSync('ed25519');
      c.sign(null, Buffer.from('m'), privateKey, (e, sig) => c.verify(null, Buffer.from('m'), publicKey, sig, (e2, ok) => out.push(['sign+verify', e ?? e2, ok])));
      let thrown = '';
      try { c.pbkdf2('p', 's', -1, 16, 'sha256', () => out.push(['bad', 'called back'])) } catch (e) { thrown = e.code }
      sync = false;
      process.on('exit', () => { for (const o of out) console.log(o.join(' ')); console.log('thrown', thrown) });`);
    const st = await within(p.exited, DEADLINE_MS, 'the process');
    assert.equal(st.status, 0, p.output(2).toString());
    const lines = p.output(1).toString().trim().split('\n').sort();
    assert.deepEqual(lines, [
      'checkPrime  true', 'generateKey  8', 'generateKeyPair  public private', 'generatePrime  true', 'hkdf  true true',
      'pbkdf2  true false', 'randomBytes  8', 'randomFill  4', 'randomInt  true', 'scrypt  true', 'sign+verify  true',
      'thrown ERR_OUT_OF_RANGE',
    ]);
  });

  it('errors as Node gives them: thrown at the call or to the callback (against the host\'s node)', async () => {
    const code = `const c = require('node:crypto');
      const cases = {
        badCurve: (cb) => c.generateKeyPair('ec', { namedCurve: 'nope' }, cb),
        scryptN: (cb) => c.scrypt('p', 's', 16, { N: 3 }, cb),
        hkdfLen: (cb) => c.hkdf('sha256', 'k', 's', 'i', 255 * 32 + 1, cb),
        randomFillOff: (cb) => c.randomFill(new Uint8Array(4), 5, cb),
        badDigest: (cb) => c.pbkdf2('p', 's', 1, 16, 'nope', cb),
        primeBad: (cb) => c.generatePrime(-1, cb),
        rsaSmall: (cb) => c.generateKeyPair('rsa', { modulusLength: 256 }, cb),
        dsaBad: (cb) => c.generateKeyPair('dsa', { modulusLength: 1000, divisorLength: 3 }, cb),
        signBadKey: (cb) => c.sign('sha256', Buffer.from('m'), c.createSecretKey(Buffer.alloc(8)), cb),
        noCallback: () => c.pbkdf2('p', 's', 1, 16, 'sha256'),
      };
      const out = [];
      for (const [n, f] of Object.entries(cases)) {
        try { f((e) => out.push(n + ': callback ' + (e ? e.code ?? e.message : 'ok'))) } catch (e) { out.push(n + ': thrown ' + (e.code ?? e.message)) }
      }
      process.on('exit', () => console.log(out.sort().join('\\n')));`;
    const host = await new Promise<string>((resolve, reject) => execFile(process.execPath, ['-e', code], (e, out) => (e ? reject(e) : resolve(out))));
    const p = spawnJs(code);
    const st = await within(p.exited, DEADLINE_MS, 'the process');
    assert.equal(st.status, 0, p.output(2).toString());
    assert.equal(p.output(1).toString(), host);
    assert.match(host, /rsaSmall: callback ERR_OSSL/); // both kinds are in the comparison
    assert.match(host, /badCurve: thrown ERR_CRYPTO_INVALID_CURVE/);
  });

  it('run on the process\'s own thread: in its CPU time', async () => {
    const p = spawnJs(`require('node:crypto').pbkdf2('p', 's', 2e6, 64, 'sha512', (e) => console.log(e ?? 'derived'))`);
    const st = await within(p.exited, DEADLINE_MS, 'the process');
    assert.equal(st.status, 0, p.output(2).toString());
    assert.equal(p.output(1).toString(), 'derived\n');
    // 2e6 rounds of HMAC-SHA512: ~0.8 s of a core here; on the pool it was not the process's.
    assert.ok(p.acct.cpuNs > 300e6, `CPU ${(p.acct.cpuNs / 1e6).toFixed(0)} ms`);
  });

  it('four long ones, the process killed, do not hold up the kernel (a WASI spawn reads its program on the pool)', async () => {
    const p = spawnJs(`const c = require('node:crypto'); for (let i = 0; i < 4; i++) c.pbkdf2('p', 's', 1.5e7, 64, 'sha512', () => console.log('done', i))`);
    await sleep(800);
    kernel.kill(p.pid, 9);
    await within(p.exited, DEADLINE_MS, 'the killed process');
    const t0 = performance.now();
    const cat = kernel.spawn({ program: path.join(USERLAND_BIN, 'cat'), args: ['cat'], stdio: ['null', 'capture', 'capture'] });
    const st = await within(cat.exited, DEADLINE_MS, 'cat');
    const ms = performance.now() - t0;
    assert.equal(st.status, 0, cat.output(2).toString());
    assert.ok(ms < 3000, `cat took ${ms.toFixed(0)} ms`);
    assert.equal(p.output(1).toString(), '');
  });
});
