// The runtime pack and its V8 code cache (src/kernel/jsproc/runtime-pack.ts): a pack is
// current only while every source file is as it was when packed; a code cache belongs to
// one pack; what an isolate sends is checked before it is kept.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  buildPack, encodeCodeCache, loadCodeCache, loadPack, packModules, type PackedFile, saveCodeCache, savePack, statSource,
} from '../../src/kernel/jsproc/runtime-pack.ts';

const tmp = mkdtempSync(join(tmpdir(), 'isk-pack-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A source tree (src/ with two modules) and a cache directory. */
function tree(name: string): { src: string; dir: string; sources: Record<string, string> } {
  const src = join(tmp, name, 'src') + '/';
  const dir = join(tmp, name, 'cache');
  mkdirSync(join(src, 'jsrt'), { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const sources = { 'jsrt/main.ts': "import './b.ts';\nexport const a = 'é';\n", 'jsrt/b.ts': 'export const b = 2;\n' };
  for (const [rel, code] of Object.entries(sources)) writeFileSync(src + rel, code);
  return { src, dir, sources };
}

function pack(t: ReturnType<typeof tree>): { pack: Uint8Array; stamp: string | null } {
  const files = Object.keys(t.sources).map((rel) => statSource(t.src, rel)!) as PackedFile[];
  return buildPack(t.src, files, 'jsrt/main.ts', t.sources);
}

/** The sources of a pack, decoded as bootstrap.mjs does. */
function unpack(bytes: Uint8Array): { entry: string; sources: Record<string, string> } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = b.readUInt32LE(0);
  const h = JSON.parse(b.toString('utf8', 4, 4 + n)) as { entry: string; parts: [string, number][] };
  const sources: Record<string, string> = {};
  let at = 4 + n;
  for (const [rel, len] of h.parts) {
    sources[rel] = b.toString('utf8', at, at + len);
    at += len;
  }
  return { entry: h.entry, sources };
}

test('pack: saved, found again while the sources are unchanged, decoded to the same sources', () => {
  const t = tree('same');
  const p = pack(t);
  assert.ok(p.stamp);
  savePack(t.dir, t.src, p.pack);
  const found = loadPack(t.dir, t.src);
  assert.ok(found);
  assert.equal(found.stamp, p.stamp);
  assert.deepEqual(unpack(found.pack), { entry: 'jsrt/main.ts', sources: t.sources });
  assert.deepEqual([...packModules(found.pack)].sort(), ['jsrt/b.ts', 'jsrt/main.ts']);
  // Only the pack is in the directory (no temporary file left).
  assert.deepEqual(readdirSync(t.dir).length, 1);
});

test('pack: stale when a source changes (content, or only its mtime), goes, or the source tree is another', () => {
  const t = tree('stale');
  savePack(t.dir, t.src, pack(t).pack);
  assert.ok(loadPack(t.dir, t.src));
  writeFileSync(t.src + 'jsrt/b.ts', 'export const b = 3;\n'); // same size, new mtime
  assert.equal(loadPack(t.dir, t.src), null);
  savePack(t.dir, t.src, pack(t).pack);
  assert.ok(loadPack(t.dir, t.src));
  const later = new Date(Date.now() + 5000);
  utimesSync(t.src + 'jsrt/main.ts', later, later);
  assert.equal(loadPack(t.dir, t.src), null);
  savePack(t.dir, t.src, pack(t).pack);
  rmSync(t.src + 'jsrt/b.ts');
  assert.equal(loadPack(t.dir, t.src), null);
  // Another source directory has its own pack (none here).
  assert.equal(loadPack(t.dir, t.src.replace('/src/', '/other/')), null);
});

test('pack: a damaged or foreign file is not used', () => {
  const t = tree('bad');
  const p = pack(t);
  savePack(t.dir, t.src, p.pack);
  const file = join(t.dir, readdirSync(t.dir)[0]!);
  for (const bad of [Buffer.alloc(0), Buffer.from('garbage'), Buffer.from([255, 255, 255, 255, 1, 2]), Buffer.from(p.pack).subarray(0, 20)]) {
    writeFileSync(file, bad);
    assert.equal(loadPack(t.dir, t.src), null);
  }
  // A header whose stamp does not match its files (edited by hand).
  const b = Buffer.from(p.pack);
  const n = b.readUInt32LE(0);
  const h = JSON.parse(b.toString('utf8', 4, 4 + n)) as { stamp: string };
  const forged = Buffer.from(b.toString('utf8', 4, 4 + n).replace(h.stamp, '0'.repeat(h.stamp.length)));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(forged.length);
  writeFileSync(file, Buffer.concat([len, forged, b.subarray(4 + n)]));
  assert.equal(loadPack(t.dir, t.src), null);
});

test('code cache: kept for its pack only; what an isolate sends is checked', () => {
  const t = tree('cache');
  const p = pack(t);
  savePack(t.dir, t.src, p.pack);
  const mods = packModules(p.pack);
  const data = { 'jsrt/main.ts': new Uint8Array([1, 2, 3]), 'jsrt/b.ts': new Uint8Array([4]) };
  const c = encodeCodeCache(data, mods, p.stamp);
  assert.ok(c);
  saveCodeCache(t.dir, t.src, c);
  assert.deepEqual(loadCodeCache(t.dir, t.src, p.stamp!), Buffer.from(c));
  assert.equal(loadCodeCache(t.dir, t.src, 'another-stamp'), null);
  // Checked: an object of byte arrays for the pack's modules, 16 MiB at most.
  assert.equal(encodeCodeCache(null, mods, p.stamp), null);
  assert.equal(encodeCodeCache([new Uint8Array(1)], mods, p.stamp), null);
  assert.equal(encodeCodeCache({ 'jsrt/other.ts': new Uint8Array(1) }, mods, p.stamp), null);
  assert.equal(encodeCodeCache({ 'jsrt/b.ts': 'not bytes' }, mods, p.stamp), null);
  assert.equal(encodeCodeCache({ 'jsrt/b.ts': new Uint8Array(17 << 20) }, mods, p.stamp), null);
  // A truncated file is not used.
  const file = join(t.dir, readdirSync(t.dir).find((f) => f.endsWith('.v8'))!);
  writeFileSync(file, readFileSync(file).subarray(0, -1));
  assert.equal(loadCodeCache(t.dir, t.src, p.stamp!), null);
});
