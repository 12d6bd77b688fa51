// The guest programs (tests/guest/src/*.c): each runs in a freshly booted kernel as its
// `// test:` header says, and is judged by its exit status or signal and its output. Also
// checks that every wasi_snapshot_preview1 function has a program and that every program's
// binary is built from its current source. tests/guest/README.md has the header format.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kernel } from '../src/kernel/kernel.ts';
import {
  FIXTURE_HOST, FIXTURE_PATH, type GuestSpec, SCRATCH_PATH, WASI_FUNCTIONS, functionOf,
  listSources, mismatches, parseSpec, staleBinaries,
} from './guest/harness.ts';
import { exitOrKill } from './lib/run.ts';

const specs: GuestSpec[] = [];
const badHeaders: string[] = [];
for (const source of listSources()) {
  try {
    specs.push(parseSpec(source));
  } catch (e) {
    badHeaders.push((e as Error).message);
  }
}

/** Boots a kernel, runs one program as its spec says, and returns what came out. */
async function run(spec: GuestSpec) {
  const kernel = await Kernel.boot({});
  try {
    const preopens: string[] = [];
    for (const dir of spec.dirs) {
      if (dir === 'scratch') {
        kernel.mount(SCRATCH_PATH, { type: 'tmpfs' });
        preopens.push(SCRATCH_PATH);
      } else {
        kernel.mount(FIXTURE_PATH, { type: 'hostfs', host: FIXTURE_HOST, readOnly: true });
        preopens.push(FIXTURE_PATH);
      }
    }
    const p = kernel.spawn({
      program: spec.wasm, args: spec.args, env: spec.env, preopens,
      stdio: [spec.stdin ?? 'null', 'capture', 'capture'],
    });
    return await exitOrKill(kernel, p, spec.timeoutMs);
  } finally {
    await kernel.shutdown();
  }
}

describe('guest programs', () => {
  it('guest-headers: every program has a well-formed `// test:` header', () => {
    assert.deepEqual(badHeaders, []);
  });

  it('guest-coverage: each of the 46 preview1 functions has a program named after it', () => {
    const covered = new Set(specs.map((s) => functionOf(s.name)));
    const missing = WASI_FUNCTIONS.filter((fn) => !covered.has(fn));
    assert.deepEqual(missing, [], `no tests/guest/src/<function>[_<behaviour>].c for: ${missing.join(', ')}`);
  });

  it('guest-binaries-fresh: every bin/NAME.wasm is built from the current src/NAME.c', () => {
    const stale = staleBinaries();
    assert.deepEqual(stale, [], `run tests/guest/build.sh and commit bin/: ${stale.join('; ')}`);
  });

  for (const spec of specs) {
    it(`guest-${spec.name}`, { timeout: spec.timeoutMs + 10_000 }, async () => {
      const { timedOut, result } = await run(spec);
      const problems = mismatches(spec, result);
      if (timedOut) problems.unshift(`still running after ${spec.timeoutMs} ms (killed)`);
      assert.ok(problems.length === 0, `${spec.name}:\n  ${problems.join('\n  ')}`);
    });
  }
});
