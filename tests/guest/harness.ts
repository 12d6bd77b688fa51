// The guest programs' run specifications: each `tests/guest/src/NAME.c` says in a
// `// test:` header how the runner starts it and what must come out (README.md has the
// format). Shared by tests/guest-programs.test.ts (the kernel) and node-wasi-check.ts
// (Node's own node:wasi, to check the programs themselves).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtHashes, sha256 } from '../lib/built.ts';

export const GUEST_DIR = dirname(fileURLToPath(import.meta.url));
export const SRC_DIR = join(GUEST_DIR, 'src');
export const BIN_DIR = join(GUEST_DIR, 'bin');
/** Host directory served read-only at FIXTURE_PATH to programs whose header asks for it. */
export const FIXTURE_HOST = join(GUEST_DIR, 'fixture');
export const SCRATCH_PATH = '/scratch';
export const FIXTURE_PATH = '/fixture';

export type Preopen = 'scratch' | 'fixture';

export interface GuestSpec {
  name: string;
  source: string;
  wasm: string;
  /** argv, argv[0] (the program's name) included. */
  args: string[];
  /** NAME=VALUE strings, in order. */
  env: string[];
  /** Bytes for stdin, or null for /dev/null. */
  stdin: Uint8Array | null;
  /** Preopens in order from fd 3; the kernel appends '/' after them. */
  dirs: Preopen[];
  /** Expected exit code, or null when a signal is expected. */
  exit: number | null;
  signal: number | null;
  stdout: string | null;
  stderr: string | null;
  timeoutMs: number;
}

export interface GuestResult {
  code: number | null;
  signal: number | null;
  stdout: string;
  stderr: string;
}

/** The 46 functions of wasi_snapshot_preview1 (the 45 of the first witx, and sock_accept). */
export const WASI_FUNCTIONS = [
  'args_get', 'args_sizes_get', 'environ_get', 'environ_sizes_get', 'clock_res_get',
  'clock_time_get', 'fd_advise', 'fd_allocate', 'fd_close', 'fd_datasync', 'fd_fdstat_get',
  'fd_fdstat_set_flags', 'fd_fdstat_set_rights', 'fd_filestat_get', 'fd_filestat_set_size',
  'fd_filestat_set_times', 'fd_pread', 'fd_prestat_get', 'fd_prestat_dir_name', 'fd_pwrite',
  'fd_read', 'fd_readdir', 'fd_renumber', 'fd_seek', 'fd_sync', 'fd_tell', 'fd_write',
  'path_create_directory', 'path_filestat_get', 'path_filestat_set_times', 'path_link',
  'path_open', 'path_readlink', 'path_remove_directory', 'path_rename', 'path_symlink',
  'path_unlink_file', 'poll_oneoff', 'proc_exit', 'proc_raise', 'random_get', 'sched_yield',
  'sock_accept', 'sock_recv', 'sock_send', 'sock_shutdown',
] as const;

/** The function a program tests: the longest name it equals or starts with plus '_'. */
export function functionOf(program: string): string | undefined {
  let best: string | undefined;
  for (const fn of WASI_FUNCTIONS) {
    if ((program === fn || program.startsWith(fn + '_')) && fn.length > (best?.length ?? 0)) best = fn;
  }
  return best;
}

const KEYS = new Set(['args', 'env', 'stdin', 'dirs', 'exit', 'signal', 'stdout', 'stderr', 'timeout']);

/** Undoes the header's escapes: \n \t \s (space) \; \\ and \xHH. */
function unescape(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_, c: string) => {
    if (c.length === 3) return String.fromCharCode(parseInt(c.slice(1), 16));
    const map: Record<string, string> = { n: '\n', t: '\t', s: ' ', ';': ';', '\\': '\\' };
    const out = map[c];
    if (out === undefined) throw new Error(`unknown escape \\${c}`);
    return out;
  });
}

function words(value: string): string[] {
  return value.split(/\s+/).filter((w) => w !== '').map(unescape);
}

function integer(key: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new Error(`${key}= wants a number, got "${value}"`);
  return Number(value);
}

