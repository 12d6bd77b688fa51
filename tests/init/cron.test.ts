// crond (userland/sbin/crond.ts, run from its bundle crond.mjs): jobs run on time, each
// run's start, end and status are logged, output goes to the log under the job's name, no
// overlapping runs unless allowed, @reboot, the job's uid, bad schedules. Schedules here
// have six fields (seconds first): crond accepts them so that tests run in seconds; the
// TOML manifest allows five (docs/services.md).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootEach, cronJob, manifest, until } from './harness.ts';

const start = bootEach();
const count = (s: string, re: RegExp): number => [...s.matchAll(re)].length;

describe('crond', () => {
  it('runs a job every second, logs start, end and status, and its output under its name', async () => {
    const b = await start(manifest({ cron: [cronJob('tick', { command: 'echo tick-out; echo run >> /var/ticks; exit 4' })] }));
    const runs = (): number => b.read('/var/ticks').split('\n').length - 1;
    await until(() => runs() >= 1, 'a run', 20_000, b.log);
    const t1 = Date.now();
    await until(() => runs() >= 4, '3 more runs', 20_000, b.log);
    // On time, and never more often: three more runs of a once-a-second job take 2 s at least
    // (3 s less a scheduling slack; no upper bound on a loaded machine).
    assert.ok(Date.now() - t1 >= 2000, `3 runs in ${Date.now() - t1} ms`);
    const log = b.log();
    assert.match(log, /crond\[\d+\]: job tick: "\* \* \* \* \* \*" \(UTC\), next run \d{4}-/);
    assert.match(log, /crond\[\d+\]: job tick: started \(pid \d+, scheduled\)/);
    assert.match(log, /crond\[\d+\]: job tick: ended \(pid \d+\) exited with status 4 after \d+ ms/);
    assert.match(log, /tick\[\d+\]: tick-out/);
    // crond logs synchronously, and before the spawn: a run's start comes before its output.
    const recs = b.records();
    const started = recs.findIndex((r) => r.tag === 'crond' && r.msg.startsWith('job tick: starting'));
    const output = recs.findIndex((r) => r.tag === 'tick');
    assert.ok(started >= 0 && started < output, 'start logged before the output');
    const st = await b.status('crond');
    assert.equal(st.state, 'running');
    assert.equal(st.system, true);
  });

  it('skips a run while the previous one still runs, unless overlap is allowed', async () => {
    const b = await start(manifest({
      cron: [
        cronJob('long', { command: 'echo s >> /var/long; sleep 2.5' }),
        cronJob('many', { command: 'echo s >> /var/many; sleep 4.5', overlap: true }),
      ],
    }));
    await until(() => count(b.log(), /job long: scheduled run skipped/g) >= 2, 'skips', 20_000, b.log);
    await until(() => b.read('/var/many').split('\n').length >= 4, 'overlapping runs', 20_000, b.log);
    // The runs' own lines reach /var first; crond's log lines come through syslogd.
    await until(() => count(b.log(), /job many: started/g) >= 3, 'three starts of many logged', 20_000, b.log);
    const log = b.log();
    assert.match(log, /job long: scheduled run skipped: the previous run \(pid \d+\) is still running/);
    // Two runs of `long` never overlap: each start follows the previous end.
    const events = [...log.matchAll(/job long: (started|ended)/g)].map((m) => m[1]);
    for (let i = 1; i < events.length; i++) assert.ok(!(events[i] === 'started' && events[i - 1] === 'started'), `overlap in ${events.join(',')}`);
    assert.equal(count(log, /job many: scheduled run skipped/g), 0);
    // `many` had runs at once: three starts before its first end (4.5 s after the first start).
    const many = [...log.matchAll(/job many: (started|ended)/g)].map((m) => m[1]);
    assert.deepEqual(many.slice(0, 3), ['started', 'started', 'started'], many.join(','));
  });

  it('@reboot runs once at start; a job runs as its uid; a bad schedule is logged and skipped', async () => {
    const b = await start(manifest({
      cron: [
        cronJob('boot', { schedule: '@reboot', command: 'id -u >> /tmp/boot' }),
        cronJob('user', { schedule: '* * * * * *', command: 'id -u > /tmp/user.$$', uid: 1234, gid: 1234 }),
        cronJob('broken', { schedule: '61 * * * *' }),
      ],
    }));
    await until(() => b.log().includes('job user: ended'), 'user job', 20_000, b.log);
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(b.read('/tmp/boot'), '0\n', 'once, as root');
    assert.match(b.log(), /job broken: bad schedule "61 \* \* \* \*"/);
    assert.match(b.log(), /job boot: started \(pid \d+, @reboot\)/);
    const pid = Number(/job user: started \(pid (\d+)/.exec(b.log())![1]);
    await until(() => b.read(`/tmp/user.${pid}`), 'user output', 20_000, b.log);
    assert.equal(b.read(`/tmp/user.${pid}`), '1234\n');
  });

  it('a stopped crond ends its running jobs', async () => {
    const b = await start(manifest({ cron: [cronJob('sleeper', { command: 'sleep 100' })] }));
    await until(() => b.log().includes('job sleeper: started'), 'a run', 20_000, b.log);
    b.kernel.kill(1, 15);
    assert.equal((await b.init.exited).code, 0);
    assert.match(b.log(), /crond\[\d+\]: SIGTERM: stopping; ending 1 running job/);
    assert.match(b.log(), /job sleeper: ended \(pid \d+\) killed by SIGTERM/);
  });
});
