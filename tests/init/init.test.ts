// init (PID 1, userland/sbin/init.ts): dependency order, readiness, restarts with backoff, the
// crash-loop limit, orphan reaping, stop in reverse order with a grace period then SIGKILL,
// the service requests it serves on fd 3/4, and ids and limits given to services. Each test
// boots a kernel with init and a manifest (harness.ts). Services are /bin/sh scripts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootEach, type Booted, manifest, service, until } from './harness.ts';

const start = bootEach();
const sh = (script: string) => ({ program: '/bin/sh', args: ['-c', script] });
const logged = (b: Booted, re: RegExp) => until(() => re.test(b.log()), `log ${re}`, 20_000, b.log);

describe('init: start order and readiness', () => {
  it('starts services when their dependencies are ready (file and command readiness)', async () => {
    const b = await start(manifest({
      services: [
        // c is listed first: order comes from depends_on, not from the manifest's order.
        service('c', { ...sh('echo c >> /var/order; exec sleep 1000'), dependsOn: ['b'] }),
        service('a', { ...sh('echo a >> /var/order; sleep 0.4; touch /tmp/a.ready; exec sleep 1000'), readiness: { type: 'file', path: '/tmp/a.ready', timeoutMs: 20_000 } }),
        service('b', {
          ...sh('test -e /tmp/a.ready && echo b >> /var/order; sleep 0.3; touch /tmp/b.ok; exec sleep 1000'), dependsOn: ['a'],
          readiness: { type: 'command', command: 'test -e /tmp/b.ok', intervalMs: 50, timeoutMs: 20_000 },
        }),
      ],
    }));
    await until(async () => (await b.status('c')).state === 'running', 'c running', 30_000, b.log);
    assert.equal(b.read('/var/order'), 'a\nb\nc\n', b.log());
    // init logs asynchronously: its lines may follow the state by a little.
    await logged(b, /service a ready/);
    await logged(b, /service b ready/);
  });

  it('tcp readiness: ready when its port accepts a connection inside the kernel', async () => {
    // A JS service that listens after 400 ms.
    const listener = `const isk = require('isokernel'); setTimeout(() => { const fd = isk.socket('inet', 'stream');
      isk.bind(fd, { address: '127.0.0.1', port: 17070 }); isk.listen(fd, 16); console.log('listening');
      (async () => { for (;;) isk.close((await isk.promises.accept(fd)).fd); })(); }, 400);`;
    const b = await start(manifest({
      services: [
        service('srv', { program: 'node', args: ['-e', listener], readiness: { type: 'tcp', port: 17070, timeoutMs: 20_000 } }),
        service('client', { ...sh('echo client >> /var/order; exec sleep 1000'), dependsOn: ['srv'] }),
        service('deaf', { readiness: { type: 'tcp', port: 17071, timeoutMs: 500 }, stopTimeoutMs: 300 }),
      ],
    }));
    await until(async () => (await b.status('client')).state === 'running', 'client running', 20_000, b.log);
    await until(() => b.log().includes('service client started'), 'the log line', 20_000, b.log);
    const log = b.log();
    assert.match(log, /srv\[\d+\]: listening/);
    assert.ok(log.indexOf('service srv ready') < log.indexOf('service client started'), log);
    const deaf = await until(async () => { const s = await b.status('deaf'); return s.state === 'failed' && s; }, 'deaf failed', 20_000, b.log);
    assert.match(deaf.reason ?? '', /not ready after 500 ms \(tcp port 17071\)/);
  });

  it('a service not ready within its timeout is stopped and fails (restart no); its dependents fail', async () => {
    const b = await start(manifest({
      services: [
        service('slow', { readiness: { type: 'file', path: '/tmp/never', timeoutMs: 300 }, stopTimeoutMs: 500 }),
        service('after', { dependsOn: ['slow'] }),
      ],
    }));
    const s = await until(async () => { const s = await b.status('slow'); return s.state === "failed" && s; }, 'slow failed', 20_000, b.log);
    assert.match(s.reason ?? '', /not ready after 300 ms/);
    const a = await until(async () => { const s = await b.status('after'); return s.state === "failed" && s; }, 'after failed', 20_000, b.log);
    assert.match(a.reason ?? '', /dependency slow failed/);
    assert.equal(a.pid, null);
  });

  it('refuses unknown dependencies and cycles without starting them', async () => {
    const b = await start(manifest({
      services: [
        service('x', { dependsOn: ['y'] }), service('y', { dependsOn: ['x'] }),
        service('lost', { dependsOn: ['nowhere'] }), service('fine'),
        { ...service('bad'), restart: 'sometimes' as never }, service('needs-bad', { dependsOn: ['bad'] }),
      ],
    }));
    await until(async () => (await b.status('fine')).state === 'running', 'fine running', 20_000, b.log);
    assert.match((await b.status('bad')).reason ?? '', /bad manifest entry: restart: expected no, on-failure or always/);
    assert.match((await b.status('needs-bad')).reason ?? '', /dependency bad failed/);
    const again = await b.service('start', 'bad');
    assert.equal(again.ok, false);
    assert.match(again.error!, /cannot start/);
    assert.match((await b.status('x')).reason ?? '', /dependency cycle: x -> y -> x/);
    assert.equal((await b.status('y')).state, 'failed');
    assert.match((await b.status('lost')).reason ?? '', /unknown service nowhere/);
  });
});

