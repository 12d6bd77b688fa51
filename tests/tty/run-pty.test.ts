// `isokernel run` under a real host pseudo-terminal (python's pty module, tests/tty/
// pty-drive.py): the program gets a kernel terminal (isatty, the host's window size, raw
// mode), ^C typed is SIGINT through the kernel's line discipline, a host resize is SIGWINCH,
// the host terminal's mode comes back afterwards; and with stdin not a terminal nothing
// changes.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const ISK = path.join(root, 'bin/isokernel');
const TTYTEST = path.join(here, 'bin/ttytest.wasm');
const hasPython = spawnSync('python3', ['-c', 'import pty'], { stdio: 'ignore' }).status === 0;
/** The tests drive a host pseudo-terminal through python3's pty module (.ci/run installs python3). */
const NO_PYTHON = hasPython ? false : 'python3 with its pty module is not installed (apt-get install python3)';

type Step = { wait: string } | { send: string } | { repeat: string; until: string } | { resize: [number, number] } | { sleep: number };

function drive(cmd: string[], steps: Step[], rows = 30, cols = 90): { output: string; status: number; error: string | null } {
  const out = execFileSync('python3', [path.join(here, 'pty-drive.py'), JSON.stringify({ rows, cols, cmd, steps, timeout: 40 })], {
    encoding: 'latin1', timeout: 50000,
  });
  return JSON.parse(out) as { output: string; status: number; error: string | null };
}

test('isokernel run on a host terminal: the program has a kernel terminal of the host\'s size', { skip: NO_PYTHON }, () => {
  const r = drive([ISK, 'run', TTYTEST, 'info'], [], 33, 101);
  assert.equal(r.error, null, r.output);
  assert.equal(r.status, 0, r.output);
  assert.match(r.output, /^isatty=111 ttyname=pts icanon=1 echo=1 isig=1 onlcr=1 vmin=1 veof=4 size=33x101 fg=1 sid=1 /);
  assert.match(r.output, /devtty=1 \[via \/dev\/tty\] badioctl=ENOTTY\r\n$/); // one CR: the host's own ONLCR is off
});

test('raw mode through the host terminal: keys arrive as typed', { skip: NO_PYTHON }, () => {
  const r = drive([ISK, 'run', TTYTEST, 'raw', '3'], [{ wait: 'ready raw=1' }, { send: 'x\r\x03' }]);
  assert.equal(r.error, null, r.output);
  assert.match(r.output, /got 3: 78 0d 03/);
  assert.equal(r.status, 0);
});

test('^C typed: SIGINT from the kernel line discipline (caught: EINTR; uncaught: killed, status 130)', { skip: NO_PYTHON }, () => {
  // ^C again while the program has not reached its read (it may be preempted between its
  // printf and read: the handler runs then and the read would wait on).
  const caught = drive([ISK, 'run', TTYTEST, 'sigint'], [{ wait: 'waiting' }, { send: 'ab' }, { repeat: '\x03', until: 'read: ' }]);
  assert.equal(caught.error, null, caught.output);
  assert.match(caught.output, /ab(\^C)+read: EINTR, signal 2/);
  const killed = drive([ISK, 'run', TTYTEST, 'line'], [{ wait: 'ready' }, { send: 'one\r' }, { wait: '\\[4:one\\]' }, { send: '\x03' }]);
  assert.equal(killed.error, null, killed.output);
  assert.equal(killed.status, 130, killed.output);
  assert.match(killed.output, /killed by SIGINT/);
});

test('a host window resize reaches the program as SIGWINCH with the new size', { skip: NO_PYTHON }, () => {
  const r = drive([ISK, 'run', TTYTEST, 'winch'], [{ wait: 'waiting' }, { resize: [50, 132] }, { wait: 'winch' }]);
  assert.equal(r.error, null, r.output);
  assert.match(r.output, /winch 50x132/);
});

test('the host terminal\'s mode is restored when the program ends', { skip: NO_PYTHON }, () => {
  const r = drive(['sh', '-c', `"${ISK}" run "${TTYTEST}" raw 1 </dev/tty & wait; stty -a`], [{ wait: 'ready' }, { send: 'z' }, { wait: 'icanon' }]);
  assert.equal(r.error, null, r.output);
  assert.match(r.output, /got 1: 7a/);
  assert.match(r.output, /(^|\s)icanon(\s|$)/m);
  assert.match(r.output, /(^|\s)echo(\s|$)/m);
  assert.match(r.output, /(^|\s)opost(\s|$)/m);
});

test('stdin not a terminal: no kernel terminal, output as before', () => {
  const out = execFileSync(ISK, ['run', TTYTEST, 'info'], { input: '', encoding: 'utf8', timeout: 30000 });
  assert.match(out, /^isatty=000 ttyname=none tcgetattr=Not a tty /);
  assert.match(out, /devtty=ENXIO badioctl=ENOTTY\n$/);
});

test('the userland shell\'s interactive prompt: line editing, ^C ends the foreground command, not the shell', { skip: NO_PYTHON }, () => {
  const r = drive([ISK, 'run', 'sh', '-i'], [
    { wait: '# ' }, { send: 'echo helo\x7flo\r' }, { wait: 'hello\r\n.*# ' },
    { send: 'cat\r' }, { sleep: 0.5 }, { send: 'abc\r' }, { wait: 'abc\r\nabc' }, { send: '\x03' }, { wait: '# $' },
    { send: 'echo $((1+2))\r' }, { wait: '3\r\n' }, { send: 'exit\r' },
  ]);
  assert.equal(r.error, null, r.output);
  assert.equal(r.status, 0, r.output);
  assert.match(r.output, /# echo helo\x08 \x08lo\r\nhello\r\n/);
});

test('top on the kernel terminal: full screen, P and M sort, d changes the delay, q quits', { skip: NO_PYTHON }, () => {
  const r = drive([ISK, 'run', 'top', '-d', '5'], [
    { wait: 'PID USER' }, { send: 'M' }, { wait: '%MEM.*%MEM|PID USER' }, { send: 'd' }, { wait: 'Change delay from 5.0 to' },
    { send: '0.5\r' }, { send: 'P' }, { sleep: 1.2 }, { send: 'q' },
  ], 30, 100);
  assert.equal(r.error, null, r.output.slice(-2000));
  assert.equal(r.status, 0);
  assert.match(r.output, /top - \d\d:\d\d:\d\d up /);
  assert.match(r.output, /\x1b\[\?1049l/); // the alternate screen left on q
});
