// The on-disk cache of instrumented modules (src/kernel/proc/module-cache.ts): an entry gives
// back the same bytes and a ProtectionInfo that answers as the original; damaged or missing
// entries are misses; keys differ by module and variant; an unwritable directory is survived.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_INSTRUMENT, instrumentModule, protectionInfo, variantKey } from '../../src/kernel/proc/instrument.ts';
import { ModuleCache } from '../../src/kernel/proc/module-cache.ts';
import { splitCustomSections } from '../../src/kernel/proc/wasm-sections.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SH = path.join(root, 'userland/bin/sh');

test('an entry round-trips: bytes, and a ProtectionInfo that answers as the original', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'isk-modcache-'));
  try {
    const cache = new ModuleCache(dir);
    const bytes = readFileSync(SH);
    const { code, custom } = splitCustomSections(bytes);
    const r = instrumentModule(code, DEFAULT_INSTRUMENT, custom.get('name'));
    assert.ok(r.info);
    const hash = createHash('sha256').update(bytes).digest('hex');
    const key = cache.key(hash, variantKey(DEFAULT_INSTRUMENT));
    assert.equal(await cache.get(key), null, 'a miss before the put');
    cache.put(key, r.bytes, r.info.record);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const hit = await cache.get(key);
    assert.ok(hit);
    assert.ok(Buffer.from(hit.bytes).equals(Buffer.from(r.bytes)));
    const info = protectionInfo(hit.record);
    for (const k of ['guard', 'stackPointer', 'stackFirst', 'stackTop', 'stackLow', 'memoryExport'] as const) {
      assert.equal(info[k], r.info[k], k);
    }
    assert.deepEqual(info.sites, r.info.sites);
    for (let i = 0; i < 200; i++) assert.equal(info.originalFunction(i), r.info.originalFunction(i));
    for (let off = 0; off < r.bytes.length; off += 97) assert.equal(info.originalOffset(off), r.info.originalOffset(off), `offset ${off}`);
    assert.ok(WebAssembly.validate(hit.bytes));
    // no temporary files left behind
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('.')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('keys differ by module and by variant', () => {
  const cache = new ModuleCache(null);
  const a = cache.key('a'.repeat(64), 'g4096sp');
  assert.notEqual(a, cache.key('b'.repeat(64), 'g4096sp'));
  assert.notEqual(a, cache.key('a'.repeat(64), 'g0p'));
  assert.equal(a, cache.key('a'.repeat(64), 'g4096sp'));
});

test('damaged entries are misses; a disabled or unwritable cache is survived', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'isk-modcache-'));
  try {
    const cache = new ModuleCache(dir);
    writeFileSync(path.join(dir, 'k1.wasm'), 'x');
    writeFileSync(path.join(dir, 'k1.json'), '{not json');
    assert.equal(await cache.get('k1'), null);
    writeFileSync(path.join(dir, 'k2.json'), '{"guard":"no"}');
    writeFileSync(path.join(dir, 'k2.wasm'), 'x');
    assert.equal(await cache.get('k2'), null);
    writeFileSync(path.join(dir, 'k3.json'), '{"guard":4096,"funcImports":1}'); // .wasm missing
    assert.equal(await cache.get('k3'), null);
    const off = new ModuleCache(null);
    off.put('k', new Uint8Array(8), {} as never);
    assert.equal(await off.get('k'), null);
    // a file where the directory should be: put fails quietly, get misses
    const blocked = new ModuleCache(path.join(dir, 'k1.wasm', 'sub'));
    blocked.put('k', new Uint8Array(8), {} as never);
    assert.equal(await blocked.get('k'), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
