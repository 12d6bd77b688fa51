// syslog(3) from C (lib/src/syslog.c, include/syslog.h) and the `logger` command
// (userland/cmd/logger.c): records with the right tag, facility, severity, pid and text.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dropJsSpares } from '../../src/kernel/jsproc/pool.ts';
import type { LogRecord } from '../../src/kernel/log/queue.ts';
import { bootTestKernel, ROOT, type TestKernel } from './helpers.ts';

let t: TestKernel;
const LOGGER = path.join(ROOT, 'userland/bin/logger');
const text = (r: LogRecord): string => Buffer.from(r.msg).toString();
const summary = (r: LogRecord): string => `${r.tag} ${r.facility}.${r.severity} ${text(r)}`;

before(async () => {
  t = await bootTestKernel({ hold: true });
});
after(async () => {
  await t.cleanup();
  dropJsSpares();
});

async function runGuest(program: string, args: string[], stdin?: string): Promise<{ status: number; out: string; err: string; pid: number }> {
  const p = t.kernel.spawn({
    program, args, cwd: '/', env: ['PATH=/bin'], stdio: [stdin === undefined ? 'null' : Buffer.from(stdin), 'capture', 'capture'],
  });
  const st = await p.exited;
  return { status: st.status, out: p.output(1).toString(), err: p.output(2).toString(), pid: p.pid };
}

describe('syslog(3) in C', () => {
  it('c-syslog: openlog, syslog with %m, setlogmask, LOG_PERROR, closelog, isk_log_open for a child', async () => {
    const r = await runGuest(path.join(ROOT, 'tests/log/c/syslog-test.wasm'), ['syslog-test']);
    assert.equal(r.status, 0, r.err);
    const [pid, child] = r.out.trim().split(' ').map(Number);
    const recs = t.kernel.log.take();
    assert.deepEqual(recs.map(summary), [
      'ctest 17.3 open failed: No such file or directory (100%)',
      'ctest 3.6 two', 'ctest 3.6 lines',
      'ctest 17.5 kept',
      'syslog-test 1.4 default tag 42',
      `syslog-test 1.6 ${'b'.repeat(3000)}!`,
      'child 3.4 from echo',
    ]);
    assert.deepEqual(recs.map((x) => x.pid), [pid, pid, pid, pid, pid, pid, child]);
    assert.equal(r.err, 'ctest: open failed: No such file or directory (100%)\nctest: two\nlines\nctest: kept\n');
  });
});

describe('logger', () => {
  it('logger-args: MESSAGE operands, -t, -p facility.level, -s', async () => {
    const r = await runGuest(LOGGER, ['logger', '-t', 'deploy', '-p', 'local0.warning', '-s', 'release', '1.2', 'done']);
    assert.equal(r.status, 0, r.err);
    assert.equal(r.err, 'deploy: release 1.2 done\n');
    const recs = t.kernel.log.take();
    assert.deepEqual(recs.map((x) => [summary(x), x.pid]), [['deploy 16.4 release 1.2 done', r.pid]]);
  });

  it('logger-stdin: each line of stdin is a message; defaults user.notice and tag logger', async () => {
    const r = await runGuest(LOGGER, ['logger'], 'one\n\ntwo\nthree');
    assert.equal(r.status, 0, r.err);
    assert.deepEqual(t.kernel.log.take().map(summary), ['logger 1.5 one', 'logger 1.5 two', 'logger 1.5 three']);
  });

  it('logger-priority: a level alone, a number, and a bad priority', async () => {
    assert.equal((await runGuest(LOGGER, ['logger', '-p', 'err', 'x'])).status, 0);
    assert.equal((await runGuest(LOGGER, ['logger', '-p', '30', 'y'])).status, 0); // daemon.info
    assert.deepEqual(t.kernel.log.take().map(summary), ['logger 1.3 x', 'logger 3.6 y']);
    const bad = await runGuest(LOGGER, ['logger', '-p', 'daemon.loud', 'z']);
    assert.equal(bad.status, 1);
    assert.match(bad.err, /unknown priority 'daemon\.loud'/);
    assert.equal(t.kernel.log.length, 0);
  });
});
