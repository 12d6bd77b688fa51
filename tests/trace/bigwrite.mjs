// A JS process for the tracer's test (tests/trace/tracer.test.ts): writes of many sizes to
// /dev/null, each buffer a known pattern, so that a trace with a large string size has
// records from a few dozen bytes to 64 KiB (the queue's chunks are 256 KiB).
import fs from 'node:fs';

const sizes = (process.argv[2] ?? '').split(',').map(Number);
const fd = fs.openSync('/dev/null', 'w');
for (const n of sizes) {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + n) & 255;
  fs.writeSync(fd, b);
}
fs.closeSync(fd);
process.stdout.write(`wrote ${sizes.length}\n`);
