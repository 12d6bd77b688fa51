// The kernel log device (docs/logging.md): line splitting, partial lines kept per
// description, long lines cut at LINE_MAX, pid stamping, a full queue blocking writers
// without losing or reordering a line, the reader (root only, one at a time, framed
// records, poll), log_write, and the direct mode of a kernel no syslogd reads.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import dc from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dropJsSpares } from '../../src/kernel/jsproc/pool.ts';
import { LINE_MAX, type LogRecord } from '../../src/kernel/log/queue.ts';
import { bootTestKernel, ROOT, run, spawnJsSource, type TestKernel, until } from './helpers.ts';

let t: TestKernel;
const text = (r: LogRecord): string => Buffer.from(r.msg).toString();

before(async () => {
  t = await bootTestKernel({ hold: true });
});
after(async () => {
  await t.cleanup();
  dropJsSpares();
});

describe('log streams', () => {
  it('log-lines: splits writes into lines, keeps a partial line until newline or close', async () => {
    const r = await run(t, `
      import isk from 'isokernel';
      const fd = isk.openlog('svc', { severity: 'warning', facility: 'local3' });
      isk.write(fd, 'a\\nb');
      isk.write(fd, 'c\\n\\n');
      isk.write(fd, 'partial');
      isk.close(fd);
      console.log(isk.pid);
    `);
    assert.equal(r.status, 0, r.err);
    const recs = t.kernel.log.take();
    assert.deepEqual(recs.map(text), ['a', 'bc', '', 'partial']);
    const pid = Number(r.out.trim());
    for (const rec of recs) {
      assert.equal(rec.pid, pid);
      assert.equal(rec.tag, 'svc');
      assert.equal(rec.severity, 4);
      assert.equal(rec.facility, 19);
      assert.equal(rec.host, 'testhost');
      assert.ok(rec.timeNs > 1_600_000_000_000_000_000n);
    }
    for (let i = 1; i < recs.length; i++) assert.ok(recs[i]!.seq > recs[i - 1]!.seq);
  });

  it('log-long-lines: a line over LINE_MAX bytes is cut into records of LINE_MAX', async () => {
    const r = await run(t, `
      import isk from 'isokernel';
      const fd = isk.openlog('long');
      isk.write(fd, 'x'.repeat(${LINE_MAX * 2 + 100}) + '\\n' + 'y'.repeat(${LINE_MAX}) + '\\nz\\n');
      isk.write(fd, 'v'.repeat(${LINE_MAX - 1}));
      isk.write(fd, 'v');
      isk.write(fd, '\\n\\n');
      isk.write(fd, 'w'.repeat(${LINE_MAX * 3 + 5}));
      isk.close(fd);
    `);
    assert.equal(r.status, 0, r.err);
    const lens = t.kernel.log.take().map((x) => x.msg.length);
    assert.deepEqual(lens, [LINE_MAX, LINE_MAX, 100, LINE_MAX, 1, LINE_MAX, 0, LINE_MAX, LINE_MAX, LINE_MAX, 5]);
  });

  it('log-pid: records carry the pid of the writer, also through an inherited descriptor (a C program)', async () => {
    const r = await run(t, `
      import isk from 'isokernel';
      const fd = isk.openlog('shared');
      isk.write(fd, 'from parent\\n');
      const pid = isk.spawn('/bin/echo', ['echo', 'from child'], { fds: { 1: fd } });
      isk.wait(pid);
      isk.write(fd, 'parent again\\n');
      console.log(isk.pid, pid);
    `);
    assert.equal(r.status, 0, r.err);
    const [parent, child] = r.out.trim().split(' ').map(Number);
    const recs = t.kernel.log.take();
    assert.deepEqual(recs.map((x) => [text(x), x.pid]), [['from parent', parent], ['from child', child], ['parent again', parent]]);
  });

  it('log-bad-args: tag, facility and severity are checked', async () => {
    const r = await run(t, `
      import isk from 'isokernel';
      const codes = [];
      for (const f of [() => isk.openlog(''), () => isk.openlog('has space'), () => isk.openlog('x'.repeat(65)),
        () => isk.openlog('ok', { severity: 8 }), () => isk.openlog('ok', { facility: 24 }), () => isk.syslog(9, 'm', 't'),
        () => isk.syslog('info', 'x'.repeat(70000), 't')]) {
        try { f(); codes.push('none'); } catch (e) { codes.push(e.code); }
      }
      try { isk.openlog('ok', { severity: 'loud' }); } catch (e) { codes.push(e.code); }
      console.log(codes.join(' '));
    `);
    assert.equal(r.status, 0, r.err);
    assert.equal(r.out.trim(), 'EINVAL EINVAL EINVAL EINVAL EINVAL EINVAL EMSGSIZE ERR_INVALID_ARG_VALUE');
  });

  it('log-full: a full queue blocks writers; nothing is lost or reordered', async () => {
    const q = t.kernel.log;
    q.maxRecords = 16;
    try {
      const p = spawnJsSource(t, `
        import isk from 'isokernel';
        const fd = isk.openlog('full');
        for (let i = 0; i < 200; i++) isk.write(fd, 'line ' + i + '\\n');
        isk.close(fd);
      `);
      await until(() => q.length >= 16, 30_000, 'a full queue');
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(q.length, 16, 'the writer waits instead of overflowing');
      assert.equal(p.exitStatus, null);
      const got: string[] = [];
      while (!p.exitStatus || q.length > 0) {
        got.push(...q.take(5).map(text));
        await new Promise((r) => setTimeout(r, 1));
      }
      assert.equal((await p.exited).status, 0);
      assert.deepEqual(got, Array.from({ length: 200 }, (_, i) => `line ${i}`));
    } finally {
      q.maxRecords = 8192;
    }
  });

  it('log-nonblock: a non-blocking stream on a full queue gets EAGAIN', async () => {
    const q = t.kernel.log;
    q.maxRecords = 2;
    try {
      const r = await run(t, `
        import isk from 'isokernel';
        const fd = isk.openlog('nb', { nonblock: true });
        let n = 0;
        try { for (;;) { isk.write(fd, 'x\\n'); n++; } } catch (e) { console.log(e.code, n); }
      `);
      assert.equal(r.out.trim(), 'EAGAIN 2');
    } finally {
      q.maxRecords = 8192;
      q.take();
    }
  });

  it('log-order: several writers through a small queue keep their own order and the global one', async () => {
    const q = t.kernel.log;
    q.maxRecords = 32;
    const N = 1500;
    const W = 4;
    try {
      const ps = Array.from({ length: W }, (_, w) => spawnJsSource(t, `
        import isk from 'isokernel';
        const fd = isk.openlog('w${w}');
        let buf = '';
        for (let i = 0; i < ${N}; i++) {
          buf += 'w${w} ' + i + '\\n';
          if (i % 7 === 6) { isk.write(fd, buf); buf = ''; }
        }
        isk.write(fd, buf);
        isk.close(fd);
      `));
      const recs: LogRecord[] = [];
      while (ps.some((p) => !p.exitStatus) || q.length > 0) {
        recs.push(...q.take(10));
        await new Promise((r) => setImmediate(r));
      }
      for (const p of ps) assert.equal((await p.exited).status, 0);
      assert.equal(recs.length, N * W);
      const next = new Array<number>(W).fill(0);
      for (let i = 0; i < recs.length; i++) {
        if (i > 0) assert.ok(recs[i]!.seq > recs[i - 1]!.seq);
        const [w, n] = text(recs[i]!).split(' ');
        const wi = Number(w!.slice(1));
        assert.equal(Number(n), next[wi], `writer ${wi} out of order`);
        next[wi]!++;
      }
    } finally {
      q.maxRecords = 8192;
    }
  });
});

