// syslogd's file writer (userland/sbin/sysloglib/logfile.ts) on the host: keep N, no
// compression, the size bound, recovery after a crash in the middle of a rotation, and the
// config checks and routing (sysloglib/config.ts).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { checkConfig, makeRouter } from '../../userland/sbin/sysloglib/config.ts';
import { LogFile } from '../../userland/sbin/sysloglib/logfile.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const scratch = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'isk-logfile-'));
  dirs.push(d);
  return d;
};
const cfg = (rotate: Partial<{ maxBytes: number; maxAgeMs: number; keep: number; compress: boolean }>) => ({
  name: 'f', match: ['*'], minSeverity: 7, rotate: { maxBytes: 0, maxAgeMs: 0, keep: 5, compress: true, ...rotate },
});

describe('LogFile', () => {
  it('logfile-keep: keeps the newest N rotated files, numbered 1..N, each under the size bound', () => {
    const dir = scratch();
    const f = new LogFile(dir, cfg({ maxBytes: 100, keep: 2 }));
    for (let i = 0; i < 40; i++) {
      f.append(`line ${String(i).padStart(2, '0')} ${'x'.repeat(20)}\n`); // 29 bytes: 3 a file
      f.flush();
    }
    f.close();
    assert.deepEqual(readdirSync(dir).sort(), ['f.log', 'f.log.1.gz', 'f.log.2.gz']);
    const cur = readFileSync(path.join(dir, 'f.log'), 'utf8');
    const one = gunzipSync(readFileSync(path.join(dir, 'f.log.1.gz'))).toString();
    const two = gunzipSync(readFileSync(path.join(dir, 'f.log.2.gz'))).toString();
    const nums = (s: string) => s.split('\n').filter(Boolean).map((l) => Number(l.split(' ')[1]));
    assert.deepEqual([...nums(two), ...nums(one), ...nums(cur)], Array.from({ length: 7 }, (_, i) => 33 + i));
    for (const s of [cur, one, two]) assert.ok(Buffer.byteLength(s) <= 100);
    assert.equal(f.rotations, 13);
  });

  it('logfile-plain: without compress the rotated files stay text; keep 0 keeps none', () => {
    const dir = scratch();
    const f = new LogFile(dir, cfg({ maxBytes: 10, keep: 1, compress: false }));
    for (const l of ['aaaaaaaa\n', 'bbbbbbbb\n', 'cccccccc\n']) f.append(l);
    f.close();
    assert.equal(readFileSync(path.join(dir, 'f.log.1'), 'utf8'), 'bbbbbbbb\n');
    assert.equal(readFileSync(path.join(dir, 'f.log'), 'utf8'), 'cccccccc\n');
    const dir0 = scratch();
    const g = new LogFile(dir0, cfg({ maxBytes: 10, keep: 0 }));
    for (const l of ['aaaaaaaa\n', 'bbbbbbbb\n']) g.append(l);
    g.close();
    assert.deepEqual(readdirSync(dir0), ['f.log']);
  });

  it('logfile-recover: after a crash mid-rotation, a .gz.tmp goes, a left-over text file is compressed or removed', () => {
    const dir = scratch();
    writeFileSync(path.join(dir, 'f.log.1'), 'one\n');
    writeFileSync(path.join(dir, 'f.log.1.gz.tmp'), 'partial gzip');
    writeFileSync(path.join(dir, 'f.log.2'), 'two\n');
    writeFileSync(path.join(dir, 'f.log.2.gz'), gzipSync('two\n'));
    writeFileSync(path.join(dir, 'other.log.1'), 'not ours\n');
    const f = new LogFile(dir, cfg({}));
    f.recover();
    assert.deepEqual(readdirSync(dir).sort(), ['f.log.1.gz', 'f.log.2.gz', 'other.log.1']);
    assert.equal(gunzipSync(readFileSync(path.join(dir, 'f.log.1.gz'))).toString(), 'one\n');
  });

  it('logfile-age: the age of an existing file is its first line\'s time', () => {
    const dir = scratch();
    writeFileSync(path.join(dir, 'f.log'), '2020-01-01T00:00:00.000000Z h t[1]: old\n');
    const f = new LogFile(dir, cfg({ maxAgeMs: 60_000 }));
    f.append('2026-01-01T00:00:00.000000Z h t[1]: new\n');
    f.close();
    assert.ok(existsSync(path.join(dir, 'f.log.1.gz')));
    assert.match(readFileSync(path.join(dir, 'f.log'), 'utf8'), /: new\n$/);
  });
});

describe('config', () => {
  it('config-check: fields are checked with their path', () => {
    assert.throws(() => checkConfig({ files: [{ name: 'a/b' }] }), /logs\.files\[0\]\.name/);
    assert.throws(() => checkConfig({ files: [{ name: 'a' }, { name: 'a' }] }), /'a' twice/);
    assert.throws(() => checkConfig({ files: [{ name: 'a', minSeverity: 9 }] }), /minSeverity: expected 0\.\.7/);
    assert.throws(() => checkConfig({ files: [{ name: 'a', rotate: { keep: -1 } }] }), /rotate\.keep/);
    assert.throws(() => checkConfig({ remote: { protocol: 'http', host: 'x', port: 1 } }), /remote\.protocol/);
    assert.throws(() => checkConfig({ remote: { protocol: 'udp', host: 'x', port: 70000 } }), /remote\.port/);
    const c = checkConfig({ files: [{ name: 'a' }], remote: { protocol: 'tcp', host: '10.0.0.1', port: 514 } });
    assert.deepEqual(c.files[0], { name: 'a', match: ['*'], minSeverity: 7, rotate: { maxBytes: 10 << 20, maxAgeMs: 0, keep: 5, compress: true } });
    assert.deepEqual(c.remote, { protocol: 'tcp', host: '10.0.0.1', port: 514, facility: 1 });
  });

  it('config-route: patterns, exclusions and severity', () => {
    const route = makeRouter(checkConfig({
      files: [
        { name: 'all', match: ['*'] },
        { name: 'web', match: ['web', 'web-*'], minSeverity: 6 },
        { name: 'err', match: ['*', '!noisy', '!cron-*'], minSeverity: 3 },
      ],
    }).files);
    assert.deepEqual(route('web', 6), [0, 1]);
    assert.deepEqual(route('web', 7), [0]);
    assert.deepEqual(route('web-api', 3), [0, 1, 2]);
    assert.deepEqual(route('webx', 3), [0, 2]);
    assert.deepEqual(route('noisy', 0), [0]);
    assert.deepEqual(route('cron-clean', 2), [0]);
    assert.deepEqual(route('a.b+c', 1), [0, 2]);
  });
});
