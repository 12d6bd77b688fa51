// The line discipline on its own (tty/tty.ts), with a fake kernel: canonical editing, echo,
// raw VMIN/VTIME, signal characters to the foreground group, output processing, job control.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SIG } from '../../src/abi/signals.ts';
import { E } from '../../src/abi/wasi.ts';
import { WOULD_BLOCK } from '../../src/kernel/fd/open-file.ts';
import type { Process } from '../../src/kernel/proc/process.ts';
import { copyTermios, I, L, makeRaw, O, V } from '../../src/kernel/tty/termios.ts';
import { Tty } from '../../src/kernel/tty/tty.ts';

interface Fake {
  tty: Tty;
  out: () => string;
  signals: [number, number][];
  current: { p: Process | null };
}

function make(o: { hold?: boolean } = {}): Fake {
  const chunks: Buffer[] = [];
  const signals: [number, number][] = [];
  const current = { p: null as Process | null };
  const tty = new Tty({
    current: () => current.p,
    signalGroup: (pgid, sig) => void signals.push([pgid, sig]),
    groupInSession: () => true,
    orphaned: () => false,
  }, { output: (b) => (chunks.push(Buffer.from(b)), !o.hold) });
  tty.session = 100;
  tty.fgPgrp = 100;
  return { tty, out: () => Buffer.concat(chunks.splice(0)).toString('latin1'), signals, current };
}

const typed = (t: Tty, s: string): void => t.input(Buffer.from(s, 'latin1'));
function read(t: Tty, n = 256): string | null {
  const b = new Uint8Array(n);
  const r = t.read(b);
  return r === WOULD_BLOCK ? null : Buffer.from(b.subarray(0, r)).toString('latin1');
}
function raw(t: Tty, min: number, time: number): void {
  const r = copyTermios(t.termios);
  makeRaw(r);
  r.cc[V.MIN] = min;
  r.cc[V.TIME] = time;
  t.setAttr(r, false);
}

test('canonical: a line is readable once it ends; CR becomes NL; echo with ONLCR', () => {
  const { tty, out } = make();
  typed(tty, 'hel');
  assert.equal(read(tty), null);
  assert.equal(tty.readReady(), -1);
  typed(tty, 'lo\r');
  assert.equal(tty.readReady(), 6);
  assert.equal(read(tty), 'hello\n');
  assert.equal(out(), 'hello\r\n');
});

test('canonical: a read returns at most one line, and a short buffer the rest later', () => {
  const { tty } = make();
  typed(tty, 'ab\ncdef\n');
  assert.equal(read(tty), 'ab\n');
  assert.equal(read(tty, 2), 'cd');
  assert.equal(read(tty), 'ef\n');
  assert.equal(read(tty), null);
});

test('canonical: ERASE (DEL and ^H), KILL, WERASE, with ECHOE erasing on screen', () => {
  const { tty, out } = make();
  typed(tty, 'abc\x7f\x08x\n');
  assert.equal(read(tty), 'ax\n');
  assert.equal(out(), 'abc\b \b\b \bx\r\n');
  typed(tty, 'one two  three\x17\x17z\n');
  assert.equal(read(tty), 'one z\n');
  out();
  typed(tty, 'garbage\x15ok\n');
  assert.equal(read(tty), 'ok\n');
  assert.equal(out(), 'garbage' + '\b \b'.repeat(7) + 'ok\r\n');
  const t = copyTermios(tty.termios);
  t.lflag &= ~L.ECHOKE; // KILL echoed as ^U and a newline (ECHOK)
  tty.setAttr(t, false);
  typed(tty, 'junk\x15ok\n');
  assert.equal(read(tty), 'ok\n');
  assert.equal(out(), 'junk^U\r\nok\r\n');
  typed(tty, 'é\x7f\n'); // a UTF-8 character erased whole
  assert.equal(read(tty), '\n');
});

test('canonical: EOF (^D) ends a line without itself, or alone is a 0-byte read', () => {
  const { tty, out } = make();
  typed(tty, 'abc\x04');
  assert.equal(read(tty), 'abc');
  typed(tty, '\x04');
  assert.equal(read(tty), '');
  assert.equal(read(tty), null);
  assert.equal(out(), 'abc');
});

test('LNEXT quotes the next character; control characters echo as ^X', () => {
  const { tty, out } = make();
  typed(tty, 'a\x16\x03b\n');
  assert.equal(read(tty), 'a\x03b\n');
  assert.equal(out(), 'a^\b^Cb\r\n');
});

