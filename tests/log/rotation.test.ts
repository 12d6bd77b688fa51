// Rotation never drops, duplicates or reorders a line (issue 7 item 5): one million lines
// from several writer processes through the kernel's log queue into syslogd, which rotates
// every MiB and gzips the rotated files; then every file (decompressed) is read back in
// rotation order, and the lines are counted and checked in order per writer.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { dropJsSpares } from '../../src/kernel/jsproc/pool.ts';
import { parseLine } from '../../userland/sbin/sysloglib/format.ts';
import { bootTestKernel, spawnJsSource } from './helpers.ts';
import { startSyslogd, stopSyslogd, writeManifest } from './syslogd-helpers.ts';

after(() => dropJsSpares());

const LINES = 1_000_000;
const WRITERS = 4;
const MiB = 1 << 20;

it('rotation-million: 1e6 lines from 4 writers, rotating every MiB: none lost, duplicated or reordered', async () => {
  const t = await bootTestKernel({ hold: true, hostname: 'h' });
  try {
    writeManifest(t, { files: [{ name: 'big', match: ['*'], minSeverity: 7, rotate: { maxBytes: MiB, maxAgeMs: 0, keep: 1000, compress: true } }] });
    const d = await startSyslogd(t);
    const t0 = performance.now();
    const per = LINES / WRITERS;
    // Each writer writes its lines in chunks that end mid-line, so partial lines are kept
    // across writes too.
    const ws = Array.from({ length: WRITERS }, (_, w) => spawnJsSource(t, `
      import isk from 'isokernel';
      const fd = isk.openlog('w${w}');
      let buf = '';
      for (let i = 0; i < ${per}; i++) {
        buf += i + '\\n';
        if (buf.length > 6000) {
          const cut = buf.length - 3;
          isk.write(fd, buf.slice(0, cut));
          buf = buf.slice(cut);
        }
      }
      isk.write(fd, buf);
      isk.close(fd);
    `));
    for (const p of ws) assert.equal((await p.exited).status, 0, p.output(2).toString());
    const written = performance.now();
    // syslogd takes what is left in the queue, writes and fsyncs before it exits.
    assert.equal(await stopSyslogd(t, d), 0, d.output(2).toString());
    assert.equal(t.kernel.log.length, 0);
    const done = performance.now();

    const dir = path.join(t.work, 'var/log');
    const names = readdirSync(dir);
    const rotated = names.filter((n) => /^big\.log\.\d+\.gz$/.test(n)).map((n) => Number(n.split('.')[2])).sort((a, b) => b - a);
    assert.deepEqual(names.filter((n) => !/^big\.log(\.\d+\.gz)?$/.test(n)), [], 'only big.log and its .gz files');
    // Contiguous numbering 1..K.
    assert.deepEqual(rotated, Array.from({ length: rotated.length }, (_, i) => rotated.length - i));
    const sizes: number[] = [];
    const next = new Array<number>(WRITERS).fill(0);
    let count = 0;
    let lastTime = '';
    const check = (text: string, what: string): void => {
      sizes.push(Buffer.byteLength(text));
      const lines = text.split('\n');
      assert.equal(lines.pop(), '', `${what} ends with a whole line`);
      for (const l of lines) {
        const p = parseLine(l);
        assert.ok(p, `${what}: not a log line: ${l}`);
        const w = Number(p.tag.slice(1));
        assert.equal(Number(p.msg), next[w], `${what}: writer ${w} expected ${next[w]}, got ${p.msg}`);
        next[w]!++;
        assert.ok(p.time >= lastTime, `${what}: time goes back`);
        lastTime = p.time;
        count++;
      }
    };
    for (const k of rotated) check(gunzipSync(readFileSync(path.join(dir, `big.log.${k}.gz`))).toString(), `big.log.${k}.gz`);
    check(readFileSync(path.join(dir, 'big.log'), 'utf8'), 'big.log');
    assert.equal(count, LINES);
    assert.deepEqual(next, new Array(WRITERS).fill(per));
    assert.ok(rotated.length >= 20, `${rotated.length} rotations`);
    for (const s of sizes) assert.ok(s <= MiB, `a file of ${s} bytes`);
    for (const s of sizes.slice(0, -1)) assert.ok(s > MiB - 200, `a rotated file of ${s} bytes`);
    const checked = performance.now();
    // Diagnostic only (never asserted): where the time went.
    process.stderr.write(`# rotation-million: write ${((written - t0) / 1000).toFixed(1)} s, ` +
      `drain ${((done - written) / 1000).toFixed(1)} s, check ${((checked - done) / 1000).toFixed(1)} s, ${rotated.length} rotations\n`);
  } finally {
    await t.cleanup();
  }
});
