// Runs the natively built process test programs (native-check.sh builds them into BINDIR)
// as their headers say, and prints PASS, FAIL or SKIP for each.
//
//   node tests/proc/native-run.ts BINDIR [NAME...]
//
// Each program runs with argv[0] = BINDIR/NAME (its children are its siblings), the
// header's environment and stdin, cwd /, umask 022 (the kernel's default), in a session of
// its own (so whatever it leaves running is killed afterwards), with `$SCRATCH` a fresh
// temporary directory.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GuestResult, listProcSources, mismatches, parseProcSpec, type ProcSpec, SCRATCH_PATH } from './harness.ts';

const [binDir, ...only] = process.argv.slice(2);
if (binDir === undefined) {
  console.error('usage: native-run.ts BINDIR [NAME...]');
  process.exit(2);
}

function signalNumber(name: NodeJS.Signals | null): number | null {
  if (name === null) return null;
  return (constants.signals as Record<string, number>)[name] ?? -1;
}

async function runNative(spec: ProcSpec, dir: string): Promise<{ result: GuestResult; timedOut: boolean }> {
  const scratch = mkdtempSync(join(tmpdir(), `proc-${spec.name}-`));
  try {
    const args = spec.args.slice(1).map((a) => (a.startsWith(SCRATCH_PATH) ? scratch + a.slice(SCRATCH_PATH.length) : a));
    const env: Record<string, string> = {};
    for (const kv of spec.env) {
      const eq = kv.indexOf('=');
      env[eq < 0 ? kv : kv.slice(0, eq)] = eq < 0 ? '' : kv.slice(eq + 1);
    }
    const child = spawn(join(dir, spec.name), args, {
      env, cwd: '/', detached: true, stdio: [spec.stdin === null ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    if (spec.stdin !== null) child.stdin!.end(Buffer.from(spec.stdin));
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // none left
      }
    };
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, spec.timeoutMs);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (c, s) => resolve([c, s]));
    });
    clearTimeout(timer);
    // Anything the program left running in its group (it would hold stdout open), then the
    // output; a leftover in another group (a test that failed half-way) may still hold it.
    killGroup();
    let grace: NodeJS.Timeout | undefined;
    const leftover = await Promise.race([
      closed.then(() => false),
      new Promise<boolean>((resolve) => { grace = setTimeout(() => resolve(true), 2000); }),
    ]);
    clearTimeout(grace);
    if (leftover) {
      child.stdout!.destroy();
      child.stderr!.destroy();
      err.push(Buffer.from('\n[native-run: a process the program started still holds its stdout]\n'));
    }
    return {
      timedOut,
      result: {
        code: signal === null ? code : null, signal: signalNumber(signal),
        stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(),
      },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

process.umask(0o022);
let failed = 0;
let passed = 0;
let skipped = 0;
for (const source of listProcSources()) {
  let spec: ProcSpec;
  try {
    spec = parseProcSpec(source);
  } catch (e) {
    console.log(`FAIL ${source}: ${(e as Error).message}`);
    failed++;
    continue;
  }
  if (only.length > 0 && !only.includes(spec.name)) continue;
  if (spec.nativeSkip !== null) {
    console.log(`SKIP ${spec.name}: ${spec.nativeSkip}`);
    skipped++;
    continue;
  }
  const start = performance.now();
  let problems: string[];
  try {
    const { result, timedOut } = await runNative(spec, binDir);
    problems = mismatches(spec, result);
    if (timedOut) problems.unshift(`still running after ${spec.timeoutMs} ms (killed)`);
  } catch (e) {
    problems = [(e as Error).message];
  }
  const ms = Math.round(performance.now() - start);
  if (problems.length === 0) {
    console.log(`PASS ${spec.name} (${ms} ms)`);
    passed++;
  } else {
    console.log(`FAIL ${spec.name} (${ms} ms)\n  ${problems.join('\n  ')}`);
    failed++;
  }
}
console.log(`native-check: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
