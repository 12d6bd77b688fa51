// strace's decoding (userland/sbin/lib/strace/): strings quoted as strace quotes them, flag
// and signal names, wait statuses, -e filters, the -c table's layout, and <unfinished ...>
// / resumed across interleaved records.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Formatter, quote, summaryTable, traceFilter, wstatus } from '../../userland/sbin/lib/strace/format.ts';
import * as N from '../../userland/sbin/lib/strace/names.ts';
import { LineBytes } from '../../userland/sbin/lib/strace/out.ts';
import type { TraceRecord } from '../../userland/sbin/lib/strace/records.ts';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('strace decoding', () => {
  it('quotes bytes as strace does: escapes, octal, cut', () => {
    assert.equal(quote(bytes('a"b\\c\n\t'), false), '"a\\"b\\\\c\\n\\t"');
    assert.equal(quote(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0x31, 1]), false), '"\\177ELF\\0001\\1"');
    assert.equal(quote(bytes('abc'), true), '"abc"...');
  });

  it('writes lines as bytes: numbers as String() prints them, non-ASCII as UTF-8, growing as needed', () => {
    const b = new LineBytes();
    const nums = [0, 7, 9, 10, 99, 100, -1, -10, 2147483647, -2147483648, 4294967295, 1e12, -(2 ** 40), 12345678];
    for (const v of nums) {
      b.int(v);
      b.byte(0x20);
    }
    b.str('é\u2603 ok');
    assert.equal(new TextDecoder().decode(b.view()), nums.map(String).join(' ') + ' é\u2603 ok');
    b.clear();
    const long = 'x'.repeat(3 << 20);
    b.str(long);
    b.bytes(new Uint8Array([0x41]));
    assert.equal(b.n, (3 << 20) + 1);
    assert.equal(b.view()[3 << 20], 0x41);
  });

  it('names flags, signals, errnos and wait statuses', () => {
    assert.equal(N.flags(N.OFLAGS, 1 | 8), 'O_CREAT|O_TRUNC');
    assert.equal(N.flags(N.OFLAGS, 0), '0');
    assert.equal(N.flags(N.OFLAGS, 0x31), 'O_CREAT|0x30');
    assert.equal(N.flags(N.RIGHTS, 2n | 64n), 'FD_READ|FD_WRITE');
    assert.equal(N.sigset((1 << 1) | (1 << 14)), '[INT TERM]');
    assert.equal(N.signalName(9), 'SIGKILL');
    assert.equal(N.signalNumber('term'), 15);
    assert.equal(N.errnoName(44), 'ENOENT');
    assert.equal(N.errnoText(44), 'No such file or directory');
    assert.equal(N.ERRNOS.length, 77);
    assert.equal(wstatus(3 << 8), '{WIFEXITED(s) && WEXITSTATUS(s) == 3}');
    assert.equal(wstatus(9), '{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}');
    assert.equal(wstatus(0x8b), '{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}');
    assert.equal(wstatus((19 << 8) | 0x7f), '{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}');
  });

  it('filters by name, class and negation', () => {
    const classes = (c: string) => (c === 'file' ? new Set(['path_open']) : c === 'desc' ? new Set(['fd_read', 'fd_write']) : null);
    const known = () => ['path_open', 'fd_read', 'fd_write', 'spawn'];
    const f = traceFilter('trace=%file,spawn', classes, known);
    assert.deepEqual(known().filter(f), ['path_open', 'spawn']);
    const g = traceFilter('!desc', classes, known);
    assert.deepEqual(known().filter(g), ['path_open', 'spawn']);
    assert.throws(() => traceFilter('nope', classes, known)('x'), /invalid system call 'nope'/);
  });

  it('lays out the -c table as strace -c', () => {
    const t = summaryTable(new Map([['fd_write', { calls: 4, errors: 0, ms: 0.3 }], ['path_open', { calls: 2, errors: 1, ms: 0.1 }]]));
    assert.equal(t, [
      '% time     seconds  usecs/call     calls    errors syscall',
      '------ ----------- ----------- --------- --------- ----------------',
      ' 75.00    0.000300          75         4           fd_write',
      ' 25.00    0.000100          50         2         1 path_open',
      '------ ----------- ----------- --------- --------- ----------------',
      '100.00    0.000400          67         6         1 total',
      '',
    ].join('\n'));
  });

  it('prints <unfinished ...> and resumed when another process comes between', () => {
    const out: string[] = [];
    const f = new Formatter({}, (l) => out.push(l), () => {});
    const base = { tid: 0, time: 0 };
    const rec: TraceRecord[] = [
      { type: 'schema', pid: 1, ...base, schema: { version: 1, strsize: 32, calls: [
        { module: 'isokernel', name: 'wait', kinds: ['pid', 'waitopts', 'owstatus', 'ret_pid'], returnsValue: false },
        { module: 'wasi_snapshot_preview1', name: 'fd_close', kinds: ['fd'], returnsValue: false },
      ] } },
      { type: 'attached', pid: 2, ...base, ppid: 1, how: 'spawned', wchan: 0xffff },
      { type: 'attached', pid: 3, ...base, ppid: 2, how: 'follow', wchan: 0xffff },
      { type: 'enter', pid: 2, ...base, call: 0, args: [3n, 0n, 100n, 104n], caps: new Map() },
      { type: 'enter', pid: 3, ...base, call: 1, args: [5n], caps: new Map() },
      { type: 'exit', pid: 3, ...base, call: 1, t0: 0, result: 8, resumed: false, args: [5n], caps: new Map() },
      { type: 'exited', pid: 3, ...base, code: 0, signal: 0, core: false },
      {
        type: 'exit', pid: 2, ...base, call: 0, t0: 0, result: 0, resumed: false, args: [3n, 0n, 100n, 104n],
        caps: new Map([[3, { flags: 0, full: 4, data: new Uint8Array([3, 0, 0, 0]) }], [2, { flags: 0, full: 4, data: new Uint8Array([0, 0, 0, 0]) }]]),
      },
    ];
    for (const r of rec) f.push(r);
    assert.deepEqual(out.join('').split('\n').filter(Boolean), [
      '[pid 2] wait(3, 0,  <unfinished ...>',
      '[pid 3] fd_close(5) = -1 EBADF (Bad file descriptor)',
      '[pid 3] +++ exited with 0 +++',
      '[pid 2] <... wait resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]) = 3',
    ]);
  });
});