test('no ECHO: nothing echoed; ECHONL still echoes the newline', () => {
  const { tty, out } = make();
  const t = copyTermios(tty.termios);
  t.lflag &= ~L.ECHO;
  tty.setAttr(t, false);
  typed(tty, 'secret\n');
  assert.equal(read(tty), 'secret\n');
  assert.equal(out(), '');
  t.lflag |= L.ECHONL;
  tty.setAttr(t, false);
  typed(tty, 'pw\n');
  assert.equal(out(), '\r\n');
});

test('ISIG: ^C, ^\\ and ^Z signal the foreground group and flush the input', () => {
  const { tty, signals, out } = make();
  tty.fgPgrp = 42;
  typed(tty, 'partial\x03');
  typed(tty, 'x\x1c\x1a');
  assert.deepEqual(signals, [[42, SIG.INT], [42, SIG.QUIT], [42, SIG.TSTP]]);
  typed(tty, '\n');
  assert.equal(read(tty), '\n'); // 'partial' and 'x' were flushed
  assert.equal(out(), 'partial^Cx^\\^Z\r\n');
  const t = copyTermios(tty.termios);
  t.lflag &= ~L.ISIG;
  tty.setAttr(t, false);
  typed(tty, '\x03\n');
  assert.equal(read(tty), '\x03\n');
  assert.equal(signals.length, 3);
});

test('raw: VMIN=1 VTIME=0 gives bytes as typed, no ICRNL, no signals', () => {
  const { tty, signals, out } = make();
  raw(tty, 1, 0);
  assert.equal(read(tty), null);
  typed(tty, 'q\r\x03');
  assert.equal(read(tty), 'q\r\x03');
  assert.equal(signals.length, 0);
  assert.equal(out(), '');
});

test('raw: VMIN=3 waits for three bytes; VMIN=0 VTIME=0 never waits', () => {
  const { tty } = make();
  raw(tty, 3, 0);
  typed(tty, 'ab');
  assert.equal(read(tty), null);
  typed(tty, 'c');
  assert.equal(read(tty), 'abc');
  raw(tty, 0, 0);
  assert.equal(read(tty), '');
  typed(tty, 'z');
  assert.equal(read(tty), 'z');
});

test('raw: VMIN=0 VTIME=1 times out with 0 bytes after about 100 ms', async () => {
  const { tty } = make();
  raw(tty, 0, 1);
  const t0 = Date.now();
  assert.equal(read(tty), null);
  await tty.waitReadable();
  assert.equal(read(tty), '');
  assert.ok(Date.now() - t0 >= 90, `timed out after ${Date.now() - t0} ms`);
  // and a byte arriving first ends the wait
  assert.equal(read(tty), null);
  setTimeout(() => typed(tty, 'k'), 10);
  await tty.waitReadable();
  assert.equal(read(tty), 'k');
});

test('raw: VMIN=2 VTIME=1 returns one byte once the inter-byte timer runs out', async () => {
  const { tty } = make();
  raw(tty, 2, 1);
  typed(tty, 'a');
  assert.equal(read(tty), null);
  await tty.waitReadable();
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(read(tty), 'a');
});

test('switching canonical → raw keeps typed input; raw → canonical makes lines', () => {
  const { tty } = make();
  typed(tty, 'line\npart');
  raw(tty, 1, 0);
  assert.equal(read(tty), 'line\npart');
  typed(tty, 'x\ny');
  const t = copyTermios(tty.termios);
  t.lflag |= L.ICANON;
  tty.setAttr(t, false);
  assert.equal(read(tty), 'x\n');
  assert.equal(read(tty), null);
});

test('output: ONLCR, OCRNL, ONOCR, and no processing without OPOST', () => {
  const { tty, out } = make();
  tty.write(Buffer.from('a\nb\n'));
  assert.equal(out(), 'a\r\nb\r\n');
  const t = copyTermios(tty.termios);
  t.oflag = O.OPOST | O.OCRNL;
  tty.setAttr(t, false);
  tty.write(Buffer.from('x\ry\n'));
  assert.equal(out(), 'x\ny\n');
  t.oflag = O.OPOST | O.ONOCR;
  tty.setAttr(t, false);
  tty.write(Buffer.from('\r\rab\r')); // a CR at column 0 is not sent
  assert.equal(out(), '\rab\r');
  t.oflag = 0;
  tty.setAttr(t, false);
  tty.write(Buffer.from('n\n'));
  assert.equal(out(), 'n\n');
});