describe('init: restarts', () => {
  it('restarts a failing service with exponential backoff, then marks it failed (crash loop)', async () => {
    const t0 = Date.now();
    const b = await start(manifest({
      services: [service('crashy', {
        ...sh('echo run >> /var/runs; exit 3'), restart: 'on-failure',
        backoffMs: { initial: 100, max: 400 }, crashLoop: { maxRestarts: 4, windowMs: 60_000 },
      })],
    }));
    const s = await until(async () => { const s = await b.status('crashy'); return s.state === "failed" && s; }, 'crash loop', 30_000, b.log);
    await logged(b, /service crashy failed/);
    // 100 + 200 + 400 + 400 ms of backoff at least.
    assert.ok(Date.now() - t0 >= 1100, `failed too soon: ${Date.now() - t0} ms`);
    assert.equal(s.restarts, 4);
    assert.deepEqual(s.lastExit, { code: 3, signal: null });
    assert.match(s.reason ?? '', /crash loop: 4 restarts within 60000 ms/);
    assert.equal(b.read('/var/runs'), 'run\n'.repeat(5));
    const delays = [...b.log().matchAll(/service crashy restarting in (\S+)/g)].map((m) => m[1]);
    assert.deepEqual(delays, ['100ms', '200ms', '400ms', '400ms']);
    assert.match(b.log(), /service crashy \(pid \d+\) exited with status 3/);
  });

  it('policies: on-failure leaves a clean exit alone, always restarts it, no never restarts', async () => {
    const fast = { backoffMs: { initial: 20, max: 20 }, crashLoop: { maxRestarts: 2, windowMs: 60_000 } };
    const b = await start(manifest({
      services: [
        service('clean', { ...sh('exit 0'), restart: 'on-failure', ...fast }),
        service('again', { ...sh('echo x >> /var/again; exit 0'), restart: 'always', ...fast }),
        service('once', { ...sh('exit 9'), restart: 'no', ...fast }),
      ],
    }));
    const clean = await until(async () => { const s = await b.status('clean'); return s.state === 'stopped' && s; }, 'clean stopped', 20_000, b.log);
    assert.equal(clean.restarts, 0);
    const again = await until(async () => { const s = await b.status('again'); return s.state === "failed" && s; }, 'again failed', 20_000, b.log);
    assert.equal(again.restarts, 2);
    assert.equal(b.read('/var/again'), 'x\n'.repeat(3));
    const once = await until(async () => { const s = await b.status('once'); return s.state === "failed" && s; }, 'once failed', 20_000, b.log);
    assert.equal(once.restarts, 0);
    assert.deepEqual(once.lastExit, { code: 9, signal: null });
  });

  it('a missing program is a failure with status 127', async () => {
    const b = await start(manifest({ services: [service('ghost', { program: '/bin/no-such-program', args: [] })] }));
    const s = await until(async () => { const s = await b.status('ghost'); return s.state === "failed" && s; }, 'ghost failed', 20_000, b.log);
    assert.deepEqual(s.lastExit, { code: 127, signal: null });
    await logged(b, /cannot start \/bin\/no-such-program/);
  });
});

