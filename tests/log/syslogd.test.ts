// syslogd (userland/sbin/syslogd.ts) in a kernel: routing by tag and severity, the line
// format, what it does with a full disk and an unwritable log directory, rotation by age,
// and its exit on SIGTERM with the queue drained.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { SIG } from '../../src/abi/signals.ts';
import { dropJsSpares } from '../../src/kernel/jsproc/pool.ts';
import { NODE_PROGRAM } from '../../src/kernel/jsproc/program.ts';
import { parseLine } from '../../userland/sbin/sysloglib/format.ts';
import { bootTestKernel, run, type TestKernel, until } from './helpers.ts';
import { startSyslogd, stopSyslogd, writeManifest } from './syslogd-helpers.ts';

after(() => dropJsSpares());

const file = (t: TestKernel, name: string): string => {
  try {
    return readFileSync(path.join(t.work, 'var/log', name), 'utf8');
  } catch {
    return '';
  }
};

describe('syslogd', () => {
  it('syslogd-route: files take lines by tag pattern and severity, in the documented format', async () => {
    const t = await bootTestKernel({ hold: true, hostname: 'box1' });
    try {
      const rot = { maxBytes: 0, maxAgeMs: 0, keep: 3, compress: true };
      writeManifest(t, {
        files: [
          { name: 'all', match: ['*'], minSeverity: 7, rotate: rot },
          { name: 'web', match: ['web', 'web-*'], minSeverity: 6, rotate: rot },
          { name: 'errors', match: ['*', '!noisy'], minSeverity: 3, rotate: rot },
        ],
        remote: null,
      });
      // Records logged before syslogd starts wait in the queue.
      const early = await run(t, `import isk from 'isokernel'; isk.syslog('info', 'before syslogd', 'early'); console.log(isk.pid);`);
      const d = await startSyslogd(t);
      const r = await run(t, `
        import isk from 'isokernel';
        isk.syslog('info', 'hello web', 'web');
        isk.syslog('debug', 'web debug', 'web-api');
        isk.syslog('err', 'api broke', 'web-api');
        isk.syslog('crit', 'noisy crit', 'noisy');
        isk.syslog('warning', 'tab\\there, bell\\x07 and é', 'other');
        const fd = isk.openlog('svc', { severity: 'err' });
        isk.write(fd, 'stderr line\\n');
        isk.close(fd);
        console.log(isk.pid);
      `);
      assert.equal(r.status, 0, r.err);
      assert.equal(await stopSyslogd(t, d), 0, d.output(2).toString());
      const pid = r.out.trim();
      const lines = (s: string) => s.split('\n').filter(Boolean).map((l) => {
        const p = parseLine(l);
        assert.ok(p, `not a log line: ${l}`);
        assert.match(p.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
        assert.equal(p.host, 'box1');
        return `${p.tag}[${p.pid}]: ${p.msg}`;
      });
      assert.deepEqual(lines(file(t, 'all.log')), [
        `early[${early.out.trim()}]: before syslogd`, `web[${pid}]: hello web`, `web-api[${pid}]: web debug`,
        `web-api[${pid}]: api broke`, `noisy[${pid}]: noisy crit`, `other[${pid}]: tab\there, bell#007 and é`,
        `svc[${pid}]: stderr line`,
      ]);
      assert.deepEqual(lines(file(t, 'web.log')), [`web[${pid}]: hello web`, `web-api[${pid}]: api broke`]);
      assert.deepEqual(lines(file(t, 'errors.log')), [`web-api[${pid}]: api broke`, `svc[${pid}]: stderr line`]);
    } finally {
      await t.cleanup();
    }
  });

  it('syslogd-default: no manifest → everything in messages.log; a bad manifest is reported, not fatal', async () => {
    const t = await bootTestKernel({ hold: true });
    try {
      writeFileSync(path.join(t.work, 'etc/bad.json'), JSON.stringify({ logs: { files: [{ name: '../x' }] } }));
      const d = await startSyslogd(t, ['--manifest', '/etc/bad.json']);
      await run(t, `import isk from 'isokernel'; isk.syslog('debug', 'to the default file', 'x');`);
      assert.equal(await stopSyslogd(t, d), 0);
      assert.match(d.output(2).toString(), /logs\.files\[0\]\.name: expected a file name/);
      assert.match(file(t, 'messages.log'), /x\[\d+\]: to the default file\n$/);
    } finally {
      await t.cleanup();
    }
  });

  it('syslogd-age: a file older than maxAgeMs is rotated, even when quiet', async () => {
    const t = await bootTestKernel({ hold: true });
    try {
      writeManifest(t, { files: [{ name: 'a', match: ['*'], minSeverity: 7, rotate: { maxBytes: 0, maxAgeMs: 400, keep: 5, compress: true } }] });
      const d = await startSyslogd(t, ['--age-check-ms', '100']);
      await run(t, `import isk from 'isokernel'; isk.syslog('info', 'old line', 'x');`);
      await until(() => { try { return readdirSync(path.join(t.work, 'var/log')).includes('a.log.1.gz'); } catch { return false; } }, 20_000, 'an age rotation');
      await run(t, `import isk from 'isokernel'; isk.syslog('info', 'new line', 'x');`);
      assert.equal(await stopSyslogd(t, d), 0);
      assert.match(gunzipSync(readFileSync(path.join(t.work, 'var/log/a.log.1.gz'))).toString(), /old line\n$/);
      assert.match(file(t, 'a.log'), /^[^\n]*new line\n$/);
    } finally {
      await t.cleanup();
    }
  });

  it('syslogd-full-disk: a full /var/log is reported; lines wait and are written once there is room', async () => {
    const t = await bootTestKernel({ hold: true, varFs: { type: 'tmpfs', maxBytes: 64 * 1024 } });
    try {
      writeManifest(t, { files: [{ name: 'm', match: ['*'], minSeverity: 7, rotate: { maxBytes: 0, maxAgeMs: 0, keep: 1, compress: false } }] });
      const d = await startSyslogd(t);
      await run(t, `
        import isk from 'isokernel';
        for (let i = 0; i < 1000; i++) isk.syslog('info', 'line ' + i + ' ' + 'x'.repeat(40), 'fill');
      `);
      await until(() => /cannot write \/var\/log\/m\.log: ENOSPC/.test(d.output(2).toString()), 20_000, 'ENOSPC reported');
      assert.equal(d.exitStatus, null, 'syslogd survives');
      // Make room: move the full file away (a root shell's job on a real system).
      const mv = await run(t, `
        import fs from 'node:fs';
        const kept = fs.readFileSync('/var/log/m.log', 'utf8');
        fs.unlinkSync('/var/log/m.log');
        console.log(kept.split('\\n').filter(Boolean).length);
      `);
      assert.equal(mv.status, 0, mv.err);
      const first = Number(mv.out.trim());
      assert.ok(first > 100 && first < 1000, `${first} lines before the disk filled`);
      await until(() => /is written again/.test(d.output(2).toString()), 5_000, `recovery reported: ${d.output(2)}`);
      const rest = await run(t, `import fs from 'node:fs'; console.log(fs.readFileSync('/var/log/m.log', 'utf8'));`);
      const got = rest.out.split('\n').filter(Boolean).map((l) => parseLine(l)!.msg.split(' ')[1]).map(Number);
      assert.equal(got[0], first, 'the first line after the gap is the one that did not fit');
      for (let i = 1; i < got.length; i++) assert.equal(got[i], got[i - 1]! + 1);
      assert.equal(await stopSyslogd(t, d), 0);
    } finally {
      await t.cleanup();
    }
  });

  it('syslogd-readonly: an unwritable log directory is reported and syslogd keeps running', async () => {
    const ro = mkdtempSync(path.join(tmpdir(), 'isk-log-ro-'));
    const t = await bootTestKernel({ hold: true, varFs: { type: 'hostfs', host: ro, readOnly: true } });
    try {
      const d = await startSyslogd(t);
      await run(t, `import isk from 'isokernel'; isk.syslog('info', 'nowhere to go', 'x');`);
      await until(() => /cannot open \/var\/log\/messages\.log: E(ROFS|ACCES|PERM)/.test(d.output(2).toString()), 20_000, 'the error reported');
      await run(t, `import isk from 'isokernel'; isk.syslog('info', 'still alive', 'x');`);
      await until(() => t.kernel.log.length === 0, 10_000, 'the queue drained');
      assert.equal(d.exitStatus, null);
      assert.equal(await stopSyslogd(t, d), 0);
    } finally {
      await t.cleanup();
      rmSync(ro, { recursive: true, force: true });
    }
  });
});

describe('syslogd down', () => {
  it('syslogd-restart: records logged while syslogd is down wait and are written by the next one, in order', async () => {
    const t = await bootTestKernel({ hold: true });
    try {
      const d1 = await startSyslogd(t);
      await run(t, `import isk from 'isokernel'; isk.syslog('info', 'A', 'x');`);
      await until(() => file(t, 'messages.log').includes('A\n'), 20_000, 'A written');
      t.kernel.signal(d1, SIG.KILL);
      await d1.exited;
      assert.equal(t.kernel.log.reader, null);
      await run(t, `import isk from 'isokernel'; for (let i = 0; i < 100; i++) isk.syslog('info', 'B' + i, 'x');`);
      assert.equal(t.kernel.log.length, 100, 'held in the queue');
      const d2 = await startSyslogd(t);
      await run(t, `import isk from 'isokernel'; isk.syslog('info', 'C', 'x');`);
      assert.equal(await stopSyslogd(t, d2), 0);
      const msgs = file(t, 'messages.log').split('\n').filter(Boolean).map((l) => parseLine(l)!.msg);
      assert.deepEqual(msgs, ['A', ...Array.from({ length: 100 }, (_, i) => `B${i}`), 'C']);
    } finally {
      await t.cleanup();
    }
  });
});

describe('syslogd refusals', () => {
  it('syslogd-second: a second syslogd (or one not root) says why and exits 1', async () => {
    const t = await bootTestKernel({ hold: true });
    try {
      const d = await startSyslogd(t);
      const second = t.kernel.spawn({ program: NODE_PROGRAM, args: ['node', '/sbin/syslogd.ts'], cwd: '/', stdio: ['null', 'capture', 'capture'] });
      assert.equal((await second.exited).status, 1);
      assert.match(second.output(2).toString(), /another syslogd reads the kernel log/);
      const user = t.kernel.spawn({ program: NODE_PROGRAM, args: ['node', '/sbin/syslogd.ts'], cwd: '/', stdio: ['null', 'capture', 'capture'], uid: 1000 });
      assert.equal((await user.exited).status, 1);
      assert.match(user.output(2).toString(), /must run as root/);
      const bad = t.kernel.spawn({ program: NODE_PROGRAM, args: ['node', '/sbin/syslogd.ts', '--bogus'], cwd: '/', stdio: ['null', 'capture', 'capture'] });
      assert.equal((await bad.exited).status, 2);
      assert.match(bad.output(2).toString(), /unknown argument '--bogus'/);
      assert.equal(await stopSyslogd(t, d), 0);
    } finally {
      await t.cleanup();
    }
  });
});
