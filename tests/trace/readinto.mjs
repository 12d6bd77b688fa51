// isokernel.promises.readInto, as strace reads its trace descriptor (tests/trace/readinto.test.ts):
// a file read into one small buffer again and again, then a bad buffer.
import isk from 'isokernel';

isk.write(isk.open('/tmp/readinto.txt', 'w'), 'abcdefghijklmnopqrstuvwxyz\n');
const fd = isk.open('/tmp/readinto.txt', 'r');
const buf = new Uint8Array(7);
const sizes = [];
let text = '';
for (;;) {
  const n = await isk.promises.readInto(fd, buf);
  sizes.push(n);
  if (n === 0) break;
  text += new TextDecoder().decode(buf.subarray(0, n));
  buf.fill(0x21); // reused: nothing of the last read may be kept
}
let bad = 'none';
try {
  await isk.promises.readInto(fd, [1, 2, 3]);
} catch (e) {
  bad = e.code;
}
process.stdout.write(`${JSON.stringify(text)} ${sizes.join(',')} ${bad}\n`);
