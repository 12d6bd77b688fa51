// The operator's tools inside the kernel (issue 8, item 3): ps, top -b, free, uptime, vmstat,
// iostat, iotop -b, their columns as a Linux user (or script) reads them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kernel } from '../../src/kernel/kernel.ts';
import { boot, sh } from './harness.ts';

let k: Kernel;
before(async () => {
  k = await boot();
});
after(async () => {
  await k.shutdown();
});

const cells = (line: string) => line.trim().split(/\s+/);

describe('tools', () => {
  it('ps-aux-ef: BSD and System V forms, every process, their columns', async () => {
    const r = await sh(k, 'sleep 5 & ps aux; echo ---; ps -ef; kill $!');
    assert.equal(r.status, 0, r.err);
    const [aux, ef] = r.out.split('---\n');
    const a = aux!.trim().split('\n');
    assert.deepEqual(cells(a[0]!), ['USER', 'PID', '%CPU', '%MEM', 'VSZ', 'RSS', 'TTY', 'STAT', 'START', 'TIME', 'COMMAND']);
    const sleep = a.find((l) => l.endsWith('sleep 5'))!;
    assert.ok(sleep, aux);
    const c = cells(sleep);
    assert.equal(c[0], 'root');
    assert.match(c[7]!, /^S/);
    assert.match(c[9]!, /^\d\d:\d\d:\d\d$/);
    const e = ef!.trim().split('\n');
    assert.deepEqual(cells(e[0]!), ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']);
    assert.ok(e.some((l) => /^root\s+\d+\s+\d+\s+\d+\s+\S+\s+\?\s+\d\d:\d\d:\d\d sleep 5$/.test(l)), ef);
  });

  it('ps-o-sort: chosen fields, renamed headers, ordering, a pid list', async () => {
    const r = await sh(k, 'sleep 5 & sleep 6 & ps -e -o pid,ppid,stat,wchan,comm=NAME --sort=-pid; echo ---; ps -p $! -o pid=,args=; echo rc=$?; ps -p 99999; echo rc=$?; ps -o bogus; echo rc=$?; kill $! %1');
    const [sorted, rest] = r.out.split('---\n');
    const lines = sorted!.trim().split('\n');
    assert.deepEqual(cells(lines[0]!), ['PID', 'PPID', 'STAT', 'WCHAN', 'NAME']);
    const pids = lines.slice(1).map((l) => Number(cells(l)[0]));
    assert.deepEqual(pids, [...pids].sort((x, y) => y - x));
    assert.ok(lines.some((l) => /\bS\s+poll_oneoff\s+sleep$/.test(l)), sorted);
    assert.match(rest!, /^\s*\d+ sleep 6\nrc=0\n/);
    assert.match(rest!, /rc=1\n[\s\S]*rc=1/);
    assert.match(r.err, /unknown user-defined format specifier "bogus"/);
  });

  it('top-batch: header with uptime, load, tasks, memory, then the processes', async () => {
    const r = await sh(k, 'sleep 5 & top -b -n 2 -d 0.2; kill $!');
    assert.equal(r.status, 0, r.err);
    const frames = r.out.trim().split(/\n\n(?=top - )/);
    assert.equal(frames.length, 2, r.out);
    const f = frames[1]!.split('\n');
    assert.match(f[0]!, /^top - \d\d:\d\d:\d\d up .*load average: \d+\.\d\d, \d+\.\d\d, \d+\.\d\d$/);
    assert.match(f[1]!, /^Tasks: +\d+ total, +\d+ running, +\d+ sleeping, +\d+ stopped, +\d+ zombie$/);
    assert.match(f[2]!, /^%Cpu\(s\):/);
    assert.match(f[3]!, /^MiB Mem :/);
    assert.deepEqual(cells(f[6]!), ['PID', 'USER', 'PR', 'NI', 'VIRT', 'RES', 'SHR', 'S', '%CPU', '%MEM', 'TIME+', 'COMMAND']);
    assert.ok(f.some((l) => / S +\d+\.\d +\d+\.\d +\d+:\d\d\.\d\d sleep$/.test(l)), frames[1]);
  });

  it('free-uptime-vmstat-iostat-iotop: formats', async () => {
    const r = await sh(k, 'free; echo ===; uptime; echo ===; vmstat 1 2; echo ===; iostat -d; echo ===; iotop -b -n 1');
    assert.equal(r.status, 0, r.err);
    const [free, up, vm, io, iotop] = r.out.split('===\n');
    const fl = free!.trim().split('\n');
    assert.deepEqual(cells(fl[0]!), ['total', 'used', 'free', 'shared', 'buff/cache', 'available']);
    assert.match(fl[1]!, /^Mem: +(\d+ +){5}\d+$/);
    assert.match(up!, /^ \d\d:\d\d:\d\d up .*, +0 users, +load average: [\d.]+, [\d.]+, [\d.]+\n$/);
    const vl = vm!.trim().split('\n');
    assert.equal(vl.length, 4, vm);
    assert.equal(cells(vl[1]!).length, 18);
    assert.ok(vl.slice(2).every((l) => cells(l).length === 18 && cells(l).every((x) => /^\d+$/.test(x))), vm);
    assert.match(io!, /^Device +tps +kB_read\/s +kB_wrtn\/s +kB_read +kB_wrtn$/m);
    assert.match(iotop!, /^Total DISK READ: .* \| Total DISK WRITE: /);
    assert.match(iotop!, /PID +USER +DISK READ +DISK WRITE +I\/O READ +I\/O WRITE +COMMAND/);
  });

  it('tools-errors: bad options get a message and status 1', async () => {
    const r = await sh(k, 'ps -Z; echo rc=$?; top -d x; echo rc=$?; free -q; echo rc=$?; vmstat x; echo rc=$?');
    assert.equal(r.out.trim().split('\n').filter((l) => l === 'rc=1').length, 4, r.out + r.err);
    assert.match(r.err, /^ps: unsupported option -Z/m);
    assert.match(r.err, /^top: bad delay interval/m);
  });
});
