// The disk cache of stripped TypeScript (src/kernel/jsproc/strip.ts), which spares an image
// boot the compile of Node's type stripper: used when the directory is the user's own and
// private, ignored otherwise; keyed by content and Node version.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const STRIP = new URL('../../src/kernel/jsproc/strip.ts', import.meta.url).href;
const tmp = mkdtempSync(join(tmpdir(), 'isk-strip-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** stripTypes(src) in a fresh host process with the cache at `dir`. */
function strip(dir: string, src: string): string {
  const code = `const { stripTypes } = await import(${JSON.stringify(STRIP)}); process.stdout.write(stripTypes(${JSON.stringify(src)}));`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', code], { env: { ...process.env, ISOKERNEL_STRIP_CACHE: dir }, encoding: 'utf8' });
}

test('strip-cache: written once, read back by the next process; a shared directory is not used', () => {
  const dir = join(tmp, 'cache');
  const src = 'const x: number = 1;\nexport default x;\n';
  assert.equal(strip(dir, src), 'const x         = 1;\nexport default x;\n');
  const files = readdirSync(dir);
  assert.equal(files.length, 1);
  // The next process reads the file (planted here to tell): no stripping.
  writeFileSync(join(dir, files[0]!), 'FROM CACHE');
  assert.equal(strip(dir, src), 'FROM CACHE');
  // Another source: another entry.
  strip(dir, 'let y: string = "";\n');
  assert.equal(readdirSync(dir).length, 2);
  // A directory others may write to is ignored (its planted entry is not read).
  chmodSync(dir, 0o777);
  assert.equal(strip(dir, src), 'const x         = 1;\nexport default x;\n');
  chmodSync(dir, 0o700);
  // Off.
  const off = strip('off', src);
  assert.equal(off, 'const x         = 1;\nexport default x;\n');
  assert.equal(readFileSync(join(dir, files[0]!), 'utf8'), 'FROM CACHE');
});