test('INLCR and IGNCR', () => {
  const { tty } = make();
  const t = copyTermios(tty.termios);
  t.iflag = (t.iflag & ~I.ICRNL) | I.IGNCR;
  tty.setAttr(t, false);
  typed(tty, 'a\r\n');
  assert.equal(read(tty), 'a\n');
  t.iflag = (t.iflag & ~I.IGNCR) | I.INLCR;
  t.cc[V.EOL] = 0x0d;
  tty.setAttr(t, false);
  typed(tty, 'b\n');
  assert.equal(read(tty), 'b\r');
});

test('IXON: ^S holds writers, ^Q releases them; a sink that answers false holds them too', () => {
  const { tty, out } = make();
  typed(tty, '\x13');
  assert.equal(tty.write(Buffer.from('x')), WOULD_BLOCK);
  assert.equal(tty.writeReady(), false);
  typed(tty, '\x11');
  assert.equal(tty.write(Buffer.from('x')), 1);
  assert.equal(out(), 'x');
  const h = make({ hold: true });
  assert.equal(h.tty.write(Buffer.from('1')), 1);
  assert.equal(h.tty.write(Buffer.from('2')), WOULD_BLOCK);
  h.tty.resumeOutput();
  assert.equal(h.tty.write(Buffer.from('2')), 1);
});

test('window size: SIGWINCH to the foreground group on a change only', () => {
  const { tty, signals } = make();
  tty.resize(24, 80);
  assert.equal(signals.length, 0);
  tty.resize(50, 132);
  assert.deepEqual(signals, [[100, SIG.WINCH]]);
  assert.deepEqual(tty.winsize, { rows: 50, cols: 132, xpixel: 0, ypixel: 0 });
});

test('job control: a background read sends SIGTTIN (EIO when ignored); TOSTOP writes SIGTTOU', () => {
  const { tty, signals, current } = make();
  let ignores = false;
  const bg = { pid: 7, pgid: 7, sid: 100, sig: { ignores: () => ignores, mask: 0 } } as unknown as Process;
  current.p = bg;
  typed(tty, 'x\n');
  assert.equal(read(tty), null);
  assert.deepEqual(signals, [[7, SIG.TTIN]]);
  ignores = true;
  assert.throws(() => read(tty), (e: { errno?: number }) => e.errno === E.IO);
  assert.equal(tty.write(Buffer.from('ok')), 2); // no TOSTOP: background writes go through
  const t = copyTermios(tty.termios);
  t.lflag |= L.TOSTOP;
  tty.setAttr(t, false);
  ignores = false;
  assert.equal(tty.write(Buffer.from('no')), WOULD_BLOCK);
  assert.deepEqual(signals.at(-1), [7, SIG.TTOU]);
  // another session's process is not subject to job control
  current.p = { ...bg, sid: 5 } as unknown as Process;
  assert.equal(read(tty), 'x\n');
});

test('hang-up: SIGHUP and SIGCONT to the foreground group, EOF for readers, EIO for writers', () => {
  const { tty, signals } = make();
  tty.hangup();
  assert.deepEqual(signals, [[100, SIG.HUP], [100, SIG.CONT]]);
  assert.equal(read(tty), '');
  assert.throws(() => tty.write(Buffer.from('x')), (e: { errno?: number }) => e.errno === E.IO);
});

test('the input queue is bounded: past 4096 bytes input is dropped, a line can still end', () => {
  const { tty } = make();
  typed(tty, 'a'.repeat(5000));
  typed(tty, '\n');
  const line = read(tty, 8192)!;
  assert.equal(line.length, 4096);
  assert.ok(line.endsWith('\n'));
});

test('input beyond the queue waits in a backlog, fed in order as reads make room', () => {
  const { tty } = make();
  const lines = Array.from({ length: 100 }, (_, i) => `${String(i).padStart(3, '0')}${'x'.repeat(95)}\n`);
  typed(tty, lines.join(''));
  assert.ok(tty.backlogBytes > 0);
  let drained = false;
  void tty.drained.wait().then(() => (drained = true));
  for (const l of lines) assert.equal(read(tty), l);
  assert.equal(tty.backlogBytes, 0);
  assert.equal(read(tty), null);
  raw(tty, 1, 0);
  typed(tty, 'r'.repeat(10000));
  typed(tty, 'END');
  let got = '';
  for (let r = read(tty, 3000); r !== null; r = read(tty, 3000)) got += r;
  assert.equal(got, 'r'.repeat(10000) + 'END');
  return Promise.resolve().then(() => assert.ok(drained));
});
