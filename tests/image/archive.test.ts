// The image file (src/image/archive.ts, `isokernel build`): round trip, checksums, corrupt
// and truncated files refused, bundling of JS services with npm dependencies.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import { readImage } from '../../src/image/archive.ts';
import { bootImage } from '../../src/image/boot.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const NODE = process.execPath;
const CLI = join(ROOT, 'src', 'cli', 'entry.ts');
const tmp = mkdtempSync(join(tmpdir(), 'isk-archive-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(NODE, [CLI, ...args], { encoding: 'utf8', cwd: tmp, timeout: 60_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A small image directory. */
function makeImage(dir: string): void {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, 'www', 'empty'), { recursive: true });
  writeFileSync(join(dir, 'isokernel.toml'), 'name = "t"\nversion = "1.2.3"\n[image]\nexclude = ["src/**"]\n[services.hb]\nprogram = "bin/hb.wasm"\n');
  writeFileSync(join(dir, 'bin', 'hb.wasm'), readFileSync(join(ROOT, 'examples', 'demo-image', 'bin', 'heartbeat.wasm')), { mode: 0o755 });
  writeFileSync(join(dir, 'bin', 'run.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(dir, 'bin', 'run.sh'), 0o755);
  writeFileSync(join(dir, 'www', 'index.html'), '<p>hello</p>\n');
  symlinkSync('index.html', join(dir, 'www', 'home.html'));
  writeFileSync(join(dir, 'src', 'hb.c'), 'int main(){}\n');
  writeFileSync(join(dir, '.hidden'), 'x');
}

test('archive-roundtrip: build then read gives the files, modes, links and manifest back', async () => {
  const dir = join(tmp, 'img');
  makeImage(dir);
  const out = join(tmp, 'img.isk');
  const r = cli('build', dir, '-o', out);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /img\.isk: t 1\.2\.3, 3 files, \d+ bytes, sha256:[0-9a-f]{64}/);
  const img = await readImage(out);
  assert.equal(img.manifest.name, 't');
  assert.equal(img.manifest.services[0]!.program, '/app/bin/hb.wasm');
  assert.match(img.manifestSource, /version = "1\.2\.3"/);
  const byPath = new Map(img.entries.map((e) => [e.path, e]));
  assert.deepEqual([...byPath.keys()].sort(), ['bin', 'bin/hb.wasm', 'bin/run.sh', 'www', 'www/empty', 'www/home.html', 'www/index.html']);
  const run = byPath.get('bin/run.sh')!;
  assert.ok(run.type === 'file' && run.mode === 0o755);
  const link = byPath.get('www/home.html')!;
  assert.ok(link.type === 'symlink' && link.target === 'index.html');
  const idx = byPath.get('www/index.html')!;
  assert.ok(idx.type === 'file' && new TextDecoder().decode(idx.data) === '<p>hello</p>\n');
  assert.match(r.stdout, new RegExp(img.digest));
  // A standard archive: tar lists it.
  const listing = execFileSync('tar', ['-tzf', out], { encoding: 'utf8' }).split('\n');
  assert.ok(listing.includes('SHA256SUMS') && listing.includes('rootfs/bin/hb.wasm') && listing.includes('manifest.json'));
  // Reproducible: the same tree gives the same bytes.
  const out2 = join(tmp, 'img2.isk');
  assert.equal(cli('build', dir, '-o', out2).status, 0);
  assert.deepEqual(readFileSync(out2), readFileSync(out));
  // Uncompressed too.
  const plain = join(tmp, 'img.tar');
  assert.equal(cli('build', dir, '-o', plain, '--no-gzip').status, 0);
  assert.equal((await readImage(plain)).digest, img.digest);
});

test('archive-corrupt: a changed byte, a truncated file, a changed listing are refused', async () => {
  const dir = join(tmp, 'img-c');
  makeImage(dir);
  const plain = join(tmp, 'c.tar');
  assert.equal(cli('build', dir, '-o', plain, '--no-gzip').status, 0);
  const good = readFileSync(plain);
  // A byte inside hb.wasm's contents.
  const at = good.indexOf(Buffer.from('\0asm')) + 40;
  const flipped = Buffer.from(good);
  flipped[at] ^= 0x55;
  writeFileSync(join(tmp, 'flip.tar'), flipped);
  await assert.rejects(readImage(join(tmp, 'flip.tar')), /corrupt image: member \d+ \(rootfs\/bin\/hb\.wasm\) does not match its checksum/);
  // Truncated: plain and gzip'd.
  writeFileSync(join(tmp, 'trunc.tar'), good.subarray(0, Math.floor(good.length / 2)));
  await assert.rejects(readImage(join(tmp, 'trunc.tar')), /truncated/);
  const gz = gzipSync(good);
  writeFileSync(join(tmp, 'trunc.isk'), gz.subarray(0, gz.length - 20));
  await assert.rejects(readImage(join(tmp, 'trunc.isk')), /corrupt or truncated image \(gzip/);
  // A gzip'd image with a flipped byte: gzip's CRC, or our checksums.
  const gzFlip = Buffer.from(gz);
  gzFlip[Math.floor(gz.length / 2)] ^= 0xff;
  writeFileSync(join(tmp, 'flip.isk'), gzFlip);
  await assert.rejects(readImage(join(tmp, 'flip.isk')), /corrupt/);
  // The listing changed to match a changed file: SHA256 no longer matches.
  const text = gunzipSync(gz).toString('latin1');
  const changed = text.replace('<p>hello</p>', '<p>HELLO</p>');
  writeFileSync(join(tmp, 'changed.tar'), Buffer.from(changed, 'latin1'));
  await assert.rejects(readImage(join(tmp, 'changed.tar')), /does not match its checksum/);
  // Not an image at all.
  writeFileSync(join(tmp, 'junk.isk'), Buffer.alloc(4096, 7));
  await assert.rejects(readImage(join(tmp, 'junk.isk')), /not an isokernel image|corrupt/);
  // And the CLI says so, with a non-zero status.
  const r = cli('boot', join(tmp, 'flip.tar'), '--state', join(tmp, 'st'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /isokernel boot: .*flip\.tar: corrupt image/);
});

test('archive-build-errors: a bad manifest stops the build with file:line:col', () => {
  const dir = join(tmp, 'bad');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'isokernel.toml'), 'name = "b"\n[services.x]\nprogram = "nope.wasm"\nrestart = "never"\n');
  const r = cli('build', dir, '-o', join(tmp, 'bad.isk'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /isokernel\.toml:3:11: services\.x\.program: "\/app\/nope\.wasm" is not in the image/);
  assert.match(r.stderr, /isokernel\.toml:4:11: services\.x\.restart: expected one of "no", "on-failure", "always", got "never"/);
  assert.equal(cli('build', dir).status, 2); // no -o
});

test('archive-bundle: a TS service using an npm package is bundled, no node_modules in the image, and it runs', async () => {
  const dir = join(tmp, 'js');
  mkdirSync(join(dir, 'app'), { recursive: true });
  mkdirSync(join(dir, 'node_modules', 'pad-left-cjs'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'pad-left-cjs', 'package.json'), '{"name":"pad-left-cjs","main":"index.js"}');
  writeFileSync(join(dir, 'node_modules', 'pad-left-cjs', 'index.js'), "const path = require('node:path');\nmodule.exports = (s, n) => String(s).padStart(n, '0') + path.sep;\n");
  writeFileSync(join(dir, 'app', 'main.ts'), "import pad from 'pad-left-cjs';\nimport isk from 'isokernel';\nconst n: number = 7;\nconsole.log('padded', pad(n, 3), typeof isk.spawn);\nsetInterval(() => {}, 1000);\n", { mode: 0o755 });
  writeFileSync(join(dir, 'isokernel.toml'), 'name = "js"\n[services.main]\nprogram = "app/main.ts"\nrestart = "no"\n');
  const out = join(tmp, 'js.isk');
  const r = cli('build', dir, '-o', out);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /1 bundled/);
  const img = await readImage(out);
  assert.equal(img.manifest.services[0]!.program, '/app/app/main.bundle.mjs');
  assert.ok(!img.entries.some((e) => e.path.includes('node_modules')));
  const b = img.entries.find((e) => e.path === 'app/main.bundle.mjs');
  assert.ok(b && b.type === 'file');
  const code = new TextDecoder().decode(b.data);
  assert.match(code, /padStart/);
  assert.match(code, /from "isokernel"|from 'isokernel'/);
  // It runs in the kernel: the CommonJS dependency's require('node:path') included.
  const booted = await bootImage({ image: out, stateDir: join(tmp, 'js-state'), sbin: join(import.meta.dirname, 'fixtures', 'sbin'), stdio: ['capture', 'capture'] });
  try {
    await booted.ready;
    for (let i = 0; i < 400 && !booted.init.output(1).toString().includes('padded'); i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(booted.init.output(1).toString(), 'padded 007/ function\n');
  } finally {
    await booted.shutdown();
  }
  // A bundling failure names the service and the file.
  writeFileSync(join(dir, 'app', 'main.ts'), "import x from 'no-such-package';\nconsole.log(x);\n");
  const bad = cli('build', dir, '-o', join(tmp, 'js2.isk'));
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /bundling service main \(app\/main\.ts\) failed:\n.*main\.ts:1:\d+: Could not resolve "no-such-package"/);
});
