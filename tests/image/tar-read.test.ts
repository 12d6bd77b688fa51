// The boot path's tar reader (src/image/tar-read.ts) against archives GNU tar writes (ustar
// prefix, GNU long names, pax), and its refusals.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readTar } from '../../src/image/tar-read.ts';

const tmp = mkdtempSync(join(tmpdir(), 'isk-tar-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const long = 'd'.repeat(90) + '/' + 'e'.repeat(90) + '/' + 'f'.repeat(120) + '.txt';

let n = 0;
function tree(): string {
  const root = join(tmp, `tree${n++}`);
  mkdirSync(join(root, 'd'.repeat(90), 'e'.repeat(90)), { recursive: true });
  writeFileSync(join(root, long), 'long one\n');
  writeFileSync(join(root, 'x.sh'), '#!/bin/sh\n', { mode: 0o755 });
  symlinkSync('x.sh', join(root, 'link'));
  return root;
}

test('tar-read: GNU tar archives (gnu and pax formats) read back whole', () => {
  const root = tree();
  for (const format of ['gnu', 'posix', 'ustar']) {
    const out = join(tmp, `${format}.tar`);
    try {
      execFileSync('tar', ['--format', format, '-cf', out, '-C', root, 'x.sh', 'link', 'd'.repeat(90)], { stdio: 'pipe' });
    } catch (e) {
      // ustar cannot hold the 302-byte name: GNU tar says so, which is right.
      assert.equal(format, 'ustar', String(e));
      continue;
    }
    const m = readTar(readFileSync(out));
    const by = new Map(m.map((x) => [x.name.replace(/\/$/, ''), x]));
    assert.equal(new TextDecoder().decode(by.get(long)!.data), 'long one\n', format);
    assert.equal(by.get('x.sh')!.mode, 0o755);
    assert.equal(by.get('link')!.type, 'symlink');
    assert.equal(by.get('link')!.linkname, 'x.sh');
    assert.equal(by.get('d'.repeat(90))!.type, 'directory');
  }
});

test('tar-read: refusals (checksum, truncation, hard links)', () => {
  const root = tree();
  const out = join(tmp, 'r.tar');
  execFileSync('tar', ['-cf', out, '-C', root, 'x.sh']);
  const good = readFileSync(out);
  const bad = Buffer.from(good);
  bad[10] ^= 1; // in the name: the header checksum no longer matches
  assert.throws(() => readTar(bad), /header checksum mismatch at byte 0/);
  assert.throws(() => readTar(good.subarray(0, 515)), /truncated: member at byte 0 needs 10 bytes, 3 are left/);
  assert.throws(() => readTar(good.subarray(0, 300)), /partial header/);
  linkSync(join(root, 'x.sh'), join(root, 'hard'));
  const h = join(tmp, 'h.tar');
  execFileSync('tar', ['-cf', h, '-C', root, 'x.sh', 'hard']);
  assert.throws(() => readTar(readFileSync(h)), /member hard has typeflag "1", not allowed/);
});
