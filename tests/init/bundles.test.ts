// The committed bundles userland/sbin/init.mjs, crond.mjs and syslogd.mjs (built by
// userland/sbin/build.sh from init.ts, crond.ts, syslogd.ts, initlib/, sysloglib/ and croner)
// must be what their sources build to now.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { SBIN } from './harness.ts';

it('init.mjs, crond.mjs and syslogd.mjs are up to date (run userland/sbin/build.sh)', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'isk-sbin-'));
  try {
    execFileSync('sh', [path.join(SBIN, 'build.sh'), out]);
    for (const f of ['init.mjs', 'crond.mjs', 'syslogd.mjs']) {
      assert.ok(readFileSync(path.join(out, f)).equals(readFileSync(path.join(SBIN, f))), `${f} is stale: run userland/sbin/build.sh`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
