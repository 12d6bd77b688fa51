// Runs the guest programs under Node's own node:wasi (uvwasi) instead of the kernel, to check
// the programs themselves. uvwasi is not wasmtime: where the two differ the programs expect
// wasmtime, so some failures here are expected; README.md lists them.
//
//   node tests/guest/node-wasi-check.ts [--lenient] [NAME...]
//
// --lenient compiles the programs afresh (into a temporary directory) with
// -DGUEST_LENIENT_ERRNO: a wrong errno is then printed ("errno: ...") and the program goes
// on, so one run lists every errno uvwasi disagrees on.
//
// Each program runs in a child Node process (a proc_raise under uvwasi raises the signal in
// the host process) with the preopens its header asks for, each a fresh temporary directory
// ('fixture' is a copy of tests/guest/fixture), then '/' as an empty directory.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FIXTURE_HOST, FIXTURE_PATH, SCRATCH_PATH, listSources, mismatches, parseSpec,
  type GuestSpec,
} from './harness.ts';

const LENIENT_CFLAGS = [
  '--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-Wl,--strip-debug', '-DGUEST_LENIENT_ERRNO',
];
const SIGNAL_NUMBERS = constants.signals as Record<string, number>;

async function child(spec: GuestSpec): Promise<never> {
  const { WASI } = await import('node:wasi');
  const root = mkdtempSync(join(tmpdir(), 'guest-'));
  const preopens: Record<string, string> = {};
  for (const d of spec.dirs) {
    const host = join(root, d);
    if (d === 'fixture') cpSync(FIXTURE_HOST, host, { recursive: true });
    else mkdirSync(host);
    preopens[d === 'scratch' ? SCRATCH_PATH : FIXTURE_PATH] = host;
  }
  preopens['/'] = mkdtempSync(join(root, 'root-'));
  const env: Record<string, string> = {};
  for (const kv of spec.env) env[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
  const wasi = new WASI({ version: 'preview1', args: spec.args, env, preopens, returnOnExit: true });
  let code: number;
  try {
    const module = new WebAssembly.Module(readFileSync(spec.wasm));
    const instance = new WebAssembly.Instance(module, wasi.getImportObject() as WebAssembly.Imports);
    code = wasi.start(instance);
  } catch (e) {
    process.stderr.write(`trap: ${(e as Error).message}\n`);
    code = 70;
  }
  rmSync(root, { recursive: true, force: true });
  process.exit(code);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') await child(JSON.parse(process.argv[3]!, (k, v) => (k === 'stdin' && v !== null ? new Uint8Array(v) : v)));
  const lenient = process.argv[2] === '--lenient';
  const only = new Set(process.argv.slice(lenient ? 3 : 2));
  const lenientBin = lenient ? mkdtempSync(join(tmpdir(), 'guest-bin-')) : '';
  let failed = 0;
  for (const source of listSources()) {
    const spec = parseSpec(source);
    if (only.size > 0 && !only.has(spec.name)) continue;
    if (lenient) {
      spec.wasm = join(lenientBin, `${spec.name}.wasm`);
      execFileSync('clang-14', [...LENIENT_CFLAGS, source, '-o', spec.wasm], { stdio: 'inherit' });
    }
    const arg = JSON.stringify(spec, (k, v) => (k === 'stdin' && v !== null ? [...(v as Uint8Array)] : v));
    const r = spawnSync(process.execPath, ['--no-warnings', fileURLToPath(import.meta.url), '--child', arg], {
      input: spec.stdin ?? new Uint8Array(), timeout: spec.timeoutMs, encoding: 'utf8',
    });
    const result = {
      code: r.status, signal: r.signal ? SIGNAL_NUMBERS[r.signal] ?? -1 : null,
      stdout: r.stdout, stderr: r.stderr,
    };
    const problems = mismatches(spec, result);
    const notes = r.stderr.split('\n').filter((l) => l.includes(': errno: '));
    if (lenient && notes.length > 0 && problems.length === 0) problems.push(...notes);
    if (problems.length === 0) {
      console.log(`ok   ${spec.name}`);
    } else {
      failed++;
      console.log(`FAIL ${spec.name}\n     ${problems.join('\n     ')}`);
    }
  }
  if (lenient) rmSync(lenientBin, { recursive: true, force: true });
  console.log(failed === 0 ? 'all passed' : `${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
