// The process test programs (tests/proc/src/*.c, built against lib/libisokernel.a): each
// runs as PID 1 of a freshly booted kernel, its parent the host, as its `// test:` header
// says, and is judged by its exit status or signal and its output. The directory of built
// programs is served read-only at /t (the program is /t/NAME.wasm, and finds its helpers
// beside argv[0]), a tmpfs at /scratch, and the stand-in shell helper_sh.wasm at /bin/sh.
// Also: every program's binary is built from its current sources, and the programs pass
// natively (tests/proc/native-check.sh) where gcc is installed. tests/proc/README.md.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Kernel } from '../src/kernel/kernel.ts';
import {
  BIN_DIR, GUEST_BIN_PATH, listProcSources, mismatches, parseProcSpec, PROC_DIR, type ProcSpec,
  SCRATCH_PATH, SHELL_WASM, staleProcBinaries,
} from './proc/harness.ts';
import { exitOrKill } from './lib/run.ts';

const specs: ProcSpec[] = [];
const badHeaders: string[] = [];
for (const source of listProcSources()) {
  try {
    specs.push(parseProcSpec(source));
  } catch (e) {
    badHeaders.push((e as Error).message);
  }
}

/** A host directory holding only `sh` (the stand-in shell), served at /bin. */
let shellDir = '';

/** Boots a kernel, runs one program as its spec says, and returns what came out. */
async function run(spec: ProcSpec) {
  // No userland: /bin holds the stand-in shell instead.
  const kernel = await Kernel.boot({ userland: false });
  try {
    kernel.mount(GUEST_BIN_PATH, { type: 'hostfs', host: BIN_DIR, readOnly: true });
    kernel.mount('/bin', { type: 'hostfs', host: shellDir, readOnly: true });
    kernel.mount(SCRATCH_PATH, { type: 'tmpfs' });
    const p = kernel.spawn({
      program: spec.wasm, args: spec.args, env: spec.env,
      stdio: [spec.stdin ?? 'null', 'capture', 'capture'],
    });
    const r = await exitOrKill(kernel, p, spec.timeoutMs);
    return { ...r, loadError: p.error?.message ?? null };
  } finally {
    await kernel.shutdown();
  }
}

describe('process test programs', () => {
  before(() => {
    shellDir = mkdtempSync(join(tmpdir(), 'isokernel-proc-sh-'));
    copyFileSync(SHELL_WASM, join(shellDir, 'sh'));
  });
  after(() => {
    rmSync(shellDir, { recursive: true, force: true });
  });

  it('proc-headers: every program has a well-formed header', () => {
    assert.deepEqual(badHeaders, []);
    assert.ok(specs.length > 0, 'no programs in tests/proc/src');
  });

  it('proc-binaries-fresh: every bin/NAME.wasm is built from the current sources and library', () => {
    const stale = staleProcBinaries();
    assert.deepEqual(stale, [], `run lib/build.sh (if the library changed) and tests/proc/build.sh, and commit: ${stale.join('; ')}`);
  });

  for (const spec of specs) {
    it(`proc-${spec.name}`, { timeout: spec.timeoutMs + 10_000 }, async () => {
      const { timedOut, loadError, result } = await run(spec);
      const problems = mismatches(spec, result);
      if (timedOut) problems.unshift(`still running after ${spec.timeoutMs} ms (killed)`);
      if (loadError !== null) problems.unshift(`could not start: ${loadError}`);
      assert.ok(problems.length === 0, `${spec.name}:\n  ${problems.join('\n  ')}`);
    });
  }

  it('proc-native: the programs pass natively (native-check.sh, gcc)', { timeout: 600_000 }, async (t) => {
    const gcc = await new Promise<boolean>((resolve) => execFile('gcc', ['--version'], (err) => resolve(err === null)));
    if (!gcc) {
      t.skip('gcc is not installed: the native check needs it');
      return;
    }
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile('bash', [join(PROC_DIR, 'native-check.sh')], {
        env: { ...process.env, NODE: process.execPath }, maxBuffer: 16 << 20,
      }, (err, stdout, stderr) => {
        resolve({ code: err ? Number(err.code ?? 1) : 0, output: stdout + stderr });
      });
    });
    const failures = output.split('\n').filter((l) => /^FAIL|^ {2}/.test(l));
    assert.equal(code, 0, `native-check.sh failed:\n${failures.join('\n') || output}`);
  });
});
