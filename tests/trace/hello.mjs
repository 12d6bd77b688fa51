// A JS process for strace's test (tests/trace/strace.test.ts): a file written and read
// back, and a line on stdout, all through the kernel's system calls.
import fs from 'node:fs';

fs.writeFileSync('/tmp/js-trace.txt', 'written by js\n');
const back = fs.readFileSync('/tmp/js-trace.txt', 'utf8');
process.stdout.write(`hi from js: ${back}`);
