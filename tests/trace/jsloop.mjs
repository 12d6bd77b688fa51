// A JS process that makes many small system calls (tests/trace/tracer.test.ts: a reader
// that falls behind holds it back, and it loses nothing).
import fs from 'node:fs';

const n = Number(process.argv[2] ?? 10000);
let ok = 0;
for (let i = 0; i < n; i++) if (fs.fstatSync(1).size >= 0) ok++;
process.stdout.write(`done ${ok}\n`);
