// Runs the shell corpus from the command line and prints what differs:
//   node tests/sh/run.ts [FILTER] [-v]
// FILTER selects cases whose file name contains it; -v prints both outputs of each case.
import { bootKernel, differences, listCases, missingPrograms, runDash, runIsokernel, Scratch } from './harness.ts';

const args = process.argv.slice(2);
const verbose = args.includes('-v');
const filter = args.find((a) => !a.startsWith('-'));
const cases = listCases(filter);
const scratch = new Scratch();
const kernel = await bootKernel(scratch);
let pass = 0, fail = 0, skip = 0, known = 0;
const t0 = performance.now();
try {
  for (const c of cases) {
    const missing = missingPrograms(c);
    if (missing.length) {
      skip++;
      console.log(`SKIP ${c.name}: needs ${missing.join(' ')}`);
      continue;
    }
    const { dir, script } = scratch.prepare(c);
    const expected = await runDash(c, dir, script);
    scratch.prepare(c);
    const actual = await runIsokernel(kernel, c, dir, script);
    const diffs = differences(c, expected, actual);
    if (verbose) {
      console.log(`--- ${c.name} dash: status ${expected.status}\n${expected.stdout}${expected.stderr}`);
      console.log(`--- ${c.name} isokernel: status ${actual.status}\n${actual.stdout}${actual.stderr}`);
    }
    if (diffs.length === 0) {
      pass++;
      if (c.known) console.log(`PASS ${c.name} (listed as a known difference: ${c.known})`);
    } else if (c.known) {
      known++;
      console.log(`KNOWN ${c.name}: ${c.known}`);
    } else {
      fail++;
      console.log(`FAIL ${c.name}\n  ${diffs.join('\n  ').replace(/\n/g, '\n  ')}`);
    }
  }
} finally {
  await kernel.shutdown();
  scratch.remove();
}
console.log(`${pass} passed, ${fail} failed, ${known} known differences, ${skip} skipped (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
process.exitCode = fail ? 1 : 0;
