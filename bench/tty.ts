// The kernel terminal's line discipline (src/kernel/tty/tty.ts), measured on its own:
// output through OPOST/ONLCR (a full-screen program's frames) against raw output, and keys
// through canonical editing with echo. `node bench/tty.ts`; prints MB/s, never fails.
import { performance } from 'node:perf_hooks';
import { copyTermios, O } from '../src/kernel/tty/termios.ts';
import { Tty } from '../src/kernel/tty/tty.ts';

let sunk = 0;
const tty = new Tty(
  { current: () => null, signalGroup: () => {}, groupInSession: () => true, orphaned: () => false },
  { output: (b) => void (sunk += b.length) },
);
tty.session = 1;
tty.fgPgrp = 1;

const line = Buffer.from(' 1234 root      20   0   12.3m   4.5m  S   0.0   0.1   0:00.12 sleep          \n');
const frame = Buffer.concat(Array.from({ length: 30 }, () => line)); // a 30-line screen, ~2.4 KB
const TOTAL = 32 << 20;

function outMBs(label: string): void {
  sunk = 0;
  const t0 = performance.now();
  for (let n = 0; n < TOTAL; n += frame.length) tty.write(frame);
  const s = (performance.now() - t0) / 1000;
  console.log(`${label.padEnd(34)} ${(TOTAL / s / 1e6).toFixed(1).padStart(8)} MB/s  (${sunk} bytes out)`);
}

outMBs('output, OPOST|ONLCR (default)');
const raw = copyTermios(tty.termios);
raw.oflag &= ~O.OPOST;
tty.setAttr(raw, false);
outMBs('output, no OPOST (cfmakeraw)');
tty.setAttr({ ...raw, oflag: O.OPOST | O.ONLCR }, false);

// Keys: 80-character lines typed one chunk at a time, read back line by line.
const typed = Buffer.from('x'.repeat(79) + '\r');
const dst = new Uint8Array(256);
const N = 100_000;
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  tty.input(typed);
  tty.read(dst);
}
const s = (performance.now() - t0) / 1000;
console.log(`${'input, canonical with echo'.padEnd(34)} ${((N * typed.length) / s / 1e6).toFixed(1).padStart(8)} MB/s  (${(N / s / 1000).toFixed(0)}k lines/s)`);
