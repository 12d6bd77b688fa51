// A runtime code cache made by a host process with other V8 flags (another Node, other
// command-line flags) is refused by V8 — vm.SourceTextModule throws for it — and the JS
// process's isolate compiles the runtime from source instead: JS processes still start.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('../../src/cli/entry.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'isk-cc-flags-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a code cache made under other V8 flags is refused and the runtime compiled from source', () => {
  const prog = join(dir, 'hello.mjs');
  writeFileSync(prog, 'console.log("hello", typeof process.pid);\n');
  const env = { ...process.env, ISOKERNEL_STRIP_CACHE: join(dir, 'cache') };
  const run = (flags: string[]) => execFileSync(process.execPath, [...flags, ENTRY, 'run', prog], { env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(run([]), 'hello number\n'); // makes the pack and the code cache
  assert.equal(run([]), 'hello number\n'); // uses them
  assert.equal(run(['--no-maglev']), 'hello number\n'); // other flags: the cache is refused
  assert.equal(run([]), 'hello number\n');
});
