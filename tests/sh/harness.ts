// The shell corpus (tests/sh/README.md): each tests/sh/cases/NAME.sh runs under isokernel's
// /bin/sh and under the host's dash (with the host's commands), in a fresh directory at the
// same path for both, and the two runs are compared. Shared by tests/sh.test.ts and
// tests/sh/run.ts (the same comparison from the command line, with diffs).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kernel } from '../../src/kernel/kernel.ts';

export const SH_DIR = dirname(fileURLToPath(import.meta.url));
export const CASES_DIR = join(SH_DIR, 'cases');
export const KNOWN_FILE = join(SH_DIR, 'KNOWN-DIFFERENCES.md');
export const USERLAND_BIN = join(SH_DIR, '..', '..', 'userland', 'bin');

export type Stream = 'stdout' | 'stderr' | 'status';

export interface ShCase {
  name: string;
  /** The case's text. */
  text: string;
  /** What is compared (header `# compare:`; default all three). */
  compare: Set<Stream>;
  /** How the shell gets the script: `sh FILE ARGS` (default), on stdin, or `sh -c TEXT sh ARGS`. */
  mode: 'file' | 'stdin' | 'c';
  args: string[];
  /** Input on stdin (`# stdin:` with \n escapes); /dev/null if none (file and c modes). */
  stdin: string | null;
  /** Programs the case runs from /bin (`# needs:`): skipped under isokernel until built. */
  needs: string[];
  /** A known difference from dash (`# known:`): run, reported, not a failure. */
  known: string | null;
  timeoutMs: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  status: number | null;
  timedOut: boolean;
}

const KEYS = new Set(['compare', 'mode', 'args', 'stdin', 'needs', 'known', 'timeout']);

/** Reads the `# key: value` header lines at the top of a case. Throws on a bad header. */
export function parseCase(file: string): ShCase {
  const name = file.slice(file.lastIndexOf('/') + 1).replace(/\.sh$/, '');
  const text = readFileSync(file, 'utf8');
  const c: ShCase = {
    name, text, compare: new Set(['stdout', 'stderr', 'status']), mode: 'file', args: [],
    stdin: null, needs: [], known: null, timeoutMs: 10_000,
  };
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    const m = /^#\s*([a-z]+):\s?(.*)$/.exec(line);
    if (!m || !KEYS.has(m[1]!)) continue;
    const key = m[1]!;
    const value = m[2]!.trim();
    switch (key) {
      case 'compare': {
        const set = new Set<Stream>();
        for (const w of value.split(/\s+/)) {
          if (w !== 'stdout' && w !== 'stderr' && w !== 'status') throw new Error(`${name}: compare: unknown stream ${w}`);
          set.add(w);
        }
        c.compare = set;
        break;
      }
      case 'mode':
        if (value !== 'file' && value !== 'stdin' && value !== 'c') throw new Error(`${name}: mode: ${value}`);
        c.mode = value;
        break;
      case 'args': c.args = value === '' ? [] : value.split(/\s+/); break;
      case 'stdin': c.stdin = value.replace(/\\n/g, '\n').replace(/\\t/g, '\t'); break;
      case 'needs': c.needs.push(...value.split(/\s+/).filter(Boolean)); break;
      case 'known': c.known = value; break;
      case 'timeout': c.timeoutMs = Number(value); break;
    }
  }
  return c;
}

export function listCases(filter?: string): ShCase[] {
  return readdirSync(CASES_DIR)
    .filter((f) => f.endsWith('.sh') && (!filter || f.includes(filter)))
    .sort()
    .map((f) => parseCase(join(CASES_DIR, f)));
}

/** Programs a case needs that userland/bin does not have yet. */
export function missingPrograms(c: ShCase): string[] {
  return c.needs.filter((n) => !existsSync(join(USERLAND_BIN, n)));
}

/** The environment both shells get (PATH differs: each side's own commands). */
function envFor(dir: string, path: string): Record<string, string> {
  return { PATH: path, HOME: dir, LC_ALL: 'C', TZ: 'UTC' };
}

/** A scratch area: `root/script/NAME.sh` holds the case text, `root/work/NAME` is its cwd. */
export class Scratch {
  readonly root: string;
  constructor() {
    this.root = mkdtempSync(join(tmpdir(), 'isk-sh-'));
    mkdirSync(join(this.root, 'script'));
    mkdirSync(join(this.root, 'work'));
  }

