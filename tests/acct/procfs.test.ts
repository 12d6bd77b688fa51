// procfs (issue 8, item 2): Linux's formats where a Linux tool parses them, generated at open,
// environ for its owner only, fd links, read-only.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Kernel } from '../../src/kernel/kernel.ts';
import { boot, ROOT, sh } from './harness.ts';

let k: Kernel;
before(async () => {
  k = await boot();
});
after(async () => {
  await k.shutdown();
});

describe('procfs', () => {
  it('procfs-stat: /proc/PID/stat has the 52 fields of proc(5), comm in parentheses, times in ticks', async () => {
    // the sleeper is read once it sleeps (a loaded machine may not have run it that far yet)
    const r = await sh(k, 'sleep 5 & until grep -q "^State:.S" /proc/$!/status; do sleep 0.01; done; cat /proc/$!/stat; cat /proc/self/stat; kill $!');
    assert.equal(r.status, 0, r.err);
    const [sleeper, self] = r.out.trim().split('\n');
    for (const line of [sleeper!, self!]) {
      // As procps parses it: the comm is between the first '(' and the last ')'.
      const close = line.lastIndexOf(')');
      const rest = line.slice(close + 2).split(' ');
      assert.equal(2 + rest.length, 52, line);
      assert.ok(rest.every((f) => /^-?\d+$/.test(f) || /^[RSDZTX]$/.test(f)), line);
    }
    assert.match(sleeper!, /^\d+ \(sleep\) S \d+ /);
    assert.match(self!, /^\d+ \(cat\) R /);
    const f = sleeper!.slice(sleeper!.lastIndexOf(')') + 2).split(' ');
    assert.equal(Number(f[23 - 3]) > 0, true, 'vsize'); // field 23
    assert.equal(Number(f[24 - 3]) > 0, true, 'rss pages'); // field 24
  });

  it('procfs-status-io-limits: keyed files as Linux tools read them', async () => {
    const r = await sh(k, 'cat /proc/self/status; echo ---; cat /proc/self/io; echo ---; cat /proc/self/limits; echo ---; cat /proc/self/wchan; echo');
    assert.equal(r.status, 0, r.err);
    const [status, io, limits, wchan] = r.out.split('---\n');
    for (const key of ['Name', 'State', 'Pid', 'PPid', 'Uid', 'VmSize', 'VmRSS', 'VmHWM', 'Threads', 'SigBlk', 'voluntary_ctxt_switches']) {
      assert.match(status!, new RegExp(`^${key}:\\t`, 'm'), key);
    }
    assert.match(status!, /^State:\tR \(running\)$/m);
    assert.match(status!, /^VmRSS:\s+\d+ kB$/m);
    assert.deepEqual(io!.trim().split('\n').map((l) => l.split(':')[0]),
      ['rchar', 'wchar', 'syscr', 'syscw', 'read_bytes', 'write_bytes', 'cancelled_write_bytes']);
    assert.match(limits!, /^Limit {21}Soft Limit {11}Hard Limit {11}Units$/m);
    assert.match(limits!, /^Max open files {12}1024 {17}4096 {17}files$/m);
    assert.equal(wchan!.trim(), '0');
  });

  it('procfs-kernel-files: loadavg, uptime, stat, meminfo', async () => {
    const r = await sh(k, 'cat /proc/loadavg /proc/uptime; head -1 /proc/stat; grep -c . /proc/meminfo; grep MemTotal /proc/meminfo; grep -E "^(ctxt|processes|procs_running|btime) " /proc/stat | wc -l');
    assert.equal(r.status, 0, r.err);
    const [load, up, cpu, memLines, memTotal, statKeys] = r.out.trim().split('\n');
    assert.match(load!, /^\d+\.\d\d \d+\.\d\d \d+\.\d\d [1-9]\d*\/\d+ \d+$/);
    assert.match(up!, /^\d+\.\d\d \d+\.\d\d$/);
    assert.match(cpu!, /^cpu {2}(\d+ ){9}\d+$/);
    assert.ok(Number(memLines) >= 10);
    assert.match(memTotal!, /^MemTotal:\s+\d+ kB$/);
    assert.equal(statKeys!.trim(), '4');
  });

  it('procfs-environ: readable by its owner and root, EACCES for others', async () => {
    const own = await sh(k, 'cat /proc/self/environ | tr "\\0" "\\n"', { env: ['SECRET=1'] });
    assert.match(own.out, /^SECRET=1$/m);
    const root = await sh(k, 'sleep 5 & cat /proc/$!/environ | tr "\\0" "\\n"; kill $!', { env: ['SECRET=2'] });
    assert.match(root.out, /^SECRET=2$/m);
    // A process of uid 1000 reading root's: refused; its own cmdline is world-readable.
    const sleeper = k.spawn({ program: `${ROOT}userland/bin/sleep`, args: ['sleep', '5'], env: ['SECRET=3'], stdio: ['null', 'null', 'null'] });
    const other = await sh(k, `cat /proc/${sleeper.pid}/environ; echo rc=$?; cat /proc/${sleeper.pid}/cmdline | tr "\\0" " "`, { uid: 1000 });
    k.kill(sleeper.pid, 9);
    assert.match(other.err, /Permission denied/);
    assert.match(other.out, /rc=1/);
    assert.doesNotMatch(other.out, /SECRET/);
    assert.match(other.out, /sleep 5 $/m);
  });

  it('procfs-fd: links name paths, pipes and captures; /proc/self is the caller', async () => {
    const link = (path: string) => `ls -l ${path} | sed 's/.* -> //'`;
    const r = await sh(k, `echo hi > /tmp/x; exec 5</tmp/x; ls /proc/self/fd | tr "\\n" " "; echo; ${link('/proc/self/fd/5')}; ${link('/proc/self/fd/0')}; echo | ls -l /proc/self/fd/0 | sed 's/.* -> //'; ${link('/proc/self')}`);
    assert.equal(r.status, 0, r.err);
    const [list, five, zero, pipe, self] = r.out.trim().split('\n');
    assert.match(list!, /\b5\b/);
    assert.equal(five, '/tmp/x');
    assert.equal(zero, '/dev/null');
    assert.match(pipe!, /^pipe:\[\d+\]$/);
    assert.match(self!, /^\d+$/);
  });

  it('procfs-snapshot-readonly: contents fixed per open; nothing writable', async () => {
    const r = await sh(k, 'echo x > /proc/self/stat; echo rc=$?; echo x > /proc/newfile; echo rc=$?; mkdir /proc/d; echo rc=$?; cat /proc/99999/stat; echo rc=$?');
    assert.equal(r.out.trim().split('\n').filter((l) => l === 'rc=1' || l === 'rc=2').length, 4, r.out + r.err);
    assert.match(r.err, /Permission denied/);
    assert.match(r.err, /No such file/);
  });

  it('procfs-syscalls-acct: isokernel\'s own files', async () => {
    const r = await sh(k, 'cat /proc/self/syscalls; echo ---; cat /proc/self/acct');
    const [calls, acct] = r.out.split('---\n');
    // Made at open: the open itself is counted, not yet timed; what came before, both.
    assert.match(calls!, /^path_open 1 \d+$/m);
    assert.match(calls!, /^args_sizes_get 1 [1-9]\d*$/m);
    for (const key of ['cpu_ns', 'user_ns', 'sys_ns', 'syscalls', 'mem_bytes', 'rss_bytes', 'read_file', 'write_pipe', 'state', 'wchan']) {
      assert.match(acct!, new RegExp(`^${key} `, 'm'), key);
    }
  });

  it('procfs-tools-launchers: bin/NAME imports userland/tools/NAME.ts where the kernel serves it', () => {
    for (const name of ['ps', 'top', 'free', 'uptime', 'vmstat', 'iostat', 'iotop']) {
      assert.match(readFileSync(`${ROOT}userland/bin/${name}`, 'utf8'), new RegExp(`^import '/usr/lib/isokernel/tools/${name}\\.ts';$`, 'm'), name);
    }
  });
});