describe('syslog and the reader', () => {
  it('log-syslog: one record per line, with severity, facility and tag', async () => {
    const r = await run(t, `
      import isk from 'isokernel';
      isk.syslog('err', 'first\\nsecond\\n', 'myapp', { facility: 'daemon' });
      isk.syslog(7, 'dbg');
      await isk.promises.syslog('notice', 'async', 'myapp');
    `);
    assert.equal(r.status, 0, r.err);
    const recs = t.kernel.log.take();
    assert.deepEqual(recs.map((x) => [x.tag, x.facility, x.severity, text(x)]), [
      ['myapp', 3, 3, 'first'], ['myapp', 3, 3, 'second'], ['prog' + (recs[2]!.tag.slice(4)), 1, 7, 'dbg'], ['myapp', 1, 5, 'async'],
    ]);
    assert.match(recs[2]!.tag, /^prog\d+\.mjs$/);
  });

  it('log-reader: root only, one at a time; framed records; poll readiness; EAGAIN when non-blocking', async () => {
    const denied = await run(t, `
      import isk from 'isokernel';
      try { isk.logReader(); } catch (e) { console.log(e.code); }
    `, { uid: 1000 });
    assert.equal(denied.out.trim(), 'EPERM');
    const r = await run(t, `
      import isk from 'isokernel';
      const fd = isk.logReader({ nonblock: true });
      const out = [];
      try { isk.logReader(); } catch (e) { out.push(e.code); }
      try { isk.readLog(fd); } catch (e) { out.push(e.code); }
      out.push(isk.poll([{ fd, events: 'read' }], 0).length);
      isk.syslog('info', 'one\\ntwo', 'rd');
      out.push(isk.poll([{ fd, events: 'read' }], 0).length);
      const recs = isk.readLog(fd);
      out.push(recs.map((r) => r.tag + ':' + r.severity + ':' + Buffer.from(r.msg) + ':' + (r.pid === isk.pid)).join(','));
      isk.close(fd);
      const fd2 = isk.logReader();
      isk.close(fd2);
      console.log(out.join(' '));
    `);
    assert.equal(r.status, 0, r.err);
    assert.equal(r.out.trim(), 'EBUSY EAGAIN 0 1 rd:6:one:true,rd:6:two:true');
    assert.equal(t.kernel.log.reader, null);
  });

  it('log-reader-wait: a blocking read waits for records (promise form lets the event loop run)', async () => {
    const p = spawnJsSource(t, `
      import isk from 'isokernel';
      const fd = isk.logReader();
      let ticks = 0;
      const iv = setInterval(() => ticks++, 5);
      const recs = await isk.promises.readLog(fd);
      clearInterval(iv);
      console.log(Buffer.from(recs[0].msg).toString(), ticks > 0);
    `);
    await until(() => t.kernel.log.reader !== null, 30_000, 'the reader');
    await new Promise((r) => setTimeout(r, 100));
    t.kernel.log.push('host', 0, 1, 6, Buffer.from('hello reader'));
    await p.exited;
    assert.equal(p.output(1).toString().trim(), 'hello reader true');
  });
});