  /** A fresh, empty working directory for the case, and the path of its script. */
  prepare(c: ShCase): { dir: string; script: string } {
    const dir = join(this.root, 'work', c.name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    const script = join(this.root, 'script', `${c.name}.sh`);
    writeFileSync(script, c.text);
    return { dir, script };
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

function shellArgs(c: ShCase, script: string): string[] {
  switch (c.mode) {
    case 'file': return [script, ...c.args];
    case 'stdin': return ['-s', ...c.args];
    case 'c': return ['-c', c.text, 'sh', ...c.args];
  }
}

function stdinText(c: ShCase): string | null {
  return c.mode === 'stdin' ? c.text : c.stdin;
}

/** Runs the case under the host's dash (as `sh`). */
export function runDash(c: ShCase, dir: string, script: string): Promise<RunResult> {
  return new Promise((resolve) => {
    const p = spawn('dash', shellArgs(c, script), {
      argv0: 'sh', cwd: dir, env: envFor(dir, '/usr/local/bin:/usr/bin:/bin'),
      stdio: [stdinText(c) === null ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout!.on('data', (b: Buffer) => out.push(b));
    p.stderr!.on('data', (b: Buffer) => err.push(b));
    const input = stdinText(c);
    if (input !== null) {
      p.stdin!.on('error', () => { /* the script may not read it all */ });
      p.stdin!.end(input);
    }
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      p.kill('SIGKILL');
    }, c.timeoutMs);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(),
        status: code ?? (signal ? 128 + (osSignal(signal) ?? 0) : null), timedOut,
      });
    });
  });
}

function osSignal(name: string): number | null {
  const table: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15 };
  return table[name] ?? null;
}

/** A kernel with the scratch root mounted at its host path. */
export async function bootKernel(scratch: Scratch): Promise<Kernel> {
  const kernel = await Kernel.boot({});
  // The scratch root is under the host's tmpdir; create its parents in the root tmpfs.
  const parts = scratch.root.split('/').filter(Boolean);
  let cur = kernel.ns.root;
  for (const name of parts.slice(0, -1)) {
    try {
      cur = kernel.ns.child(cur, name);
    } catch {
      cur = { mount: cur.mount, vnode: cur.vnode.mkdir(name, 0o755) };
    }
  }
  kernel.mount(scratch.root, { type: 'hostfs', host: scratch.root });
  return kernel;
}

/** Runs the case under isokernel's /bin/sh. */
export async function runIsokernel(kernel: Kernel, c: ShCase, dir: string, script: string): Promise<RunResult> {
  const target = await kernel.findProgram('/bin/sh', ['sh', ...shellArgs(c, script)]);
  const input = stdinText(c);
  const p = kernel.spawn({
    program: target.program, args: target.argv, cwd: dir, env: envFor(dir, '/bin:/usr/bin'),
    stdio: [input === null ? 'null' : new TextEncoder().encode(input), 'capture', 'capture'],
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), c.timeoutMs);
  });
  const st = await Promise.race([p.exited, timeout]);
  clearTimeout(timer);
  if (st === 'timeout') {
    try {
      kernel.kill(p.pid, 9);
    } catch { /* gone */ }
    await p.exited;
  }
  return {
    stdout: p.output(1).toString(), stderr: p.output(2).toString(),
    status: st === 'timeout' ? null : st.status, timedOut: st === 'timeout',
  };
}

/** What differs between dash's run (expected) and isokernel's (actual), as the case compares. */
export function differences(c: ShCase, expected: RunResult, actual: RunResult): string[] {
  const out: string[] = [];
  if (actual.timedOut) out.push(`isokernel: still running after ${c.timeoutMs} ms (killed)`);
  if (expected.timedOut) out.push(`dash: still running after ${c.timeoutMs} ms (killed)`);
  for (const s of ['status', 'stdout', 'stderr'] as const) {
    if (!c.compare.has(s)) continue;
    const e = String(expected[s]);
    const a = String(actual[s]);
    if (e !== a) out.push(`${s} differs:\n${diffText(e, a)}`);
  }
  return out;
}

/** A small line diff: the first lines that differ, with context. */
export function diffText(expected: string, actual: string): string {
  const e = expected.split('\n');
  const a = actual.split('\n');
  let i = 0;
  while (i < e.length && i < a.length && e[i] === a[i]) i++;
  const from = Math.max(0, i - 2);
  const lines: string[] = [];
  for (let k = from; k < Math.min(Math.max(e.length, a.length), i + 6); k++) {
    if (k < i) lines.push(`    ${e[k]}`);
    else {
      if (k < e.length) lines.push(`  - ${JSON.stringify(e[k])}`);
      if (k < a.length) lines.push(`  + ${JSON.stringify(a[k])}`);
    }
  }
  return lines.join('\n');
}

/** Case names listed in KNOWN-DIFFERENCES.md (each `- NAME:` or `` `NAME` `` mention). */
export function documentedKnown(): Set<string> {
  const set = new Set<string>();
  if (!existsSync(KNOWN_FILE)) return set;
  for (const m of readFileSync(KNOWN_FILE, 'utf8').matchAll(/`((?:sh|cmd)-[a-z0-9-]+)`/g)) set.add(m[1]!);
  return set;
}