describe('init: processes', () => {
  it('reaps orphans re-parented to PID 1', async () => {
    const b = await start(manifest({ services: [service('parent', { ...sh('exec sleep 1000') })] }));
    const parent = await until(async () => (await b.status('parent')).pid, 'parent running', 20_000, b.log);
    const t = await b.kernel.findProgram('/bin/sh', ['sh', '-c', 'sleep 0.3; exit 7']);
    const orphan = b.kernel.spawn({ program: t.program, args: t.argv, ppid: parent, stdio: ['null', 'null', 'null'] });
    b.kernel.kill(parent, 9);
    await orphan.exited;
    await until(() => b.log().includes(`reaped orphan pid ${orphan.pid} (status 7)`), 'orphan reaped', 20_000, b.log);
    assert.equal(b.kernel.procs.has(orphan.pid), false, 'the zombie is gone');
    assert.equal(orphan.ppid, 1);
  });

  it('gives a service its uid, gid, limits, env and cwd; its stdio goes to the log under its name', async () => {
    const b = await start(manifest({
      services: [service('who', {
        ...sh('id; ulimit -n; echo "$GREETING from $(pwd)"; echo oops >&2; exec sleep 1000'), uid: 1000, gid: 1001,
        limits: { openFiles: 77 }, env: { GREETING: 'hello' }, cwd: '/tmp',
      })],
    }));
    const pid = await until(async () => (await b.status('who')).pid, 'who running', 20_000, b.log);
    const p = b.kernel.procs.get(pid)!;
    assert.equal(p.uid, 1000);
    assert.equal(p.gid, 1001);
    assert.equal(p.limits.openFiles, 77);
    assert.equal(p.sid, pid, 'a session of its own');
    await until(() => b.log().includes('who['), 'service output', 20_000, b.log);
    await until(() => b.log().includes('oops'), 'service output', 20_000, b.log);
    assert.match(b.log(), /who\[\d+\]: uid=1000\(1000\) gid=1001\(1001\)/);
    assert.match(b.log(), /who\[\d+\]: 77/);
    assert.match(b.log(), /who\[\d+\]: oops/);
  });

  it('on SIGTERM stops services in reverse dependency order, SIGKILL after the grace period, and exits 0', async () => {
    const b = await start(manifest({
      services: [
        service('db', { ...sh("trap 'echo db-term >> /var/stop; exit 0' TERM; while :; do sleep 0.05; done"), stopTimeoutMs: 5000 }),
        // Ignores SIGTERM (the trap does not exit): killed after 500 ms.
        service('app', { ...sh("trap 'echo app-term >> /var/stop' TERM; while :; do sleep 0.05; done"), dependsOn: ['db'], stopTimeoutMs: 500 }),
        service('web', { ...sh("trap 'echo web-term >> /var/stop; exit 0' TERM; while :; do sleep 0.05; done"), dependsOn: ['app'] }),
      ],
    }));
    await until(async () => (await b.status('web')).state === 'running', 'web running', 20_000, b.log);
    await new Promise((r) => setTimeout(r, 200)); // the traps are set
    const t0 = Date.now();
    b.kernel.kill(1, 15);
    const st = await b.init.exited;
    assert.equal(st.code, 0, b.log());
    assert.ok(Date.now() - t0 >= 500, 'app had its grace period');
    assert.deepEqual(b.read('/var/stop').trim().split('\n'), ['web-term', 'app-term', 'db-term'], b.log());
    assert.match(b.log(), /service app still running 500 ms after SIGTERM: SIGKILL/);
    assert.match(b.log(), /service app \(pid \d+\) killed by SIGKILL/);
    const live = [...b.kernel.procs.values()].filter((p) => !p.exitStatus && p.pid !== 1);
    assert.deepEqual(live.map((p) => p.argv.join(' ')), [], 'nothing of the services is left');
  });
});