describe('direct mode', () => {
  it('log-direct: with no reader ever and no hold, lines go to the sink at once and never block', async () => {
    const t2 = await bootTestKernel();
    const seen: string[] = [];
    t2.kernel.log.sink = (r) => seen.push(`${r.tag}[${r.pid}]: ${text(r)}`);
    t2.kernel.log.maxRecords = 1;
    try {
      const r = await run(t2, `
        import isk from 'isokernel';
        const fd = isk.openlog('direct');
        for (let i = 0; i < 5; i++) isk.write(fd, 'n' + i + '\\n');
        isk.syslog('info', 'via syslog', 'direct');
        console.log(isk.pid);
      `);
      assert.equal(r.status, 0, r.err);
      const pid = r.out.trim();
      assert.deepEqual(seen, [0, 1, 2, 3, 4].map((i) => `direct[${pid}]: n${i}`).concat(`direct[${pid}]: via syslog`));
      assert.equal(t2.kernel.log.length, 0);
    } finally {
      await t2.cleanup();
    }
  });
});

describe('isokernel run', () => {
  it('log-run-stderr: with no syslogd, `isokernel run` shows log records on its stderr as TAG[PID]: MSG', async () => {
    const script = path.join(t.work, 'direct.mjs');
    writeFileSync(script, `import isk from 'isokernel';
isk.syslog('warning', 'direct line', 'demo');
const fd = isk.openlog('stream');
isk.write(fd, 'a\\nb');
isk.close(fd);
console.log('out');
`);
    const r = await new Promise<{ status: number | null; out: string; err: string }>((resolve) => {
      const c = spawn(process.execPath, [path.join(ROOT, 'src/cli/entry.ts'), 'run', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      c.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      c.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      c.on('close', (status) => resolve({ status, out, err }));
    });
    assert.equal(r.status, 0, r.err);
    assert.equal(r.out, 'out\n');
    assert.match(r.err, /^demo\[(\d+)\]: direct line\nstream\[\1\]: a\nstream\[\1\]: b\n$/);
  });
});

describe('no reader for too long', () => {
  it('log-spill: with no reader past spillAfterMs, a full queue spills its oldest records to the sink; none lost', async () => {
    const t2 = await bootTestKernel({ hold: true });
    const spilled: string[] = [];
    const q = t2.kernel.log;
    q.sink = (r) => spilled.push(text(r));
    q.maxRecords = 10; // spillAfterMs is Infinity (helpers.ts): the writer waits
    const spillEvents: { count: number }[] = [];
    const onSpill = (m: unknown): void => void spillEvents.push(m as { count: number });
    dc.subscribe('isokernel:log:spill', onSpill);
    try {
      const p = spawnJsSource(t2, `
        import isk from 'isokernel';
        const fd = isk.openlog('sp');
        for (let i = 0; i < 50; i++) isk.write(fd, 'n' + i + '\\n');
        isk.syslog('info', 'last', 'sp');
      `);
      await until(() => q.length >= 10, 30_000, 'a full queue');
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(p.exitStatus, null, 'the writer waits');
      assert.deepEqual(spilled, []);
      // No reader from now on, for 300 ms: the waiting writer is woken by the spill timer.
      const tok = {};
      q.attach(tok);
      q.detach(tok);
      q.spillAfterMs = 300;
      const t0 = performance.now();
      q.writable.wake(); // as a reader's take would: the writer retries, and waits for the spill time
      assert.equal((await p.exited).status, 0, p.output(2).toString());
      assert.ok(performance.now() - t0 >= 250, 'the writer waited for the spill time');
      const queued = q.take().map(text);
      assert.ok(queued.length <= 10 && spilled.length >= 41, `${spilled.length} spilled, ${queued.length} queued`);
      assert.deepEqual([...spilled, ...queued], [...Array.from({ length: 50 }, (_, i) => `n${i}`), 'last']);
      assert.equal(q.spilled, spilled.length);
      assert.equal(spillEvents.reduce((a, e) => a + e.count, 0), spilled.length);
    } finally {
      dc.unsubscribe('isokernel:log:spill', onSpill);
      await t2.cleanup();
    }
  });
});
