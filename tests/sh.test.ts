// The shell corpus (tests/sh/README.md): every tests/sh/cases/NAME.sh runs under isokernel's
// /bin/sh (userland/bin/sh, in one booted kernel) and under the host's dash with the host's
// commands, each time in a fresh directory at the same path, and the two runs must agree on
// what the case's `# compare:` header names (stdout, stderr, status; all three by default).
// A case whose `# needs:` programs are not built yet is skipped, saying which; a case with a
// `# known:` reason is a known difference (a todo: run and reported, not a failure), and
// must be listed in tests/sh/KNOWN-DIFFERENCES.md.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { Kernel } from '../src/kernel/kernel.ts';
import {
  bootKernel, differences, documentedKnown, listCases, missingPrograms, runDash, runIsokernel, Scratch, type ShCase,
} from './sh/harness.ts';

let cases: ShCase[] = [];
let headerError: string | null = null;
try {
  cases = listCases();
} catch (e) {
  headerError = (e as Error).message;
}

const dashAvailable = await new Promise<boolean>((resolve) => {
  execFile('dash', ['-c', 'exit 0'], (err) => resolve(err === null));
});

describe('shell corpus', { concurrency: 3 }, () => {
  let scratch: Scratch;
  let kernel: Kernel;
  before(async () => {
    scratch = new Scratch();
    kernel = await bootKernel(scratch);
  });
  after(async () => {
    await kernel.shutdown();
    scratch.remove();
  });

  it('sh-corpus-headers: every case has a well-formed header, known differences are documented', () => {
    assert.equal(headerError, null);
    assert.ok(cases.filter((c) => c.name.startsWith('sh-')).length >= 100, 'fewer than 100 sh-* cases');
    const documented = documentedKnown();
    const undocumented = cases.filter((c) => c.known !== null && !documented.has(c.name)).map((c) => c.name);
    assert.deepEqual(undocumented, [], 'cases with `# known:` missing from tests/sh/KNOWN-DIFFERENCES.md');
  });

  for (const c of cases) {
    const opts = c.known ? { todo: c.known, timeout: 2 * c.timeoutMs + 10_000 } : { timeout: 2 * c.timeoutMs + 10_000 };
    it(c.name, opts, async (t) => {
      if (!dashAvailable) {
        t.skip('dash is not installed on the host');
        return;
      }
      const missing = missingPrograms(c);
      if (missing.length > 0) {
        t.skip(`needs ${missing.join(', ')} in userland/bin (not built yet)`);
        return;
      }
      const { dir, script } = scratch.prepare(c);
      const expected = await runDash(c, dir, script);
      scratch.prepare(c);
      const actual = await runIsokernel(kernel, c, dir, script);
      const diffs = differences(c, expected, actual);
      assert.ok(diffs.length === 0, `${c.name}: isokernel's sh differs from dash:\n  ${diffs.join('\n  ').replace(/\n/g, '\n  ')}`);
    });
  }
});