describe('init: PID 1', () => {
  it('runs with a partial manifest (missing lists), and without one', async () => {
    const b = await start({ name: 'partial', version: '1', services: [service('a')] } as never);
    await until(async () => (await b.status('a')).state === 'running', 'a running', 20_000, b.log);
    const n = await start('not a manifest' as never);
    await until(() => n.log().includes('running without services'), 'the complaint', 20_000, n.log);
    assert.deepEqual((await n.service('status')).services, []);
    assert.equal(n.init.exitStatus, null);
  });

  it('survives signals whose default action would end it', async () => {
    const b = await start(manifest({ services: [service('a')] }));
    await until(async () => (await b.status('a')).state === 'running', 'a running', 20_000, b.log);
    for (const sig of [1, 3, 10, 12, 14]) b.kernel.kill(1, sig);
    await until(() => b.log().includes('SIGALRM ignored'), 'signals logged', 20_000, b.log);
    assert.equal(b.init.exitStatus, null);
    assert.equal((await b.status('a')).state, 'running');
    assert.match(b.log(), /SIGHUP ignored/);
  });
});

describe('init: service requests (fd 3 / fd 4)', () => {
  it('status, stop, start, restart; errors for unknown names and actions', async () => {
    const b = await start(manifest({ services: [service('a'), service('b', { dependsOn: ['a'] })] }));
    await until(async () => (await b.status('b')).state === 'running', 'b running', 20_000, b.log);
    const all = await b.service('status');
    assert.deepEqual(all.services!.map((s) => [s.name, s.state]), [['a', 'running'], ['b', 'running']]);

    const pid1 = (await b.status('b')).pid!;
    const stopped = await b.service('stop', 'b');
    assert.equal(stopped.ok, true);
    assert.equal(stopped.services![0]!.state, 'stopped');
    assert.ok(!b.kernel.procs.has(pid1) || b.kernel.procs.get(pid1)!.exitStatus, 'b\'s process ended');

    assert.equal((await b.service('start', 'b')).ok, true);
    const pid2 = await until(async () => { const s = await b.status('b'); return s.state === 'running' && s.pid; }, 'b again', 20_000, b.log);
    assert.notEqual(pid2, pid1);

    await b.service('restart', 'b');
    const pid3 = await until(async () => { const s = await b.status('b'); return s.state === 'running' && s.pid; }, 'b restarted', 20_000, b.log);
    assert.notEqual(pid3, pid2);

    // reload: SIGHUP to the main process (a shell that traps it here).
    const hup = await start(manifest({ services: [service('hup', sh("trap 'echo reloaded >> /var/hup' HUP; while :; do sleep 0.05; done"))] }));
    await until(async () => (await hup.status('hup')).state === 'running', 'hup running', 20_000, hup.log);
    await new Promise((r) => setTimeout(r, 200)); // the trap is set
    assert.equal((await hup.service('reload', 'hup')).ok, true);
    await until(() => hup.read('/var/hup') === 'reloaded\n', 'reloaded', 20_000, hup.log);
    assert.equal((await hup.status('hup')).state, 'running');
    await hup.service('stop', 'hup');
    assert.match((await hup.service('reload', 'hup')).error!, /hup is stopped, not running/);

    // b depends on a: a stopped, b cannot be started.
    await b.service('stop', 'b');
    await b.service('stop', 'a');
    const refused = await b.service('start', 'b');
    assert.equal(refused.ok, false);
    assert.match(refused.error!, /depends on a, which is stopped/);

    assert.match((await b.service('status', 'nope')).error!, /no service nope/);
    assert.match((await b.service('explode', 'a')).error!, /unknown action/);
    assert.match((await b.service('start')).error!, /needs a service name/);
  });

  it('a failed (crash-looped) service starts again on request, its counters reset', async () => {
    const b = await start(manifest({
      services: [service('flaky', {
        ...sh('test -e /tmp/fixed || exit 1; exec sleep 1000'), restart: 'always',
        backoffMs: { initial: 10, max: 10 }, crashLoop: { maxRestarts: 1, windowMs: 60_000 },
      })],
    }));
    await until(async () => (await b.status('flaky')).state === 'failed', 'flaky failed', 20_000, b.log);
    const t = await b.kernel.findProgram('/bin/touch', ['touch', '/tmp/fixed']);
    await b.kernel.spawn({ program: t.program, args: t.argv, stdio: ['null', 'null', 'null'] }).exited;
    assert.equal((await b.service('start', 'flaky')).ok, true);
    await until(async () => (await b.status('flaky')).state === 'running', 'flaky running', 20_000, b.log);
  });
});