/** Reads the `// test:` lines of a program's source. Throws on a malformed header. */
export function parseSpec(source: string): GuestSpec {
  const name = source.replace(/^.*\//, '').replace(/\.c$/, '');
  const spec: GuestSpec = {
    name, source, wasm: join(BIN_DIR, `${name}.wasm`), args: [name], env: [],
    stdin: null, dirs: ['scratch'], exit: 0, signal: null, stdout: null,
    stderr: null, timeoutMs: 10_000,
  };
  const text = readFileSync(source, 'utf8');
  for (const [, header] of text.matchAll(/^\/\/ test:(.*)$/gm)) {
    for (const field of header!.split(/(?<!\\);/)) {
      if (field.trim() === '') continue;
      const eq = field.indexOf('=');
      const key = field.slice(0, eq).trim();
      if (eq < 0 || !KEYS.has(key)) throw new Error(`${name}.c: bad header field "${field.trim()}"`);
      const raw = field.slice(eq + 1).trim();
      try {
        switch (key) {
          case 'args':
            spec.args = [name, ...words(raw).map((w) => w.replaceAll('$SCRATCH', SCRATCH_PATH))];
            break;
          case 'env': spec.env = words(raw); break;
          case 'stdin': spec.stdin = new TextEncoder().encode(unescape(raw)); break;
          case 'dirs': {
            const dirs = words(raw);
            for (const d of dirs) if (d !== 'scratch' && d !== 'fixture') throw new Error(`unknown dir "${d}"`);
            spec.dirs = dirs as Preopen[];
            break;
          }
          case 'exit': spec.exit = integer(key, raw); break;
          case 'signal': spec.signal = integer(key, raw); spec.exit = null; break;
          case 'stdout': spec.stdout = unescape(raw); break;
          case 'stderr': spec.stderr = unescape(raw); break;
          case 'timeout': spec.timeoutMs = integer(key, raw); break;
        }
      } catch (e) {
        throw new Error(`${name}.c: ${(e as Error).message}`);
      }
    }
  }
  return spec;
}

/** Every program's source, sorted by name. */
export function listSources(): string[] {
  return readdirSync(SRC_DIR).filter((f) => f.endsWith('.c')).sort().map((f) => join(SRC_DIR, f));
}

/** What went wrong with a run, as sentences; empty when the run is as its header says. */
export function mismatches(spec: GuestSpec, r: GuestResult): string[] {
  const out: string[] = [];
  if (spec.signal !== null) {
    if (r.signal !== spec.signal) out.push(`expected signal ${spec.signal}, got code ${r.code} signal ${r.signal}`);
  } else if (r.code !== spec.exit || r.signal !== null) {
    out.push(`expected exit ${spec.exit}, got code ${r.code} signal ${r.signal}`);
  }
  if (spec.stdout !== null && r.stdout !== spec.stdout) out.push(`stdout ${JSON.stringify(r.stdout)}, expected ${JSON.stringify(spec.stdout)}`);
  if (spec.stderr !== null && r.stderr !== spec.stderr) out.push(`stderr ${JSON.stringify(r.stderr)}, expected ${JSON.stringify(spec.stderr)}`);
  if (out.length > 0 && r.stderr !== '' && spec.stderr === null) out.push(`stderr: ${r.stderr.trimEnd()}`);
  return out;
}

/**
 * Sources whose binary is missing or stale: bin/sources.sha256 (written by build.sh) must
 * hold the current hash of each source and of test.h. Hashes, not mtimes, because a git
 * checkout gives every file the time of the checkout.
 */
export function staleBinaries(): string[] {
  const built = builtHashes(BIN_DIR);
  const stale: string[] = [];
  if (built.get('test.h') !== sha256(join(SRC_DIR, 'test.h'))) stale.push('test.h (every program)');
  for (const source of listSources()) {
    const name = source.replace(/^.*\//, '');
    const wasm = join(BIN_DIR, name.replace(/\.c$/, '.wasm'));
    if (!existsSync(wasm)) stale.push(`${name} (no bin/${name.replace(/\.c$/, '.wasm')})`);
    else if (built.get(name) !== sha256(source)) stale.push(`${name} (changed since build.sh built it)`);
  }
  return stale;
}
